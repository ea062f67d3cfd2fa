//===--- Exceptions.cpp - exceptions are paths ----------------------------===//
//
// The CFG is built without exception edges (CFG::BuildOptions::AddEHEdges
// gives every call that is not noexcept an edge, read() and close()
// included, skips the destructors of the objects it leaves, and
// constructions get none). Instead the engine finds the statements that may
// raise an exception once per CFG (findThrowSites()): every throw
// expression, and every call or construction that models/ThrowModel.h says
// may throw. Where an exception goes is read off the AST: the handlers of
// the enclosing `try` blocks that may catch its type, in order, and out of
// the function unless one surely catches it.
//
// At such a statement (processBlock(), Fixpoint.cpp) the path state is
// copied to each target (raise()): a call's arguments are handed off (what
// the callee did with them before it threw is not known) unless its
// summary says it only borrows them (CalleeSummary.h), the objects the
// exception leaves are destroyed (unwind(): an owner closes its end, a
// joinable std::thread terminates the program), and the copy goes on at
// the handler's block or is recorded as a Throw exit at the statement. A
// throw expression ends its path; a call goes on normally too.
//
// A summarised function (runForSummary()) gets exits only from its throw
// expressions: an exception from a call it makes is raised at its own
// caller's call site, which sees that call may throw.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

namespace {
bool hasNonTrivialDtor(QualType T) {
  if (T.isNull() || T->isReferenceType())
    return false;
  const auto *RD = T->getBaseElementTypeUnsafe()->getAsCXXRecordDecl();
  return RD && RD->hasDefinition() && !RD->hasTrivialDestructor();
}
} // namespace

void FlowEngineImpl::findThrowSites() {
  if (!Ctx.getLangOpts().CXXExceptions)
    return;
  ThrowSummaries &Throws = throwSummaries(Summaries);
  llvm::DenseMap<const CXXCatchStmt *, const CFGBlock *> HandlerBlock;
  for (const CFGBlock *B : *Graph)
    if (const auto *CS = dyn_cast_or_null<CXXCatchStmt>(B->getLabel()))
      HandlerBlock[CS] = B;
  bool AnyEscapes = false;
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      const auto *TE = dyn_cast<CXXThrowExpr>(St);
      if (!TE && !isa<CallExpr>(St) && !isa<CXXConstructExpr>(St))
        continue;
      // What it may throw: for a call, only when its code throws.
      const ThrownSet *Set = nullptr;
      if (!TE) {
        Set = Throws.thrownBy(cast<Expr>(St), Ctx);
        if (!Set)
          continue;
      }
      // The enclosing try blocks, innermost first; the handler it is in.
      llvm::SmallVector<const CXXTryStmt *, 2> Tries;
      const CXXCatchStmt *InHandler = nullptr;
      for (const Stmt *C = St, *P = R.parentOf(St); P;
           C = P, P = R.parentOf(P)) {
        if (const auto *T = dyn_cast<CXXTryStmt>(P);
            T && C == T->getTryBlock())
          Tries.push_back(T);
        if (!InHandler)
          InHandler = dyn_cast<CXXCatchStmt>(P);
      }
      ThrownSet Own;
      if (TE) {
        Own.Witness = TE;
        if (const Expr *Sub = TE->getSubExpr()) {
          QualType T = Sub->getType().getNonReferenceType();
          if (T->isArrayType() || T->isFunctionType())
            T = Ctx.getDecayedType(T);
          Own.add(T.getCanonicalType().getUnqualifiedType(), true);
        } else if (InHandler && InHandler->getExceptionDecl()) {
          Own.add(InHandler->getCaughtType()
                      .getNonReferenceType()
                      .getCanonicalType()
                      .getUnqualifiedType(),
                  false);
        } else {
          Own.AnyType = true;
        }
        Set = &Own;
      }
      ThrowSite X;
      X.IsThrow = TE != nullptr;
      X.Witness = Set->Witness;
      auto AddTarget = [&](const CFGBlock *H, const Stmt *Boundary) {
        for (const EHTarget &T : X.Targets)
          if (T.Handler == H)
            return;
        X.Targets.push_back({H, Boundary});
      };
      // Each handler that may catch it gets it; the first that surely
      // does stops it.
      auto Route = [&](auto &&Match) {
        for (const CXXTryStmt *T : Tries)
          for (unsigned I = 0; I < T->getNumHandlers(); ++I) {
            const CXXCatchStmt *H = T->getHandler(I);
            CatchMatch M = Match(H);
            if (M == CatchMatch::No)
              continue;
            if (auto It = HandlerBlock.find(H); It != HandlerBlock.end())
              AddTarget(It->second, T->getTryBlock());
            if (M == CatchMatch::Yes)
              return true;
          }
        return false;
      };
      bool Escapes = false;
      if (Set->AnyType)
        Escapes |= !Route([](const CXXCatchStmt *H) { return catchMatchAny(H); });
      for (const ThrownSet::Type &T : Set->Types)
        Escapes |= !Route(
            [&](const CXXCatchStmt *H) { return catchMatch(H, T, Ctx); });
      if (Escapes && (TE || !SummaryMode)) {
        X.Targets.push_back({nullptr, Body});
        AnyEscapes = true;
      }
      if (X.Targets.empty() && !TE)
        continue;
      for (const EHTarget &T : X.Targets)
        if (T.Handler)
          EHSuccs[B].push_back(T.Handler);
      ThrowSites[St] = std::move(X);
    }
  // A constructor an exception may leave: its members are places, so that
  // what it stored in them before is seen to leak (its destructor never
  // runs).
  const auto *Ctor = dyn_cast_or_null<CXXConstructorDecl>(R.FD);
  if (AnyEscapes && Ctor && !SummaryMode && !ThisPlace &&
      !Ctor->getParent()->isLambda() && !Ctor->getParent()->isUnion()) {
    QualType Object =
        Ctor->getThisType()->getPointeeType().getUnqualifiedType();
    ThisPlace = makePlaceholder(Ctor, Object, nullptr);
    ConstructorThis = true;
    R.ConstructedObject = ThisPlace;
  }
}

