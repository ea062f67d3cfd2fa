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
#include "summaries/CallerContextDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

using namespace calleedetail;
using callerdetail::changesVar;

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
                                  CalleeSummaries *Helpers,
                                  const ReadResultUses *Uses) {
  if (!Cond)
    return nullptr;
  // The read \p E is, or whose result the variable \p E names holds.
  auto ReadOf = [&](const Expr *E) -> const CallExpr * {
    if (const CallExpr *CE = callIn(E))
      return CE;
    if (const auto *DRE = Uses ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts())
                               : nullptr)
      if (auto It = Uses->find(DRE); It != Uses->end())
        return It->second;
    return nullptr;
  };
  auto IsRead = [&](const Expr *E) {
    const CallExpr *CE = ReadOf(E);
    return CE && isReadCall(CE, Model, Helpers);
  };
  // (A matched expression is a call: its callee's context.)
  auto CtxOf = [&](const Expr *X) -> const ASTContext & {
    return ApiModel::calleeOf(ReadOf(X))->getASTContext();
  };
  const Expr *X = nonPositiveOnEdge(Cond, Taken, CtxOf, IsRead);
  return X ? ReadOf(X) : nullptr;
}

bool isReadCall(const CallExpr *CE, const ApiModel &Model,
                CalleeSummaries *Helpers) {
  return CE && (readApi(CE, Model) ||
                (Helpers && (readArgument(CE, Model, Helpers) ||
                             readMember(CE, Helpers))));
}

namespace {
/// Follows the statements of a function in order, and for each variable
/// the read whose result it holds (ReadResultUses).
struct ReadResultWalk {
  const ApiModel &Model;
  CalleeSummaries *Helpers;
  ReadResultUses &Out;
  using Defs = llvm::DenseMap<const VarDecl *, const CallExpr *>;

  /// `n = read(...)`, `ssize_t n = read(...);`: the variable and the read.
  std::pair<const VarDecl *, const CallExpr *> definition(const Stmt *S) {
    const Expr *Value = nullptr;
    const VarDecl *V = nullptr;
    if (const auto *E = dyn_cast<Expr>(S)) {
      const auto *BO = dyn_cast<BinaryOperator>(E->IgnoreImplicit());
      if (BO && BO->getOpcode() == BO_Assign) {
        V = refVar(BO->getLHS());
        Value = BO->getRHS();
      }
    } else if (const auto *DS = dyn_cast<DeclStmt>(S);
               DS && DS->isSingleDecl()) {
      V = dyn_cast<VarDecl>(DS->getSingleDecl());
      Value = V ? V->getInit() : nullptr;
    }
    if (!V || !Value || !V->getType()->isIntegerType())
      return {nullptr, nullptr};
    const auto *CE =
        dyn_cast<CallExpr>(Value->IgnoreImplicit()->IgnoreParenCasts());
    if (!CE || !isReadCall(CE, Model, Helpers))
      return {nullptr, nullptr};
    return {V, CE};
  }

  /// The uses of the variables \p Cur follows in \p S (not in a lambda).
  void mapUses(const Stmt *S, const Defs &Cur) {
    if (!S || Cur.empty())
      return;
    walkStmts(S, [&](const Stmt *X) {
      if (isa<LambdaExpr, BlockExpr>(X))
        return WalkStep::Over;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
          if (auto It = Cur.find(V); It != Cur.end())
            Out.try_emplace(DRE, It->second);
      return WalkStep::Into;
    });
  }

  /// A `continue` of the loop whose body is \p Body (not of a loop inside).
  static bool hasContinue(const Stmt *Body) {
    bool Found = false;
    walkStmts(Body, [&](const Stmt *X) {
      if (isLoopStmt(X) || isa<LambdaExpr, BlockExpr>(X))
        return WalkStep::Over;
      if (isa<ContinueStmt>(X)) {
        Found = true;
        return WalkStep::Stop;
      }
      return WalkStep::Into;
    });
    return Found;
  }

