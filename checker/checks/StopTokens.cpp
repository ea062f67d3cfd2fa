//===--- StopTokens.cpp - does a stop-token writer see the request? -------===//
#include "checks/StopTokens.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::pipe {

namespace {
bool isStdRecord(QualType T, llvm::StringRef Name) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == Name &&
         RD->isInStdNamespace();
}

/// Does \p FD write, itself or through the helpers of the file it calls
/// (three deep)?
bool writes(const Stmt *S, const ApiModel &Model, unsigned Depth);
bool callWrites(const CallExpr *CE, const ApiModel &Model, unsigned Depth) {
  const FunctionDecl *FD = ApiModel::calleeOf(CE);
  if (!FD)
    return false;
  if (const ApiFunction *Api = Model.lookup(FD))
    return Api->Role == ApiRole::Write;
  const FunctionDecl *Def = nullptr;
  return Depth < 3 && FD->hasBody(Def) && Def &&
         writes(Def->getBody(), Model, Depth + 1);
}
bool writes(const Stmt *S, const ApiModel &Model, unsigned Depth) {
  if (!S)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S); CE && callWrites(CE, Model, Depth))
    return true;
  for (const Stmt *C : S->children())
    if (writes(C, Model, Depth))
      return true;
  return false;
}

const LambdaExpr *lambdaWithBody(const Stmt *S, const Stmt *Body) {
  if (!S)
    return nullptr;
  if (const auto *LE = dyn_cast<LambdaExpr>(S); LE && LE->getBody() == Body)
    return LE;
  for (const Stmt *C : S->children())
    if (const LambdaExpr *LE = lambdaWithBody(C, Body))
      return LE;
  return nullptr;
}

struct BodyFacts {
  const ApiModel &Model;
  bool TokenRead = false, StopCallback = false, WaitsForRoom = false,
       SetsFlags = false;
  const CallExpr *FirstWrite = nullptr;
  void walk(const Stmt *S) {
    if (!S)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      TokenRead |= isStdRecord(DRE->getType(), "stop_token");
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          StopCallback |= isStdRecord(VD->getType(), "stop_callback");
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = ApiModel::calleeOf(CE);
      llvm::StringRef N =
          FD && FD->getIdentifier() ? FD->getName() : llvm::StringRef();
      if (N == "poll" || N == "ppoll" || N == "select" || N == "pselect" ||
          N == "epoll_wait" || N == "epoll_pwait")
        WaitsForRoom = true;
      else if (N == "fcntl" || N == "ioctl")
        SetsFlags = true;
      else if (!FirstWrite && callWrites(CE, Model, 0))
        FirstWrite = CE;
    }
    for (const Stmt *C : S->children())
      walk(C);
  }
};
} // namespace

StopVerdict stopVerdict(const TaskInfo &T, const PathState &S,
                        const ApiModel &Model) {
  StopVerdict V;
  if (!T.StopAware || !T.Body)
    return V;
  BodyFacts F{Model};
  F.walk(T.Body);
  if (F.StopCallback)
    return V; // what the callback does is up to it
  if (!F.TokenRead) {
    V.K = StopVerdict::NeverLooks;
    V.Where = T.Body->getBeginLoc();
    // The token parameter: the first of the function or lambda.
    const FunctionDecl *Fn = T.Runs;
    if (!Fn)
      if (const LambdaExpr *LE = lambdaWithBody(T.Origin, T.Body))
        Fn = LE->getCallOperator();
    if (Fn && Fn->getNumParams() > 0)
      V.Where = Fn->getParamDecl(0)->getBeginLoc();
    return V;
  }
  if (F.WaitsForRoom || F.SetsFlags)
    return V;
  for (EndId W : T.Holds)
    if (S.hasFlag(W, Nonblock))
      return V;
  if (!F.FirstWrite)
    return V;
  V.K = StopVerdict::BlocksInWrite;
  V.Where = F.FirstWrite->getBeginLoc();
  return V;
}

} // namespace clang::tidy::pipe