bool FlowEngineImpl::isAncestor(const Stmt *Outer, const Stmt *S) const {
  for (unsigned Guard = 0; S && Guard < 256; ++Guard, S = R.parentOf(S))
    if (S == Outer)
      return true;
  return false;
}

/// Is \p VD, an object with a destructor, alive at \p At and destroyed
/// when an exception leaves \p Boundary from there: declared in a scope
/// around \p At, inside \p Boundary, before \p At?
bool FlowEngineImpl::destroyedByUnwinding(const VarDecl *VD, const Stmt *At,
                                          const Stmt *Boundary) {
  if (!hasNonTrivialDtor(VD->getType()) || VD->isStaticLocal() ||
      !VD->hasLocalStorage())
    return false;
  findLocalDecls();
  auto It = DeclOf.find(VD);
  if (It == DeclOf.end())
    return false;
  const DeclStmt *DS = It->second;
  const Stmt *Scope = R.parentOf(DS);
  if (!Scope || !isAncestor(Scope, At) || !isAncestor(Boundary, DS))
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(DS->getEndLoc()),
                                      SM.getExpansionLoc(At->getBeginLoc()));
}

void FlowEngineImpl::findLocalDecls() {
  if (DeclsFound)
    return;
  DeclsFound = true;
  llvm::SmallVector<const Stmt *, 32> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D)) {
          if (DeclOf.try_emplace(V, DS).second &&
              hasNonTrivialDtor(V->getType()) && !V->isStaticLocal() &&
              V->hasLocalStorage())
            LocalsWithDtor.push_back(V);
        }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
}

