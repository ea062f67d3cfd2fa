//===--- Aggregates.cpp - descriptors kept in pairs, tuples, arrays, structs ===//
//
// The elements of an aggregate of descriptors as places below it, whatever
// its kind: a struct or class with integer members (and `int[2]` members),
// `std::pair` (`first`, `second`), `std::tuple` (`std::get<I>(t)`, taken
// as element I) and `std::array` (element I). An expression that builds
// one from its elements (`{fds[0], fds[1]}`, `std::make_pair(a, b)`,
// `std::tuple<int, int>(a, b)`, `(struct fdpair){a, b}`, a constructor
// that only copies its parameters into members) gives each element's
// value to its place, and `std::get<I>(x)` names element I of x, so that a
// structured binding of a pair or tuple names a place too.
//
// A helper that returns such an aggregate by value (FunctionSummaries.cpp)
// gives its caller both ends of a pipe in two of these places.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

namespace clang::tidy::pipe {

namespace {
const ClassTemplateSpecializationDecl *stdTemplate(QualType T,
                                                   llvm::StringRef Name) {
  const auto *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!TS || !TS->getIdentifier() || TS->getName() != Name ||
      !TS->getDeclContext()->getRedeclContext()->isStdNamespace())
    return nullptr;
  return TS;
}

/// The field of \p RD named \p Name, if any.
const FieldDecl *fieldNamed(const RecordDecl *RD, llvm::StringRef Name) {
  for (const FieldDecl *F : RD->fields())
    if (F->getIdentifier() && F->getName() == Name)
      return F;
  return nullptr;
}

/// The types of std::tuple<Ts...>'s elements.
llvm::SmallVector<QualType, 4>
tupleElementTypes(const ClassTemplateSpecializationDecl *TS) {
  llvm::SmallVector<QualType, 4> Out;
  const TemplateArgumentList &Args = TS->getTemplateArgs();
  if (Args.size() != 1 || Args[0].getKind() != TemplateArgument::Pack)
    return Out;
  for (const TemplateArgument &A : Args[0].pack_elements())
    if (A.getKind() == TemplateArgument::Type)
      Out.push_back(A.getAsType());
    else
      return {};
  return Out;
}
} // namespace

namespace detail {
std::optional<std::pair<QualType, uint64_t>> stdArrayElements(QualType T) {
  const auto *TS = stdTemplate(T.getCanonicalType(), "array");
  if (!TS)
    return std::nullopt;
  const TemplateArgumentList &Args = TS->getTemplateArgs();
  if (Args.size() != 2 || Args[0].getKind() != TemplateArgument::Type ||
      Args[1].getKind() != TemplateArgument::Integral)
    return std::nullopt;
  return std::make_pair(Args[0].getAsType(),
                        Args[1].getAsIntegral().getLimitedValue(UINT32_MAX));
}

bool isStdPairType(QualType T) { return stdTemplate(T, "pair") != nullptr; }
bool isStdTupleType(QualType T) { return stdTemplate(T, "tuple") != nullptr; }

std::optional<uint16_t> elementSel(QualType T, unsigned I) {
  T = T.getNonReferenceType().getCanonicalType();
  if (isStdArrayType(T))
    return indexSel(I);
  if (const auto *TS = stdTemplate(T, "tuple"))
    return I < tupleElementTypes(TS).size() ? std::optional<uint16_t>(indexSel(I))
                                            : std::nullopt;
  if (const auto *TS = stdTemplate(T, "pair"))
    if (I < 2)
      if (const FieldDecl *F = fieldNamed(TS, I == 0 ? "first" : "second"))
        return fieldSel(F->getFieldIndex());
  return std::nullopt;
}

} // namespace detail

