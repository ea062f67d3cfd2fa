//===--- FailureLeaks.cpp - a pipe stored for the caller, then a failure ---===//
//
// pipe-unclosed-write-end, for a function that makes a pipe into a place
// its caller passed by pointer or reference (`pipe(p->fds)`,
// `make_pipe(d->req)`, `*wr = fds[1]`) and then returns a failure without
// closing it: `open_duplex(d)` whose second pipe fails after the first was
// stored in `d->req`. The caller sees the failure and drops the object;
// nobody ever closes the first pipe, and a reader of it never sees
// end-of-file.
//
// The function is analysed in summary mode (what each pointer or reference
// parameter points to is a place of the analysis: `*p`, `p->fds[1]`, two
// selectors deep). A write end is reported at an exit X when:
//
//  - the function made it (pipe(), socketpair(), a creator helper), it is
//    open on every path reaching X, and it is held in a place below a
//    pointer or reference parameter;
//  - X returns an integer (or pointer) the engine knows, and another exit
//    returns a disjoint value with that end open too: the result tells
//    X's outcome from the one that hands the pipe over;
//  - every call of the function in the translation unit is known
//    (CallerContext::knownCalls()), and each drops the object on X's
//    result (callerDrops()): the argument is a local variable of the
//    caller (of a type without a destructor) whose address went nowhere
//    else before the call, and on that result the caller returns or ends
//    the process without naming it again, or never names it again after
//    the call at all; or the argument is the caller's own pointer
//    parameter, the caller returns a known value on that result, and
//    every call of the caller drops its argument on that value (up to
//    MaxDepth callers up);
//  - not every caller ends the process on that result (callersEndProcess(),
//    as for every other leak).
//
// Or, whoever the callers are, when X gives up on the object itself: on
// the way to X the function closed both ends of another pipe it stores
// for the caller (PathState::released(), summary mode), one that an exit
// with a disjoint result hands over: the cleanup chain that jumps to the
// wrong label (`goto fail_out` where `fail_err` was meant). The caller
// cannot know it must close what is left. Still silent when every caller
// ends the process on that result.
//
// Anything else (a caller that tests the result and falls through, one
// that passes the object on, a `goto`, a function whose address is taken)
// stays silent: the caller may close what the function stored.
//
//===----------------------------------------------------------------------===//
#include "checks/LeakQueries.h"
#include "AstQueries.h"
#include "Compat.h"
#include "checks/StoresForCaller.h"
#include "checks/UnclosedWriteEndCheck.h"
#include "summaries/CallerContext.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Basic/SourceManager.h"

#include <functional>

