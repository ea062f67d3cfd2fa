//===--- AbstractState.cpp - the path state and abstract values -----------===//
//
// AbsVal and PathState (AbstractState.h): equality, places, ends and tasks
// of one path state. How states join is Fixpoint.cpp.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

namespace detail {
/// `cond ? dup(fd) : -1`, or a variable that holds an end on one path and
/// -1 on another: the end, marked as possibly not a descriptor.
AbsVal endOrInvalid(const AbsVal &A, const AbsVal &B) {
  auto Invalid = [](const AbsVal &V) {
    return V.K == AbsVal::Int && V.Hi < 3;
  };
  if (A.K == AbsVal::End && Invalid(B)) {
    AbsVal M = A;
    M.MaybeNull = true;
    M.OrInvalid = true;
    return M;
  }
  if (A.K == AbsVal::End && B.K == AbsVal::End && A.E == B.E) {
    AbsVal M = A.OrInvalid ? A : B;
    M.MaybeNull = A.MaybeNull || B.MaybeNull;
    return M;
  }
  if (B.K == AbsVal::End && Invalid(A))
    return endOrInvalid(B, A);
  return AbsVal::unknown();
}
} // namespace detail

bool AbsVal::operator==(const AbsVal &O) const {
  if (K != O.K)
    return false;
  switch (K) {
  case Unknown:
    return true;
  case Int:
    return Lo == O.Lo && Hi == O.Hi;
  case End:
    return E == O.E && OrInvalid == O.OrInvalid;
  case Addr:
    return Lo == O.Lo && Hi == O.Hi;
  }
  return false;
}

namespace {
/// The variables places are based on, numbered in the order they are first
/// seen (for the life of the process: a number never changes meaning).
struct BaseIndex {
  llvm::DenseMap<const ValueDecl *, uint32_t> Ids;
  std::vector<const ValueDecl *> Decls{nullptr}; // 0: no variable
  uint32_t idOf(const ValueDecl *VD) {
    if (!VD)
      return 0;
    auto [It, New] = Ids.try_emplace(VD, uint32_t(Decls.size()));
    if (New)
      Decls.push_back(VD);
    return It->second;
  }
};
BaseIndex &baseIndex() {
  static BaseIndex I;
  return I;
}
} // namespace

uint32_t PathState::baseIdOf(const ValueDecl *VD) {
  return baseIndex().idOf(VD);
}

uint64_t PathState::packLoc(LocKey L) {
  uint64_t K = uint64_t(baseIdOf(L.Base)) << KeySelBits;
  for (unsigned I = 0; I < MaxSelDepth; ++I)
    K |= uint64_t(packSel(uint16_t(L.Sel >> (16 * I))))
         << (KeySelBits - PackedSelBits * (I + 1));
  return K;
}

LocKey PathState::unpackLoc(uint64_t K) {
  const BaseIndex &I = baseIndex();
  uint64_t Id = K >> KeySelBits;
  LocKey L{Id < I.Decls.size() ? I.Decls[Id] : nullptr, 0};
  for (unsigned D = 0; D < MaxSelDepth; ++D)
    L.Sel |= SelPath(unpackSel(unsigned(
                 K >> (KeySelBits - PackedSelBits * (D + 1))) &
                 ((1u << PackedSelBits) - 1)))
             << (16 * D);
  return L;
}

llvm::SmallVector<EndId, 4> PathState::endsWithin(LocKey Outer) const {
  llvm::SmallVector<EndId, 4> Ends;
  auto [Lo, Hi] = keysWithin(Outer);
  Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &V) {
    if (V.K == AbsVal::End)
      Ends.push_back(V.E);
    return true;
  });
  return Ends;
}

std::pair<uint64_t, uint64_t> PathState::keysWithin(LocKey Outer) {
  uint64_t K = packLoc(Outer);
  unsigned Free = KeySelBits - PackedSelBits * depthOf(Outer);
  return {K, K | ((uint64_t(1) << Free) - 1)};
}

AbsVal PathState::load(LocKey L) const {
  if (const AbsVal *V = Locs.lookup(packLoc(L)))
    return *V;
  return AbsVal::unknown();
}

std::optional<AbsVal> PathState::freshStore(LocKey L) const {
  for (const auto &[Place, V] : FreshStores)
    if (Place == L)
      return V;
  return std::nullopt;
}

