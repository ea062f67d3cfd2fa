//===--- RoutineArgs.cpp - a struct given to a thread's start routine -----===//
//
// `pthread_create(&job.tid, 0, run, &job)`: the routine gets the struct
// through its `void *` and reads it as `struct job *j = arg;`. Handing
// the whole struct off (as to a function we cannot see) loses the ends
// the routine never touches, such as the reader's own read end kept in
// the same struct, so that a join before that read end is closed went
// unseen.
//
// In summary mode, a `void *` parameter that the body converts to one
// struct pointer type is a pointer to that struct (structViewOf(), used by
// seedSummaryParams()), so the routine's summary says which of the
// struct's places it leaves alone (FunctionSummary::Keeps). At the start,
// giveToRoutine() keeps those that the routine neither reads, writes nor
// closes; every other end in the struct is handed off to the thread, which
// holds it (startTask()). Without such a summary (no body, a routine
// that gives the pointer away, an opaque member), the argument is handed
// off whole, as before.
//
// A routine that reads one descriptor through its `void *`
// (`int fd = *(int *)arg;`, never `p[1]` or `p + 1`) is given the one
// place the argument names: `pthread_create(&t, 0, reader, &fds[0])` gives
// the thread `fds[0]` and leaves `fds[1]` the caller's, so that its close
// (or the missing one) is still seen.
//
// A read end in such a place that the routine reads to end-of-file
// (FunctionSummary::Drains) is one the thread reads to its end
// (TaskInfo::ReadsToEof): a join while a write end is open never returns.
//
// A write end in such a place that the routine uses and leaves open on
// every exit (FunctionSummary::Keeps with WrittenTo, ReadFrom or
// UnknownWrite: it neither closes nor gives it away) stays the caller's,
// UsedByTask, as a descriptor given by value does (RoutineEnds.cpp):
// nobody but the caller can close it.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

#include <functional>

