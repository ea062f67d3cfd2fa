//===--- RoutineEnds.cpp - descriptors a thread routine is given by value -===//
//
// The engine and TaskModel.h, continued from Tasks.cpp: a descriptor copied
// into a thread or async task (`std::thread t(produce, wr, 10)`,
// `std::async(std::launch::async, produce, wr)`, a lambda that captures it
// by copy, `[wr] { ... }` or `[w = fds[1]] { ... }`) is the same open file
// in the same process: the routine's copy of the number is the only thing
// the start gives away. What the routine does with it is read from its
// body, as for an ordinary call of a helper:
//
//  - it only uses the descriptor (reads, writes, polls, fcntl()s it, or
//    passes it to helpers that do: ParamSummary::Borrowed): nobody but the
//    caller can close it, so the end stays the caller's, open, and the
//    caller's checks judge it (a read to end-of-file while it is open
//    hangs; a return without closing it leaks);
//  - it closes it on every path (a function's FunctionSummary::Closes): the
//    end is closed at the start, as if the routine had run; the close
//    happens some time before the join, which is what a reader of the
//    other end waits for;
//  - it closes it at its end but returns earlier without closing it
//    (FunctionSummary::PartlyCloses: `if (bad_row) return NULL;` before
//    `close(wr); return NULL;`): closed at the start, as its end closes
//    it, and each early return is reported by pipe-unclosed-write-end as a
//    leak of the end the thread was given (closeAtRoutineEnd(); the same
//    for a struct's place given through a pointer, RoutineArgs.cpp);
//  - anything else (closes on some other paths only, stores it, a function whose
//    body is not in the translation unit, a function pointer variable):
//    handed off, as before.
//
// Summary mode keeps the hand-off: a helper whose thread still uses the
// descriptor after the helper returns does not leave it as it was.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

