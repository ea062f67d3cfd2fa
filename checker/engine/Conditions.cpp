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
  if (!S.ElementStores.empty())
    llvm::erase_if(S.ElementStores, [&](const PathState::ElementStore &E) {
      return E.Index == VD || E.Array.Base == VD;
    });
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

  // `if (t.joinable()) t.join();`: a thread this path started and has not
  // joined, detached or given away is joinable, so the other way it is
  // none of those (a path that joined it already, or never started it).
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Cond);
      MCE && !R.Tasks.empty())
    if (const CXXMethodDecl *MD = MCE->getMethodDecl();
        MD && MD->getIdentifier() && MD->getName() == "joinable" &&
        MCE->getNumArgs() == 0) {
      for (TaskId T : tasksNamedBy(MCE->getImplicitObjectArgument(), S)) {
        uint8_t St = S.taskStatus(T);
        if (!(St & TaskRunning))
          continue;
        if (Taken)
          S.setTask(T, TaskRunning);
        else if (St != TaskRunning)
          S.setTask(T, uint8_t(St & ~TaskRunning));
        else
          S.setTask(T, TaskJoined); // (a path that cannot come here)
      }
      return;
    }

  // The variable a condition operand names, if we track it.
  auto TestedLoc = [&](const Expr *X) -> std::optional<LocKey> {
    X = X->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(X))
      if (A->getOpcode() == BO_Assign)
        X = A->getLHS()->IgnoreParenImpCasts();
    // (`*fd` of an `int *fd` too: `if (*fd >= 0) close(*fd);`.)
    const auto *Deref = dyn_cast<UnaryOperator>(X);
    if (!isa<DeclRefExpr>(X) && !isa<MemberExpr>(X) &&
        !isa<ArraySubscriptExpr>(X) &&
        !(Deref && Deref->getOpcode() == UO_Deref))
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
    if (Old.K == AbsVal::Addr && Old.MaybeNull && C == 0 &&
        (Op == BO_EQ || Op == BO_NE)) {
      // A pointer parameter tested against NULL: NULL on one side, its
      // place on the other, so that a second test agrees with the first.
      AbsVal N = Old;
      N.MaybeNull = false;
      const_cast<FlowEngineImpl *>(this)->setLoc(
          S, L, Op == BO_EQ ? AbsVal::constant(0) : N);
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
  // A test of a member through a method (`c.ok()` with `return pid_ >
  // 0;`): as the comparison in its body.
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Cond))
    if (std::optional<MemberTest> T = memberTest(MCE, S)) {
      Narrow(T->Place,
             Taken ? T->Op : BinaryOperator::negateComparisonOp(T->Op), T->C,
             false);
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
    // The address of a place of ours; a pointer parameter's may be NULL.
    return V.MaybeNull ? -1 : 1;
  default:
    return -1;
  }
}

/// The condition an edge of a block decides, and its value (\p Value in,
/// \p WholeValue out). A block that ends in an operator of && or || (its
/// \p Term) tests its left side: the edge that short-circuits the operator
/// decides it, and so each enclosing operator it settles, up to the whole
/// chain; the other edge goes on to the next operand and decides nothing
/// (null). A block that ends in the `if` or loop tests the last operand,
/// whose value is the whole condition's (\p Cond).
const Expr *FlowEngineImpl::decidedCondition(const Stmt *Term, const Expr *Cond,
                                             const Expr *Operand, bool Value,
                                             bool &WholeValue) {
  WholeValue = Value;
  const auto *L = dyn_cast_or_null<BinaryOperator>(Term);
  if (!L || !L->isLogicalOp()) {
    const Expr *Whole = Cond ? Cond->IgnoreParens() : Operand;
    const auto *BO = dyn_cast<BinaryOperator>(Whole);
    return BO && BO->isLogicalOp() ? Whole : Operand;
  }
  // The left side of L went this way: L is decided only if that
  // short-circuits it.
  if (Value != (L->getOpcode() == BO_LOr))
    return nullptr;
  // Up the chain of && and || to the operator this edge settles. Every
  // operator passed on the way settles the same one, so the answer is
  // remembered for each: the blocks of a chain of n operands walk it once
  // in all, not n times (`a && b && ... && z` is n blocks).
  llvm::SmallVector<const Expr *, 8> Passed;
  const Expr *Cur = L;
  const Expr *Answer = nullptr;
  while (true) {
    if (auto It = DecidedAbove[WholeValue].find(Cur);
        It != DecidedAbove[WholeValue].end()) {
      Answer = It->second;
      break;
    }
    Passed.push_back(Cur);
    // The parent map of this function's body, not the whole TU's.
    const Expr *P = dyn_cast_or_null<Expr>(R.parentOf(Cur));
    while (P && isa<ParenExpr>(P)) {
      Cur = P;
      P = dyn_cast_or_null<Expr>(R.parentOf(P));
    }
    const auto *PB = dyn_cast_or_null<BinaryOperator>(P);
    if (!PB || !PB->isLogicalOp()) {
      Answer = Cur->IgnoreParens();
      break;
    }
    // Cur is PB's right side: PB has its value. Its left side: PB is
    // decided only when that short-circuits it.
    if (PB->getLHS()->IgnoreParens() == Cur->IgnoreParens() &&
        WholeValue != (PB->getOpcode() == BO_LOr)) {
      Answer = nullptr;
      break;
    }
    Cur = PB;
  }
  for (const Expr *E : Passed)
    DecidedAbove[WholeValue][E] = Answer;
  return Answer;
}

