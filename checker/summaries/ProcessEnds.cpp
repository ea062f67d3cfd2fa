//===--- ProcessEnds.cpp - which calls and expressions end the process -----===//

#include "AstQueries.h"
#include "summaries/CallerContext.h"
#include "summaries/CallerContextDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"
#include <optional>

// Whether a function or an expression of the caller ends the process: the
// C library's exits by name, GNU error() with a nonzero status, a body of
// the program's own that ends it on every path, a NoReturnFunctions entry,
// a noreturn function that cannot throw. And which functions return only
// to report a failure (returnsOnlyOnFailure()).

namespace clang::tidy::pipe {

using namespace callerdetail;

namespace {

using Binding = CallerContext::Binding;
using Outcome = CallerContext::Outcome;

/// The global C function (or one in std, or extern "C") called \p FD, by
/// name; empty for any other function.
llvm::StringRef cName(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return {};
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit() || DC->isStdNamespace() || FD->isExternC())
    return FD->getName();
  return {};
}

/// GNU error() and error_at_line() end the process when their status is
/// not zero.
bool isFatalError(const CallExpr *CE, ASTContext &Ctx) {
  const FunctionDecl *FD = CE->getDirectCallee();
  llvm::StringRef N = cName(FD);
  if ((N != "error" && N != "error_at_line") || CE->getNumArgs() < 1 ||
      FD->hasBody())
    return false;
  Expr::EvalResult R;
  return CE->getArg(0)->EvaluateAsInt(R, Ctx) && R.Val.isInt() &&
         !R.Val.getInt().isZero();
}

/// Is \p Cond true when a call failed: `X < 0`, `X == -1`, `X != 0` of a
/// call's result (`pipe2(p, 0) != 0`; not of fork(), whose nonzero result
/// is the parent's), `X == NULL` or `!X` of a pointer or a truth value, X a
/// call, a variable or `(v = call)`; or one operand of `||` or `&&` that is.
bool isFailureTest(const Expr *Cond, const ASTContext &Ctx,
                   const ApiModel &Model) {
  if (!Cond)
    return false;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->isLogicalOp())
      return isFailureTest(BO->getLHS(), Ctx, Model) ||
             isFailureTest(BO->getRHS(), Ctx, Model);
    const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
    const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
    BinaryOperatorKind Op = BO->getOpcode();
    if (integerConstant(L, Ctx) && !integerConstant(R, Ctx)) {
      std::swap(L, R);
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    if (const auto *A = dyn_cast<BinaryOperator>(L);
        A && A->getOpcode() == BO_Assign)
      L = A->getRHS()->IgnoreParenImpCasts();
    std::optional<int64_t> C = integerConstant(R, Ctx);
    if (Op == BO_EQ && R->isNullPointerConstant(
                           const_cast<ASTContext &>(Ctx),
                           Expr::NPC_ValueDependentIsNotNull))
      return L->getType()->isPointerType();
    if (!C)
      return false;
    if (Op == BO_NE && *C == 0)
      if (const auto *CE = dyn_cast<CallExpr>(L)) {
        const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE));
        return !Api || Api->Role != ApiRole::Fork;
      }
    return (Op == BO_LT && *C == 0) || (Op == BO_EQ && *C == -1);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    QualType T = UO->getSubExpr()->IgnoreParenImpCasts()->getType();
    return T->isPointerType() || T->isBooleanType();
  }
  return false;
}

/// The statements of a function body that only a failure reaches: below
/// the branch of a failure test (an `if` or loop condition, a `case -1:`
/// of a switch) or of an `if` whose branch reports an error, or after a
/// label every `goto` to which is one of them and that nothing falls into.
class FailurePaths {
public:
  FailurePaths(const Stmt *Body, const ASTContext &Ctx, const ApiModel &Model)
      : Parents(const_cast<Stmt *>(Body)), Ctx(Ctx), Model(Model) {
    llvm::SmallVector<const Stmt *, 64> Stack{Body};
    while (!Stack.empty()) {
      const Stmt *S = Stack.pop_back_val();
      if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
        continue;
      if (const auto *G = dyn_cast<GotoStmt>(S))
        Gotos[G->getLabel()].push_back(G);
      for (const Stmt *C : S->children())
        Stack.push_back(C);
    }
  }

