//===--- SummaryPlaces.cpp - the places a summary stands for -------------===//
//
// A function summarised for its callers (FunctionSummaries.h) starts with
// places of its own standing for its caller's: what a pointer parameter
// points to, what a reference parameter refers to, `*this` of a member
// function, the variables a lambda captures by reference
// (seedSummaryParams()); the copies `return s;` makes of a struct are not
// hand-offs there. A lambda that is only ever called where it is defined
// touches what it captures only when it runs (isCalledOnlyLambda()). A
// method of a class that keeps a pipe in its members from construction to
// destruction starts with it open (seedClassMembers(), ClassModel.h).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "summaries/ClassModel.h"

#include <functional>

namespace clang::tidy::pipe {

namespace {
/// The element type and count of a constant array or a std::array
/// (stdArrayElements()), if \p T is one.
std::optional<std::pair<QualType, uint64_t>> arrayElements(QualType T) {
  T = T.getCanonicalType();
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return std::make_pair(AT->getElementType(),
                          AT->getSize().getLimitedValue(UINT32_MAX));
  return stdArrayElements(T);
}
} // namespace

/// Summary mode: every integer parameter is a descriptor the function may
/// own, and what a pointer parameter points to (`int fds[2]`, `int *rfd`,
/// `struct pair *p`) is a place of the function's own, standing for the
/// caller's, with descriptors in its integer elements and fields.
VarDecl *FlowEngineImpl::makePlaceholder(const NamedDecl *Near, QualType T,
                                         const IdentifierInfo *Name) {
  DeclContext *DC = const_cast<DeclContext *>(
      R.FD ? static_cast<const DeclContext *>(R.FD)
           : Near->getDeclContext());
  auto *V = VarDecl::Create(Ctx, DC, Near->getLocation(), Near->getLocation(),
                            const_cast<IdentifierInfo *>(Name), T, nullptr,
                            SC_None);
  CaptureSeeds.insert(V);
  return V;
}

/// `int[2]` and the like: a pair of descriptors.
static bool isDescriptorPair(QualType T) {
  const auto *AT =
      dyn_cast<ConstantArrayType>(T.getCanonicalType().getTypePtr());
  return AT && AT->getSize() == 2 &&
         mayHoldDescriptorValue(AT->getElementType());
}


/// What pointer or reference parameter \p P reaches, made a place of this
/// analysis standing for the caller's: `*p` of `struct job *p` (`int
/// fds[2]`, `int *rfd`, a `void *` the body reads as one struct), the
/// referent of `Pipe &p`. Only a struct (not a union), a descriptor or a
/// pair of them. The parameter starts holding the place's address
/// (marked \p MaybeNull when the caller may pass NULL); a reference
/// parameter's uses name the place (RefPlaces).
std::optional<FlowEngineImpl::ParamPointee>
FlowEngineImpl::makeParamPointee(const ParmVarDecl *P, bool MaybeNull) {
  QualType T = P->getType().getCanonicalType();
  ParamPointee Out;
  Out.Ref = T->isReferenceType();
  QualType AsStruct;
  if (Out.Ref)
    Out.Pointee = T.getNonReferenceType(); // `int (&fds)[2]`, `Pipe &p`
  else if (T->isVoidPointerType() && !(AsStruct = structViewOf(P)).isNull())
    Out.Pointee = AsStruct->getPointeeType();
  else if (T->isPointerType())
    Out.Pointee = T->getPointeeType();
  else
    return std::nullopt; // arrays of structs...: not followed
  Out.Pointee = Out.Pointee.getCanonicalType();
  if (!mayHoldDescriptorValue(Out.Pointee) && !isDescriptorPair(Out.Pointee) &&
      !(Out.Pointee->getAsRecordDecl() && !Out.Pointee->isUnionType()))
    return std::nullopt;
  // A variable of this analysis only, never part of the AST. A pointee has
  // the parameter's type, so that its places are spelled `fds[1]`,
  // `p->rd`; a referent has the referred type: `p.rd`.
  VarDecl *V = makePlaceholder(
      P,
      Out.Ref              ? P->getType().getNonReferenceType()
      : !AsStruct.isNull() ? AsStruct
                           : P->getType(),
      P->getIdentifier());
  Out.Place = LocKey{V, 0};
  if (Out.Ref) {
    RefPlaces[P] = Out.Place;
  } else {
    AbsVal A = AbsVal::addr(Out.Place);
    A.MaybeNull = MaybeNull;
    setLoc(Initial, LocKey{P, 0}, A);
  }
  return Out;
}

/// Checked analysis: the places below this function's pointer and
/// reference parameters (`j->pid`, `j->out_fd`, `p.fds[1]`) hold what the
/// body stores there, so that a later use in the body finds it. They are
/// the caller's: at every exit, what they hold leaves with them
/// (settleParamPointees()). Nothing is assumed about what they held
/// before; what the caller gave is the summary's business.
void FlowEngineImpl::seedParamPointees() {
  const FunctionDecl *FD = R.FD;
  if (!FD)
    return;
  for (const ParmVarDecl *P : FD->parameters())
    if (ParamPointees.size() < 8)
      // The caller may pass NULL: `if (!j)` and `if (out)` take both ways
      // (truth()).
      if (std::optional<ParamPointee> PP =
              makeParamPointee(P, /*MaybeNull=*/true))
        ParamPointees.push_back(PP->Place);
  // `*this` of a method is its caller's object as a pointer parameter's
  // pointee is: `pipe(fds_)`, `pid_ = fork()` and a later `fds_[1]` in the
  // body are followed, and what the members hold at an exit stays with the
  // object. Not in a lambda (its captures), a constructor (Exceptions.cpp
  // makes its members places when an exception may leave it) or a
  // destructor (ClassTasks.cpp), nor where the class's own pipe is seeded.
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (MD && !MD->isStatic() && !MD->getParent()->isLambda() &&
      !MD->getParent()->isUnion() && !ThisPlace &&
      !isa<CXXConstructorDecl, CXXDestructorDecl>(MD)) {
    QualType Object = MD->getThisType()->getPointeeType().getUnqualifiedType();
    ThisPlace = makePlaceholder(MD, Object, nullptr);
    ParamPointees.push_back(LocKey{ThisPlace, 0});
  }
}

void FlowEngineImpl::settleParamPointees(PathState &S) {
  for (LocKey L : ParamPointees) {
    // Noted for FunctionAnalysis::leavesMadeEndsBelowParams().
    if (!R.MadeEndsBelowParams) {
      auto [Lo, Hi] = PathState::keysWithin(L);
      S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &V) {
        if (V.K == AbsVal::End && R.Ends[V.E].Origin)
          R.MadeEndsBelowParams = true;
        return !R.MadeEndsBelowParams;
      });
    }
    handOffWithin(S, L);
    if (!TaskPlace.empty())
      handOffTasksWithin(S, L, /*WholeVar=*/true);
  }
}