PathState::EndState PathState::get(EndId E) const {
  if (const EndState *S = Ends.lookup(E))
    return *S;
  return EndState();
}

void PathState::erase(EndId E) { Ends.erase(E); }

void PathState::holderAdd(EndId E, uint64_t K) {
  HolderSet H;
  if (const HolderSet *Old = Holders.lookup(E))
    H = *Old;
  if (H.More)
    return;
  if (std::find(H.Keys, H.Keys + H.N, K) != H.Keys + H.N)
    return;
  if (H.N == 3) {
    H.More = true;
  } else {
    H.Keys[H.N++] = K;
    std::sort(H.Keys, H.Keys + H.N);
  }
  Holders.set(E, H);
}

void PathState::holderRemove(EndId E, uint64_t K) {
  const HolderSet *Old = Holders.lookup(E);
  if (!Old || Old->More)
    return; // "more": searched, nothing to keep exact
  HolderSet H = *Old;
  uint64_t *It = std::find(H.Keys, H.Keys + H.N, K);
  if (It == H.Keys + H.N)
    return;
  std::copy(It + 1, H.Keys + H.N, It);
  --H.N;
  H.Keys[H.N] = 0;
  if (H.N == 0)
    Holders.erase(E);
  else
    Holders.set(E, H);
}

void PathState::putLoc(uint64_t K, const AbsVal &V) {
  const AbsVal *Old = Locs.lookup(K);
  bool OldEnd = Old && Old->K == AbsVal::End;
  bool NewEnd = V.K == AbsVal::End;
  if (OldEnd && !(NewEnd && V.E == Old->E))
    holderRemove(Old->E, K);
  if (NewEnd && !(OldEnd && V.E == Old->E))
    holderAdd(V.E, K);
  if (V.K == AbsVal::Unknown)
    Locs.erase(K);
  else
    Locs.set(K, V);
}

void PathState::rebaseHolders(const PathState &From) {
  Holders = From.Holders;
  LocMap::diff(From.Locs, Locs,
               [&](uint64_t K, const AbsVal *Old, const AbsVal *New) {
                 bool OldEnd = Old && Old->K == AbsVal::End;
                 bool NewEnd = New && New->K == AbsVal::End;
                 if (OldEnd && !(NewEnd && New->E == Old->E))
                   holderRemove(Old->E, K);
                 if (NewEnd && !(OldEnd && New->E == Old->E))
                   holderAdd(New->E, K);
                 return true;
               });
}

std::optional<LocKey> PathState::locationOf(EndId E) const {
  std::optional<LocKey> First;
  forEachHolder(E, [&](uint64_t K) {
    if (!First)
      First = unpackLoc(K);
  });
  return First;
}

void PathState::setTask(TaskId T, uint8_t Status) {
  auto It = std::lower_bound(
      Tasks.begin(), Tasks.end(), T,
      [](const std::pair<TaskId, uint8_t> &P, TaskId K) { return P.first < K; });
  if (It != Tasks.end() && It->first == T)
    It->second = Status;
  else
    Tasks.insert(It, {T, Status});
}

bool BranchStep::isJump() const {
  return Condition && isa<GotoStmt, BreakStmt>(Condition);
}

const BranchStep &PathState::lastBranch() const {
  static const BranchStep None;
  for (auto It = Decisions.rbegin(); It != Decisions.rend(); ++It)
    if (!It->isJump())
      return *It;
  return None;
}

void PathState::pushDecision(const BranchStep &B) {
  // The same condition again: a loop came round. Only its latest iteration
  // is kept, so that the paths of different iterations that end alike list
  // the same decisions (and a join keeps them).
  for (size_t I = 0; I < Decisions.size(); ++I)
    if (Decisions[I].Condition == B.Condition) {
      Decisions.resize(I);
      DecisionsCut = true;
      break;
    }
  if (Decisions.size() >= MaxDecisions) {
    Decisions.erase(Decisions.begin());
    DecisionsCut = true;
  }
  Decisions.push_back(B);
  Decisions.back().MadeBefore = Made;
  if (!B.isJump())
    TailCut = false;
}

