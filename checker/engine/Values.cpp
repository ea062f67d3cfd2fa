//===--- Values.cpp - places and abstract values of expressions -----------===//
//
// Step 2 of the engine: the tracked place an expression names (lvalueOf(),
// bindingPlace()) and its abstract value on one path (eval(), endIn(),
// hasFlagBit()), without side effects. A new kind of expression the engine
// should see through goes in eval().
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

namespace clang::tidy::pipe {

/// Whether two addresses are of the same object: 1, 0, or -1 (cannot
/// tell). Two places with different bases are different objects when both
/// bases are this function's own storage: a local variable, a parameter,
/// or a place standing for what a pointer or reference parameter (or
/// `this`) reaches. The engine already takes the objects its parameters
/// reach to be distinct places, and the callers' objects to be none of its
/// locals, so a test of their identity goes the way those places do: the
/// guard `if (this != &other)` of an assignment operator is taken (a
/// caller's `a = std::move(a)` is the one call the summary then misreads).
/// A global or static variable may be what a parameter points to: unknown.
/// Two addresses that both may be NULL may both be NULL: unknown.
static int sameObject(const AbsVal &A, const AbsVal &B) {
  LocKey LA = A.loc(), LB = B.loc();
  if (LA == LB)
    return 1;
  if (LA.Base == LB.Base || (A.MaybeNull && B.MaybeNull))
    return -1; // two places of one object: a prefix may share its address
  auto OwnStorage = [](const ValueDecl *Base) {
    const auto *VD = dyn_cast_or_null<VarDecl>(Base);
    return VD && VD->hasLocalStorage();
  };
  return OwnStorage(LA.Base) && OwnStorage(LB.Base) ? 0 : -1;
}

namespace detail {
/// The decomposition \p BD belongs to when its binding names a part of it
/// (`e[1]`, `e.w`): a structured binding of a plain array or of a struct.
/// A tuple-like one (std::array, pair, tuple) has a holding variable
/// instead, initialised with get<I>(e) (see compat::holdingVarsMissingFromCFG).
const DecompositionDecl *plainDecompositionOf(const BindingDecl *BD) {
  if (!BD || !BD->getBinding() || BD->getHoldingVar())
    return nullptr;
  return dyn_cast_or_null<DecompositionDecl>(BD->getDecomposedDecl());
}

/// The local variable of which \p E names a place that is the same whatever
/// the state: the variable itself (not a reference), or constant indices
/// and fields below it; null for any other expression. The place a
/// reference binding (`auto &[r, w] = fds;`) refers to, fixed when it is
/// bound.
const VarDecl *fixedPlaceBase(const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
    return ICE->getCastKind() == CK_NoOp ||
                   ICE->getCastKind() == CK_LValueBitCast
               ? fixedPlaceBase(ICE->getSubExpr())
               : nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType()
               ? VD
               : nullptr;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return !ME->isArrow() && isa<FieldDecl>(ME->getMemberDecl())
               ? fixedPlaceBase(ME->getBase())
               : nullptr;
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    const auto *Decay = dyn_cast<ImplicitCastExpr>(ASE->getBase()->IgnoreParens());
    return Decay && Decay->getCastKind() == CK_ArrayToPointerDecay &&
                   isa<IntegerLiteral>(ASE->getIdx()->IgnoreParenImpCasts())
               ? fixedPlaceBase(Decay->getSubExpr())
               : nullptr;
  }
  return nullptr;
}

bool isStdArrayType(QualType T) {
  const auto *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != "array")
    return false;
  return RD->getDeclContext()->getRedeclContext()->isStdNamespace();
}

std::optional<std::pair<const Expr *, uint64_t>>
literalSubscript(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  const Expr *Base = nullptr, *Index = nullptr;
  if (const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(E)) {
    Base = ASE->getBase();
    Index = ASE->getIdx();
  } else if (const auto *OCE = dyn_cast_or_null<CXXOperatorCallExpr>(E);
             OCE && OCE->getOperator() == OO_Subscript &&
             OCE->getNumArgs() == 2 &&
             isStdArrayType(OCE->getArg(0)->getType())) {
    Base = OCE->getArg(0);
    Index = OCE->getArg(1);
  }
  const auto *Lit =
      Index ? dyn_cast<IntegerLiteral>(Index->IgnoreParenImpCasts()) : nullptr;
  if (!Lit)
    return std::nullopt;
  return std::make_pair(Base->IgnoreParenImpCasts(),
                        Lit->getValue().getLimitedValue());
}

