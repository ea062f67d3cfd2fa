//===--- CloseAllLoops.cpp - a loop that closes every descriptor but some --===//
//
// Before an exec, and in a child that goes on without one, programs close
// everything they do not mean to keep with a loop over descriptor numbers
// rather than by name:
//
//   for (int i = 0; i < getdtablesize(); i++) {
//     if (i == out[1] || i == err[1])
//       continue;
//     close(i);
//   }
//
// (also `for (fd = 3; fd < max; fd++) if (fd != keep) close(fd);`, and
// downwards, `for (fd = sysconf(_SC_OPEN_MAX) - 1; fd > 2; fd--)`). Taken
// one turn at a time, `close(i)` names no end and the loop may run no turn,
// so every end stayed open after it and a child was said to keep ends it
// closed. A loop of that form is taken whole where it starts (its init
// statement): every end open there is closed but those the tests keep
// (`i == out[1]`: the end out[1] holds), and so is each dup2() copy at a
// number the loop covers. Over a narrower range (a first number above 3,
// a bound that is a constant below 64) the loop may or may not reach an
// end's number: the ends are lost (never reported) instead. A loop of any
// other form (a close under another condition, statements after the close,
// a kept number the values cannot tell) is left to the turn-by-turn
// transfer.
//
// A range-for over a braced list or an array of descriptors that closes
// each one (`for (int fd : {in[0], out[1]}) close(fd);`, `for (int fd :
// fds_) if (fd >= 0) ::close(fd);`, a destructor's usual form) is taken
// whole at its range statement too: each element that holds an end closes
// it. Turn by turn, the list's temporary array hid the ends, which were
// handed off instead.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

namespace clang::tidy::pipe {

namespace {

/// \p E names \p V (past casts and parentheses).
bool namesVar(const Expr *E, const VarDecl *V) {
  // Through casts too: `close((int)fd)` for a `long fd`.
  const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
  return DRE && DRE->getDecl() == V;
}

/// Collects the descriptors a test keeps: \p Cond is `V == a || V == b`
/// (\p Equal) or `V != a && V != b` (!\p Equal), each side either way.
bool collectKept(const Expr *Cond, const VarDecl *V, bool Equal,
                 llvm::SmallVectorImpl<const Expr *> &Kept) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!BO)
    return false;
  if (BO->getOpcode() == (Equal ? BO_LOr : BO_LAnd))
    return collectKept(BO->getLHS(), V, Equal, Kept) &&
           collectKept(BO->getRHS(), V, Equal, Kept);
  if (BO->getOpcode() != (Equal ? BO_EQ : BO_NE))
    return false;
  if (namesVar(BO->getLHS(), V))
    Kept.push_back(BO->getRHS());
  else if (namesVar(BO->getRHS(), V))
    Kept.push_back(BO->getLHS());
  else
    return false;
  return true;
}

/// `++V`, `V++`, `--V`, `V--`, `V += 1`, `V -= 1`: +1 or -1, else 0.
int stepOf(const Expr *Inc, const VarDecl *V, const ASTContext &Ctx) {
  if (!Inc)
    return 0;
  Inc = Inc->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Inc);
      UO && UO->isIncrementDecrementOp() && namesVar(UO->getSubExpr(), V))
    return UO->isIncrementOp() ? 1 : -1;
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(Inc);
      CA && namesVar(CA->getLHS(), V))
    if (auto C = integerConstant(CA->getRHS(), Ctx); C && *C == 1)
      return CA->getOpcode() == BO_AddAssign   ? 1
             : CA->getOpcode() == BO_SubAssign ? -1
                                               : 0;
  return 0;
}

