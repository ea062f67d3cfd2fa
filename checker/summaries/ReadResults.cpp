//===--- ReadResults.cpp - what the result of a read, or of a helper, says -===//
//
// A loop `while ((n = read(fd, buf, sizeof buf)) > 0)` ends when the read
// returned end-of-file or failed: on that edge the descriptor was read to
// its end (readEndedOnBranch()). A helper that wraps such a read and
// reports it in its result (`read_full(fd, buf, len)` returning 1 when it
// read, 0 at end-of-file, -errno on a failure) ends such a loop the same
// way: it returns 0 or less only where its own read of the descriptor
// returned 0 or less (returnsEndOfFileResult(), ParamSummary::
// EndOfFileResult), so `while (read_full(fd, ...) > 0)` reads to the end.
//
//===----------------------------------------------------------------------===//
#include "AstQueries.h"
#include "summaries/CalleeSummary.h"
#include "summaries/CalleeSummaryDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

using namespace calleedetail;

namespace {
/// On the \p Taken edge of the branch on \p Cond, the expression that
/// \p Match accepts and that can only be 0 or less there (`n > 0` left
/// false, `n == 0`, `n < 0`, `n <= 0`, `!n`, `p == NULL` taken); else null.
using ContextOf = llvm::function_ref<const ASTContext &(const Expr *)>;

const Expr *nonPositiveOnEdge(const Expr *Cond, bool Taken, ContextOf CtxOf,
                              llvm::function_ref<bool(const Expr *)> Match) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return nonPositiveOnEdge(UO->getSubExpr(), !Taken, CtxOf, Match);
  // A plain truth test: false means 0 (or NULL).
  if (Match(Cond))
    return Taken ? nullptr : Cond;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO || !BO->isComparisonOp())
    return nullptr;
  const Expr *X = BO->getLHS(), *K = BO->getRHS();
  BinaryOperatorKind Op = BO->getOpcode();
  if (!Match(X)) {
    std::swap(X, K);
    Op = BinaryOperator::reverseComparisonOp(Op);
    if (!Match(X))
      return nullptr;
  }
  if (K->isValueDependent())
    return nullptr;
  const ASTContext &Ctx = CtxOf(X);
  int64_t C = 0;
  if (!K->IgnoreParenImpCasts()->isNullPointerConstant(
          const_cast<ASTContext &>(Ctx), Expr::NPC_ValueDependentIsNotNull)) {
    Expr::EvalResult Res;
    if (!K->EvaluateAsInt(Res, Ctx))
      return nullptr;
    C = Res.Val.getInt().getExtValue();
  }
  if (!Taken)
    Op = BinaryOperator::negateComparisonOp(Op);
  // On this edge `X Op C` holds: does that leave only values <= 0?
  switch (Op) {
  case BO_EQ:
  case BO_LE:
    return C <= 0 ? X : nullptr;
  case BO_LT:
    return C <= 1 ? X : nullptr;
  default:
    return nullptr;
  }
}

/// `read(...)`, `(n = read(...))`: the call.
const CallExpr *callIn(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *A = dyn_cast<BinaryOperator>(E); A && A->getOpcode() == BO_Assign)
    E = A->getRHS()->IgnoreParenImpCasts();
  return dyn_cast<CallExpr>(E);
}

/// A read of the model (read(), recv(), fgets(), ...).
const ApiFunction *readApi(const CallExpr *CE, const ApiModel &Model) {
  const ApiFunction *Api = CE ? Model.lookup(ApiModel::calleeOf(CE)) : nullptr;
  return Api && Api->Role == ApiRole::Read ? Api : nullptr;
}
} // namespace

