//===--- CallerContext.cpp - what the callers do after a function returns -===//

#include "summaries/CallerContext.h"
#include "engine/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include <algorithm>

namespace clang::tidy::pipe {

namespace {

using Interval = CallerContext::Interval;
using Binding = CallerContext::Binding;
using Outcome = CallerContext::Outcome;

Interval known(int64_t Lo, int64_t Hi) {
  Interval I;
  I.Known = true;
  I.Lo = Lo;
  I.Hi = Hi;
  return I;
}

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

/// The global C function (or one in std, or extern "C") called \p FD, by
/// name; empty for any other function.
llvm::StringRef cName(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return {};
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit() || DC->isStdNamespace() || FD->isExternC())
    return FD->getName();
  return {};
}

/// 1: ends the process; 0: never returns but does not end the process
/// (another thread, a jump, an exception); -1: not known by name.
int endsByName(const FunctionDecl *FD) {
  llvm::StringRef N = cName(FD);
  if (N.empty())
    return -1;
  static const char *const Ends[] = {
      "exit",   "_exit", "_Exit", "abort",         "quick_exit",
      "err",    "errx",  "verr",  "verrx",         "__assert_fail",
      "__assert_perror_fail",     "__assert",      "__assert_rtn",
      "terminate"};
  static const char *const Leaves[] = {
      "pthread_exit",  "thrd_exit",     "longjmp",      "siglongjmp",
      "_longjmp",      "__longjmp_chk", "__cxa_throw",  "__cxa_rethrow",
      "rethrow_exception", "throw_with_nested"};
  for (const char *E : Ends)
    if (N == E)
      return 1;
  for (const char *L : Leaves)
    if (N == L)
      return 0;
  return -1;
}

/// GNU error() and error_at_line() end the process when their status is
/// not zero.
bool isFatalError(const CallExpr *CE, ASTContext &Ctx) {
  const FunctionDecl *FD = CE->getDirectCallee();
  llvm::StringRef N = cName(FD);
  if ((N != "error" && N != "error_at_line") || CE->getNumArgs() < 1 ||
      FD->hasBody())
    return false;
  Expr::EvalResult R;
  return CE->getArg(0)->EvaluateAsInt(R, Ctx) && R.Val.isInt() &&
         !R.Val.getInt().isZero();
}

/// Does \p S contain something that leaves it other than by falling
/// through: a return, goto, throw, or a break or continue that is not
/// inside a loop or switch of its own? Lambdas and blocks are their own
/// functions.
bool containsEscape(const Stmt *S, bool InLoop = false, bool InSwitch = false) {
  if (!S)
    return false;
  if (isa<ReturnStmt>(S) || isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S) ||
      isa<CoreturnStmt>(S) || isa<CXXThrowExpr>(S) || isa<CXXTryStmt>(S))
    return true;
  if (isa<BreakStmt>(S))
    return !InLoop && !InSwitch;
  if (isa<ContinueStmt>(S))
    return !InLoop;
  if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return false;
  bool Loop = InLoop || isa<WhileStmt>(S) || isa<ForStmt>(S) ||
              isa<DoStmt>(S) || isa<CXXForRangeStmt>(S);
  bool Switch = InSwitch || isa<SwitchStmt>(S);
  for (const Stmt *C : S->children())
    if (containsEscape(C, Loop, Switch))
      return true;
  return false;
}

/// Does \p S use \p V other than by reading its value: assign it, take its
/// address or a reference to it?
bool changesVar(const Stmt *S, const VarDecl *V, const Stmt *Parent = nullptr) {
  if (!S || !V)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (DRE->getDecl() != V)
      return false;
    const auto *ICE = dyn_cast_or_null<ImplicitCastExpr>(Parent);
    return !ICE || ICE->getCastKind() != CK_LValueToRValue;
  }
  // The parent that decides how a name is used, through parentheses.
  const Stmt *Next = isa<ParenExpr>(S) ? Parent : S;
  for (const Stmt *C : S->children())
    if (changesVar(C, V, Next))
      return true;
  return false;
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

