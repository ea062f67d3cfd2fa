//===--- StoresForCaller.cpp - may a function leave its pipes to its caller? -===//
#include "checks/StoresForCaller.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::pipe {

namespace {
/// The variable an lvalue or address expression is rooted at:
/// `p->fds[1]`, `*wr`, `&s.fd`, `fds` (null for anything else).
const ValueDecl *rootOf(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreParenCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase();
    else if (const auto *UO = dyn_cast<UnaryOperator>(E);
             UO && (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf))
      E = UO->getSubExpr();
    else
      return nullptr;
  }
  return nullptr;
}

/// Does \p E mention one of \p Vars?
bool mentions(const Stmt *E, const llvm::DenseSet<const ValueDecl *> &Vars) {
  llvm::SmallVector<const Stmt *, 16> Stack{E};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && Vars.count(DRE->getDecl()))
      return true;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

struct Assignment {
  const Expr *Lhs; // null for a declaration's initializer
  const ValueDecl *Var; // the declared variable, or the Lhs's root
  const Expr *Rhs;
  bool Making; // Rhs calls something that makes a pipe
};
} // namespace

bool mayStoreMadeEndsForCaller(const FunctionDecl *FD,
                               FunctionSummaries &Functions) {
  const Stmt *Body = FD ? FD->getBody() : nullptr;
  if (!Body)
    return false;
  // Does \p Rhs contain a call that makes a pipe (`w = make_writer()`)?
  auto SetByMaking = [&](const Expr *Rhs) {
    llvm::SmallVector<const Stmt *, 16> St{Rhs};
    while (!St.empty()) {
      const Stmt *S = St.pop_back_val();
      if (!S)
        continue;
      if (const auto *CE = dyn_cast<CallExpr>(S); CE && Functions.callMayMakePipes(CE))
        return true;
      for (const Stmt *C : S->children())
        St.push_back(C);
    }
    return false;
  };

  llvm::SmallVector<const CallExpr *, 16> Calls;
  llvm::SmallVector<Assignment, 32> Assigns;
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return true; // what they capture is out of this walk's sight
    if (const auto *CE = dyn_cast<CallExpr>(S))
      Calls.push_back(CE);
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->getOpcode() == BO_Assign)
      Assigns.push_back({BO->getLHS(), rootOf(BO->getLHS()), BO->getRHS(),
                         SetByMaking(BO->getRHS())});
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit())
          Assigns.push_back({nullptr, VD, VD->getInit(),
                             SetByMaking(VD->getInit())});
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }

  // The places below the parameters: the pointer and reference parameters,
  // and local pointers or references set from them (`int *w = &p->wr;`).
  llvm::DenseSet<const ValueDecl *> Params;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getType()->isPointerType() || P->getType()->isReferenceType())
      Params.insert(P);
  if (Params.empty())
    return false;
  // The variables that may hold a made end: given to a call that makes a
  // pipe, or set from one, or copied from such a variable.
  llvm::DenseSet<const ValueDecl *> Made;
  for (const CallExpr *CE : Calls)
    if (Functions.callMayMakePipes(CE))
      for (const Expr *Arg : CE->arguments()) {
        if (const ValueDecl *R = rootOf(Arg)) {
          if (Params.count(R))
            return true; // `pipe(p->fds)`, `make_pipe(d->req)`
          Made.insert(R);
        }
      }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const Assignment &A : Assigns) {
      if (!A.Var || (A.Lhs && !isa<DeclRefExpr>(A.Lhs->IgnoreParenImpCasts())))
        continue; // a store below a variable: judged below
      QualType T = A.Var->getType();
      if ((T->isPointerType() || T->isReferenceType()) && !Params.count(A.Var) &&
          mentions(A.Rhs, Params)) {
        Params.insert(A.Var);
        Changed = true;
      }
      if (!Made.count(A.Var) && (A.Making || mentions(A.Rhs, Made))) {
        Made.insert(A.Var);
        Changed = true;
      }
    }
  }
  // A store below a parameter of what may be a made end.
  for (const Assignment &A : Assigns)
    if (A.Lhs && !isa<DeclRefExpr>(A.Lhs->IgnoreParenImpCasts()) && A.Var &&
        Params.count(A.Var) && (A.Making || mentions(A.Rhs, Made)))
      return true;
  // A call given both: `memcpy(p->fds, fds, sizeof fds)`, `set_ends(d, w)`.
  for (const CallExpr *CE : Calls) {
    bool ToParam = false, FromMade = false;
    for (const Expr *Arg : CE->arguments()) {
      if (const ValueDecl *R = rootOf(Arg); R && Params.count(R))
        ToParam = true;
      if (mentions(Arg, Made))
        FromMade = true;
    }
    if (ToParam && FromMade)
      return true;
  }
  return false;
}

} // namespace clang::tidy::pipe
