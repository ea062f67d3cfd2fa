//===--- FunctionSummaries.cpp - pipes made and closed by a helper --------===//

#include "summaries/FunctionSummaries.h"
#include "AstQueries.h"
#include "summaries/CalleeSummary.h"
#include "summaries/ClassModel.h"
#include "summaries/StartPipes.h"
#include "models/BoostPipeModel.h"
#include "models/Callbacks.h"
#include "models/TaskModel.h"
#include "engine/EngineShared.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <vector>

namespace clang::tidy::pipe {


/// A `return` of an integer that is negative on that path (`return
/// -EPROTO;`, `return rc;` under `if (rc < 0)`): a failure the caller is
/// told of.
static bool returnsFailure(const FunctionAnalysis &A, const ExitPoint &X,
                           const PathState &S) {
  const auto *RS = dyn_cast_or_null<ReturnStmt>(X.S);
  const Expr *RV = RS ? RS->getRetValue() : nullptr;
  if (X.K != ExitPoint::Return || !RV || !RV->getType()->isIntegerType())
    return false;
  AbsVal V = A.valueOf(RV, S);
  return V.K == AbsVal::Int && V.Hi < 0;
}

FunctionSummaries &functionSummaries(CalleeSummaries &Callees,
                                     ASTContext &Ctx, unsigned Budget) {
  if (!Callees.Functions)
    Callees.Functions = std::make_shared<FunctionSummaries>(
        Ctx, Callees.model(), Budget, Callees);
  return *Callees.Functions;
}

const FunctionDecl *FunctionSummaries::summarisable(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def->isDependentContext())
    return nullptr;
  // Library code is modelled by the API table, not read.
  if (Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return nullptr;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Def)) {
    // A virtual call may run an override we do not see. A constructor and
    // a destructor are summarised for a local object's construction and
    // destruction (engine/ObjectCalls.cpp).
    if (MD->isVirtual())
      return nullptr;
  }
  return Def;
}

ClassModel &FunctionSummaries::classes() {
  if (!Classes)
    Classes = std::make_shared<ClassModel>(*this);
  return *Classes;
}

bool FunctionSummaries::holdsClassPipes(const Decl *D) {
  const auto *FD = dyn_cast<FunctionDecl>(D);
  return FD && isa<CXXMethodDecl>(FD) &&
         (!classes().heldPipes(FD).empty() ||
          (isa<CXXDestructorDecl>(FD) && !classes().heldTasks(FD).empty()));
}

SummarySlot slotOf(const FunctionAnalysis::SeededPlace &Seed) {
  SummarySlot Sl;
  if (Seed.Captured) {
    Sl.K = SummarySlot::Captured;
    Sl.Var = Seed.Captured;
    Sl.Sel = Seed.Place.Sel;
  } else if (Seed.ByValue) {
    Sl.K = SummarySlot::Value;
    Sl.Param = Seed.Param;
  } else {
    Sl.K = SummarySlot::Pointee;
    Sl.Param = Seed.Param;
    Sl.Sel = Seed.Place.Sel;
  }
  return Sl;
}



