//===--- ApplySummaries.cpp - summaries applied at a call -----------------===//
//
// The engine and the summaries (CalleeSummary.h, FunctionSummaries.h):
// a call of a helper that only borrows an end (transferSummarizedCall()),
// a call of a helper that makes or closes pipes for its caller, or leaves
// what it is given as it was (applyFunctionSummary(): a function, a member
// function on its object, a lambda on its captures, a struct returned by
// value). A call of a helper that copies one descriptor into another is in
// CopyHelperCalls.cpp. The places a summarised function starts with are
// in SummaryPlaces.cpp.
//
//===----------------------------------------------------------------------===//
#include "AstQueries.h"
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

bool FlowEngineImpl::transferSummarizedCall(const CallExpr *CE,
                                            const FunctionDecl *Callee,
                                            PathState &S, bool Observe) {
  // A function whose body we can read and that only borrows the ends it is
  // given: they stay this function's; one it reads to end-of-file is
  // drained; what it writes counts as written. Any other argument is handed
  // off as to an unknown function. A lambda called directly (`slurp(fd)`)
  // and a member function are read too; their object is handed off.
  if (!Callee)
    return false;
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  unsigned Shift = 0;
  if (isa<CXXOperatorCallExpr>(CE)) {
    if (!MD || !MD->getParent()->isLambda())
      return false;
    Shift = 1; // argument 0 is the lambda
  }
  bool Any = false;
  struct BorrowedArg {
    unsigned Index;
    EndId E;
    const ParamSummary *PS;
  };
  llvm::SmallVector<BorrowedArg, 2> Borrowed;
  for (unsigned I = Shift; I < CE->getNumArgs(); ++I) {
    auto E = endIn(CE->getArg(I), S);
    if (!E)
      continue;
    const ParamSummary *PS = Summaries.paramSummary(Callee, I - Shift);
    if (!PS || !PS->Borrowed) {
      // An integer parameter of ours we track in case it is a descriptor
      // (`size_t len`) is handed off alone; a real end makes the callee
      // unknown, as before.
      if (PS && R.Ends[*E].Kind == EndKind::Parameter)
        continue;
      return false;
    }
    Borrowed.push_back({I, *E, PS});
    Any = true;
  }
  if (!Any)
    return false;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    bool IsBorrowed = false;
    for (const auto &B : Borrowed)
      IsBorrowed |= B.Index == I;
    if (!IsBorrowed)
      handOffExpr(S, CE->getArg(I));
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
      MCE && !callKeepsObject(CE))
    handOffObjectOf(S, MCE, Observe);
  for (const auto &B : Borrowed) {
    const ParamSummary *PS = B.PS;
    if (PS->Writes.K != WriteBound::None) {
      // A write of as much as the helper's body writes, in terms of this
      // call's arguments (its parameters count from the first argument
      // after a lambda).
      TaskStart Call(TaskKind::PThread);
      Call.Args.append(CE->arg_begin() + Shift, CE->arg_end());
      uint64_t Bytes = evalBound(PS->Writes, Call, TaskCallable(), S);
      noteHelperWrite(CE, B.E, CE->getArg(B.Index), Bytes, S, Observe);
    }
    // A helper that may make it non-blocking (`set_nonblock(fd)`): nothing
    // is claimed to block on it from here on.
    if (PS->MayMakeNonblocking)
      S.ref(B.E)->Flags |= Nonblock;
    if (!PS->Reads && !PS->ReadsToEof)
      continue;
    if (Observe) {
      // What the checks see of the helper: a read of that end (to its end).
      static const ApiFunction HelperRead{ApiRole::Read, -1};
      CallSite Site{CE, &HelperRead, CE->getArg(B.Index), PS->ReadsToEof};
      // One that reports the read in its result (`read_full()`) is judged
      // where it is called, as a read() is: in a loop on that result.
      Site.ViaHelper = !PS->EndOfFileResult;
      R.Calls.push_back({Site, S});
    }
    markRead(S, B.E, PS->ReadsToEof);
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Function summaries (FunctionSummaries.h)
//===----------------------------------------------------------------------===//

void FlowEngineImpl::noteWriteThrough(const CallExpr *CE, EndId E,
                                      PathState &S, bool Observe) {
  // How much one call writes is not in the summary: only a call in a
  // loop, whose writes add up with the turns, is counted as unbounded.
  if (loopAroundWrite(CE))
    noteHelperWrite(CE, E, nullptr, UINT64_MAX, S, Observe);
}

void FlowEngineImpl::noteHelperWrite(const CallExpr *CE, EndId E,
                                     const Expr *Subject, uint64_t Bytes,
                                     PathState &S, bool Observe) {
  if (Observe) {
    // What the checks see of the helper: a write of that end, named by
    // the argument, or given directly (a place below a pointer or `this`).
    static const ApiFunction HelperWrite{ApiRole::Write, -1};
    CallSite Site{CE, &HelperWrite, Subject};
    Site.ViaHelper = true;
    Site.WriteBytes = Bytes;
    if (!Subject)
      Site.SubjectEnd = int(E);
    R.Calls.push_back({Site, S});
  }
  noteWrite(S, E, CE,
            Bytes < uint64_t(INT64_MAX) ? AbsVal::constant(int64_t(Bytes))
                                        : AbsVal::unknown());
  if (Bytes >= uint64_t(INT64_MAX))
    noteUnknownWriteInLoop(S, E, CE);
}

const FunctionSummary *FlowEngineImpl::summaryOfCall(const CallExpr *CE) {
  // Free functions, static and non-virtual member functions, and lambdas
  // called as helpers; another overloaded operator still hands off.
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee)
    return nullptr;
  if (isa<CXXOperatorCallExpr>(CE)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
    if (!MD || (!MD->getParent()->isLambda() && !isAssignmentCall(CE)))
      return nullptr;
  }
  // A function of this file given for a function-pointer parameter
  // (`job_start(&j, export_rows)`): the summary for that call.
  return functionSummaries(Summaries, Ctx, Budget)
      .get(Callee, callbacksOf(CE, Callee));
}

