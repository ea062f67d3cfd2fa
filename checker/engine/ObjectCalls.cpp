//===--- ObjectCalls.cpp - a local object from construction to destruction -===/
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
// An object whose constructor only keeps its arguments in members (a
// unique_fd-like wrapper, a worker given its descriptor) is followed as
// places:
//
//   - `UniqueFd rd(fds[0]);` stores the argument in `rd.fd_`
//     (ownsConstructorArgs(), TransferStorage.cpp's initialize());
//   - `rd.reset(fd)` stores it there through the method's summary
//     (FunctionSummary::Stores, ApplySummaries.cpp);
//   - `rd.release()` (`int fd = fd_; fd_ = -1; return fd;`, `return
//     std::exchange(fd_, -1);`) takes it out with the call's value
//     (releasedMember(), transferRelease());
//   - `UniqueFd b(std::move(a));` with a move constructor that takes the
//     descriptors over moves them between the two objects' places
//     (movedMembers(), wrapperMoveSource());
//   - the destructor closes what its summary closes, and an implicit
//     destructor runs its members' (`struct PipePair { UniqueFd rd, wr; }`:
//     applyDestructorAt()); with no destructor of its own, an integer
//     member is left as it was, still open.
//
// The end of the file says what a call can reach of an object, for every
// member call (ApplySummaries.cpp): whether a type may hold or lead to a
// descriptor (objectMayHoldDescriptor(), cannotReachDescriptor()), which
// members a method names (membersUsedBy(), leavesObjectAlone()), and what
// a call without a summary hands off of its object (handOffObjectOf(),
// callKeepsObject()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

namespace clang::tidy::pipe {

namespace {
/// \p E, when it is a call `std::exchange(x, v)`.
const CallExpr *stdExchangeCall(const Expr *E) {
  const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreImplicit()) : nullptr;
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!isNamedStdFunction(FD, "exchange") || CE->getNumArgs() != 2)
    return nullptr;
  return CE;
}
} // namespace

bool FlowEngineImpl::swapPlaces(const CallExpr *CE, const FunctionDecl *FD,
                                PathState &S) {
  // A wrapper's move assignment or swap() (`close(); std::swap(fd_,
  // rhs.fd_);`): the two places exchange what they hold, and nothing is
  // given away. Only integers (a descriptor each), in places followed
  // whole; anything else is a call like any other.
  if (!isNamedStdFunction(FD, "swap") || CE->getNumArgs() != 2)
    return false;
  std::optional<Lvalue> Places[2];
  for (unsigned I = 0; I < 2; ++I) {
    const Expr *A = CE->getArg(I);
    if (!A->getType()->isIntegerType())
      return false;
    Places[I] = lvalueOf(A, S);
    if (!Places[I] || !Places[I]->Tracked || Places[I]->AnyIndex)
      return false;
  }
  AbsVal First = S.load(Places[0]->L), Second = S.load(Places[1]->L);
  setLoc(S, Places[0]->L, Second);
  setLoc(S, Places[1]->L, First);
  return true;
}

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
        llvm::SmallVector<const Expr *, 4> Args(CCE->arguments());
        ConstructorCalls[CCE] =
            memberConstructorCall(const_cast<VarDecl *>(VD), Ctor, Args,
                                  CCE->getBeginLoc(), CCE->getEndLoc());
      }
    }
  // `new Spool(args)`, `std::make_unique<Spool>(args)`: the constructor as a
  // member call on the allocated object's place.
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      const Expr *Alloc = CS ? dyn_cast<Expr>(CS->getStmt()) : nullptr;
      if (!Alloc || !isa<CXXNewExpr, CallExpr>(Alloc) ||
          HeapConstructorCalls.count(Alloc))
        continue;
      QualType T = allocatedObjectType(Alloc);
      const CXXConstructorDecl *Ctor =
          T.isNull() ? nullptr : allocatedConstructor(Alloc, T);
      if (!Ctor || Ctor->isCopyOrMoveConstructor() || !Ctor->isUserProvided() ||
          Ctor->getParent()->isLambda())
        continue;
      const FunctionDecl *Def = FunctionSummaries::summarisable(Ctor);
      if (!Def || !Functions.mayMatter(Def))
        continue;
      VarDecl *V = heapPlaceOf(Alloc, T);
      if (!V)
        continue;
      llvm::SmallVector<const Expr *, 4> Args;
      if (const auto *NE = dyn_cast<CXXNewExpr>(Alloc)) {
        const CXXConstructExpr *CCE = NE->getConstructExpr();
        if (!CCE)
          continue;
        Args.append(CCE->arg_begin(), CCE->arg_end());
        HeapConstructs.insert(CCE);
      } else {
        const auto *CE = cast<CallExpr>(Alloc);
        Args.append(CE->arg_begin(), CE->arg_end());
      }
      HeapConstructorCalls[Alloc] = memberConstructorCall(
          V, Ctor, Args, Alloc->getBeginLoc(), Alloc->getEndLoc());
    }
}