/// Can a callee store a descriptor in an object of type \p T given to it
/// (through a pointer or reference to it)? Integers, and arrays, records
/// and non-const pointees that contain them.
bool mayHoldDescriptor(QualType T, unsigned Depth = 0) {
  T = T.getCanonicalType();
  if (Depth > 4)
    return true;
  if (const auto *RT = T->getAs<ReferenceType>())
    return mayHoldDescriptor(RT->getPointeeType(), Depth + 1);
  if (const auto *PT = T->getAs<PointerType>()) {
    QualType P = PT->getPointeeType();
    return !P.isConstQualified() && !P->isFunctionType() &&
           mayHoldDescriptor(P, Depth + 1);
  }
  if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    return mayHoldDescriptor(AT->getElementType(), Depth + 1);
  if (T->isRecordType() || T->isVoidType())
    return true;
  return T->isIntegerType() && !T->isAnyCharacterType() &&
         !T->isBooleanType();
}

/// A local variable whose value the following statements can be trusted
/// to hold: automatic, not a reference, not volatile.
bool plainLocal(const VarDecl *VD) {
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
         !VD->getType().isVolatileQualified() && !isa<ParmVarDecl>(VD);
}

/// Collects every call of a function, and every use of it that is not a
/// direct call, in the translation unit.
class CallScanner : public RecursiveASTVisitor<CallScanner> {
public:
  using Base = RecursiveASTVisitor<CallScanner>;
  struct Result {
    llvm::DenseMap<const FunctionDecl *, std::vector<std::pair<const CallExpr *, const FunctionDecl *>>> Calls;
    llvm::DenseSet<const FunctionDecl *> Escapes;
  };
  explicit CallScanner(Result &R) : R(R) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(Decl *D) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD)
      return Base::TraverseDecl(D);
    Fns.push_back(FD);
    bool Ok = Base::TraverseDecl(D);
    Fns.pop_back();
    return Ok;
  }
  bool TraverseLambdaExpr(LambdaExpr *LE) {
    Fns.push_back(LE->getCallOperator());
    bool Ok = Base::TraverseLambdaExpr(LE);
    Fns.pop_back();
    return Ok;
  }
  bool TraverseBlockExpr(BlockExpr *BE) {
    Fns.push_back(nullptr);
    bool Ok = Base::TraverseBlockExpr(BE);
    Fns.pop_back();
    return Ok;
  }
  // Operands that are never evaluated: `sizeof(f() < 0)` in glibc's assert.
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *,
                                        DataRecursionQueue * = nullptr) {
    return true;
  }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *,
                               DataRecursionQueue * = nullptr) {
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return true;
    const Expr *Callee = CE->getCallee()->IgnoreParenImpCasts();
    CalleeNodes.insert(Callee);
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
        OC && OC->getNumArgs() >= 1) {
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
          MD && MD->getParent()->isLambda())
        LambdaObjects.insert(OC->getArg(0)->IgnoreParenImpCasts());
    }
    R.Calls[FD->getCanonicalDecl()].push_back(
        {CE, Fns.empty() ? nullptr : Fns.back()});
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
      if (!CalleeNodes.count(DRE))
        R.Escapes.insert(FD->getCanonicalDecl());
      return true;
    }
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
          RD && RD->isLambda() && !LambdaObjects.count(DRE))
        if (const CXXMethodDecl *Op = RD->getLambdaCallOperator())
          R.Escapes.insert(Op->getCanonicalDecl());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
      if (!CalleeNodes.count(ME))
        R.Escapes.insert(MD->getCanonicalDecl());
    return true;
  }
  bool VisitOverloadExpr(OverloadExpr *OE) {
    for (const NamedDecl *ND : OE->decls()) {
      const NamedDecl *U = ND->getUnderlyingDecl();
      if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(U))
        U = FTD->getTemplatedDecl();
      if (const auto *FD = dyn_cast<FunctionDecl>(U))
        R.Escapes.insert(FD->getCanonicalDecl());
    }
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    const Expr *Init = VD->getInit();
    for (unsigned Guard = 0; Init && Guard < 8; ++Guard) {
      Init = skipImplicit(Init)->IgnoreImpCasts();
      if (const auto *CCE = dyn_cast<CXXConstructExpr>(Init);
          CCE && CCE->getNumArgs() == 1 && CCE->getType()->getAsCXXRecordDecl() &&
          CCE->getType()->getAsCXXRecordDecl()->isLambda())
        Init = CCE->getArg(0); // C++14's copy of the closure
      else
        break;
    }
    // Held by a variable of the closure's own type (`auto start = [...]`),
    // not by a std::function or a reference, whose calls we cannot see.
    if (const auto *LE = dyn_cast_or_null<LambdaExpr>(Init);
        LE && VD->getType()->getAsCXXRecordDecl() == LE->getLambdaClass())
      HeldLambdas.insert(LE);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    // A lambda not held in a variable is called where we cannot follow:
    // by the function it is passed to.
    if (!HeldLambdas.count(LE))
      R.Escapes.insert(LE->getCallOperator()->getCanonicalDecl());
    return true;
  }

