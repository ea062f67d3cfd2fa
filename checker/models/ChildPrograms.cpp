//===--- ChildPrograms.cpp - a fork() child that runs another program -----===//
#include "models/ChildPrograms.h"
#include "AstQueries.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

namespace {
constexpr unsigned MaxChildCallDepth = 3;

/// Walks \p Body: false as soon as it may close a descriptor it does not
/// name (a close-range call, a close() inside a loop, a call it cannot
/// read); \p Execs is set when it calls an exec function.
bool closesOnlyNamed(const Stmt *Body, const ApiModel &M, unsigned Depth,
                     bool &Execs) {
  llvm::SmallVector<std::pair<const Stmt *, bool>, 32> Stack{{Body, false}};
  while (!Stack.empty()) {
    auto [S, InLoop] = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      if (!Callee)
        return false; // through a pointer: cannot see
      if (const ApiFunction *Api = M.lookup(Callee)) {
        if (Api->Role == ApiRole::CloseRange ||
            (Api->Role == ApiRole::Close && InLoop))
          return false;
        Execs |= Api->Role == ApiRole::Exec;
      } else {
        const SourceManager &SM = Callee->getASTContext().getSourceManager();
        const FunctionDecl *Def = nullptr;
        bool System = SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation()));
        if (!System) {
          // A function of the program's own: its body, or nothing known.
          if (!Callee->hasBody(Def) || !Def || Depth >= MaxChildCallDepth)
            return false;
          bool Inner = false;
          if (!closesOnlyNamed(Def->getBody(), M, Depth + 1, Inner))
            return false;
          Execs |= Inner;
        }
      }
    }
    bool Loop = InLoop || isLoopStmt(S);
    for (const Stmt *C : S->children())
      Stack.push_back({C, Loop});
  }
  return true;
}
} // namespace

bool execsKeepingInherited(const Stmt *ChildBody, const ApiModel &Model) {
  bool Execs = false;
  return ChildBody && closesOnlyNamed(ChildBody, Model, 0, Execs) && Execs;
}

} // namespace clang::tidy::pipe
