//===--- TransferCalls.cpp - what a call does to a path state -------------===//
//
// Step 3 of the engine, for calls: transferCall() has one case per ApiModel
// role (a new role needs its effect here); Boost pipe operations
// (transferBoostOp()); which calls are recorded for the checks
// (recordsCall()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

/// classifyBoostCall(), asked for every call in every state: once per call.
const std::optional<BoostPipeOp> &FlowEngineImpl::boostOpOf(const CallExpr *CE) {
  auto [It, New] = BoostOps.try_emplace(CE);
  if (New)
    It->second = classifyBoostCall(CE);
  return It->second;
}

void FlowEngineImpl::transferBoostOp(const CallExpr *CE, const BoostPipeOp &Op,
                                     PathState &S, bool Observe) {
  static const ApiFunction ReadApi{ApiRole::Read, -1};
  static const ApiFunction WriteApi{ApiRole::Write, -1};
  static const ApiFunction CloseApi{ApiRole::Close, -1};
  if (Observe && Op.K != BoostPipeOp::Create && Op.K != BoostPipeOp::Ignore &&
      !S.Ends.empty()) {
    const ApiFunction *Api = Op.K == BoostPipeOp::Read    ? &ReadApi
                             : Op.K == BoostPipeOp::Write ? &WriteApi
                                                          : &CloseApi;
    CallSite C{CE, Api, Op.Object, Op.ToEof};
    R.Calls.push_back({C, S});
  }
  switch (Op.K) {
  case BoostPipeOp::Create: {
    auto It = FirstEndOfCall.find(CE);
    auto RL = lvalueOf(Op.Object->IgnoreParenImpCasts(), S);
    auto WL = Op.WriteObject ? lvalueOf(Op.WriteObject->IgnoreParenImpCasts(), S)
                             : std::nullopt;
    if (It == FirstEndOfCall.end() || !RL || !WL || !RL->Tracked ||
        !WL->Tracked || RL->AnyIndex || WL->AnyIndex)
      return; // kept where we do not follow
    placeObjectEnd(S, RL->L, Op.Object->getType(), PipeSide::Read, It->second);
    placeObjectEnd(S, WL->L, Op.WriteObject->getType(), PipeSide::Write,
                   It->second + 1);
    return;
  }
  case BoostPipeOp::Write:
    if (auto E = objectEnd(Op.Object, PipeSide::Write, S))
      noteWrite(S, *E, CE,
                Op.ConstSize ? AbsVal::constant(int64_t(*Op.ConstSize))
                             : eval(Op.Size, S));
    return;
  case BoostPipeOp::Close:
    for (PipeSide Side : {PipeSide::Read, PipeSide::Write}) {
      if (Op.Side != PipeSide::Both && Op.Side != Side)
        continue;
      if (auto E = objectEnd(Op.Object, Side, S))
        closeEnd(S, *E);
    }
    return;
  case BoostPipeOp::Read:
  case BoostPipeOp::Ignore:
    return;
  }
}

/// A write of \p N bytes (unknown if not a constant) to end \p E by \p CE:
/// what pipe-self-deadlock adds up against the pipe's capacity.
void FlowEngineImpl::noteWrite(PathState &S, EndId E, const CallExpr *CE,
                               const AbsVal &N) {
  noteChildWrite(S, E);
  auto ES = S.ref(E);
  ES.Flags |= WrittenTo;
  if (N.isConst() && N.Lo >= 0) {
    // UINT32_MAX: a loop made the amount unbounded (join()); it stays so.
    uint64_t Sum = uint64_t(ES.Written) + uint64_t(N.Lo);
    if (ES.Written != UINT32_MAX)
      ES.Written = uint32_t(std::min<uint64_t>(Sum, UINT32_MAX - 1));
    if (N.Lo > 0)
      ES.LastWrite = CE;
  } else {
    ES.Flags |= UnknownWrite;
  }
}

const Stmt *FlowEngineImpl::loopAround(const Stmt *From) const {
  // Up through this body's own parent map, to the innermost loop.
  const Stmt *Cur = From;
  for (unsigned Guard = 0; Guard < 64; ++Guard) {
    const Stmt *P = R.parentOf(Cur);
    if (!P || isa<LambdaExpr, BlockExpr>(P) || P == Body)
      return nullptr; // the function's boundary
    if (isa<WhileStmt, ForStmt, DoStmt, CXXForRangeStmt>(P))
      return P;
    Cur = P;
  }
  return nullptr;
}