/// A small class that holds one or two descriptors and nothing else of
/// note: no bases, no virtual functions, one or two integer members and
/// no member of class type (`UniqueFd`, `Fd`, `ScopedFd`).
static bool isDescriptorWrapper(const CXXRecordDecl *RD) {
  if (!RD->hasDefinition() || RD->getNumBases() || RD->isPolymorphic() ||
      RD->isUnion() || RD->isLambda() || RD->isInStdNamespace())
    return false;
  unsigned Ints = 0;
  for (const FieldDecl *F : RD->fields()) {
    QualType FT = F->getType().getCanonicalType();
    if (FT->isIntegerType())
      ++Ints;
    else if (FT->isRecordType() || FT->isArrayType())
      return false;
  }
  return Ints >= 1 && Ints <= 2;
}

void aggregateElementSels(QualType T, llvm::SmallVectorImpl<SelPath> &Out,
                          bool OwnDestructorToo) {
  T = T.getNonReferenceType().getCanonicalType();
  if (stdTemplate(T, "array")) {
    if (auto Elements = detail::stdArrayElements(T);
        Elements && mayHoldDescriptorValue(Elements->first))
      for (uint64_t K = 0, N = std::min<uint64_t>(Elements->second, 16);
           K < N; ++K)
        Out.push_back(indexSel(unsigned(K)));
    return;
  }
  if (const auto *TS = stdTemplate(T, "tuple")) {
    llvm::SmallVector<QualType, 4> Types = tupleElementTypes(TS);
    for (unsigned K = 0; K < Types.size() && K < 16; ++K)
      if (mayHoldDescriptorValue(Types[K]))
        Out.push_back(indexSel(K));
    return;
  }
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD)
    return;
  // A class with a destructor of its own may close what its members hold:
  // its members are its own, not places a caller follows. (An implicit
  // destructor only destroys member objects, such as a std::thread.)
  if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD)) {
    if (!CRD->hasDefinition() || (hasOwnDestructor(CRD) && !OwnDestructorToo))
      return;
  }
  recordElementSels(RD, 0, Out);
}

void recordElementSels(const RecordDecl *RD, SelPath Prefix,
                       llvm::SmallVectorImpl<SelPath> &Out) {
  // std::pair and a plain struct or class: its own integer members, the
  // two elements of an `int[2]` member, the integer members of a
  // descriptor wrapper kept by value, and the same in a plain struct
  // member (`struct chan { int id; struct ends out; }`), as deep as a place
  // can be. At most 32 places: a struct with more is not one a pipe helper
  // fills.
  for (const FieldDecl *F : RD->fields()) {
    if (F->getFieldIndex() >= 16 || Out.size() >= 32)
      break;
    std::optional<SelPath> FS = joinSels(Prefix, fieldSel(F->getFieldIndex()));
    if (!FS)
      break;
    auto Add = [&](uint16_t Inner) {
      if (std::optional<SelPath> P = joinSels(*FS, Inner))
        Out.push_back(*P);
    };
    QualType FT = F->getType().getCanonicalType();
    if (const auto *AT = dyn_cast<ConstantArrayType>(FT.getTypePtr())) {
      if (AT->getSize() == 2 && mayHoldDescriptorValue(AT->getElementType()))
        for (unsigned K = 0; K < 2; ++K)
          Add(indexSel(K));
    } else if (FT->isIntegerType()) {
      Out.push_back(*FS);
    } else if (const auto *Wrapper = FT->getAsCXXRecordDecl();
               Wrapper && isDescriptorWrapper(Wrapper)) {
      // A descriptor wrapper kept by value (`struct Pipe { UniqueFd rd,
      // wr; };`): its integer members, which its destructor may close
      // where the struct is destroyed (applyDestructorAt()).
      for (const FieldDecl *In : Wrapper->fields())
        if (In->getType()->isIntegerType() && In->getFieldIndex() < 16)
          Add(fieldSel(In->getFieldIndex()));
    } else if (const RecordDecl *Inner = FT->getAsRecordDecl();
               Inner && Inner->getDefinition() && !Inner->isUnion() &&
               !taskHandleKind(FT) && objectMayHoldDescriptor(FT)) {
      // A plain struct member: its own places, below it. (One with a
      // destructor of its own answers for what it holds.)
      const auto *CRD = dyn_cast<CXXRecordDecl>(Inner);
      if (!CRD || !hasOwnDestructor(CRD))
        recordElementSels(Inner->getDefinition(), *FS, Out);
    }
  }
}

