//===--- FunctionAnalysis.cpp - the finished analysis the checks read -----===//
//
// FunctionAnalysis (FunctionAnalysis.h): running the engine on a function
// (run(), runForSummary()), the PIPE_TIDY_STATS line, and the queries
// checks make of the result (names, ends, exits, calls, tasks).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

FunctionAnalysis::~FunctionAnalysis() = default;

bool FunctionAnalysis::isLambda() const {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}

std::string FunctionAnalysis::locName(LocKey L, bool *Wrapped) const {
  if (Wrapped)
    *Wrapped = false;
  if (!L.Base)
    return "";
  std::string Name = L.Base->getNameAsString();
  QualType T = L.Base->getType().getNonReferenceType();
  SelPath Sel = L.Sel;
  // An allocated object: named through its pointer (`c->fds[1]`).
  bool Arrow = false;
  if (auto It = AllocatedObjects.find(L.Base); It != AllocatedObjects.end()) {
    Name = It->second;
    Arrow = !Name.empty();
  }
  if (const auto *DD = dyn_cast<DecompositionDecl>(L.Base)) {
    // The copy made by `auto [r, w] = fds;` has no name; its elements (or
    // fields) have the bindings' names.
    Name.clear();
    if (uint16_t First = uint16_t(Sel & 0xffff))
      for (const BindingDecl *BD : DD->bindings()) {
        const Expr *B = BD->getBinding();
        uint16_t Names = 0;
        if (const VarDecl *HV = BD->getHoldingVar()) {
          // A pair, tuple or array: `std::get<I>(e)`.
          const Expr *Obj = nullptr;
          const auto *Get = dyn_cast_or_null<CallExpr>(
              HV->getInit() ? HV->getInit()->IgnoreImplicit() : nullptr);
          if (auto GS = Get ? stdGetElement(Get, Obj) : std::nullopt;
              GS && *GS == First) {
            Name = BD->getNameAsString();
            T = BD->getType().getNonReferenceType();
            Sel >>= 16;
            break;
          }
          continue;
        }
        if (!B || !plainDecompositionOf(BD))
          continue;
        B = B->IgnoreParens();
        if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(B)) {
          if (const auto *IL = dyn_cast<IntegerLiteral>(
                  ASE->getIdx()->IgnoreParenImpCasts()))
            Names = indexSel(unsigned(IL->getValue().getLimitedValue(0x7ffe)));
        } else if (const auto *ME = dyn_cast<MemberExpr>(B)) {
          if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
            Names = fieldSel(F->getFieldIndex());
        }
        if (Names == First) {
          Name = BD->getNameAsString();
          T = BD->getType().getNonReferenceType();
          Sel >>= 16;
          break;
        }
      }
    if (Name.empty())
      return "";
  }
  // What an integer pointer parameter points to (`*wr`): the place of the
  // pointee in summary mode has no selector.
  if (!Sel && T->isPointerType() && T->getPointeeType()->isIntegerType())
    for (const SeededPlace &P : Seeded)
      if (P.Place.Base == L.Base && !P.ByValue && !P.Captured)
        return "*" + Name;
  for (; Sel; Sel >>= 16) {
    uint16_t S = uint16_t(Sel & 0xffff);
    T = T.getCanonicalType();
    // A std::optional's value is in its place: `o->wr`.
    if (QualType Value = optionalValueType(T); !Value.isNull()) {
      T = Value.getCanonicalType();
      Arrow = true;
    }
    if (S & 0x8000) {
      unsigned Index = S & 0x7fff;
      // The write end a Boost.Process pipe or stream holds: name it the
      // way the user reaches it.
      if (Index == BoostWriteSideField && isTwoEndedBoostPipeType(T)) {
        const auto *RD = T->getAsCXXRecordDecl();
        bool Stream = RD && compat::endsWith(RD->getName(), "stream");
        return Name + (Stream ? ".pipe().native_sink()" : ".native_sink()");
      }
      const RecordDecl *RD = T->getAsRecordDecl();
      if (T->isPointerType())
        RD = T->getPointeeType()->getAsRecordDecl();
      const FieldDecl *Found = fieldOfSel(RD, S);
      if (!Found)
        return Name;
      // The last member, hidden in a class that wraps that one descriptor
      // (its only integer member): the object owns it.
      // A class that also runs a task (a std::thread member) is no such
      // wrapper: 'reader.rfd_', not 'reader'.
      auto OnlyDescriptor = [&] {
        unsigned N = 0;
        for (const FieldDecl *F : Found->getParent()->fields()) {
          QualType FT = F->getType().getCanonicalType();
          if (const auto *AT = dyn_cast<ArrayType>(FT.getTypePtr()))
            FT = AT->getElementType();
          if (taskHandleKind(FT))
            return false;
          N += mayHoldDescriptorValue(FT);
        }
        return N == 1;
      };
      if ((Sel >> 16) == 0 && !Name.empty() && Found->getAccess() != AS_public &&
          Found->getAccess() != AS_none &&
          mayHoldDescriptorValue(Found->getType()) && OnlyDescriptor()) {
        const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
        if (!MD || MD->getParent()->getCanonicalDecl() !=
                       Found->getParent()->getCanonicalDecl()) {
          if (Wrapped)
            *Wrapped = true;
          return Name;
        }
      }
      // `*this` in a member function has no name: `fds_[1]`.
      Name += (Name.empty()                   ? ""
               : T->isPointerType() || Arrow ? "->"
                                             : ".") +
              Found->getNameAsString();
      Arrow = false;
      T = Found->getType();
    } else if (isStdTupleType(T)) {
      // Element K of a tuple: `std::get<K>(t)`.
      Name = "std::get<" + std::to_string(S - 1) + ">(" + Name + ")";
      const auto *TS =
          cast<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
      const TemplateArgument &Pack = TS->getTemplateArgs()[0];
      if (Pack.getKind() != TemplateArgument::Pack ||
          unsigned(S - 1) >= Pack.pack_size())
        return Name;
      T = Pack.pack_elements()[S - 1].getAsType();
    } else {
      Name += "[" + std::to_string(S - 1) + "]";
      if (const auto *AT = T->getAsArrayTypeUnsafe())
        T = AT->getElementType();
      else if (T->isPointerType())
        T = T->getPointeeType();
      else if (const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                   T->getAsCXXRecordDecl());
               TS && TS->getTemplateArgs().size() > 0 &&
               TS->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        T = TS->getTemplateArgs()[0].getAsType();
      else
        return Name;
    }
  }
  return Name;
}

