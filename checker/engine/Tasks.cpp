//===--- Tasks.cpp - writer tasks: threads, futures and children ----------===//
//
// The engine and TaskModel.h: discovering the tasks a function starts,
// the ends each holds and what it writes, and what starts, joins,
// detaches or destroys one on a path (transferTaskOp(), transferDtor()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

namespace {

/// `&job->tid`, `&tids[1]`, `&cmd.pid`: the place whose address is taken,
/// when it is not a plain local variable (a member or an element).
const Expr *addressedPlace(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  const auto *UO = dyn_cast<UnaryOperator>(E);
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return nullptr;
  const Expr *P = UO->getSubExpr()->IgnoreParenImpCasts();
  return isa<MemberExpr, ArraySubscriptExpr>(P) ? P : nullptr;
}

/// The place a handle out-parameter names: `&job->tid`, `&tids[1]`
/// (addressedPlace()), or a pointer variable itself (`pthread_create(tid,
/// ...)` in a helper given `pthread_t *tid`), which stands for what it
/// points to (placeTaskHandle()).
const Expr *handleOutPlace(const Expr *E) {
  if (const Expr *P = addressedPlace(E))
    return P;
  if (!E)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE && isa<VarDecl>(DRE->getDecl()) &&
                 DRE->getType()->isPointerType()
             ? DRE
             : nullptr;
}


/// Does \p E name a descriptor a task body writes, rather than a constant
/// one (STDOUT_FILENO, 2)?
bool isVariableDescriptor(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return false;
  if (E->getType()->isPointerType())
    return false; // a stream: stdout, a log file
  return !E->isEvaluatable(Ctx);
}

/// Does the child's branch \p Child fork again (a babysitter, a double fork
/// that detaches a daemon)? Then what the branch writes may be written by a
/// grandchild, which outlives this child and is not what a wait for it
/// waits on.
bool forksAgain(const Stmt *Child, const ApiModel &Model) {
  llvm::SmallVector<const Stmt *, 32> Stack{Child};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE));
          Api && Api->Role == ApiRole::Fork)
        return true;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}
} // namespace