const Expr *FlowEngineImpl::argumentFor(const CallExpr *CE, unsigned Param) {
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    if (Param == SummarySlot::ThisParam)
      return MCE->getImplicitObjectArgument();
    return Param < CE->getNumArgs() ? CE->getArg(Param) : nullptr;
  }
  if (isa<CXXOperatorCallExpr>(CE)) {
    // `pump(a, b)`: argument 0 is the lambda itself.
    if (Param == SummarySlot::ThisParam)
      return CE->getNumArgs() ? CE->getArg(0) : nullptr;
    return Param + 1 < CE->getNumArgs() ? CE->getArg(Param + 1) : nullptr;
  }
  if (Param == SummarySlot::ThisParam)
    return nullptr;
  return Param < CE->getNumArgs() ? CE->getArg(Param) : nullptr;
}

std::optional<LocKey> FlowEngineImpl::argumentPlace(const CallExpr *CE,
                                                    unsigned Param,
                                                    const PathState &S,
                                                    bool EvenEscaped) const {
  const Expr *A = argumentFor(CE, Param);
  if (!A)
    return std::nullopt;
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  bool ByReference = false;
  if (Param == SummarySlot::ThisParam) {
    ByReference = !A->getType()->isPointerType(); // `obj.f()`, not `p->f()`
    // `o->f()` of a std::optional: the value, in the optional's place.
    if (const Expr *Opt = optionalAccessObject(A)) {
      A = Opt;
      ByReference = true;
    }
  } else if (Callee && Param < Callee->getNumParams())
    ByReference = Callee->getParamDecl(Param)->getType()->isReferenceType();
  std::optional<LocKey> L;
  if (ByReference && !A->getType()->isArrayType()) {
    // An lvalue bound to a reference: that place itself (`std::move(t)`
    // names t).
    if (const auto *Move = dyn_cast<CallExpr>(A->IgnoreParenImpCasts());
        Move && Move->getNumArgs() == 1 &&
        isValuePassThrough(Move->getDirectCallee()))
      A = Move->getArg(0);
    if (auto LV = lvalueOf(A, S); LV && !LV->AnyIndex)
      L = LV->L;
  } else {
    AbsVal V = eval(A, S);
    if (V.K == AbsVal::Addr)
      L = V.loc();
  }
  if (!L || !isTrackableBase(L->Base) || (!EvenEscaped && isEscaped(S, L->Base)))
    return std::nullopt;
  return L;
}

