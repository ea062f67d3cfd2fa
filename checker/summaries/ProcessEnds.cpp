//===--- ProcessEnds.cpp - which calls and expressions end the process -----===//

#include "summaries/CallerContext.h"
#include "summaries/CallerContextDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
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
