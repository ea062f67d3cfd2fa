//===--- Conditions.cpp - what a branch condition says on a path ----------===//
//
// Step 2 of the engine, for branches: whether a condition is true on a path
// (truth()), what taking a branch tells about the values it tests
// (refineOnBranch()), and conditions remembered so that a second test
// of the same thing goes the same way (condKey(), rememberTruth()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

namespace {
/// The variable whose storage \p BD names, for a binding of a plain array or
/// struct: the decomposition's copy, or the variable a reference binding
/// refers to. Null when there is none to tell.
const VarDecl *bindingStorage(const BindingDecl *BD) {
  const DecompositionDecl *DD = plainDecompositionOf(BD);
  if (!DD)
    return nullptr;
  if (!DD->getType()->isReferenceType())
    return DD;
  return DD->getInit() ? fixedPlaceBase(DD->getInit()) : nullptr;
}
} // namespace

/// The local variables a condition reads (at most two, else none: such a
/// condition is not remembered).
static bool collectCondVars(const Stmt *S, const ValueDecl *(&Vars)[2],
                            unsigned &N) {
  if (!S)
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    // A structured binding reads the variable it names a part of.
    if (const auto *BD = dyn_cast<BindingDecl>(DRE->getDecl()))
      VD = bindingStorage(BD);
    if (VD && VD->hasLocalStorage()) {
      if ((N > 0 && Vars[0] == VD) || (N > 1 && Vars[1] == VD))
        return true;
      if (N == 2)
        return false;
      Vars[N++] = VD;
    }
    return true;
  }
  for (const Stmt *C : S->children())
    if (!collectCondVars(C, Vars, N))
      return false;
  return true;
}

std::optional<FlowEngineImpl::CondKey>
FlowEngineImpl::condKey(const Expr *E) const {
  // A pure function of the expression, asked at every branch for every
  // state: computed once.
  auto [It, New] = CondKeys.try_emplace(E);
  if (New) {
    It->second = computeCondKey(E);
    if (It->second) {
      unsigned N = 0;
      It->second->Remembered =
          collectCondVars(It->second->Tested, It->second->Vars, N);
    }
  }
  return It->second;
}

std::optional<FlowEngineImpl::CondKey>
FlowEngineImpl::computeCondKey(const Expr *E) const {
  bool Negated = false;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      AbsVal RHS = eval(BO->getRHS(), Initial);
      if ((BO->getOpcode() == BO_NE || BO->getOpcode() == BO_EQ) &&
          RHS.isConst() && RHS.Lo == 0) {
        Negated ^= BO->getOpcode() == BO_EQ;
        E = BO->getLHS();
        continue;
      }
      // ~x & BIT is !(x & BIT) for a single bit.
      if (BO->getOpcode() == BO_And && RHS.isConst() && RHS.Lo > 0 &&
          (RHS.Lo & (RHS.Lo - 1)) == 0)
        if (const auto *Not = dyn_cast<UnaryOperator>(
                BO->getLHS()->IgnoreParenImpCasts());
            Not && Not->getOpcode() == UO_Not) {
          llvm::FoldingSetNodeID ID;
          Not->getSubExpr()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
          BO->getRHS()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
          ID.AddInteger(unsigned(BO_And));
          return CondKey{ID.ComputeHash(), !Negated, Not->getSubExpr()};
        }
      if (BO->getOpcode() == BO_And) {
        llvm::FoldingSetNodeID ID;
        BO->getLHS()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
        BO->getRHS()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
        ID.AddInteger(unsigned(BO_And));
        return CondKey{ID.ComputeHash(), Negated, BO->getLHS()};
      }
    }
    break;
  }
  if (E->HasSideEffects(Ctx))
    return std::nullopt; // a call: the next one may answer differently
  llvm::FoldingSetNodeID ID;
  E->Profile(ID, Ctx, true);
  return CondKey{ID.ComputeHash(), Negated, E};
}

int FlowEngineImpl::recalledTruth(const Expr *Cond, const PathState &S) const {
  auto K = condKey(Cond);
  if (!K)
    return -1;
  for (const PathState::CondFact &F : S.Facts)
    if (F.Hash == K->Hash)
      return F.Truth != K->Negated;
  return -1;
}