namespace calleedetail {
const VarDecl *readResultVariable(const Stmt *X, const ValueDecl *P,
                                  const ParentMap &PM, const ApiModel &Model) {
  const auto *CE = dyn_cast<CallExpr>(X);
  const ApiFunction *Api = readApi(CE, Model);
  if (!Api || Api->Stream || Api->Arg < 0 ||
      unsigned(Api->Arg) >= CE->getNumArgs() ||
      refVarOrMember(CE->getArg(unsigned(Api->Arg))) != P)
    return nullptr;
  const Stmt *Up = PM.getParent(CE);
  while (Up && isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr>(Up))
    Up = PM.getParent(Up);
  if (const auto *A = dyn_cast_or_null<BinaryOperator>(Up);
      A && A->getOpcode() == BO_Assign)
    return refVar(A->getLHS());
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(Up); DS && DS->isSingleDecl())
    return dyn_cast<VarDecl>(DS->getSingleDecl());
  return nullptr;
}
/// On the \p Taken edge of the branch on \p Cond, is \p P (a variable or a
/// member of `this`) negative: no descriptor (`fd_ < 0`, `fd == -1`
/// taken, `fd >= 0` left false)?
bool isNegativeOnEdge(const Expr *Cond, bool Taken, const ValueDecl *P,
                      const ASTContext &Ctx) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  // `n < 0 && errno == EINTR` taken, `n >= 0 || ...` left: either side.
  if (BO && BO->getOpcode() == (Taken ? BO_LAnd : BO_LOr))
    return isNegativeOnEdge(BO->getLHS(), Taken, P, Ctx) ||
           isNegativeOnEdge(BO->getRHS(), Taken, P, Ctx);
  if (!BO || !BO->isComparisonOp())
    return false;
  const Expr *X = BO->getLHS(), *K = BO->getRHS();
  BinaryOperatorKind Op = BO->getOpcode();
  if (refVarOrMember(X) != P) {
    std::swap(X, K);
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  std::optional<int64_t> C = integerConstant(K, Ctx);
  if (refVarOrMember(X) != P || !C)
    return false;
  if (!Taken)
    Op = BinaryOperator::negateComparisonOp(Op);
  switch (Op) {
  case BO_LT:
    return *C <= 0;
  case BO_LE:
  case BO_EQ:
    return *C < 0;
  default:
    return false;
  }
}

} // namespace calleedetail

std::optional<unsigned> readArgument(const CallExpr *Read, const ApiModel &Model,
                                     CalleeSummaries *Helpers) {
  if (!Read)
    return std::nullopt;
  if (const ApiFunction *Api = readApi(Read, Model))
    return Api->Arg >= 0 && unsigned(Api->Arg) < Read->getNumArgs()
               ? std::optional<unsigned>(unsigned(Api->Arg))
               : std::nullopt;
  const FunctionDecl *Callee = ApiModel::calleeOf(Read);
  if (!Helpers || !Callee || Model.lookup(Callee))
    return std::nullopt;
  for (unsigned I = 0; I < Read->getNumArgs(); ++I) {
    int Param = paramOfArg(Read, Callee, I);
    if (Param < 0 || !Read->getArg(I)->getType()->isIntegerType())
      continue;
    const ParamSummary *PS = Helpers->paramSummary(Callee, unsigned(Param));
    if (PS && PS->EndOfFileResult)
      return I;
  }
  return std::nullopt;
}

const CallExpr *readEndedOnBranch(const Expr *Cond, bool Taken,
                                  const ApiModel &Model,
                                  CalleeSummaries *Helpers) {
  if (!Cond)
    return nullptr;
  auto IsRead = [&](const Expr *E) {
    const CallExpr *CE = callIn(E);
    return CE && (readApi(CE, Model) ||
                  (Helpers && (readArgument(CE, Model, Helpers) ||
                               readMember(CE, Helpers))));
  };
  // (A matched expression is a call: its callee's context.)
  auto CtxOf = [](const Expr *X) -> const ASTContext & {
    return ApiModel::calleeOf(callIn(X))->getASTContext();
  };
  const Expr *X = nonPositiveOnEdge(Cond, Taken, CtxOf, IsRead);
  return X ? callIn(X) : nullptr;
}

const FieldDecl *readMember(const CallExpr *Read, CalleeSummaries *Helpers) {
  const auto *MCE = dyn_cast_or_null<CXXMemberCallExpr>(Read);
  const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
  if (!MD || !Helpers || MD->isStatic() ||
      !MD->getReturnType()->isIntegerType())
    return nullptr;
  for (const FieldDecl *F : MD->getParent()->fields())
    if (F->getType()->isIntegerType())
      if (const ParamSummary *PS = Helpers->memberSummary(MD, F);
          PS && PS->EndOfFileResult)
        return F;
  return nullptr;
}