/// std::move / std::forward / std::ref: the value passes through.
bool isValuePassThrough(const FunctionDecl *FD) {
  if (!isNamedStdFunction(FD))
    return false;
  llvm::StringRef N = FD->getName();
  return N == "move" || N == "forward" || N == "ref" || N == "cref" ||
         N == "as_const";
}
} // namespace detail

namespace {
/// `errno`: glibc's and musl's `(*__errno_location())`, the BSDs' and
/// macOS's `(*__error())`, Solaris's `(*___errno())`.
bool isErrno(const Expr *E) {
  const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParens());
  if (!UO || UO->getOpcode() != UO_Deref)
    return false;
  const auto *CE = dyn_cast<CallExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 0)
    return false;
  llvm::StringRef N = FD->getName();
  return N == "__errno_location" || N == "__error" || N == "___errno";
}

/// __builtin_expect(v, c) (the `likely()`/`unlikely()` of many code
/// bases) and __builtin_expect_with_probability: the value is v.
bool isBuiltinExpect(const CallExpr *CE) {
  unsigned ID = CE->getBuiltinCallee();
  return ID == Builtin::BI__builtin_expect ||
         ID == Builtin::BI__builtin_expect_with_probability;
}

/// 1 = true, 0 = false, -1 = unknown.
int compareIntervals(BinaryOperatorKind Op, ValueRange A, ValueRange B) {
  switch (Op) {
  case BO_LT:
    if (A.Hi < B.Lo) return 1;
    if (A.Lo >= B.Hi) return 0;
    return -1;
  case BO_LE:
    if (A.Hi <= B.Lo) return 1;
    if (A.Lo > B.Hi) return 0;
    return -1;
  case BO_GT:
    return compareIntervals(BO_LT, B, A);
  case BO_GE:
    return compareIntervals(BO_LE, B, A);
  case BO_EQ:
    if (A.Lo == A.Hi && B.Lo == B.Hi && A.Lo == B.Lo) return 1;
    if (A.Hi < B.Lo || B.Hi < A.Lo) return 0;
    return -1;
  case BO_NE: {
    int R = compareIntervals(BO_EQ, A, B);
    return R < 0 ? -1 : !R;
  }
  default:
    return -1;
  }
}
} // namespace

AbsVal FlowEngineImpl::lookupTemp(const PathState &S, const Expr *E) {
  for (const auto &T : S.Temps)
    if (T.first == E)
      return T.second;
  return AbsVal::unknown();
}

std::optional<AbsVal> FlowEngineImpl::valueAt(const Lvalue &LV,
                                              const PathState &S) {
  if (LV.Tracked)
    return S.load(LV.L);
  return S.freshStore(LV.L);
}

/// The local variable that indexes \p E, an element of an array
/// (`pids[i]`), if any.
static const VarDecl *elementIndexVar(const Expr *E) {
  const auto *ASE = dyn_cast<ArraySubscriptExpr>(E->IgnoreParenImpCasts());
  return ASE ? localVarOf(ASE->getIdx()) : nullptr;
}

std::optional<AbsVal> FlowEngineImpl::elementStored(const Expr *E,
                                                    const Lvalue &LV,
                                                    const PathState &S) {
  const VarDecl *Index = S.ElementStores.empty() ? nullptr
                                                 : elementIndexVar(E);
  if (Index)
    for (const PathState::ElementStore &ES : S.ElementStores)
      if (ES.Array == LV.L && ES.Index == Index)
        return ES.V;
  return std::nullopt;
}

void FlowEngineImpl::rememberElementStore(PathState &S, const Expr *Lhs,
                                          const Lvalue &LV, const AbsVal &V) {
  const VarDecl *Index = elementIndexVar(Lhs);
  if (!Index)
    return;
  // The array: LV itself when the index is not known, else the place
  // above the element (on a loop's first turns, i is known), so that the
  // turns agree at the join where i is no longer known.
  LocKey Array = LV.L;
  if (!LV.AnyIndex)
    Array = parentOf(Array);
  llvm::erase_if(S.ElementStores, [&](const PathState::ElementStore &ES) {
    return ES.Array == Array;
  });
  if (V.K == AbsVal::Int && S.ElementStores.size() < 4)
    S.ElementStores.push_back({Array, Index, V});
}