  /// The variables \p S may write (assign, take the address of, bind a
  /// reference to: callerdetail::changesVar()) no longer hold their read.
  static void forget(const Stmt *S, Defs &Cur) {
    llvm::SmallVector<const VarDecl *, 4> Changed;
    for (const auto &[V, Read] : Cur)
      if (changesVar(S, V))
        Changed.push_back(V);
    for (const VarDecl *V : Changed)
      Cur.erase(V);
  }

  void walk(const Stmt *S, Defs &Cur, unsigned Depth) {
    if (!S)
      return;
    if (Depth > 48) {
      Cur.clear();
      return;
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      for (const Stmt *X : CS->body())
        walk(X, Cur, Depth + 1);
      return;
    }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      walk(If->getInit(), Cur, Depth + 1);
      mapUses(If->getConditionVariableDeclStmt(), Cur);
      mapUses(If->getCond(), Cur);
      Defs Then = Cur, Else = Cur;
      walk(If->getThen(), Then, Depth + 1);
      walk(If->getElse(), Else, Depth + 1);
      forget(S, Cur);
      return;
    }
    if (isLoopStmt(S) || isa<SwitchStmt>(S)) {
      // A later turn (or another case) may come from anywhere in it.
      Defs Inside = Cur;
      forget(S, Inside);
      // `while ((n = read(fd, ...)) != 0) { if (n < 0) ... }`: in the body,
      // n holds the read of the condition, unless the body writes it.
      const Expr *Cond = nullptr;
      const Stmt *Body = nullptr;
      if (const auto *W = dyn_cast<WhileStmt>(S)) {
        Cond = W->getCond();
        Body = W->getBody();
      } else if (const auto *F = dyn_cast<ForStmt>(S)) {
        Cond = F->getCond();
        Body = F->getBody();
      }
      if (Cond && Body) {
        const Expr *X = Cond->IgnoreParenImpCasts();
        if (const auto *BO = dyn_cast<BinaryOperator>(X);
            BO && BO->isComparisonOp())
          X = BO->getLHS()->IgnoreParenImpCasts();
        if (auto [V, Read] = definition(X); Read && !changesVar(Body, V))
          Inside[V] = Read;
      }
      for (const Stmt *C : S->children())
        if (C && !isa<CompoundStmt>(C))
          mapUses(C, Inside);
      for (const Stmt *C : S->children())
        if (const auto *Body = dyn_cast_or_null<CompoundStmt>(C)) {
          Defs B = isa<SwitchStmt>(S) ? Defs() : Inside;
          walk(Body, B, Depth + 1);
          // `do { n = read(fd, ...); ... } while (n > 0);`: the condition
          // sees what the body's last statements left, when nothing in the
          // body jumps to it (`continue`).
          if (const auto *Do = dyn_cast<DoStmt>(S); Do && !hasContinue(Body))
            mapUses(Do->getCond(), B);
        }
      forget(S, Cur);
      return;
    }
    if (const auto *L = dyn_cast<LabelStmt>(S)) {
      // A goto may come here from anywhere.
      Cur.clear();
      walk(L->getSubStmt(), Cur, Depth + 1);
      return;
    }
    if (isa<CaseStmt, DefaultStmt>(S)) {
      Cur.clear();
      for (const Stmt *C : S->children())
        walk(C, Cur, Depth + 1);
      return;
    }
    auto [V, Read] = definition(S);
    if (Read) {
      // Its arguments are evaluated before it writes V.
      mapUses(Read, Cur);
      Cur[V] = Read;
      return;
    }
    mapUses(S, Cur);
    forget(S, Cur);
  }
};
} // namespace

ReadResultUses readResultUses(const Stmt *Body, const ApiModel &Model,
                              CalleeSummaries *Helpers) {
  ReadResultUses Out;
  ReadResultWalk W{Model, Helpers, Out};
  ReadResultWalk::Defs Cur;
  W.walk(Body, Cur, 0);
  return Out;
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
