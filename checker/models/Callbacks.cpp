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

/// A std::function, or a reference to one.
bool isStdFunction(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == "function" &&
         RD->isInStdNamespace();
}

/// The lambda a std::function argument is made of (`[&m](int fd) { ... }`,
/// captures and all: its call operator), or the bound std::function
/// parameter of a caller passed on. A std::function made of anything else
/// (a function's name, another std::function object) binds nothing: a
/// call of it is an operator call whose arguments follow the object, which
/// only a call operator reads that way.
const FunctionDecl *stdFunctionRef(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = BTE->getSubExpr();
      continue;
    }
    if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FCE->getSubExpr();
      continue;
    }
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(E)) {
      if (CCE->getNumArgs() != 1 || !isStdFunction(CCE->getType()))
        return nullptr;
      E = CCE->getArg(0);
      continue;
    }
    if (const auto *LE = dyn_cast<LambdaExpr>(E))
      return LE->getCallOperator();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl());
          P && isStdFunction(P->getType()))
        return boundCallback(P);
    return nullptr;
  }
  return nullptr;
}
} // namespace

bool isCallbackParameter(QualType T) {
  return isFunctionPointer(T) || isStdFunction(T);
}

const FunctionDecl *boundStdFunctionCall(const CallExpr *CE) {
  const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
  if (!OC || OC->getOperator() != OO_Call || OC->getNumArgs() < 1 ||
      active().empty())
    return nullptr;
  const auto *DRE =
      dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts());
  const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  return P && isStdFunction(P->getType()) ? boundCallback(P) : nullptr;
}

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
    if (!isCallbackParameter(P->getType()) || I + Shift >= CE->getNumArgs())
      continue;
    const FunctionDecl *Fn = isStdFunction(P->getType())
                                 ? stdFunctionRef(CE->getArg(I + Shift))
                                 : functionRef(CE->getArg(I + Shift));
    const FunctionDecl *Def = nullptr;
    if (Fn && Fn->hasBody(Def) && Def)
      B.push_back({P, Def});
  }
  return B;
}

} // namespace clang::tidy::pipe