void FlowEngineImpl::rememberTruth(const Expr *Cond, bool Taken,
                                   PathState &S) const {
  auto K = condKey(Cond);
  if (!K || !K->Remembered)
    return;
  PathState::CondFact F{K->Hash, Taken != K->Negated, {K->Vars[0], K->Vars[1]}};
  for (PathState::CondFact &Old : S.Facts)
    if (Old.Hash == F.Hash) {
      Old = F;
      return;
    }
  if (S.Facts.size() < 16)
    S.Facts.push_back(F);
}

void FlowEngineImpl::forgetFactsAbout(PathState &S, const ValueDecl *VD) {
  if (S.Facts.empty())
    return;
  S.Facts.erase(std::remove_if(S.Facts.begin(), S.Facts.end(),
                               [&](const PathState::CondFact &F) {
                                 return F.Vars[0] == VD || F.Vars[1] == VD;
                               }),
                S.Facts.end());
}

bool FlowEngineImpl::testsSplitResult(const Expr *Cond,
                                         const PathState &S) const {
  llvm::SmallVector<const Stmt *, 8> Stack{Cond};
  while (!Stack.empty()) {
    const Stmt *St = Stack.pop_back_val();
    const auto *E = dyn_cast_or_null<Expr>(St);
    if (!E)
      continue;
    if (isa<DeclRefExpr>(E->IgnoreParenImpCasts()) ||
        isa<CallExpr>(E->IgnoreParenImpCasts())) {
      if (eval(E, S).SplitResult)
        return true;
      continue;
    }
    for (const Stmt *C : E->children())
      Stack.push_back(C);
  }
  return false;
}

