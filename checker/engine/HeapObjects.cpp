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
// kept is never joined. When the same site allocates again (a loop), what
// the previous object holds is handed off: one place cannot follow two
// objects.
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

namespace clang::tidy::pipe {

/// The type an allocation's object is followed as: a complete struct or
/// class whose destruction does nothing (so that free() or delete of it
/// releases nothing we would have to read).
bool isFollowedHeapType(QualType T) {
  if (T.isNull())
    return false;
  const auto *RD = T.getCanonicalType()->getAsRecordDecl();
  if (!RD || RD->isUnion() || !RD->isCompleteDefinition() ||
      RD->isInvalidDecl())
    return false;
  if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD))
    return CRD->hasTrivialDestructor() && !CRD->isPolymorphic();
  return true;
}

namespace {

/// Does \p FD allocate fresh memory for its caller: declared
/// `__attribute__((malloc))` or `alloc_size(...)` (glibc's malloc and
/// calloc, gnulib's xmalloc, GLib's g_malloc0), or named malloc / calloc?
/// A function that takes a pointer (realloc, strdup) may return memory it
/// was given and is not one.
bool isAllocator(const FunctionDecl *FD) {
  if (!FD || !FD->getReturnType()->isPointerType())
    return false;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getType()->isPointerType())
      return false;
  if (FD->hasAttr<RestrictAttr>() || FD->hasAttr<AllocSizeAttr>())
    return true;
  const IdentifierInfo *II = FD->getIdentifier();
  return II && (II->getName() == "malloc" || II->getName() == "calloc");
}

} // namespace

std::string FlowEngineImpl::pointerNameOf(const Expr *Alloc) const {
  // Up through the casts to `struct chan *c = ...` or `c = ...`.
  const Stmt *E = Alloc;
  for (unsigned Depth = 0; E && Depth < 6; ++Depth) {
    const Stmt *P = R.parentOf(E);
    if (!P)
      return "";
    if (isa<CastExpr, ParenExpr>(P)) {
      E = P;
      continue;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->getInit() && VD->getInit()->IgnoreParenCasts() ==
                                       cast<Expr>(Alloc)->IgnoreParenCasts())
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
  if (!CE || !isAllocator(CE->getDirectCallee()))
    return QualType();
  // C: calloc()'s `void *` becomes the struct's pointer type in a cast
  // around it, implicit (`struct job *j = calloc(...)`) or written
  // (`(struct job *)malloc(...)`, `static_cast<Job *>(malloc(...))`).
  const Expr *E = CE;
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    QualType T = E->getType();
    if (T->isPointerType() && isFollowedHeapType(T->getPointeeType()))
      return T->getPointeeType().getUnqualifiedType();
    const auto *P = dyn_cast_or_null<Expr>(R.parentOf(E));
    if (!P || !isa<CastExpr, ParenExpr>(P))
      break;
    E = P;
  }
  return QualType();
}

std::optional<LocKey>
FlowEngineImpl::returnedAllocatedObject(const Expr *RV,
                                        const PathState &S) const {
  if (!RV || !RV->getType()->isPointerType() ||
      !isFollowedHeapType(RV->getType()->getPointeeType()))
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
  if (!V) {
    V = makePlaceholder(Callee, CE->getType()->getPointeeType().getUnqualifiedType(),
                        nullptr);
    HeapBases.insert(V);
    R.AllocatedObjects[V] = pointerNameOf(CE);
  }
  return V;
}

bool FlowEngineImpl::allocateHeapObject(const Expr *Alloc, PathState &S) {
  QualType T = allocatedObjectType(Alloc);
  if (T.isNull())
    return false;
  VarDecl *&V = HeapObjects[Alloc];
  if (!V) {
    const NamedDecl *Near = R.FD;
    if (const auto *CE = dyn_cast<CallExpr>(Alloc); CE && CE->getDirectCallee())
      Near = CE->getDirectCallee();
    if (!Near)
      return false;
    V = makePlaceholder(Near, T, nullptr);
    HeapBases.insert(V);
    R.AllocatedObjects[V] = pointerNameOf(Alloc);
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

} // namespace clang::tidy::pipe