void FlowEngineImpl::applyTaskJoins(const CallExpr *CE,
                                    const FunctionSummary &FS, PathState &S,
                                    bool Observe) {
  // `finish_job(&job)`: the helper joins the thread whose handle is in
  // `job.tid` on every path, as if `pthread_join(job.tid, 0)` were here.
  // A place whose address was given away still names its task: the
  // thread given `&job` does not join itself.
  if (R.Tasks.empty())
    return;
  for (const SummarySlot &Sl : FS.Joins) {
    llvm::SmallVector<TaskId, 2> Named;
    if (Sl.K == SummarySlot::Value) {
      if (const Expr *A = argumentFor(CE, Sl.Param))
        Named = tasksNamedBy(A, S);
    } else if (Sl.K == SummarySlot::Pointee) {
      std::optional<LocKey> L = argumentPlace(CE, Sl.Param, S, true);
      if (L)
        L = descend(*L, Sl.Sel);
      if (!L)
        continue;
      for (const auto &P : TaskPlace)
        if (P.second == *L && !llvm::is_contained(Named, P.first))
          Named.push_back(P.first);
      // `wait_for(&pid)`, `join_it(&tid)`: a plain handle variable.
      if (L->Sel == 0)
        if (auto It = TasksOfHandle.find(L->Base); It != TasksOfHandle.end())
          for (TaskId T : It->second)
            if (!llvm::is_contained(Named, T))
              Named.push_back(T);
    }
    // What the helper closed before it joins, closed when the join is
    // seen (the order inside the helper: close, then join, is no hang).
    PathState AtJoin = S;
    if (Observe && !Named.empty())
      for (const SummarySlot &C : FS.ClosedBeforeJoins) {
        std::optional<EndId> E;
        if (C.K == SummarySlot::Value) {
          if (const Expr *A = argumentFor(CE, C.Param))
            E = endIn(A, S);
        } else if (C.K == SummarySlot::Pointee) {
          std::optional<LocKey> L = argumentPlace(CE, C.Param, S, true);
          if (L)
            L = descend(*L, C.Sel);
          if (L)
            if (AbsVal V = S.load(*L); V.K == AbsVal::End)
              E = V.E;
        }
        if (E && (AtJoin.status(*E) & Open))
          AtJoin.ref(*E)->Status = Closed;
      }
    // What the helper does with the places it does not keep and does not
    // close (it reads them through a copy, `struct pollfd pfd[] = {{p->rd,
    // ...}}`, or passes them on) may come before its join: at the join
    // their ends are not known to be open and unread.
    if (Observe && !Named.empty())
      markUnknownAtJoin(CE, FS, S, AtJoin);
    for (TaskId T : Named) {
      if (Observe)
        joinTask(T, CE, AtJoin, true);
      joinTask(T, CE, S, false);
    }
  }
}