namespace {
/// A `struct pollfd` or an array of them.
bool isPollSet(const ValueDecl *V) {
  if (!V)
    return false;
  QualType T = V->getType().getCanonicalType();
  while (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    T = AT->getElementType().getCanonicalType();
  const auto *RD = T->getAsRecordDecl();
  return RD && RD->getName() == "pollfd";
}
} // namespace

std::string FunctionAnalysis::nameOf(EndId E, const PathState *S) const {
  const EndInfo &Info = Ends[E];
  if (S) {
    // Prefer the copy the code works with (`int w = fds[1];`), then the
    // place it was created, if either still holds it; a copy in a poll()
    // set (`pfd[1].fd`) is not what the code calls it: last.
    // An object that owns it (`UniqueFd in(fds[0])`: 'in') comes after
    // the place it was created.
    std::string Created, Copy, PollCopy, Owner;
    S->forEachLocationOf(E, [&](LocKey L) {
      if (!Copy.empty())
        return;
      bool Wrapped = false;
      std::string Name = locName(L, &Wrapped);
      if (Name.empty())
        return;
      if (Name == Info.Name)
        Created = Name;
      else if (Wrapped) {
        if (Owner.empty())
          Owner = Name;
      } else if (!isPollSet(L.Base))
        Copy = Name;
      else if (PollCopy.empty())
        PollCopy = Name;
    });
    if (!Copy.empty())
      return Copy;
    if (!Created.empty())
      return Created;
    if (!Owner.empty())
      return Owner;
    if (!PollCopy.empty())
      return PollCopy;
  }
  return Info.Name;
}

void FunctionAnalysis::forEachExit(
    llvm::function_ref<void(const ExitPoint &, const PathState &)> F) const {
  for (const auto &X : Exits)
    F(X.first, X.second);
}

void FunctionAnalysis::forEachTaskEvent(
    llvm::function_ref<void(const TaskEvent &, const PathState &)> F) const {
  for (const auto &E : TaskEvents)
    F(E.first, E.second);
}

bool mayHoldDescriptorValue(QualType T) {
  T = T.getCanonicalType();
  return T->isIntegerType() && !T->isBooleanType() &&
         !T->isAnyCharacterType() && !T->isEnumeralType();
}

const RecordDecl *plainRecordDefinition(QualType T) {
  const RecordDecl *RD = T->getAsRecordDecl();
  if (RD)
    RD = RD->getDefinition();
  if (!RD || RD->isUnion() || RD->isDependentContext())
    return nullptr;
  if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD);
      CRD && (CRD->getNumBases() > 0 || CRD->isPolymorphic()))
    return nullptr;
  return RD;
}