const Stmt *FlowEngineImpl::loopAroundWrite(const CallExpr *CE) {
  auto [It, New] = LoopOfWrite.try_emplace(CE, nullptr);
  if (New)
    It->second = loopAround(CE);
  return It->second;
}

std::optional<uint64_t>
FlowEngineImpl::countedWriteLoopBytes(const CallExpr *CE) {
  const Stmt *Loop = loopAroundWrite(CE);
  // A loop in another loop may start over: its bound is per start.
  if (!Loop || !R.function() || loopAround(Loop))
    return std::nullopt;
  return Summaries.countedLoopBytes(Loop, R.function());
}

bool FlowEngineImpl::loopReadsBack(const Stmt *Loop, EndId E,
                                   const PathState &S) const {
  int Peer = R.Ends[E].Kind == EndKind::Duplicate && R.Ends[E].DupOf >= 0
                 ? R.Ends[unsigned(R.Ends[E].DupOf)].Peer
                 : R.Ends[E].Peer;
  // A caller's descriptor (a summary's seeded end) whose other end is not
  // known here: a loop that uses no other descriptor does not read it
  // back (`for (auto &r : pending_) write_all(wr_, ...)`).
  bool CallersEnd = Peer < 0 && R.Ends[E].Kind == EndKind::Parameter;
  if (Peer < 0 && !CallersEnd)
    return true; // nothing to fill
  // A loop that reads the pipe back (directly or through any call given
  // its read end) may never hold more than one pass's worth.
  llvm::SmallVector<const Stmt *, 32> Stack{Loop};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X || isa<LambdaExpr, BlockExpr>(X))
      continue;
    for (const Stmt *C : X->children())
      Stack.push_back(C);
    if (const auto *Call = dyn_cast<CallExpr>(X))
      for (const Expr *A : Call->arguments())
        if (auto AE = endIn(A, S);
            AE && (CallersEnd ? *AE != E : int(*AE) == Peer))
          return true;
  }
  return false;
}

void FlowEngineImpl::noteUnknownWriteInLoop(PathState &S, EndId E,
                                            const CallExpr *CE) {
  const Stmt *Loop = loopAroundWrite(CE);
  if (!Loop || loopReadsBack(Loop, E, S))
    return;
  auto ES = S.ref(E);
  ES.Written = UINT32_MAX;
  ES.LastWrite = CE;
}