std::optional<FlowEngineImpl::Lvalue>
FlowEngineImpl::lvalueOf(const Expr *E, const PathState &S) const {
  E = E->IgnoreParens();
  if (!TemporaryObjects.empty())
    if (auto It = TemporaryObjects.find(E); It != TemporaryObjects.end()) {
      Lvalue LV;
      LV.L = LocKey{It->second, 0};
      LV.Tracked = true;
      return LV;
    }
  if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
    if (ICE->getCastKind() == CK_NoOp || ICE->getCastKind() == CK_LValueBitCast)
      return lvalueOf(ICE->getSubExpr(), S);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *VD = DRE->getDecl();
    if (!RefPlaces.empty())
      if (auto It = RefPlaces.find(VD); It != RefPlaces.end()) {
        // A reference parameter (summary mode): the place it refers to.
        Lvalue LV;
        LV.L = It->second;
        LV.Tracked = !isEscaped(S, LV.L.Base);
        return LV;
      }
    if (const auto *BD = dyn_cast<BindingDecl>(VD))
      return bindingPlace(BD, S);
    if (!isa<VarDecl>(VD))
      return std::nullopt;
    if (const auto *DD = dyn_cast<DecompositionDecl>(VD);
        DD && DD->getType()->isReferenceType()) {
      // Only a binding's expression names it: the place it refers to.
      if (DD->getInit() && fixedPlaceBase(DD->getInit()))
        return lvalueOf(DD->getInit(), S);
      return std::nullopt;
    }
    Lvalue LV;
    LV.L = LocKey{VD, 0};
    LV.Tracked = isTrackableBase(VD) && !isEscaped(S, VD);
    return LV;
  }
  auto Below = [&](std::optional<Lvalue> Outer, uint16_t Sel)
      -> std::optional<Lvalue> {
    if (!Outer || Outer->AnyIndex)
      return Outer;
    std::optional<LocKey> C = child(Outer->L, Sel);
    if (C && S.memberEscaped(*C))
      Outer->Tracked = false;
    if (!C) {
      // Deeper than a location holds (`o.in.fd[1]`, `a[1].b.c`): some place
      // within Outer, as for an unknown index, so that a store there hands
      // the value off and a pipe() there is not followed, rather than
      // leaving ends open that no location names.
      Outer->AnyIndex = true;
      return Outer;
    }
    Outer->L = *C;
    return Outer;
  };
  auto BaseOfPointer = [&](const Expr *Base) -> std::optional<Lvalue> {
    // Base is a pointer: an array that decayed, or a variable holding the
    // address of a tracked location.
    AbsVal V = eval(Base, S);
    if (V.K == AbsVal::Addr) {
      Lvalue LV;
      LV.L = V.loc();
      LV.Tracked = isTrackableBase(LV.L.Base) && !isEscaped(S, LV.L.Base);
      return LV;
    }
    return std::nullopt;
  };
  auto Indexed = [&](std::optional<Lvalue> Outer,
                     const Expr *Idx) -> std::optional<Lvalue> {
    if (!Outer)
      return Outer;
    AbsVal I = eval(Idx, S);
    if (I.isConst() && I.Lo >= 0 && I.Lo < 0x7ffe)
      return Below(Outer, indexSel(unsigned(I.Lo)));
    Outer->AnyIndex = true;
    return Outer;
  };
  // C++: `a = b` is the place a (`p.rd = p.wr = -1`), after the store.
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && BO->isAssignmentOp() && BO->isGLValue())
    return lvalueOf(BO->getLHS(), S);
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return Indexed(BaseOfPointer(ASE->getBase()), ASE->getIdx());
  // `*o`, `o.value()` of a std::optional: its place is the value's.
  if (const Expr *Opt = optionalAccessObject(E))
    return lvalueOf(Opt, S);
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return std::nullopt;
    const Expr *Opt = ME->isArrow() ? optionalAccessObject(ME->getBase())
                                    : nullptr; // `o->wr`
    std::optional<Lvalue> Outer = Opt           ? lvalueOf(Opt, S)
                                  : ME->isArrow() ? BaseOfPointer(ME->getBase())
                                                  : lvalueOf(ME->getBase(), S);
    return Below(Outer, fieldSel(FD->getFieldIndex()));
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return BaseOfPointer(UO->getSubExpr());
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E)) {
    // `*p` of a std::unique_ptr: the object it points to.
    if (OCE->getOperator() == OO_Star && OCE->getNumArgs() == 1 &&
        !smartPointeeType(OCE->getArg(0)->IgnoreParenImpCasts()->getType())
             .isNull()) {
      AbsVal V = heldPointer(OCE->getArg(0), S);
      if (V.K != AbsVal::Addr)
        return std::nullopt;
      Lvalue LV;
      LV.L = V.loc();
      LV.Tracked = isTrackableBase(LV.L.Base) && !isEscaped(S, LV.L.Base);
      return LV;
    }
    if (OCE->getOperator() == OO_Subscript && OCE->getNumArgs() == 2 &&
        isStdArrayType(OCE->getArg(0)->getType()))
      return Indexed(lvalueOf(OCE->getArg(0), S), OCE->getArg(1));
  }
  // `std::get<1>(p)` of a pair, tuple or array: its element 1.
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const Expr *Obj = nullptr;
    if (auto Sel = stdGetElement(Call, Obj))
      return Below(lvalueOf(Obj, S), *Sel);
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    const auto *MD = MCE->getMethodDecl();
    if (MD && MD->getIdentifier() && MD->getName() == "at" &&
        MCE->getNumArgs() == 1 &&
        isStdArrayType(MCE->getImplicitObjectArgument()->getType()))
      return Indexed(lvalueOf(MCE->getImplicitObjectArgument(), S),
                     MCE->getArg(0));
  }
  return std::nullopt;
}