const CallExpr *FlowEngineImpl::heapConstructorCall(const Stmt *Alloc) {
  if (!Alloc || !isa<CXXNewExpr, CallExpr>(Alloc))
    return nullptr;
  if (!ConstructorCallsBuilt)
    buildConstructorCalls();
  auto It = HeapConstructorCalls.find(Alloc);
  return It == HeapConstructorCalls.end() ? nullptr : It->second;
}

const CXXConstructorDecl *
FlowEngineImpl::allocatedConstructor(const Expr *Alloc, QualType T) const {
  if (const auto *NE = dyn_cast<CXXNewExpr>(Alloc))
    return NE->getConstructExpr() ? NE->getConstructExpr()->getConstructor()
                                  : nullptr;
  return madeObjectConstructor(cast<CallExpr>(Alloc), T);
}

const CallExpr *FlowEngineImpl::memberConstructorCall(
    VarDecl *V, const CXXConstructorDecl *Ctor,
    llvm::ArrayRef<const Expr *> Args, SourceLocation Begin,
    SourceLocation End) {
  auto *Ref = DeclRefExpr::Create(Ctx, NestedNameSpecifierLoc(),
                                  SourceLocation(), V, false, Begin,
                                  V->getType(), VK_LValue);
  auto *Member = MemberExpr::CreateImplicit(
      Ctx, Ref, /*IsArrow=*/false, const_cast<CXXConstructorDecl *>(Ctor),
      Ctx.BoundMemberTy, VK_PRValue, OK_Ordinary);
  llvm::SmallVector<Expr *, 4> CallArgs;
  for (const Expr *A : Args)
    CallArgs.push_back(const_cast<Expr *>(A));
  return CXXMemberCallExpr::Create(Ctx, Member, CallArgs, Ctx.VoidTy,
                                   VK_PRValue, End, FPOptionsOverride());
}

bool FlowEngineImpl::ownsConstructorArgs(const CXXConstructExpr *CCE) const {
  // An element of the braced list that initialises a local struct: found
  // with a wrapper that keeps its arguments (discoverTasks()).
  if (auto El = ListElementOf.find(CCE); El != ListElementOf.end())
    return isTrackableBase(El->second);
  auto It = InitOf.find(CCE);
  if (It == InitOf.end())
    return false;
  const VarDecl *VD = It->second;
  if (VD->getType()->isReferenceType() || !isTrackableBase(VD) ||
      stripTemporary(VD->getInit()) != CCE)
    return false;
  return constructorKeepsArgs(CCE);
}

bool FlowEngineImpl::constructorKeepsArgs(const CXXConstructExpr *CCE) const {
  const CXXConstructorDecl *Ctor = CCE->getConstructor();
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || !Ctor->isUserProvided() ||
      Ctx.getSourceManager().isInSystemHeader(Ctor->getLocation()))
    return false;
  // With or without a destructor of its own: the destructor's summary
  // says whether it closes them (applyDestructorOf()).
  const CXXRecordDecl *RD = Ctor->getParent();
  if (!RD || RD->isLambda())
    return false;
  llvm::SmallVector<std::pair<SelPath, const Expr *>, 4> Elements;
  if (!aggregateElements(CCE, Elements))
    return false;
  return llvm::all_of(CCE->arguments(), [&](const Expr *A) {
    return !A->getType()->isIntegerType() ||
           llvm::any_of(Elements, [&](const auto &El) { return El.second == A; });
  });
}