private:
  Result &R;
  std::vector<const FunctionDecl *> Fns;
  llvm::DenseSet<const Expr *> CalleeNodes;
  llvm::DenseSet<const Expr *> LambdaObjects;
  llvm::DenseSet<const LambdaExpr *> HeldLambdas;
};

} // namespace

void CallerContext::scan() {
  if (Scanned)
    return;
  Scanned = true;
  CallScanner::Result R;
  CallScanner Scanner(R);
  Scanner.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (auto &Entry : R.Calls) {
    Callers &C = CallsOf[Entry.first];
    for (const auto &P : Entry.second)
      C.Calls.push_back({P.first, P.second});
  }
  for (const FunctionDecl *FD : R.Escapes)
    CallsOf[FD].Escapes = true;
}

bool CallerContext::callsAllKnown(const FunctionDecl *F) {
  if (F->isMain())
    return false;
  bool Lambda = false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F)) {
    Lambda = MD->getParent()->isLambda();
    if (MD->isVirtual() || isa<CXXConstructorDecl>(MD) ||
        isa<CXXDestructorDecl>(MD) || isa<CXXConversionDecl>(MD) ||
        (MD->isOverloadedOperator() && !Lambda))
      return false;
  } else if (F->isOverloadedOperator()) {
    return false;
  }
  if (F->getTemplatedKind() != FunctionDecl::TK_NonTemplate && !Lambda)
    return false;
  if (Lambda || !F->isExternallyVisible())
    return true;
  // External linkage: another file can call it only through a declaration
  // of its own. One in a header (anything but the main file) is there for
  // that: unknown.
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *R : F->redecls())
    if (!SM.isInMainFile(SM.getExpansionLoc(R->getLocation())))
      return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F))
    if (!SM.isInMainFile(SM.getExpansionLoc(MD->getParent()->getLocation())))
      return false;
  return true;
}

bool CallerContext::endsProcessAfter(const FunctionAnalysis &A,
                                     const ExitPoint &X, const PathState &S) {
  if (X.K != ExitPoint::Return || !A.function())
    return false;
  const auto *RS = dyn_cast_or_null<ReturnStmt>(X.S);
  if (!RS || !RS->getRetValue())
    return false;
  AbsVal V = A.valueOf(RS->getRetValue(), S);
  if (V.K == AbsVal::Int)
    return callersEndProcess(A.function(), V.Lo, V.Hi);
  if (V.K == AbsVal::End) // a descriptor: at least 0
    return callersEndProcess(A.function(), 0, INT64_MAX);
  return false;
}

