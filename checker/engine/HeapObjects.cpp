//===--- HeapObjects.cpp - a struct the function allocates is a place -----===//
//
// `struct job *j = calloc(1, sizeof *j);`, `Pair *p = new Pair;`: until its
// address leaves the function (stored where the engine does not follow,
// passed to a function that may keep it, returned), the object is the
// function's own, like a local struct. Each allocation site has one place
// (a variable of the analysis only, as for summary placeholders), so
// `pipe(j->fds)`, `j->pid = fork()` and `pthread_create(&j->tid, ...)` are
// followed as they are in a local struct.
//
// free() and `delete` end the object without handing off what it holds:
// an end still open in it then leaks, and a thread whose handle only it
// kept is never joined. When the same site allocates again on the same
// path (a loop; PathState::Allocated), what the previous object holds is
// handed off: one place cannot follow two objects.
//
// memset(p, 0, sizeof *p) and bzero(p, sizeof *p) fill the object they are
// given and keep nothing: not a hand-off (fillObject()). When the size is
// the whole object's (`sizeof *p`, `sizeof(struct t)`, `sizeof v`), every
// place followed in it then holds the fill (0, or -1 for a fill of -1 or
// 0xff), and an end it held is dropped; with another size, the places are
// left as they were.
//
// Only objects whose end of life the engine can see are followed: a C
// struct or a C++ class with a trivial destructor, allocated by a function
// declared `__attribute__((malloc))` or `alloc_size` (malloc, calloc,
// xmalloc, g_malloc0, ...) or by a plain `new T`. Anything else is not a
// place, and a descriptor stored in it is handed off, as before.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

#include "clang/AST/Attr.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

/// The type an allocation's object is followed as: a complete struct or
/// class whose destruction does nothing (so that free() or delete of it
/// releases nothing we would have to read).
ResultShape::ResultShape(QualType RetT) {
  RetT = RetT.getCanonicalType();
  if (QualType Value = optionalValueType(RetT);
      !Value.isNull() && Value->isRecordType()) {
    Optional = true;
    RetT = Value.getCanonicalType();
  }
  // `std::unique_ptr<Producer>` is followed as the `Producer *` it holds.
  QualType Pointee = pointeeOrSmartPointee(RetT);
  Pointer = !Pointee.isNull() && isFollowedHeapType(Pointee);
  Record = RetT->isRecordType() && !Pointer;
  if (Record)
    aggregateElementSels(RetT, Sels);
  else if (Pointer)
    // An object reached through the pointer, whose destructor runs where
    // the caller deletes it (destroyHeapObject()): its members are places.
    aggregateElementSels(Pointee.getCanonicalType(), Sels,
                         /*OwnDestructorToo=*/true);
}

std::optional<LocKey>
ResultShape::returnedPlace(const FunctionAnalysis &A, const Stmt *X,
                           const PathState &S,
                           std::optional<AbsVal> &Ret) const {
  Ret.reset();
  if (const auto *RS = dyn_cast_or_null<ReturnStmt>(X))
    if (const Expr *RV = RS->getRetValue())
      Ret = A.valueOf(Record ? returnedObject(RV) : RV, S);
  if (!Ret || Ret->K != AbsVal::Addr || Ret->loc().Sel != 0)
    return std::nullopt;
  if (Record)
    return Ret->loc();
  if (Pointer && A.isAllocatedObject(Ret->loc().Base) &&
      !S.escaped(Ret->loc().Base))
    return Ret->loc();
  return std::nullopt;
}

bool ResultShape::returnsEmpty(const Stmt *X) const {
  const auto *RS = dyn_cast_or_null<ReturnStmt>(X);
  const Expr *RV = RS ? RS->getRetValue() : nullptr;
  if (!Optional || !RV)
    return false;
  const auto *CCE = dyn_cast<CXXConstructExpr>(RV->IgnoreImplicit());
  if (!CCE || optionalValueType(CCE->getType()).isNull())
    return false;
  if (CCE->getNumArgs() == 0)
    return true;
  const auto *Arg = CCE->getArg(0)->getType()->getAsCXXRecordDecl();
  return CCE->getNumArgs() == 1 && Arg && Arg->getIdentifier() &&
         Arg->getName() == "nullopt_t";
}

