//===--- CallSiteOutcome.cpp - how a caller's code goes on after a call
//----===//

#include "AstQueries.h"
#include "summaries/CallerContext.h"
#include "summaries/CallerContextDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include <algorithm>

// How a call site handles the callee's result: from the call up to the full
// expression that holds it (afterCall()), then the statements that follow
// (restAfter(), exec()), with the result bound to an interval, until the
// caller ends the process, returns a value, or cannot be followed; and
// which statements on the way would pass what the call gave the caller to
// another call (touchesGiven()).

namespace clang::tidy::pipe {

using namespace callerdetail;

namespace {

using Interval = CallerContext::Interval;
using Binding = CallerContext::Binding;
using Outcome = CallerContext::Outcome;

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
  return T->isIntegerType() && !T->isAnyCharacterType() && !T->isBooleanType();
}

/// A local variable whose value the following statements can be trusted
/// to hold: automatic, not a reference, not volatile.
bool plainLocal(const VarDecl *VD) {
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
         !VD->getType().isVolatileQualified() && !isa<ParmVarDecl>(VD);
}

/// A variable of static storage that a result may be stored in and tested
/// right away: not volatile, not a reference, not thread-local.
bool plainGlobal(const VarDecl *VD) {
  return VD && VD->hasGlobalStorage() && !VD->getTLSKind() &&
         !VD->getType()->isReferenceType() &&
         !VD->getType().isVolatileQualified() &&
         (VD->getType()->isIntegralOrEnumerationType() ||
          VD->getType()->isPointerType());
}

/// Does \p S call anything (which could change a global)?
bool callsAnything(const Stmt *S) {
  if (!S)
    return false;
  if (isa<CallExpr>(S) || isa<CXXConstructExpr>(S) || isa<CXXNewExpr>(S) ||
      isa<CXXDeleteExpr>(S))
    return true;
  for (const Stmt *C : S->children())
    if (callsAnything(C))
      return true;
  return false;
}

/// Is the statement after \p S in block \p Parent an `if` whose condition
/// calls nothing?
bool nextIfTestsOnly(const Stmt *S, const Stmt *Parent) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Parent);
  if (!CS)
    return false;
  for (auto It = CS->body_begin(); It != CS->body_end(); ++It)
    if (*It == S) {
      const auto *If = std::next(It) == CS->body_end()
                           ? nullptr
                           : dyn_cast<IfStmt>(*std::next(It));
      return If && !If->getInit() && !If->getConditionVariable() &&
             If->getCond() && !callsAnything(If->getCond());
    }
  return false;
}

/// \p B once the statement it was given to is done: a result held in a
/// global for the next condition only is gone.
CallerContext::Binding afterStatement(const CallerContext::Binding &B) {
  if (!B.VarInCondOnly)
    return B;
  CallerContext::Binding After = B;
  After.Var = nullptr;
  After.VarInCondOnly = false;
  return After;
}

Outcome merge(const Outcome &A, const Outcome &B) {
  Outcome O;
  if (A.K != B.K)
    return O;
  O.K = A.K;
  if (A.K == Outcome::Returns && A.V.Known && B.V.Known)
    O.V = known(std::min(A.V.Lo, B.V.Lo), std::max(A.V.Hi, B.V.Hi));
  return O;
}
Outcome outcome(Outcome::Kind K) {
  Outcome O;
  O.K = K;
  return O;
}

} // namespace

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
             llvm::is_contained(B.Given,
                                dyn_cast<VarDecl>(C.getCapturedVar()))))
          return true;
      continue; // its body runs when it is called
    }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return false;
}