/// && and || evaluated for their value (`ok = a && b;`, `if (!(a && b))`):
/// the CFG gives each operand a block of its own and evaluates the operator
/// as an element of a further block, which every operand's block reaches.
/// The operands' values would be lost on the way (the result of a call is
/// kept only within its block), and with them the tie between the value
/// and what the operands did (`(pid = fork()) != -1` is false only where
/// fork() failed). So each edge into that block records the truth of the
/// operand it leaves as a fact of that very expression, which eval() of the
/// operator reads (occurrenceTruth()), and the facts are dropped on leaving
/// the operator's block. Facts of the same occurrence from two paths that
/// are joined survive only where they agree (intersectFacts()).
unsigned FlowEngineImpl::valueOperatorBlock(const Expr *Outer) {
  if (!ValueOperatorsScanned) {
    ValueOperatorsScanned = true;
    for (const CFGBlock *B : *Graph)
      for (const CFGElement &El : *B)
        if (auto CS = El.getAs<CFGStmt>())
          if (const auto *BO = dyn_cast<BinaryOperator>(CS->getStmt());
              BO && BO->isLogicalOp())
            ValueOperators[BO] = B->getBlockID();
  }
  auto It = ValueOperators.find(Outer);
  return It == ValueOperators.end() ? ~0u : It->second;
}

/// The outermost operator of the && / || chain \p Operand belongs to (its
/// parent operators, past parentheses), or null when \p Operand is no
/// operand of one.
const Expr *FlowEngineImpl::outermostLogical(const Expr *Operand) {
  const Expr *Outer = nullptr;
  const Expr *Cur = Operand;
  while (true) {
    const Expr *P = dyn_cast_or_null<Expr>(R.parentOf(Cur));
    while (P && (isa<ParenExpr>(P) || isa<ImplicitCastExpr>(P)))
      P = dyn_cast_or_null<Expr>(R.parentOf(P));
    const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
    if (!BO || !BO->isLogicalOp())
      return Outer;
    Outer = Cur = BO;
  }
}

static unsigned occurrenceHash(const Expr *E) {
  return unsigned(llvm::hash_combine(E->IgnoreParenImpCasts(), 0x4f7065u));
}

void FlowEngineImpl::rememberOperandTruth(const Expr *Operand, int Truth,
                                          PathState &S) {
  const Expr *Outer = outermostLogical(Operand);
  if (!Outer || valueOperatorBlock(Outer) == ~0u)
    return; // a condition: its edges decide the branch themselves
  unsigned H = occurrenceHash(Operand);
  auto It = llvm::find_if(S.Facts, [&](const PathState::CondFact &F) {
    return F.Hash == H && F.Operator == Outer;
  });
  if (Truth < 0) {
    if (It != S.Facts.end())
      S.Facts.erase(It);
    return;
  }
  PathState::CondFact F{H, Truth == 1, {nullptr, nullptr}, Outer};
  if (It != S.Facts.end())
    *It = F;
  else if (S.Facts.size() < 16)
    S.Facts.push_back(F);
}

int FlowEngineImpl::occurrenceTruth(const Expr *E, const PathState &S) const {
  if (S.Facts.empty())
    return -1;
  unsigned H = occurrenceHash(E);
  for (const PathState::CondFact &F : S.Facts)
    if (F.Operator && F.Hash == H)
      return F.Truth;
  return -1;
}

void FlowEngineImpl::recordOperandEdge(const CFGBlock *From, const Stmt *Term,
                                       bool Value, PathState &S) {
  if (const auto *L = dyn_cast_or_null<BinaryOperator>(Term);
      L && L->isLogicalOp()) {
    rememberOperandTruth(L->getLHS(), Value, S);
    return;
  }
  if (Term)
    return;
  // A block without a terminator that ends in an operator's right side
  // flows on to the operator.
  for (auto It = From->rbegin(); It != From->rend(); ++It)
    if (auto CS = It->getAs<CFGStmt>()) {
      const auto *E = dyn_cast<Expr>(CS->getStmt());
      if (E && outermostLogical(E))
        rememberOperandTruth(E, truth(E, S), S);
      return;
    }
}

void FlowEngineImpl::dropOperandFacts(const CFGBlock *From, PathState &S) {
  if (S.Facts.empty())
    return;
  unsigned Id = From->getBlockID();
  S.Facts.erase(std::remove_if(S.Facts.begin(), S.Facts.end(),
                               [&](const PathState::CondFact &F) {
                                 return F.Operator &&
                                        valueOperatorBlock(F.Operator) == Id;
                               }),
                S.Facts.end());
}

} // namespace clang::tidy::pipe
