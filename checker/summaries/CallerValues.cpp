//===--- CallerValues.cpp - the caller's values, with the result bound -----===//

#include "summaries/CallerContext.h"
#include "AstQueries.h"
#include "summaries/CallerContextDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"

// The interval of an expression of the caller when the callee's result (or
// the local variable that holds it) is bound to an interval: comparisons
// with constants, `!`, `&&`/`||`, `?:`, casts, __builtin_expect,
// assignments, constants.

namespace clang::tidy::pipe {

using namespace callerdetail;

namespace {

using Interval = CallerContext::Interval;
using Binding = CallerContext::Binding;
using Outcome = CallerContext::Outcome;

/// 1 when every value of \p I is nonzero, 0 when it is exactly 0, else -1.
int truthOf(Interval I) {
  if (!I.Known)
    return -1;
  if (I.Lo == 0 && I.Hi == 0)
    return 0;
  if (I.Lo > 0 || I.Hi < 0)
    return 1;
  return -1;
}

Interval fromTruth(int T) {
  return T < 0 ? known(0, 1) : known(T, T);
}

/// The truth of `A op B` for every pair of values in the intervals, or -1.
int compare(BinaryOperatorKind Op, Interval A, Interval B) {
  if (!A.Known || !B.Known)
    return -1;
  switch (Op) {
  case BO_LT:
    if (A.Hi < B.Lo)
      return 1;
    if (A.Lo >= B.Hi)
      return 0;
    return -1;
  case BO_LE:
    if (A.Hi <= B.Lo)
      return 1;
    if (A.Lo > B.Hi)
      return 0;
    return -1;
  case BO_GT:
    return compare(BO_LT, B, A);
  case BO_GE:
    return compare(BO_LE, B, A);
  case BO_EQ:
    if (A.Lo == A.Hi && B.Lo == B.Hi && A.Lo == B.Lo)
      return 1;
    if (A.Hi < B.Lo || B.Hi < A.Lo)
      return 0;
    return -1;
  case BO_NE: {
    int T = compare(BO_EQ, A, B);
    return T < 0 ? -1 : !T;
  }
  default:
    return -1;
  }
}

bool mentions(const Stmt *S, const Binding &B) {
  if (!S)
    return false;
  if (S == B.Call)
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return B.Var && DRE->getDecl() == B.Var;
  for (const Stmt *C : S->children())
    if (mentions(C, B))
      return true;
  return false;
}

} // namespace

namespace callerdetail {
Interval known(int64_t Lo, int64_t Hi) {
  Interval I;
  I.Known = true;
  I.Lo = Lo;
  I.Hi = Hi;
  return I;
}

const Expr *skipImplicit(const Expr *E) {
  while (E) {
    E = E->IgnoreParens();
    if (const auto *FE = dyn_cast<FullExpr>(E))
      E = FE->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BT->getSubExpr();
    else
      break;
  }
  return E;
}
} // namespace callerdetail

CallerContext::Interval CallerContext::eval(const Expr *E, const Binding &B) {
  Interval Unknown;
  if (!E)
    return Unknown;
  if (B.Call && E == B.Call)
    return B.V;
  E = skipImplicit(E);
  if (B.Call && E == B.Call)
    return B.V;
  if (E->isValueDependent() || E->isTypeDependent() || E->containsErrors())
    return Unknown;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (B.Var && DRE->getDecl() == B.Var)
      return B.V;
  if (const auto *CE = dyn_cast<CastExpr>(E)) {
    switch (CE->getCastKind()) {
    case CK_ToVoid:
      return Unknown;
    case CK_NullToPointer:
      return known(0, 0);
    case CK_IntegralToBoolean:
    case CK_PointerToBoolean:
    case CK_MemberPointerToBoolean:
      return fromTruth(truth(CE->getSubExpr(), B));
    case CK_LValueToRValue:
    case CK_NoOp:
    case CK_IntegralCast:
    case CK_BitCast:
    case CK_IntegralToPointer:
    case CK_PointerToIntegral:
    case CK_BooleanToSignedIntegral: {
      if (CE->getCastKind() != CK_LValueToRValue || mentions(CE, B)) {
        Interval I = eval(CE->getSubExpr(), B);
        // A negative value converted to an unsigned type is not what the
        // interval says any more.
        if (I.Known && I.Lo < 0 && CE->getType()->isUnsignedIntegerType())
          return Unknown;
        if (CE->getCastKind() == CK_BooleanToSignedIntegral)
          return Unknown;
        return I;
      }
      break; // a constant, maybe
    }
    default:
      if (CE->getType()->isBooleanType())
        return fromTruth(truth(CE->getSubExpr(), B));
      return Unknown;
    }
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    switch (UO->getOpcode()) {
    case UO_LNot: {
      int T = truth(UO->getSubExpr(), B);
      return T < 0 ? fromTruth(-1) : known(!T, !T);
    }
    case UO_Minus: {
      Interval I = eval(UO->getSubExpr(), B);
      if (!I.Known || I.Lo == INT64_MIN || I.Hi == INT64_MIN)
        return Unknown;
      return known(-I.Hi, -I.Lo);
    }
    case UO_Plus:
      return eval(UO->getSubExpr(), B);
    default:
      break;
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if (BO->isComparisonOp()) {
      Interval L = eval(BO->getLHS(), B), R = eval(BO->getRHS(), B);
      // Compared as unsigned: a negative value is a large one.
      QualType T = BO->getLHS()->getType();
      if (T->isUnsignedIntegerType() && ((L.Known && L.Lo < 0) ||
                                         (R.Known && R.Lo < 0)))
        return Unknown;
      return fromTruth(compare(Op, L, R));
    }
    if (Op == BO_LAnd || Op == BO_LOr) {
      bool IsAnd = Op == BO_LAnd;
      // The call runs only if the left operand did not decide: then that
      // operand was true (for &&) or false (for ||).
      if (B.Call && mentions(BO->getRHS(), B) && !mentions(BO->getLHS(), B))
        return fromTruth(truth(BO->getRHS(), B));
      int L = truth(BO->getLHS(), B);
      if (L == (IsAnd ? 0 : 1))
        return known(L, L);
      int R = truth(BO->getRHS(), B);
      if (L >= 0)
        return fromTruth(R);
      if (R == (IsAnd ? 0 : 1))
        return known(R, R);
      return fromTruth(-1);
    }
    if (Op == BO_Assign || Op == BO_Comma)
      return eval(BO->getRHS(), B);
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    int T = truth(CO->getCond(), B);
    if (T == 1)
      return eval(CO->getTrueExpr(), B);
    if (T == 0)
      return eval(CO->getFalseExpr(), B);
    return Unknown;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (CE->getBuiltinCallee() == Builtin::BI__builtin_expect &&
        CE->getNumArgs() >= 1)
      return eval(CE->getArg(0), B);
  if (mentions(E, B))
    return Unknown;
  // A constant: -1, NULL, EXIT_FAILURE, an enumerator, false.
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return known(0, 0);
  if (E->getType()->isIntegralOrEnumerationType()) {
    if (std::optional<int64_t> C = integerConstant(E, Ctx))
      return known(*C, *C);
  }
  return Unknown;
}

int CallerContext::truth(const Expr *E, const Binding &B) {
  return truthOf(eval(E, B));
}

} // namespace clang::tidy::pipe