namespace {
/// Does destroying a member of type \p T leave every descriptor and task
/// as it was, or do what the engine does not follow anyway: a plain value,
/// or a standard thread, string or container of such (a joinable
/// std::thread's destructor ends the process; it closes nothing)? A member
/// whose class has a destructor of the program's own may close what it
/// holds.
bool destroysNothingFollowed(QualType T, unsigned Depth = 0) {
  T = T.getCanonicalType();
  while (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    T = AT->getElementType().getCanonicalType();
  const auto *CRD = T->getAsCXXRecordDecl();
  if (!CRD || CRD->hasTrivialDestructor())
    return true;
  if (Depth > 2 || !CRD->isInStdNamespace() || !CRD->getIdentifier())
    return false;
  llvm::StringRef Name = CRD->getName();
  if (Name == "thread" || Name == "basic_string" || Name == "mutex" ||
      Name == "condition_variable")
    return true;
  // std::vector<int>, std::vector<std::thread>, std::function<...>.
  if (Name == "vector" || Name == "deque" || Name == "function")
    if (const auto *TS = dyn_cast<ClassTemplateSpecializationDecl>(CRD)) {
      const TemplateArgumentList &Args = TS->getTemplateArgs();
      return Args.size() >= 1 && Args[0].getKind() == TemplateArgument::Type &&
             (Name == "function" ||
              destroysNothingFollowed(Args[0].getAsType(), Depth + 1));
    }
  return false;
}
} // namespace

bool isFollowedHeapType(QualType T) {
  if (T.isNull())
    return false;
  const auto *RD = T.getCanonicalType()->getAsRecordDecl();
  if (!RD || RD->isUnion() || !RD->isCompleteDefinition() ||
      RD->isInvalidDecl())
    return false;
  if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD)) {
    if (CRD->isPolymorphic())
      return false;
    if (CRD->hasTrivialDestructor())
      return true;
    if (CRD->getNumBases())
      return false;
    // A destructor of its own (`~Spool() { close(fds_[0]); ... }`), which
    // `delete p` and the std::unique_ptr that owns the object run
    // (destroyHeapObject()).
    if (CRD->hasUserDeclaredDestructor())
      return true;
    // A destructor the compiler writes, destroying members that close
    // nothing (`struct Producer { std::thread worker; int rfd; }`).
    return llvm::all_of(CRD->fields(), [](const FieldDecl *F) {
      return destroysNothingFollowed(F->getType());
    });
  }
  return true;
}

namespace {

/// How many wrappers deep an allocator is looked for (`xzalloc()` calling
/// `xmalloc()` calling `malloc()`).
constexpr unsigned MaxAllocatorDepth = 3;
/// A wrapper is small: a body with more statements than this is not one.
constexpr unsigned MaxWrapperNodes = 200;

bool isAllocator(const FunctionDecl *FD, unsigned Depth = 0);

/// Is \p E NULL, or the result of an allocator?
bool isNullOrAllocation(const Expr *E, ASTContext &Ctx, unsigned Depth,
                        bool &Allocates) {
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNull))
    return true;
  if (const auto *CE = dyn_cast<CallExpr>(E);
      CE && isAllocator(CE->getDirectCallee(), Depth + 1)) {
    Allocates = true;
    return true;
  }
  return false;
}