const RecordDecl *
nestedDescriptorRecord(QualType FT, llvm::function_ref<bool(QualType)> Plain) {
  const RecordDecl *RD = plainRecordDefinition(FT);
  if (!RD)
    return nullptr;
  bool AnyFd = false;
  for (const FieldDecl *G : RD->fields()) {
    QualType GT = G->getType().getCanonicalType();
    if (G->getFieldIndex() >= 16)
      return nullptr;
    if (mayHoldDescriptorValue(GT))
      AnyFd = true;
    else if (!Plain(GT))
      return nullptr;
  }
  return AnyFd ? RD : nullptr;
}

const Stmt *FunctionAnalysis::parentOf(const Stmt *S) const {
  if (!Parents) {
    Stmt *Body = D ? D->getBody() : nullptr;
    if (!Body)
      return nullptr;
    Parents = std::make_unique<ParentMap>(Body);
  }
  return S ? Parents->getParent(S) : nullptr;
}

llvm::SmallVector<const Stmt *, 2>
FunctionAnalysis::loopsAround(const Stmt *S, bool WithRangeFor) const {
  llvm::SmallVector<const Stmt *, 2> Loops;
  for (const Stmt *P = S; P; P = parentOf(P))
    if (isa<ForStmt, WhileStmt, DoStmt>(P) ||
        (WithRangeFor && isa<CXXForRangeStmt>(P)))
      Loops.push_back(P);
  return Loops;
}

bool FunctionAnalysis::inLoopOutside(const Stmt *S,
                                     const Stmt *Outside) const {
  llvm::SmallVector<const Stmt *, 2> OutsideLoops = loopsAround(Outside, true);
  for (const Stmt *L : loopsAround(S, true))
    if (!llvm::is_contained(OutsideLoops, L))
      return true;
  return false;
}

const Expr *FunctionAnalysis::loopCondition(const Stmt *Loop) {
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return F->getCond();
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
    return D->getCond();
  if (const auto *R = dyn_cast_or_null<CXXForRangeStmt>(Loop))
    return R->getCond();
  return nullptr;
}

const Stmt *FunctionAnalysis::loopBody(const Stmt *Loop) {
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return F->getBody();
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
    return D->getBody();
  if (const auto *R = dyn_cast_or_null<CXXForRangeStmt>(Loop))
    return R->getBody();
  return nullptr;
}

const VarDecl *FunctionAnalysis::ownerOf(EndId E) const {
  auto It = Owners.find(E);
  return It == Owners.end() ? nullptr : It->second;
}

void FunctionAnalysis::forEachCall(
    llvm::function_ref<void(const CallSite &, const PathState &)> F) const {
  for (const auto &C : Calls)
    F(C.first, C.second);
}

llvm::ArrayRef<const CallExpr *> FunctionAnalysis::writesTo(EndId E) const {
  if (!WritesByEnd) {
    WritesByEnd = std::make_unique<
        llvm::DenseMap<EndId, llvm::SmallVector<const CallExpr *, 2>>>();
    for (const auto &C : Calls) {
      if (C.first.Api->Role != ApiRole::Write)
        continue;
      if (std::optional<EndId> W = subjectEnd(C.first, C.second)) {
        auto &List = (*WritesByEnd)[*W];
        if (!llvm::is_contained(List, C.first.Call))
          List.push_back(C.first.Call);
      }
    }
  }
  auto It = WritesByEnd->find(E);
  if (It == WritesByEnd->end())
    return {};
  return It->second;
}

const Expr *CallSite::subjectExpr() const {
  if (Subject)
    return Subject;
  if (Api->Arg >= 0 && unsigned(Api->Arg) < Call->getNumArgs())
    return Call->getArg(unsigned(Api->Arg));
  return nullptr;
}

std::optional<EndId> FunctionAnalysis::subjectEnd(const CallSite &C,
                                                  const PathState &S) const {
  if (C.SubjectEnd >= 0)
    return EndId(C.SubjectEnd);
  const Expr *E = C.subjectExpr();
  return E ? endOf(E, S) : std::nullopt;
}

std::optional<EndId> FunctionAnalysis::endOf(const Expr *E,
                                             const PathState &S) const {
  if (!Engine || !E)
    return std::nullopt;
  AbsVal V = Engine->eval(E, S);
  if (V.K == AbsVal::End)
    return V.E;
  if (E->isGLValue() && isBoostPipeObjectType(E->getType()))
    return Engine->objectEnd(E, PipeSide::Read, S);
  return std::nullopt;
}

