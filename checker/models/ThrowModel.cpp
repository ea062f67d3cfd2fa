//===--- ThrowModel.cpp - which calls may throw, and which handlers catch it ===//
#include "models/ThrowModel.h"
#include "summaries/CalleeSummary.h"
#include "AstQueries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

namespace {
/// More types than this: AnyType.
constexpr unsigned MaxTypes = 4;

QualType plainType(QualType T, ASTContext &Ctx) {
  T = T.getNonReferenceType();
  if (T->isArrayType() || T->isFunctionType())
    T = Ctx.getDecayedType(T);
  return T.getCanonicalType().getUnqualifiedType();
}

bool isDerivedOrSame(const CXXRecordDecl *D, const CXXRecordDecl *B) {
  if (!D || !B)
    return false;
  D = D->getDefinition();
  B = B->getCanonicalDecl();
  return D && (D->getCanonicalDecl() == B || D->isDerivedFrom(B));
}
} // namespace

void ThrownSet::add(QualType T, bool Exact) {
  if (AnyType)
    return;
  for (Type &X : Types)
    if (X.T == T) {
      X.Exact &= Exact;
      return;
    }
  if (Types.size() >= MaxTypes) {
    AnyType = true;
    Types.clear();
    return;
  }
  Types.push_back({T, Exact});
}

void ThrownSet::addAll(const ThrownSet &Other) {
  if (Other.AnyType) {
    AnyType = true;
    Types.clear();
  } else {
    for (const Type &X : Other.Types)
      add(X.T, X.Exact);
  }
  if (!Witness)
    Witness = Other.Witness;
}

CatchMatch catchMatchAny(const CXXCatchStmt *H) {
  return H->getExceptionDecl() ? CatchMatch::Maybe : CatchMatch::Yes;
}

CatchMatch catchMatch(const CXXCatchStmt *H, const ThrownSet::Type &T,
                      ASTContext &Ctx) {
  if (!H->getExceptionDecl())
    return CatchMatch::Yes; // catch (...)
  QualType HT = H->getCaughtType();
  if (HT.isNull() || HT->isDependentType() || T.T.isNull() ||
      T.T->isDependentType())
    return CatchMatch::Maybe;
  HT = plainType(HT, Ctx);
  QualType X = plainType(T.T, Ctx);
  if (HT == X)
    return CatchMatch::Yes;
  if (const CXXRecordDecl *XR = X->getAsCXXRecordDecl()) {
    const CXXRecordDecl *HR = HT->getAsCXXRecordDecl();
    if (!HR)
      return CatchMatch::No;
    if (isDerivedOrSame(XR, HR))
      return CatchMatch::Yes;
    // `throw;` of something caught as X: it may be of a class derived
    // from both.
    if (!T.Exact && isDerivedOrSame(HR, XR))
      return CatchMatch::Maybe;
    return CatchMatch::No;
  }
  if (X->isPointerType() && HT->isPointerType()) {
    QualType XP = X->getPointeeType().getUnqualifiedType();
    QualType HP = HT->getPointeeType().getUnqualifiedType();
    if (HP->isVoidType() || XP == HP)
      return CatchMatch::Yes;
    if (isDerivedOrSame(XP->getAsCXXRecordDecl(), HP->getAsCXXRecordDecl()))
      return CatchMatch::Yes;
    return CatchMatch::No;
  }
  if (X->isNullPtrType() && (HT->isPointerType() || HT->isMemberPointerType()))
    return CatchMatch::Yes;
  return CatchMatch::No;
}

const FunctionDecl *ThrowSummaries::calleeOf(const Expr *E) {
  if (const auto *CE = dyn_cast<CallExpr>(E))
    return CE->getDirectCallee();
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(E))
    return CCE->getConstructor();
  return nullptr;
}

ThrowSummaries::Result ThrowSummaries::ofCall(const Expr *E, ASTContext &Ctx) {
  const FunctionDecl *FD = calleeOf(E);
  if (!FD)
    return {}; // through a pointer: cannot be seen
  // A virtual call may run an override we do not read.
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E))
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
        MD && mayRunOverride(MD)) {
      const auto *ME = dyn_cast<MemberExpr>(MCE->getCallee()->IgnoreParens());
      if (!ME || !ME->hasQualifier())
        return {};
    }
  return ofFunction(FD, Ctx);
}