llvm::SmallVector<std::pair<uint16_t, std::optional<int64_t>>, 2>
FlowEngineImpl::movedMembers(const CXXConstructorDecl *Ctor) const {
  llvm::SmallVector<std::pair<uint16_t, std::optional<int64_t>>, 2> Out;
  const FunctionDecl *Def = nullptr;
  if (!Ctor || !Ctor->isMoveConstructor() || !Ctor->isUserProvided() ||
      !Ctor->hasBody(Def) || !Def)
    return Out;
  const auto *CD = cast<CXXConstructorDecl>(Def);
  const CXXRecordDecl *RD = CD->getParent();
  const auto *Body = dyn_cast_or_null<CompoundStmt>(CD->getBody());
  if (!Body || !Body->body_empty() || RD->getNumBases() || RD->isPolymorphic() ||
      !hasOwnDestructor(RD) || CD->getNumParams() != 1)
    return Out;
  const ParmVarDecl *Other = CD->getParamDecl(0);
  auto IsOther = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == Other;
  };
  for (const FieldDecl *F : RD->fields()) {
    if (!mayHoldDescriptorValue(F->getType()))
      continue;
    const Expr *Init = nullptr;
    for (const CXXCtorInitializer *I : CD->inits())
      if (I->getMember() == F)
        Init = I->getInit();
    Init = Init ? Init->IgnoreImplicit()->IgnoreParenImpCasts() : nullptr;
    std::optional<std::pair<uint16_t, std::optional<int64_t>>> Took;
    // `fd_(o.release())`
    if (const auto *MCE = dyn_cast_or_null<CXXMemberCallExpr>(Init))
      if (IsOther(MCE->getImplicitObjectArgument()))
        if (auto Rel = releasedMember(MCE->getMethodDecl());
            Rel && Rel->Sel == fieldSel(F->getFieldIndex()))
          Took = {Rel->Sel, Rel->Left};
    // `fd_(std::exchange(o.fd_, -1))`
    if (const CallExpr *CE = stdExchangeCall(Init); CE && !Took)
      if (const auto *ME = dyn_cast<MemberExpr>(CE->getArg(0)->IgnoreParenImpCasts());
          ME && ME->getMemberDecl() == F && IsOther(ME->getBase()))
        Took = {fieldSel(F->getFieldIndex()),
                integerConstant(CE->getArg(1), Ctx)};
    if (!Took)
      return {}; // a descriptor member it does not take over: not a move
    Out.push_back(*Took);
  }
  return Out;
}

std::optional<FlowEngineImpl::Lvalue>
FlowEngineImpl::wrapperMoveSource(const CXXConstructExpr *CCE,
                                  const PathState &S) const {
  if (CCE->getNumArgs() != 1 || !CCE->getConstructor()->isMoveConstructor())
    return std::nullopt;
  // The variable it initialises (InitOf sees through a move).
  const Stmt *P = R.parentOf(CCE);
  while (P && isa<ExprWithCleanups, MaterializeTemporaryExpr, ImplicitCastExpr>(P))
    P = R.parentOf(P);
  const auto *DS = dyn_cast_or_null<DeclStmt>(P);
  const VarDecl *VD = nullptr;
  if (DS)
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D);
          V && V->getInit() && V->getInit()->IgnoreImplicit() == CCE)
        VD = V;
  if (!VD || VD->getType()->isReferenceType() || !isTrackableBase(VD) ||
      movedMembers(CCE->getConstructor()).empty())
    return std::nullopt;
  const Expr *Src = CCE->getArg(0)->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(Src);
      Call && Call->getNumArgs() == 1 && isValuePassThrough(Call->getDirectCallee()))
    Src = Call->getArg(0)->IgnoreParenImpCasts();
  std::optional<Lvalue> LV = lvalueOf(Src, S);
  if (!LV || !LV->Tracked || LV->AnyIndex)
    return std::nullopt;
  return LV;
}

void FlowEngineImpl::applyDestructorOf(const VarDecl *VD, PathState &S) {
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || RD->hasTrivialDestructor() ||
      !isTrackableBase(VD) || isEscaped(S, VD))
    return;
  applyDestructorAt(LocKey{VD, 0}, RD, S);
}