/// A thin wrapper of an allocator, read from its body: every `return`
/// gives back NULL, an allocator's result, or a local variable that only
/// such values are ever stored in (`void *p = malloc(n); if (!p)
/// die("out of memory"); return p;`), and at least one allocates. The
/// variable is only tested for NULL: a function that also puts something
/// in the object (`pipe(c->fds)`) is a constructor, whose summary says
/// what the caller gets.
bool returnsOnlyAllocations(const FunctionDecl *FD, unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || Def->isDependentContext())
    return false;
  const Stmt *Body = Def->getBody();
  ASTContext &Ctx = Def->getASTContext();
  unsigned Nodes = 0;
  bool Ok = true, Allocates = false;
  llvm::SmallVector<const VarDecl *, 2> Returned;
  llvm::SmallVector<const Stmt *, 16> Work{Body};
  // Pass 1: the returns, and the variables returned.
  while (!Work.empty() && Ok) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (++Nodes > MaxWrapperNodes || isa<LambdaExpr, BlockExpr>(S))
      return false;
    if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
      const Expr *RV = RS->getRetValue();
      const auto *DRE =
          RV ? dyn_cast<DeclRefExpr>(RV->IgnoreParenCasts()) : nullptr;
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD))
        Returned.push_back(VD);
      else if (!isNullOrAllocation(RV, Ctx, Depth, Allocates))
        Ok = false;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  if (!Ok)
    return false;
  // Pass 2: what the returned variables hold, and that nothing but a
  // test for NULL and the `return` looks at them.
  llvm::SmallPtrSet<const Expr *, 8> Allowed;
  auto Allow = [&](const Expr *E) {
    if (!E)
      return;
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_LNot)
      E = UO->getSubExpr()->IgnoreParenCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(E);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
      Allowed.insert(BO->getLHS()->IgnoreParenCasts());
      Allowed.insert(BO->getRHS()->IgnoreParenCasts());
      return;
    }
    Allowed.insert(E);
  };
  Work.assign({Body});
  while (!Work.empty() && Ok) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    auto Names = [&](const Expr *E) {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
      return DRE && llvm::is_contained(Returned, DRE->getDecl());
    };
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && llvm::is_contained(Returned, VD) && VD->getInit() &&
            !isNullOrAllocation(VD->getInit(), Ctx, Depth, Allocates))
          Ok = false;
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && Names(BO->getLHS())) {
      if (BO->getOpcode() != BO_Assign ||
          !isNullOrAllocation(BO->getRHS(), Ctx, Depth, Allocates))
        Ok = false;
      Allowed.insert(BO->getLHS()->IgnoreParenCasts());
    }
    if (const auto *If = dyn_cast<IfStmt>(S))
      Allow(If->getCond());
    if (const auto *RS = dyn_cast<ReturnStmt>(S))
      Allow(RS->getRetValue());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S);
        DRE && llvm::is_contained(Returned, DRE->getDecl()) &&
        !Allowed.count(DRE))
      Ok = false;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Ok && Allocates;
}

/// Does \p FD allocate fresh memory for its caller: declared
/// `__attribute__((malloc))` or `alloc_size(...)` (glibc's malloc and
/// calloc, gnulib's xmalloc, GLib's g_malloc0), named malloc / calloc, or
/// a thin wrapper of one whose body this file has? A function that takes a
/// pointer (realloc, strdup) may return memory it was given and is not
/// one.
bool isAllocator(const FunctionDecl *FD, unsigned Depth) {
  if (!FD || !FD->getReturnType()->isPointerType() ||
      Depth > MaxAllocatorDepth)
    return false;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getType()->isPointerType())
      return false;
  if (FD->hasAttr<RestrictAttr>() || FD->hasAttr<AllocSizeAttr>())
    return true;
  const IdentifierInfo *II = FD->getIdentifier();
  if (II && (II->getName() == "malloc" || II->getName() == "calloc"))
    return true;
  return returnsOnlyAllocations(FD, Depth);
}

} // namespace

bool mayFailToAllocate(const CallExpr *CE) {
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD)
    return false;
  if (const IdentifierInfo *II = FD->getIdentifier();
      II && FD->isGlobal() &&
      (II->getName() == "realloc" || II->getName() == "reallocarray"))
    return true;
  return isAllocator(FD);
}

bool FlowEngineImpl::testsFailedAllocation(const Expr *Cond,
                                           bool Taken) const {
  if (!AllocResultVars) {
    AllocResultVars.emplace();
    auto FromAllocation = [&](const Expr *E) {
      E = E ? E->IgnoreParenCasts() : nullptr;
      if (const auto *CE = dyn_cast_or_null<CallExpr>(E))
        return mayFailToAllocate(CE);
      const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
      const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      return V && AllocResultVars->count(V) > 0;
    };
    // Two passes: `nb = realloc(buf, n); ... buf = nb;`.
    for (unsigned Pass = 0; Pass < 2; ++Pass) {
      llvm::SmallVector<const Stmt *, 64> Stack{Body};
      while (!Stack.empty()) {
        const Stmt *S = Stack.pop_back_val();
        if (!S || isa<LambdaExpr, BlockExpr>(S))
          continue;
        if (const auto *DS = dyn_cast<DeclStmt>(S)) {
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D);
                V && V->getType()->isPointerType() &&
                FromAllocation(V->getInit()))
              AllocResultVars->insert(V);
        } else if (const auto *BO = dyn_cast<BinaryOperator>(S);
                   BO && BO->getOpcode() == BO_Assign &&
                   FromAllocation(BO->getRHS())) {
          if (const VarDecl *V = localVarOf(BO->getLHS());
              V && V->getType()->isPointerType())
            AllocResultVars->insert(V);
        }
        for (const Stmt *C : S->children())
          Stack.push_back(C);
      }
    }
  }
  if (AllocResultVars->empty())
    return false;
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot)
    return testsFailedAllocation(UO->getSubExpr(), !Taken);
  auto IsAllocVar = [&](const Expr *X) {
    const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return V && AllocResultVars->count(V) > 0;
  };
  if (IsAllocVar(E))
    return !Taken; // `if (buf)` not taken: NULL
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    const Expr *L = BO->getLHS(), *R = BO->getRHS();
    auto IsNull = [&](const Expr *X) {
      return X->IgnoreParenCasts()->isNullPointerConstant(
                 Ctx, Expr::NPC_ValueDependentIsNull) != Expr::NPCK_NotNull;
    };
    if ((IsAllocVar(L) && IsNull(R)) || (IsAllocVar(R) && IsNull(L)))
      return BO->getOpcode() == BO_EQ ? Taken : !Taken;
  }
  return false;
}

