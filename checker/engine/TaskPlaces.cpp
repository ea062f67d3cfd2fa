//===--- TaskPlaces.cpp - task handles kept in places ---------------------===//
//
// The engine and TaskModel.h, continued from Tasks.cpp: a task's handle
// (a pthread_t, a pid, a std::thread) is kept in a place like a pipe end:
// a plain local variable (TasksOfHandle), or a member or element of one
// (`job.tid`, `pids[1]`, `cp->pid`, `job.t`: TaskPlace). Which tasks a
// handle expression names on a path (tasksNamedBy()), where a start puts
// its handle (placeTaskHandle()), hand-offs of such places, joins, and in
// summary mode the caller's tasks a helper joins (seedCallerTasks(),
// applied at a call by applyTaskJoins() in ApplySummaries.cpp).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "models/ChildPrograms.h"
#include "AstQueries.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::pipe {

namespace detail {
const VarDecl *localVarOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->isLocalVarDecl() && !VD->isStaticLocal() ? VD : nullptr;
}

/// The source text of \p E (`job->tid`), for messages.
std::string spellingOf(const Expr *E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
    return "";
  bool Invalid = false;
  llvm::StringRef Text =
      Lexer::getSourceText(Range, SM, Ctx.getLangOpts(), &Invalid);
  if (Invalid || Text.size() > 40 || Text.contains('\n'))
    return "";
  return Text.str();
}
} // namespace detail

bool FlowEngineImpl::handleMovedIntoList(const CXXConstructExpr *CCE) const {
  if (TasksOfHandle.empty() || CCE->getNumArgs() != 1 ||
      !CCE->getConstructor()->isCopyOrMoveConstructor() ||
      !taskHandleKind(CCE->getType()))
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(stripTemporary(CCE->getArg(0)));
  if (!DRE || !TasksOfHandle.count(DRE->getDecl()))
    return false;
  const Expr *List = dyn_cast_or_null<InitListExpr>(R.parentOf(CCE));
  if (!List) {
    // An argument of a constructor that keeps it in a member
    // (`return Unpacker(p[0], std::move(t));` with `writer_(std::move(t))`:
    // aggregateElements()).
    const Expr *Arg = CCE;
    const Stmt *Up = R.parentOf(CCE);
    for (unsigned Guard = 0;
         Guard < 4 && isa_and_nonnull<CXXBindTemporaryExpr,
                                      MaterializeTemporaryExpr,
                                      ImplicitCastExpr>(Up);
         ++Guard) {
      Arg = cast<Expr>(Up);
      Up = R.parentOf(Up);
    }
    const auto *Outer = dyn_cast_or_null<CXXConstructExpr>(Up);
    llvm::SmallVector<std::pair<SelPath, const Expr *>, 4> Elements;
    if (!Outer || !aggregateElements(Outer, Elements) ||
        llvm::none_of(Elements,
                      [&](const auto &El) { return El.second == Arg; }))
      return false;
    List = Outer;
  }
  // The list initialises a local variable (InitOf is keyed by the
  // initialiser without the wrappers stripTemporary() drops), or is
  // returned, through such wrappers.
  return InitOf.count(List) || isReturnedValue(List, /*ThroughOptional=*/true);
}

bool FlowEngineImpl::noteHandleCopied(LocKey L, const Expr *Value,
                                      const PathState &S) {
  if (TasksOfHandle.empty() || !Value)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(stripTemporary(Value));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  auto It = VD ? TasksOfHandle.find(VD) : TasksOfHandle.end();
  if (It == TasksOfHandle.end())
    return false;
  bool Any = false;
  for (TaskId T : It->second)
    if (S.taskStatus(T) & TaskRunning) {
      Any = true;
      addTaskPlace(T, L);
      if (!llvm::is_contained(R.Tasks[T].CopiedTo, L))
        R.Tasks[T].CopiedTo.push_back(L);
    }
  // A std::thread or std::future moved there (`Job{std::move(w), fd}`):
  // the variable no longer owns the task, and its destruction ends nothing.
  if (Any && taskHandleKind(VD->getType())) {
    MovedHandles.insert(VD);
    for (TaskId T : It->second)
      R.Tasks[T].HandleName = R.locName(L);
  }
  return Any;
}

