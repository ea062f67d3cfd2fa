//===--- FunctionPointers.cpp - the pointer types a function is called through
//---===//
//
// A function whose address is taken is called where the caller-context
// scan sees no call of it: through a pointer. Such a function is not lost
// when the program keeps the pointer to itself (a table of commands, a
// callback handed to one of its own functions): its calls are then every
// call, in the project, through a pointer of its type. The caller facts
// (CallerFacts.h) record those calls by the key of the type, and the
// types whose values leave the program.
//
// A key is the function type without names, qualifiers on parameters or
// exception specification: `int(int,char **)`. A non-static member
// function's is prefixed with its class: `M:NinjaMain:int(const Options
// *,int,char **)`. In C a function may also be called through a pointer
// without a prototype, `int (*fn)()`: that key is `noproto:int`, and a
// function of C has it as well as its own. Keys of two different types
// never collide into one answer that is too strong: two types with one key
// only add calls to be checked.
//
// The address is kept in the program (keptRef()) when the function's name,
// after only decay and `&`, is the whole initializer of a variable or an
// element of an initializer list (not of a system type such as
// std::function), the right side of an assignment (not to a field of a
// system type such as `struct sigaction`), an argument of a function or
// constructor of the program, a returned value, or an operand of `==` or
// `!=`. Anything else (an argument of signal(), pthread_create(), atexit(),
// std::thread, a cast to another type) is an escape, as before. A value of
// a function-pointer type that is passed to a system function or to a
// call through a pointer, or converted to another type, makes the type
// escape (escapingTypeOf()).
//
//===----------------------------------------------------------------------===//

#include "summaries/CallerContextDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe::callerdetail {

namespace {

std::string spell(QualType T) {
  return T.getCanonicalType().getUnqualifiedType().getAsString();
}

std::string signatureKey(const FunctionType *FT) {
  if (!FT || FT->isDependentType())
    return {};
  if (const auto *P = dyn_cast<FunctionProtoType>(FT)) {
    std::string K = spell(P->getReturnType()) + "(";
    for (unsigned I = 0; I < P->getNumParams(); ++I)
      K += (I ? "," : "") + spell(P->getParamType(I));
    if (P->isVariadic())
      K += P->getNumParams() ? ",..." : "...";
    return K + ")";
  }
  return "noproto:" + spell(FT->getReturnType());
}

std::string classKey(const CXXRecordDecl *RD) {
  return RD ? "M:" + RD->getQualifiedNameAsString() + ":" : std::string();
}

/// The function type a value of type \p T calls: a pointer or reference to
/// a function, or a function.
const FunctionType *calledType(QualType T) {
  if (T.isNull() || T->isDependentType())
    return nullptr;
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  else if (const auto *RT = T->getAs<ReferenceType>())
    T = RT->getPointeeType();
  return T->getAs<FunctionType>();
}

} // namespace

std::vector<std::string> pointerKeysOf(const FunctionDecl *F,
                                       const LangOptions &LO) {
  if (F->getType()->isDependentType())
    return {};
  const auto *FT = F->getType()->getAs<FunctionType>();
  // A definition without a prototype can be called through any pointer.
  if (!FT || !isa<FunctionProtoType>(FT))
    return {};
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F); MD && !MD->isStatic())
    return {classKey(MD->getParent()) + signatureKey(FT)};
  std::vector<std::string> Keys{signatureKey(FT)};
  if (!LO.CPlusPlus)
    Keys.push_back("noproto:" + spell(FT->getReturnType()));
  return Keys;
}

std::string pointerKeyOfCall(const CallExpr *CE) {
  if (!CE->getCallee())
    return {};
  const Expr *Callee = CE->getCallee()->IgnoreParens();
  if (const auto *BO = dyn_cast<BinaryOperator>(Callee);
      BO && (BO->getOpcode() == BO_PtrMemD || BO->getOpcode() == BO_PtrMemI)) {
    QualType RT = BO->getRHS()->getType();
    const auto *MPT = RT.isNull() || RT->isDependentType()
                          ? nullptr
                          : RT->getAs<MemberPointerType>();
    if (!MPT)
      return {};
    return classKey(MPT->getMostRecentCXXRecordDecl()) +
           signatureKey(MPT->getPointeeType()->getAs<FunctionType>());
  }
  return signatureKey(calledType(Callee->IgnoreParenImpCasts()->getType()));
}

std::string escapingTypeOf(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType();
  if (T.isNull() || T->isDependentType())
    return {};
  if (const auto *MPT = T->getAs<MemberPointerType>()) {
    const auto *FT = MPT->getPointeeType()->getAs<FunctionType>();
    return FT ? classKey(MPT->getMostRecentCXXRecordDecl()) + signatureKey(FT)
              : std::string();
  }
  return signatureKey(calledType(T));
}

const DeclRefExpr *keptRef(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParens();
    if (const auto *IC = dyn_cast<ImplicitCastExpr>(E);
        IC && (IC->getCastKind() == CK_FunctionToPointerDecay ||
               IC->getCastKind() == CK_NoOp)) {
      E = IC->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf) {
      E = UO->getSubExpr();
      continue;
    }
    break;
  }
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
  return DRE && isa<FunctionDecl>(DRE->getDecl()) ? DRE : nullptr;
}

bool declInSystemHeader(const Decl *D, const SourceManager &SM) {
  return D && SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

} // namespace clang::tidy::pipe::callerdetail