std::unique_ptr<FunctionAnalysis>
FunctionAnalysis::run(const Decl *D, ASTContext &Ctx, const ApiModel &Model,
                      unsigned Budget, CalleeSummaries &Summaries,
                      bool *GaveUp) {
  return runImpl(D, Ctx, Model, Budget, Summaries, GaveUp,
                 /*ForSummary=*/false);
}

std::unique_ptr<FunctionAnalysis> FunctionAnalysis::runForSummary(
    const FunctionDecl *FD, ASTContext &Ctx, const ApiModel &Model,
    unsigned Budget, CalleeSummaries &Summaries, bool StopWhenCut) {
  return runImpl(FD, Ctx, Model, Budget, Summaries, nullptr,
                 /*ForSummary=*/true, StopWhenCut);
}

AbsVal FunctionAnalysis::valueOf(const Expr *E, const PathState &S) const {
  return Engine ? Engine->eval(E, S) : AbsVal::unknown();
}

AbsVal FunctionAnalysis::slotValueAt(const CallExpr *CE, unsigned Param,
                                     bool Pointee, SelPath Sel,
                                     const PathState &S) const {
  if (!Engine || !CE)
    return AbsVal::unknown();
  if (!Pointee) {
    const Expr *Arg = FlowEngineImpl::argumentFor(CE, Param);
    return Arg && Param != SummarySlot::ThisParam ? Engine->eval(Arg, S)
                                                  : AbsVal::unknown();
  }
  std::optional<LocKey> L = Engine->argumentPlace(CE, Param, S, true);
  if (L)
    L = detail::descend(*L, Sel);
  return L ? S.load(*L) : AbsVal::unknown();
}

std::unique_ptr<FunctionAnalysis>
FunctionAnalysis::runImpl(const Decl *D, ASTContext &Ctx, const ApiModel &Model,
                          unsigned Budget, CalleeSummaries &Summaries,
                          bool *GaveUp, bool ForSummary, bool StopWhenCut) {
  if (GaveUp)
    *GaveUp = false;
  const Stmt *Body = D->getBody();
  if (!Body || D->isInvalidDecl())
    return nullptr;
  if (const auto *DC = dyn_cast<DeclContext>(D); DC && DC->isDependentContext())
    return nullptr;
  std::unique_ptr<FunctionAnalysis> A(new FunctionAnalysis());
  A->D = D;
  A->FD = dyn_cast<FunctionDecl>(D);
  A->Ctx = &Ctx;
  A->Model = &Model;
  if (A->isLambda())
    A->Display = "this lambda";
  else if (A->FD)
    A->Display = "'" + A->FD->getNameAsString() + "'";
  else
    A->Display = "this block";
  // Names where each end is created, as the user wrote them.
  A->Engine = std::make_unique<FlowEngineImpl>(*A, Body, Budget, Summaries);
  A->Engine->SummaryMode = ForSummary;
  A->Engine->StopWhenCut = ForSummary && StopWhenCut;
  bool Ok = A->Engine->run();
  if (GaveUp)
    *GaveUp = A->Engine->gaveUp();
  if (!ForSummary && std::getenv("PIPE_TIDY_STATS")) {
    SourceLocation Loc = D->getLocation();
    llvm::errs() << "pipe-tidy-stats: "
                 << Loc.printToString(Ctx.getSourceManager()) << " "
                 << A->Display << " ends=" << A->Ends.size()
                 << " elements=" << A->Engine->elements()
                 << " work=" << A->Engine->work()
                 << " max-places=" << A->Engine->MaxLocs
                 << " max-escaped=" << A->Engine->MaxEscaped
                 << " blocks=" << A->Engine->blocks()
                 << " states=" << A->Engine->StoredStates
                 << " state-kb=" << A->Engine->peakBytes() / 1024
                 << " calls=" << A->Calls.size() << " exits=" << A->Exits.size()
                 << " tasks=" << A->Tasks.size()
                 << " task-events=" << A->TaskEvents.size()
                 << " sizeof-state=" << sizeof(PathState)
                 << (A->Engine->degraded() ? " over-budget degraded" : "")
                 << (A->Engine->gaveUp() ? " gave-up" : "") << "\n";
  }
  if (ForSummary && std::getenv("PIPE_TIDY_STATS"))
    llvm::errs() << "pipe-tidy-summary-run: " << A->Display
                 << " work=" << A->Engine->work()
                 << (A->Engine->gaveUp() ? " gave-up" : "") << "\n";
  if (!Ok)
    return nullptr;
  return A;
}

} // namespace clang::tidy::pipe