void FlowEngineImpl::discoverTasks() {
  // What each constructor, call or fork() initialises or is assigned to.
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt())) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D);
              VD && VD->getInit() && VD->isLocalVarDecl() &&
              !VD->isStaticLocal()) {
            InitOf[stripTemporary(VD->getInit())] = VD;
            if (const auto *ILE = dyn_cast<InitListExpr>(
                    VD->getInit()->IgnoreParenImpCasts());
                ILE && VD->getType()->isRecordType())
              for (const Expr *El : ILE->inits())
                if (const auto *CCE =
                        dyn_cast<CXXConstructExpr>(objectInitializer(El));
                    CCE && constructorKeepsArgs(CCE))
                  ListElementOf[CCE] = VD;
          }
      } else if (const auto *BO = dyn_cast<BinaryOperator>(CS->getStmt());
                 BO && BO->getOpcode() == BO_Assign) {
        if (const VarDecl *VD = localVarOf(BO->getLHS()))
          InitOf[BO->getRHS()->IgnoreParenImpCasts()] = VD;
        else
          // `cp->pid = fork()`, `pids[1] = fork()`: a handle kept in a place.
          AssignedTo[BO->getRHS()->IgnoreParenImpCasts()] = BO->getLHS();
      } else if (isa<CXXMemberCallExpr>(CS->getStmt())) {
        noteContainerStart(CS->getStmt());
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CS->getStmt());
                 OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        // `job.t = std::thread(...)`, `t_ = ...`: a handle kept in a place.
        // (`t = std::thread(...)` into a local variable, which a guard
        // object may refer to, still gives the thread away.)
        if (!localVarOf(OC->getArg(0)))
          AssignedTo[stripTemporary(OC->getArg(1))] = OC->getArg(0);
        // `w = Fd(fd)`: the temporary keeps fd until the assignment takes
        // it (placeTemporaryArgument()).
        if (const CXXConstructExpr *CCE = assignedTemporary(OC);
            CCE && constructorKeepsArgs(CCE))
          AssignedTemporaries.insert(CCE);
      }
    }
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      if (!isa<CXXConstructExpr>(St) && !isa<CallExpr>(St))
        continue;
      if (auto Start = classifyTaskStart(St, &Model)) {
        const VarDecl *Handle = nullptr;
        const Expr *Place = nullptr;
        if (Start->HandleArg) {
          // pthread_create(&tid, ...): a pthread_t we can name, or one in a
          // place (`&job->tid`, `&tids[1]`), which the path decides.
          Handle = localVarOf(Start->HandleArg);
          if (Handle && Handle->getType()->isPointerType())
            Handle = nullptr; // `pthread_t *tid`: what it points to
          if (!Handle) {
            Place = handleOutPlace(Start->HandleArg);
            if (!Place)
              continue;
          }
        } else if (auto It = InitOf.find(cast<Expr>(St)); It != InitOf.end()) {
          Handle = It->second;
        } else if (auto At = AssignedTo.find(cast<Expr>(St));
                   At != AssignedTo.end()) {
          Place = At->second;
        }
        if (Start->Kind == TaskKind::AsyncFuture && !Handle && !Place &&
            !ReturnedStarts.count(cast<Expr>(St)))
          continue; // a discarded future waits at once
        addTask(St, Start->Kind, Handle, &*Start, Place);
        continue;
      }
      const auto *CE = dyn_cast<CallExpr>(St);
      if (!CE)
        CE = constructorCall(St); // `Renderer r;` (ObjectCalls.cpp)
      // `new Spool(args)`, `std::make_unique<Spool>(args)`: its constructor.
      if (const CallExpr *Ctor = heapConstructorCall(St))
        CE = Ctor;
      if (CE) {
        const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE));
        if (Api && Api->Role == ApiRole::Spawn) {
          // posix_spawn(&pid, ...), spawn(argv, &pid): a child we can wait
          // for by its pid; pid = spawn(argv): by the variable it is
          // assigned to.
          if (Api->Out >= 0 && unsigned(Api->Out) < CE->getNumArgs()) {
            const Expr *PidArg = CE->getArg(unsigned(Api->Out));
            if (const VarDecl *Pid = localVarOf(PidArg);
                Pid && isa<UnaryOperator>(PidArg->IgnoreParenImpCasts()))
              addTask(CE, TaskKind::ForkChild, Pid, nullptr);
            else if (const Expr *Place = handleOutPlace(PidArg))
              addTask(CE, TaskKind::ForkChild, nullptr, nullptr, Place);
          } else if (Api->Out < 0 && Api->Wrapper) {
            if (auto It = InitOf.find(CE); It != InitOf.end())
              addTask(CE, TaskKind::ForkChild, It->second, nullptr);
            else if (auto At = AssignedTo.find(CE); At != AssignedTo.end())
              addTask(CE, TaskKind::ForkChild, nullptr, nullptr, At->second);
          }
          continue;
        }
        if (!Api) {
          // A helper that starts a task into a place of ours
          // (`start_job(&job)`): the task is this call's, started where
          // its summary says (applyTaskStart()).
          if (const FunctionSummary *FS = summaryOfCall(CE);
              FS && FS->Starts) {
            // A handle it returns by value (`auto f = start_export(fd);`):
            // the variable or place the call initialises, or our own
            // `return`; a handle nobody keeps ends at once.
            const VarDecl *Handle = nullptr;
            const Expr *Place = nullptr;
            if (FS->Starts->Handle.K == SummarySlot::Returned) {
              if (auto It = InitOf.find(CE); It != InitOf.end())
                Handle = It->second;
              else if (auto At = AssignedTo.find(CE); At != AssignedTo.end())
                Place = At->second;
              else if (!ReturnedStarts.count(CE))
                continue;
            }
            addTask(CE, FS->Starts->Kind, Handle, nullptr, Place);
            TaskInfo &Info = R.Tasks.back();
            Info.Runs = FS->Starts->Runs;
            Info.Body = FS->Starts->Body;
            Info.Spawned = FS->Starts->Spawned;
            Info.StopAware = FS->Starts->StopAware;
            Info.Callbacks = FS->Starts->Callbacks;
            TaskCodes.back().Helper = FS;
          }
          continue;
        }
        if (Api->Role != ApiRole::Fork)
          continue;
        if (auto It = InitOf.find(CE); It != InitOf.end())
          addTask(CE, TaskKind::ForkChild, It->second, nullptr);
        else if (auto At = AssignedTo.find(CE); At != AssignedTo.end())
          addTask(CE, TaskKind::ForkChild, nullptr, nullptr, At->second);
        else if (switchedOn(CE))
          // `switch (fork()) { case 0: ... }`: a child without a pid kept.
          addTask(CE, TaskKind::ForkChild, nullptr, nullptr);
      }
    }
}