const Expr *FlowEngineImpl::returnedObjectOf(const ReturnStmt *RS) const {
  return returnedObject(RS->getRetValue());
}

/// A method of a class that keeps a pipe in its members from construction
/// to destruction (ClassModel.h) starts with both ends open there. They
/// may have been written by other methods; the object closes them.
void FlowEngineImpl::seedClassMembers() {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(R.FD);
  if (!MD || MD->isStatic() || MD->getParent()->isLambda())
    return;
  llvm::SmallVector<MemberPipe, 1> Pipes =
      functionSummaries(Summaries, Ctx, Budget).classes().heldPipes(MD);
  if (Pipes.empty())
    return;
  QualType Object = MD->getThisType()->getPointeeType().getUnqualifiedType();
  ThisPlace = makePlaceholder(MD, Object, nullptr);
  for (const MemberPipe &P : Pipes) {
    EndId First = EndId(R.Ends.size());
    for (unsigned K = 0; K < 2; ++K) {
      EndInfo Info{K == 0 ? EndKind::PipeRead : EndKind::PipeWrite, P.Origin,
                   nullptr, P.Name[K], int(First + 1 - K)};
      Info.OwnedByObject = true;
      Info.ClassMember = true;
      Info.MemberNeverClosed = K == 1 && !P.WriteClosedByDestructor;
      R.Ends.push_back(Info);
      EndId E = First + K;
      Initial.ref(E) = {Open, uint16_t((K == 1 ? WrittenTo : 0) | P.Flags[K])};
      setLoc(Initial, LocKey{ThisPlace, P.Sel[K]}, AbsVal::end(E));
    }
  }
}