std::string FlowEngineImpl::pointerNameOf(const Expr *Alloc) const {
  // Up through the casts to `struct chan *c = ...` or `c = ...`.
  const Stmt *E = Alloc;
  for (unsigned Depth = 0; E && Depth < 6; ++Depth) {
    const Stmt *P = R.parentOf(E);
    if (!P)
      return "";
    // (and, for a std::unique_ptr, through the temporaries and the move
    // that build it: `auto p = std::make_unique<Job>();`)
    if (isa<CastExpr, ParenExpr, ExprWithCleanups, CXXBindTemporaryExpr,
            MaterializeTemporaryExpr>(P) ||
        (isa<CXXConstructExpr>(P) && cast<CXXConstructExpr>(P)->getNumArgs() == 1 &&
         !smartPointeeType(cast<Expr>(P)->getType()).isNull())) {
      E = P;
      continue;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->getInit() && VD->getInit()->IgnoreParenCasts() ==
                                       cast<Expr>(E)->IgnoreParenCasts())
          return VD->getNameAsString();
      return "";
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P);
        BO && BO->getOpcode() == BO_Assign && BO->getRHS() == E)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        return DRE->getDecl()->getNameAsString();
    return "";
  }
  return "";
}

bool FlowEngineImpl::fillObject(const CallExpr *CE, const FunctionDecl *FD,
                                PathState &S) {
  const IdentifierInfo *II = FD ? FD->getIdentifier() : nullptr;
  if (!II)
    return false;
  StringRef N = II->getName();
  bool Memset = (N == "memset" || N == "__builtin_memset") &&
                CE->getNumArgs() == 3;
  bool Bzero =
      (N == "bzero" || N == "explicit_bzero") && CE->getNumArgs() == 2;
  if (!Memset && !Bzero)
    return false;
  const Expr *Dest = CE->getArg(0)->IgnoreParenImpCasts();
  AbsVal P = eval(Dest, S);
  if (P.K != AbsVal::Addr)
    return true; // a buffer of no place: nothing kept, nothing changed
  // The whole object: the size is sizeof of what Dest points to.
  QualType Pointee = Dest->getType()->getPointeeType();
  const auto *Size = dyn_cast<UnaryExprOrTypeTraitExpr>(
      CE->getArg(Memset ? 2 : 1)->IgnoreParenImpCasts());
  if (Pointee.isNull() || !Size || Size->getKind() != UETT_SizeOf ||
      !Ctx.hasSameUnqualifiedType(Size->getTypeOfArgument(), Pointee))
    return true;
  std::optional<int64_t> Fill = 0;
  if (Memset) {
    AbsVal F = eval(CE->getArg(1), S);
    Fill = F.K == AbsVal::Int && F.Lo == F.Hi && (F.Lo == 0 || F.Lo == -1 || F.Lo == 0xff)
               ? std::optional<int64_t>(F.Lo == 0 ? 0 : -1)
               : std::nullopt;
  }
  llvm::SmallVector<LocKey, 8> Places;
  auto [Lo, Hi] = PathState::keysWithin(P.loc());
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t Key, const AbsVal &) {
    Places.push_back(PathState::unpackLoc(Key));
    return true;
  });
  for (LocKey L : Places)
    setLoc(S, L, Fill ? AbsVal::constant(*Fill) : AbsVal::unknown());
  return true;
}

bool isDeallocator(const FunctionDecl *FD) {
  const IdentifierInfo *II = FD ? FD->getIdentifier() : nullptr;
  if (!II || FD->getNumParams() != 1 ||
      !FD->getParamDecl(0)->getType()->isPointerType())
    return false;
  StringRef N = II->getName();
  return N == "free" || N == "cfree" || N == "xfree" || N == "g_free";
}