bool FlowEngineImpl::switchedOn(const Expr *E) const {
  const Stmt *Cur = E;
  const Stmt *P = R.parentOf(Cur);
  while (P && isa<ParenExpr, ImplicitCastExpr>(P))
    P = R.parentOf(Cur = P);
  const auto *SW = dyn_cast_or_null<SwitchStmt>(P);
  return SW && SW->getCond() == Cur;
}

void FlowEngineImpl::addTask(const Stmt *Origin, TaskKind K,
                             const VarDecl *Handle, const TaskStart *Start,
                             const Expr *Place) {
  TaskId Id = TaskId(R.Tasks.size());
  TaskInfo Info;
  Info.Kind = K;
  Info.Origin = Origin;
  Info.Handle = Handle;
  TaskCode Code;
  Code.HandlePlace = Place;
  if (Place)
    Info.HandleName = (Place->getType()->isPointerType() ? "*" : "") +
                      spellingOf(Place, Ctx);
  if (Start) {
    Code.Start = *Start;
    // A bp::child runs the program it names: no code of ours.
    Info.Spawned = K == TaskKind::ForkChild;
    Code.Callable = resolveCallable(*Start);
    Info.StopAware = Code.Callable.StopAware;
    if (!Code.Callable.Lambda)
      Info.Runs = Code.Callable.Fn;
    if (Code.Callable.Lambda)
      TaskOfLambda[Code.Callable.Lambda] = Id;
    Info.Body = Code.Callable.Body;
    if (Code.Callable.Body)
      Code.Writes = Summaries.bodyWrites(
          Code.Callable.Body, Code.Callable.Fn,
          [&](const Expr *E) { return isVariableDescriptor(E, Ctx); });
  } else if (const ApiFunction *Api =
                 Model.lookup(ApiModel::calleeOf(cast<CallExpr>(Origin)));
             Api && Api->Role == ApiRole::Spawn) {
    Info.Spawned = true; // runs another program: no code of ours
  } else if (!Api) {
    // A helper that starts the task: its summary says what it runs.
  } else if (const Stmt *Child =
                 forkChildBranch(cast<CallExpr>(Origin), Handle, Place)) {
    Info.Body = Child;
    // A child that forks again: its writes cannot be told from its
    // grandchild's, so none is counted (no claim that it fills the pipe).
    if (!forksAgain(Child, Model))
      Code.Writes = Summaries.bodyWrites(
          Child, R.FD,
          [&](const Expr *E) { return isVariableDescriptor(E, Ctx); });
    // Bounds in terms of this function's own variables: evaluated at the
    // fork, like a lambda's captures.
  }
  R.Tasks.push_back(std::move(Info));
  TaskCodes.push_back(std::move(Code));
  TaskOfStart[Origin] = Id;
  if (Handle)
    TasksOfHandle[Handle].push_back(Id);
}

void FlowEngineImpl::pruneTasks(PathState &S) const {
  // A task that is no longer running or detached, or (but a std::thread,
  // whose destructor aborts whatever the pipe) whose pipes this path no
  // longer tracks, can produce no finding: forget it, as collect() forgets
  // finished pipes, so that a state stays as small as the live tasks.
  S.Tasks.erase(
      std::remove_if(S.Tasks.begin(), S.Tasks.end(),
                     [&](const std::pair<TaskId, uint8_t> &P) {
                       // A caller's task: whether it is joined on every
                       // path is the summary (FunctionSummary::Joins).
                       if (R.Tasks[P.first].FromCaller)
                         return false;
                       // Summary mode: whether the task still runs at the
                       // exits is the summary (FunctionSummary::Starts).
                       if (SummaryMode && (P.second & TaskRunning))
                         return false;
                       if (!(P.second & (TaskRunning | TaskDetached)))
                         return true;
                       const TaskInfo &T = R.Tasks[P.first];
                       // A std::thread aborts when destroyed joinable, and
                       // a future destroyed without get() loses the task's
                       // error (pipe-writer-error-ignored): whatever the
                       // pipe, they matter until they end.
                       if (T.Kind == TaskKind::StdThread ||
                           ((P.second & TaskRunning) &&
                            T.Kind == TaskKind::AsyncFuture) ||
                           T.FromCaller)
                         return false;
                       for (EndId W : T.Holds) {
                         int Peer = R.readEndOf(W);
                         if (Peer >= 0 && S.get(EndId(Peer)).Status != NotCreated)
                           return false;
                       }
                       // A reader of a pipe to its end: a join of it while
                       // this path holds the write end never returns.
                       for (EndId Rd : T.ReadsToEof)
                         if (S.get(Rd).Status != NotCreated)
                           return false;
                       return true;
                     }),
      S.Tasks.end());
}

