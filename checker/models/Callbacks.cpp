//===--- Callbacks.cpp - function-pointer parameters bound at one call ----===//
//
// See Callbacks.h.
//
//===----------------------------------------------------------------------===//
#include "models/Callbacks.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include <vector>

namespace clang::tidy::pipe {

namespace {
/// The bindings alive, innermost last (the analysis is single-threaded).
std::vector<CallbackBinding> &active() {
  static std::vector<CallbackBinding> V;
  return V;
}

bool isFunctionPointer(QualType T) {
  T = T.getCanonicalType();
  return T->isFunctionPointerType() || T->isFunctionReferenceType();
}
} // namespace

CallbackScope::CallbackScope(llvm::ArrayRef<CallbackBinding> B) {
  active().insert(active().end(), B.begin(), B.end());
  Added = B.size();
}

CallbackScope::~CallbackScope() {
  active().resize(active().size() - Added);
}

llvm::ArrayRef<CallbackBinding> activeCallbacks() { return active(); }

const FunctionDecl *boundCallback(const ParmVarDecl *P) {
  const std::vector<CallbackBinding> &V = active();
  for (auto It = V.rbegin(); It != V.rend(); ++It)
    if (It->Param == P)
      return It->Fn;
  return nullptr;
}

const FunctionDecl *functionRef(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    // `+[](int fd) { ... }` or the implicit conversion of a captureless
    // lambda to a function pointer: its call operator.
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
      if (isa_and_nonnull<CXXConversionDecl>(MCE->getMethodDecl())) {
        E = MCE->getImplicitObjectArgument();
        continue;
      }
      return nullptr;
    }
    if (const auto *LE = dyn_cast<LambdaExpr>(E))
      return LE->capture_size() == 0 ? LE->getCallOperator() : nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
        return FD;
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        return boundCallback(P);
    }
    return nullptr;
  }
  return nullptr;
}

CallbackBindings callbacksOf(const CallExpr *CE, const FunctionDecl *Callee) {
  CallbackBindings B;
  // The parameters the body names are the definition's.
  const FunctionDecl *Body = nullptr;
  if (!CE || !Callee || !Callee->hasBody(Body) || !Body)
    return B;
  Callee = Body;
  // The arguments after the object of an operator call.
  unsigned Shift = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
  for (unsigned I = 0; I < Callee->getNumParams(); ++I) {
    const ParmVarDecl *P = Callee->getParamDecl(I);
    if (!isFunctionPointer(P->getType()) || I + Shift >= CE->getNumArgs())
      continue;
    const FunctionDecl *Fn = functionRef(CE->getArg(I + Shift));
    const FunctionDecl *Def = nullptr;
    if (Fn && Fn->hasBody(Def) && Def)
      B.push_back({P, Def});
  }
  return B;
}

} // namespace clang::tidy::pipe