bool CallerContext::callersEndProcess(const FunctionDecl *F, int64_t Lo,
                                      int64_t Hi) {
  if (!F)
    return false;
  F = F->getCanonicalDecl();
  auto Key = std::make_tuple(F, Lo, Hi);
  auto It = Answers.find(Key);
  if (It != Answers.end())
    return It->second;
  bool Result = callersEnd(F, known(Lo, Hi), 0);
  Answers[Key] = Result;
  return Result;
}

bool CallerContext::callersEnd(const FunctionDecl *F, Interval V,
                               unsigned Depth) {
  if (!F || !V.Known || Depth > MaxDepth)
    return false;
  F = F->getCanonicalDecl();
  scan();
  auto It = CallsOf.find(F);
  if (It == CallsOf.end() || It->second.Escapes || It->second.Calls.empty() ||
      !callsAllKnown(F))
    return false;
  if (!InProgress.insert(F).second)
    return false; // recursion: unknown
  bool All = true;
  for (const CallRef &C : It->second.Calls)
    if (!(All = callEnds(C, V, Depth)))
      break;
  InProgress.erase(F);
  return All;
}

bool CallerContext::callEnds(const CallRef &C, Interval V, unsigned Depth) {
  Frame F{C.Caller, Depth};
  Outcome O = afterCall(C.Call, V, F);
  if (O.K == Outcome::Ends)
    return true;
  if (O.K == Outcome::Returns && C.Caller)
    return callersEnd(C.Caller, O.V, Depth + 1);
  return false;
}

bool CallerContext::functionEnds(const FunctionDecl *F, unsigned Depth) {
  if (!F)
    return false;
  // A body of the program's own is read (its `err()` is not libc's); the
  // C library's functions are known by name.
  const FunctionDecl *Def = nullptr;
  bool OwnBody = F->hasBody(Def) && Def &&
                 !Ctx.getSourceManager().isInSystemHeader(Def->getLocation());
  if (!OwnBody) {
    int ByName = endsByName(F);
    if (ByName >= 0)
      return ByName == 1;
  }
  if (OwnBody && !Def->isDependentContext()) {
    F = Def->getCanonicalDecl();
    if (auto It = EndsCache.find(F); It != EndsCache.end())
      return It->second;
    if (Depth >= 2 * MaxDepth || !EndsInProgress.insert(F).second) {
      EndsCut = true;
      return false;
    }
    bool OuterCut = EndsCut;
    EndsCut = false;
    Outcome O = exec(Def->getBody(), Binding(), Frame{Def, Depth + 1});
    bool Result = O.K == Outcome::Ends;
    EndsInProgress.erase(F);
    if (!EndsCut)
      EndsCache[F] = Result;
    EndsCut |= OuterCut;
    return Result;
  }
  // No body here. A NoReturnFunctions entry (the model knows it by name,
  // not from an attribute) is a fatal-error helper.
  if (const ApiFunction *Api = Model.lookup(F);
      Api && Api->Role == ApiRole::NoReturn && !F->isNoReturn())
    return true;
  if (!F->isNoReturn())
    return false;
  // Declared noreturn: it ends the process, loops forever, jumps or ends
  // the thread (longjmp and pthread_exit are known by name above), or, in
  // C++, throws, unless it cannot.
  if (!Ctx.getLangOpts().CPlusPlus || !Ctx.getLangOpts().CXXExceptions)
    return true;
  if (const auto *FPT = F->getType()->getAs<FunctionProtoType>())
    return FPT->isNothrow();
  return false;
}

bool CallerContext::returnEndsProcess(const Frame &F) {
  // A return from main ends the process, unless main is called (C allows
  // it).
  if (!F.Fn || !F.Fn->isMain())
    return false;
  scan();
  auto It = CallsOf.find(F.Fn->getCanonicalDecl());
  return It == CallsOf.end() ||
         (It->second.Calls.empty() && !It->second.Escapes);
}

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
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, Ctx) && R.Val.isInt() &&
        R.Val.getInt().getSignificantBits() <= 63) {
      int64_t C = R.Val.getInt().getSExtValue();
      return known(C, C);
    }
  }
  return Unknown;
}