namespace clang::tidy::pipe {

QualType FlowEngineImpl::structViewOf(const ParmVarDecl *P) const {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(P->getDeclContext());
  const Stmt *FnBody = FD ? FD->getBody() : nullptr;
  if (!FnBody)
    return QualType();
  QualType Found;
  bool Conflict = false, PointerStepped = false;
  llvm::SmallVector<const Stmt *, 64> Stack{FnBody};
  while (!Stack.empty() && !Conflict) {
    const Stmt *X = Stack.pop_back_val();
    if (!X)
      continue;
    if (const auto *CE = dyn_cast<CastExpr>(X);
        CE && CE->getCastKind() == CK_BitCast) {
      const auto *DRE =
          dyn_cast<DeclRefExpr>(CE->getSubExpr()->IgnoreParenImpCasts());
      QualType To = CE->getType().getCanonicalType();
      if (DRE && DRE->getDecl() == P) {
        const RecordDecl *RD = To->isPointerType()
                                   ? To->getPointeeType()->getAsRecordDecl()
                                   : nullptr;
        // `int fd = *(int *)arg;`: one descriptor, read where it points.
        bool OneDescriptor =
            To->isPointerType() &&
            mayHoldDescriptorValue(To->getPointeeType()) &&
            !To->getPointeeType()->isPointerType();
        if ((!OneDescriptor && (!RD || RD->isUnion())) ||
            (!Found.isNull() && Found != To.getUnqualifiedType()))
          Conflict = true;
        else
          Found = To.getUnqualifiedType();
      }
    }
    // Another descriptor than the one it points to (`p[1]`, `p + 1`) is
    // out of this view: an `int *` routine that indexes or moves a pointer
    // gets the argument handed off whole.
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(X);
        ASE && ASE->getBase()->IgnoreParenImpCasts()->getType()->isPointerType())
      PointerStepped = true;
    if (const auto *BO = dyn_cast<BinaryOperator>(X);
        BO && BO->isAdditiveOp() && BO->getType()->isPointerType())
      PointerStepped = true;
    if (const auto *UO = dyn_cast<UnaryOperator>(X);
        UO && UO->isIncrementDecrementOp() && UO->getType()->isPointerType())
      PointerStepped = true;
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  if (Conflict || Found.isNull())
    return QualType();
  if (!Found->getPointeeType()->getAsRecordDecl() && PointerStepped)
    return QualType();
  // The struct as the routine sees it, without the const it may add.
  return Ctx.getPointerType(
      Found->getPointeeType().getUnqualifiedType());
}

bool FlowEngineImpl::giveToRoutine(TaskId T, const Expr *Arg, PathState &S,
                                   bool Started) {
  const TaskCode &Code = TaskCodes[T];
  if (!Code.Start || Code.Callable.Lambda || !Code.Callable.Fn)
    return false;
  const FunctionDecl *Fn = Code.Callable.Fn;
  int Param = -1;
  bool Found = false;
  for (unsigned I = 0; I < Code.Start->Args.size(); ++I)
    if (Code.Start->Args[I] == Arg) {
      Param = int(I) - Code.Callable.ParamBase;
      Found = true;
    }
  // `std::thread(&Renderer::encode, this)`: the object of a member
  // function, its `*this` (SummarySlot::ThisParam in its summary).
  const auto *Method = dyn_cast<CXXMethodDecl>(Fn);
  const bool Object = Found && Param == -1 && Method && !Method->isStatic() &&
                      Code.Callable.ParamBase == 1;
  if (Object)
    Param = int(SummarySlot::ThisParam);
  else if (Param < 0 || unsigned(Param) >= Fn->getNumParams())
    return false;
  AbsVal V = eval(Arg, S);
  if (V.K != AbsVal::Addr)
    return false;
  LocKey L = V.loc();
  if (!isTrackableBase(L.Base) || S.escaped(L.Base))
    return false;
  // `&fds[0]` to a routine that reads one descriptor through its `void *`
  // (`int fd = *(int *)arg;`, structViewOf()): it gets that end, and the
  // array's other end stays the caller's.
  const ParmVarDecl *View = Object ? nullptr : Fn->getParamDecl(unsigned(Param));
  QualType AsOne = View && View->getType()->isVoidPointerType()
                       ? structViewOf(View)
                       : QualType();
  bool OneDescriptor =
      !AsOne.isNull() && !AsOne->getPointeeType()->getAsRecordDecl();
  if (L.Sel != 0 && !OneDescriptor)
    return false;
  const FunctionSummary *FS =
      functionSummaries(Summaries, Ctx, Budget).getRoutine(Fn);
  // A read end the routine reads to end-of-file there (`while ((n =
  // read(j->rd, ...)) > 0)`): joining the thread waits for every write
  // end to close.
  auto NoteReadToEof = [&](const AbsVal &X, SelPath Sel) {
    if (!Started || !FS || X.K != AbsVal::End || R.Ends[X.E].isWriteSide())
      return;
    SummarySlot Slot;
    Slot.K = SummarySlot::Pointee;
    Slot.Param = unsigned(Param);
    Slot.Sel = Sel;
    if (llvm::is_contained(FS->Drains, Slot) &&
        !llvm::is_contained(R.Tasks[T].ReadsToEof, X.E))
      R.Tasks[T].ReadsToEof.push_back(X.E);
  };
  if (OneDescriptor) {
    // Only the place the pointer names, and only a descriptor's place: the
    // thread holds the end there (a routine with no summary makes and
    // closes nothing, and may use it), the array's other places stay ours.
    AbsVal X = S.load(L);
    if (!mayHoldDescriptorValue(AsOne->getPointeeType()) ||
        (X.K != AbsVal::End && X.K != AbsVal::Unknown && X.K != AbsVal::Int))
      return false;
    bool AnyKept = false;
    bool Untouched = false;
    if (FS)
      for (const FunctionSummary::Kept &K : FS->Keeps)
        if (K.Slot.K == SummarySlot::Pointee &&
            K.Slot.Param == unsigned(Param) && K.Slot.Sel == 0) {
          AnyKept = true;
          Untouched = !(K.Flags & (WrittenTo | ReadFrom | UnknownWrite));
        }
    SummarySlot Slot;
    Slot.K = SummarySlot::Pointee;
    Slot.Param = unsigned(Param);
    // (Closed at its end but not on every path: PartlyCloses.)
    if (FS && !AnyKept && !FS->partlyCloses(Slot))
      return false; // it gave the pointer away
    if (!Started)
      return true; // no thread took it: still ours
    NoteReadToEof(X, 0);
    if (X.K == AbsVal::End && !Untouched && !keepUsedEnd(X.E, AnyKept, S) &&
        !(FS && closeAtRoutineEnd(T, X.E, *FS, Slot, S)))
      handOffValue(S, X);
    return true;
  }
  if (!FS)
    return false;
  // A place kept on every exit means the routine never gave the pointer
  // away (FunctionSummaries.cpp): the struct's other places change only
  // as the summary says.
  auto KeptUntouched = [&](SelPath Sel, bool &AnyKept) {
    bool Untouched = false;
    for (const FunctionSummary::Kept &K : FS->Keeps) {
      if (K.Slot.K != SummarySlot::Pointee || K.Slot.Param != unsigned(Param))
        continue;
      AnyKept = true;
      if (K.Slot.Sel == Sel)
        Untouched = !(K.Flags & (WrittenTo | ReadFrom | UnknownWrite));
    }
    return Untouched;
  };
  bool AnyKept = false;
  KeptUntouched(0, AnyKept);
  if (!AnyKept)
    return false;
  // The struct's own type, with only members the seeding follows: an
  // opaque member (a nested struct, an object) may hold what the summary
  // cannot see; one that can hold no descriptor at all (`char
  // magic[8]`) hides nothing.
  const RecordDecl *RD = nullptr;
  if (const auto *VD = dyn_cast<ValueDecl>(L.Base)) {
    QualType VT = VD->getType().getCanonicalType();
    if (VT->isPointerType())
      VT = VT->getPointeeType(); // a placeholder spelled as the pointer
    RD = VT->getAsRecordDecl();
  }
  if (!RD || !(RD = RD->getDefinition()))
    return false;
  // (A struct member made of such members, as deep as a place can be, is
  // followed as well: `struct pipe_pair in, out;`.)
  std::function<bool(const RecordDecl *, unsigned)> Followed =
      [&](const RecordDecl *Rec, unsigned Depth) {
        for (const FieldDecl *F : Rec->fields()) {
          QualType FT = F->getType().getCanonicalType();
          const RecordDecl *Inner = plainRecordDefinition(FT);
          const auto *CInner = dyn_cast_or_null<CXXRecordDecl>(Inner);
          bool Ok =
              F->getFieldIndex() < 16 &&
              (FT->isScalarType() || taskHandleKind(FT) ||
               (FT->isConstantArrayType() &&
                (mayHoldDescriptorValue(
                     cast<ConstantArrayType>(FT.getTypePtr())
                         ->getElementType()) ||
                 !objectMayHoldDescriptor(FT))) ||
               (Inner && Depth + 1 < MaxSelDepth &&
                !(CInner && hasOwnDestructor(CInner)) &&
                Followed(Inner, Depth + 1)));
          if (!Ok)
            return false;
        }
        return true;
      };
  if (!Followed(RD, 0))
    return false;
  llvm::SmallVector<std::pair<AbsVal, SelPath>, 4> Give;
  auto [Lo, Hi] = PathState::keysWithin(L);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t Key, const AbsVal &X) {
    if (X.K != AbsVal::End)
      return true;
    SelPath Sel = PathState::unpackLoc(Key).Sel;
    NoteReadToEof(X, Sel);
    bool Unused = false;
    if (KeptUntouched(Sel, Unused)) {
      // Threads share the process's descriptors: one the routine never
      // names is not the thread's to write or close (startTask() took
      // everything in the struct).
      if (Started) {
        auto &Holds = R.Tasks[T].Holds;
        Holds.erase(std::remove(Holds.begin(), Holds.end(), X.E),
                    Holds.end());
      }
      return true;
    }
    bool KeptOpen = llvm::any_of(FS->Keeps, [&](const FunctionSummary::Kept &K) {
      return K.Slot.K == SummarySlot::Pointee &&
             K.Slot.Param == unsigned(Param) && K.Slot.Sel == Sel;
    });
    if (!Started || !keepUsedEnd(X.E, KeptOpen, S))
      Give.push_back({X, Sel});
    return true;
  });
  for (auto [X, Sel] : Give) {
    SummarySlot Slot;
    Slot.K = SummarySlot::Pointee;
    Slot.Param = unsigned(Param);
    Slot.Sel = Sel;
    if (!Started || !closeAtRoutineEnd(T, X.E, *FS, Slot, S))
      handOffValue(S, X);
  }
  return true;
}

