//===--- ApplySummaries.cpp - summaries applied at a call -----------------===//
//
// The engine and the summaries (CalleeSummary.h, FunctionSummaries.h):
// a call of a helper that only borrows an end (transferSummarizedCall()),
// a call of a helper that makes or closes pipes for its caller
// (applyFunctionSummary()), the parameters a function summarised for its
// callers starts with (seedSummaryParams()), and a call of a helper that
// copies one descriptor into another (recordHelperCopies()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "summaries/CopySummary.h"

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
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
    handOffExpr(S, MCE->getImplicitObjectArgument());
  for (const auto &B : Borrowed) {
    const ParamSummary *PS = B.PS;
    if (PS->Writes.K != WriteBound::None) {
      // A write of as much as the helper's body writes, in terms of this
      // call's arguments (its parameters count from the first argument
      // after a lambda).
      TaskStart Call(TaskKind::PThread);
      Call.Args.append(CE->arg_begin() + Shift, CE->arg_end());
      uint64_t Bytes = evalBound(PS->Writes, Call, TaskCallable(), S);
      if (Observe) {
        // What the checks see of the helper.
        static const ApiFunction HelperWrite{ApiRole::Write, -1};
        CallSite Site{CE, &HelperWrite, CE->getArg(B.Index)};
        Site.ViaHelper = true;
        Site.WriteBytes = Bytes;
        R.Calls.push_back({Site, S});
      }
      noteWrite(S, B.E, CE,
                Bytes < uint64_t(INT64_MAX) ? AbsVal::constant(int64_t(Bytes))
                                            : AbsVal::unknown());
      if (Bytes >= uint64_t(INT64_MAX))
        noteUnknownWriteInLoop(S, B.E, CE);
    }
    if (!PS->Reads && !PS->ReadsToEof)
      continue;
    if (Observe) {
      // What the checks see of the helper: a read of that end (to its end).
      static const ApiFunction HelperRead{ApiRole::Read, -1};
      CallSite Site{CE, &HelperRead, CE->getArg(B.Index), PS->ReadsToEof};
      Site.ViaHelper = true;
      R.Calls.push_back({Site, S});
    }
    auto ES = S.ref(B.E);
    ES.Flags |= ReadFrom;
    if (PS->ReadsToEof && !(ES.Flags & Nonblock))
      ES.Flags |= Drained;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Function summaries (FunctionSummaries.h)
//===----------------------------------------------------------------------===//

const FunctionSummary *FlowEngineImpl::summaryOfCall(const CallExpr *CE) {
  // Free functions and static members; a member call or a lambda's
  // operator() still hands off.
  if (isa<CXXMemberCallExpr>(CE) || isa<CXXOperatorCallExpr>(CE))
    return nullptr;
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee)
    return nullptr;
  return functionSummaries(Summaries, Ctx, Budget).get(Callee);
}

