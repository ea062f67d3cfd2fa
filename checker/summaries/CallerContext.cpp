//===--- CallerContext.cpp - which calls a function has, and whether they end ---===//

#include "summaries/CallerContext.h"
#include "summaries/CallerContextDetail.h"
#include "engine/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

// The questions asked about the callers of a function: which calls it has
// in the translation unit (the scan), whether they are all known, and
// whether each of them ends the process, a caller that returns the value on
// asking its own callers in turn. How one call site is followed is in
// CallSiteOutcome.cpp, the values there in CallerValues.cpp, what ends the
// process in ProcessEnds.cpp.

namespace clang::tidy::pipe {

using namespace callerdetail;

namespace {

using Interval = CallerContext::Interval;
using Binding = CallerContext::Binding;
using Outcome = CallerContext::Outcome;

/// Collects every call of a function, and every use of it that is not a
/// direct call, in the translation unit.
class CallScanner : public RecursiveASTVisitor<CallScanner> {
public:
  using Base = RecursiveASTVisitor<CallScanner>;
  struct Result {
    llvm::DenseMap<const FunctionDecl *, std::vector<std::pair<const CallExpr *, const FunctionDecl *>>> Calls;
    llvm::DenseSet<const FunctionDecl *> Escapes;
    /// Address taken and kept in the program (FunctionPointers.cpp).
    llvm::DenseSet<const FunctionDecl *> Taken;
    struct IndirectCall {
      std::string Key;
      const CallExpr *Call;
      const FunctionDecl *Caller;
    };
    std::vector<IndirectCall> Indirect;
    llvm::StringSet<> EscapingTypes;
    std::vector<const FunctionDecl *> Defined;
  };
  CallScanner(Result &R, const SourceManager &SM) : R(R), SM(SM) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(Decl *D) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD)
      return Base::TraverseDecl(D);
    if (FD->doesThisDeclarationHaveABody())
      R.Defined.push_back(FD);
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
    if (!FD) {
      // A call through a pointer: recorded by the pointer's type. What it
      // is given may go anywhere. Not those in a system header: a pointer
      // gets there only through a system function or class, which made its
      // type escape; nor those of a template, whose instances are seen.
      std::string Key;
      if (!CE->isTypeDependent() && !CE->isValueDependent() &&
          CE->getCallee() && !CE->getCallee()->isTypeDependent() &&
          !SM.isInSystemHeader(SM.getExpansionLoc(CE->getBeginLoc())))
        Key = pointerKeyOfCall(CE);
      if (!Key.empty())
        R.Indirect.push_back({Key, CE, Fns.empty() ? nullptr : Fns.back()});
      for (const Expr *A : CE->arguments())
        typeLeaves(A);
      return true;
    }
    givenTo(FD, CE->arguments());
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
      if (KeptRefs.count(DRE))
        R.Taken.insert(FD->getCanonicalDecl());
      else if (!CalleeNodes.count(DRE))
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
  // Where a function's address is kept in the program (FunctionPointers.cpp).
  bool VisitCXXConstructExpr(CXXConstructExpr *CCE) {
    givenTo(CCE->getConstructor(), CCE->arguments());
    return true;
  }
  bool VisitInitListExpr(InitListExpr *ILE) {
    if (!systemRecord(ILE->getType()))
      for (const Expr *E : ILE->inits())
        keep(E);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
      keep(BO->getLHS());
      keep(BO->getRHS());
    } else if (BO->getOpcode() == BO_Assign) {
      const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
      if (ME && declInSystemHeader(ME->getMemberDecl(), SM))
        typeLeaves(BO->getRHS()); // `sa.sa_handler = h`
      else
        keep(BO->getRHS());
    }
    return true;
  }
  bool VisitReturnStmt(ReturnStmt *RS) {
    keep(RS->getRetValue());
    return true;
  }
  bool VisitCastExpr(CastExpr *CE) {
    switch (CE->getCastKind()) {
    case CK_BitCast:
    case CK_PointerToIntegral:
    case CK_ReinterpretMemberPointer:
    case CK_BaseToDerivedMemberPointer:
    case CK_DerivedToBaseMemberPointer:
      typeLeaves(CE->getSubExpr());
      break;
    default:
      break;
    }
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (!systemRecord(VD->getType()))
      keep(VD->getInit());
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
  /// \p E, if a function's name, keeps its address in the program.
  void keep(const Expr *E) {
    if (const DeclRefExpr *DRE = E ? keptRef(E) : nullptr)
      KeptRefs.insert(DRE);
  }
  /// A function-pointer value \p E leaves the program: its type escapes.
  void typeLeaves(const Expr *E) {
    // Inside a system header or a template, a value that came from the
    // program got there by a use that was seen where it left.
    if (!E || E->isTypeDependent() ||
        SM.isInSystemHeader(SM.getExpansionLoc(E->getBeginLoc())))
      return;
    std::string Key = escapingTypeOf(E);
    if (!Key.empty())
      R.EscapingTypes.insert(Key);
  }
  /// Arguments given to \p Callee: kept by a function of the program, gone
  /// to a system one.
  template <typename Range> void givenTo(const FunctionDecl *Callee, Range Args) {
    bool System = declInSystemHeader(Callee, SM);
    for (const Expr *A : Args) {
      if (System)
        typeLeaves(A);
      else
        keep(A);
    }
  }
  bool systemRecord(QualType T) const {
    const auto *RD = T.isNull() ? nullptr : T->getAsRecordDecl();
    return RD && declInSystemHeader(RD, SM);
  }

  Result &R;
  const SourceManager &SM;
  llvm::DenseSet<const Expr *> KeptRefs;
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
  CallScanner Scanner(R, Ctx.getSourceManager());
  // C has no templates and no ADL: a definition in a system header calls
  // or names only functions that system headers declare, not the
  // program's, so those definitions (most of a C translation unit) are not
  // walked. (Missed: a program that defines a library function a system
  // header's inline function calls.)
  if (Ctx.getLangOpts().CPlusPlus) {
    Scanner.TraverseDecl(Ctx.getTranslationUnitDecl());
  } else {
    const SourceManager &SM = Ctx.getSourceManager();
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      // A C prototype calls nothing and names no function (its
      // parameters' types only): the program's headers declare thousands.
      if (const auto *FD = dyn_cast<FunctionDecl>(D);
          FD && !FD->doesThisDeclarationHaveABody())
        continue;
      if (!SM.isInSystemHeader(D->getLocation()))
        Scanner.TraverseDecl(D);
    }
  }
  for (auto &Entry : R.Calls) {
    Callers &C = CallsOf[Entry.first];
    for (const auto &P : Entry.second)
      C.Calls.push_back({P.first, P.second});
  }
  for (const FunctionDecl *FD : R.Escapes)
    CallsOf[FD].Escapes = true;
  for (const FunctionDecl *FD : R.Taken) {
    Callers &C = CallsOf[FD];
    C.Taken = true;
    C.TakenAs = pointerKeysOf(FD, Ctx.getLangOpts());
    if (C.TakenAs.empty())
      C.Escapes = true; // no prototype: any pointer may call it
  }
  for (const auto &IC : R.Indirect)
    IndirectCalls[IC.Key].push_back({IC.Call, IC.Caller});
  for (const auto &K : R.EscapingTypes)
    EscapingTypes.insert(K.getKey());
  Defined = std::move(R.Defined);
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
  if (!A.function())
    return false;
  // `return;`, or the end of a void function's body: no value to test.
  if (X.K == ExitPoint::FallOffEnd)
    return A.function()->getReturnType()->isVoidType() &&
           callersEndProcessAnyResult(A.function());
  if (X.K != ExitPoint::Return)
    return false;
  const auto *RS = dyn_cast_or_null<ReturnStmt>(X.S);
  if (!RS)
    return false;
  if (!RS->getRetValue())
    return callersEndProcessAnyResult(A.function());
  AbsVal V = A.valueOf(RS->getRetValue(), S);
  if (V.K == AbsVal::Int)
    return callersEndProcess(A.function(), V.Lo, V.Hi);
  if (V.K == AbsVal::End) // a descriptor: at least 0
    return callersEndProcess(A.function(), 0, INT64_MAX);
  // A value the engine does not know is not asked about: such a return
  // (`return total;`) is mostly the success path, after the function used
  // the pipe, and a caller that ends the process then says nothing about
  // the hang before it (pipe-self-deadlock's). Unless the function returns
  // one constant at every return, only to report a failure.
  Interval Failure;
  if (returnsOnlyOnFailure(A.function(), &Failure))
    return callersEndProcess(A.function(), Failure.Lo, Failure.Hi);
  return false;
}