Outcome CallerContext::exec(const Stmt *S, const Binding &B, const Frame &F) {
  if (!S || isa<NullStmt>(S))
    return outcome(Outcome::FallsThrough);
  if (changesVar(S, B.Var))
    return outcome(Outcome::Unknown);
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    Binding Cur = B;
    for (const Stmt *Child : CS->body()) {
      Outcome O = exec(Child, Cur, F);
      if (O.K != Outcome::FallsThrough)
        return O;
      Cur = afterStatement(Cur);
    }
    return outcome(Outcome::FallsThrough);
  }
  if (const auto *LS = dyn_cast<LabelStmt>(S))
    return exec(LS->getSubStmt(), B, F);
  if (const auto *AS = dyn_cast<AttributedStmt>(S))
    return exec(AS->getSubStmt(), B, F);
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->getInit() || If->getConditionVariable() || !If->getCond() ||
        touchesGiven(If->getCond(), B) ||
        waitsForTask(If->getCond(), B.Call) ||
        (B.Strict && !quiet(If->getCond(), B)))
      return outcome(Outcome::Unknown);
    if (exprEnds(If->getCond(), B, F))
      return outcome(Outcome::Ends);
    if (containsEscape(If->getCond()))
      return outcome(Outcome::Unknown);
    int T = truth(If->getCond(), B);
    Binding Branch = afterStatement(B);
    if (T == 1)
      return exec(If->getThen(), Branch, F);
    if (T == 0)
      return exec(If->getElse(), Branch, F);
    return merge(exec(If->getThen(), Branch, F),
                 exec(If->getElse(), Branch, F));
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    // `return serve();` from main runs serve() first.
    if (B.Strict && RS->getRetValue() && !quiet(RS->getRetValue(), B))
      return outcome(Outcome::Unknown);
    if (returnEndsProcess(F))
      return outcome(Outcome::Ends);
    const Expr *RV = RS->getRetValue();
    if (B.Strict) {
      // Whatever the result: the caller's callers are asked, about the
      // value when it is known, else again whatever it is.
      if (RV && exprEnds(RV, B, F))
        return outcome(Outcome::Ends);
      Outcome O = outcome(Outcome::Returns);
      if (RV && !containsEscape(RV))
        O.V = eval(RV, B);
      return RV && containsEscape(RV) ? outcome(Outcome::Unknown) : O;
    }
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
  // A wait for a child or a join on the way may wait for the very reader
  // of the leaked pipe (`rc = ship(); reap_all();`): the process goes on.
  if (!isa<CompoundStmt>(S) && !isa<IfStmt>(S) && !isa<LabelStmt>(S) &&
      !isa<AttributedStmt>(S) && waitsForTask(S, B.Call))
    return outcome(Outcome::Unknown);
  // Whatever the result: nothing on the way may loop or wait.
  if (B.Strict && (isLoopStmt(S) || isa<SwitchStmt>(S)) &&
      !(isa<DoStmt>(S) && !containsEscape(S)))
    return outcome(Outcome::Unknown);
  if (B.Strict && (isa<Expr>(S) || isa<DeclStmt>(S)) && !quiet(S, B))
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
    if (B.Strict) { // only once
      bool Again = true;
      if (Do->getCond()->isValueDependent() ||
          !Do->getCond()->EvaluateAsBooleanCondition(Again, Ctx) || Again ||
          O.K != Outcome::FallsThrough)
        return outcome(Outcome::Unknown);
    }
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
  Binding Cur = B;
  for (unsigned Guard = 0; S && Guard < 64; ++Guard) {
    ParentNode P = parentIn(F, S);
    if (P.AtBody) { // the end of the function's body: main returns 0 there
      if (returnEndsProcess(F))
        return outcome(Outcome::Ends);
      // Whatever the result: a void function returns to its callers.
      return outcome(B.Strict && F.Fn && F.Fn->getReturnType()->isVoidType()
                         ? Outcome::Returns
                         : Outcome::Unknown);
    }
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
        Outcome O = exec(Child, Cur, F);
        if (O.K != Outcome::FallsThrough)
          return O;
        Cur = afterStatement(Cur);
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
  if (!B.Strict &&
      (!V.Known || (V.Hi >= 0 && !T->isPointerType() && !T->isBooleanType())))
    Held.Given.push_back(VD);
  return Held;
}
} // namespace

Outcome CallerContext::afterCall(const CallExpr *Call, Interval V,
                                 const Frame &F, bool Strict) {
  Binding B;
  B.Call = Call;
  B.V = V;
  // Whatever the result, nothing on the way may wait (quiet()): what the
  // call was given does not matter then.
  B.Strict = Strict;
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
  for (const Expr *A : Strict ? llvm::ArrayRef<const Expr *>()
                              : llvm::ArrayRef<const Expr *>(
                                    Call->getArgs(), Call->getNumArgs())) {
    // Not a string or another pointer to const: the callee cannot store
    // a descriptor there. An integer given by value is the callee's own
    // descriptor, maybe, and the array it came from holds the other end.
    QualType T = A->getType();
    if (T->isPointerType()
            ? mayHoldDescriptor(T)
            : (T->isIntegerType() || T->isRecordType() || A->isGLValue()))
      Give(A);
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call); MC && !Strict)
    Give(MC->getImplicitObjectArgument());
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
      MD && MD->getParent()->isLambda() && !Strict) {
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
    if (VD->getInit() != TopE || (B.Strict && !quiet(TopE, B)))
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
    if (B.Strict && !quiet(TopE, B))
      return outcome(Outcome::Unknown);
    if (exprEnds(TopE, B, F))
      return outcome(Outcome::Ends);
    if (containsEscape(TopE))
      return outcome(Outcome::Unknown);
    // Whatever the result: what follows decides.
    if (B.Strict)
      return restAfter(TopE, B, F);
    // `r = f();`: the next statements see the result in r. A result
    // nobody looks at tells nothing.
    const auto *BO = dyn_cast<BinaryOperator>(skipImplicit(TopE));
    const auto *DRE =
        BO && BO->getOpcode() == BO_Assign
            ? dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())
            : nullptr;
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (plainLocal(VD)) {
      Binding Held = hold(B, VD, eval(BO->getRHS(), B));
      return restAfter(TopE, Held, F);
    }
    if (plainGlobal(VD) && nextIfTestsOnly(TopE, P.S)) {
      // `g = f(); if (g < 0) ...`: g holds the result in that condition
      // only.
      Binding Held = hold(B, VD, eval(BO->getRHS(), B));
      Held.VarInCondOnly = true;
      return restAfter(TopE, Held, F);
    }
    return outcome(Outcome::Unknown);
  }
  // A loop's or switch's condition, and everything else: not followed.
  return outcome(Outcome::Unknown);
}

namespace callerdetail {
bool changesVar(const Stmt *S, const VarDecl *V, const Stmt *Parent) {
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
} // namespace callerdetail

} // namespace clang::tidy::pipe