namespace clang::tidy::pipe {

bool FlowEngineImpl::keepRoutineEnd(TaskId T, const Expr *Arg, PathState &S) {
  if (SummaryMode || !Arg)
    return false;
  const TaskCode &Code = TaskCodes[T];
  if (!Code.Start || Code.Callable.Lambda || !Code.Callable.Fn ||
      Code.Helper)
    return false;
  const FunctionDecl *Fn = FunctionSummaries::summarisable(Code.Callable.Fn);
  if (!Fn)
    return false;
  const Expr *Stripped = stripTemporary(Arg)->IgnoreParenImpCasts();
  int Index = -1;
  for (unsigned I = 0; I < Code.Start->Args.size(); ++I)
    if (stripTemporary(Code.Start->Args[I])->IgnoreParenImpCasts() ==
        Stripped)
      Index = int(I);
  int Param = Index - Code.Callable.ParamBase;
  if (Index < 0 || Param < 0 || unsigned(Param) >= Fn->getNumParams())
    return false;
  // By value: a reference parameter (std::ref) is the caller's variable.
  if (!Fn->getParamDecl(unsigned(Param))->getType()->isIntegerType())
    return false;
  std::optional<EndId> E = endIn(Arg, S);
  if (!E || !(S.get(*E).Status & Open))
    return false;
  SummarySlot Slot;
  Slot.K = SummarySlot::Value;
  Slot.Param = unsigned(Param);
  if (const FunctionSummary *FS =
          functionSummaries(Summaries, Ctx, Budget).get(Fn)) {
    if (FS->closes(Slot)) {
      closeEnd(S, *E);
      return true;
    }
    if (closeAtRoutineEnd(T, *E, *FS, Slot, S))
      return true;
  }
  const ParamSummary *PS = Summaries.paramSummary(Fn, unsigned(Param));
  if (!PS || !PS->Borrowed)
    return false;
  S.ref(*E)->Flags |= UsedByTask;
  return true;
}

bool FlowEngineImpl::closeAtRoutineEnd(TaskId T, EndId E,
                                       const FunctionSummary &FS,
                                       const SummarySlot &Slot, PathState &S) {
  const FunctionSummary::PartClose *PC = FS.partlyCloses(Slot);
  const EndInfo &Info = R.Ends[E];
  if (SummaryMode || !PC || !Info.isWriteSide() ||
      S.get(E).Status != Open || !TaskCodes[T].Callable.Fn)
    return false;
  bool ReadEndOpen =
      Info.Peer >= 0 && (S.get(EndId(Info.Peer)).Status & Open);
  auto Same = [&](const FunctionAnalysis::RoutineOpenEnd &O) {
    return O.Task == T && O.End == E;
  };
  auto It = llvm::find_if(R.RoutineOpenEnds, Same);
  if (It == R.RoutineOpenEnds.end())
    R.RoutineOpenEnds.push_back(
        {T, E, TaskCodes[T].Callable.Fn, PC, ReadEndOpen, R.nameOf(E, &S)});
  else
    It->ReadEndOpen |= ReadEndOpen;
  closeEnd(S, E);
  return true;
}

bool FlowEngineImpl::keepUsedEnd(EndId E, bool KeptOpen, PathState &S) {
  // (RoutineArgs.cpp: the routine left the place holding E open on every
  // exit, and used it.)
  if (SummaryMode || !KeptOpen || !R.Ends[E].isWriteSide() ||
      !(S.get(E).Status & Open))
    return false;
  S.ref(E)->Flags |= UsedByTask;
  return true;
}

bool FlowEngineImpl::keepRoutineCapture(const LambdaExpr *LE,
                                        const ValueDecl *VD, PathState &S) {
  if (SummaryMode || !TaskOfLambda.count(LE) || !VD)
    return false;
  const auto *Var = dyn_cast<VarDecl>(VD);
  if (!Var || !Var->getType()->isIntegerType())
    return false;
  std::optional<EndId> E;
  if (Var->isInitCapture())
    E = endIn(Var->getInit(), S);
  else if (AbsVal V = S.load(LocKey{Var, 0}); V.K == AbsVal::End)
    E = V.E;
  if (!E || !(S.get(*E).Status & Open))
    return false;
  ParamSummary PS = Summaries.captureSummary(LE, Var);
  if (!PS.Borrowed)
    return false;
  S.ref(*E)->Flags |= UsedByTask;
  return true;
}

bool FlowEngineImpl::keepCapturedPart(
    const LambdaExpr *LE, AbsVal V,
    llvm::function_ref<bool(const Expr *)> IsPart, PathState &S) {
  if (SummaryMode || !TaskOfLambda.count(LE) || V.K != AbsVal::End ||
      !(S.get(V.E).Status & Open))
    return false;
  if (!Summaries.capturedPartBorrowed(LE, IsPart))
    return false;
  S.ref(V.E)->Flags |= UsedByTask;
  return true;
}

void FlowEngineImpl::giveMemberToThread(const LambdaExpr *LE, unsigned Field,
                                        LocKey L, PathState &S) {
  // The lambda's own uses, and those of the methods it calls on `this`
  // (`[this] { produce(); }`): each must only use the member (its member
  // summary: CalleeSummaries::memberSummary()), or the thread may do
  // anything with it.
  bool CallsMethods = false, MethodsUse = false;
  anyStmtIn(LE->getBody(), [&](const Stmt *X) {
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(X);
    const Expr *Obj = MCE ? MCE->getImplicitObjectArgument() : nullptr;
    if (!Obj || !isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
      return false;
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    const CXXRecordDecl *ThisClass =
        Obj->getType()->getPointeeCXXRecordDecl();
    if (MD && (!ThisClass || ThisClass->getCanonicalDecl() !=
                                 MD->getParent()->getCanonicalDecl()))
      MD = nullptr; // a base class's method: its own members
    const FieldDecl *F = nullptr;
    if (MD)
      for (const FieldDecl *G : MD->getParent()->fields())
        if (G->getFieldIndex() == Field)
          F = G;
    if (!MD || !F || MD->isVirtual()) {
      CallsMethods = true;
      return true;
    }
    // A plain descriptor member: what the method does with it.
    if (const ParamSummary *PS = Summaries.memberSummary(MD, F);
        PS && PS->Borrowed) {
      MethodsUse |=
          PS->Reads || PS->ReadsToEof || PS->Writes.K != WriteBound::None;
      return false;
    }
    // Else its summary: it leaves its object's places as they were (only
    // reads and writes them: `produce()` writing `p_[1]`).
    const FunctionSummary *FS =
        functionSummaries(Summaries, Ctx, Budget).get(MD);
    if (FS && FS->keepsParam(SummarySlot::ThisParam) && !FS->Creator &&
        FS->Closes.empty() && FS->Stores.empty() && FS->Moves.empty() &&
        FS->Drops.empty() && FS->LostPlaces.empty() && !FS->Starts &&
        FS->Joins.empty() && FS->PartlyCloses.empty()) {
      MethodsUse = true;
      return false;
    }
    CallsMethods = true;
    return true;
  });
  // `this->F` (Index < 0) or `this->F[Index]`.
  auto IsMember = [Field](const Expr *E, int Index) {
    E = E->IgnoreParens();
    if (Index >= 0) {
      const auto *ASE = dyn_cast<ArraySubscriptExpr>(E);
      const auto *IL = ASE ? dyn_cast<IntegerLiteral>(
                                 ASE->getIdx()->IgnoreParenImpCasts())
                           : nullptr;
      if (!IL || IL->getValue() != uint64_t(Index))
        return false;
      E = ASE->getBase()->IgnoreParenImpCasts();
    }
    const auto *ME = dyn_cast<MemberExpr>(E);
    const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    return FD && FD->getFieldIndex() == Field &&
           isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
  };
  llvm::SmallVector<std::pair<uint64_t, AbsVal>, 4> Held;
  bool HoldsObject = false;
  auto [Lo, Hi] = PathState::keysWithin(L);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &V) {
    if (V.K == AbsVal::End)
      Held.push_back({K, V});
    else if (V.K == AbsVal::Addr)
      HoldsObject = true;
    return true;
  });
  for (auto &[K, V] : Held) {
    LocKey At = PathState::unpackLoc(K);
    int Index = -2; // not followed
    if (At.Sel == L.Sel)
      Index = -1;
    else if (At.Base == L.Base && parentOf(At).Sel == L.Sel &&
             lastSel(At.Sel) != 0 && !isFieldSel(lastSel(At.Sel)))
      Index = int(lastSel(At.Sel)) - 1; // indexSel(I) is 1 + I
    auto IsPart = [&](const Expr *E) { return IsMember(E, Index); };
    if (!CallsMethods && Index >= -1) {
      // An element the lambda never names stays ours as it was.
      bool Named = MethodsUse || anyStmtIn(LE->getBody(), [&](const Stmt *X) {
        return isa<Expr>(X) && IsPart(cast<Expr>(X));
      });
      if (!Named || keepCapturedPart(LE, V, IsPart, S))
        continue;
    }
    handOffValue(S, V);
  }
  // A member holding an allocated object's address: as before, the thread
  // gets the whole member.
  if (HoldsObject)
    handOffEndsWithin(S, L);
}

} // namespace clang::tidy::pipe