void FlowEngineImpl::addHeldEnd(EndId E, TaskInfo &T) const {
  // Summary mode: a descriptor of the caller's may be a write end.
  if (!R.Ends[E].isWriteSide() &&
      !(SummaryMode && R.Ends[E].Kind == EndKind::Parameter))
    return;
  if (std::find(T.Holds.begin(), T.Holds.end(), E) == T.Holds.end())
    T.Holds.push_back(E);
}

void FlowEngineImpl::noteChildStdStream(TaskInfo &T, EndId E,
                                        const AbsVal &Target) const {
  if (!Target.isConst())
    return;
  auto AddTo = [E](auto &V) {
    if (std::find(V.begin(), V.end(), E) == V.end())
      V.push_back(E);
  };
  bool Caller = SummaryMode && R.Ends[E].Kind == EndKind::Parameter;
  if ((Target.Lo == 1 || Target.Lo == 2) &&
      (R.Ends[E].isWriteSide() || Caller)) {
    AddTo(T.Outputs);
    if (T.Kind == TaskKind::ForkChild)
      ChildWritten.insert(E);
  }
  else if (Target.Lo == 0 && (R.Ends[E].Kind == EndKind::PipeRead || Caller))
    AddTo(T.Inputs);
}

void FlowEngineImpl::addHeldWithin(LocKey L, const PathState &S,
                                   TaskInfo &T) const {
  auto [Lo, Hi] = PathState::keysWithin(L);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &P) {
    if (P.K == AbsVal::End)
      addHeldEnd(P.E, T);
    return true;
  });
  if (auto It = EndsStoredVia.find(L.Base); It != EndsStoredVia.end())
    for (EndId E : It->second)
      addHeldEnd(E, T);
}

void FlowEngineImpl::collectHeld(const Expr *E, const PathState &S,
                                 TaskInfo &T, unsigned Depth) const {
  if (!E || Depth > 6)
    return;
  E = E->IgnoreParens();
  if (isa<CXXThisExpr>(E)) {
    if (auto It = EndsStoredVia.find(R.FD); It != EndsStoredVia.end())
      for (EndId X : It->second)
        addHeldEnd(X, T);
    if (ThisPlace)
      addHeldWithin(LocKey{ThisPlace, 0}, S, T);
    return;
  }
  if (const auto *LE = dyn_cast<LambdaExpr>(E)) {
    for (const LambdaCapture &C : LE->captures()) {
      if (C.capturesThis()) {
        if (auto It = EndsStoredVia.find(R.FD); It != EndsStoredVia.end())
          for (EndId X : It->second)
            addHeldEnd(X, T);
        // The members of `*this` this function follows that the lambda's
        // code names.
        if (ThisPlace)
          for (unsigned Field : membersNamedBy(LE->getBody()))
            if (auto L = child(LocKey{ThisPlace, 0}, fieldSel(Field)))
              addHeldWithin(*L, S, T);
        continue;
      }
      if (!C.capturesVariable())
        continue;
      const ValueDecl *VD = C.getCapturedVar();
      std::optional<Lvalue> Bound;
      if (const auto *BD = dyn_cast<BindingDecl>(VD))
        Bound = bindingPlace(BD, S);
      if (const auto *Var = dyn_cast<VarDecl>(VD); Var && Var->isInitCapture())
        collectHeld(Var->getInit(), S, T, Depth + 1);
      else if (Bound)
        addHeldWithin(Bound->L, S, T);
      else if (!(VD->getType()->isIntegerType() &&
                 usedOnlyAsNumber(LE->getBody(), VD)))
        addHeldWithin(LocKey{VD, 0}, S, T);
    }
    return; // not its body
  }
  AbsVal V = eval(E, S);
  if (V.K == AbsVal::End) {
    addHeldEnd(V.E, T);
    return;
  }
  if (V.K == AbsVal::Addr) {
    addHeldWithin(V.loc(), S, T);
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    addHeldWithin(LocKey{DRE->getDecl(), 0}, S, T);
    return;
  }
  for (const Stmt *C : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(C))
      collectHeld(CE, S, T, Depth + 1);
}