int CallerContext::truth(const Expr *E, const Binding &B) {
  return truthOf(eval(E, B));
}

bool CallerContext::exprEnds(const Expr *E, const Binding &B, const Frame &F) {
  E = skipImplicit(E);
  if (!E)
    return false;
  if (const auto *CE = dyn_cast<CastExpr>(E))
    return exprEnds(CE->getSubExpr(), B, F);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (isFatalError(Call, Ctx))
      return true;
    if (const FunctionDecl *FD = Call->getDirectCallee())
      return functionEnds(FD, F.Depth);
    return false;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    switch (BO->getOpcode()) {
    case BO_Comma:
      return exprEnds(BO->getLHS(), B, F) || exprEnds(BO->getRHS(), B, F);
    case BO_LOr:
      return exprEnds(BO->getLHS(), B, F) ||
             (truth(BO->getLHS(), B) == 0 && exprEnds(BO->getRHS(), B, F));
    case BO_LAnd:
      return exprEnds(BO->getLHS(), B, F) ||
             (truth(BO->getLHS(), B) == 1 && exprEnds(BO->getRHS(), B, F));
    default:
      return exprEnds(BO->getLHS(), B, F) || exprEnds(BO->getRHS(), B, F);
    }
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    if (exprEnds(CO->getCond(), B, F))
      return true;
    int T = truth(CO->getCond(), B);
    if (T == 1)
      return exprEnds(CO->getTrueExpr(), B, F);
    if (T == 0)
      return exprEnds(CO->getFalseExpr(), B, F);
    return exprEnds(CO->getTrueExpr(), B, F) &&
           exprEnds(CO->getFalseExpr(), B, F);
  }
  if (const auto *SE = dyn_cast<StmtExpr>(E))
    return exec(SE->getSubStmt(), B, F).K == Outcome::Ends;
  return false;
}

bool CallerContext::touchesGiven(const Stmt *S, const Binding &B) {
  if (!S || (B.Given.empty() && !B.GivenThis))
    return false;
  auto Mentions = [&](const Stmt *E) {
    llvm::SmallVector<const Stmt *, 16> Stack{E};
    while (!Stack.empty()) {
      const Stmt *X = Stack.pop_back_val();
      if (!X)
        continue;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && llvm::is_contained(B.Given, VD))
          return true;
      if (B.GivenThis && isa<CXXThisExpr>(X))
        return true;
      for (const Stmt *C : X->children())
        Stack.push_back(C);
    }
    return false;
  };
  llvm::SmallVector<const Stmt *, 16> Stack{S};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X || X == B.Call)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(X)) {
      // exit(), err() and the like only print what they are given.
      bool Ender = endsByName(CE->getDirectCallee()) == 1;
      if (!Ender) {
        if (Mentions(CE->getCallee()))
          return true;
        for (const Expr *A : CE->arguments())
          if (Mentions(A))
            return true;
      }
    } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(X)) {
      for (const Expr *A : CCE->arguments())
        if (Mentions(A))
          return true;
    } else if (const auto *LE = dyn_cast<LambdaExpr>(X)) {
      for (const LambdaCapture &C : LE->captures())
        if ((C.capturesThis() && B.GivenThis) ||
            (C.capturesVariable() &&
             llvm::is_contained(B.Given, dyn_cast<VarDecl>(C.getCapturedVar()))))
          return true;
      continue; // its body runs when it is called
    }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return false;
}

namespace {
Outcome merge(const Outcome &A, const Outcome &B) {
  Outcome O;
  if (A.K != B.K)
    return O;
  O.K = A.K;
  if (A.K == Outcome::Returns)
    O.V = known(std::min(A.V.Lo, B.V.Lo), std::max(A.V.Hi, B.V.Hi));
  return O;
}
Outcome outcome(Outcome::Kind K) {
  Outcome O;
  O.K = K;
  return O;
}
} // namespace