void PathState::endTurn(const Stmt *Loop,
                        llvm::function_ref<bool(const Stmt *)> InBody) {
  auto It = llvm::find_if(TurnStarts,
                          [&](const TurnStart &T) { return T.Loop == Loop; });
  unsigned Start = It == TurnStarts.end() ? 0 : It->Start;
  if (It == TurnStarts.end() ? Made != 0 : It->MadeSince) {
    // The last branch taken in the loop's body after the turn made its
    // pipe: none when the turn went round without one, or when paths that
    // went different ways joined since (their last shared branch decided
    // neither).
    BranchStep Found;
    for (auto D = Decisions.rbegin(); !TailCut && D != Decisions.rend(); ++D) {
      if (D->MadeBefore <= Start)
        break;
      if (!D->isJump() && InBody(D->Condition)) {
        Found = *D;
        break;
      }
    }
    PrevTurn = Found;
  }
  if (It == TurnStarts.end())
    TurnStarts.push_back({Loop, Made, false});
  else
    *It = {Loop, Made, false};
}

bool PathState::keepCommonDecisions(const PathState &O) {
  // The previous turn matters for the ends it left open. A path that
  // knows none (the loop's first turn) says nothing against the other's;
  // nor does one that has closed what the other's turn left open.
  if (PrevTurn != O.PrevTurn) {
    bool MineOpen = !O.PrevTurn.Condition, TheirsOpen = !PrevTurn.Condition;
    if (!MineOpen && !TheirsOpen)
      EndMap::diff(Ends, O.Ends,
                   [&](uint64_t, const EndState *A, const EndState *B) {
                     bool AOpen = A && (A->Status & Open),
                          BOpen = B && (B->Status & Open);
                     MineOpen |= AOpen && !BOpen;
                     TheirsOpen |= BOpen && !AOpen;
                     return !(MineOpen && TheirsOpen);
                   });
    if (TheirsOpen && !MineOpen)
      PrevTurn = O.PrevTurn;
    else if (MineOpen == TheirsOpen)
      PrevTurn = BranchStep();
  }
  Made = std::max(Made, O.Made);
  // A turn's start: the earliest of the paths joined (absent: 0), so that
  // a turn counts as making a pipe when one of them did.
  for (TurnStart &T : TurnStarts) {
    auto It = llvm::find_if(O.TurnStarts, [&](const TurnStart &X) {
      return X.Loop == T.Loop;
    });
    if (It == O.TurnStarts.end()) {
      T.Start = 0;
      T.MadeSince = true;
    } else {
      T.Start = std::min(T.Start, It->Start);
      T.MadeSince = T.MadeSince || It->MadeSince;
    }
  }
  size_t N = 0, M = std::min(Decisions.size(), O.Decisions.size());
  while (N < M && Decisions[N] == O.Decisions[N])
    ++N;
  // Paths that took different branches since: the last decision left is
  // one they share, not the one that decided either.
  if (N < Decisions.size() || N < O.Decisions.size())
    TailCut = true;
  else
    TailCut = TailCut || O.TailCut;
  bool Cut = DecisionsCut || O.DecisionsCut || N != Decisions.size() ||
             N != O.Decisions.size();
  if (N == Decisions.size() && Cut == DecisionsCut)
    return false;
  Decisions.resize(N);
  DecisionsCut = Cut;
  return true;
}

bool PathState::sameFacts(const PathState &O) const {
  // Different fingerprints: different states, without a walk.
  if (Ends.fingerprint(0) != O.Ends.fingerprint(0) ||
      Locs.fingerprint(0) != O.Locs.fingerprint(0))
    return false;
  return ForkChild == O.ForkChild && ChildOf == O.ChildOf &&
         Forked == O.Forked && Tasks == O.Tasks &&
         Polled == O.Polled && Escaped == O.Escaped &&
         Allocated == O.Allocated &&
         FdCopies == O.FdCopies && Released == O.Released &&
         AllocFailed == O.AllocFailed &&
         EndMap::diff(Ends, O.Ends,
                      [](uint64_t, const EndState *A, const EndState *B) {
                        return A && B && *A == *B;
                      }) &&
         LocMap::diff(Locs, O.Locs,
                      [](uint64_t, const AbsVal *A, const AbsVal *B) {
                        return A && B && *A == *B;
                      });
}

} // namespace clang::tidy::pipe