uint64_t FlowEngineImpl::evalBound(const WriteBound &W, const TaskStart &Start,
                                   const TaskCallable &C,
                                   const PathState &S) const {
  auto Value = [](const AbsVal &V) -> uint64_t {
    return V.K == AbsVal::Int && V.Lo >= 0 ? uint64_t(V.Hi) : UINT64_MAX;
  };
  auto ArgFor = [&](unsigned Param) -> const Expr * {
    int I = C.ParamBase + int(Param);
    return I >= 0 && unsigned(I) < Start.Args.size() ? Start.Args[unsigned(I)]
                                                     : nullptr;
  };
  switch (W.K) {
  case WriteBound::None:
    return 0;
  case WriteBound::Const:
    return W.Bytes;
  case WriteBound::Param:
    if (const Expr *A = ArgFor(W.Index))
      return Value(eval(A, S));
    return UINT64_MAX;
  case WriteBound::ParamField:
    if (const Expr *A = ArgFor(W.Index)) {
      AbsVal P = eval(A, S);
      if (P.K == AbsVal::Addr && W.Field)
        if (auto F = child(P.loc(), fieldSel(W.Field->getFieldIndex())))
          return Value(S.load(*F));
    }
    return UINT64_MAX;
  case WriteBound::Outer:
    return Value(S.load(LocKey{W.Var, 0}));
  case WriteBound::Unbounded:
    return UINT64_MAX;
  }
  return UINT64_MAX;
}

void FlowEngineImpl::recordLambdaReads(TaskInfo &Info, const LambdaExpr *LE,
                                       const PathState &S) {
  // A thread's lambda that reads a variable it captures by reference to its
  // end (`[&] { while (read(fds[0], ...) > 0) ...; }`, `[&] { n = drain(p[0]);
  // }`): its summary drains it; joining the thread waits for every write
  // end to close. (Asked before its captures are collected.)
  const FunctionSummary *FS =
      functionSummaries(Summaries, Ctx, Budget).get(LE->getCallOperator());
  if (FS)
    for (const SummarySlot &Sl : FS->Drains)
      if (Sl.K == SummarySlot::Captured && isTrackableBase(Sl.Var))
        if (std::optional<LocKey> L = descend(LocKey{Sl.Var, 0}, Sl.Sel))
          if (std::optional<EndId> E = endAt(*L, S);
              E && !R.Ends[*E].isWriteSide() &&
              !llvm::is_contained(Info.ReadsToEof, *E))
            Info.ReadsToEof.push_back(*E);
  // One it captures by copy or initialises in its capture list (`[fd]`,
  // `[rfd = p[0]] { while (read(rfd, ...) > 0) ...; }`, `[rfd = p[0]] {
  // result = consume(rfd); }`): what its body does with that copy.
  for (const LambdaCapture &C : LE->captures()) {
    const auto *Var = C.capturesVariable()
                          ? dyn_cast<VarDecl>(C.getCapturedVar())
                          : nullptr;
    if (!Var || !Var->getType()->isIntegerType() ||
        (C.getCaptureKind() != LCK_ByCopy && !Var->isInitCapture()))
      continue;
    std::optional<EndId> E;
    if (Var->isInitCapture())
      E = Var->getInit() ? endIn(Var->getInit(), S) : std::nullopt;
    else if (AbsVal V = S.load(LocKey{Var, 0}); V.K == AbsVal::End)
      E = V.E;
    if (!E || R.Ends[*E].isWriteSide() ||
        llvm::is_contained(Info.ReadsToEof, *E))
      continue;
    if (Summaries.captureSummary(LE, Var).ReadsToEof)
      Info.ReadsToEof.push_back(*E);
  }
}