Outcome CallerContext::exec(const Stmt *S, const Binding &B, const Frame &F) {
  if (!S || isa<NullStmt>(S))
    return outcome(Outcome::FallsThrough);
  if (changesVar(S, B.Var))
    return outcome(Outcome::Unknown);
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Child : CS->body()) {
      Outcome O = exec(Child, B, F);
      if (O.K != Outcome::FallsThrough)
        return O;
    }
    return outcome(Outcome::FallsThrough);
  }
  if (const auto *LS = dyn_cast<LabelStmt>(S))
    return exec(LS->getSubStmt(), B, F);
  if (const auto *AS = dyn_cast<AttributedStmt>(S))
    return exec(AS->getSubStmt(), B, F);
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->getInit() || If->getConditionVariable() || !If->getCond() ||
        touchesGiven(If->getCond(), B))
      return outcome(Outcome::Unknown);
    if (exprEnds(If->getCond(), B, F))
      return outcome(Outcome::Ends);
    if (containsEscape(If->getCond()))
      return outcome(Outcome::Unknown);
    int T = truth(If->getCond(), B);
    if (T == 1)
      return exec(If->getThen(), B, F);
    if (T == 0)
      return exec(If->getElse(), B, F);
    return merge(exec(If->getThen(), B, F), exec(If->getElse(), B, F));
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (returnEndsProcess(F))
      return outcome(Outcome::Ends);
    const Expr *RV = RS->getRetValue();
    if (!RV || touchesGiven(RV, B))
      return outcome(Outcome::Unknown);
    if (exprEnds(RV, B, F))
      return outcome(Outcome::Ends);
    Outcome O;
    O.V = eval(RV, B);
    O.K = O.V.Known ? Outcome::Returns : Outcome::Unknown;
    return O;
  }
  if (touchesGiven(S, B) && !isa<CompoundStmt>(S) && !isa<IfStmt>(S) &&
      !isa<LabelStmt>(S) && !isa<AttributedStmt>(S) && !isa<ReturnStmt>(S))
    return outcome(Outcome::Unknown);
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (exprEnds(E, B, F))
      return outcome(Outcome::Ends);
    // A call that never returns but does not end the process (longjmp,
    // pthread_exit), or a throw.
    if (const auto *CE = dyn_cast<CallExpr>(skipImplicit(E)))
      if (const FunctionDecl *FD = CE->getDirectCallee();
          FD && (FD->isNoReturn() || endsByName(FD) == 0))
        return outcome(Outcome::Unknown);
    if (containsEscape(E))
      return outcome(Outcome::Unknown);
    return outcome(Outcome::FallsThrough);
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit()) {
        if (exprEnds(VD->getInit(), B, F))
          return outcome(Outcome::Ends);
        if (containsEscape(VD->getInit()))
          return outcome(Outcome::Unknown);
      }
    return outcome(Outcome::FallsThrough);
  }
  if (const auto *Do = dyn_cast<DoStmt>(S)) {
    // The body runs at least once: `do { ... } while (0)` macros.
    Outcome O = exec(Do->getBody(), B, F);
    if (O.K == Outcome::Ends)
      return O;
    if (containsEscape(Do->getBody()) || containsEscape(Do->getCond()))
      return outcome(Outcome::Unknown);
    return outcome(Outcome::FallsThrough);
  }
  if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<CXXForRangeStmt>(S) ||
      isa<SwitchStmt>(S)) {
    // A loop or switch that cannot leave but by its end: whatever it does,
    // what follows decides (a loop is taken to terminate, as everywhere in
    // the engine). One that ends the process on some path only is no
    // worse.
    if (containsEscape(S))
      return outcome(Outcome::Unknown);
    return outcome(Outcome::FallsThrough);
  }
  if (isa<AsmStmt>(S))
    return outcome(Outcome::FallsThrough);
  return outcome(Outcome::Unknown);
}

