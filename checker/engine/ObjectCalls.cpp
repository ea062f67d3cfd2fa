//===--- ObjectCalls.cpp - a local object's constructor and destructor ----===//
//
// A local object of a class whose methods keep a pipe in its members
// (`Renderer r; r.render(); r.finish(); r.collect();`) is followed through
// its whole life, as a sequence of member calls on its place:
//
//   - its construction (`Renderer r(640, 480);`) is the call of its
//     constructor on `r`: constructorCall() gives the CXXConstructExpr a
//     call of the constructor with `r` as the object, built once per
//     function, which discovery (ends a constructor makes, threads it
//     starts) and the transfer treat as any member call, with the
//     constructor's summary (FunctionSummaries.h);
//   - its methods are member calls already (ApplySummaries.cpp);
//   - its destruction (the CFG's automatic destructor) closes what its
//     user-written destructor's summary says it closes
//     (applyDestructorOf()); a destructor that cannot be summarised may
//     close anything in it, so its ends are handed off; one that touches no
//     descriptor leaves them open, to leak.
//
// Only a constructor written by the user, whose body this translation unit
// has, that reaches a pipe function, is applied this way; its member
// initialisers are not read (the CFG is built without them).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

const CallExpr *FlowEngineImpl::constructorCall(const Stmt *St) {
  const auto *CCE = dyn_cast_or_null<CXXConstructExpr>(St);
  if (!CCE)
    return nullptr;
  if (!ConstructorCallsBuilt)
    buildConstructorCalls();
  auto It = ConstructorCalls.find(CCE);
  return It == ConstructorCalls.end() ? nullptr : It->second;
}

void FlowEngineImpl::buildConstructorCalls() {
  ConstructorCallsBuilt = true;
  FunctionSummaries &Functions = functionSummaries(Summaries, Ctx, Budget);
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      const auto *DS = CS ? dyn_cast<DeclStmt>(CS->getStmt()) : nullptr;
      if (!DS)
        continue;
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->getInit() || VD->getType()->isReferenceType() ||
            !isTrackableBase(VD))
          continue;
        const auto *CCE = dyn_cast<CXXConstructExpr>(stripTemporary(VD->getInit()));
        if (!CCE || ConstructorCalls.count(CCE))
          continue;
        const CXXConstructorDecl *Ctor = CCE->getConstructor();
        if (!Ctor || Ctor->isCopyOrMoveConstructor() ||
            !Ctor->isUserProvided() || Ctor->getParent()->isLambda())
          continue;
        const FunctionDecl *Def = FunctionSummaries::summarisable(Ctor);
        if (!Def || !Functions.mayMatter(Def))
          continue;
        // `r.Renderer(args)`: the constructor as a member call on `r`.
        auto *Ref = DeclRefExpr::Create(
            Ctx, NestedNameSpecifierLoc(), SourceLocation(),
            const_cast<VarDecl *>(VD), false, CCE->getBeginLoc(),
            VD->getType(), VK_LValue);
        auto *Member = MemberExpr::CreateImplicit(
            Ctx, Ref, /*IsArrow=*/false, const_cast<CXXConstructorDecl *>(Ctor),
            Ctx.BoundMemberTy, VK_PRValue, OK_Ordinary);
        llvm::SmallVector<Expr *, 4> Args;
        for (const Expr *A : CCE->arguments())
          Args.push_back(const_cast<Expr *>(A));
        ConstructorCalls[CCE] = CXXMemberCallExpr::Create(
            Ctx, Member, Args, Ctx.VoidTy, VK_PRValue, CCE->getEndLoc(),
            FPOptionsOverride());
      }
    }
}

void FlowEngineImpl::applyDestructorOf(const VarDecl *VD, PathState &S) {
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || RD->hasTrivialDestructor() ||
      !isTrackableBase(VD) || isEscaped(S, VD))
    return;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor || !Dtor->isUserProvided())
    return; // members' own destructors only: a plain int member stays open
  llvm::SmallVector<std::pair<uint32_t, EndId>, 4> Held;
  auto [Lo, Hi] = PathState::keysWithin(LocKey{VD, 0});
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &V) {
    if (V.K == AbsVal::End && (S.status(V.E) & Open))
      Held.push_back({PathState::unpackLoc(K).Sel, V.E});
    return true;
  });
  if (Held.empty())
    return;
  FunctionSummaries &Functions = functionSummaries(Summaries, Ctx, Budget);
  const FunctionDecl *Def = FunctionSummaries::summarisable(Dtor);
  // A destructor that touches no descriptor leaves them open.
  if (Def && !Functions.mayMatter(Def))
    return;
  const FunctionSummary *FS = Def ? Functions.get(Def) : nullptr;
  if (!FS) {
    // A destructor we cannot read may close them: not ours to judge.
    handOffWithin(S, LocKey{VD, 0});
    return;
  }
  for (const auto &[Sel, E] : Held)
    if (llvm::any_of(FS->Closes, [&, Sel = Sel](const SummarySlot &Sl) {
          return Sl.K == SummarySlot::Pointee &&
                 Sl.Param == SummarySlot::ThisParam && Sl.Sel == Sel;
        }))
      closeEnd(S, E);
}

} // namespace clang::tidy::pipe