ThrowSummaries::Result ThrowSummaries::ofFunction(const FunctionDecl *FD,
                                                  ASTContext &Ctx) {
  Result R;
  if (!FD || FD->getBuiltinID() || FD->hasAttr<NoThrowAttr>() ||
      FD->isExternC() || FD->isInExternCContext())
    return R;
  if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
    if (FPT->isNothrow())
      return R;
  if (isa<CXXDestructorDecl>(FD))
    return R; // noexcept unless declared otherwise; not followed
  // Library calls the model knows (read, write, close, fork...). A
  // function that never returns may do so by throwing: its body says.
  if (const ApiFunction *Api = Model.lookup(FD);
      Api && Api->Role != ApiRole::NoReturn)
    return R;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def->isDependentContext() || Def->isDefaulted())
    return R;
  if (Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return R;
  // A kept answer read Height callees deep: used here only if reading
  // it afresh from this depth would not have hit the bound either.
  if (auto It = Cache.find(Def);
      It != Cache.end() &&
      InProgress.size() + It->second.Height <= MaxDepth) {
    R.Set = It->second.Set;
    R.Height = It->second.Height;
    return R;
  }
  // Asked from depth 0, an answer cut short is still the same every time.
  bool Root = InProgress.empty();
  if (Root)
    if (auto It = RootCache.find(Def); It != RootCache.end()) {
      R.Set = It->second;
      R.Cut = true;
      return R;
    }
  if (std::find(InProgress.begin(), InProgress.end(), Def) !=
          InProgress.end() ||
      InProgress.size() >= MaxDepth) {
    R.Cut = true;
    return R;
  }
  InProgress.push_back(Def);
  llvm::SmallVector<const Stmt *, 4> Tries;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->getInit())
        walk(Init->getInit(), Ctx, Tries, nullptr, R);
  walk(Def->getBody(), Ctx, Tries, nullptr, R);
  InProgress.pop_back();
  R.Height += 1;
  if (!R.Cut)
    Cache[Def] = {R.Set, R.Height};
  else if (Root)
    RootCache[Def] = R.Set;
  return R;
}

/// Adds to \p Out what of \p Raised gets past the handlers of \p Tries
/// (innermost last).
void ThrowSummaries::escape(const ThrownSet &Raised, ASTContext &Ctx,
                            llvm::ArrayRef<const Stmt *> Tries, Result &Out) {
  auto Caught = [&](auto &&Match) {
    for (size_t I = Tries.size(); I-- > 0;) {
      const auto *TS = cast<CXXTryStmt>(Tries[I]);
      for (unsigned H = 0; H < TS->getNumHandlers(); ++H)
        if (Match(TS->getHandler(H)) == CatchMatch::Yes)
          return true;
    }
    return false;
  };
  bool Any = false;
  if (Raised.AnyType &&
      !Caught([](const CXXCatchStmt *H) { return catchMatchAny(H); })) {
    Out.Set.AnyType = true;
    Out.Set.Types.clear();
    Any = true;
  }
  for (const ThrownSet::Type &T : Raised.Types)
    if (!Caught([&](const CXXCatchStmt *H) { return catchMatch(H, T, Ctx); })) {
      Out.Set.add(T.T, T.Exact);
      Any = true;
    }
  if (Any && !Out.Set.Witness)
    Out.Set.Witness = Raised.Witness;
}

void ThrowSummaries::walk(const Stmt *S, ASTContext &Ctx,
                          llvm::SmallVectorImpl<const Stmt *> &Tries,
                          const CXXCatchStmt *InHandler, Result &Out) {
  if (!S)
    return;
  // Code that does not run here: a lambda's or block's body, operands of
  // sizeof and decltype.
  if (isa<LambdaExpr, BlockExpr, UnaryExprOrTypeTraitExpr>(S))
    return;
  if (const auto *TS = dyn_cast<CXXTryStmt>(S)) {
    Tries.push_back(TS);
    walk(TS->getTryBlock(), Ctx, Tries, InHandler, Out);
    Tries.pop_back();
    for (unsigned H = 0; H < TS->getNumHandlers(); ++H)
      walk(TS->getHandler(H)->getHandlerBlock(), Ctx, Tries,
           TS->getHandler(H), Out);
    return;
  }
  if (const auto *TE = dyn_cast<CXXThrowExpr>(S)) {
    walk(TE->getSubExpr(), Ctx, Tries, InHandler, Out);
    ThrownSet Raised;
    Raised.Witness = TE;
    if (const Expr *Sub = TE->getSubExpr())
      Raised.add(plainType(Sub->getType(), Ctx), true);
    else if (InHandler && InHandler->getExceptionDecl())
      Raised.add(plainType(InHandler->getCaughtType(), Ctx), false);
    else
      Raised.AnyType = true;
    escape(Raised, Ctx, Tries, Out);
    return;
  }
  for (const Stmt *C : S->children())
    walk(C, Ctx, Tries, InHandler, Out);
  if (isa<CallExpr>(S) || isa<CXXConstructExpr>(S)) {
    Result Callee = ofCall(cast<Expr>(S), Ctx);
    Out.Cut |= Callee.Cut;
    Out.Height = std::max(Out.Height, Callee.Height);
    if (!Callee.Set.empty())
      escape(Callee.Set, Ctx, Tries, Out);
  }
}

const ThrownSet *ThrowSummaries::thrownBy(const Expr *E, ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CXXExceptions)
    return nullptr;
  if (auto It = CallCache.find(E); It != CallCache.end())
    return It->second.get();
  Result R = ofCall(E, Ctx);
  std::unique_ptr<ThrownSet> &Slot = CallCache[E];
  if (!R.Set.empty())
    Slot = std::make_unique<ThrownSet>(std::move(R.Set));
  return Slot.get();
}

ThrowSummaries &throwSummaries(CalleeSummaries &Summaries) {
  if (!Summaries.Throws)
    Summaries.Throws = std::make_shared<ThrowSummaries>(Summaries.model());
  return *Summaries.Throws;
}

} // namespace clang::tidy::pipe