CallerContext::ParentNode CallerContext::parentIn(const Frame &F,
                                                  const Stmt *S) {
  ParentNode P;
  const Stmt *Body = F.Fn ? F.Fn->getBody() : nullptr;
  if (!Body || !S)
    return P;
  if (S == Body) {
    P.AtBody = P.Unique = true;
    return P;
  }
  std::unique_ptr<ParentMap> &PM = BodyParents[F.Fn];
  if (!PM)
    PM = std::make_unique<ParentMap>(const_cast<Stmt *>(Body));
  const Stmt *Parent = PM->getParent(S);
  if (!Parent)
    return P; // not in this body: a member initializer, a default argument
  P.Unique = true;
  if (const auto *DS = dyn_cast<DeclStmt>(Parent)) {
    // `int r = f();`: the initializer's parent is the variable.
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit() == S) {
        P.D = VD;
        P.Decls = DS;
        return P;
      }
  }
  P.S = Parent;
  return P;
}

Outcome CallerContext::restAfter(const Stmt *S, const Binding &B,
                                 const Frame &F) {
  for (unsigned Guard = 0; S && Guard < 64; ++Guard) {
    ParentNode P = parentIn(F, S);
    if (P.AtBody) // the end of the function's body: main returns 0 there
      return outcome(returnEndsProcess(F) ? Outcome::Ends : Outcome::Unknown);
    if (!P.Unique || !P.S || isa<LambdaExpr>(P.S) || isa<BlockExpr>(P.S) ||
        isa<CoroutineBodyStmt>(P.S))
      return outcome(Outcome::Unknown);
    if (const auto *CS = dyn_cast<CompoundStmt>(P.S)) {
      bool After = false;
      for (const Stmt *Child : CS->body()) {
        if (!After) {
          After = Child == S;
          continue;
        }
        Outcome O = exec(Child, B, F);
        if (O.K != Outcome::FallsThrough)
          return O;
      }
      if (!After)
        return outcome(Outcome::Unknown);
    } else if (const auto *If = dyn_cast<IfStmt>(P.S)) {
      if (S != If->getThen() && S != If->getElse())
        return outcome(Outcome::Unknown);
    } else if (const auto *Do = dyn_cast<DoStmt>(P.S)) {
      // Falling off the body of `do { } while (0)` leaves it.
      bool Once = true;
      if (S != Do->getBody() || Do->getCond()->isValueDependent() ||
          !Do->getCond()->EvaluateAsBooleanCondition(Once, Ctx) || Once)
        return outcome(Outcome::Unknown);
    } else if (!isa<LabelStmt>(P.S) && !isa<AttributedStmt>(P.S)) {
      // A loop body goes round again; a case of a switch falls into the
      // next one; anything else is not followed.
      return outcome(Outcome::Unknown);
    }
    S = P.S;
  }
  return outcome(Outcome::Unknown);
}

namespace {
/// The result of the call, stored in local \p VD: the next statements
/// read it there. A result that may be a descriptor (not a pointer or a
/// bool, not all negative) is given to the caller like an out-parameter.
Binding hold(const Binding &B, const VarDecl *VD, Interval V) {
  Binding Held = B;
  Held.Call = nullptr;
  Held.Var = VD;
  Held.V = V;
  QualType T = VD->getType();
  if (!V.Known || (V.Hi >= 0 && !T->isPointerType() && !T->isBooleanType()))
    Held.Given.push_back(VD);
  return Held;
}
} // namespace