/// The place a structured binding of a plain array or struct names, if the
/// engine follows it: `w` in `auto [r, w] = fds;` is element 1 of the copy
/// of fds, in `auto &[r, w] = fds;` fds[1] itself. Only for a decomposition
/// of this function: a binding captured by a lambda is not followed in it.
/// A tuple-like binding of a pair, tuple or std::array
/// (`auto [r, w] = make_pipe();`) names the element its holding variable
/// refers to (`std::get<1>(e)`: element 1 of the decomposition's own
/// copy).
std::optional<FlowEngineImpl::Lvalue>
FlowEngineImpl::bindingPlace(const BindingDecl *BD, const PathState &S) const {
  if (const VarDecl *HV = BD ? BD->getHoldingVar() : nullptr) {
    const auto *DD = dyn_cast_or_null<DecompositionDecl>(BD->getDecomposedDecl());
    const DeclContext *DC = DD ? DD->getParentFunctionOrMethod() : nullptr;
    const Expr *Obj = nullptr;
    const auto *Get = dyn_cast_or_null<CallExpr>(
        HV->getInit() ? HV->getInit()->IgnoreImplicit() : nullptr);
    if (!DC || Decl::castFromDeclContext(DC) != R.D ||
        DD->getType()->isReferenceType() || !Get || !stdGetElement(Get, Obj))
      return std::nullopt;
    return lvalueOf(Get, S);
  }
  const DecompositionDecl *DD = plainDecompositionOf(BD);
  if (!DD)
    return std::nullopt;
  const DeclContext *DC = DD->getParentFunctionOrMethod();
  if (!DC || Decl::castFromDeclContext(DC) != R.D)
    return std::nullopt;
  return lvalueOf(BD->getBinding(), S);
}