llvm::SmallVector<TaskId, 2>
FlowEngineImpl::tasksNamedBy(const Expr *Handle, const PathState &S) const {
  llvm::SmallVector<TaskId, 2> Out;
  if (!Handle)
    return Out;
  const Expr *E = stripTemporary(Handle);
  if (auto It = TaskOfStart.find(E); It != TaskOfStart.end()) {
    if (!R.Tasks[It->second].Handle && !TaskCodes[It->second].HandlePlace)
      Out.push_back(It->second);
    return Out;
  }
  if (const VarDecl *VD = localVarOf(E)) {
    if (auto It = TasksOfHandle.find(VD); It != TasksOfHandle.end())
      Out.append(It->second.begin(), It->second.end());
    // A plain variable a start helper put the handle in (`&pid`).
    for (const auto &P : TaskPlace)
      if (P.second == LocKey{VD, 0} && !llvm::is_contained(Out, P.first) &&
          !isEscaped(S, VD))
        Out.push_back(P.first);
    return Out;
  }
  // A handle kept in a place: `pthread_join(job->tid, 0)`,
  // `waitpid(pids[1], ...)`, `job.t.join()`.
  if (TaskPlace.empty() || !E->isGLValue())
    return Out;
  if (auto LV = lvalueOf(E, S); LV && LV->Tracked)
    for (const auto &P : TaskPlace) {
      // An element of an array of handles names every task kept at some
      // element of it (`waitpid(pids[j], ...)`).
      bool Named = R.Tasks[P.first].PlaceAnyElement
                       ? isWithin(LV->L, P.second) &&
                             (LV->AnyIndex || !(LV->L == P.second))
                       : !LV->AnyIndex && P.second == LV->L;
      if (Named)
        Out.push_back(P.first);
    }
  llvm::sort(Out);
  return Out;
}

void FlowEngineImpl::placeTaskHandle(TaskId T, PathState &S) {
  const Expr *Place = TaskCodes[T].HandlePlace;
  uint8_t St = S.taskStatus(T);
  if (!Place) {
    // A handle variable whose address or a reference to it was given away
    // before the start (`Guard g{t}; t = std::thread(...);`): whoever has
    // it may join.
    if (const VarDecl *H = R.Tasks[T].Handle;
        H && (St & TaskRunning) && S.escaped(H))
      S.setTask(T, uint8_t((St & ~TaskRunning) | TaskHandedOff));
    return;
  }
  std::optional<Lvalue> LV;
  if (Place->getType()->isPointerType()) {
    // `pthread_create(tid, ...)`: the place the pointer points to.
    if (AbsVal V = eval(Place, S); V.K == AbsVal::Addr) {
      LV = Lvalue();
      LV->L = V.loc();
      LV->Tracked = isTrackableBase(V.loc().Base);
    }
  } else {
    LV = lvalueOf(Place, S);
  }
  // An element of an array at an index that is no constant (`pids[i] =
  // fork()` in a loop, where i is 0 on the first turn only): the array,
  // any element of which holds it.
  const auto *ASE = dyn_cast<ArraySubscriptExpr>(Place->IgnoreParenImpCasts());
  const Expr *Array = ASE ? ASE->getBase()->IgnoreParenImpCasts() : nullptr;
  bool AnyElement = Array && Array->getType()->isConstantArrayType() &&
                    !integerConstant(ASE->getIdx(), Ctx);
  if (AnyElement) {
    LV = lvalueOf(Array, S);
    AnyElement = LV && !LV->AnyIndex;
  }
  bool Follow = LV && LV->Tracked && (!LV->AnyIndex || AnyElement) &&
                !S.escaped(LV->L.Base);
  if (Follow) {
    TaskInfo &Info = R.Tasks[T];
    if (!Info.Place.Base) {
      Info.Place = LV->L;
      Info.PlaceAnyElement = AnyElement;
      addTaskPlace(T, LV->L);
    }
    Follow = Info.Place == LV->L && Info.PlaceAnyElement == AnyElement;
  }
  if (Follow)
    return;
  // A place we do not follow (a member of a parameter, an element with an
  // unknown index, two different places, a variable whose address was
  // given away): whoever can reach it may join.
  if (St & TaskRunning)
    S.setTask(T, uint8_t((St & ~TaskRunning) | TaskHandedOff));
}

void FlowEngineImpl::handOffTasksWithin(PathState &S, LocKey Outer,
                                        bool WholeVar) {
  for (const auto &P : TaskPlace) {
    if (WholeVar ? P.second.Base != Outer.Base : !isWithin(P.second, Outer))
      continue;
    uint8_t St = S.taskStatus(P.first);
    if ((St & TaskRunning) && !R.Tasks[P.first].FromCaller)
      S.setTask(P.first, uint8_t((St & ~TaskRunning) | TaskHandedOff));
  }
}