/// The bound of `V < X`, `V <= X`, `X > V`, `X >= V` (\p Up) or of
/// `V > X`, `V >= X`, `X < V`, `X <= V` (!\p Up), with \p Inclusive set
/// for <= and >=.
const Expr *boundOf(const Expr *Cond, const VarDecl *V, bool Up,
                    bool &Inclusive, bool ByOne) {
  const auto *BO = Cond ? dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts())
                        : nullptr;
  // `i != last` stops where `i < last` does when i moves by one.
  if (BO && ByOne && BO->getOpcode() == BO_NE) {
    Inclusive = false;
    if (namesVar(BO->getLHS(), V))
      return BO->getRHS();
    if (namesVar(BO->getRHS(), V))
      return BO->getLHS();
    return nullptr;
  }
  if (!BO || !BO->isRelationalOp())
    return nullptr;
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *Other;
  if (namesVar(BO->getLHS(), V)) {
    Other = BO->getRHS();
  } else if (namesVar(BO->getRHS(), V)) {
    Other = BO->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  } else {
    return nullptr;
  }
  bool Less = Op == BO_LT || Op == BO_LE;
  if (Less != Up)
    return nullptr;
  Inclusive = Op == BO_LE || Op == BO_GE;
  return Other;
}
/// Is \p S the statement `close(V);` (a descriptor close of the model, not
/// a stream's)?
bool closesVar(const Stmt *S, const VarDecl *V, const ApiModel &Model) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
  if (!CE || CE->getNumArgs() < 1)
    return false;
  const ApiFunction *Api = Model.lookup(CE->getDirectCallee());
  return Api && Api->Role == ApiRole::Close && !Api->Stream &&
         unsigned(Api->Arg) < CE->getNumArgs() &&
         namesVar(CE->getArg(Api->Arg), V);
}

/// A block of one statement stands for that statement.
const Stmt *soleStatement(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S); CS && CS->size() == 1)
    return CS->body_front();
  return S;
}

/// `V >= 0`, `V > -1`, `V != -1`, `V > 2`, `V`: true of every descriptor
/// a pipe or socket pair makes (the number is 3 or above).
bool holdsForEveryPipeEnd(const Expr *Cond, const VarDecl *V,
                          const ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  if (namesVar(Cond, V))
    return true;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO || !BO->isComparisonOp())
    return false;
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *Other = nullptr;
  if (namesVar(BO->getLHS(), V)) {
    Other = BO->getRHS();
  } else if (namesVar(BO->getRHS(), V)) {
    Other = BO->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  std::optional<int64_t> C = Other ? integerConstant(Other, Ctx) : std::nullopt;
  if (!C)
    return false;
  switch (Op) {
  case BO_GE: return *C <= 3;
  case BO_GT: return *C <= 2;
  case BO_NE: return *C <= 2;
  default: return false;
  }
}
} // namespace

const CXXForRangeStmt *FlowEngineImpl::rangeForStartedBy(const Stmt *St) const {
  if (!isa<DeclStmt>(St))
    return nullptr;
  const auto *FRS = dyn_cast_or_null<CXXForRangeStmt>(R.parentOf(St));
  return FRS && FRS->getRangeStmt() == St ? FRS : nullptr;
}

const FlowEngineImpl::CloseEachLoop *
FlowEngineImpl::closeEachLoopStartedBy(const Stmt *St) {
  const CXXForRangeStmt *FRS = rangeForStartedBy(St);
  if (!FRS)
    return nullptr;
  auto [It, New] = CloseEachLoops.try_emplace(FRS);
  if (!New)
    return It->second ? &*It->second : nullptr;
  const VarDecl *V = FRS->getLoopVariable();
  if (!V || !mayHoldDescriptorValue(V->getType().getNonReferenceType()))
    return nullptr;
  // The body: `close(V);`, or `if (V >= 0) close(V);`.
  const Stmt *Body = soleStatement(FRS->getBody());
  if (const auto *If = dyn_cast_or_null<IfStmt>(Body)) {
    if (If->getElse() || If->getInit() || If->getConditionVariable() ||
        !holdsForEveryPipeEnd(If->getCond(), V, Ctx))
      return nullptr;
    Body = soleStatement(If->getThen());
  }
  if (!closesVar(Body, V, Model))
    return nullptr;
  // What it walks: a braced list, or an array of at most 16 descriptors.
  CloseEachLoop L;
  const Expr *Range = FRS->getRangeInit()->IgnoreImplicit();
  if (const auto *IL = dyn_cast<CXXStdInitializerListExpr>(Range))
    Range = IL->getSubExpr()->IgnoreImplicit();
  if (const auto *List = dyn_cast<InitListExpr>(Range)) {
    L.Listed.append(List->inits().begin(), List->inits().end());
  } else if (const auto *AT = dyn_cast<ConstantArrayType>(
                 Range->getType().getCanonicalType().getTypePtr());
             AT && AT->getSize().ule(16) &&
             mayHoldDescriptorValue(AT->getElementType())) {
    L.Array = Range;
    for (unsigned I = 0; I < AT->getSize().getZExtValue(); ++I)
      L.Sels.push_back(indexSel(I));
  } else if (isStdArrayType(Range->getType())) {
    L.Array = Range; // std::array<int, N>
    aggregateElementSels(Range->getType(), L.Sels);
    if (L.Sels.empty())
      return nullptr;
  } else {
    return nullptr;
  }
  It->second = std::move(L);
  return &*It->second;
}