AbsVal FlowEngineImpl::eval(const Expr *E, const PathState &S) const {
  if (!E)
    return AbsVal::unknown();
  E = E->IgnoreParens();
  if (E->isValueDependent() || E->isTypeDependent() || E->containsErrors())
    return AbsVal::unknown();
  if (isa<CXXThisExpr>(E))
    return ThisPlace ? AbsVal::addr(LocKey{ThisPlace, 0}) : AbsVal::unknown();
  // Summary mode: an aggregate a `return` builds in place (Aggregates.cpp).
  if (!ReturnedAggregates.empty())
    if (auto It = ReturnedAggregates.find(E); It != ReturnedAggregates.end())
      return AbsVal::addr(LocKey{It->second, 0});

  // A std::unique_ptr or std::shared_ptr: the pointer it holds.
  if (isa<CXXOperatorCallExpr, CXXMemberCallExpr, CXXConstructExpr, DeclRefExpr,
          MemberExpr, ExprWithCleanups, CXXBindTemporaryExpr,
          MaterializeTemporaryExpr, CallExpr, ImplicitCastExpr>(E))
    if (std::optional<AbsVal> V = smartPointerValue(E, S))
      return *V;

  if (const auto *IL = dyn_cast<IntegerLiteral>(E)) {
    llvm::APInt V = IL->getValue();
    return V.getActiveBits() <= 62 ? AbsVal::constant(int64_t(V.getZExtValue()))
                                   : AbsVal::unknown();
  }
  if (const auto *CL = dyn_cast<CharacterLiteral>(E))
    return AbsVal::constant(CL->getValue());
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return AbsVal::constant(BL->getValue());

  if (const auto *CE = dyn_cast<CastExpr>(E)) {
    switch (CE->getCastKind()) {
    case CK_LValueToRValue: {
      if (auto LV = lvalueOf(CE->getSubExpr(), S)) {
        if (std::optional<AbsVal> V =
                LV->AnyIndex ? elementStored(CE->getSubExpr(), *LV, S)
                             : valueAt(*LV, S))
          return *V;
      }
      // A constant we do not track: `constexpr size_t kChunk = ...;`.
      if (CE->getType()->isIntegralOrEnumerationType())
        if (std::optional<int64_t> C = integerConstant(CE, Ctx))
          return AbsVal::constant(*C);
      return AbsVal::unknown();
    }
    case CK_ArrayToPointerDecay:
      if (auto LV = lvalueOf(CE->getSubExpr(), S))
        if (!LV->AnyIndex)
          return AbsVal::addr(LV->L);
      return AbsVal::unknown();
    case CK_NullToPointer:
      return AbsVal::constant(0);
    default:
      return eval(CE->getSubExpr(), S);
    }
  }

  // `std::intptr_t{fd}`: a braced conversion of one scalar.
  if (const auto *ILE = dyn_cast<InitListExpr>(E);
      ILE && ILE->getNumInits() == 1 && ILE->getType()->isScalarType())
    return eval(ILE->getInit(0), S);

  if (isa<DeclRefExpr>(E) || isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E)) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
        return AbsVal::constant(EC->getInitVal().getSExtValue());
    if (auto LV = lvalueOf(E, S)) {
      if (LV->AnyIndex)
        return AbsVal::unknown();
      QualType T = E->getType();
      if (T->isArrayType() || T->isRecordType())
        return AbsVal::addr(LV->L);
      if (std::optional<AbsVal> V = valueAt(*LV, S))
        return *V;
    }
    return AbsVal::unknown();
  }

  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    AbsVal Sub;
    switch (UO->getOpcode()) {
    case UO_AddrOf:
      if (auto LV = lvalueOf(UO->getSubExpr(), S))
        if (!LV->AnyIndex)
          return AbsVal::addr(LV->L);
      return AbsVal::unknown();
    case UO_Deref:
      if (auto LV = lvalueOf(E, S))
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
      return AbsVal::unknown();
    case UO_Minus:
      // `-errno`, where a call failed (`return -errno;`): errno is then a
      // positive error number. (errno itself is not given a value: code
      // sets it to 0 and tests it.)
      if (const auto *Load = dyn_cast<ImplicitCastExpr>(
              UO->getSubExpr()->IgnoreParens());
          Load && Load->getCastKind() == CK_LValueToRValue &&
          isErrno(Load->getSubExpr()))
        return AbsVal::range(-int64_t(INT32_MAX), -1);
      Sub = eval(UO->getSubExpr(), S);
      if (Sub.isConst() && Sub.Lo > INT64_MIN)
        return AbsVal::constant(-Sub.Lo);
      if (Sub.K == AbsVal::Int && Sub.Lo > INT64_MIN && Sub.Hi > INT64_MIN)
        return AbsVal::range(-Sub.Hi, -Sub.Lo);
      return AbsVal::unknown();
    case UO_Plus:
      return eval(UO->getSubExpr(), S);
    case UO_LNot: {
      int T = truth(UO->getSubExpr(), S);
      return T < 0 ? AbsVal::unknown() : AbsVal::constant(!T);
    }
    case UO_Not:
      Sub = eval(UO->getSubExpr(), S);
      return Sub.isConst() ? AbsVal::constant(~Sub.Lo) : AbsVal::unknown();
    default:
      return AbsVal::unknown();
    }
  }

  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if (Op == BO_Assign || Op == BO_Comma)
      return eval(BO->getRHS(), S);
    if (BO->isComparisonOp()) {
      AbsVal L = eval(BO->getLHS(), S), Rv = eval(BO->getRHS(), S);
      // A place's address (not a parameter that may be NULL) against NULL.
      auto PlaceVsNull = [](const AbsVal &A, const AbsVal &B) {
        return A.K == AbsVal::Addr && !A.MaybeNull && B.isConst() && B.Lo == 0;
      };
      if ((Op == BO_EQ || Op == BO_NE) &&
          (PlaceVsNull(L, Rv) || PlaceVsNull(Rv, L)))
        return AbsVal::constant(Op == BO_NE);
      if ((Op == BO_EQ || Op == BO_NE) && L.K == AbsVal::Addr &&
          Rv.K == AbsVal::Addr)
        if (int Same = sameObject(L, Rv); Same >= 0)
          return AbsVal::constant((Op == BO_EQ) == bool(Same));
      if ((L.K == AbsVal::Unknown || L.K == AbsVal::Addr) ||
          (Rv.K == AbsVal::Unknown || Rv.K == AbsVal::Addr))
        return AbsVal::unknown();
      int T = compareIntervals(Op, intervalOf(L), intervalOf(Rv));
      return T < 0 ? AbsVal::range(0, 1) : AbsVal::constant(T);
    }
    if (Op == BO_LAnd || Op == BO_LOr) {
      if (int W = occurrenceTruth(BO, S); W >= 0)
        return AbsVal::constant(W);
      int A = truth(BO->getLHS(), S);
      if (A < 0)
        A = occurrenceTruth(BO->getLHS(), S);
      if (Op == BO_LAnd && A == 0)
        return AbsVal::constant(0);
      if (Op == BO_LOr && A == 1)
        return AbsVal::constant(1);
      int B = truth(BO->getRHS(), S);
      if (B < 0)
        B = occurrenceTruth(BO->getRHS(), S);
      if (A >= 0 && B >= 0)
        return AbsVal::constant(Op == BO_LAnd ? (A && B) : (A || B));
      if (B == 0 && Op == BO_LAnd)
        return AbsVal::constant(0);
      if (B == 1 && Op == BO_LOr)
        return AbsVal::constant(1);
      return AbsVal::range(0, 1);
    }
    AbsVal L = eval(BO->getLHS(), S), Rv = eval(BO->getRHS(), S);
    if (!L.isConst() || !Rv.isConst())
      return AbsVal::unknown();
    int64_t A = L.Lo, B = Rv.Lo;
    switch (Op) {
    case BO_Add: return AbsVal::constant(A + B);
    case BO_Sub: return AbsVal::constant(A - B);
    case BO_Mul: return AbsVal::constant(A * B);
    case BO_And: return AbsVal::constant(A & B);
    case BO_Or: return AbsVal::constant(A | B);
    case BO_Xor: return AbsVal::constant(A ^ B);
    case BO_Shl: return B >= 0 && B < 62 ? AbsVal::constant(A << B) : AbsVal::unknown();
    case BO_Shr: return B >= 0 && B < 62 ? AbsVal::constant(A >> B) : AbsVal::unknown();
    case BO_Div: return B ? AbsVal::constant(A / B) : AbsVal::unknown();
    case BO_Rem: return B ? AbsVal::constant(A % B) : AbsVal::unknown();
    default: return AbsVal::unknown();
    }
  }

  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    int T = truth(CO->getCond(), S);
    if (T == 1)
      return eval(CO->getTrueExpr(), S);
    if (T == 0)
      return eval(CO->getFalseExpr(), S);
    AbsVal A = eval(CO->getTrueExpr(), S), B = eval(CO->getFalseExpr(), S);
    if (A == B)
      return A;
    if (A.K == AbsVal::Int && B.K == AbsVal::Int)
      return AbsVal::range(std::min(A.Lo, B.Lo), std::max(A.Hi, B.Hi));
    if (AbsVal M = endOrInvalid(A, B); M.K == AbsVal::End)
      return M;
    return AbsVal::unknown();
  }

  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const Expr *GetObj = nullptr;
    if (stdGetElement(Call, GetObj)) {
      if (auto LV = lvalueOf(Call, S))
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
      return AbsVal::unknown();
    }
    if ((isValuePassThrough(Call->getDirectCallee()) ||
         isBuiltinExpect(Call)) &&
        Call->getNumArgs() >= 1)
      return eval(Call->getArg(0), S);
    if (isa<CXXOperatorCallExpr>(Call) || isa<CXXMemberCallExpr>(Call)) {
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
        const auto *MD = MCE->getMethodDecl();
        if (MD && MD->getIdentifier() && MD->getName() == "data" &&
            isStdArrayType(MCE->getImplicitObjectArgument()->getType()))
          if (auto LV = lvalueOf(MCE->getImplicitObjectArgument(), S))
            return AbsVal::addr(LV->L);
      }
      if (auto LV = lvalueOf(Call, S)) {
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
        return AbsVal::unknown();
      }
      // `o.has_value()`, `if (o)`: what a summarised call that returned it
      // said (engagedSel()).
      if (const Expr *Opt = optionalTestObject(Call))
        if (auto LV = lvalueOf(Opt, S); LV && LV->Tracked && !LV->AnyIndex)
          if (std::optional<LocKey> L = child(LV->L, engagedSel()))
            return S.load(*L);
      // A getter of a member (`p.rd()` with `int rd() const { return
      // fds_[0]; }`): what that member of the object holds.
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call);
          MCE && MCE->getNumArgs() == 0)
        if (std::optional<llvm::SmallVector<uint16_t, 2>> Sels =
                getterSels(MCE->getMethodDecl())) {
          // The object's place, as a summary's `*this` finds it.
          std::optional<LocKey> L =
              argumentPlace(MCE, SummarySlot::ThisParam, S);
          for (uint16_t Sel : *Sels)
            if (L)
              L = child(*L, Sel);
          if (L)
            if (AbsVal V = S.load(*L); V.K != AbsVal::Unknown)
              return V;
        }
      // A test of a member (`c.ok()` with `bool ok() const { return pid_ >
      // 0; }`): decided when what the member holds decides it.
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call))
        if (std::optional<MemberTest> T = memberTest(MCE, S)) {
          AbsVal V = S.load(T->Place);
          if (V.K == AbsVal::Int) {
            auto Holds = [&](int64_t X) {
              switch (T->Op) {
              case BO_LT: return X < T->C;
              case BO_LE: return X <= T->C;
              case BO_GT: return X > T->C;
              case BO_GE: return X >= T->C;
              case BO_EQ: return X == T->C;
              default: return X != T->C;
              }
            };
            // The comparison is monotonic over the range but for == and
            // !=, decided only by a single value.
            bool AtLo = Holds(V.Lo), AtHi = Holds(V.Hi);
            bool Eq = T->Op == BO_EQ || T->Op == BO_NE;
            if (AtLo == AtHi && (!Eq || V.Lo == V.Hi || T->C < V.Lo ||
                                 T->C > V.Hi))
              return AbsVal::constant(AtLo ? 1 : 0);
          }
          return AbsVal::unknown();
        }
      // `in.get()` on the local object that owns an end: a const getter
      // with no arguments returning an integer gives that end back.
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call))
        if (const auto *MD = MCE->getMethodDecl();
            MD && MD->isConst() && MCE->getNumArgs() == 0 &&
            MD->getReturnType()->isIntegerType() && !R.Owners.empty())
          if (const auto *DRE = dyn_cast<DeclRefExpr>(
                  MCE->getImplicitObjectArgument()->IgnoreParenImpCasts())) {
            const auto *Obj = dyn_cast<VarDecl>(DRE->getDecl());
            auto It = Obj ? OwnedBy.find(Obj) : OwnedBy.end();
            if (It != OwnedBy.end() && It->second.size() == 1 &&
                (S.get(It->second.front()).Status & (Open | HandedOff)))
              return AbsVal::end(It->second.front());
          }
    }
    return lookupTemp(S, Call);
  }

  // `new Pair`: the place of its allocation site, if it is followed.
  if (isa<CXXNewExpr>(E))
    return lookupTemp(S, E);

  // `({ int r = pipe(p); r; })`: the value of its last statement, which
  // the CFG has evaluated by now.
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (CS && !CS->body_empty())
      if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
        return eval(Last, S);
    return AbsVal::unknown();
  }

  if (isa<ExprWithCleanups>(E) || isa<MaterializeTemporaryExpr>(E) ||
      isa<CXXBindTemporaryExpr>(E) || isa<FullExpr>(E)) {
    for (const Stmt *C : E->children())
      if (const auto *CE = dyn_cast_or_null<Expr>(C))
        return eval(CE, S);
  }

  if (E->getType()->isIntegralOrEnumerationType() && !isa<CallExpr>(E)) {
    if (std::optional<int64_t> C = integerConstant(E, Ctx))
      return AbsVal::constant(*C);
  }
  return AbsVal::unknown();
}