void FlowEngineImpl::startTask(TaskId T, PathState &S) {
  TaskInfo &Info = R.Tasks[T];
  const TaskCode &Code = TaskCodes[T];
  if (Code.Start) {
    if (Code.Callable.Lambda)
      recordLambdaReads(Info, Code.Callable.Lambda, S);
    for (const Expr *A : Code.Start->Args)
      collectHeld(A, S, Info);
    collectHeld(Code.Start->Callable, S, Info);
    // bp::child(cmd, bp::std_out > out): the child's standard streams; the
    // launch closes the parent's copy of the child's side.
    if (Info.Kind == TaskKind::ForkChild)
      for (const Expr *A : Code.Start->Args)
        if (auto Redirect = processStdioRedirect(stripTemporary(A)))
          if (auto E = objectEnd(Redirect->Object,
                                 Redirect->Target == 0 ? PipeSide::Read
                                                       : PipeSide::Write,
                                 S)) {
            noteChildStdStream(Info, *E, AbsVal::constant(Redirect->Target));
            addHeldEnd(*E, Info);
            closeEnd(S, *E);
          }
    Info.MaxBytes = std::max(
        Info.MaxBytes, evalBound(Code.Writes, *Code.Start, Code.Callable, S));
    // A thread function or lambda that reads the end it is given until
    // end-of-file (`std::thread t(consume, fds[0])`): joining it waits for
    // every write end to close.
    if (const FunctionDecl *Fn = Code.Callable.Fn)
      for (unsigned I = 0; I < Code.Start->Args.size(); ++I) {
        int Param = int(I) - Code.Callable.ParamBase;
        if (Param < 0 || unsigned(Param) >= Fn->getNumParams())
          continue;
        auto E = endIn(Code.Start->Args[I], S);
        if (!E || R.Ends[*E].isWriteSide())
          continue;
        const ParamSummary *PS = Summaries.paramSummary(Fn, unsigned(Param));
        if (PS && PS->ReadsToEof && !llvm::is_contained(Info.ReadsToEof, *E))
          Info.ReadsToEof.push_back(*E);
      }
  } else if (Info.Spawned) {
    // A posix_spawn()ed child holds every write end without O_CLOEXEC; the
    // file actions say which become its standard streams.
    S.Ends.forEachWith(PathState::AggOpen, [&](uint64_t Id,
                                               const PathState::EndState &ES) {
      if (!(ES.Status & Open) || (ES.Flags & Cloexec))
        return;
      addHeldEnd(EndId(Id), Info);
      if (auto It = SpawnStdTarget.find(EndId(Id)); It != SpawnStdTarget.end())
        noteChildStdStream(Info, EndId(Id), AbsVal::constant(It->second));
    });
  } else {
    // A fork()ed child holds every write end open at the fork.
    S.Ends.forEachWith(PathState::AggOpen, [&](uint64_t Id,
                                               const PathState::EndState &ES) {
      if (ES.Status & Open)
        addHeldEnd(EndId(Id), Info);
    });
    TaskStart None(TaskKind::ForkChild);
    Info.MaxBytes =
        std::max(Info.MaxBytes, evalBound(Code.Writes, None, TaskCallable(), S));
  }
  // A lambda found to copy a pipe into itself before the start keeps that
  // mark (TaskCopies.cpp).
  S.setTask(T, uint8_t(TaskRunning | (S.taskStatus(T) & TaskCopiesOwnPipe)));
}

bool FlowEngineImpl::transferTaskOp(const CallExpr *CE, PathState &S,
                                    bool Observe, bool &Returns) {
  Returns = true;
  if (R.Tasks.empty())
    return false;
  std::optional<TaskOp> Op = classifyTaskOp(
      CE, &Model, [this](const Stmt *S) { return R.parentOf(S); });
  if (!Op)
    return false;
  llvm::SmallVector<TaskId, 2> Named;
  if (Op->K == TaskOp::WaitAnyChild) {
    for (const auto &P : S.Tasks)
      if (R.Tasks[P.first].Kind == TaskKind::ForkChild)
        Named.push_back(P.first);
  } else {
    Named = tasksNamedBy(Op->Handle, S);
  }
  for (TaskId T : Named) {
    uint8_t St = S.taskStatus(T);
    if (!(St & TaskRunning))
      continue;
    switch (Op->K) {
    case TaskOp::Join:
    case TaskOp::WaitAnyChild:
      // A thread that copies a pipe into itself never finishes, nor one
      // that reads a pipe to its end while this thread holds the write end
      // (pipe-self-deadlock reports the join).
      if ((St & TaskCopiesOwnPipe) ||
          llvm::any_of(R.Tasks[T].ReadsToEof, [&](EndId E) {
            int W = R.Ends[E].Peer;
            return W >= 0 && S.status(EndId(W)) == Open &&
                   !S.hasFlag(EndId(W), Lost);
          }))
        Returns = false;
      joinTask(T, CE, S, Observe);
      break;
    case TaskOp::Detach:
      S.setTask(T, uint8_t((St & ~TaskRunning) | TaskDetached));
      break;
    case TaskOp::RequestStop:
      S.setTask(T, uint8_t(St | TaskStopRequested));
      break;
    case TaskOp::Probe:
      break;
    }
  }
  return true;
}