  bool onlyOnFailure(const Stmt *S, unsigned Depth = 0) {
    if (Depth > 8)
      return false;
    for (const Stmt *Cur = S; const Stmt *P = Parents.getParent(Cur);
         Cur = P) {
      if (const auto *If = dyn_cast<IfStmt>(P)) {
        if (If->getThen() == Cur &&
            (isFailureTest(If->getCond(), Ctx, Model) || printsMessage(Cur)))
          return true;
      } else if (const auto *W = dyn_cast<WhileStmt>(P)) {
        if (W->getBody() == Cur && isFailureTest(W->getCond(), Ctx, Model))
          return true;
      } else if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
        // In a switch's body: the nearest `case` above.
        if (isa_and_nonnull<SwitchStmt>(Parents.getParent(CS))) {
          const SwitchCase *Case = nullptr;
          for (const Stmt *X : CS->body()) {
            if (X == Cur)
              break;
            if (const auto *SC = dyn_cast<SwitchCase>(X))
              Case = SC;
          }
          if (failureCase(Case))
            return true;
        }
      } else if (const auto *SC = dyn_cast<SwitchCase>(P)) {
        if (failureCase(SC))
          return true;
      } else if (const auto *L = dyn_cast<LabelStmt>(P)) {
        if (labelOnlyOnFailure(L, Depth))
          return true;
      }
    }
    return false;
  }

private:
  ParentMap Parents;
  const ASTContext &Ctx;
  const ApiModel &Model;
  llvm::DenseMap<const LabelDecl *, llvm::SmallVector<const GotoStmt *, 4>>
      Gotos;

  /// Does the branch \p S report an error before it leaves: perror(),
  /// warn(), `fprintf(stderr, ...)` or `dprintf(2, ...)`, or a function of
  /// the program declared with a printf format attribute (`sudo_warn()`,
  /// `log_error()`)? Not printf() to standard output or a string
  /// (`printf("started %d\n", pid)` in a parent that goes on).
  /// Only the branch's own statements count, not those of a test inside
  /// it (`if (write(...) < 0) perror("write");` on the way to a success).
  bool printsMessage(const Stmt *S) const {
    llvm::SmallVector<const Stmt *, 8> Own;
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      Own.append(CS->body_begin(), CS->body_end());
    else
      Own.push_back(S);
    for (const Stmt *X : Own) {
      // `do { sudo_warn(...); } while (0)` of a macro is its own too.
      if (const auto *Do = dyn_cast<DoStmt>(X))
        if (const auto *Body = dyn_cast<CompoundStmt>(Do->getBody()))
          for (const Stmt *Y : Body->body())
            if (const auto *CE = dyn_cast<CallExpr>(Y); CE && isErrorMessage(CE))
              return true;
      if (const auto *E = dyn_cast<Expr>(X))
        if (const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
            CE && isErrorMessage(CE))
          return true;
    }
    return false;
  }

  bool isErrorMessage(const CallExpr *CE) const {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier())
      return false;
    llvm::StringRef N = FD->getName();
    if (N == "perror" || N == "warn" || N == "warnx" || N == "vwarn" ||
        N == "vwarnx")
      return true;
    // To a stream or descriptor: standard error only.
    if (N == "fprintf" || N == "vfprintf" || N == "fputs" ||
        N == "dprintf" || N == "vdprintf") {
      unsigned Arg = N == "fputs" ? 1 : 0;
      if (CE->getNumArgs() <= Arg)
        return false;
      const Expr *To = CE->getArg(Arg)->IgnoreParenImpCasts();
      if (std::optional<int64_t> Fd = integerConstant(To, Ctx))
        return *Fd == 2;
      const auto *DRE = dyn_cast<DeclRefExpr>(To);
      return DRE && DRE->getDecl()->getName() == "stderr";
    }
    // The C library's other printf-like functions write standard output
    // or a string; a program's own (a logger) reports.
    return FD->hasAttr<FormatAttr>() &&
           !Ctx.getSourceManager().isInSystemHeader(FD->getLocation());
  }

  bool failureCase(const SwitchCase *SC) const {
    const auto *Case = dyn_cast_or_null<CaseStmt>(SC);
    if (!Case || Case->getRHS())
      return false;
    std::optional<int64_t> C = integerConstant(Case->getLHS(), Ctx);
    return C && *C < 0;
  }

  bool labelOnlyOnFailure(const LabelStmt *L, unsigned Depth) {
    auto It = Gotos.find(L->getDecl());
    if (It == Gotos.end())
      return false;
    for (const GotoStmt *G : It->second)
      if (!onlyOnFailure(G, Depth + 1))
        return false;
    // Nothing falls into it: the statement before it leaves.
    const auto *CS = dyn_cast_or_null<CompoundStmt>(Parents.getParent(L));
    if (!CS)
      return false;
    const Stmt *Before = nullptr;
    for (const Stmt *X : CS->body()) {
      if (X == L)
        break;
      Before = X;
    }
    return isa_and_nonnull<GotoStmt>(Before) || leavesAt(Before);
  }
};

} // namespace