ValueRange FlowEngineImpl::intervalOf(const AbsVal &V) const {
  switch (V.K) {
  case AbsVal::Int:
    return {V.Lo, V.Hi};
  case AbsVal::End:
    // A descriptor we saw created is >= 3; a parameter may be anything; a
    // stream from fdopen() may be NULL.
    if (V.MaybeNull)
      return {INT64_MIN, INT64_MAX};
    if (R.Ends[V.E].Kind != EndKind::Parameter)
      return {LowestPipeFd, INT64_MAX};
    return {INT64_MIN, INT64_MAX};
  default:
    return {INT64_MIN, INT64_MAX};
  }
}

bool FlowEngineImpl::hasFlagBit(const Expr *E, int64_t Bit,
                                const PathState &S) const {
  if (!E || Bit == 0)
    return false;
  E = E->IgnoreParenImpCasts();
  AbsVal V = eval(E, S);
  if (V.isConst())
    return (V.Lo & Bit) == Bit;
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    if (BO->getOpcode() == BO_Or)
      return hasFlagBit(BO->getLHS(), Bit, S) ||
             hasFlagBit(BO->getRHS(), Bit, S);
  return false;
}

std::optional<EndId> FlowEngineImpl::endIn(const Expr *E,
                                           const PathState &S) const {
  AbsVal V = eval(E, S);
  if (V.K == AbsVal::End)
    return V.E;
  return std::nullopt;
}

