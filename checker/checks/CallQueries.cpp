//===--- CallQueries.cpp - syntactic questions about one call -------------===//
#include "checks/CallQueries.h"
#include "AstQueries.h"
#include "models/ApiModel.h"

#include "clang/AST/ASTContext.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::pipe {

namespace {

/// The variable of \p DS that \p Init initialises, if any.
const VarDecl *initialisedBy(const DeclStmt *DS, const Stmt *Init) {
  for (const Decl *D : DS->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit() == Init)
      return VD;
  return nullptr;
}

/// The variable a read's result is stored in: `n = read(...)` or
/// `ssize_t n = read(...)`.
const ValueDecl *resultVariable(const CallExpr *Read, const FunctionAnalysis &A) {
  const Stmt *Cur = Read;
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    const Stmt *P = A.parentOf(Cur);
    if (!P)
      return nullptr;
    if (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P)) {
      Cur = P;
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE =
                dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
          return DRE->getDecl();
    if (const auto *DS = dyn_cast<DeclStmt>(P))
      return initialisedBy(DS, Cur);
    return nullptr;
  }
  return nullptr;
}

bool leavesLoop(const Stmt *S) {
  if (!S)
    return false;
  if (isa<BreakStmt>(S) || isa<ReturnStmt>(S) || isa<GotoStmt>(S))
    return true;
  if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S) ||
      isa<SwitchStmt>(S))
    return false; // a break in there leaves that statement, not our loop
  for (const Stmt *C : S->children())
    if (leavesLoop(C))
      return true;
  return false;
}

/// True if \p S (a loop body) tests \p VD and leaves the loop on it:
/// `if (n <= 0) break;`, `if (n == 0) return ...;`.
bool leavesOnResult(const Stmt *S, const ValueDecl *VD) {
  if (!S)
    return false;
  if (const auto *If = dyn_cast<IfStmt>(S))
    if (mentionsVar(If->getCond(), VD) &&
        (leavesLoop(If->getThen()) || leavesLoop(If->getElse())))
      return true;
  if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S))
    return false;
  for (const Stmt *C : S->children())
    if (leavesOnResult(C, VD))
      return true;
  return false;
}

} // namespace

/// A read in a loop that runs until the read reports end-of-file: the read
/// in the loop's condition (`while ((n = read(...)) > 0)`,
/// `while (fgets(...))`), or a loop body that leaves when the read's result
/// says so.
bool readsUntilEof(const CallExpr *Read, const FunctionAnalysis &A) {
  ASTContext &Ctx = A.context();
  const ValueDecl *Result = resultVariable(Read, A);
  const Stmt *Child = Read;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    // `ssize_t n = read(...)`: the parent of the initialiser is the DeclStmt.
    const Stmt *P = A.parentOf(Child);
    if (!P || isa<LambdaExpr>(P) || isa<BlockExpr>(P))
      return false; // the function's boundary
    const Expr *Cond = nullptr;
    const Stmt *Body = nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(P)) {
      Cond = W->getCond();
      Body = W->getBody();
    } else if (const auto *F = dyn_cast<ForStmt>(P)) {
      Cond = F->getCond();
      Body = F->getBody();
    } else if (const auto *D = dyn_cast<DoStmt>(P)) {
      Cond = D->getCond();
      Body = D->getBody();
    }
    if (Body) {
      // A condition that can end the loop on its own (a count, a
      // delimiter) makes it no read-to-EOF loop.
      const Expr *C = Cond ? Cond->IgnoreParenImpCasts() : nullptr;
      bool Compound = false;
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(C))
        Compound = BO->isLogicalOp();
      if (C && Child == Cond)
        return !Compound; // `while ((n = read(...)) > 0)`, `while (fgets(...))`
      if (C && Result && mentionsVar(C, Result))
        return !Compound;
      bool Forever = !C;
      if (C) {
        bool Value = false;
        Forever = C->EvaluateAsBooleanCondition(Value, Ctx) && Value;
      }
      return Forever && Result && leavesOnResult(Body, Result);
    }
    Child = P;
  }
  return false;
}