namespace clang::tidy::pipe {

namespace {

constexpr unsigned MaxDepth = 4;

struct Range {
  bool Known = false;
  int64_t Lo = 0, Hi = 0;
};

/// -1: false, 1: true, 0: unknown, for `V op C`.
int compare(BinaryOperatorKind Op, Range V, int64_t C) {
  if (!V.Known)
    return 0;
  auto Both = [&](bool AllTrue, bool AllFalse) {
    return AllTrue ? 1 : AllFalse ? -1 : 0;
  };
  switch (Op) {
  case BO_LT:
    return Both(V.Hi < C, V.Lo >= C);
  case BO_LE:
    return Both(V.Hi <= C, V.Lo > C);
  case BO_GT:
    return Both(V.Lo > C, V.Hi <= C);
  case BO_GE:
    return Both(V.Lo >= C, V.Hi < C);
  case BO_EQ:
    return Both(V.Lo == C && V.Hi == C, C < V.Lo || C > V.Hi);
  case BO_NE:
    return Both(C < V.Lo || C > V.Hi, V.Lo == C && V.Hi == C);
  default:
    return 0;
  }
}

BinaryOperatorKind reversed(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT:
    return BO_GT;
  case BO_GT:
    return BO_LT;
  case BO_LE:
    return BO_GE;
  case BO_GE:
    return BO_LE;
  default:
    return Op;
  }
}

/// The truth of condition \p Cond when the expression \p Held inside it
/// (the call, or a read of the variable that holds its result) has the
/// value \p V: `f() < 0`, `!f()`, `f()`, `r == -1`, `(r = f()) < 0`.
int truthOf(const Expr *Cond, const Expr *Held, Range V, ASTContext &Ctx) {
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (E == Held->IgnoreParenImpCasts())
    return compare(BO_NE, V, 0);
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_Assign && BO->getRHS()->IgnoreParenImpCasts() ==
                                            Held->IgnoreParenImpCasts())
      return compare(BO_NE, V, 0);
    if (BO->isComparisonOp()) {
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
      auto IsHeld = [&](const Expr *X) {
        if (X == Held->IgnoreParenImpCasts())
          return true;
        const auto *A = dyn_cast<BinaryOperator>(X);
        return A && A->getOpcode() == BO_Assign &&
               A->getRHS()->IgnoreParenImpCasts() ==
                   Held->IgnoreParenImpCasts();
      };
      if (std::optional<int64_t> C = IsHeld(L) ? integerConstant(R, Ctx)
                                               : std::nullopt)
        return compare(BO->getOpcode(), V, *C);
      if (std::optional<int64_t> C = IsHeld(R) ? integerConstant(L, Ctx)
                                               : std::nullopt)
        return compare(reversed(BO->getOpcode()), V, *C);
    }
    return 0;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot)
    return -truthOf(UO->getSubExpr(), Held, V, Ctx);
  return 0;
}

bool namesVar(const Stmt *S, const VarDecl *V) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl() == V;
  if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
    for (const LambdaCapture &C : LE->captures())
      if (C.capturesVariable() && C.getCapturedVar() == V)
        return true;
  }
  for (const Stmt *C : S->children())
    if (namesVar(C, V))
      return true;
  return false;
}

/// A jump out of the branch to somewhere else in the caller, which may
/// close what the branch leaves.
bool hasJump(const Stmt *S) {
  if (!S)
    return false;
  if (isa<GotoStmt, IndirectGotoStmt, BreakStmt, ContinueStmt, LabelStmt,
          CXXThrowExpr, CXXTryStmt>(S))
    return true;
  if (isa<LambdaExpr>(S))
    return false;
  for (const Stmt *C : S->children())
    if (hasJump(C))
      return true;
  return false;
}

/// Does \p V's address (or, for an array, its decayed pointer) leave in
/// \p S before \p Before, or is it named there other than as the target of
/// a plain store (`d.req[0] = -1;`) or a read of one of its members?
bool escapesBefore(const Stmt *S, const VarDecl *V, SourceLocation Before,
                   const SourceManager &SM) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (SM.isBeforeInTranslationUnit(Before, E->getBeginLoc()))
      return false;
  }
  if (const auto *LE = dyn_cast<LambdaExpr>(S))
    return namesVar(LE, V);
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && UO->getOpcode() == UO_AddrOf && namesVar(UO->getSubExpr(), V) &&
      SM.isBeforeInTranslationUnit(UO->getBeginLoc(), Before))
    return true;
  if (const auto *IC = dyn_cast<ImplicitCastExpr>(S);
      IC && IC->getCastKind() == CK_ArrayToPointerDecay &&
      namesVar(IC->getSubExpr(), V) &&
      SM.isBeforeInTranslationUnit(IC->getBeginLoc(), Before))
    return true;
  // An argument bound to a reference (C++: `init(d)` of `init(T &)`).
  if (const auto *CE = dyn_cast<CallExpr>(S))
    for (const Expr *Arg : CE->arguments())
      if (Arg->IgnoreParens()->isGLValue() && namesVar(Arg, V) &&
          SM.isBeforeInTranslationUnit(Arg->getBeginLoc(), Before))
        return true;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    for (const Expr *Arg : CE->arguments())
      if (Arg->IgnoreParens()->isGLValue() && namesVar(Arg, V) &&
          SM.isBeforeInTranslationUnit(Arg->getBeginLoc(), Before))
        return true;
  for (const Stmt *C : S->children())
    if (escapesBefore(C, V, Before, SM))
      return true;
  return false;
}