namespace callerdetail {
/// 1: ends the process; 0: never returns but does not end the process
/// (another thread, a jump, an exception); -1: not known by name.
int endsByName(const FunctionDecl *FD) {
  llvm::StringRef N = cName(FD);
  if (N.empty())
    return -1;
  static const char *const Ends[] = {
      "exit",   "_exit", "_Exit", "abort",         "quick_exit",
      "err",    "errx",  "verr",  "verrx",         "__assert_fail",
      "__assert_perror_fail",     "__assert",      "__assert_rtn",
      "terminate"};
  static const char *const Leaves[] = {
      "pthread_exit",  "thrd_exit",     "longjmp",      "siglongjmp",
      "_longjmp",      "__longjmp_chk", "__cxa_throw",  "__cxa_rethrow",
      "rethrow_exception", "throw_with_nested"};
  for (const char *E : Ends)
    if (N == E)
      return 1;
  for (const char *L : Leaves)
    if (N == L)
      return 0;
  return -1;
}
} // namespace callerdetail

bool CallerContext::functionEnds(const FunctionDecl *F, unsigned Depth) {
  if (!F)
    return false;
  // A body of the program's own is read (its `err()` is not libc's); the
  // C library's functions are known by name.
  const FunctionDecl *Def = nullptr;
  bool OwnBody = F->hasBody(Def) && Def &&
                 !Ctx.getSourceManager().isInSystemHeader(Def->getLocation());
  if (!OwnBody) {
    int ByName = endsByName(F);
    if (ByName >= 0)
      return ByName == 1;
  }
  if (OwnBody && !Def->isDependentContext()) {
    F = Def->getCanonicalDecl();
    if (auto It = EndsCache.find(F); It != EndsCache.end())
      return It->second;
    if (Depth >= 2 * MaxDepth || !EndsInProgress.insert(F).second) {
      EndsCut = true;
      return false;
    }
    bool OuterCut = EndsCut;
    EndsCut = false;
    Outcome O = exec(Def->getBody(), Binding(), Frame{Def, Depth + 1});
    bool Result = O.K == Outcome::Ends;
    EndsInProgress.erase(F);
    if (!EndsCut)
      EndsCache[F] = Result;
    EndsCut |= OuterCut;
    return Result;
  }
  // No body here. A NoReturnFunctions entry (the model knows it by name,
  // not from an attribute) is a fatal-error helper.
  if (const ApiFunction *Api = Model.lookup(F);
      Api && Api->Role == ApiRole::NoReturn && !F->isNoReturn())
    return true;
  if (!F->isNoReturn())
    return false;
  // Declared noreturn: it ends the process, loops forever, jumps or ends
  // the thread (longjmp and pthread_exit are known by name above), or, in
  // C++, throws, unless it cannot.
  if (!Ctx.getLangOpts().CPlusPlus || !Ctx.getLangOpts().CXXExceptions)
    return true;
  if (const auto *FPT = F->getType()->getAs<FunctionProtoType>())
    return FPT->isNothrow();
  return false;
}

bool CallerContext::exprEnds(const Expr *E, const Binding &B, const Frame &F) {
  E = skipImplicit(E);
  if (!E)
    return false;
  if (const auto *CE = dyn_cast<CastExpr>(E))
    return exprEnds(CE->getSubExpr(), B, F);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (isFatalError(Call, Ctx))
      return true;
    if (const FunctionDecl *FD = Call->getDirectCallee())
      return functionEnds(FD, F.Depth);
    return false;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    switch (BO->getOpcode()) {
    case BO_Comma:
      return exprEnds(BO->getLHS(), B, F) || exprEnds(BO->getRHS(), B, F);
    case BO_LOr:
      return exprEnds(BO->getLHS(), B, F) ||
             (truth(BO->getLHS(), B) == 0 && exprEnds(BO->getRHS(), B, F));
    case BO_LAnd:
      return exprEnds(BO->getLHS(), B, F) ||
             (truth(BO->getLHS(), B) == 1 && exprEnds(BO->getRHS(), B, F));
    default:
      return exprEnds(BO->getLHS(), B, F) || exprEnds(BO->getRHS(), B, F);
    }
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    if (exprEnds(CO->getCond(), B, F))
      return true;
    int T = truth(CO->getCond(), B);
    if (T == 1)
      return exprEnds(CO->getTrueExpr(), B, F);
    if (T == 0)
      return exprEnds(CO->getFalseExpr(), B, F);
    return exprEnds(CO->getTrueExpr(), B, F) &&
           exprEnds(CO->getFalseExpr(), B, F);
  }
  if (const auto *SE = dyn_cast<StmtExpr>(E))
    return exec(SE->getSubStmt(), B, F).K == Outcome::Ends;
  return false;
}