/// Summary mode: every integer parameter is a descriptor the function may
/// own, and what a pointer parameter points to (`int fds[2]`, `int *rfd`,
/// `struct pair *p`) is a place of the function's own, standing for the
/// caller's, with descriptors in its integer elements and fields.
void FlowEngineImpl::seedSummaryParams() {
  const FunctionDecl *FD = R.FD;
  if (!FD)
    return;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && !MD->isStatic())
    return;
  constexpr size_t MaxSeeded = 32;
  auto IsFdType = [](QualType T) {
    T = T.getCanonicalType();
    return T->isIntegerType() && !T->isBooleanType() &&
           !T->isAnyCharacterType() && !T->isEnumeralType();
  };
  auto AddPlace = [&](LocKey L, unsigned Index, bool ByValue, bool Seed,
                      const ValueDecl *P) {
    if (R.Seeded.size() >= MaxSeeded)
      return;
    R.Seeded.push_back({L, Index, ByValue});
    if (!Seed)
      return;
    EndInfo Info{EndKind::Parameter, nullptr, nullptr, "", -1};
    Info.Param = P;
    Info.Name = R.locName(L);
    R.Ends.push_back(Info);
    EndId E = EndId(R.Ends.size() - 1);
    R.SeedOfEnd[E] = unsigned(R.Seeded.size() - 1);
    Initial.ref(E) = {Open, 0};
    setLoc(Initial, L, AbsVal::end(E));
  };
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    QualType T = P->getType().getCanonicalType();
    if (IsFdType(T)) {
      AddPlace(LocKey{P, 0}, I, /*ByValue=*/true, /*Seed=*/true, P);
      continue;
    }
    if (!T->isPointerType())
      continue; // references, arrays of structs...: not followed
    QualType PT = T->getPointeeType().getCanonicalType();
    bool Ints = IsFdType(PT);
    const RecordDecl *RD = PT->getAsRecordDecl();
    if (RD)
      RD = RD->getDefinition();
    if (!Ints && (!RD || RD->isUnion() || RD->isDependentContext()))
      continue;
    // The pointee: a variable of this analysis only, never part of the
    // AST. Its type is the parameter's, so that its places are spelled
    // `fds[1]`, `p->rd`.
    auto *V = VarDecl::Create(
        Ctx, const_cast<FunctionDecl *>(FD), P->getLocation(),
        P->getLocation(), const_cast<IdentifierInfo *>(P->getIdentifier()),
        P->getType(), nullptr, SC_None);
    CaptureSeeds.insert(V);
    setLoc(Initial, LocKey{P, 0}, AbsVal::addr(LocKey{V, 0}));
    LocKey Base{V, 0};
    if (Ints) {
      // `*rfd`, and `fds[0]`, `fds[1]`.
      bool Declared = P->getOriginalType()->isArrayType();
      AddPlace(Base, I, false, /*Seed=*/!Declared, P);
      for (unsigned K = 0; K < 2; ++K)
        AddPlace(*child(Base, indexSel(K)), I, false, true, P);
      continue;
    }
    for (const FieldDecl *F : RD->fields()) {
      if (F->getFieldIndex() >= 16)
        break;
      LocKey FL = *child(Base, fieldSel(F->getFieldIndex()));
      QualType FT = F->getType().getCanonicalType();
      if (IsFdType(FT)) {
        AddPlace(FL, I, false, true, P);
      } else if (const auto *AT = dyn_cast<ConstantArrayType>(FT.getTypePtr());
                 AT && AT->getSize() == 2 && IsFdType(AT->getElementType())) {
        for (unsigned K = 0; K < 2; ++K)
          AddPlace(*child(FL, indexSel(K)), I, false, true, P);
      }
    }
  }
}