void FlowEngineImpl::unwind(PathState &S, const Stmt *At,
                            const Stmt *Boundary, bool Observe) {
  findLocalDecls();
  if (OwnedBy.empty() && TasksOfHandle.empty() && LocalsWithDtor.empty())
    return;
  llvm::SmallVector<const VarDecl *, 4> Dying;
  llvm::SmallPtrSet<const VarDecl *, 4> Seen;
  auto Consider = [&](const VarDecl *VD) {
    if (VD && Seen.insert(VD).second && destroyedByUnwinding(VD, At, Boundary))
      Dying.push_back(VD);
  };
  for (const auto &KV : OwnedBy)
    Consider(KV.first);
  for (const auto &KV : TasksOfHandle)
    Consider(dyn_cast<VarDecl>(KV.first));
  // A local object whose own destructor may close what its members hold
  // (`PipeFds pipe;`, applyDestructorOf()): one with an end in a member.
  for (const VarDecl *VD : LocalsWithDtor) {
    bool HoldsEnd = false;
    auto [Lo, Hi] = PathState::keysWithin(LocKey{VD, 0});
    S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &V) {
      HoldsEnd = V.K == AbsVal::End && PathState::unpackLoc(K).Sel;
      return !HoldsEnd;
    });
    if (HoldsEnd)
      Consider(VD);
  }
  // Destroyed in the reverse order of their declarations.
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(Dying, [&](const VarDecl *A, const VarDecl *B) {
    return SM.isBeforeInTranslationUnit(B->getLocation(), A->getLocation());
  });
  for (const VarDecl *VD : Dying)
    transferDtorOf(VD, At, S, Observe);
}

void FlowEngineImpl::settleConstructorMembers(PathState &S, bool Throwing) {
  if (!ConstructorThis)
    return;
  if (!Throwing) {
    handOffWithin(S, LocKey{ThisPlace, 0}); // the object keeps them
    return;
  }
  // The members are destroyed (those of class type run their destructors:
  // an owner closes its descriptor); plain descriptors stay open.
  const auto *RD = cast<CXXConstructorDecl>(R.FD)->getParent();
  for (const FieldDecl *F : RD->fields())
    if (hasNonTrivialDtor(F->getType()))
      if (auto L = child(LocKey{ThisPlace, 0}, fieldSel(F->getFieldIndex())))
        handOffWithin(S, *L);
}

void FlowEngineImpl::raise(const Stmt *At, const ThrowSite &X,
                           const PathState &Pre, bool Observe) {
  PathState Base = Pre;
  // What the callee did with what it was given before it threw is not
  // known: it is handed off, as to a function we cannot see.
  if (!X.IsThrow) {
    if (const auto *CE = dyn_cast<CallExpr>(At)) {
      // Unless its summary says it only borrows that descriptor (reads,
      // writes, tests it): then the caller still owns it.
      const FunctionDecl *FD = CE->getDirectCallee();
      bool Plain = FD && !isa<CXXOperatorCallExpr>(CE);
      for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
        if (Plain && I < FD->getNumParams())
          if (const ParamSummary *PS = Summaries.paramSummary(FD, I);
              PS && PS->Borrowed)
            continue;
        handOffExpr(Base, CE->getArg(I));
      }
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
        handOffExpr(Base, MCE->getImplicitObjectArgument());
      if (const LambdaExpr *LE = calledOnlyLambda(CE->getCallee()))
        handOffLambdaCaptures(Base, LE, nullptr);
    } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(At)) {
      for (const Expr *A : CCE->arguments())
        handOffExpr(Base, A);
    }
  }
  for (const EHTarget &T : X.Targets) {
    PathState N = Base;
    unwind(N, At, T.Boundary, Observe);
    if (T.Handler) {
      if (!Observe)
        enqueueState(T.Handler, std::move(N));
      continue;
    }
    if (!Observe)
      continue; // exits are recorded by the replay
    settleConstructorMembers(N, /*Throwing=*/true);
    // What the caller's places hold (a pointer parameter's pointee, `*this`
    // of a method) stays the caller's, as at a return.
    settleParamPointees(N);
    ExitPoint EP{ExitPoint::Throw, At, At->getBeginLoc()};
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(At))
      EP.Loc = MCE->getExprLoc();
    if (!X.IsThrow)
      EP.ThrowsAt = X.Witness;
    R.Exits.push_back({EP, std::move(N)});
  }
}

} // namespace clang::tidy::pipe