bool CallerContext::callersEndProcessAnyResult(const FunctionDecl *F) {
  if (!F)
    return false;
  F = F->getCanonicalDecl();
  auto [It, New] = AnyResultAnswers.try_emplace(F, false);
  if (!New)
    return It->second;
  bool Result = callersEnd(F, Interval(), 0);
  AnyResultAnswers[F] = Result;
  return Result;
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
  // V not known: whatever F returns.
  if (!F || Depth > MaxDepth)
    return false;
  F = F->getCanonicalDecl();
  scan();
  auto It = CallsOf.find(F);
  if (It != CallsOf.end() && It->second.Escapes)
    return false;
  // Another file may call it, or a pointer: the project's facts, if given,
  // know.
  if (It == CallsOf.end() || It->second.Calls.empty() || It->second.Taken ||
      !callsAllKnown(F))
    return projectCallersEnd(F, V, Depth) || failureOnlyCallersEnd(F, V, Depth);
  return everyCallEnds(F, It->second.Calls, V, Depth);
}

bool CallerContext::everyCallEnds(const FunctionDecl *F,
                                  llvm::ArrayRef<CallRef> Calls, Interval V,
                                  unsigned Depth) {
  if (!InProgress.insert(F).second)
    return false; // recursion: unknown
  bool All = true;
  for (const CallRef &C : Calls)
    if (!(All = callEnds(C, V, Depth)))
      break;
  InProgress.erase(F);
  return All;
}