void FlowEngineImpl::applyCloseEachLoop(const CloseEachLoop &L, PathState &S) {
  auto CloseValue = [&](const AbsVal &V) {
    if (V.K == AbsVal::End && (S.status(V.E) & Open))
      closeEnd(S, V.E);
  };
  for (const Expr *E : L.Listed)
    CloseValue(eval(E, S));
  if (!L.Array)
    return;
  std::optional<Lvalue> LV = lvalueOf(L.Array, S);
  if (!LV || LV->AnyIndex)
    return;
  for (SelPath Sel : L.Sels)
    if (std::optional<LocKey> K = child(LV->L, uint16_t(Sel)))
      CloseValue(S.load(*K));
}

std::optional<FlowEngineImpl::CloseAllLoop>
FlowEngineImpl::recognizeCloseAllLoop(const ForStmt *FS) const {
  // The loop variable and its first number.
  const VarDecl *V = nullptr;
  const Expr *First = nullptr;
  const Stmt *Init = FS->getInit();
  // `int i = 3, last = sysconf(_SC_OPEN_MAX)`: the variable the increment
  // steps is the loop's; the others may name its bound.
  llvm::SmallVector<const VarDecl *, 2> InitVars;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(Init)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD)
        return std::nullopt;
      InitVars.push_back(VD);
      if (!V && stepOf(FS->getInc(), VD, Ctx))
        V = VD;
    }
    First = V ? V->getInit() : nullptr;
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Init);
             BO && BO->getOpcode() == BO_Assign) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      V = dyn_cast<VarDecl>(DRE->getDecl());
    First = BO->getRHS();
  }
  if (!V || !First || !V->getType()->isIntegerType())
    return std::nullopt;
  int Step = stepOf(FS->getInc(), V, Ctx);
  if (!Step)
    return std::nullopt;
  bool Inclusive = false;
  const Expr *Bound =
      boundOf(FS->getCond(), V, Step > 0, Inclusive, Step == 1 || Step == -1);
  if (!Bound)
    return std::nullopt;
  // A bound held in another variable of the init: its initializer.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Bound->IgnoreParenImpCasts()))
    if (const auto *BV = dyn_cast<VarDecl>(DRE->getDecl());
        BV && BV != V && llvm::is_contained(InitVars, BV) && BV->getInit())
      Bound = BV->getInit();
  // Upwards from a low number (at most 3) to a bound that is not a small
  // constant; downwards from such a number to a low one.
  const Expr *Low = Step > 0 ? First : Bound;
  const Expr *High = Step > 0 ? Bound : First;
  std::optional<int64_t> Lo = integerConstant(Low, Ctx);
  if (!Lo || *Lo < 0)
    return std::nullopt;
  if (Step < 0 && !Inclusive)
    *Lo += 1; // `fd > 2` stops above 2
  std::optional<int64_t> Hi = integerConstant(High, Ctx);
  // Which numbers a loop over a smaller range closes depends on the
  // numbers the ends got: such a loop loses them rather than closes them.
  bool Whole = *Lo <= 3 && !(Hi && *Hi < 64);

  // The body: tests that skip the numbers kept (`if (i == keep) continue;`)
  // and one close(V), or `if (i != keep && ...) close(V);`.
  CloseAllLoop L;
  L.Var = V;
  L.Lowest = int(std::min<int64_t>(*Lo, 1 << 20));
  L.Whole = Whole;
  auto IsCloseOfVar = [&](const Stmt *S) { return closesVar(S, V, Model); };
  llvm::SmallVector<const Stmt *, 4> Body;
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(FS->getBody()))
    Body.append(CS->body_begin(), CS->body_end());
  else if (FS->getBody())
    Body.push_back(FS->getBody());
  bool Closes = false;
  for (const Stmt *S : Body) {
    if (Closes)
      return std::nullopt; // statements after the close
    if (IsCloseOfVar(S)) {
      Closes = true;
      continue;
    }
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || If->getElse() || If->getInit() || If->getConditionVariable())
      return std::nullopt;
    const Stmt *Then = soleStatement(If->getThen());
    if (isa<ContinueStmt>(Then)) {
      if (!collectKept(If->getCond(), V, true, L.Kept))
        return std::nullopt;
    } else if (IsCloseOfVar(Then)) {
      if (!collectKept(If->getCond(), V, false, L.Kept))
        return std::nullopt;
      Closes = true;
    } else {
      return std::nullopt;
    }
  }
  if (!Closes)
    return std::nullopt;
  return L;
}