namespace detail {
const CompoundStmt *integerAccessorBody(const CXXMethodDecl *MD) {
  if (!MD || MD->isStatic() || MD->isVirtual() ||
      !MD->getReturnType()->isIntegerType() || MD->getNumParams() != 0)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!MD->hasBody(Def) || !Def)
    return nullptr;
  return dyn_cast_or_null<CompoundStmt>(Def->getBody());
}
} // namespace detail

std::optional<MemberTest>
FlowEngineImpl::memberTest(const CXXMemberCallExpr *MCE,
                           const PathState &S) const {
  const CompoundStmt *Body =
      MCE->getNumArgs() == 0 ? integerAccessorBody(MCE->getMethodDecl())
                             : nullptr;
  const auto *RS = Body && Body->size() == 1
                       ? dyn_cast<ReturnStmt>(Body->body_front())
                       : nullptr;
  const auto *BO = RS && RS->getRetValue()
                       ? dyn_cast<BinaryOperator>(
                             RS->getRetValue()->IgnoreParenImpCasts())
                       : nullptr;
  if (!BO || !BO->isComparisonOp())
    return std::nullopt;
  const Expr *X = BO->getLHS()->IgnoreParenImpCasts(), *K = BO->getRHS();
  BinaryOperatorKind Op = BO->getOpcode();
  if (!isa<MemberExpr>(X)) {
    X = BO->getRHS()->IgnoreParenImpCasts();
    K = BO->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  const auto *ME = dyn_cast<MemberExpr>(X);
  const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  std::optional<int64_t> C = integerConstant(K, Ctx);
  if (!FD || !C || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) ||
      !FD->getType()->isIntegerType() || FD->getFieldIndex() >= 16)
    return std::nullopt;
  std::optional<LocKey> L = argumentPlace(MCE, SummarySlot::ThisParam, S);
  if (L)
    L = child(*L, fieldSel(FD->getFieldIndex()));
  if (!L)
    return std::nullopt;
  return MemberTest{*L, Op, *C};
}