void FlowEngineImpl::applyDestructorAt(LocKey Place, const CXXRecordDecl *RD,
                                       PathState &S) {
  RD = destroyedClass(RD);
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor)
    return;
  if (!Dtor->isUserProvided()) {
    // The implicit destructor destroys the members: those of a class with
    // a destructor of its own (`struct PipePair { UniqueFd rd, wr; }`) run
    // it on their places. A plain int member stays open.
    for (const FieldDecl *F : RD->fields()) {
      const CXXRecordDecl *FR = F->getType()->getAsCXXRecordDecl();
      if (!FR || !FR->hasDefinition() || FR->hasTrivialDestructor() ||
          F->getFieldIndex() >= 16)
        continue;
      if (std::optional<LocKey> FL =
              Place.Sel == 0 ? child(Place, fieldSel(F->getFieldIndex()))
                             : std::nullopt)
        applyDestructorAt(*FL, FR, S);
    }
    return;
  }
  bool HoldsOpen = false;
  auto [Lo, Hi] = PathState::keysWithin(Place);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &V) {
    HoldsOpen = V.K == AbsVal::End && (S.status(V.E) & Open);
    return !HoldsOpen;
  });
  if (!HoldsOpen)
    return;
  FunctionSummaries &Functions = functionSummaries(Summaries, Ctx, Budget);
  const FunctionDecl *Def = FunctionSummaries::summarisable(Dtor);
  // A destructor that touches no descriptor leaves them open.
  if (Def && !Functions.mayMatter(Def))
    return;
  const FunctionSummary *FS = Def ? Functions.get(Def) : nullptr;
  if (!FS) {
    // A destructor we cannot read may close them: not ours to judge.
    handOffWithin(S, Place);
    return;
  }
  for (const SummarySlot &Sl : FS->Closes)
    if (Sl.K == SummarySlot::Pointee && Sl.Param == SummarySlot::ThisParam)
      if (std::optional<LocKey> L = descend(Place, Sl.Sel))
        if (AbsVal V = S.load(*L); V.K == AbsVal::End && (S.status(V.E) & Open))
          closeEnd(S, V.E);
}

std::optional<FlowEngineImpl::ReleasedMember>
FlowEngineImpl::releasedMember(const CXXMethodDecl *MD) const {
  const CompoundStmt *Body = integerAccessorBody(MD);
  if (!Body || MD->isConst())
    return std::nullopt;
  // An integer member of `*this`.
  auto MemberOf = [](const Expr *E) -> const FieldDecl * {
    const auto *ME = E ? dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()) : nullptr;
    const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!FD || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) ||
        FD->getFieldIndex() >= 16 || !FD->getType()->isIntegerType())
      return nullptr;
    return FD;
  };
  // `return std::exchange(fd_, -1);`
  if (Body->size() == 1)
    if (const auto *RS = dyn_cast<ReturnStmt>(Body->body_front()))
      if (const CallExpr *CE = stdExchangeCall(RS->getRetValue()))
        if (const FieldDecl *FD = MemberOf(CE->getArg(0)))
          return ReleasedMember{fieldSel(FD->getFieldIndex()),
                                integerConstant(CE->getArg(1), Ctx)};
  // `int fd = fd_; fd_ = -1; return fd;`
  if (Body->size() != 3)
    return std::nullopt;
  auto It = Body->body_begin();
  const auto *DS = dyn_cast<DeclStmt>(*It++);
  const auto *BO = dyn_cast<BinaryOperator>(*It++);
  const auto *RS = dyn_cast<ReturnStmt>(*It);
  const auto *Var = DS && DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl())
                                             : nullptr;
  if (!Var || !BO || !RS || BO->getOpcode() != BO_Assign || !RS->getRetValue())
    return std::nullopt;
  const FieldDecl *FD = MemberOf(Var->getInit());
  const auto *Ret = dyn_cast<DeclRefExpr>(RS->getRetValue()->IgnoreParenImpCasts());
  if (!FD || MemberOf(BO->getLHS()) != FD || !Ret || Ret->getDecl() != Var)
    return std::nullopt;
  return ReleasedMember{fieldSel(FD->getFieldIndex()),
                        integerConstant(BO->getRHS(), Ctx)};
}

bool FlowEngineImpl::transferRelease(const CXXMemberCallExpr *MCE,
                                     PathState &S) {
  if (MCE->getNumArgs() != 0)
    return false;
  std::optional<ReleasedMember> Rel = releasedMember(MCE->getMethodDecl());
  if (!Rel)
    return false;
  std::optional<LocKey> Obj = argumentPlace(MCE, SummarySlot::ThisParam, S);
  std::optional<LocKey> L = Obj ? child(*Obj, Rel->Sel) : std::nullopt;
  if (!L)
    return false;
  AbsVal V = S.load(*L);
  if (V.K == AbsVal::End)
    R.Releases.try_emplace(V.E, MCE);
  setTemp(S, MCE, V);
  setLoc(S, *L, Rel->Left ? AbsVal::constant(*Rel->Left) : AbsVal::unknown());
  return true;
}

//===----------------------------------------------------------------------===//
// What a call can reach of an object (used by ApplySummaries.cpp)
//===----------------------------------------------------------------------===//