namespace detail {
std::optional<uint16_t> stdGetElement(const CallExpr *CE, const Expr *&Obj) {
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!isNamedStdFunction(FD, "get") || CE->getNumArgs() != 1)
    return std::nullopt;
  const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs();
  if (!Args || Args->size() < 1 ||
      (*Args)[0].getKind() != TemplateArgument::Integral)
    return std::nullopt;
  uint64_t I = (*Args)[0].getAsIntegral().getLimitedValue(0x7ffe);
  const Expr *Arg = CE->getArg(0);
  std::optional<uint16_t> Sel = elementSel(Arg->getType(), unsigned(I));
  if (Sel)
    Obj = Arg;
  return Sel;
}

bool isDescriptorAggregateType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (isStdArrayType(T) || isStdPairType(T) || isStdTupleType(T))
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  return RD && RD->hasDefinition() && RD->isTriviallyCopyable() &&
         !RD->isPolymorphic() && RD->getNumBases() == 0;
}
} // namespace detail

namespace {
/// make_pair, make_tuple, tuple, forward_as_tuple is not: it keeps
/// references.
bool isStdMaker(const FunctionDecl *FD) {
  return isNamedStdFunction(FD, "make_pair") ||
         isNamedStdFunction(FD, "make_tuple");
}

/// The parameter \p E names, if it names one: its index. A parameter
/// moved (`writer_(std::move(t))`) is named too.
std::optional<unsigned> paramIndexOf(const Expr *E) {
  // (Through the copy or move and std::move() stripTemporary() sees
  // through; a functional cast, `int(fd)`, names no parameter.)
  E = E->IgnoreImplicit()->IgnoreParenImpCasts();
  if (isa<CXXConstructExpr, CallExpr>(E))
    E = stripTemporary(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      return P->getFunctionScopeIndex();
  return std::nullopt;
}

/// A statement of a constructor's body that copies a parameter into a
/// member of the object (`fd_ = fd;`, `this->fd_ = fd;`): the member.
const FieldDecl *memberCopiedFromParam(const Stmt *St, unsigned *Param) {
  const auto *BO = dyn_cast<BinaryOperator>(St);
  if (!BO || BO->getOpcode() != BO_Assign)
    return nullptr;
  const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  auto P = paramIndexOf(BO->getRHS());
  if (!P)
    return nullptr;
  if (Param)
    *Param = *P;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// True when \p Body does nothing but copy parameters into members.
bool onlyCopiesParams(const CompoundStmt *Body) {
  return llvm::all_of(Body->body(), [](const Stmt *St) {
    return memberCopiedFromParam(St, nullptr) != nullptr;
  });
}

/// The argument a constructor copies into member \p F (a member
/// initialiser, or an assignment in a body that does nothing else,
/// onlyCopiesParams()): its parameter index.
std::optional<unsigned> ctorParamFor(const CXXConstructorDecl *Ctor,
                                     const FieldDecl *F) {
  if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Ctor->getBody())) {
    // The body's last copy into F wins over the initialiser.
    std::optional<unsigned> Last;
    for (const Stmt *St : Body->body()) {
      unsigned P = 0;
      if (memberCopiedFromParam(St, &P) == F)
        Last = P;
    }
    if (Last)
      return Last;
  }
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    if (Init->getMember() != F)
      continue;
    const Expr *E = Init->getInit();
    if (!E)
      return std::nullopt;
    E = E->IgnoreImplicit()->IgnoreParenImpCasts();
    if (const auto *PLE = dyn_cast<ParenListExpr>(E); PLE && PLE->getNumExprs() == 1)
      E = PLE->getExpr(0)->IgnoreParenImpCasts();
    if (const auto *ILE = dyn_cast<InitListExpr>(E); ILE && ILE->getNumInits() == 1)
      E = ILE->getInit(0)->IgnoreParenImpCasts();
    return paramIndexOf(E);
  }
  return std::nullopt;
}
} // namespace