void FlowEngineImpl::transferDtor(const CFGAutomaticObjDtor &D,
                                  const CFGBlock *, PathState &S,
                                  bool Observe) {
  transferDtorOf(D.getVarDecl(), D.getTriggerStmt(), S, Observe);
}

/// \p VD is destroyed: at the end of its scope, or by the statement
/// \p Trigger that leaves it (a return, a break, a throw or a call that
/// throws: unwinding, Exceptions.cpp).
void FlowEngineImpl::transferDtorOf(const VarDecl *VD, const Stmt *Trigger,
                                    PathState &S, bool Observe) {
  // An object that owns an end closes it; one whose members are followed
  // (a wrapper: ownsConstructorArgs()) only while a member still holds it,
  // not after release() took it out.
  if (auto Owned = OwnedBy.find(VD); Owned != OwnedBy.end()) {
    const auto *CCE = dyn_cast_or_null<CXXConstructExpr>(
        VD->getInit() ? stripTemporary(VD->getInit()) : nullptr);
    bool Followed = CCE && ownsConstructorArgs(CCE) && !isEscaped(S, VD);
    // A followed object without a destructor of its own closes nothing.
    llvm::ArrayRef<EndId> MayClose = Owned->second;
    if (Followed && !hasOwnDestructor(CCE->getConstructor()->getParent()))
      MayClose = {};
    for (EndId E : MayClose) {
      if (Followed) {
        bool Held = false;
        S.forEachLocationOf(E, [&](LocKey L) {
          Held |= isWithin(L, LocKey{VD, 0});
        });
        if (!Held)
          continue;
      }
      auto ES = S.ref(E);
      if (ES.Status & (Open | HandedOff))
        ES.Status = Closed;
    }
  }
  // A std::unique_ptr (or shared_ptr) owning an object of ours: the
  // object's destructor, unless the return gives the pointer back, or a
  // std::move() somewhere gave it to another owner, which destroys it.
  if (const CXXRecordDecl *Smart = VD->getType()->getAsCXXRecordDecl();
      Smart && Smart->getIdentifier() && isTrackableBase(VD) &&
      !smartPointeeType(VD->getType()).isNull() &&
      !returnsVariable(Trigger, VD) && !movedFromSomewhere(VD))
    destroyHeapObject(S.load(LocKey{VD, 0}), Smart->getName() != "unique_ptr",
                      S);
  // The ends its methods left in its members: what its destructor does;
  // unless the return it leaves by gives the object itself back (`PP r;
  // r.wr.reset(fds[1]); return r;`): moved out, or constructed in place.
  if (!returnsObjectVariable(Trigger, VD)) {
    // Its destructor's joins (`~ChildReader() { wait(); close(fd_); }`):
    // before or after its closes, as its summary orders them.
    bool ClosesFirst = true;
    llvm::SmallVector<TaskId, 1> Joined = destructorJoins(VD, S, ClosesFirst);
    auto Join = [&] {
      for (TaskId T : Joined) {
        uint8_t St = S.taskStatus(T);
        if (!(St & TaskRunning))
          continue;
        if (Observe) {
          TaskEvent Ev =
              eventAtDestruction(TaskEvent::Join, T, VD, Trigger, S);
          Ev.ByDestructorOf = VD;
          R.TaskEvents.push_back({Ev, S});
        }
        S.setTask(T, uint8_t((St & ~TaskRunning) | TaskJoined));
      }
    };
    if (!ClosesFirst)
      Join();
    applyDestructorOf(VD, S);
    if (ClosesFirst)
      Join();
  }
  // The handle itself, or an object that keeps handles in its members
  // (`struct job { std::thread t; ... } job;`).
  llvm::SmallVector<TaskId, 2> Destroyed;
  if (auto It = TasksOfHandle.find(VD);
      It != TasksOfHandle.end() && !returnsVariable(Trigger, VD) &&
      !MovedHandles.count(VD))
    Destroyed.append(It->second.begin(), It->second.end());
  // An object returned itself (`Job job; job.done = std::async(...);
  // return job;`) takes the handles in its members along, running.
  if (!TaskPlace.empty() && !returnsObjectVariable(Trigger, VD)) {
    // An object whose own destructor is written by the user may join or
    // detach what its members hold: not ours to judge.
    const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
    bool UserDtor = hasOwnDestructor(RD);
    // The handle variable itself (`std::thread t; start_into(t, fd);`): its
    // destructor is the handle's.
    bool IsHandle = taskHandleKind(VD->getType()).has_value();
    for (const auto &P : TaskPlace)
      if (P.second.Base == VD) {
        if (!UserDtor || (IsHandle && P.second.Sel == 0)) {
          Destroyed.push_back(P.first);
          continue;
        }
        uint8_t St = S.taskStatus(P.first);
        if (St & TaskRunning)
          S.setTask(P.first, uint8_t((St & ~TaskRunning) | TaskHandedOff));
      }
  }
  for (TaskId T : Destroyed) {
    uint8_t St = S.taskStatus(T);
    if (!(St & TaskRunning))
      continue;
    if (Observe)
      R.TaskEvents.push_back(
          {eventAtDestruction(TaskEvent::Destroy, T, VD, Trigger, S), S});
    uint8_t After = 0;
    switch (R.Tasks[T].Kind) {
    case TaskKind::StdThread:
      After = TaskDestroyed;
      break;
    case TaskKind::BoostThread:
      After = TaskDetached;
      break;
    default:
      After = TaskJoined;
      break;
    }
    S.setTask(T, uint8_t((St & ~TaskRunning) | After));
  }
}