bool CallerContext::returnsOnlyOnFailure(const FunctionDecl *F,
                                         Interval *Value) {
  const FunctionDecl *Def = nullptr;
  if (!F || !F->hasBody(Def) || !Def || Def->isDependentContext() ||
      Def->isMain() || Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Def); MD && MD->isVirtual())
    return false;
  auto [It, New] = FailureOnlyCache.try_emplace(Def->getCanonicalDecl());
  if (!New) {
    if (Value)
      *Value = It->second.second;
    return It->second.first;
  }
  CFG::BuildOptions Opts;
  std::unique_ptr<CFG> G =
      CFG::buildCFG(Def, Def->getBody(), &Ctx, Opts);
  if (!G)
    return false;
  // The blocks a path from the entry reaches.
  llvm::BitVector Reached(G->getNumBlockIDs());
  llvm::SmallVector<const CFGBlock *, 16> Work{&G->getEntry()};
  Reached.set(G->getEntry().getBlockID());
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    for (const CFGBlock *Succ : B->succs())
      if (Succ && !Reached.test(Succ->getBlockID())) {
        Reached.set(Succ->getBlockID());
        Work.push_back(Succ);
      }
  }
  // The value one `return` gives: a constant, or a local variable that
  // only its initializer sets (sudo's `debug_return_int(-1)` declares one).
  auto ValueOf = [&](const Expr *RV) -> Interval {
    Binding B;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(RV->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->isLocalVarDecl() && !VD->isStaticLocal() && VD->getInit() &&
          !VD->getType()->isReferenceType() &&
          !changesVar(Def->getBody(), VD)) {
        B.Var = VD;
        B.V = eval(VD->getInit(), Binding());
      }
    return eval(RV, B);
  };
  bool Ends = false, Returns = false;
  std::optional<Interval> Given;
  FailurePaths Failures(Def->getBody(), Ctx, Model);
  for (const CFGBlock *P : G->getExit().preds()) {
    if (!P || !Reached.test(P->getBlockID()))
      continue;
    // The last statement of the block: a return, a call that never
    // returns, or the end of a void function's body.
    const Stmt *Last = nullptr;
    for (auto E = P->rbegin(); E != P->rend() && !Last; ++E)
      if (auto CS = E->getAs<CFGStmt>())
        Last = CS->getStmt();
    if (P->hasNoReturnElement()) {
      const auto *Call = dyn_cast_or_null<CallExpr>(Last);
      if (!Call || !exprEnds(Call, Binding(), Frame{Def, 0}))
        return false; // a throw, pthread_exit(), longjmp()
      Ends = true;
      continue;
    }
    const auto *RS = dyn_cast_or_null<ReturnStmt>(Last);
    if (!RS)
      return false; // the end of a void function: it came back
    // Only a failure reaches it: a parent that returns after its child
    // started (`if (pid > 0) return;`), or a `return;` at the end, is the
    // function coming back from success.
    if (!Failures.onlyOnFailure(RS))
      return false;
    const Expr *RV = RS->getRetValue();
    if (Def->getReturnType()->isVoidType() != !RV)
      return false;
    Interval V = RV ? ValueOf(RV) : known(0, 0);
    if (!V.Known || V.Lo != V.Hi || (Given && Given->Lo != V.Lo))
      return false;
    Given = V;
    Returns = true;
  }
  if (!Returns)
    return false;
  bool Result = Ends;
  FailureOnlyCache[Def->getCanonicalDecl()] = {Result, *Given};
  if (Value)
    *Value = *Given;
  return Result;
}

} // namespace clang::tidy::pipe