namespace detail {
const Expr *objectInitializer(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    else if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E);
             FCE && (FCE->getCastKind() == CK_NoOp ||
                     FCE->getCastKind() == CK_ConstructorConversion))
      E = FCE->getSubExpr();
    else
      break;
  }
  return E;
}

namespace {
/// A call of std::optional's method \p Names on an object: the object.
const Expr *optionalCall(const Expr *E,
                         std::initializer_list<llvm::StringRef> Methods,
                         std::initializer_list<OverloadedOperatorKind> Ops) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  const Expr *Obj = nullptr;
  const FunctionDecl *FD = nullptr;
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OCE->getNumArgs() != 1 ||
        !llvm::is_contained(Ops, OCE->getOperator()))
      return nullptr;
    Obj = OCE->getArg(0);
    FD = OCE->getDirectCallee();
  } else if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    const auto *MD = MCE->getMethodDecl();
    if (!MD || MCE->getNumArgs() != 0)
      return nullptr;
    bool Named = MD->getIdentifier() && llvm::is_contained(Methods, MD->getName());
    bool Conversion = isa<CXXConversionDecl>(MD) &&
                      llvm::is_contained(Methods, llvm::StringRef("bool")) &&
                      MD->getReturnType()->isBooleanType();
    if (!Named && !Conversion)
      return nullptr;
    Obj = MCE->getImplicitObjectArgument();
    FD = MD;
  }
  if (!Obj || !FD || optionalValueType(Obj->getType()).isNull())
    return nullptr;
  return Obj;
}
} // namespace

const Expr *optionalAccessObject(const Expr *E) {
  return optionalCall(E, {"value"}, {OO_Arrow, OO_Star});
}

const Expr *optionalTestObject(const Expr *E) {
  return optionalCall(E, {"has_value", "bool"}, {});
}