const FlowEngineImpl::CloseAllLoop *
FlowEngineImpl::closeAllLoopStartedBy(const Stmt *St) {
  if (!isa<DeclStmt, BinaryOperator>(St))
    return nullptr;
  // The CFG splits `int i = 3, last = ...` into one DeclStmt per variable,
  // which the AST does not hold: the init it stands for is the loop's.
  if (Graph)
    for (const auto &[Synthetic, Source] : Graph->synthetic_stmts())
      if (Synthetic == St) {
        St = Source;
        break;
      }
  const auto *FS = dyn_cast_or_null<ForStmt>(R.parentOf(St));
  if (!FS || FS->getInit() != St)
    return nullptr;
  auto [It, New] = CloseAllLoops.try_emplace(FS);
  if (New)
    It->second = recognizeCloseAllLoop(FS);
  return It->second ? &*It->second : nullptr;
}

void FlowEngineImpl::applyCloseAllLoop(const CloseAllLoop &L, PathState &S) {
  llvm::SmallVector<EndId, 4> KeptEnds;
  llvm::SmallVector<int64_t, 4> KeptNumbers;
  for (const Expr *K : L.Kept) {
    AbsVal V = eval(K, S);
    if (V.K == AbsVal::End)
      KeptEnds.push_back(V.E);
    else if (V.isConst())
      KeptNumbers.push_back(V.Lo);
    else
      return; // a number the values cannot tell may be any end's
  }
  llvm::SmallVector<EndId, 4> Closing;
  S.Ends.forEachWith(PathState::AggOpen,
                     [&](uint64_t Id, const PathState::EndState &ES) {
                       // A descriptor parameter may be a number below
                       // the loop's first.
                       if ((ES.Status & Open) &&
                           !llvm::is_contained(KeptEnds, EndId(Id)) &&
                           (L.Lowest == 0 ||
                            R.Ends[Id].Kind != EndKind::Parameter))
                         Closing.push_back(EndId(Id));
                     });
  for (EndId E : Closing) {
    if (L.Whole)
      closeEnd(S, E);
    else
      S.ref(E)->Flags |= Lost; // it may be closed, or not: never reported
  }
  // dup2() copies at the numbers the loop reaches are closed too.
  llvm::erase_if(S.FdCopies, [&](const PathState::FdCopy &C) {
    return C.Fd >= L.Lowest && !llvm::is_contained(KeptNumbers, C.Fd);
  });
}

} // namespace clang::tidy::pipe