std::optional<llvm::SmallVector<uint16_t, 2>>
FlowEngineImpl::getterSels(const CXXMethodDecl *MD) const {
  // `int rd() const { return fds_[0]; }`, `int fd() { return this->fd_; }`:
  // a method of the object whose whole body returns an integer member (or
  // a constant element of an integer array member) of `*this`.
  const CompoundStmt *Body = integerAccessorBody(MD);
  if (!Body || Body->size() != 1)
    return std::nullopt;
  const auto *RS = dyn_cast<ReturnStmt>(Body->body_front());
  const Expr *E = RS && RS->getRetValue() ? RS->getRetValue()->IgnoreParenImpCasts()
                                          : nullptr;
  llvm::SmallVector<uint16_t, 2> Sels;
  if (const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(E)) {
    Expr::EvalResult Index;
    if (!ASE->getIdx()->EvaluateAsInt(Index, Ctx) ||
        Index.Val.getInt().isNegative())
      return std::nullopt;
    Sels.push_back(indexSel(unsigned(Index.Val.getInt().getZExtValue())));
    E = ASE->getBase()->IgnoreParenImpCasts();
  }
  const auto *ME = dyn_cast_or_null<MemberExpr>(E);
  const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!FD || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) ||
      FD->getFieldIndex() >= 16)
    return std::nullopt;
  Sels.insert(Sels.begin(), fieldSel(FD->getFieldIndex()));
  return Sels;
}

} // namespace clang::tidy::pipe