TaskEvent FlowEngineImpl::eventAtDestruction(TaskEvent::Kind K, TaskId T,
                                             const VarDecl *VD,
                                             const Stmt *Trigger,
                                             const PathState &S) const {
  TaskEvent Ev(K, T, Trigger, SourceLocation());
  if (Ev.At && !isa<CompoundStmt>(Ev.At)) {
    Ev.Loc = Ev.At->getBeginLoc();
  } else if (S.LastJump && Ev.At &&
             Ev.At->getSourceRange().fullyContains(
                 S.LastJump->getSourceRange())) {
    Ev.ScopeEnd = Ev.At->getEndLoc();
    Ev.At = S.LastJump;
    Ev.Loc = S.LastJump->getBeginLoc();
  } else {
    Ev.Loc = Ev.At ? Ev.At->getEndLoc() : VD->getLocation();
  }
  return Ev;
}

void FlowEngineImpl::handOffTasksOfVar(PathState &S, const ValueDecl *VD) {
  if (!TaskPlace.empty())
    handOffTasksWithin(S, LocKey{VD, 0}, /*WholeVar=*/true);
  auto It = TasksOfHandle.find(VD);
  if (It == TasksOfHandle.end())
    return;
  for (TaskId T : It->second) {
    uint8_t St = S.taskStatus(T);
    if (St & TaskRunning)
      S.setTask(T, uint8_t((St & ~TaskRunning) | TaskHandedOff));
  }
}

void FlowEngineImpl::handOffTasksOf(PathState &S, const Expr *E) {
  if (R.Tasks.empty() || !E)
    return;
  const Expr *X = stripTemporary(E);
  if (auto It = TaskOfStart.find(X); It != TaskOfStart.end()) {
    // A temporary thread given away (`t = std::thread(...)`,
    // `v.push_back(std::thread(...))`). A task with a handle is handed off
    // only through its handle: its start initialises that handle.
    // A start helper's task keeps its handle where the helper put it
    // (`return start_job(j);` gives away the result, not the task).
    if (!R.Tasks[It->second].Handle && !TaskCodes[It->second].HandlePlace &&
        !R.Tasks[It->second].Place.Base) {
      uint8_t St = S.taskStatus(It->second);
      if (St & TaskRunning)
        S.setTask(It->second, uint8_t((St & ~TaskRunning) | TaskHandedOff));
    }
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts())) {
    handOffTasksOfVar(S, DRE->getDecl());
    return;
  }
  // A handle in a place given away (`v.push_back(std::move(job.t))`,
  // `detach_later(&job->tid)`).
  if (!TaskPlace.empty()) {
    const Expr *P = X->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_AddrOf)
      P = UO->getSubExpr();
    if (P->isGLValue())
      if (auto LV = lvalueOf(P, S); LV && LV->Tracked)
        handOffTasksWithin(S, LV->L, LV->AnyIndex);
  }
}

} // namespace clang::tidy::pipe