namespace {
bool isStdString(const CXXRecordDecl *RD) {
  return RD->isInStdNamespace() && RD->getIdentifier() &&
         (RD->getName() == "basic_string" ||
          RD->getName() == "basic_string_view");
}
} // namespace

bool detail::objectMayHoldDescriptor(QualType T, unsigned Depth) {
  T = T.getCanonicalType();
  while (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    T = AT->getElementType().getCanonicalType();
  if (mayHoldDescriptorValue(T))
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return T->getAsRecordDecl() != nullptr; // a C struct: not looked into
  if (!RD->hasDefinition() || Depth > 3)
    return true;
  RD = RD->getDefinition();
  if (isStdString(RD))
    return false;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (objectMayHoldDescriptor(B.getType(), Depth + 1))
      return true;
  for (const FieldDecl *F : RD->fields())
    if (objectMayHoldDescriptor(F->getType(), Depth + 1))
      return true;
  return false;
}

/// Can a member or argument of type \p T neither hold a descriptor nor
/// lead to one: a bool, a floating or character value, an enumerator, a
/// pointer to such values (`char *buf_`), std::string, a standard
/// container or array of such values, or a class made only of them?
/// Integers may be descriptors; any other pointer may lead to a struct of
/// the caller's that holds one.
bool detail::cannotReachDescriptor(QualType T, unsigned Depth) {
  T = T.getCanonicalType();
  while (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    T = AT->getElementType().getCanonicalType();
  if (T->isPointerType() || T->isReferenceType()) {
    QualType P = T->getPointeeType().getCanonicalType();
    return (P->isBuiltinType() && !P->isVoidType() &&
            !mayHoldDescriptorValue(P)) ||
           P->isEnumeralType();
  }
  if (T->isBuiltinType() || T->isEnumeralType())
    return !mayHoldDescriptorValue(T);
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || Depth > 3)
    return false;
  RD = RD->getDefinition();
  if (isStdString(RD))
    return true;
  if (RD->isInStdNamespace()) {
    // std::vector<char>, std::array<double, 4>...: their elements.
    const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
    if (!Spec || !RD->getIdentifier())
      return false;
    StringRef N = RD->getName();
    if (N != "vector" && N != "array" && N != "deque")
      return false;
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    return Args.size() >= 1 && Args[0].getKind() == TemplateArgument::Type &&
           cannotReachDescriptor(Args[0].getAsType(), Depth + 1);
  }
  for (const CXXBaseSpecifier &B : RD->bases())
    if (!cannotReachDescriptor(B.getType(), Depth + 1))
      return false;
  for (const FieldDecl *F : RD->fields())
    if (!cannotReachDescriptor(F->getType(), Depth + 1))
      return false;
  return true;
}

/// A private helper such as `long copy(int from, int to)` called as
/// `copy(queue_[0], queue_[1])` from another method reads and writes what
/// it is given and nothing of its object; handing the object off at such a
/// call used to make the object's ends unknown, and the class unsealed.
bool detail::membersUsedBy(const CXXMethodDecl *MD,
                           llvm::SmallPtrSetImpl<const FieldDecl *> &Fields,
                           unsigned Depth) {
  if (!MD || MD->isStatic())
    return true;
  if (Depth > 3 || MD->getParent()->isLambda())
    return false;
  if (mayRunOverride(MD))
    return false;
  const FunctionDecl *Def = nullptr;
  if (!MD->hasBody(Def) || !Def || isa<CXXConstructorDecl>(Def) ||
      isa<CXXDestructorDecl>(Def))
    return false;
  return walkStmts(Def->getBody(), [&](const Stmt *S) {
    if (isa<CXXThisExpr>(S))
      return WalkStep::Stop; // `this` used other than to name a member
    const auto *ME = dyn_cast<MemberExpr>(S);
    if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return WalkStep::Into;
    const ValueDecl *M = ME->getMemberDecl();
    if (const auto *F = dyn_cast<FieldDecl>(M))
      Fields.insert(F);
    else if (const auto *Other = dyn_cast<CXXMethodDecl>(M)) {
      if (Other->getCanonicalDecl() != MD->getCanonicalDecl() &&
          !membersUsedBy(Other, Fields, Depth + 1))
        return WalkStep::Stop;
    } else if (!isa<VarDecl>(M)) {
      return WalkStep::Stop;
    }
    return WalkStep::Over; // the member, not `this` itself
  });
}

bool detail::leavesObjectAlone(const CXXMethodDecl *MD, unsigned Depth) {
  llvm::SmallPtrSet<const FieldDecl *, 8> Fields;
  return membersUsedBy(MD, Fields, Depth) &&
         llvm::all_of(Fields, [](const FieldDecl *F) {
           return cannotReachDescriptor(F->getType());
         });
}

void FlowEngineImpl::handOffObjectOf(PathState &S,
                                     const CXXMemberCallExpr *MCE,
                                     bool Observe) {
  const Expr *Obj = MCE->getImplicitObjectArgument();
  // A method that names only some members of a local object
  // (`s.stamp()` setting `started`): only those are handed off, as if
  // their addresses were given (handOffWithin() of each member), and the
  // object's other members stay followed. The object may be reached
  // through a pointer or a std::optional (`o->next_line(line)`).
  const CXXMethodDecl *MD = MCE->getMethodDecl();
  std::optional<LocKey> Place =
      MD ? argumentPlace(MCE, SummarySlot::ThisParam, S) : std::nullopt;
  const RecordDecl *RD = MD ? MD->getParent() : nullptr;
  // The object is of the method's own class (a base class's method would
  // number its members otherwise).
  QualType ObjT = Obj->getType();
  if (ObjT->isPointerType())
    ObjT = ObjT->getPointeeType();
  const RecordDecl *ObjRD = ObjT->getAsRecordDecl();
  if (!RD || !Place || Place->Sel != 0 || !ObjRD ||
      ObjRD->getCanonicalDecl() != RD->getCanonicalDecl()) {
    handOffExpr(S, Obj);
    return;
  }

  // Asked at every state that reaches the call: the walk once per method.
  auto [It, New] = MembersUsed.try_emplace(MD->getCanonicalDecl());
  if (New) {
    llvm::SmallPtrSet<const FieldDecl *, 8> Found;
    if (membersUsedBy(MD, Found))
      It->second.emplace(Found.begin(), Found.end());
  }
  const auto &Fields = It->second;
  if (!Fields || llvm::any_of(*Fields, [&](const FieldDecl *F) {
        return F->getParent()->getCanonicalDecl() != RD->getCanonicalDecl();
      })) {
    handOffExpr(S, Obj);
    return;
  }
  for (const FieldDecl *F : *Fields) {
    if (cannotReachDescriptor(F->getType()))
      continue;
    auto C = child(*Place, fieldSel(F->getFieldIndex()));
    if (!C)
      continue;
    // A member the method only tests, reads from, polls or writes to
    // (`pid_ > 0` in `ok()`, `read(out_, ...)` in `read_line()`,
    // `write_all(wr_, text)` in `append()`): it stays the object's, read
    // or written as the method does.
    const ParamSummary *PS = Summaries.memberSummary(MD, F);
    if (!PS || !PS->Borrowed) {
      handOffWithin(S, *C);
      continue;
    }
    AbsVal V = S.load(*C);
    if (V.K != AbsVal::End)
      continue;
    if (PS->Writes.K != WriteBound::None)
      noteMemberWrite(S, MCE, V.E, *PS, Observe);
    if (PS->MayMakeNonblocking)
      S.ref(V.E)->Flags |= Nonblock;
    if (PS->Reads || PS->ReadsToEof)
      markRead(S, V.E, PS->ReadsToEof);
  }
}

void FlowEngineImpl::noteMemberWrite(PathState &S,
                                     const CXXMemberCallExpr *MCE, EndId E,
                                     const ParamSummary &PS, bool Observe) {
  // As much as the method's body writes, in terms of this call's
  // arguments; an amount not known here counts only in a loop
  // (noteWriteThrough()).
  TaskStart Call(TaskKind::PThread);
  Call.Args.append(MCE->arg_begin(), MCE->arg_end());
  uint64_t Bytes = evalBound(PS.Writes, Call, TaskCallable(), S);
  if (Bytes < uint64_t(INT64_MAX) || loopAroundWrite(MCE))
    noteHelperWrite(MCE, E, nullptr, Bytes, S, Observe);
}

bool FlowEngineImpl::callKeepsObject(const CallExpr *CE) const {
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
  const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
  if (!MD)
    return false;
  auto [It, New] = LeavesObject.try_emplace(MD->getCanonicalDecl(), false);
  if (New)
    It->second = leavesObjectAlone(MD);
  return It->second;
}

} // namespace clang::tidy::pipe