QualType FlowEngineImpl::allocatedObjectType(const Expr *Alloc) const {
  if (const auto *NE = dyn_cast<CXXNewExpr>(Alloc)) {
    if (NE->isArray() || NE->getNumPlacementArgs() ||
        !isFollowedHeapType(NE->getAllocatedType()))
      return QualType();
    return NE->getAllocatedType();
  }
  const auto *CE = dyn_cast<CallExpr>(Alloc);
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  // `std::make_unique<Producer>()`, `std::make_shared<Job>()`.
  if (isStdMakeSmart(CE)) {
    QualType T = smartPointeeType(CE->getType());
    // A shared object's destructor runs with its last owner, which we do
    // not count.
    if (Callee->getName() == "make_shared" && hasOwnDestructor(T))
      return QualType();
    return isFollowedHeapType(T) ? T.getUnqualifiedType() : QualType();
  }
  if (!Callee || !Callee->getReturnType()->isPointerType())
    return QualType();
  // C: calloc()'s `void *` becomes the struct's pointer type in a cast
  // around it, implicit (`struct job *j = calloc(...)`) or written
  // (`(struct job *)malloc(...)`, `static_cast<Job *>(malloc(...))`).
  QualType Object;
  const Expr *E = CE;
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    QualType T = E->getType();
    if (T->isPointerType() && isFollowedHeapType(T->getPointeeType())) {
      Object = T->getPointeeType().getUnqualifiedType();
      break;
    }
    const auto *P = dyn_cast_or_null<Expr>(R.parentOf(E));
    if (!P || !isa<CastExpr, ParenExpr>(P))
      break;
    E = P;
  }
  if (Object.isNull())
    return QualType();
  auto [It, New] = AllocatorCache.try_emplace(Callee, false);
  if (New)
    It->second = isAllocator(Callee);
  return It->second ? Object : QualType();
}

std::optional<LocKey>
FlowEngineImpl::returnedAllocatedObject(const Expr *RV,
                                        const PathState &S) const {
  if (!RV || !isFollowedHeapType(pointeeOrSmartPointee(RV->getType())))
    return std::nullopt;
  AbsVal V = eval(RV, S);
  if (V.K != AbsVal::Addr || V.loc().Sel != 0 ||
      !HeapBases.count(V.loc().Base) || isEscaped(S, V.loc().Base))
    return std::nullopt;
  return V.loc();
}

VarDecl *FlowEngineImpl::objectReturnedBy(const CallExpr *CE,
                                          const FunctionDecl *Callee) {
  VarDecl *&V = ReturnedStructs[CE];
  if (V)
    return V;
  if (QualType Pointee = pointeeOrSmartPointee(CE->getType());
      !Pointee.isNull()) {
    // The object it allocated: this function's now.
    V = makePlaceholder(Callee, Pointee.getUnqualifiedType(), nullptr);
    HeapBases.insert(V);
    R.AllocatedObjects[V] = pointerNameOf(CE);
  } else {
    // A struct returned by value: a place until the caller copies it.
    V = makePlaceholder(Callee, CE->getType(),
                        &Ctx.Idents.get(Callee->getNameAsString() + "()"));
  }
  return V;
}

bool FlowEngineImpl::movedFromSomewhere(const VarDecl *VD) {
  if (!MovedFromBuilt) {
    MovedFromBuilt = true;
    walkStmts(Body, [&](const Stmt *X) {
      const auto *CE = dyn_cast<CallExpr>(X);
      if (CE && CE->getNumArgs() == 1 &&
          CE->getDirectCallee() && CE->getDirectCallee()->getIdentifier() &&
          CE->getDirectCallee()->getName() == "move" &&
          isValuePassThrough(CE->getDirectCallee()))
        if (const VarDecl *From = refVar(CE->getArg(0)))
          MovedFrom.insert(From);
      return WalkStep::Into;
    });
  }
  return MovedFrom.count(VD) > 0;
}

void FlowEngineImpl::destroyHeapObject(AbsVal Pointer, bool Shared,
                                       PathState &S) {
  if (Pointer.K != AbsVal::Addr || Pointer.loc().Sel != 0)
    return;
  const ValueDecl *Base = Pointer.loc().Base;
  if (!HeapBases.count(Base) || isEscaped(S, Base))
    return;
  const CXXRecordDecl *RD = Base->getType()->getAsCXXRecordDecl();
  if (!RD || !hasOwnDestructor(RD))
    return;
  if (Shared) {
    // Another owner may keep it alive: what it holds is no longer ours.
    handOffWithin(S, LocKey{Base, 0});
    return;
  }
  applyDestructorAt(LocKey{Base, 0}, RD, S);
}