std::optional<FunctionSummary>
FunctionSummaries::compute(const FunctionDecl *Def,
                           llvm::ArrayRef<CallbackBinding> Bound) {
  // Calls through the bound function-pointer parameters are calls of the
  // functions bound to them while the body is analysed.
  CallbackScope Scope(Bound);
  std::unique_ptr<FunctionAnalysis> A =
      FunctionAnalysis::runForSummary(Def, Ctx, Model, Budget, Callees,
                                      /*StopWhenCut=*/true);
  if (!A)
    return std::nullopt;
  FunctionSummary Sum;
  QualType RetT = Def->getReturnType().getCanonicalType();
  // A struct returned by value, or a pointer to an object it allocates:
  // the ends are in its members (ResultShape, FunctionAnalysis.h).
  const ResultShape Result(RetT);
  const bool RecordResult = Result.Record, PointerResult = Result.Pointer;
  bool NonVoid = !RetT->isVoidType() && !RecordResult && !PointerResult;
  const llvm::SmallVector<SelPath, 8> &StructSels = Result.Sels;

  // Closer: a seeded parameter end closed at every exit, but those where a
  // test showed that the place held no descriptor (`if (fd >= 0)
  // close(fd);`: NotCreated, which a caller's real end never takes), and
  // closed at one at least.
  llvm::SmallVector<std::pair<EndId, bool>, 8> ParamClosed;
  llvm::SmallVector<bool, 8> ParamClosedSomewhere;
  for (EndId E = 0; E < A->ends().size(); ++E)
    if (A->seedOf(E)) {
      ParamClosed.push_back({E, true});
      ParamClosedSomewhere.push_back(false);
    }

  // Kept: every seeded place still holds its own end, open, at every exit.
  llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds = A->seededPlaces();
  llvm::SmallVector<bool, 8> PlaceKept(Seeds.size(), true);
  // A caller's place that holds, on some exit, another end than its own
  // (`fd_ = fd;` storing a parameter): not merely lost (PartlyKeptParams).
  llvm::SmallVector<bool, 8> HoldsOther(Seeds.size(), false);
  llvm::SmallVector<uint16_t, 8> OrFlags(Seeds.size(), 0),
      AndFlags(Seeds.size(), uint16_t(~0u)),
      AndDrained(Seeds.size(), uint16_t(~0u));
  auto SeedEnd = [&](unsigned I) -> std::optional<EndId> {
    for (EndId E = 0; E < A->ends().size(); ++E)
      if (const FunctionAnalysis::SeededPlace *P = A->seedOf(E);
          P && P == &Seeds[I])
        return E;
    return std::nullopt;
  };
  llvm::SmallVector<std::optional<EndId>, 8> SeedEnds;
  for (unsigned I = 0; I < Seeds.size(); ++I)
    SeedEnds.push_back(SeedEnd(I));
  // Stores: the caller's place I holds, open, the end of by-value seed
  // StoredFrom[I] on every exit (-1: not yet seen; -2: not a store).
  llvm::SmallVector<int, 8> StoredFrom(Seeds.size(), -1);
  // Moves: the caller's place I holds, open, the end of another caller's
  // place MovedFrom[I] on every exit (-1: not yet seen; -2: not a move).
  llvm::SmallVector<int, 8> MovedFrom(Seeds.size(), -1);
  // Drops: the end of the caller's place I is open and in no place at all
  // on every exit where it was created.
  llvm::SmallVector<bool, 8> Dropped(Seeds.size(), true),
      DroppedSomewhere(Seeds.size(), false);
  // The caller's seed (a by-value argument, or a place) whose end \p E is.
  auto SeedOf = [&](EndId E, bool ByValue) -> int {
    for (unsigned J = 0; J < Seeds.size(); ++J)
      if (SeedEnds[J] && *SeedEnds[J] == E && Seeds[J].ByValue == ByValue &&
          !Seeds[J].Captured)
        return int(J);
    return -2;
  };

  // Creator: nothing else done, no task started (a caller's task waited
  // for is a Join, below).
  bool CreatorOk = llvm::all_of(
      A->tasks(), [](const TaskInfo &T) { return T.FromCaller; });
  // Joins: a caller's task joined on every exit.
  llvm::SmallVector<bool, 2> JoinedEverywhere(A->tasks().size(), true);
  bool AnyExit = false, HaveOk = false, HaveFail = false;
  bool OkKnown = true, FailKnown = true;
  unsigned DrainExits = 0;
  // A std::optional returned (ResultShape::Optional) is empty on every
  // failure exit.
  bool EmptyOnFailure = Result.Optional;
  CreatorSummary C;
  uint16_t Flags = Cloexec | Nonblock;
  int64_t OkLo = INT64_MAX, OkHi = INT64_MIN, FailLo = INT64_MAX,
          FailHi = INT64_MIN;
  bool Socket = false;
  // Failure exits of a function returning a struct: where the struct is,
  // to read the members the success exits put the ends in.
  llvm::SmallVector<std::pair<const PathState *, LocKey>, 2> FailedStructs;
  // And the success exits', to read what they put in its other members.
  llvm::SmallVector<std::pair<const PathState *, LocKey>, 2> OkStructs;

  A->forEachExit([&](const ExitPoint &X, const PathState &S) {
    AnyExit = true;
    bool DrainExit = !S.allocFailed() && !returnsFailure(*A, X, S);
    DrainExits += DrainExit;
    for (TaskId T = 0; T < A->tasks().size(); ++T)
      if (A->tasks()[T].FromCaller && S.taskStatus(T) != TaskJoined)
        JoinedEverywhere[T] = false;
    for (unsigned I = 0; I < ParamClosed.size(); ++I) {
      uint8_t St = S.status(ParamClosed[I].first);
      if (St == Closed)
        ParamClosedSomewhere[I] = true;
      else if (St != NotCreated)
        ParamClosed[I].second = false;
    }
    for (unsigned I = 0; I < Seeds.size(); ++I) {
      const FunctionAnalysis::SeededPlace &P = Seeds[I];
      if (!SeedEnds[I]) {
        // A place standing for a whole array or struct: only its elements
        // hold ends; members it does not follow may hold more.
        if (P.Opaque || (!P.ByValue && S.escaped(P.Place.Base)))
          PlaceKept[I] = false;
        continue;
      }
      EndId E = *SeedEnds[I];
      // A count kept in the caller's place (`total_ += n`): no descriptor
      // of the caller's was there to change.
      if (!P.ByValue && S.hasFlag(E, Numeric) && S.status(E) == Open &&
          !S.escaped(P.Place.Base)) {
        Dropped[I] = false;
        StoredFrom[I] = MovedFrom[I] = -2;
        AndDrained[I] = 0;
        continue;
      }
      AbsVal V = P.ByValue ? AbsVal::end(E) : S.load(P.Place);
      if (S.status(E) != Open || V.K != AbsVal::End || V.E != E ||
          (!P.ByValue && S.escaped(P.Place.Base)))
        PlaceKept[I] = false;
      // Another of the caller's ends, still open, now there (a closed one
      // is a number the function is done with: `close(); std::swap(fd_,
      // rhs.fd_);` leaves rhs holding what close() shut).
      if (V.K == AbsVal::End && V.E != E && S.status(V.E) != Closed)
        HoldsOther[I] = true;
      // The same other seed's end, open, here on every exit (Stores from
      // a by-value argument, Moves from another place).
      auto HoldsSeed = [&](int &From, bool ByValue) {
        if (From == -2)
          return;
        int J = V.K == AbsVal::End && V.E != E && S.status(V.E) == Open &&
                        !S.escaped(P.Place.Base)
                    ? SeedOf(V.E, ByValue)
                    : -2;
        From = From == -1 || From == J ? J : -2;
      };
      if (!P.ByValue)
        HoldsSeed(StoredFrom[I], true);
      if (!P.ByValue && !P.Captured)
        HoldsSeed(MovedFrom[I], false);
      if (P.ByValue || P.Captured || S.escaped(P.Place.Base)) {
        Dropped[I] = false;
      } else if (uint8_t St = S.status(E);
                 St == Open && !S.locationOf(E) && !S.hasFlag(E, Lost)) {
        DroppedSomewhere[I] = true;
      } else if (St != NotCreated) {
        Dropped[I] = false;
      }
      OrFlags[I] |= S.flags(E) & (WrittenTo | ReadFrom | UnknownWrite);
      AndFlags[I] &= S.flags(E);
      // Read to its end: asked of the exits where no allocation failed and
      // that report no failure (`return -EPROTO;` on a bad record stops
      // the read early, but only there).
      if (DrainExit)
        AndDrained[I] &= S.flags(E);
    }
    if (!CreatorOk)
      return;
    if (X.K == ExitPoint::Throw) {
      // An exception that leaves open nothing the function made (`if
      // (pipe(fds_) != 0) throw ...;` in a constructor) is no outcome of
      // the call: the caller's own exception paths take it
      // (ThrowSummaries).
      if (!throwIsNoOutcome(*A, X, S, std::nullopt))
        CreatorOk = false;
      return;
    }
    // A pointee whose address the helper gave away: the caller's places
    // may change behind its back.
    for (const FunctionAnalysis::SeededPlace &P : Seeds)
      if (!P.ByValue && S.escaped(P.Place.Base))
        CreatorOk = false;
    // The struct it returns by value, a variable of its own, or the object
    // it allocated and returns.
    std::optional<AbsVal> Ret;
    std::optional<LocKey> RetStruct = Result.returnedPlace(*A, X.S, S, Ret);
    llvm::SmallVector<EndId, 2> OpenEnds;
    // The caller's ends it closed (`rd.reset(fds[0])` closing what `rd`
    // held): only where a new end took their place (Replaces).
    llvm::SmallVector<EndId, 2> ClosedParams;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A->ends()[E];
      uint8_t St = S.status(E);
      // The end it returns: handed off to the caller, who gets it open.
      if (Ret && Ret->K == AbsVal::End && Ret->E == E && St == HandedOff)
        St = Open;
      if (Info.Kind == EndKind::Parameter) {
        // The creator changes nothing else of its caller's.
        if (St == Closed)
          ClosedParams.push_back(E);
        else if (St != Open)
          CreatorOk = false;
        return;
      }
      if (St & HandedOff)
        CreatorOk = false;
      if (!(St & Open))
        return;
      if (St != Open ||
          (S.flags(E) & ~uint16_t(Cloexec | Nonblock)) ||
          Info.Kind == EndKind::Duplicate)
        CreatorOk = false;
      OpenEnds.push_back(E);
    });
    if (!CreatorOk)
      return;
    if (OpenEnds.empty()) {
      // Failure: nothing it made stays open, nothing of the caller's is
      // closed.
      if (!ClosedParams.empty()) {
        CreatorOk = false;
        return;
      }
      HaveFail = true;
      if (RecordResult) {
        if (RetStruct) {
          FailedStructs.push_back({&S, *RetStruct});
          EmptyOnFailure = false;
        } else if (Result.returnsEmpty(X.S)) {
          // `return std::nullopt;`: no descriptor at all.
          FailLo = std::min<int64_t>(FailLo, -1);
          FailHi = std::max<int64_t>(FailHi, -1);
        } else {
          FailKnown = false;
        }
        return;
      }
      if (PointerResult) {
        // NULL, and no object: the caller tells failure by it.
        if (!(Ret && Ret->K == AbsVal::Int && Ret->Lo == 0 && Ret->Hi == 0))
          FailKnown = false;
        return;
      }
      if (!NonVoid)
        return;
      if (Ret && Ret->K == AbsVal::Int) {
        FailLo = std::min(FailLo, Ret->Lo);
        FailHi = std::max(FailHi, Ret->Hi);
      } else {
        FailKnown = false;
      }
      return;
    }
    // `dup2(p[1], 1); close(p[1]);` with the read end for the caller: the
    // write end lives on as the caller's standard descriptor.
    int CopyFd = -1;
    if (OpenEnds.size() == 1 &&
        A->ends()[OpenEnds[0]].Kind == EndKind::PipeRead) {
      int Peer = A->ends()[OpenEnds[0]].Peer;
      for (const PathState::FdCopy &FC : S.fdCopies())
        if (Peer >= 0 && FC.E == EndId(Peer) && CopyFd < 0 &&
            S.status(FC.E) == Closed && FC.Fd >= 0 && FC.Fd <= 2)
          CopyFd = FC.Fd;
      if (CopyFd >= 0)
        OpenEnds.push_back(EndId(Peer));
    }
    // The pipes left open, in the order of their calls in the source (so
    // that messages name them in that order): each the end made first,
    // then its peer.
    llvm::sort(OpenEnds);
    llvm::SmallVector<std::pair<EndId, EndId>, 2> Pipes;
    for (EndId E : OpenEnds) {
      int Peer = A->ends()[E].Peer;
      if (Peer < 0 || !llvm::is_contained(OpenEnds, EndId(Peer))) {
        CreatorOk = false; // one end of a pipe, the other closed
        return;
      }
      if (EndId(Peer) > E)
        Pipes.push_back({E, EndId(Peer)});
    }
    const SourceManager &SM = Ctx.getSourceManager();
    llvm::stable_sort(Pipes, [&](const auto &L, const auto &R) {
      const Expr *OL = A->ends()[L.first].Origin,
                 *OR = A->ends()[R.first].Origin;
      return OL && OR &&
             SM.isBeforeInTranslationUnit(OL->getBeginLoc(), OR->getBeginLoc());
    });
    llvm::SmallVector<EndId, 4> Paired;
    for (const auto &P : Pipes)
      Paired.append({P.first, P.second});
    if (Paired.size() < 2 || Paired.size() > 8 ||
        (Paired.size() > 2 && CopyFd >= 0)) {
      CreatorOk = false;
      return;
    }
    OpenEnds.assign(Paired.begin(), Paired.end());
    bool ThisSocket = A->ends()[OpenEnds[0]].Kind == EndKind::SocketEnd;
    llvm::SmallVector<SummarySlot, 4> Slots(OpenEnds.size());
    bool Returned = false;
    for (unsigned K = 0; K < OpenEnds.size(); ++K) {
      EndId E = OpenEnds[K];
      bool Found = false;
      if (K == 1 && CopyFd >= 0)
        continue; // no place: the copy at CopyFd holds it
      if (Ret && Ret->K == AbsVal::End && Ret->E == E) {
        Slots[K].K = SummarySlot::Returned;
        Found = Returned = true;
      }
      if (!Found && RetStruct)
        for (SelPath Sel : StructSels) {
          AbsVal V = S.load(LocKey{RetStruct->Base, Sel});
          if (V.K == AbsVal::End && V.E == E) {
            Slots[K].K = SummarySlot::ReturnedSub;
            Slots[K].Sel = Sel;
            Found = true;
            break;
          }
        }
      for (const FunctionAnalysis::SeededPlace &P : Seeds) {
        if (Found || P.ByValue)
          continue;
        AbsVal V = S.load(P.Place);
        if (V.K == AbsVal::End && V.E == E) {
          Slots[K] = slotOf(P);
          Found = true;
        }
      }
      if (!Found) {
        CreatorOk = false; // open in a place its caller cannot reach
        return;
      }
      if (K < 2)
        Flags &= S.flags(E);
    }
    // The caller's places whose end it closed hold a new end now.
    llvm::SmallVector<SummarySlot, 2> Replaced;
    for (unsigned I = 0; I < Seeds.size(); ++I) {
      if (!SeedEnds[I] || !llvm::is_contained(ClosedParams, *SeedEnds[I]))
        continue;
      AbsVal V = Seeds[I].ByValue ? AbsVal::unknown() : S.load(Seeds[I].Place);
      if (V.K != AbsVal::End || !llvm::is_contained(OpenEnds, V.E)) {
        CreatorOk = false;
        return;
      }
      Replaced.push_back(slotOf(Seeds[I]));
    }
    if (HaveOk && Replaced != C.Replaces) {
      CreatorOk = false;
      return;
    }
    C.Replaces = Replaced;
    // More than one pipe: each in a place of the caller's.
    if (OpenEnds.size() > 2 && Returned) {
      CreatorOk = false;
      return;
    }
    llvm::SmallVector<CreatorSummary::MorePipe, 1> More;
    for (unsigned K = 2; K + 1 < OpenEnds.size(); K += 2) {
      CreatorSummary::MorePipe P;
      P.Socket = A->ends()[OpenEnds[K]].Kind == EndKind::SocketEnd;
      P.Ends[0] = Slots[K];
      P.Ends[1] = Slots[K + 1];
      P.Flags = uint16_t(S.flags(OpenEnds[K]) & S.flags(OpenEnds[K + 1]) &
                         (Cloexec | Nonblock));
      More.push_back(P);
    }
    // What every success exit set on them.
    if (HaveOk && More.size() == C.MorePipes.size())
      for (unsigned K = 0; K < More.size(); ++K)
        More[K].Flags &= C.MorePipes[K].Flags;
    if (HaveOk && (ThisSocket != Socket || Slots[0] != C.Ends[0] ||
                   Slots[1] != C.Ends[1] || Returned != C.ReturnsEnd ||
                   CopyFd != C.WriteCopyFd || More != C.MorePipes)) {
      CreatorOk = false; // success exits disagree on where the ends go
      return;
    }
    HaveOk = true;
    if (RecordResult && RetStruct)
      OkStructs.push_back({&S, *RetStruct});
    Socket = ThisSocket;
    C.Ends[0] = Slots[0];
    C.Ends[1] = Slots[1];
    C.MorePipes = More;
    C.WriteCopyFd = CopyFd;
    C.ReturnsEnd = Returned;
    if (!NonVoid)
      return;
    if (Returned) {
      OkLo = std::min<int64_t>(OkLo, 0);
      OkHi = INT64_MAX;
    } else if (Ret && Ret->K == AbsVal::Int) {
      OkLo = std::min(OkLo, Ret->Lo);
      OkHi = std::max(OkHi, Ret->Hi);
    } else {
      OkKnown = false;
    }
  });

  if (!AnyExit)
    return Sum;
  for (TaskId T = 0; T < A->tasks().size(); ++T) {
    const TaskInfo &Info = A->tasks()[T];
    if (!Info.FromCaller || !JoinedEverywhere[T])
      continue;
    // The seeded place the handle is in, or a place below the same
    // pointee (a member the seeding did not follow: `std::thread t`).
    for (const FunctionAnalysis::SeededPlace &P : Seeds) {
      if (P.Place.Base != Info.Place.Base)
        continue;
      SummarySlot Sl = slotOf(P);
      if (Sl.K != SummarySlot::Value)
        Sl.Sel = Info.Place.Sel;
      if (!llvm::is_contained(Sum.Joins, Sl))
        Sum.Joins.push_back(Sl);
      break;
    }
  }
  for (unsigned I = 0; I < ParamClosed.size(); ++I)
    if (ParamClosed[I].second && ParamClosedSomewhere[I])
      Sum.Closes.push_back(slotOf(*A->seedOf(ParamClosed[I].first)));
  // The caller's descriptors read to their end on every exit.
  // (And those read from on some exit, if not drained: Reads.)
  for (unsigned I = 0; I < Seeds.size(); ++I) {
    if (!SeedEnds[I])
      continue;
    if (DrainExits && (AndDrained[I] & Drained))
      Sum.Drains.push_back(slotOf(Seeds[I]));
    else if (OrFlags[I] & ReadFrom)
      Sum.Reads.push_back(slotOf(Seeds[I]));
  }
  readWritesBeforeReads(*A, Sum, *this);
  if (!Sum.Drains.empty())
    Sum.DrainsBeforeRedirect = readsBeforeRedirecting(
        Def->getBody(), Model, Ctx.getSourceManager());
  // The caller's descriptors closed, or read to the end, at every join of
  // a caller's task.
  if (!Sum.Joins.empty()) {
    llvm::SmallVector<bool, 8> ClosedAtJoins(Seeds.size(), true),
        DrainedAtJoins(Seeds.size(), true), ReadAtJoins(Seeds.size(), true);
    bool AnyJoin = false;
    Sum.JoinsDiscardResult = true;
    A->forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
      if (Ev.K != TaskEvent::Join || !A->tasks()[Ev.Task].FromCaller)
        return;
      AnyJoin = true;
      Sum.JoinsDiscardResult &= joinDiscardsResult(
          dyn_cast_or_null<CallExpr>(Ev.At), Model, Ctx, this);
      for (unsigned I = 0; I < Seeds.size(); ++I) {
        // (NotCreated: a test showed the place held no descriptor.)
        if (!SeedEnds[I] || (S.status(*SeedEnds[I]) != Closed &&
                             S.status(*SeedEnds[I]) != NotCreated))
          ClosedAtJoins[I] = false;
        if (!SeedEnds[I] || !(S.flags(*SeedEnds[I]) & Drained))
          DrainedAtJoins[I] = false;
        if (!SeedEnds[I] || !(S.flags(*SeedEnds[I]) & ReadFrom))
          ReadAtJoins[I] = false;
      }
    });
    for (unsigned I = 0; AnyJoin && I < Seeds.size(); ++I) {
      if (ClosedAtJoins[I])
        Sum.ClosedBeforeJoins.push_back(slotOf(Seeds[I]));
      if (DrainedAtJoins[I])
        Sum.DrainedBeforeJoins.push_back(slotOf(Seeds[I]));
      else if (ReadAtJoins[I])
        Sum.ReadBeforeJoins.push_back(slotOf(Seeds[I]));
    }
  }
  readPartCloses(*A, Def, Sum);
  if (!Sum.Joins.empty()) {
    readDrainsAfterJoins(*A, Sum);
    readClosesAfterJoins(*A, Sum, *this);
  }
  Sum.Starts = startOf(*A, Seeds, NonVoid);
  // The caller's place the handle goes to (`*pid_out = pid;`) is written
  // by the start itself, at the call: the argument stays the caller's.
  if (Sum.Starts && Sum.Starts->Handle.K == SummarySlot::Pointee)
    for (unsigned I = 0; I < Seeds.size(); ++I)
      if (!Seeds[I].ByValue && !Seeds[I].Captured &&
          slotOf(Seeds[I]) == Sum.Starts->Handle)
        PlaceKept[I] = true;
  Sum.Bound.assign(Bound.begin(), Bound.end());
  if (Sum.Starts) {
    // What a call through a parameter in the task's code runs: the
    // bindings alive here (this call's, and those of the calls above).
    for (const CallbackBinding &B : activeCallbacks())
      if (!llvm::is_contained(Sum.Starts->Callbacks, B))
        Sum.Starts->Callbacks.push_back(B);
  }

  // Kept places, and the arguments all of whose places are kept.
  llvm::SmallVector<unsigned, 4> ParamsSeen, ParamsLost;
  llvm::SmallVector<const ValueDecl *, 2> CapsSeen, CapsLost;
  for (unsigned I = 0; I < Seeds.size(); ++I) {
    const FunctionAnalysis::SeededPlace &P = Seeds[I];
    if (P.Captured) {
      if (!llvm::is_contained(CapsSeen, P.Captured))
        CapsSeen.push_back(P.Captured);
      if (!PlaceKept[I])
        CapsLost.push_back(P.Captured);
    } else {
      if (!llvm::is_contained(ParamsSeen, P.Param))
        ParamsSeen.push_back(P.Param);
      if (!PlaceKept[I])
        ParamsLost.push_back(P.Param);
    }
    if (PlaceKept[I] && SeedEnds[I])
      Sum.Keeps.push_back(
          {slotOf(P), uint16_t(OrFlags[I] | (AndFlags[I] & Drained))});
  }
  for (unsigned P : ParamsSeen)
    if (!llvm::is_contained(ParamsLost, P))
      Sum.KeptParams.push_back(P);
  // A record argument kept as a whole (not given away, no member the
  // seeding does not follow) whose lost places are each a descriptor's:
  // only those leave the caller.
  llvm::sort(ParamsLost);
  ParamsLost.erase(std::unique(ParamsLost.begin(), ParamsLost.end()),
                   ParamsLost.end());
  for (unsigned P : ParamsLost) {
    bool WholeKept = false, OnlyEnds = true;
    llvm::SmallVector<SummarySlot, 2> Lost;
    for (unsigned I = 0; I < Seeds.size(); ++I) {
      const FunctionAnalysis::SeededPlace &SP = Seeds[I];
      if (SP.Captured || SP.Param != P)
        continue;
      if (SP.ByValue) {
        OnlyEnds = false;
        break;
      }
      if (!SeedEnds[I]) {
        if (SP.Place.Sel == 0 && !SP.Opaque && PlaceKept[I])
          WholeKept = true;
        else if (!PlaceKept[I])
          OnlyEnds = false;
        continue;
      }
      if (!PlaceKept[I]) {
        // Something of the caller's stored there, but for an argument the
        // summary says it stores (Stores).
        if (HoldsOther[I] && StoredFrom[I] < 0 && MovedFrom[I] < 0)
          OnlyEnds = false;
        Lost.push_back(slotOf(SP));
      }
    }
    // A pointer to one descriptor (`int *slot`, given `&w` or `&c->fd`)
    // that the function stores over, moves from or drops: the place stays
    // the caller's, as a struct's would.
    if (!WholeKept && OnlyEnds && Lost.size() == 1)
      for (unsigned I = 0; I < Seeds.size(); ++I)
        if (!Seeds[I].Captured && Seeds[I].Param == P && !Seeds[I].ByValue &&
            Seeds[I].Place.Sel == 0 && !Seeds[I].Opaque && SeedEnds[I] &&
            (StoredFrom[I] >= 0 || MovedFrom[I] >= 0 ||
             (Dropped[I] && DroppedSomewhere[I])))
          WholeKept = true;
    if (WholeKept && OnlyEnds && !Lost.empty()) {
      Sum.PartlyKeptParams.push_back(P);
      Sum.LostPlaces.append(Lost.begin(), Lost.end());
    }
  }
  for (const ValueDecl *V : CapsSeen)
    if (!llvm::is_contained(CapsLost, V))
      Sum.KeptCaptures.push_back(V);
  // The stores of by-value arguments into the caller's places, of those
  // arguments the caller keeps.
  for (unsigned I = 0; AnyExit && I < Seeds.size(); ++I)
    if (StoredFrom[I] >= 0 && Sum.keepsParam(Seeds[StoredFrom[I]].Param))
      Sum.Stores.push_back({slotOf(Seeds[I]), Seeds[StoredFrom[I]].Param});
  // What moves between the caller's places, and what it loses track of,
  // open: only of arguments whose record stays the caller's.
  auto CallerKeeps = [&](unsigned Param) {
    return Sum.keepsParam(Param) || Sum.partlyKeepsParam(Param);
  };
  for (unsigned I = 0; AnyExit && I < Seeds.size(); ++I) {
    if (MovedFrom[I] >= 0 && CallerKeeps(Seeds[I].Param) &&
        CallerKeeps(Seeds[MovedFrom[I]].Param))
      Sum.Moves.push_back({slotOf(Seeds[I]), slotOf(Seeds[MovedFrom[I]])});
    if (SeedEnds[I] && Dropped[I] && DroppedSomewhere[I] &&
        CallerKeeps(Seeds[I].Param))
      Sum.Drops.push_back(slotOf(Seeds[I]));
  }

  // A struct returned by value: on failure, the members that hold the ends
  // on success hold no descriptor.
  llvm::SmallVector<SummarySlot, 4> AllSlots = C.allSlots();
  bool InStruct = HaveOk && llvm::any_of(AllSlots, [](const SummarySlot &Sl) {
                    return Sl.K == SummarySlot::ReturnedSub;
                  });
  bool AllInStruct = llvm::all_of(AllSlots, [](const SummarySlot &Sl) {
    return Sl.K == SummarySlot::ReturnedSub;
  });
  if (CreatorOk && HaveOk && PointerResult) {
    if (!InStruct || !AllInStruct)
      CreatorOk = false;
    FailLo = FailHi = 0;
  }
  if (CreatorOk && HaveOk && RecordResult) {
    if (!InStruct || !AllInStruct) {
      CreatorOk = false;
    } else if (HaveFail && FailKnown) {
      for (const auto &F : FailedStructs)
        for (const SummarySlot &Sl : AllSlots) {
          LocKey L{F.second.Base, Sl.Sel};
          AbsVal V = F.first->load(L);
          if (V.K != AbsVal::Int) {
            FailKnown = false;
            continue;
          }
          FailLo = std::min(FailLo, V.Lo);
          FailHi = std::max(FailHi, V.Hi);
        }
    }
  }
  // The struct's other integer members that every success exit sets to
  // the same constant (`pp.err = 0`): a caller's test of one that finds
  // another value (`if (pp.err) return -1;`) is on a failure path.
  if (CreatorOk && HaveOk && RecordResult && InStruct && AllInStruct &&
      !PointerResult && !OkStructs.empty())
    if (const RecordDecl *RD = Def->getReturnType()->getAsRecordDecl())
      for (const FieldDecl *FD : RD->fields()) {
        uint16_t Sel = detail::fieldSel(FD->getFieldIndex());
        if (!FD->getType()->isIntegralOrEnumerationType() ||
            llvm::any_of(AllSlots,
                         [&](const SummarySlot &Sl) { return Sl.Sel == Sel; }))
          continue;
        std::optional<int64_t> Same;
        for (const auto &O : OkStructs) {
          AbsVal V = O.first->load(LocKey{O.second.Base, Sel});
          if (V.K != AbsVal::Int || V.Lo != V.Hi || (Same && *Same != V.Lo)) {
            Same.reset();
            break;
          }
          Same = V.Lo;
        }
        if (Same && C.OkMembers.size() < 4)
          C.OkMembers.push_back({Sel, *Same});
      }
  if (CreatorOk && HaveOk) {
    // Both outcomes are possible: the result must tell them apart.
    bool Apart = !HaveFail;
    if (HaveFail && InStruct && PointerResult)
      Apart = FailKnown;
    else if (HaveFail && InStruct)
      Apart = FailKnown && FailHi < 0;
    else if (HaveFail && NonVoid && OkKnown && FailKnown)
      Apart = OkHi < FailLo || FailHi < OkLo;
    if (Apart) {
      C.Socket = Socket;
      C.Flags = Flags;
      C.HasFailure = HaveFail;
      C.InReturnedStruct = InStruct;
      C.ReturnsObjectPointer = PointerResult;
      C.ReturnsOptional = Result.Optional;
      C.EmptyOnFailure = HaveFail && EmptyOnFailure;
      if (NonVoid && OkKnown) {
        C.OkLo = OkLo;
        C.OkHi = OkHi;
      }
      if (HaveFail) {
        C.FailLo = FailLo;
        C.FailHi = FailHi;
      }
      Sum.Creator = C;
    }
  }
  return Sum;
}

} // namespace clang::tidy::pipe