void FlowEngineImpl::seedSummaryParams() {
  const FunctionDecl *FD = R.FD;
  if (!FD)
    return;
  // The copies `return s;` makes of a struct: not hand-offs here.
  if (FD->getReturnType()->isRecordType()) {
    llvm::SmallVector<const Stmt *, 32> Stack{Body};
    while (!Stack.empty()) {
      const Stmt *X = Stack.pop_back_val();
      if (!X || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
        continue;
      if (const auto *RS = dyn_cast<ReturnStmt>(X)) {
        const Expr *E = RS->getRetValue();
        const Expr *Obj = returnedObjectOf(RS);
        for (unsigned Guard = 0; E && E != Obj && Guard < 8; ++Guard) {
          if (const auto *CCE = dyn_cast<CXXConstructExpr>(E)) {
            ReturnedCopies.insert(CCE);
            E = CCE->getArg(0);
          } else if (auto Children = E->children();
                     Children.begin() != Children.end()) {
            E = dyn_cast_or_null<Expr>(*Children.begin());
          } else {
            break;
          }
        }
        // Built in place: `return {fds[0], fds[1]};` (Aggregates.cpp).
        noteReturnedAggregate(Obj);
        continue;
      }
      for (const Stmt *C : X->children())
        Stack.push_back(C);
    }
  }
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  bool Lambda = MD && MD->getParent()->isLambda();
  constexpr size_t MaxSeeded = 32;
  auto IsFdType = mayHoldDescriptorValue;
  auto IsFdPair = isDescriptorPair;
  auto AddPlace = [&](LocKey L, unsigned Index, bool ByValue, bool Seed,
                      const ValueDecl *P, const ValueDecl *Captured) {
    if (R.Seeded.size() >= MaxSeeded)
      return;
    R.Seeded.push_back({L, Index, ByValue, Captured});
    if (!Seed)
      return;
    EndInfo Info{EndKind::Parameter, nullptr, nullptr, "", -1};
    Info.Param = P;
    Info.Name = R.locName(L);
    R.Ends.push_back(Info);
    EndId E = EndId(R.Ends.size() - 1);
    R.SeedOfEnd[E] = unsigned(R.Seeded.size() - 1);
    Initial.ref(E) = {Open, 0};
    setLoc(Initial, L, AbsVal::end(E));
  };
  // The places below Base of a value of type PT (an integer, a pair of
  // them, a struct with such members), each seeded with a descriptor.
  auto AddPlacesOf = [&](LocKey Base, QualType PT, bool DeclaredArray,
                         unsigned Index, const ValueDecl *P,
                         const ValueDecl *Captured) {
    PT = PT.getCanonicalType();
    if (IsFdType(PT)) {
      // `*rfd`, `int &fd`; and `fds[0]`, `fds[1]` of a pointer parameter.
      AddPlace(Base, Index, false, /*Seed=*/!DeclaredArray, P, Captured);
      if (!Captured && Base.Sel == 0 && !RefPlaces.count(P))
        for (unsigned K = 0; K < 2; ++K)
          AddPlace(*child(Base, indexSel(K)), Index, false, true, P, Captured);
      return;
    }
    if (IsFdPair(PT)) {
      AddPlace(Base, Index, false, /*Seed=*/false, P, Captured);
      for (unsigned K = 0; K < 2; ++K)
        AddPlace(*child(Base, indexSel(K)), Index, false, true, P, Captured);
      return;
    }
    const RecordDecl *RD = PT->getAsRecordDecl();
    if (RD)
      RD = RD->getDefinition();
    if (!RD || RD->isUnion() || RD->isDependentContext())
      return;
    // An object that can hold no descriptor (`const std::string &name`):
    // nothing of the caller's there to follow, whatever happens to it.
    if (cannotReachDescriptor(PT))
      return;
    bool Opaque = false;
    if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD))
      Opaque = CRD->getNumBases() > 0;
    for (const FieldDecl *F : RD->fields()) {
      if (F->getFieldIndex() >= 16) {
        Opaque = true;
        break;
      }
      LocKey FL = *child(Base, fieldSel(F->getFieldIndex()));
      QualType FT = F->getType().getCanonicalType();
      auto Plain = [&](QualType T) {
        // A buffer of them too (`char dir[64]`).
        if (const ArrayType *AT = T->getAsArrayTypeUnsafe())
          T = AT->getElementType().getCanonicalType();
        return T->isFloatingType() || T->isBooleanType() ||
               T->isAnyCharacterType() || T->isEnumeralType() ||
               T->isPointerType() || taskHandleKind(T);
      };
      // A member that holds no descriptor however it is used (a
      // std::string buffer, a std::vector<char>): nothing there to follow.
      auto HoldsNoDescriptor = [](QualType T) {
        return T->isRecordType() && cannotReachDescriptor(T);
      };
      if (IsFdType(FT)) {
        AddPlace(FL, Index, false, true, P, Captured);
      } else if (IsFdPair(FT)) {
        for (unsigned K = 0; K < 2; ++K)
          AddPlace(*child(FL, indexSel(K)), Index, false, true, P, Captured);
      } else if ((FT->isRecordType() || arrayElements(FT)) &&
                 !HoldsNoDescriptor(FT) && !taskHandleKind(FT)) {
        // A member that is itself a struct or wrapper of descriptors
        // (`struct { UniqueFd rd, wr; } pipe_`, `struct { struct ends in;
        // }`), or a short array of them (`std::array<Link, 2> links_`):
        // its descriptors, as deep as a place can be. One with a member we
        // cannot follow makes the whole object opaque.
        std::function<bool(LocKey, QualType)> SeedValue = [&](LocKey L,
                                                              QualType T) {
          T = T.getCanonicalType();
          if (IsFdType(T)) {
            AddPlace(L, Index, false, true, P, Captured);
            return true;
          }
          if (Plain(T) || HoldsNoDescriptor(T))
            return true;
          if (auto Elements = arrayElements(T)) {
            if (Elements->second > 4)
              return false;
            bool Ok = true;
            for (unsigned K = 0; K < Elements->second; ++K) {
              std::optional<LocKey> EL = child(L, indexSel(K));
              Ok &= EL && SeedValue(*EL, Elements->first);
            }
            return Ok;
          }
          const RecordDecl *Inner = plainRecordDefinition(T);
          if (!Inner || taskHandleKind(T))
            return false;
          bool Ok = true;
          for (const FieldDecl *G : Inner->fields()) {
            std::optional<LocKey> GL =
                G->getFieldIndex() < 16 ? child(L, fieldSel(G->getFieldIndex()))
                                        : std::nullopt;
            Ok &= GL && SeedValue(*GL, G->getType());
          }
          return Ok;
        };
        if (!SeedValue(FL, FT))
          Opaque = true;
      } else if (!Plain(FT) && !HoldsNoDescriptor(FT)) {
        // A thread or future member holds no descriptor; its task is
        // followed where it is started (TaskPlaces.cpp).
        Opaque = true; // a nested struct, an object, an array of them
      }
    }
    // The struct as a whole, to see whether its address escaped.
    AddPlace(Base, Index, false, /*Seed=*/false, P, Captured);
    if (Opaque && !R.Seeded.empty() && R.Seeded.back().Place == Base)
      R.Seeded.back().Opaque = true;
  };
  // `*this` of a member function: `fds_[1]`, `this->wr_`.
  if (MD && !MD->isStatic() && !Lambda) {
    QualType Object = MD->getThisType()->getPointeeType().getUnqualifiedType();
    ThisPlace = makePlaceholder(MD, Object, nullptr);
    AddPlacesOf(LocKey{ThisPlace, 0}, Object, false, SummarySlot::ThisParam,
                MD, nullptr);
  }
  // What a lambda captures by reference: the caller's own variables.
  if (Lambda) {
    llvm::DenseMap<const compat::CapturedDecl *, FieldDecl *> Captures;
    FieldDecl *ThisCapture = nullptr;
    MD->getParent()->getCaptureFields(Captures, ThisCapture);
    llvm::SmallVector<const ValueDecl *, 4> Sorted;
    for (auto &C : Captures)
      if (C.second && C.second->getType()->isReferenceType())
        if (const auto *Var = dyn_cast<VarDecl>(C.first);
            Var && !Var->isInitCapture() && Var->hasLocalStorage())
          Sorted.push_back(Var);
    llvm::sort(Sorted, [](const ValueDecl *A, const ValueDecl *B) {
      return A->getBeginLoc() < B->getBeginLoc();
    });
    for (const ValueDecl *VD : Sorted) {
      CaptureSeeds.insert(VD);
      AddPlacesOf(LocKey{VD, 0}, VD->getType().getNonReferenceType(),
                  VD->getType()->isArrayType(), 0, VD, VD);
    }
  }
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    QualType T = P->getType().getCanonicalType();
    if (IsFdType(T)) {
      AddPlace(LocKey{P, 0}, I, /*ByValue=*/true, /*Seed=*/true, P, nullptr);
      continue;
    }
    // In summary mode the caller is taken to pass a place of its own.
    std::optional<ParamPointee> PP = makeParamPointee(P, /*MaybeNull=*/false);
    if (!PP)
      continue;
    bool Declared = !PP->Ref && P->getOriginalType()->isArrayType();
    AddPlacesOf(PP->Place, PP->Pointee, Declared, I, P, nullptr);
  }
}