bool aggregateElements(const Expr *E,
    llvm::SmallVectorImpl<std::pair<SelPath, const Expr *>> &Out) {
  if (!E)
    return false;
  E = E->IgnoreParens();
  QualType T = E->getType();
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    // std::make_pair(a, b), std::make_tuple(a, b).
    if (!isStdMaker(Call->getDirectCallee()))
      return false;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I)
      if (auto Sel = elementSel(T, I))
        Out.push_back({*Sel, Call->getArg(I)});
    return !Out.empty();
  }
  const auto *CCE = dyn_cast<CXXConstructExpr>(E);
  if (!CCE || CCE->getConstructor()->isCopyOrMoveConstructor() ||
      CCE->getNumArgs() == 0)
    return false;
  if (isStdPairType(T) || isStdTupleType(T)) {
    // The element-wise constructor: one argument per element. (A pair made
    // from another pair, or a tuple from a pair, has one argument.)
    if (isStdPairType(T) && CCE->getNumArgs() != 2)
      return false;
    if (isStdTupleType(T) &&
        CCE->getNumArgs() !=
            tupleElementTypes(stdTemplate(T.getCanonicalType(), "tuple")).size())
      return false;
    for (unsigned I = 0; I < CCE->getNumArgs(); ++I) {
      std::optional<uint16_t> Sel = elementSel(T, I);
      if (CCE->getArg(I)->getType()->isIntegerType()) {
        if (Sel)
          Out.push_back({*Sel, CCE->getArg(I)});
        continue;
      }
      // A descriptor wrapper built for the element (`{UniqueFd(p[0]),
      // UniqueFd(p[1])}`): what it keeps, one level down.
      const auto *Wrapper =
          dyn_cast<CXXConstructExpr>(objectInitializer(CCE->getArg(I)));
      llvm::SmallVector<std::pair<SelPath, const Expr *>, 2> Inner;
      if (!Sel || !Wrapper || Wrapper == CCE ||
          !aggregateElements(Wrapper, Inner))
        return false;
      for (const auto &[InnerSel, Arg] : Inner) {
        std::optional<SelPath> Path = joinSels(*Sel, InnerSel);
        if (!Path)
          return false;
        Out.push_back({*Path, Arg});
      }
    }
    return !Out.empty();
  }
  // A class whose constructor only copies its parameters into members
  // (`fd_pair(int r, int w) : rd(r), wr(w) {}`, `Fd(int fd) { fd_ = fd; }`).
  const CXXConstructorDecl *Ctor = CCE->getConstructor();
  const FunctionDecl *Def = nullptr;
  if (!Ctor->hasBody(Def) || !Def)
    return false;
  const auto *CtorDef = cast<CXXConstructorDecl>(Def);
  const auto *Body = dyn_cast_or_null<CompoundStmt>(CtorDef->getBody());
  if (!Body || !onlyCopiesParams(Body) || CtorDef->getParent()->getNumBases())
    return false;
  for (const FieldDecl *F : CtorDef->getParent()->fields()) {
    // A descriptor, or a thread or future it is given
    // (`Unpacker(int rd, std::thread t) : rd_(rd), writer_(std::move(t))`),
    // whose task the member then keeps (handleMovedIntoList()); or a
    // struct of descriptors given whole (`Batcher(Spool s) : spool_(s)`),
    // copied member by member (storeElements()).
    QualType FT = F->getType().getCanonicalType();
    bool Record = FT->isRecordType() && isDescriptorAggregateType(FT) &&
                  !taskHandleKind(FT);
    if ((!FT->isIntegerType() && !taskHandleKind(FT) && !Record) ||
        F->getFieldIndex() >= 16)
      continue;
    if (auto P = ctorParamFor(CtorDef, F); P && *P < CCE->getNumArgs()) {
      const Expr *Arg = CCE->getArg(*P);
      if (Record && Arg->getType().getNonReferenceType()
                            .getCanonicalType()
                            .getUnqualifiedType() != FT.getUnqualifiedType())
        continue;
      Out.push_back({fieldSel(F->getFieldIndex()), Arg});
    }
  }
  return !Out.empty();
}
} // namespace detail

/// Summary mode: the aggregate a `return` builds in place
/// (`return {fds[0], fds[1]};`, `return std::make_pair(a, b);`), put in a
/// place of the analysis of its own, so that the summary reads its members
/// as it reads those of a returned variable.
bool FlowEngineImpl::materializeReturned(const Expr *Obj, PathState &S) {
  auto It = ReturnedAggregates.find(Obj);
  if (It == ReturnedAggregates.end())
    return false;
  LocKey L{It->second, 0};
  // Whatever an earlier pass round a loop left there.
  llvm::SmallVector<LocKey, 4> Old;
  auto [Lo, Hi] = PathState::keysWithin(L);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &) {
    Old.push_back(PathState::unpackLoc(K));
    return true;
  });
  for (LocKey K : Old)
    setLoc(S, K, AbsVal::unknown());
  const Expr *Core = Obj->IgnoreParenImpCasts();
  if (isa<InitListExpr>(Core) || isa<CompoundLiteralExpr>(Core)) {
    initialize(L, Obj->getType(), Core, S, 0);
    return true;
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(Core);
      CCE && CCE->getNumArgs() == 0) {
    // `return {};`, `return Pipe();`: what the members' initialisers set.
    defaultInitializedMembers(CCE, L, S);
    return true;
  }
  llvm::SmallVector<std::pair<SelPath, const Expr *>, 4> Elements;
  if (!aggregateElements(Core, Elements))
    return false;
  storeElements(L, Elements, S);
  return true;
}