void FlowEngineImpl::refineOnBranch(const Expr *Cond, bool Taken,
                                    PathState &S) const {
  // What a branch teaches about the values it tested, so that a later test
  // of the same variable is decided consistently (`if (need_err) pipe(...)`
  // ... `if (need_err) close(...)`), and so that a descriptor parameter is
  // known not to be one where it is negative (`if (fd < 0) return;`).
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot)
      return refineOnBranch(UO->getSubExpr(), !Taken, S);
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if ((BO->getOpcode() == BO_LAnd && Taken) ||
        (BO->getOpcode() == BO_LOr && !Taken)) {
      refineOnBranch(BO->getLHS(), Taken, S);
      refineOnBranch(BO->getRHS(), Taken, S);
      return;
    }
  }

  // The variable a condition operand names, if we track it.
  auto TestedLoc = [&](const Expr *X) -> std::optional<LocKey> {
    X = X->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(X))
      if (A->getOpcode() == BO_Assign)
        X = A->getLHS()->IgnoreParenImpCasts();
    if (!isa<DeclRefExpr>(X) && !isa<MemberExpr>(X) &&
        !isa<ArraySubscriptExpr>(X))
      return std::nullopt;
    if (auto LV = lvalueOf(X, S))
      if (LV->Tracked && !LV->AnyIndex)
        return LV->L;
    return std::nullopt;
  };
  auto Narrow = [&](LocKey L, BinaryOperatorKind Op, int64_t C, bool IsBool) {
    AbsVal Old = S.load(L);
    if (Old.K == AbsVal::End && Old.MaybeNull) {
      // A stream that may be NULL, or a descriptor that may be -1, tested:
      // on one side it is no descriptor, on the other the end itself.
      int64_t Lo = INT64_MIN, Hi = INT64_MAX;
      switch (Op) {
      case BO_EQ: Lo = Hi = C; break;
      case BO_LT: Hi = C > INT64_MIN ? C - 1 : C; break;
      case BO_LE: Hi = C; break;
      case BO_GT: Lo = C < INT64_MAX ? C + 1 : C; break;
      case BO_GE: Lo = C; break;
      case BO_NE: if (C < 0 || C == 0) Lo = C + 1; break;
      default: return;
      }
      AbsVal N = Old;
      if (Hi < LowestPipeFd) {
        N = AbsVal::range(Lo, Hi);
        // On the paths this test selects the place never held the end: it
        // was not created yet, or was closed and reset, or moved. Which of
        // them the join forgot, so the end is no longer reported here.
        if (Old.OrInvalid) {
          S.ref(Old.E)->Flags |= Lost;
          // Its peer, in a place the same join left holding it or -1
          // (`s[1]` next to `s[0]` after `if (pipe(s) < 0) s[0] = s[1] =
          // -1;`): the paths that reset one reset both, as far as the
          // join can tell, so it is not reported either.
          int Peer = R.Ends[Old.E].Peer;
          if (Peer >= 0)
            if (std::optional<LocKey> PL = S.locationOf(EndId(Peer));
                PL && S.load(*PL).OrInvalid)
              S.ref(EndId(Peer))->Flags |= Lost;
        }
      } else if (Lo >= 0) {
        N.MaybeNull = false;
        N.OrInvalid = false;
      } else
        return;
      N.SplitResult = true;
      const_cast<FlowEngineImpl *>(this)->setLoc(S, L, N);
      return;
    }
    if (Old.K == AbsVal::End) {
      // Only a parameter can turn out not to be a descriptor.
      if (R.Ends[Old.E].Kind != EndKind::Parameter)
        return;
      bool Negative = (Op == BO_LT && C <= 0) || (Op == BO_LE && C < 0) ||
                      (Op == BO_EQ && C < 0);
      if (Negative)
        S.ref(Old.E)->Status = NotCreated;
      return;
    }
    if (Old.K != AbsVal::Int && Old.K != AbsVal::Unknown)
      return;
    int64_t Lo = Old.K == AbsVal::Int ? Old.Lo : (IsBool ? 0 : INT64_MIN);
    int64_t Hi = Old.K == AbsVal::Int ? Old.Hi : (IsBool ? 1 : INT64_MAX);
    switch (Op) {
    case BO_EQ: Lo = Hi = C; break;
    case BO_NE:
      if (Lo == C && Lo < INT64_MAX) ++Lo;
      else if (Hi == C && Hi > INT64_MIN) --Hi;
      break;
    case BO_LT: if (C > INT64_MIN) Hi = std::min(Hi, C - 1); break;
    case BO_LE: Hi = std::min(Hi, C); break;
    case BO_GT: if (C < INT64_MAX) Lo = std::max(Lo, C + 1); break;
    case BO_GE: Lo = std::max(Lo, C); break;
    default: return;
    }
    if (Lo > Hi || (Lo == INT64_MIN && Hi == INT64_MAX))
      return;
    AbsVal N = AbsVal::range(Lo, Hi);
    N.SplitResult = Old.SplitResult;
    const_cast<FlowEngineImpl *>(this)->setLoc(S, L, N);
  };

  if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isComparisonOp()) {
    BinaryOperatorKind Op = BO->getOpcode();
    const Expr *X = BO->getLHS(), *K = BO->getRHS();
    AbsVal KV = eval(K, S);
    if (!KV.isConst()) {
      std::swap(X, K);
      KV = eval(K, S);
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    if (!KV.isConst())
      return;
    if (!Taken)
      Op = BinaryOperator::negateComparisonOp(Op);
    if (auto L = TestedLoc(X))
      Narrow(*L, Op, KV.Lo, X->getType()->isBooleanType());
    return;
  }
  // A plain truth test of a variable.
  if (auto L = TestedLoc(Cond))
    Narrow(*L, Taken ? BO_NE : BO_EQ, 0, Cond->getType()->isBooleanType());
}

int FlowEngineImpl::truth(const Expr *Cond, const PathState &S) const {
  AbsVal V = eval(Cond, S);
  switch (V.K) {
  case AbsVal::Int:
    if (V.Lo == 0 && V.Hi == 0)
      return 0;
    if (V.Lo > 0 || V.Hi < 0)
      return 1;
    return -1;
  case AbsVal::End:
    // A descriptor we created is >= 3; a parameter may be any number; a
    // stream from fdopen() may be NULL.
    return R.Ends[V.E].Kind == EndKind::Parameter || V.MaybeNull ? -1 : 1;
  case AbsVal::Addr:
    return 1;
  default:
    return -1;
  }
}

} // namespace clang::tidy::pipe