bool FlowEngineImpl::giveRecordKeepingHandle(TaskId T, const Expr *Arg,
                                             PathState &S) {
  const LocKey Handle = R.Tasks[T].Place;
  AbsVal V = eval(Arg, S);
  if (!Handle.Base || V.K != AbsVal::Addr)
    return false;
  LocKey L = V.loc();
  const auto *VD = dyn_cast_or_null<VarDecl>(L.Base);
  if (L.Sel != 0 || !VD || Handle.Base != L.Base || depthOf(Handle) != 1 ||
      !isFieldSel(uint16_t(Handle.Sel)) || !isTrackableBase(VD) ||
      S.escaped(VD))
    return false;
  // A struct variable, or (summary mode) the caller's struct a pointer
  // parameter points to, spelled as the pointer.
  QualType VT = VD->getType().getCanonicalType();
  if (VT->isPointerType())
    VT = VT->getPointeeType();
  const RecordDecl *RD = VT->getAsRecordDecl();
  if (!RD || !(RD = RD->getDefinition()))
    return false;
  handOffEndsWithin(S, L);
  forgetNumbersWithin(S, L);
  for (const FieldDecl *F : RD->fields())
    if (std::optional<LocKey> M = child(L, fieldSel(F->getFieldIndex()));
        M && !isWithin(Handle, *M))
      markMemberEscaped(S, *M);
  return true;
}

} // namespace clang::tidy::pipe