/// The caller's object that argument \p Arg names: a local variable
/// (`&d`, `d.req`, `&d.pipe`), or the caller's own pointer or reference
/// parameter it passes on (`d`, `&d->req`).
struct ArgObject {
  const VarDecl *Local = nullptr;
  const ParmVarDecl *Param = nullptr;
};

ArgObject objectOf(const Expr *Arg) {
  ArgObject O;
  if (!Arg)
    return O;
  const Expr *E = Arg->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  bool ThroughPointer = false;
  for (;;) {
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      ThroughPointer |= ME->isArrow();
      E = ME->getBase()->IgnoreParenImpCasts();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      ThroughPointer |= !AS->getBase()->IgnoreParenImpCasts()->getType()
                             ->isArrayType();
      E = AS->getBase()->IgnoreParenImpCasts();
    } else {
      break;
    }
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  if (!DRE)
    return O;
  if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
    QualType T = P->getType();
    if (T->isPointerType() || T->isReferenceType())
      O.Param = P;
    return O;
  }
  const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
  if (!V || ThroughPointer || !V->isLocalVarDecl() || V->isStaticLocal() ||
      V->getType()->isReferenceType() || V->hasAttr<CleanupAttr>())
    return O;
  QualType T = V->getType();
  while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    if (!RD->hasTrivialDestructor())
      return O; // its destructor may close what it holds
  O.Local = V;
  return O;
}

/// The statements of the compound that holds \p S, after it.
llvm::ArrayRef<Stmt *> restOf(const Stmt *S, ParentMap &PM) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(PM.getParent(S));
  if (!CS)
    return {};
  llvm::ArrayRef<Stmt *> Body(CS->body_begin(), CS->body_end());
  for (unsigned I = 0; I < Body.size(); ++I)
    if (Body[I] == S)
      return Body.drop_front(I + 1);
  return {};
}

class DropQuestion {
public:
  DropQuestion(ASTContext &Ctx, CallerContext &Callers)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Callers(Callers) {}

  /// Does every call of \p F drop the object its argument \p ParamIdx
  /// names when F returns a value in \p V?
  bool allCallersDrop(const FunctionDecl *F, unsigned ParamIdx, Range V,
                      unsigned Depth, const CallExpr **First = nullptr) {
    if (!V.Known || Depth > MaxDepth || !InProgress.insert(F).second)
      return false;
    llvm::SmallVector<std::pair<const CallExpr *, const FunctionDecl *>, 4>
        Calls;
    bool All = Callers.knownCalls(F, Calls);
    for (auto [Call, Caller] : Calls) {
      if (!All)
        break;
      if (!Caller || !Caller->getBody() || ParamIdx >= Call->getNumArgs() ||
          isa<CXXOperatorCallExpr>(Call))
        All = false;
      else
        All = callDrops(Call, Caller, Call->getArg(ParamIdx), V, Depth);
      if (All && First && !*First)
        *First = Call;
    }
    InProgress.erase(F);
    return All;
  }

private:
  enum class After { Drops, Returns, Unknown };