/// A call of a helper with a summary: the ends it makes are placed where
/// it puts them (on its success outcome; its failure outcome makes none),
/// the ends it closes on every path are closed, and every other argument
/// is handed off as to an unknown function. False, with \p S untouched,
/// when the summary has nothing to say about this call.
bool FlowEngineImpl::applyFunctionSummary(
    const CallExpr *CE, PathState &S, llvm::SmallVectorImpl<PathState> &Out) {
  const FunctionSummary *FS = summaryOfCall(CE);
  if (!FS)
    return false;
  unsigned N = CE->getNumArgs();
  // The caller's place a slot names, if the engine follows it.
  auto PlaceOf = [&](const SummarySlot &Sl) -> std::optional<LocKey> {
    if (Sl.K != SummarySlot::Pointee || Sl.Param >= N)
      return std::nullopt;
    AbsVal A = eval(CE->getArg(Sl.Param), S);
    if (A.K != AbsVal::Addr)
      return std::nullopt;
    LocKey L = A.loc();
    if (!isTrackableBase(L.Base) || isEscaped(S, L.Base))
      return std::nullopt;
    for (uint32_t Rest = Sl.Sel; Rest; Rest >>= 16) {
      std::optional<LocKey> C = child(L, uint16_t(Rest & 0xffff));
      if (!C)
        return std::nullopt;
      L = *C;
    }
    return L;
  };

  llvm::SmallVector<bool, 4> Handled(N, false);
  // Where the new ends go; a creator whose places we cannot follow is
  // applied not at all.
  std::optional<LocKey> EndPlace[2];
  auto It = FirstEndOfCall.find(CE);
  bool Creates = FS->Creator && It != FirstEndOfCall.end();
  if (Creates) {
    for (unsigned K = 0; K < 2; ++K) {
      const SummarySlot &Sl = FS->Creator->Ends[K];
      if (Sl.K == SummarySlot::Returned)
        continue;
      EndPlace[K] = PlaceOf(Sl);
      if (!EndPlace[K])
        return false;
      Handled[Sl.Param] = true;
    }
  }
  // The caller's ends the helper closes on every path.
  llvm::SmallVector<EndId, 2> Closing;
  for (const SummarySlot &Sl : FS->Closes) {
    if (Sl.Param >= N)
      continue;
    if (Sl.K == SummarySlot::Value) {
      if (auto E = endIn(CE->getArg(Sl.Param), S))
        Closing.push_back(*E);
    } else if (auto L = PlaceOf(Sl)) {
      AbsVal V = S.load(*L);
      if (V.K == AbsVal::End)
        Closing.push_back(V.E);
    }
  }
  if (!Creates && Closing.empty())
    return false;
  for (EndId E : Closing)
    S.ref(E)->Status = Closed;
  // An argument is the helper's business once every end it holds is closed.
  for (unsigned I = 0; I < N; ++I) {
    if (Handled[I])
      continue;
    const Expr *A = CE->getArg(I);
    AbsVal V = eval(A, S);
    bool AllClosed = false;
    if (V.K == AbsVal::End) {
      AllClosed = S.status(V.E) == Closed;
    } else if (V.K == AbsVal::Addr && FS->Closes.size()) {
      AllClosed = true;
      bool Any = false;
      auto [Lo, Hi] = PathState::keysWithin(V.loc());
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
  }
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
  if (C.HasFailure)
    setTemp(Failed, CE, MakeRange(C.FailLo, C.FailHi));
  for (unsigned K = 0; K < 2; ++K) {
    EndId E = It->second + K;
    S.ref(E) = {Open, C.Flags};
    if (EndPlace[K]) {
      setLoc(S, *EndPlace[K], AbsVal::end(E));
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = R.locName(*EndPlace[K]);
    } else {
      setTemp(S, CE, AbsVal::end(E));
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = ApiModel::calleeOf(CE)->getNameAsString() + "()";
    }
  }
  if (!C.ReturnsEnd)
    setTemp(S, CE, MakeRange(C.OkLo, C.OkHi));
  Out.push_back(std::move(S));
  if (C.HasFailure)
    Out.push_back(std::move(Failed));
  return true;
}

//===----------------------------------------------------------------------===//
// Copy summaries (CopySummary.h)
//===----------------------------------------------------------------------===//

/// A call of a helper that copies one of its descriptors into another
/// (`pump(p[0], p[1])`): one CallSite per copy whose two ends this path
/// knows, with the state before the call, for pipe-self-copy. What the call
/// then does to the ends is the other summaries' business.
void FlowEngineImpl::recordHelperCopies(const CallExpr *CE,
                                        const FunctionDecl *Callee,
                                        const PathState &S) {
  if (!Callee || S.Ends.empty())
    return;
  const CopySummary *CS = copySummaries(Summaries).get(Callee);
  if (!CS)
    return;
  auto EndAt = [&](const SummarySlot &Sl) -> std::optional<EndId> {
    const Expr *Arg = CopySummaries::argForParam(CE, Callee, Sl.Param);
    if (!Arg)
      return std::nullopt;
    if (Sl.K == SummarySlot::Value)
      return endIn(Arg, S);
    AbsVal A = eval(Arg, S);
    if (Sl.K != SummarySlot::Pointee || A.K != AbsVal::Addr)
      return std::nullopt;
    LocKey L = A.loc();
    for (uint32_t Rest = Sl.Sel; Rest; Rest >>= 16) {
      std::optional<LocKey> C = child(L, uint16_t(Rest & 0xffff));
      if (!C)
        return std::nullopt;
      L = *C;
    }
    AbsVal V = S.load(L);
    return V.K == AbsVal::End ? std::optional<EndId>(V.E) : std::nullopt;
  };
  static const ApiFunction HelperCopy{ApiRole::Copy, -1};
  for (const CopyFact &F : CS->Facts) {
    std::optional<EndId> From = EndAt(F.From), To = EndAt(F.To);
    if (!From || !To)
      continue;
    CallSite Site{CE, &HelperCopy};
    Site.ViaHelper = true;
    Site.CopyFrom = int(*From);
    Site.CopyTo = int(*To);
    Site.Copy = &F;
    R.Calls.push_back({Site, S});
  }
}

} // namespace clang::tidy::pipe