Outcome CallerContext::afterCall(const CallExpr *Call, Interval V,
                                 const Frame &F) {
  Binding B;
  B.Call = Call;
  B.V = V;
  // What the call was given that may hold the other end now.
  auto Give = [&](const Expr *A) {
    A = A->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(A);
        UO && UO->getOpcode() == UO_AddrOf)
      A = UO->getSubExpr()->IgnoreParenImpCasts();
    while (true) { // the variable below `p.fds`, `fds[0]`, `&c.wr`
      if (const auto *ME = dyn_cast<MemberExpr>(A))
        A = ME->getBase()->IgnoreParenImpCasts();
      else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(A))
        A = AS->getBase()->IgnoreParenImpCasts();
      else
        break;
    }
    if (isa<CXXThisExpr>(A))
      B.GivenThis = true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(A))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        B.Given.push_back(VD);
  };
  const FunctionDecl *Callee = Call->getDirectCallee();
  for (const Expr *A : Call->arguments()) {
    // Not a string or another pointer to const: the callee cannot store
    // a descriptor there. An integer given by value is the callee's own
    // descriptor, maybe, and the array it came from holds the other end.
    QualType T = A->getType();
    if (T->isPointerType() ? mayHoldDescriptor(T)
                           : (T->isIntegerType() || T->isRecordType() ||
                              A->isGLValue()))
      Give(A);
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Give(MC->getImplicitObjectArgument());
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
      MD && MD->getParent()->isLambda()) {
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getNumArgs() >= 1)
      Give(OC->getArg(0));
    for (const LambdaCapture &C : MD->getParent()->captures()) {
      if (C.capturesThis())
        B.GivenThis = true;
      else if (C.capturesVariable())
        if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
          B.Given.push_back(VD);
    }
  }
  // Up to the full expression that holds the call.
  const Stmt *Top = Call;
  ParentNode P;
  for (unsigned Guard = 0; Guard < 64; ++Guard) {
    P = parentIn(F, Top);
    if (!P.Unique)
      return outcome(Outcome::Unknown);
    if (P.S && isa<Expr>(P.S) && !isa<StmtExpr>(P.S) && !isa<LambdaExpr>(P.S)) {
      Top = P.S;
      continue;
    }
    break;
  }
  const auto *TopE = dyn_cast<Expr>(Top);
  if (!TopE)
    return outcome(Outcome::Unknown);

  // `int r = f();`: the next statements see the result in r.
  if (const VarDecl *VD = P.D) {
    if (VD->getInit() != TopE)
      return outcome(Outcome::Unknown);
    if (exprEnds(TopE, B, F))
      return outcome(Outcome::Ends);
    const DeclStmt *DS = P.Decls;
    if (!DS)
      return outcome(Outcome::Unknown);
    if (!DS->isSingleDecl() || !plainLocal(VD))
      return outcome(Outcome::Unknown);
    Binding Held = hold(B, VD, eval(TopE, B));
    return restAfter(DS, Held, F);
  }
  if (!P.S)
    return outcome(Outcome::Unknown);

  if (const auto *If = dyn_cast<IfStmt>(P.S); If && If->getCond() == TopE) {
    Outcome O = exec(If, B, F);
    if (O.K != Outcome::FallsThrough)
      return O;
    Binding After = B;
    After.Call = nullptr;
    return restAfter(If, After, F);
  }
  if (isa<ReturnStmt>(P.S))
    return exec(P.S, B, F);

  // An expression statement (in a block, a branch or a label).
  if (isa<CompoundStmt>(P.S) || isa<LabelStmt>(P.S) ||
      isa<AttributedStmt>(P.S) ||
      (isa<IfStmt>(P.S) && cast<IfStmt>(P.S)->getCond() != TopE)) {
    if (exprEnds(TopE, B, F))
      return outcome(Outcome::Ends);
    if (containsEscape(TopE))
      return outcome(Outcome::Unknown);
    // `r = f();`: the next statements see the result in r. A result
    // nobody looks at tells nothing.
    if (const auto *BO = dyn_cast<BinaryOperator>(skipImplicit(TopE));
        BO && BO->getOpcode() == BO_Assign)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            plainLocal(VD)) {
          Binding Held = hold(B, VD, eval(BO->getRHS(), B));
          return restAfter(TopE, Held, F);
        }
    return outcome(Outcome::Unknown);
  }
  // A loop's or switch's condition, and everything else: not followed.
  return outcome(Outcome::Unknown);
}

} // namespace clang::tidy::pipe