  /// What the taken branch \p B does with the object: it must not name
  /// it, jump elsewhere, or fall through; it returns (the value in \p Ret)
  /// or ends the process.
  After branch(const Stmt *B, const VarDecl *Obj, const ParmVarDecl *P,
               const Expr *Held, Range V, Range &Ret) {
    if (!B || hasJump(B) || namesVar(B, Obj ? Obj : P))
      return After::Unknown;
    const Stmt *Last = B;
    while (const auto *CS = dyn_cast<CompoundStmt>(Last)) {
      if (CS->body_empty())
        return After::Unknown;
      Last = CS->body_back();
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(Last)) {
      const Expr *RV = RS->getRetValue();
      if (std::optional<int64_t> C = integerConstant(RV, Ctx))
        Ret = Range{true, *C, *C};
      else if (RV && Held &&
               RV->IgnoreParenImpCasts() == Held->IgnoreParenImpCasts())
        Ret = V;
      else
        Ret = Range();
      return After::Returns;
    }
    if (const auto *CE = dyn_cast<CallExpr>(Last))
      if (const FunctionDecl *FD = CE->getDirectCallee(); FD && FD->isNoReturn())
        return After::Drops;
    return After::Unknown;
  }

  bool callDrops(const CallExpr *Call, const FunctionDecl *Caller,
                 const Expr *Arg, Range V, unsigned Depth) {
    ArgObject O = objectOf(Arg);
    if (!O.Local && !O.Param)
      return false;
    const Stmt *Body = Caller->getBody();
    if (O.Local && escapesBefore(Body, O.Local, compat::callBegin(Call), SM))
      return false;
    ParentMap PM(const_cast<Stmt *>(Body));
    // The object is never named again: whatever the call returns, nothing
    // of the caller's closes what it holds.
    if (O.Local && !namedAfter(Body, O.Local, Call->getEndLoc()))
      return true;
    // Up from the call to the statement that tests or returns it.
    const Stmt *Cur = Call;
    const Expr *Held = Call;
    for (;;) {
      const Stmt *Parent = PM.getParent(Cur);
      if (!Parent)
        return false;
      if (const auto *RS = dyn_cast<ReturnStmt>(Parent)) {
        (void)RS;
        return returned(O, Caller, V, Depth);
      }
      if (const auto *If = dyn_cast<IfStmt>(Parent)) {
        if (If->getCond() != Cur || If->getConditionVariable())
          return false;
        return tested(If, O, Caller, Held, V, Depth);
      }
      if (const auto *DS = dyn_cast<DeclStmt>(Parent)) {
        // `int r = f(&d);`, then `if (r < 0) ...` next.
        const auto *VD = DS->isSingleDecl()
                             ? dyn_cast<VarDecl>(DS->getSingleDecl())
                             : nullptr;
        if (!VD || VD->getInit()->IgnoreParenImpCasts() != Cur)
          return false;
        return testedNext(DS, VD, O, Caller, V, Depth, PM);
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(Parent);
          BO && BO->getOpcode() == BO_Assign && BO->getRHS() == Cur) {
        const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens());
        const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        if (!VD || !VD->isLocalVarDecl())
          return false;
        const Stmt *Up = PM.getParent(BO);
        if (isa_and_nonnull<CompoundStmt>(Up))
          return testedNext(BO, VD, O, Caller, V, Depth, PM);
        Cur = BO; // `if ((r = f(&d)) < 0)`
        continue;
      }
      if (isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr, UnaryOperator,
              BinaryOperator>(Parent)) {
        if (const auto *BO = dyn_cast<BinaryOperator>(Parent);
            BO && !BO->isComparisonOp())
          return false;
        if (const auto *UO = dyn_cast<UnaryOperator>(Parent);
            UO && UO->getOpcode() != UO_LNot)
          return false;
        Cur = Parent;
        continue;
      }
      return false;
    }
  }

  bool namedAfter(const Stmt *Body, const VarDecl *V, SourceLocation After) {
    bool Named = false;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S || Named)
        return;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (DRE->getDecl() == V &&
            !SM.isBeforeInTranslationUnit(DRE->getBeginLoc(), After))
          Named = true;
      if (const auto *LE = dyn_cast<LambdaExpr>(S))
        if (namesVar(LE, V))
          Named = true;
      for (const Stmt *C : S->children())
        Walk(C);
    };
    Walk(Body);
    return Named;
  }

  bool tested(const IfStmt *If, ArgObject O, const FunctionDecl *Caller,
              const Expr *Held, Range V, unsigned Depth) {
    int T = truthOf(If->getCond(), Held, V, Ctx);
    if (T == 0)
      return false;
    const Stmt *B = T > 0 ? If->getThen() : If->getElse();
    Range Ret;
    After A = branch(B, O.Local, O.Param, Held, V, Ret);
    if (A == After::Drops)
      return true;
    if (A == After::Returns)
      return returned(O, Caller, Ret, Depth);
    return false;
  }

  /// The result was stored in \p Var by \p S; the statement after it tests
  /// the variable.
  bool testedNext(const Stmt *S, const VarDecl *Var, ArgObject O,
                  const FunctionDecl *Caller, Range V, unsigned Depth,
                  ParentMap &PM) {
    llvm::ArrayRef<Stmt *> Rest = restOf(S, PM);
    if (Rest.empty())
      return false;
    const auto *If = dyn_cast<IfStmt>(Rest.front());
    if (!If || If->getConditionVariable())
      return false;
    // The read of Var the condition tests.
    const Expr *Read = nullptr;
    std::function<void(const Stmt *)> Find = [&](const Stmt *X) {
      if (!X || Read)
        return;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(X);
          DRE && DRE->getDecl() == Var)
        Read = DRE;
      for (const Stmt *C : X->children())
        Find(C);
    };
    Find(If->getCond());
    if (!Read)
      return false;
    return tested(If, O, Caller, Read, V, Depth);
  }

  /// The caller returns \p Ret on this path: a local object dies with it;
  /// a pointer parameter's object is its own callers' to drop.
  bool returned(ArgObject O, const FunctionDecl *Caller, Range Ret,
                unsigned Depth) {
    if (O.Local)
      return true;
    if (!Ret.Known || !O.Param)
      return false;
    QualType RT = Caller->getReturnType();
    if (!RT->isIntegerType() && !RT->isPointerType())
      return false;
    return allCallersDrop(Caller, O.Param->getFunctionScopeIndex(), Ret,
                          Depth + 1);
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  CallerContext &Callers;
  llvm::DenseSet<const FunctionDecl *> InProgress;
};

} // namespace