VarDecl *FlowEngineImpl::heapPlaceOf(const Expr *Alloc, QualType T) {
  VarDecl *&V = HeapObjects[Alloc];
  if (V)
    return V;
  const NamedDecl *Near = R.FD;
  if (const auto *CE = dyn_cast<CallExpr>(Alloc); CE && CE->getDirectCallee())
    Near = CE->getDirectCallee();
  if (!Near)
    return nullptr;
  V = makePlaceholder(Near, T, nullptr);
  HeapBases.insert(V);
  R.AllocatedObjects[V] = pointerNameOf(Alloc);
  return V;
}

bool FlowEngineImpl::allocateHeapObject(const Expr *Alloc, PathState &S) {
  QualType T = allocatedObjectType(Alloc);
  if (T.isNull())
    return false;
  VarDecl *V = heapPlaceOf(Alloc, T);
  if (!V)
    return false;
  if (!S.allocated(V)) {
    // The first allocation here on this path: a place of its own, empty.
    // (Per path: the fixpoint may reach the site again on another path,
    // or with a changed state, without a second allocation.)
    S.Allocated.set(PathState::baseIdOf(V), true);
  } else {
    // The site allocates again: what the previous object holds is no
    // longer this place's to follow.
    handOffEndsWithin(S, LocKey{V, 0});
    handOffTasksOfVar(S, V);
    auto [Lo, Hi] = PathState::keysWithin(LocKey{V, 0});
    llvm::SmallVector<uint64_t, 4> Drop;
    S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &) {
      Drop.push_back(K);
      return true;
    });
    for (uint64_t K : Drop)
      setLoc(S, PathState::unpackLoc(K), AbsVal::unknown());
    S.Escaped.erase(PathState::baseIdOf(V));
  }
  setTemp(S, Alloc, AbsVal::addr(LocKey{V, 0}));
  return true;
}

std::optional<AbsVal>
FlowEngineImpl::smartPointerValue(const Expr *E, const PathState &S) const {
  // (std::shared_ptr's `->` and `get()` are its base class's: the object
  // is seen through the cast to that base.)
  auto IsSmart = [](const Expr *X) {
    return X && !smartPointeeType(X->IgnoreParenImpCasts()->getType()).isNull();
  };
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OCE->getOperator() == OO_Arrow && OCE->getNumArgs() == 1 &&
        IsSmart(OCE->getArg(0)))
      return heldPointer(OCE->getArg(0), S);
    return std::nullopt;
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    const Expr *Obj = MCE->getImplicitObjectArgument();
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    if (MD && IsSmart(Obj) && MCE->getNumArgs() == 0 &&
        (isa<CXXConversionDecl>(MD) ||
         (MD->getIdentifier() && MD->getName() == "get")))
      return heldPointer(Obj, S);
    return std::nullopt;
  }
  if (!IsSmart(E))
    return std::nullopt;
  return heldPointer(E, S);
}

AbsVal FlowEngineImpl::heldPointer(const Expr *E, const PathState &S) const {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    // Below the temporaries, moves and copies C++ wraps it in.
    E = stripTemporary(E);
    if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
      return AbsVal::constant(0);
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(E)) {
      if (CCE->getNumArgs() == 0)
        return AbsVal::constant(0); // an empty pointer
      const Expr *Arg = CCE->getArg(0);
      if (Arg->getType()->isNullPtrType())
        return AbsVal::constant(0);
      if (Arg->getType()->isPointerType())
        return eval(Arg, S); // `std::unique_ptr<T> p(new T)`
      if (smartPointeeType(Arg->getType()).isNull())
        return AbsVal::unknown();
      E = Arg; // converted from another one (`unique_ptr<Base>(std::move(d))`)
      continue;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      // `std::forward<P>(p)`: p itself.
      if (CE->getNumArgs() == 1 && isValuePassThrough(CE->getDirectCallee())) {
        E = CE->getArg(0);
        continue;
      }
      // `std::make_unique<T>()` (allocateHeapObject()), or what a
      // summarised helper returned.
      return lookupTemp(S, CE);
    }
    if (E->isGLValue())
      if (std::optional<Lvalue> LV = lvalueOf(E, S))
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
    return AbsVal::unknown();
  }
  return AbsVal::unknown();
}

} // namespace clang::tidy::pipe