bool FlowEngineImpl::isCalledOnlyLambda(const LambdaExpr *LE) const {
  auto [It, New] = CalledOnly.try_emplace(LE, false);
  if (!New)
    return It->second;
  // `auto f = [&] {...};` in this function, and f used only as `f(...)`.
  const VarDecl *Var = nullptr;
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty() && !Var) {
    const Stmt *X = Stack.pop_back_val();
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(X))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (const Expr *Init = VD->getInit();
              Init && Init->IgnoreImplicit()->IgnoreParens() == LE &&
              !VD->getType()->isReferenceType() && isTrackableBase(VD))
            Var = VD;
    if (X)
      for (const Stmt *C : X->children())
        Stack.push_back(C);
  }
  if (!Var)
    return false;
  bool Ok = true;
  Stack.assign({Body});
  while (!Stack.empty() && Ok) {
    const Stmt *X = Stack.pop_back_val();
    if (!X)
      continue;
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(X);
        OCE && OCE->getOperator() == OO_Call && OCE->getNumArgs() >= 1)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(
              OCE->getArg(0)->IgnoreImplicit()->IgnoreParens());
          DRE && DRE->getDecl() == Var) {
        for (unsigned I = 1; I < OCE->getNumArgs(); ++I)
          Stack.push_back(OCE->getArg(I));
        continue;
      }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(X); DRE && DRE->getDecl() == Var)
      Ok = false; // copied, passed, stored: it may run anywhere
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  CalledOnly[LE] = Ok;
  return Ok;
}

