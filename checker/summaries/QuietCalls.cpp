//===--- QuietCalls.cpp - what a caller may do before it ends the process --===//
//
// Whatever a function returns, a leak in it is harmless when its caller
// ends the process right after the call (CallerContext.h, Binding::Strict):
// sudo's monitor child `exec_monitor(...); send(sv[1], ...); _exit(1);`.
// "Right after" means that nothing on the way could wait for the pipe or
// hand the leaked end to another process: no loop, and only quiet calls,
// which cannot wait, read, poll, fork, start a program or a thread, or
// make or duplicate a descriptor. The model says what a library call
// does; a system function it does not know is quiet; a function of the
// program is quiet when its body, here, holds no loop and only quiet
// calls (three deep), or when it is declared with a printf format
// attribute (a message); any other function of the program, whose body is
// in another file, could do anything.
//
//===----------------------------------------------------------------------===//

#include "summaries/CallerContext.h"
#include "summaries/CallerContextDetail.h"
#include "models/TaskModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

using namespace callerdetail;

namespace {
/// How deep the program's own helpers are read.
constexpr unsigned MaxQuietDepth = 3;

/// Can a call with this role not wait, read, start anything or make a
/// descriptor?
bool quietRole(ApiRole R) {
  switch (R) {
  case ApiRole::Write:
  case ApiRole::Close:
  case ApiRole::CloseRange:
  case ApiRole::Borrow:
  case ApiRole::Fileno:
  case ApiRole::FileActionClose:
  case ApiRole::FileActionDup2:
  case ApiRole::NoReturn:
  case ApiRole::Exec: // the program ends, or the exec fails and goes on
    return true;
  default:
    return false;
  }
}

/// A loop, or a jump that may make one; `do { ... } while (0)` runs once.
bool loops(const Stmt *X, ASTContext &Ctx) {
  if (const auto *Do = dyn_cast<DoStmt>(X)) {
    bool Again = true;
    return Do->getCond()->isValueDependent() ||
           !Do->getCond()->EvaluateAsBooleanCondition(Again, Ctx) || Again;
  }
  return isa<WhileStmt>(X) || isa<ForStmt>(X) || isa<CXXForRangeStmt>(X) ||
         isa<GotoStmt>(X) || isa<IndirectGotoStmt>(X);
}
} // namespace

bool CallerContext::quiet(const Stmt *S, const Binding &B) {
  llvm::SmallVector<const Stmt *, 32> Stack{S};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X || X == B.Call || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
      continue; // a lambda's body runs when it is called
    if (loops(X, Ctx) || isa<SwitchStmt>(X))
      return false;
    if ((isa<CallExpr>(X) || isa<CXXConstructExpr>(X)) && !quietCall(X, 0))
      return false;
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return true;
}

bool CallerContext::quietCall(const Stmt *Call, unsigned Depth) {
  // A thread, a std::async task, pthread_create(), a waitpid() or join.
  if (classifyTaskStart(Call, &Model))
    return false;
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(Call)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    return !Ctor || Ctor->isTrivial() || quietFunction(Ctor, Depth);
  }
  const auto *CE = cast<CallExpr>(Call);
  if (classifyTaskOp(CE, &Model))
    return false;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return false; // through a pointer: cannot be seen
  if (endsByName(FD) == 1)
    return true;
  if (const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE)))
    return quietRole(Api->Role);
  return quietFunction(FD, Depth);
}

bool CallerContext::quietFunction(const FunctionDecl *FD, unsigned Depth) {
  const SourceManager &SM = Ctx.getSourceManager();
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || !Def->getBody()) {
    // The system's (signal(), perror(), send() when not modelled), or a
    // message: the program's own printf-like logger.
    if (FD->getBuiltinID() != 0 ||
        SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
      return true;
    for (const FunctionDecl *R : FD->redecls())
      if (R->hasAttr<FormatAttr>())
        return true;
    return false;
  }
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return true;
  if (Def->isDependentContext())
    return false;
  const FunctionDecl *Key = Def->getCanonicalDecl();
  // Answers from the top (depth 0) are kept: the same for every question.
  if (auto It = QuietCache.find(Key); It != QuietCache.end())
    return It->second;
  if (Depth >= MaxQuietDepth || !QuietInProgress.insert(Key).second)
    return false; // too deep, or calls itself: not known
  bool Result = true;
  llvm::SmallVector<const Stmt *, 32> Stack{Def->getBody()};
  while (Result && !Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
      continue;
    if (loops(X, Ctx) || ((isa<CallExpr>(X) || isa<CXXConstructExpr>(X)) &&
                          !quietCall(X, Depth + 1))) {
      Result = false;
      break;
    }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  QuietInProgress.erase(Key);
  if (Depth == 0)
    QuietCache[Key] = Result;
  return Result;
}

bool CallerContext::waitsForTask(const Stmt *S, const Stmt *Skip,
                                 unsigned Depth) {
  llvm::SmallVector<const Stmt *, 32> Stack{S};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X || X == Skip || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(X)) {
      if (std::optional<TaskOp> Op = classifyTaskOp(CE, &Model);
          Op && (Op->K == TaskOp::Join || Op->K == TaskOp::WaitAnyChild))
        return true;
      const FunctionDecl *FD = CE->getDirectCallee();
      const FunctionDecl *Def = nullptr;
      if (FD && !Model.lookup(ApiModel::calleeOf(CE)) && FD->hasBody(Def) &&
          Def && Depth < MaxQuietDepth &&
          !Ctx.getSourceManager().isInSystemHeader(
              Ctx.getSourceManager().getExpansionLoc(Def->getLocation()))) {
        // As quietFunction(): answers from the top are kept, since one
        // cut by the depth bound further down is not the whole answer.
        const FunctionDecl *Key = Def->getCanonicalDecl();
        if (auto It = WaitsCache.find(Key); It != WaitsCache.end()) {
          if (It->second)
            return true;
        } else if (WaitsInProgress.insert(Key).second) {
          bool W = waitsForTask(Def->getBody(), nullptr, Depth + 1);
          WaitsInProgress.erase(Key);
          if (Depth == 0)
            WaitsCache[Key] = W;
          if (W)
            return true;
        }
      }
    }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return false;
}

} // namespace clang::tidy::pipe