void FlowEngineImpl::markUnknownAtJoin(const CallExpr *CE,
                                       const FunctionSummary &FS,
                                       const PathState &S, PathState &AtJoin) {
  // A place the helper closes on every exit, after its joins (it is not
  // among ClosedBeforeJoins): open at the join, as the caller has it.
  // The end is asked by what the helper's place holds, not by where the
  // end was first stored: `gen.rfd = fds[0]` holds the end `fds[0]` names.
  //
  // Nor is a place it reads to end-of-file after its join
  // (DrainsAfterJoins): on that path the join finds it open and unread, as
  // the caller has it, whatever it does with it on other paths (`if (!buf)
  // return -1;` before the read and the close).
  auto Holds = [&](const SummarySlot &Sl, unsigned Param, LocKey Arg,
                   EndId E) {
    if (Sl.K != SummarySlot::Pointee || Sl.Param != Param)
      return false;
    std::optional<LocKey> P = descend(Arg, Sl.Sel);
    AbsVal V = P ? S.load(*P) : AbsVal::unknown();
    return V.K == AbsVal::End && V.E == E;
  };
  auto OpenAtJoin = [&](unsigned Param, LocKey Arg, EndId E) {
    return llvm::any_of(FS.Closes,
                        [&](const SummarySlot &C) {
                          return Holds(C, Param, Arg, E);
                        }) ||
           llvm::any_of(FS.DrainsAfterJoins,
                        [&](const FunctionSummary::DrainAfterJoin &D) {
                          return Holds(D.Read, Param, Arg, E);
                        });
  };
  auto Mark = [&](unsigned Param, LocKey Arg, LocKey Within) {
    for (EndId E : S.endsWithin(Within)) {
      if (OpenAtJoin(Param, Arg, E))
        continue;
      if (AtJoin.status(E) & Open)
        AtJoin.ref(E)->Flags |= Lost;
    }
  };
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    if (FS.keepsParam(I))
      continue;
    std::optional<LocKey> L = argumentPlace(CE, I, S, true);
    if (!L)
      continue;
    if (!FS.partlyKeepsParam(I)) {
      Mark(I, *L, *L);
      continue;
    }
    for (const SummarySlot &Sl : FS.LostPlaces)
      if (Sl.Param == I)
        if (std::optional<LocKey> P = descend(*L, Sl.Sel))
          Mark(I, *L, *P);
  }
}