void UnclosedWriteEndCheck::reportFailureLeaks(const FunctionAnalysis &A) {
  const FunctionDecl *FD = A.function();
  if (!FD || A.isMain() || A.isLambda() || isa<CXXMethodDecl>(FD))
    return;
  QualType RetT = FD->getReturnType().getCanonicalType();
  if (!RetT->isIntegerType() && !RetT->isPointerType())
    return;
  bool AnyPointer = false;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    if ((T->isPointerType() && !T->getPointeeType().isConstQualified()) ||
        (T->isReferenceType() &&
         !T.getNonReferenceType().isConstQualified()))
      AnyPointer = true;
  }
  if (!AnyPointer)
    return;
  FunctionSummaries *Functions = sharedSummaries(A.context());
  CallerContext *Callers = callerContext(A);
  if (!Functions || !Callers)
    return;
  // Without known callers, only a function that gives up a pipe on its
  // failure path itself can be judged (givenUpAt below).
  llvm::SmallVector<std::pair<const CallExpr *, const FunctionDecl *>, 4> Calls;
  bool CallsKnown = Callers->knownCalls(FD, Calls);
  // The second analysis below is as costly as the first: not worth it for
  // a function whose text stores nothing it makes below its parameters,
  // nor for one whose every exit, as the first analysis saw them, leaves
  // nothing it made there.
  if (!mayStoreMadeEndsForCaller(FD, *Functions) ||
      !A.leavesMadeEndsBelowParams())
    return;
  std::unique_ptr<FunctionAnalysis> H = FunctionAnalysis::runForSummary(
      FD, A.context(), model(), analysisBudget(), Functions->callees());
  if (!H)
    return;

  struct Exit {
    const ExitPoint *X;
    const PathState *S;
    Range V;
  };
  llvm::SmallVector<Exit, 8> Exits;
  H->forEachExit([&](const ExitPoint &X, const PathState &S) {
    Range V;
    if (X.K == ExitPoint::Return)
      if (const auto *RS = dyn_cast_or_null<ReturnStmt>(X.S))
        if (const Expr *RV = RS->getRetValue()) {
          AbsVal Val = H->valueOf(RV, S);
          if (Val.K == AbsVal::Int)
            V = Range{true, Val.Lo, Val.Hi};
        }
    Exits.push_back({&X, &S, V});
  });

  // The parameter whose pointee holds \p E at \p S, if any.
  auto HeldFor = [&](EndId E, const PathState &S) -> std::optional<unsigned> {
    std::optional<unsigned> Param;
    S.forEachLocationOf(E, [&](LocKey L) {
      for (const FunctionAnalysis::SeededPlace &P : H->seededPlaces())
        if (!Param && !P.ByValue && !P.Captured && !P.Opaque &&
            P.Param != SummarySlot::ThisParam && P.Place.Base == L.Base)
          Param = P.Param;
    });
    return Param;
  };

  // The write ends the function makes itself.
  llvm::SmallVector<EndId, 8> Made;
  for (EndId W = 0; W < H->ends().size(); ++W) {
    const EndInfo &EI = H->ends()[W];
    if (EI.isWriteSide() && EI.Kind != EndKind::Parameter &&
        EI.Kind != EndKind::Duplicate && EI.Origin && !EI.OwnedByObject &&
        !H->seedOf(W))
      Made.push_back(W);
  }

  // A pipe the function stored for its caller (an end held below a
  // parameter at an exit with another result) and closes both ends of on
  // exit X: X gives up on the object, and the function cleans up after
  // itself there (the `goto fail_out` chain). Its write end, or -1.
  std::string GivenUpNames[2]; // its ends, as the caller would get them
  auto GivenUpAt = [&](const Exit &X) -> int {
    for (EndId E : Made) {
      int R = H->readEndOf(E);
      if (R < 0 || !X.S->released(E) || (X.S->status(E) & Open) ||
          (X.S->status(EndId(R)) & Open))
        continue;
      for (const Exit &Y : Exits) {
        if (!Y.V.Known || !(Y.V.Hi < X.V.Lo || X.V.Hi < Y.V.Lo))
          continue;
        if ((Y.S->status(E) == Open && HeldFor(E, *Y.S)) ||
            (Y.S->status(EndId(R)) == Open && HeldFor(EndId(R), *Y.S))) {
          GivenUpNames[0] = H->nameOf(EndId(R), Y.S);
          GivenUpNames[1] = H->nameOf(E, Y.S);
          return int(E);
        }
      }
    }
    return -1;
  };

  DropQuestion Drops(A.context(), *Callers);
  std::optional<ForkReaders> Forks; // the summary analysis's, when asked
  const SourceManager &SM = A.context().getSourceManager();
  for (const Exit &X : Exits) {
    if (!X.V.Known || X.X->Loc.isInvalid())
      continue;
    for (EndId W : Made) {
      const EndInfo &EI = H->ends()[W];
      if (X.S->status(W) != Open || X.S->hasFlag(W, Lost))
        continue;
      std::optional<unsigned> Param = HeldFor(W, *X.S);
      if (!Param)
        continue;
      // The outcome that hands it over, told apart by the result, with
      // more: every pipe X leaves for the caller, and one X does not make
      // or closes (X gave up half-way).
      bool Success = false;
      for (const Exit &Y : Exits) {
        if (!Y.V.Known || !(Y.V.Hi < X.V.Lo || X.V.Hi < Y.V.Lo) ||
            Y.S->status(W) != Open || HeldFor(W, *Y.S) != Param)
          continue;
        bool Superset = true, More = false;
        for (EndId E : Made) {
          bool InX = X.S->status(E) == Open && HeldFor(E, *X.S);
          bool InY = Y.S->status(E) == Open && HeldFor(E, *Y.S);
          Superset &= !InX || InY;
          More |= InY && !InX;
        }
        Success |= Superset && More;
      }
      const CallExpr *First = nullptr;
      int GivenUp = GivenUpAt(X);
      bool Dropped = GivenUp < 0 && Success && CallsKnown &&
                     Drops.allCallersDrop(FD, *Param, X.V, 0, &First);
      if (!Dropped && GivenUp < 0)
        continue;
      if (callersEndProcess(*H, *X.X, *X.S))
        continue;
      // Can a reader wait on the pipe? Not through the objects the callers
      // drop (or the function gives up): the read end there is read by no
      // one. Elsewhere (given to a thread or a child that reads it), as at
      // any exit.
      bool Reader = false;
      int RW = H->readEndOf(W);
      bool ReadLeft = RW >= 0 && X.S->status(EndId(RW)) == Open &&
                      HeldFor(EndId(RW), *X.S).has_value();
      if (ReadLeft) {
        if (X.S->hasFlag(EndId(RW), SharedWithChild)) {
          if (!Forks)
            Forks.emplace(*H);
          Reader = !Forks->ChildSeen || Forks->ByChild.count(EndId(RW));
        }
      } else {
        if (!Forks)
          Forks.emplace(*H);
        Reader = readerWaitsAtExit(*H, W, *X.S, *Forks);
      }
      if (!Reader && quietLeaks(A))
        continue;
      if (!SM.isWrittenInMainFile(SM.getExpansionLoc(X.X->Loc)) ||
          !FailureExitsReported.insert(X.X->Loc.getRawEncoding()).second)
        break;
      const ParmVarDecl *PD = FD->getParamDecl(*Param);
      std::string Value = X.V.Lo == X.V.Hi
                              ? std::to_string(X.V.Lo)
                              : "[" + std::to_string(X.V.Lo) + ", " +
                                    std::to_string(X.V.Hi) + "]";
      if (RetT->isBooleanType() && X.V.Lo == X.V.Hi)
        Value = X.V.Lo ? "true" : "false";
      std::string Read = ReadLeft ? H->nameOf(EndId(RW), X.S) : "";
      if (GivenUp >= 0) {
        diag(X.X->Loc,
             "%1 returns %3 here after closing '%5' and '%8', but leaves "
             "the write end '%0'%select{| (and the read end '%6')}7 of the "
             "pipe it stores through '%2' open: a caller that gets this "
             "failure does not know to close %select{it|them}7, so the pipe "
             "leaks%select{| and readers of it never see end-of-file}4; "
             "close %select{it|them}7 on this path as well")
            << H->nameOf(W, X.S) << H->displayName() << PD->getName()
            << Value << int(Reader) << GivenUpNames[0] << Read
            << int(!Read.empty()) << GivenUpNames[1];
        diag(SM.getFileLoc(EI.Origin->getBeginLoc()), "pipe created here",
             DiagnosticIDs::Note);
        addBranchNote(*X.S);
        break;
      }
      diag(X.X->Loc,
           "write end '%0'%select{| (and the read end '%5')}6 of the pipe "
           "that %1 stores through its parameter '%2' %select{is|are}6 "
           "still open when %1 returns %3 here; its callers take that "
           "result as a failure and drop '%2' without closing "
           "%select{it|them}6, so the pipe leaks%select{| and readers of it "
           "never see end-of-file}4; close %select{it|them}6 before "
           "returning the failure")
          << H->nameOf(W, X.S) << H->displayName() << PD->getName() << Value
          << int(Reader) << Read << int(ReadLeft);
      diag(SM.getFileLoc(EI.Origin->getBeginLoc()), "pipe created here",
           DiagnosticIDs::Note);
      if (First)
        diag(First->getBeginLoc(), "the caller gets the failure here",
             DiagnosticIDs::Note);
      break; // one warning per exit
    }
  }
}

} // namespace clang::tidy::pipe