const LambdaExpr *FlowEngineImpl::calledOnlyLambda(const Expr *Callee) const {
  const auto *OCE = dyn_cast<CXXOperatorCallExpr>(Callee);
  if (!OCE || OCE->getOperator() != OO_Call || OCE->getNumArgs() < 1)
    return nullptr;
  const auto *DRE =
      dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreImplicit()->IgnoreParens());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->getInit())
    return nullptr;
  const auto *LE =
      dyn_cast<LambdaExpr>(VD->getInit()->IgnoreImplicit()->IgnoreParens());
  return LE && isCalledOnlyLambda(LE) ? LE : nullptr;
}

void FlowEngineImpl::handOffLambdaCaptures(PathState &S, const LambdaExpr *LE,
                                           const FunctionSummary *FS) {
  for (const LambdaCapture &C : LE->captures()) {
    if (!C.capturesVariable() || C.getCaptureKind() != LCK_ByRef)
      continue;
    const ValueDecl *VD = C.getCapturedVar();
    if (FS && FS->keepsCapture(VD))
      continue;
    if (FS) {
      // Every end it holds closed by the lambda: nothing left to give.
      bool AllClosed = true;
      auto [Lo, Hi] = PathState::keysWithin(LocKey{VD, 0});
      S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &P) {
        if (P.K == AbsVal::End)
          AllClosed &= S.status(P.E) == Closed;
        return true;
      });
      if (AllClosed)
        continue;
    }
    handOffWithin(S, LocKey{VD, 0});
  }
}

} // namespace clang::tidy::pipe