bool CallerContext::failureOnlyCallersEnd(const FunctionDecl *F, Interval V,
                                          unsigned Depth) {
  // The facts, when they have seen F, have answered.
  if (factsKnow(F) || !returnsOnlyOnFailure(F))
    return false;
  // Its shape answers for the calls this unit cannot see; those it sees
  // must end the process too.
  auto It = CallsOf.find(F);
  return It == CallsOf.end() || everyCallEnds(F, It->second.Calls, V, Depth);
}

bool CallerContext::callEnds(const CallRef &C, Interval V, unsigned Depth) {
  Frame F{C.Caller, Depth};
  if (V.Known) {
    Outcome O = afterCall(C.Call, V, F);
    if (O.K == Outcome::Ends)
      return true;
    if (O.K == Outcome::Returns && C.Caller &&
        callersEnd(C.Caller, O.V, Depth + 1))
      return true;
  }
  // Whatever the result: the process ends on every path after the call,
  // and nothing on the way could wait on the pipe.
  Outcome O = afterCall(C.Call, Interval(), F, /*Strict=*/true);
  if (O.K == Outcome::Ends)
    return true;
  return O.K == Outcome::Returns && C.Caller &&
         callersEnd(C.Caller, O.V, Depth + 1);
}

bool CallerContext::returnEndsProcess(const Frame &F) {
  // A return from main ends the process, unless main is called (C allows
  // it).
  if (!F.Fn || !F.Fn->isMain())
    return false;
  scan();
  auto It = CallsOf.find(F.Fn->getCanonicalDecl());
  return It == CallsOf.end() || (It->second.Calls.empty() &&
                                 !It->second.Escapes && !It->second.Taken);
}

CallbackBindings CallerContext::callbacksAtEveryCall(const FunctionDecl *F,
                                                     unsigned Depth) {
  CallbackBindings Out;
  if (Depth > MaxCallbackDepth)
    return Out;
  const FunctionDecl *Def = nullptr;
  if (!F || !F->hasBody(Def) || !Def ||
      llvm::none_of(Def->parameters(), [](const ParmVarDecl *P) {
        return isCallbackParameter(P->getType());
      }))
    return Out;
  if (Depth == 0)
    if (auto It = BoundCache.find(Def); It != BoundCache.end())
      return It->second;
  llvm::SmallVector<std::pair<const CallExpr *, const FunctionDecl *>, 4> Calls;
  if (!knownCalls(Def, Calls)) {
    if (Depth == 0)
      BoundCache[Def] = Out;
    return Out;
  }
  bool First = true;
  for (const auto &C : Calls) {
    // A caller that passes on a pointer it was given (`start(fn)` calling
    // `run_child(fn)`): what every call of that caller gives it.
    CallbackBindings Outer;
    if (C.second && C.second != Def)
      Outer = callbacksAtEveryCall(C.second, Depth + 1);
    CallbackScope Given(Outer);
    CallbackBindings Here = callbacksOf(C.first, Def);
    if (First) {
      Out = std::move(Here);
      First = false;
      continue;
    }
    // Only what every call binds, to the same function.
    llvm::erase_if(Out, [&](const CallbackBinding &B) {
      return !llvm::is_contained(Here, B);
    });
    if (Out.empty())
      break;
  }
  if (Depth == 0)
    BoundCache[Def] = Out;
  return Out;
}

} // namespace clang::tidy::pipe