void FlowEngineImpl::storeElements(
    LocKey L, llvm::ArrayRef<std::pair<SelPath, const Expr *>> Elements,
    PathState &S) {
  for (const auto &El : Elements)
    if (std::optional<LocKey> C = descend(L, El.first)) {
      // A struct of descriptors (`spool_(s)`): what its members hold.
      if (El.second->getType()->isRecordType() &&
          !taskHandleKind(El.second->getType()))
        if (auto LV = lvalueOf(stripTemporary(El.second)->IgnoreImpCasts(), S);
            LV && LV->Tracked && !LV->AnyIndex) {
          copyRecord(S, *C, LV->L);
          continue;
        }
      setLoc(S, *C, eval(El.second, S));
      noteHandleCopied(*C, El.second, S);
    }
}

/// Summary mode: the returns of a function returning an aggregate that
/// build it in place get a place each (materializeReturned()), and the
/// calls and constructions that build it are not hand-offs
/// (ReturnedCopies).
void FlowEngineImpl::noteReturnedAggregate(const Expr *Obj) {
  if (!Obj || ReturnedAggregates.count(Obj))
    return;
  const Expr *Core = Obj->IgnoreParenImpCasts();
  llvm::SmallVector<std::pair<SelPath, const Expr *>, 4> Elements;
  bool Literal = isa<InitListExpr>(Core) || isa<CompoundLiteralExpr>(Core);
  const auto *Default = dyn_cast<CXXConstructExpr>(Core);
  if (Default && (Default->getNumArgs() != 0 ||
                  Default->getConstructor()->isCopyOrMoveConstructor()))
    Default = nullptr;
  if (!Literal && !Default && !aggregateElements(Core, Elements))
    return;
  if (!Literal)
    ReturnedCopies.insert(Core);
  // The wrappers built as its elements keep what they are given (`return
  // Pair{Fd(fds[0]), Fd(fds[1])};`, `return {Fd(a), Fd(b)};` of a
  // std::pair): their constructions are part of the return, not hand-offs.
  auto KeptByElement = [&](const Expr *El) {
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(objectInitializer(El));
        CCE && constructorKeepsArgs(CCE))
      ReturnedCopies.insert(CCE);
  };
  if (const auto *ILE = dyn_cast<InitListExpr>(Core))
    llvm::for_each(ILE->inits(), KeptByElement);
  else if (const auto *CCE = dyn_cast<CXXConstructExpr>(Core))
    llvm::for_each(CCE->arguments(), KeptByElement);
  const NamedDecl *Near = R.FD;
  if (!Near)
    return;
  ReturnedAggregates[Obj] =
      makePlaceholder(Near, Obj->getType(), &Ctx.Idents.get("return"));
}

bool FlowEngineImpl::assignAggregate(const CallExpr *CE, PathState &S) {
  const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE);
  if (!OCE || OCE->getOperator() != OO_Equal || OCE->getNumArgs() != 2)
    return false;
  QualType T = OCE->getArg(0)->getType();
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OCE->getDirectCallee());
  if (!MD || MD->getNumParams() != 1 || !isDescriptorAggregateType(T))
    return false;
  // The copy or move assignment, not one from another type.
  QualType P = MD->getParamDecl(0)->getType().getNonReferenceType();
  const CXXRecordDecl *PR = P->getAsCXXRecordDecl();
  if (!PR || PR->getCanonicalDecl() != MD->getParent()->getCanonicalDecl())
    return false;
  auto LV = lvalueOf(OCE->getArg(0), S);
  if (!LV || !LV->Tracked || LV->AnyIndex)
    return false;
  const Expr *Rhs = OCE->getArg(1);
  if (returnedStruct(Rhs, S)) {
    initialize(LV->L, T, Rhs, S, 0);
    return true;
  }
  auto Src = lvalueOf(Rhs->IgnoreParenImpCasts(), S);
  if (!Src || !Src->Tracked || Src->AnyIndex)
    return false;
  copyRecord(S, LV->L, Src->L);
  return true;
}

} // namespace clang::tidy::pipe