void FlowEngineImpl::joinTask(TaskId T, const CallExpr *CE, PathState &S,
                              bool Observe) {
  uint8_t St = S.taskStatus(T);
  if (!(St & TaskRunning))
    return;
  if (Observe)
    R.TaskEvents.push_back(
        {TaskEvent(TaskEvent::Join, T, CE, CE->getBeginLoc()), S});
  S.setTask(T, uint8_t((St & ~TaskRunning) | TaskJoined));
}

void FlowEngineImpl::seedCallerTasks() {
  // Summary mode: a join or wait of a handle the caller passes in
  // (`pthread_join(job->tid, 0)`, `waitpid(cmd->pid, ...)`, `p->t.join()`,
  // `waitpid(pid, ...)` of a parameter): a task of the caller's, running
  // at entry, one per place.
  llvm::DenseMap<uint64_t, TaskId> ByPlace;
  auto Add = [&](LocKey L, TaskKind K, const CallExpr *CE, std::string Name) {
    bool FromCaller = false;
    for (const FunctionAnalysis::SeededPlace &P : R.Seeded)
      FromCaller |= P.Place.Base == L.Base;
    uint64_t Key = PathState::packLoc(L);
    if (!FromCaller || ByPlace.count(Key))
      return;
    TaskId T = TaskId(R.Tasks.size());
    TaskInfo Info;
    Info.Kind = K;
    Info.Origin = CE;
    Info.FromCaller = true;
    Info.Place = L;
    Info.HandleName = std::move(Name);
    R.Tasks.push_back(std::move(Info));
    TaskCodes.push_back(TaskCode());
    addTaskPlace(T, L);
    ByPlace[Key] = T;
    Initial.setTask(T, TaskRunning);
    // A running child's pid is positive: `if (c->pid > 0) waitpid(c->pid,
    // ...)` waits for it.
    if (K == TaskKind::ForkChild)
      setLoc(Initial, L, AbsVal::range(1, INT32_MAX));
  };
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      const auto *CE = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
      if (!CE)
        continue;
      std::optional<TaskOp> Op = classifyTaskOp(CE, &Model);
      if (!Op) {
        // A helper that joins what it is given (`wait_writer(j)`): the
        // places it joins are this function's caller's too.
        if (Model.lookup(ApiModel::calleeOf(CE)))
          continue;
        const FunctionSummary *FS = summaryOfCall(CE);
        if (!FS)
          continue;
        for (const SummarySlot &Sl : FS->Joins) {
          if (Sl.K != SummarySlot::Pointee)
            continue;
          std::optional<LocKey> L = argumentPlace(CE, Sl.Param, Initial, true);
          if (L)
            L = descend(*L, Sl.Sel);
          if (L)
            Add(*L, TaskKind::ForkChild, CE, R.locName(*L));
        }
        continue;
      }
      if (Op->K != TaskOp::Join || !Op->Handle)
        continue;
      const Expr *H = stripTemporary(Op->Handle);
      if (localVarOf(H) || !H->isGLValue())
        continue;
      auto LV = lvalueOf(H, Initial);
      if (!LV || !LV->Tracked || LV->AnyIndex)
        continue;
      TaskKind K = TaskKind::ForkChild;
      if (auto HK = taskHandleKind(H->getType()))
        K = *HK;
      else if (const auto *TT = H->getType()->getAs<TypedefType>();
               TT && TT->getDecl()->getName() == "pthread_t")
        K = TaskKind::PThread;
      Add(LV->L, K, CE, spellingOf(H, Ctx));
    }
}