bool returnsEndOfFileResult(const FunctionDecl *Def, const ValueDecl *P,
                            const ApiModel &Model, CalleeSummaries *Helpers) {
  const Stmt *Body = Def ? Def->getBody() : nullptr;
  if (!Body || !P || !Def->getReturnType()->isIntegerType())
    return false;
  const ASTContext &Ctx = Def->getASTContext();
  ParentMap PM(const_cast<Stmt *>(Body));
  auto IsClosure = [](const Stmt *S) { return isa<LambdaExpr, BlockExpr>(S); };
  // The variables the reads of P store their results in.
  llvm::SmallPtrSet<const VarDecl *, 2> Results;
  walkStmts(Body, [&](const Stmt *X) {
    if (IsClosure(X))
      return WalkStep::Over;
    if (const VarDecl *N = readResultVariable(X, P, PM, Model))
      Results.insert(N);
    return WalkStep::Into;
  });
  // `return read_line_from(fd_, buf_, line);`: a helper's result that
  // reports its read of P, passed on.
  auto PassesOnHelper = [&](const Expr *RV) {
    const auto *CE = dyn_cast<CallExpr>(RV->IgnoreParenImpCasts());
    const FunctionDecl *Callee = CE ? ApiModel::calleeOf(CE) : nullptr;
    if (!Helpers || !Callee || Model.lookup(Callee))
      return false;
    for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
      int Param = paramOfArg(CE, Callee, I);
      if (Param < 0 || refVarOrMember(CE->getArg(I)) != P)
        continue;
      const ParamSummary *PS = Helpers->paramSummary(Callee, unsigned(Param));
      if (PS && PS->EndOfFileResult)
        return true;
    }
    return false;
  };
  if (Results.empty()) {
    // Only such a helper: its every `return` passes the helper's result on.
    bool Passes = false, Other = false;
    walkStmts(Body, [&](const Stmt *X) {
      if (IsClosure(X))
        return WalkStep::Over;
      if (const auto *RS = dyn_cast<ReturnStmt>(X)) {
        const Expr *RV = RS->getRetValue();
        if (RV && PassesOnHelper(RV))
          Passes = true;
        else
          Other = true;
      }
      return WalkStep::Into;
    });
    return Passes && !Other;
  }
  auto IsResult = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(E);
        A && A->getOpcode() == BO_Assign)
      E = A->getLHS();
    const VarDecl *V = refVar(E);
    return V && Results.count(V);
  };
  // Every `return` gives a positive constant (it read something), or is
  // reached only where a read's result is 0 or less.
  bool Ok = true, Guarded = false;
  walkStmts(Body, [&](const Stmt *X) {
    if (IsClosure(X))
      return WalkStep::Over;
    const auto *RS = dyn_cast<ReturnStmt>(X);
    if (!RS)
      return WalkStep::Into;
    const Expr *RV = RS->getRetValue();
    if (std::optional<int64_t> C = RV ? integerConstant(RV, Ctx) : std::nullopt;
        C && *C > 0)
      return WalkStep::Into;
    for (const Stmt *Child = RS, *Up = PM.getParent(RS); Up && RV;
         Child = Up, Up = PM.getParent(Up)) {
      const auto *If = dyn_cast<IfStmt>(Up);
      if (!If || (If->getThen() != Child && If->getElse() != Child))
        continue;
      if (nonPositiveOnEdge(
              If->getCond(), If->getThen() == Child,
              [&](const Expr *) -> const ASTContext & { return Ctx; },
              IsResult)) {
        Guarded = true;
        return WalkStep::Into;
      }
      // `if (fd_ < 0) return false;`: nothing to read, no pipe to wait on.
      if (isNegativeOnEdge(If->getCond(), If->getThen() == Child, P, Ctx))
        return WalkStep::Into;
    }
    Ok = false;
    return WalkStep::Stop;
  });
  return Ok && Guarded;
}

} // namespace clang::tidy::pipe