/// Is \p E `&a[0]` (a built-in array's or a std::array's first element)?
static bool addressOfFirstElement(const Expr *E) {
  const auto *UO = dyn_cast_or_null<UnaryOperator>(E->IgnoreParenImpCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return false;
  auto Element = literalSubscript(UO->getSubExpr());
  return Element && Element->second == 0;
}

/// The calls FunctionAnalysis::forEachCall() offers the checks.
static bool recordsCall(ApiRole Role) {
  switch (Role) {
  case ApiRole::Read:
  case ApiRole::Write:
  case ApiRole::Close:
  case ApiRole::Exec:
  case ApiRole::Spawn:
  case ApiRole::Shell:
  case ApiRole::Copy:
  case ApiRole::Fork: // what a forked child inherits (InheritedEnds.cpp)
    return true;
  default:
    return false;
  }
}

void FlowEngineImpl::transferCall(const CallExpr *CE, PathState &S,
                                  llvm::SmallVectorImpl<PathState> &Out,
                                  bool Observe) {
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  // `p->rd`, `*p`, `p.get()`, `if (p)` of a std::unique_ptr: reading the
  // pointer it holds gives nothing away (HeapObjects.cpp).
  const auto *Deref = dyn_cast<CXXOperatorCallExpr>(CE);
  if ((Deref && Deref->getOperator() == OO_Star && Deref->getNumArgs() == 1 &&
       !smartPointeeType(Deref->getArg(0)->IgnoreParenImpCasts()->getType())
            .isNull()) ||
      (isa<CXXOperatorCallExpr, CXXMemberCallExpr>(CE) &&
       smartPointerValue(CE, S))) {
    Out.push_back(std::move(S));
    return;
  }
  const ApiFunction *Api = Model.lookup(Callee);
  CallSite *Recorded = nullptr;
  // A call may change what was stored where we do not follow.
  S.FreshStores.clear();
  CopiesBeforeCall.clear();
  if (!Api && !S.FdCopies.empty()) {
    CopiesBeforeCall = S.FdCopies;
    forgetCopiesAtCall(CE, Callee, S);
  }
  if (Observe && Api && recordsCall(Api->Role) && !S.Ends.empty()) {
    R.Calls.push_back({CallSite{CE, Api}, S});
    Recorded = &R.Calls.back().first;
  }

  // `j = calloc(1, sizeof *j)`: a new object of the function's own.
  if (!Api && allocateHeapObject(CE, S)) {
    // `std::make_unique<Spool>(args)`: its constructor on the new object.
    if (const CallExpr *Ctor = heapConstructorCall(CE)) {
      transferCall(Ctor, S, Out, Observe);
      return;
    }
    Out.push_back(std::move(S));
    return;
  }

  // Tasks: std::async() and pthread_create() start one; join, detach,
  // pthread_join, waitpid end one.
  if (!R.Tasks.empty()) {
    if (auto It = TaskOfStart.find(CE);
        It != TaskOfStart.end() && TaskCodes[It->second].Start &&
        R.Tasks[It->second].Kind != TaskKind::ForkChild) {
      const Expr *HandleArg = TaskCodes[It->second].Start->HandleArg;
      StartResult Result = TaskCodes[It->second].Start->Result;
      // pthread_create() returns 0, or an error number: a path where no
      // thread started (a wrapper that returns a bool: false; one that
      // returns void or the handle dies instead).
      std::optional<PathState> Failed;
      if (R.Tasks[It->second].Kind == TaskKind::PThread &&
          Result != StartResult::NoFailure)
        Failed = S;
      startTaskCheckingCopy(It->second, S, Observe);
      uint8_t Started = S.taskStatus(It->second);
      for (PathState *P : {&S, Failed ? &*Failed : nullptr})
        if (P)
          for (const Expr *A : CE->arguments())
            if (A != HandleArg && !giveToRoutine(It->second, A, *P, P == &S) &&
                (P != &S || (!keepRoutineEnd(It->second, A, *P) &&
                             !giveRecordKeepingHandle(It->second, A, *P))))
              handOffExpr(*P, A);
      // `pthread_create(&job->tid, 0, run, job)`: giving the thread the
      // struct that keeps its handle does not give the handle away.
      S.setTask(It->second, Started);
      if (Failed && Result == StartResult::TrueOnSuccess) {
        setTemp(S, CE, AbsVal::constant(1));
        setTemp(*Failed, CE, AbsVal::constant(0));
      } else if (Failed) {
        setTemp(S, CE, AbsVal::constant(0));
        setTemp(*Failed, CE, AbsVal::range(1, INT64_MAX));
      }
      Out.push_back(std::move(S));
      if (Failed)
        Out.push_back(std::move(*Failed));
      return;
    }
    if (bool Returns = true; transferTaskOp(CE, S, Observe, Returns)) {
      if (Returns)
        Out.push_back(std::move(S));
      return;
    }
    // `job.t = std::thread(...)`: the new thread goes into the place that
    // keeps its handle (found in discovery), not to an unknown function.
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (auto It = TaskOfStart.find(stripTemporary(OC->getArg(1)));
          It != TaskOfStart.end() && TaskCodes[It->second].HandlePlace) {
        Out.push_back(std::move(S));
        return;
      }
  }
  auto ArgAt = [&](int I) -> const Expr * {
    return I >= 0 && unsigned(I) < CE->getNumArgs() ? CE->getArg(unsigned(I))
                                                     : nullptr;
  };

  // A Boost pipe object's operation (before the table: std::getline on a
  // Boost.Process stream is not POSIX getline()).
  if (!Api || Api->Role == ApiRole::Read)
    if (const std::optional<BoostPipeOp> &Op = boostOpOf(CE)) {
      transferBoostOp(CE, *Op, S, Observe);
      Out.push_back(std::move(S));
      return;
    }
  if (!Api) {
    // free(j): what j held is not given to anybody; what is still open
    // there leaks.
    if (isDeallocator(Callee) || fillObject(CE, Callee, S) ||
        swapPlaces(CE, Callee, S)) {
      Out.push_back(std::move(S));
      return;
    }
    // `bp::std_out > out` only names the stream for the bp::child it is
    // passed to: see startTask().
    if (isValuePassThrough(Callee) || processStdioRedirect(CE)) {
      Out.push_back(std::move(S));
      return;
    }
    // `p = make_pipe();`, `q = p;` of a pair, tuple, array or plain
    // struct: a copy of its places, as in C.
    if (assignAggregate(CE, S)) {
      Out.push_back(std::move(S));
      return;
    }
    // `std::get<I>(x)` of a pair, tuple or array names a place of x; a
    // `std::make_pair(a, b)` a summarised function returns is read off its
    // exits (Aggregates.cpp).
    if (const Expr *Obj = nullptr; stdGetElement(CE, Obj) ||
                                   (SummaryMode && ReturnedCopies.count(CE))) {
      Out.push_back(std::move(S));
      return;
    }
    // A container of tasks adding one, or telling its size, keeps them
    // (TaskContainers.cpp); what it is given is handed off as by any call.
    if (isContainerBookkeeping(CE)) {
      for (const Expr *A : CE->arguments())
        handOffExpr(S, A);
      Out.push_back(std::move(S));
      return;
    }
    // std::array element access and data() are not hand-offs.
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
      if (isStdArrayType(MCE->getImplicitObjectArgument()->getType())) {
        Out.push_back(std::move(S));
        return;
      }
    // A std::optional's `*o`, `o->`, `o.value()`, `o.has_value()`,
    // `bool(o)`: its place and what it holds are the value's (lvalueOf(),
    // eval()); the object stays ours.
    if (optionalAccessObject(CE) || optionalTestObject(CE)) {
      Out.push_back(std::move(S));
      return;
    }
    // A getter (`int rd() const { return fds_[0]; }`): its value is the
    // member's (eval()); the object stays ours.
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
        MCE && MCE->getNumArgs() == 0 && getterSels(MCE->getMethodDecl())) {
      Out.push_back(std::move(S));
      return;
    }
    // A release (`int release() { int fd = fd_; fd_ = -1; return fd; }`):
    // the end leaves the object with the call's value.
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
        MCE && transferRelease(MCE, S)) {
      Out.push_back(std::move(S));
      return;
    }
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE))
      if (OCE->getOperator() == OO_Subscript && OCE->getNumArgs() >= 1 &&
          isStdArrayType(OCE->getArg(0)->getType())) {
        Out.push_back(std::move(S));
        return;
      }
    // A helper that copies one descriptor into another: what the checks see.
    if (Observe)
      recordHelperCopies(CE, Callee, S);
    // One that copies a pipe into itself for ever does not return
    // (pipe-self-copy reports it): nothing after it is reached.
    if (copiesPipeIntoItself(CE, Callee, S))
      return;
    // A helper that starts a task into a place of ours (`start_job(&job)`).
    std::optional<std::pair<TaskId, uint8_t>> Started;
    size_t First = Out.size();
    if (auto It = TaskOfStart.find(CE);
        It != TaskOfStart.end() && TaskCodes[It->second].Helper) {
      if (Observe)
        recordHelperSpawn(CE, It->second, S);
      Started = {It->second, applyTaskStart(CE, It->second, S)};
    }
    // One that also makes the task's pipes: a path per outcome.
    if (Started && applyStartOutcomes(CE, Started->first, Started->second, S,
                                      Out))
      return;
    auto Finish = [&] {
      if (Started)
        finishTaskStart(CE, Started->first, Started->second, Out, First);
    };
    // A helper that makes or closes the caller's descriptors.
    if (applyFunctionSummary(CE, S, Out, Observe)) {
      Finish();
      return;
    }
    // A function whose body shows that it only uses the ends it is given.
    if (transferSummarizedCall(CE, Callee, S, Observe)) {
      Out.push_back(std::move(S));
      Finish();
      return;
    }
    // A helper that starts a child process given a descriptor
    // (`spawn(argv, in, link[1])`, whose child makes it its standard
    // output): the child has a copy, and the caller's copy stays the
    // caller's to close (the helper's summary would say if it closed it).
    llvm::SmallVector<unsigned, 2> CopiedToChild;
    if (Started && R.Tasks[Started->first].Kind == TaskKind::ForkChild) {
      const StartSummary &St = *TaskCodes[Started->first].Helper->Starts;
      for (const auto *Slots : {&St.Holds, &St.Outputs, &St.Inputs})
        for (const SummarySlot &Sl : *Slots)
          if (Sl.K == SummarySlot::Value)
            CopiedToChild.push_back(unsigned(Sl.Param));
    }
    // An unknown function: whatever descriptor it sees is handed off (and
    // marked PassedAway: no reader of it is seen).
    // What a start helper's summary says it leaves alone (`entries`, a
    // count the thread's lambda only counts with) stays the caller's.
    const FunctionSummary *StartFS = Started ? summaryOfCall(CE) : nullptr;
    HandingToUnknownCall = true;
    for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
      if (llvm::is_contained(CopiedToChild, I) && endIn(CE->getArg(I), S))
        continue;
      if (StartFS && StartFS->keepsParam(I) && !isa<CXXMemberCallExpr>(CE) &&
          !isa<CXXOperatorCallExpr>(CE))
        continue;
      if (const VarDecl *VD = readOnlyAddress(CE, Callee, I)) {
        handOffTasksOfVar(S, VD);
        handOffValue(S, S.load(LocKey{VD, 0}));
        continue;
      }
      if (leavesRecordAlone(CE, Callee, I, S))
        continue;
      // The record the helper started the task into keeps its handle.
      if (Started && giveRecordKeepingHandle(Started->first, CE->getArg(I), S))
        continue;
      if (!formatsValue(CE, Callee, I)) {
        handOffExpr(S, CE->getArg(I));
        continue;
      }
      // Its number written into text, as for a command line (`-2 %d`):
      // announced to the program started next, which may use it.
      if (auto E = endIn(CE->getArg(I), S))
        S.ref(*E)->Flags |= Announced;
    }
    HandingToUnknownCall = false;
    // `w = Fd(fd)` with no summary to apply: what the temporary kept (its
    // construction gave nothing away) goes with it.
    if (const CXXConstructExpr *Tmp = assignedTemporary(CE);
        Tmp && AssignedTemporaries.count(Tmp))
      for (const Expr *A : Tmp->arguments())
        handOffExpr(S, A);
    if (const LambdaExpr *LE = calledOnlyLambda(CE))
      handOffLambdaCaptures(S, LE, nullptr);
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
        MCE && !callKeepsObject(CE))
      handOffObjectOf(S, MCE, Observe);
    Out.push_back(std::move(S));
    Finish();
    return;
  }

  const Expr *Arg = ArgAt(Api->Arg);
  // A program's own fork, spawn, wait or thread-start function: what it
  // does with a descriptor passed to it cannot be told.
  if (Api->Wrapper)
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (int(I) != Api->Out)
        handOffExpr(S, CE->getArg(I));
  // What the call stores through a pointer to our variables (`read(fd,
  // &hdr, sizeof hdr)`, `waitpid(pid, &st, 0)`): the numbers there are no
  // longer the ones the path knew.
  if (Api->Role != ApiRole::CreatePipe &&
      Api->Role != ApiRole::CreateSocketPair)
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (int(I) != Api->Arg && int(I) != Api->Out)
        forgetNumbersWrittenThrough(S, CE, Callee, I);
  switch (Api->Role) {
  case ApiRole::CreatePipe:
  case ApiRole::CreateSocketPair: {
    auto It = FirstEndOfCall.find(CE);
    AbsVal Where = Arg ? eval(Arg, S) : AbsVal::unknown();
    // `pipe(&fds[0])`: the address of the array's first element is the
    // array's (the ends go to fds[0] and fds[1], not below fds[0]).
    if (Where.K == AbsVal::Addr && depthOf(Where.loc()) > 0 &&
        lastSel(Where.loc().Sel) == indexSel(0) && addressOfFirstElement(Arg))
      Where = AbsVal::addr(parentOf(Where.loc()));
    if (It == FirstEndOfCall.end() || Where.K != AbsVal::Addr ||
        !isTrackableBase(Where.loc().Base) || isEscaped(S, Where.loc().Base) ||
        !child(Where.loc(), indexSel(1))) {
      // The ends are stored somewhere we do not follow.
      Out.push_back(std::move(S));
      return;
    }
    uint8_t Flags = 0;
    if (const Expr *FlagsArg = ArgAt(Api->Arg2)) {
      bool Socket = Api->Role == ApiRole::CreateSocketPair;
      if (hasFlagBit(FlagsArg, Socket ? Model.Constants.SockCloexec
                                      : Model.Constants.OCloexec, S))
        Flags |= Cloexec;
      if (hasFlagBit(FlagsArg, Socket ? Model.Constants.SockNonblock
                                      : Model.Constants.ONonblock, S))
        Flags |= Nonblock;
    }
    // Made again (a loop) while the ends of the last time are open and
    // held only in the places this call overwrites: they can no longer be
    // closed. Recorded for pipe-unclosed-write-end (RemadeLeaks.cpp).
    if (Observe) {
      std::pair<uint64_t, uint64_t> Range = PathState::keysWithin(Where.loc());
      uint64_t Lo = Range.first, Hi = Range.second;
      bool Remade = false;
      for (unsigned I = 0; I < 2; ++I) {
        EndId E = It->second + I;
        if (S.status(E) != Open || S.hasFlag(E, Lost))
          continue;
        bool Elsewhere = false, Any = false;
        S.forEachLocationOf(E, [&](LocKey L) {
          uint64_t K = PathState::packLoc(L);
          Any = true;
          Elsewhere |= K < Lo || K > Hi || isEscaped(S, L.Base);
        });
        Remade |= Any && !Elsewhere;
      }
      if (Remade)
        R.Calls.push_back({CallSite{CE, Api}, S});
    }
    // Made into places that hold the open ends of another call: the
    // fallback of `if (pipe2(fds, O_CLOEXEC) != 0 && errno == ENOSYS)
    // pipe(fds);`, where the second runs only when the first failed. A
    // path on which both succeeded is one the engine could not rule out
    // (the test is on errno or on a flag computed from it), not a leak it
    // saw: the ends it overwrites are no longer followed.
    for (unsigned I = 0; I < 2; ++I)
      if (auto C = child(Where.loc(), indexSel(I))) {
        AbsVal Old = S.load(*C);
        if (Old.K == AbsVal::End && R.Ends[Old.E].Origin != CE &&
            R.Ends[Old.E].Kind != EndKind::Duplicate &&
            R.Ends[Old.E].Kind != EndKind::Parameter &&
            S.status(Old.E) == Open)
          S.ref(Old.E)->Flags |= Lost;
      }
    // pipe()/pipe2()/socketpair() return 0 or -1; a user's wrapper that
    // returns bool returns true on success.
    bool BoolResult = CE->getType()->isBooleanType();
    PathState Failed = S;
    setTemp(Failed, CE, AbsVal::constant(BoolResult ? 0 : -1));
    for (unsigned I = 0; I < 2; ++I) {
      EndId E = It->second + I;
      S.ref(E) = {Open, Flags};
      dropCopiesOf(E, S);
      if (auto C = child(Where.loc(), indexSel(I))) {
        setLoc(S, *C, AbsVal::end(E));
        if (R.Ends[E].Name.empty())
          R.Ends[E].Name = R.locName(*C);
      }
    }
    setTemp(S, CE, AbsVal::constant(BoolResult ? 1 : 0));
    S.countMade();
    Out.push_back(std::move(S));
    Out.push_back(std::move(Failed));
    return;
  }
  case ApiRole::Close:
    if (Arg) {
      releaseClosedCopy(Arg, S);
      closeValue(S, Arg);
    }
    break;
  case ApiRole::CloseRange:
    S.FdCopies.clear();
    S.Ends.update(PathState::AggOpen,
                  [](uint64_t, PathState::EndState ES)
                      -> std::optional<PathState::EndState> {
                    if (ES.Status & Open)
                      ES.Status = uint8_t((ES.Status & ~Open) | Closed);
                    return ES;
                  });
    break;
  case ApiRole::Dup:
  case ApiRole::Fcntl: {
    std::optional<EndId> Src = Arg ? endIn(Arg, S) : std::nullopt;
    bool IsDup = Api->Role == ApiRole::Dup;
    bool DupCloexec = false;
    if (Api->Role == ApiRole::Fcntl) {
      AbsVal Cmd = eval(ArgAt(Api->Arg2), S);
      const Expr *Third = ArgAt(2);
      const PlatformConstants &K = Model.Constants;
      if (Src && Cmd.isConst()) {
        auto ES = S.ref(*Src);
        if (Cmd.Lo == K.FSetfd) {
          if (hasFlagBit(Third, K.FdCloexec, S))
            ES.Flags |= Cloexec;
          else if (eval(Third, S).isConst())
            ES.Flags &= uint16_t(~Cloexec);
        } else if (Cmd.Lo == K.FSetfl) {
          if (hasFlagBit(Third, K.ONonblock, S))
            ES.Flags |= Nonblock;
          else if (eval(Third, S).isConst())
            ES.Flags &= uint16_t(~Nonblock);
        } else if (Cmd.Lo == K.FSetpipeSz) {
          ES.Flags |= CapacitySet;
          if (R.Ends[*Src].Peer >= 0)
            S.ref(EndId(R.Ends[*Src].Peer))->Flags |= CapacitySet;
        } else if (Cmd.Lo == K.FDupfd || Cmd.Lo == K.FDupfdCloexec) {
          IsDup = true;
          DupCloexec = Cmd.Lo == K.FDupfdCloexec;
        }
      }
    }
    auto It = FirstEndOfCall.find(CE);
    if (IsDup && Src && !resultIsKept(CE)) {
      // `close(1); dup(p[1]);`: the duplicate takes the lowest free number,
      // a redirection like dup2(p[1], 1), and is not kept in a variable.
      S.ref(*Src)->Flags |= SpawnRelated;
    } else if (IsDup && Src && It != FirstEndOfCall.end() &&
        R.Ends[*Src].isWriteSide() && (S.get(*Src).Status & Open)) {
      S.ref(It->second) = {Open, uint8_t(DupCloexec ? Cloexec : 0)};
      dropCopiesOf(It->second, S);
      if (R.Ends[It->second].Name.empty())
        R.Ends[It->second].Name = "dup(" + R.nameOf(*Src, &S) + ")";
      if (R.Ends[It->second].DupOf < 0)
        R.Ends[It->second].DupOf = int(*Src);
      setTemp(S, CE, AbsVal::end(It->second));
    }
    break;
  }
  case ApiRole::Dup2:
    transferDup2Copy(CE, Arg ? endIn(Arg, S) : std::nullopt,
                     ArgAt(Api->Arg2), S);
    if (auto Src = Arg ? endIn(Arg, S) : std::nullopt) {
      S.ref(*Src)->Flags |= SpawnRelated;
      if (S.ChildOf >= 0)
        noteChildStdStream(R.Tasks[unsigned(S.ChildOf)], *Src,
                           eval(ArgAt(Api->Arg2), S));
    }
    break;
  case ApiRole::Fdopen: {
    // fdopen() may fail (NULL, the descriptor still ours) or succeed (a
    // stream that owns the descriptor). The failure path is followed only
    // where the code tests the result: see intervalOf().
    AbsVal V = Arg ? eval(Arg, S) : AbsVal::unknown();
    if (V.K == AbsVal::End) {
      V.MaybeNull = V.SplitResult = true;
      setTemp(S, CE, V);
    }
    break;
  }
  case ApiRole::Fileno:
    if (Arg)
      setTemp(S, CE, eval(Arg, S));
    break;
  case ApiRole::Fork: {
    PathState Failed = S;
    S.SawFork = Failed.SawFork = true;
    // Both sides of a successful fork() hold a copy of every open end.
    S.Ends.update(PathState::AggOpenUnshared,
                  [](uint64_t, PathState::EndState ES)
                      -> std::optional<PathState::EndState> {
                    if (ES.Status & Open)
                      ES.Flags |= SharedWithChild;
                    return ES;
                  });
    PathState Child = S;
    Child.ForkChild = true;
    auto Split = [](AbsVal V) {
      V.SplitResult = true;
      return V;
    };
    setTemp(Child, CE, Split(AbsVal::constant(0)));
    S.Forked = true;
    if (auto It = TaskOfStart.find(CE); It != TaskOfStart.end()) {
      startTask(It->second, S);
      placeTaskHandle(It->second, S);
      Child.ChildOf = int(It->second);
    }
    setTemp(S, CE, Split(AbsVal::range(1, INT64_MAX)));
    setTemp(Failed, CE, Split(AbsVal::constant(-1)));
    Out.push_back(std::move(S));
    Out.push_back(std::move(Child));
    Out.push_back(std::move(Failed));
    return;
  }
  case ApiRole::FileActionClose:
  case ApiRole::FileActionDup2:
    if (auto E = Arg ? endIn(Arg, S) : std::nullopt) {
      S.ref(*E)->Flags |= SpawnRelated;
      // adddup2 without an addclose after it: the original stays open in
      // the spawned program as well (pipe-unclosed-write-end).
      if (Api->Role == ApiRole::FileActionDup2)
        S.ref(*E)->Flags |= SpawnKeepsOriginal;
      else
        S.ref(*E)->Flags &= uint16_t(~SpawnKeepsOriginal);
      if (Api->Role == ApiRole::FileActionDup2) {
        AbsVal Target = eval(ArgAt(2), S);
        if (Target.isConst())
          SpawnStdTarget[*E] = Target.Lo;
      }
    }
    break;
  case ApiRole::NoReturn:
    return; // the path ends here
  case ApiRole::Write:
    if (auto E = Arg ? endIn(Arg, S) : std::nullopt) {
      // How much: write(fd, buf, n), fwrite(p, size, n, f); else unknown.
      AbsVal N = eval(ArgAt(Api->Arg2), S);
      if (N.isConst() && Api->Stream && Api->Arg2 >= 0) {
        AbsVal Count = eval(ArgAt(Api->Arg2 + 1), S);
        N = Count.isConst() ? AbsVal::constant(N.Lo * Count.Lo)
                            : AbsVal::unknown();
      }
      // `while (left > 0) { n = write(fd, p, left); ...; left -= n; }`:
      // the whole loop writes what was left when it began, counted once
      // per path however many turns it takes (a turn that comes back
      // finds this call the last write it counted).
      // (Not a loop that reads the pipe back each turn: it never holds
      // the whole amount; see noteUnknownWriteInLoop().)
      if (std::optional<uint64_t> Total =
              Api->Arg2 >= 0 && !Api->Stream ? countedWriteLoopBytes(CE)
                                             : std::nullopt;
          Total && *Total < uint64_t(INT64_MAX) &&
          !loopReadsBack(loopAroundWrite(CE), *E, S)) {
        WholeLoopWrites.insert(CE);
        if (S.lastWrite(*E) != CE)
          noteWrite(S, *E, CE, AbsVal::constant(int64_t(*Total)));
        if (Recorded) {
          Recorded->WriteBytes = *Total;
          Recorded->WholeLoop = true;
        }
        break;
      }
      noteWrite(S, *E, CE, N);
      // A size argument we cannot evaluate, in a loop (not a format:
      // dprintf() and fprintf() of a few lines are the common case).
      if (Api->Arg2 >= 0 && (!N.isConst() || N.Lo < 0))
        noteUnknownWriteInLoop(S, *E, CE);
      if (Recorded && N.isConst() && N.Lo >= 0)
        Recorded->WriteBytes = uint64_t(N.Lo);
    }
    break;
  case ApiRole::Poll:
    S.Polled = true;
    // poll() writes each entry's revents, select() its fd sets: the numbers
    // kept there before (`struct pollfd p = {fd, POLLIN, 0}`) are no longer
    // known; the descriptors stay, and are the ones it was asked about.
    for (const Expr *Arg : CE->arguments())
      transferPollSet(S, Arg);
    break;
  case ApiRole::Spawn:
  case ApiRole::Shell: {
    // A spawn function that returns the pid: -1 on a path where no child
    // started.
    std::optional<PathState> Failed;
    if (Api->Role == ApiRole::Spawn && Api->Wrapper && Api->Out < 0)
      Failed = S;
    // The started child holds a copy of every open end without O_CLOEXEC.
    S.Ends.update(PathState::AggOpenInheritable,
                  [](uint64_t, PathState::EndState ES)
                      -> std::optional<PathState::EndState> {
                    if ((ES.Status & Open) && !(ES.Flags & Cloexec))
                      ES.Flags |= SharedWithChild;
                    return ES;
                  });
    if (auto It = TaskOfStart.find(CE); It != TaskOfStart.end()) {
      startTask(It->second, S);
      placeTaskHandle(It->second, S);
    }
    if (Failed) {
      auto Split = [](AbsVal V) {
        V.SplitResult = true;
        return V;
      };
      setTemp(S, CE, Split(AbsVal::range(1, INT64_MAX)));
      setTemp(*Failed, CE, Split(AbsVal::constant(-1)));
      Out.push_back(std::move(S));
      Out.push_back(std::move(*Failed));
      return;
    }
    break;
  }
  case ApiRole::Wait:
  case ApiRole::ThreadStart:
    // No task of this function is named (a handle it does not follow):
    // the arguments were handed off above.
    break;
  case ApiRole::Read:
  case ApiRole::Copy:
    // splice(), tee(), sendfile(), copy_file_range() read their source (Arg);
    // what they do to the destination is the checks' business.
    if (auto E = Arg ? endIn(Arg, S) : std::nullopt)
      S.ref(*E)->Flags |= ReadFrom;
    break;
  case ApiRole::Borrow:
  case ApiRole::Exec:
    break;
  }
  Out.push_back(std::move(S));
}

} // namespace clang::tidy::pipe