uint8_t FlowEngineImpl::applyTaskStart(const CallExpr *CE, TaskId T,
                                      PathState &S) {
  const StartSummary &St = *TaskCodes[T].Helper->Starts;
  TaskInfo &Info = R.Tasks[T];
  auto PlaceOf = [&](const SummarySlot &Sl) -> std::optional<LocKey> {
    return startSlotPlace(CE, Sl, S, /*EvenEscaped=*/true);
  };
  auto EndAt = [&](const SummarySlot &Sl) -> std::optional<EndId> {
    if (Sl.K == SummarySlot::Value) {
      const Expr *A = argumentFor(CE, Sl.Param);
      return A ? endIn(A, S) : std::nullopt;
    }
    if (auto L = PlaceOf(Sl)) {
      AbsVal V = S.load(*L);
      if (V.K == AbsVal::End)
        return V.E;
    }
    return std::nullopt;
  };
  // What the task holds of ours: `job.out = fds[1]` given in the record.
  for (const SummarySlot &Sl : St.Holds)
    if (auto E = EndAt(Sl))
      addHeldEnd(*E, Info);
  for (const SummarySlot &Sl : St.Outputs)
    if (auto E = EndAt(Sl))
      noteChildStdStream(Info, *E, AbsVal::constant(1));
  for (const SummarySlot &Sl : St.Inputs)
    if (auto E = EndAt(Sl))
      noteChildStdStream(Info, *E, AbsVal::constant(0));
  Info.MaxBytes = std::max(Info.MaxBytes, St.MaxBytes);
  if (Info.Kind == TaskKind::ForkChild && !Info.Spawned) {
    // The child holds a copy of every end open here.
    S.Ends.forEachWith(PathState::AggOpen,
                       [&](uint64_t Id, const PathState::EndState &ES) {
                         if (ES.Status & Open)
                           addHeldEnd(EndId(Id), Info);
                       });
    S.Ends.update(PathState::AggOpenUnshared,
                  [](uint64_t, PathState::EndState ES)
                      -> std::optional<PathState::EndState> {
                    if (ES.Status & Open)
                      ES.Flags |= SharedWithChild;
                    return ES;
                  });
  }
  if (St.Handle.K == SummarySlot::Returned) {
    // The handle is the call's value: the variable it initialises, a place
    // it is assigned to, or our own return value (discoverTasks()).
    S.setTask(T, TaskRunning);
    placeTaskHandle(T, S);
    return S.taskStatus(T);
  }
  std::optional<LocKey> L = PlaceOf(St.Handle);
  uint8_t Status = TaskRunning;
  if (L && (!Info.Place.Base || Info.Place == *L)) {
    if (!Info.Place.Base) {
      Info.Place = *L;
      addTaskPlace(T, *L);
      Info.HandleName = R.locName(*L);
    }
    // A started child's pid is there now (`*pid_out = pid;` in the
    // helper): a positive number, as fork() gave the parent.
    if (Info.Kind == TaskKind::ForkChild && !Info.Spawned)
      setLoc(S, *L, AbsVal::range(1, INT32_MAX));
  } else {
    Status = TaskHandedOff; // a place we do not follow: not ours to judge
  }
  S.setTask(T, Status);
  return Status;
}

void FlowEngineImpl::recordHelperSpawn(const CallExpr *CE, TaskId T,
                                       const PathState &S) {
  const TaskInfo &Info = R.Tasks[T];
  if (Info.Kind != TaskKind::ForkChild || Info.Spawned || !Info.Body ||
      !execsKeepingInherited(Info.Body, Model))
    return;
  PathState At = S;
  auto Mark = [&](EndId E) { At.ref(E)->Flags |= SpawnRelated; };
  auto MarkWithin = [&](LocKey L) {
    for (EndId E : At.endsWithin(L))
      Mark(E);
  };
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    if (auto E = endIn(CE->getArg(I), S))
      Mark(*E);
    if (auto L = argumentPlace(CE, I, S, /*EvenEscaped=*/true))
      MarkWithin(*L);
  }
  if (isa<CXXMemberCallExpr>(CE))
    if (auto L = argumentPlace(CE, SummarySlot::ThisParam, S, true))
      MarkWithin(*L);
  static const ApiFunction HelperSpawn{ApiRole::Spawn, -1};
  CallSite Site{CE, &HelperSpawn};
  Site.ViaHelper = true;
  R.Calls.push_back({Site, std::move(At)});
}

void FlowEngineImpl::finishTaskStart(const CallExpr *CE, TaskId T,
                                     uint8_t Status,
                                     llvm::SmallVectorImpl<PathState> &Out,
                                     size_t First) {
  // Giving the helper the record that keeps the handle does not give the
  // task away: the helper put it there.
  const StartSummary &St = *TaskCodes[T].Helper->Starts;
  auto Range = [](int64_t Lo, int64_t Hi) {
    return Lo == Hi ? AbsVal::constant(Lo) : AbsVal::range(Lo, Hi);
  };
  size_t Last = Out.size();
  for (size_t I = First; I < Last; ++I) {
    Out[I].setTask(T, Status);
    if (!St.HasFailure)
      continue;
    PathState Failed = Out[I];
    Failed.setTask(T, TaskNotStarted);
    setTemp(Failed, CE, Range(St.FailLo, St.FailHi));
    setTemp(Out[I], CE, Range(St.OkLo, St.OkHi));
    Out.push_back(std::move(Failed));
  }
}

} // namespace clang::tidy::pipe