bool readsWholeStream(const CallExpr *Read, const FunctionAnalysis &A) {
  if (!readsUntilEof(Read, A))
    return false;
  // `while ((n = read(...)) > 0) { ... break; }`: a search that may stop
  // early, not a read of everything.
  const Stmt *Loop = enclosingLoop(Read, A);
  const Stmt *Body = nullptr;
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    Body = W->getBody();
  else if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    Body = F->getBody();
  else if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
    Body = D->getBody();
  if (!Body || Body->getSourceRange().fullyContains(Read->getSourceRange()))
    return true; // the read is in the body: the loop leaves on its result
  return !leavesLoop(Body);
}

std::string calleeName(const CallExpr *CE) {
  const FunctionDecl *FD = ApiModel::calleeOf(CE);
  return FD && FD->getIdentifier() ? FD->getName().str() : std::string();
}

const Expr *callArg(const CallExpr *CE, int I) {
  return CE && I >= 0 && unsigned(I) < CE->getNumArgs() ? CE->getArg(unsigned(I))
                                                        : nullptr;
}

bool readDoesNotWait(const CallExpr *Read, const ApiModel &Model,
                     ASTContext &Ctx) {
  const FunctionDecl *FD = ApiModel::calleeOf(Read);
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  int FlagsArg = (N == "recv" || N == "recvfrom") ? 3 : N == "recvmsg" ? 2 : -1;
  const Expr *Flags = callArg(Read, FlagsArg);
  Expr::EvalResult Res;
  return Flags && Flags->EvaluateAsInt(Res, Ctx) && Res.Val.isInt() &&
         (Res.Val.getInt().getZExtValue() & uint64_t(Model.Constants.MsgDontwait));
}

const Stmt *enclosingLoop(const Stmt *S, const FunctionAnalysis &A) {
  const Stmt *Child = S;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    const Stmt *P = A.parentOf(Child);
    if (!P || isa<LambdaExpr>(P) || isa<BlockExpr>(P))
      return nullptr; // the function's boundary
    if (isLoopStmt(P))
      return P;
    Child = P;
  }
  return nullptr;
}

bool isWriteCall(const CallExpr *CE, const ApiModel &Model) {
  const FunctionDecl *FD = ApiModel::calleeOf(CE);
  if (!FD || !FD->getIdentifier())
    return false;
  if (const ApiFunction *Api = Model.lookup(FD))
    return Api->Role == ApiRole::Write;
  std::string N = FD->getName().lower();
  return llvm::StringRef(N).contains("write") ||
         llvm::StringRef(N).contains("send");
}

bool containsWriteCall(const Stmt *S, const ApiModel &Model) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S); CE && isWriteCall(CE, Model))
    return true;
  for (const Stmt *C : S->children())
    if (containsWriteCall(C, Model))
      return true;
  return false;
}

std::optional<EndId> summarySlotEnd(const FunctionAnalysis &A,
                                    const CallExpr *CE, const SummarySlot &Sl,
                                    const PathState &S) {
  if (Sl.K != SummarySlot::Value && Sl.K != SummarySlot::Pointee)
    return std::nullopt;
  AbsVal X = A.slotValueAt(CE, Sl.Param, Sl.K == SummarySlot::Pointee,
                           Sl.Sel, S);
  if (X.K != AbsVal::End)
    return std::nullopt;
  return X.E;
}

std::optional<TaskId> runningTaskHolding(const FunctionAnalysis &A, EndId E,
                                         const PathState &S,
                                         bool ThreadsOnly) {
  for (TaskId T = 0; T < A.tasks().size(); ++T)
    if ((!ThreadsOnly || A.tasks()[T].Kind != TaskKind::ForkChild) &&
        (S.taskStatus(T) & TaskRunning) &&
        llvm::is_contained(A.tasks()[T].Holds, E))
      return T;
  return std::nullopt;
}

} // namespace clang::tidy::pipe