/// A call of a helper with a summary: the ends it makes are placed where
/// it puts them (on its success outcome; its failure outcome makes none),
/// the ends it closes on every path are closed, and every other argument
/// is handed off as to an unknown function. False, with \p S untouched,
/// when the summary has nothing to say about this call.
bool FlowEngineImpl::applyFunctionSummary(
    const CallExpr *CE, PathState &S, llvm::SmallVectorImpl<PathState> &Out,
    bool Observe) {
  const FunctionSummary *FS = summaryOfCall(CE);
  const LambdaExpr *Lambda = calledOnlyLambda(CE);
  if (!FS)
    return false;
  // (Undone when the summary turns out to say nothing of this call.)
  std::optional<PathState> BeforeTemporaries;
  VarDecl *Temporary = nullptr;
  if (!FS->Moves.empty() && isAssignmentCall(CE)) {
    BeforeTemporaries = S;
    if (!(Temporary = placeTemporaryArgument(CE, S)))
      BeforeTemporaries.reset();
  }
  auto NotApplied = [&] {
    if (BeforeTemporaries)
      S = std::move(*BeforeTemporaries);
    return false;
  };
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  // The caller's place a slot names, if the engine follows it.
  auto PlaceOf = [&](const SummarySlot &Sl) -> std::optional<LocKey> {
    if (Sl.K == SummarySlot::Pointee)
      return pointeePlace(CE, Sl, S);
    if (Sl.K == SummarySlot::Captured && Lambda && isTrackableBase(Sl.Var) &&
        !isEscaped(S, Sl.Var))
      return descend(LocKey{Sl.Var, 0}, Sl.Sel);
    return std::nullopt;
  };
  // The caller's end a slot names, here: the argument itself, or what its
  // place holds.
  auto SlotEnd = [&](const SummarySlot &Sl) -> std::optional<EndId> {
    if (Sl.K == SummarySlot::Value) {
      const Expr *A = argumentFor(CE, Sl.Param);
      return A ? endIn(A, S) : std::nullopt;
    }
    return endAt(PlaceOf(Sl), S);
  };
  auto MarkDrained = [&](EndId E) { markRead(S, E, /*ToEof=*/true); };
  // The ends the helper reads to end-of-file before it waits
  // (`drain(fd); close(fd); waitpid(pid, ...)`): the joins see them read.
  for (const SummarySlot &Sl : FS->DrainedBeforeJoins)
    if (auto E = SlotEnd(Sl); E && (S.status(*E) & Open))
      MarkDrained(*E);
  for (const SummarySlot &Sl : FS->ReadBeforeJoins)
    if (auto E = SlotEnd(Sl); E && (S.status(*E) & Open))
      S.ref(*E)->Flags |= ReadFrom;
  // The ends it reads to end-of-file (`read_all(&r)`, `r.read_all()`): for
  // the checks, a read of that end at this call (after any wait the
  // helper does, which is not seen as before it).
  // What the checks see of such a read: a read of the end at this call.
  auto HelperReadSite = [&](EndId E, bool ToEof) {
    static const ApiFunction HelperRead{ApiRole::Read, -1};
    CallSite Site{CE, &HelperRead, nullptr, ToEof};
    Site.ViaHelper = true;
    Site.SubjectEnd = int(E);
    return Site;
  };
  // What the helper wrote to the other end of the same pipe before it
  // reads this one (`flush(&spool)`): at its read, that much is written.
  auto WithWritesBefore = [&](EndId Rd, PathState &At) {
    for (const FunctionSummary::WriteBeforeRead &WR : FS->WritesBeforeReads) {
      std::optional<EndId> Read = SlotEnd(WR.Read), W = SlotEnd(WR.Written);
      // (Two of this function's own caller's places, in a summary: which
      // of them make one pipe is for that caller to tell.)
      bool OnePipe =
          W && (R.Ends[Rd].Peer == int(*W) ||
                (R.Ends[Rd].Kind == EndKind::Parameter &&
                 R.Ends[*W].Kind == EndKind::Parameter));
      if (!Read || *Read != Rd || !OnePipe || At.status(*W) != Open)
        continue;
      bool Unbounded = WR.Bytes == UINT32_MAX;
      noteWrite(At, *W, CE,
                Unbounded ? AbsVal::unknown() : AbsVal::constant(WR.Bytes));
      if (Unbounded) {
        auto ES = At.ref(*W);
        ES.Written = UINT32_MAX;
        ES.LastWrite = CE;
      }
    }
  };
  llvm::SmallVector<EndId, 2> DrainsHere;
  for (const SummarySlot &Sl : FS->Drains)
    if (auto E = SlotEnd(Sl); E && (S.status(*E) & Open)) {
      DrainsHere.push_back(*E);
      if (Observe) {
        CallSite Site = HelperReadSite(*E, /*ToEof=*/true);
        // It reads before it restores a redirected descriptor: the copies
        // are still there when it waits.
        PathState At = S;
        if (FS->DrainsBeforeRedirect && At.FdCopies.empty())
          At.FdCopies = CopiesBeforeCall;
        // What it closes on every path is taken as closed before it reads
        // (the summary has no order; only the helper could hang on it).
        for (const SummarySlot &C : FS->Closes)
          if (auto Shut = SlotEnd(C);
              Shut && *Shut != *E && (At.status(*Shut) & Open))
            At.ref(*Shut)->Status = Closed;
        WithWritesBefore(*E, At);
        R.Calls.push_back({Site, At});
      }
    }
  // The ends it reads some of (`read_pgm(fd, &img)`): a read at this call.
  for (const SummarySlot &Sl : FS->Reads)
    if (auto E = SlotEnd(Sl); E && (S.status(*E) & Open)) {
      if (Observe) {
        PathState At = S;
        WithWritesBefore(*E, At);
        R.Calls.push_back({HelperReadSite(*E, /*ToEof=*/false), At});
      }
      markRead(S, *E, /*ToEof=*/false);
    }
  // Tasks the helper joins or waits for: before what it does to the
  // places, whatever follows.
  applyTaskJoins(CE, *FS, S, Observe);
  for (EndId E : DrainsHere)
    MarkDrained(E);
  // A member function or lambda: nothing else (transferSummarizedCall())
  // knows what it does with the object or the captures.
  bool MemberOrLambda = isa<CXXMemberCallExpr>(CE) || isa<CXXOperatorCallExpr>(CE);
  if (!Callee)
    return false;
  unsigned N = Callee->getNumParams();

  // Parameters (and the object, ThisParam) the summary accounts for.
  llvm::SmallVector<unsigned, 4> Handled;
  // Where the new ends go (two per pipe); a creator whose places we
  // cannot follow is applied not at all.
  llvm::SmallVector<SummarySlot, 4> NewSlots;
  llvm::SmallVector<std::optional<LocKey>, 4> EndPlace;
  auto It = FirstEndOfCall.find(CE);
  bool Creates = FS->Creator && It != FirstEndOfCall.end();
  VarDecl *Struct = nullptr;
  if (Creates) {
    NewSlots = FS->Creator->allSlots();
    EndPlace.resize(NewSlots.size());
    for (unsigned K = 0; K < NewSlots.size(); ++K) {
      const SummarySlot &Sl = NewSlots[K];
      if (Sl.K == SummarySlot::Returned ||
          (K == 1 && FS->Creator->WriteCopyFd >= 0))
        continue;
      if (Sl.K == SummarySlot::ReturnedSub) {
        // The struct it returns by value, or the object it returns a
        // pointer to: a place of this analysis stands for it.
        VarDecl *V = objectReturnedBy(CE, Callee);
        Struct = V;
        EndPlace[K] = descend(LocKey{V, 0}, Sl.Sel);
        if (!EndPlace[K])
          return NotApplied();
        continue;
      }
      EndPlace[K] = PlaceOf(Sl);
      if (!EndPlace[K])
        return NotApplied();
      if (Sl.K == SummarySlot::Pointee)
        Handled.push_back(Sl.Param);
    }
  }
  // The caller's ends the helper closes on every path.
  llvm::SmallVector<EndId, 2> Closing;
  for (const SummarySlot &Sl : FS->Closes)
    if (auto E = SlotEnd(Sl))
      Closing.push_back(*E);
  // The object of a member call, or of an assignment operator
  // (`w = Fd(c[1])`).
  const Expr *ObjectArg = nullptr;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
    ObjectArg = MCE->getImplicitObjectArgument();
  else if (isAssignmentCall(CE))
    ObjectArg = argumentFor(CE, SummarySlot::ThisParam);
  // Whether every argument the callee can reach is accounted for: kept,
  // or holding only ends it closes.
  auto ArgumentsKept = [&] {
    for (unsigned I = 0; I < N; ++I) {
      const Expr *A = argumentFor(CE, I);
      if (!A || FS->keepsParam(I) ||
          (FS->partlyKeepsParam(I) && argumentPlace(CE, I, S)))
        continue;
      // A value that neither is nor leads to a descriptor (a `const
      // std::string &`, a `const char *`): nothing of ours to keep.
      if (cannotReachDescriptor(A->getType().getNonReferenceType()))
        continue;
      AbsVal V = eval(A, S);
      // A stdio stream that is none of the pipe streams we follow (`FILE
      // *out` the caller writes a report to): whatever the helper does to
      // it touches no descriptor of ours.
      if (isStdioStreamPointer(A->getType()) && V.K != AbsVal::End)
        continue;
      if (V.K == AbsVal::End || V.K == AbsVal::Addr || A->isGLValue())
        return false;
    }
    // The object, unless nothing in it can hold a descriptor.
    if (const Expr *Obj = ObjectArg;
        Obj && !FS->keepsParam(SummarySlot::ThisParam) &&
        !(FS->partlyKeepsParam(SummarySlot::ThisParam) &&
          argumentPlace(CE, SummarySlot::ThisParam, S))) {
      QualType T = Obj->getType();
      if (T->isPointerType())
        T = T->getPointeeType();
      if (objectMayHoldDescriptor(T))
        return false;
    }
    return true;
  };
  // A helper that joins its caller's tasks, or starts one, or uses the
  // ends it reaches in its caller's struct, or stores a descriptor argument
  // there, and leaves every argument as it was but for that
  // (`finish_job(&job)`, `pid = start_cat(in, out)`, `send_msg(c, ...)`
  // writing `c->fd`, `job_attach(&j, fd)`) keeps them with the caller, as a
  // member function or lambda does.
  // (An end passed by value is left to transferSummarizedCall(), which
  // records what the helper does with it for the checks.)
  // (But a number of this function's own caller, tracked in case it is a
  // descriptor, that the helper keeps as it is: `requeue(q, count)`.)
  auto PassesEnd = [&] {
    llvm::SmallPtrSet<const Expr *, 4> KeptNumbers;
    for (unsigned I = 0; I < N; ++I)
      if (const Expr *A = argumentFor(CE, I); A && FS->keepsParam(I))
        KeptNumbers.insert(A);
    return llvm::any_of(CE->arguments(), [&](const Expr *A) {
      AbsVal V = eval(A, S);
      return V.K == AbsVal::End &&
             !(R.Ends[V.E].Kind == EndKind::Parameter &&
               KeptNumbers.count(A));
    });
  };
  bool UsesCallersPlaces = FS->usesCallersPlaces() && !PassesEnd();
  if (!Creates && Closing.empty() &&
      !((MemberOrLambda || !FS->Joins.empty() || FS->Starts ||
         UsesCallersPlaces || !FS->Stores.empty() || !FS->Moves.empty() ||
         !FS->Drops.empty()) &&
        ArgumentsKept()))
    return NotApplied();
  // The ends that move between the caller's places, read before anything
  // changes them.
  MovedEnds Moved = movedEndsOf(CE, *FS, S);
  for (EndId E : Closing)
    S.ref(E)->Status = Closed;
  // What the helper did to the places it keeps (a write, a read to the
  // end), as if it had happened here.
  for (const FunctionSummary::Kept &K : FS->Keeps) {
    if (!K.Flags)
      continue;
    std::optional<EndId> E = SlotEnd(K.Slot);
    if (!E || !(S.status(*E) & Open))
      continue;
    S.ref(*E)->Flags |= K.Flags;
    // A place below a pointer or the object it writes an amount nobody
    // can bound to (`spool.append(s)` writing `wr_` in a loop): such a
    // write here. (A bounded write, a self-pipe's one byte, is not
    // claimed: its size is not in the summary. An end passed by value:
    // transferSummarizedCall().)
    if ((K.Flags & WrittenTo) && (K.Flags & UnknownWrite) &&
        K.Slot.K == SummarySlot::Pointee)
      noteWriteThrough(CE, *E, S, Observe);
  }
  // An argument is the helper's business once every end it holds is
  // closed; one it keeps stays ours.
  auto HandOffArgument = [&](unsigned I) {
    if (llvm::is_contained(Handled, I) || FS->keepsParam(I))
      return;
    const Expr *A = argumentFor(CE, I);
    if (!A)
      return;
    // The record stays ours; the ends the helper closed or gave away go.
    if (FS->partlyKeepsParam(I) && argumentPlace(CE, I, S)) {
      // (An end it moves to another of our places, or drops, open, is not
      // given to anybody.)
      for (const SummarySlot &Sl : FS->LostPlaces)
        if (Sl.Param == I && !FS->movesOrDrops(Sl))
          if (auto E = SlotEnd(Sl); E && S.status(*E) == Open)
            handOffValue(S, AbsVal::end(*E));
      return;
    }
    AbsVal V = eval(A, S);
    bool AllClosed = false;
    if (V.K == AbsVal::End) {
      AllClosed = S.status(V.E) == Closed;
    } else if (auto L = argumentPlace(CE, I, S); L && FS->Closes.size()) {
      AllClosed = true;
      bool Any = false;
      auto [Lo, Hi] = PathState::keysWithin(*L);
      S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &P) {
        if (P.K == AbsVal::End) {
          Any = true;
          AllClosed &= S.status(P.E) == Closed;
        }
        return true;
      });
      AllClosed &= Any;
    }
    if (!AllClosed)
      handOffExpr(S, A);
  };
  for (unsigned I = 0; I < N; ++I)
    HandOffArgument(I);
  // Arguments beyond the parameters (a variadic function).
  for (unsigned I = N + (isa<CXXOperatorCallExpr>(CE) ? 1 : 0);
       I < CE->getNumArgs(); ++I)
    handOffExpr(S, CE->getArg(I));
  if (ObjectArg)
    HandOffArgument(SummarySlot::ThisParam);
  applyMovesAndDrops(CE, *FS, Moved, Temporary, S, Observe);
  // What it stores in our places (`rd.reset(fds[0])`): the place holds the
  // argument now, which stays ours too. A child's pid stored so
  // (`logger_set_sink(lg, fd, pid)` doing `lg->compressor = pid`) is kept
  // there, as by an assignment of our own (noteHandleCopied()).
  for (const FunctionSummary::Stored &St : FS->Stores)
    if (const Expr *A = St.Param < N ? argumentFor(CE, St.Param) : nullptr)
      if (std::optional<LocKey> L = PlaceOf(St.Place)) {
        setLoc(S, *L, eval(A, S));
        noteHandleCopied(*L, A, S);
      }
  if (Lambda)
    handOffLambdaCaptures(S, Lambda, FS);
  for (EndId E : Closing)
    collect(S, E);
  if (!Creates) {
    Out.push_back(std::move(S));
    return true;
  }
  const CreatorSummary &C = *FS->Creator;
  auto MakeRange = [](int64_t Lo, int64_t Hi) {
    return Lo == Hi ? AbsVal::constant(Lo) : AbsVal::range(Lo, Hi);
  };
  PathState Failed = S;
  if (C.HasFailure) {
    if (C.ReturnsObjectPointer) {
      setTemp(Failed, CE, AbsVal::constant(0)); // NULL, no object
    } else if (C.InReturnedStruct) {
      // The members that would hold the ends hold -1 instead.
      for (const std::optional<LocKey> &P : EndPlace)
        if (P)
          setLoc(Failed, *P, MakeRange(C.FailLo, C.FailHi));
    } else {
      setTemp(Failed, CE, MakeRange(C.FailLo, C.FailHi));
    }
  }
  // On success, what the caller had in the places it replaces is closed.
  for (const SummarySlot &Sl : C.Replaces)
    if (std::optional<LocKey> L = PlaceOf(Sl))
      if (AbsVal V = S.load(*L); V.K == AbsVal::End && (S.status(V.E) & Open))
        S.ref(V.E)->Status = Closed;
  for (unsigned K = 0; K < NewSlots.size(); ++K) {
    EndId E = It->second + K;
    if (K == 1 && C.WriteCopyFd >= 0) {
      // Closed by the helper, which left the caller's standard descriptor
      // a copy of it (FdCopies.cpp): made while the end was open.
      S.ref(E) = {Open, 0};
      makeFdCopy(S, C.WriteCopyFd, E, CE);
      S.ref(E) = {Closed, 0};
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = Callee->getNameAsString() + "()";
      continue;
    }
    S.ref(E) = {Open, K < 2 ? C.Flags : C.MorePipes[K / 2 - 1].Flags};
    if (EndPlace[K]) {
      setLoc(S, *EndPlace[K], AbsVal::end(E));
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = Struct && !C.ReturnsObjectPointer
                             ? Callee->getNameAsString() + "()"
                             : R.locName(*EndPlace[K]);
    } else {
      setTemp(S, CE, AbsVal::end(E));
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = ApiModel::calleeOf(CE)->getNameAsString() + "()";
    }
  }
  if (Struct && C.InReturnedStruct && !C.ReturnsObjectPointer)
    for (const CreatorSummary::MemberValue &M : C.OkMembers)
      if (std::optional<LocKey> L = descend(LocKey{Struct, 0}, M.Sel))
        setLoc(S, *L, AbsVal::constant(M.Value));
  if (Struct && C.ReturnsOptional)
    if (std::optional<LocKey> Engaged = child(LocKey{Struct, 0}, engagedSel())) {
      setLoc(S, *Engaged, AbsVal::constant(1));
      if (C.EmptyOnFailure)
        setLoc(Failed, *Engaged, AbsVal::constant(0));
    }
  if (Struct) {
    setTemp(S, CE, AbsVal::addr(LocKey{Struct, 0}));
    if (!C.ReturnsObjectPointer)
      setTemp(Failed, CE, AbsVal::addr(LocKey{Struct, 0}));
  } else if (!C.ReturnsEnd) {
    setTemp(S, CE, MakeRange(C.OkLo, C.OkHi));
  }
  Out.push_back(std::move(S));
  if (C.HasFailure)
    Out.push_back(std::move(Failed));
  return true;
}

/// The struct a summarised call returns, as a place of this analysis.
std::optional<LocKey> FlowEngineImpl::returnedStruct(const Expr *E,
                                                     const PathState &S) const {
  E = returnedObject(E);
  const auto *CE = dyn_cast_or_null<CallExpr>(E);
  if (!CE || !ReturnedStructs.count(CE))
    return std::nullopt;
  AbsVal V = lookupTemp(S, CE);
  if (V.K != AbsVal::Addr)
    return std::nullopt;
  return V.loc();
}

} // namespace clang::tidy::pipe
