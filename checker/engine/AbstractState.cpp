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

AbsVal PathState::load(LocKey L) const {
  auto It = std::lower_bound(
      Locs.begin(), Locs.end(), L,
      [](const std::pair<LocKey, AbsVal> &P, const LocKey &K) {
        return P.first < K;
      });
  if (It != Locs.end() && It->first == L)
    return It->second;
  return AbsVal::unknown();
}

PathState::EndState PathState::get(EndId E) const {
  auto It = std::lower_bound(
      Ends.begin(), Ends.end(), E,
      [](const std::pair<EndId, EndState> &P, EndId K) { return P.first < K; });
  return It != Ends.end() && It->first == E ? It->second : EndState();
}

PathState::EndState &PathState::ref(EndId E) {
  auto It = std::lower_bound(
      Ends.begin(), Ends.end(), E,
      [](const std::pair<EndId, EndState> &P, EndId K) { return P.first < K; });
  if (It == Ends.end() || It->first != E)
    It = Ends.insert(It, {E, EndState()});
  return It->second;
}

void PathState::erase(EndId E) {
  auto It = std::lower_bound(
      Ends.begin(), Ends.end(), E,
      [](const std::pair<EndId, EndState> &P, EndId K) { return P.first < K; });
  if (It != Ends.end() && It->first == E)
    Ends.erase(It);
}

const LocKey *PathState::locationOf(EndId E) const {
  for (const auto &P : Locs)
    if (P.second.K == AbsVal::End && P.second.E == E)
      return &P.first;
  return nullptr;
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
}

bool PathState::keepCommonDecisions(const PathState &O) {
  size_t N = 0, M = std::min(Decisions.size(), O.Decisions.size());
  while (N < M && Decisions[N] == O.Decisions[N])
    ++N;
  bool Cut = DecisionsCut || O.DecisionsCut || N != Decisions.size() ||
             N != O.Decisions.size();
  if (N == Decisions.size() && Cut == DecisionsCut)
    return false;
  Decisions.resize(N);
  DecisionsCut = Cut;
  return true;
}

bool PathState::sameFacts(const PathState &O) const {
  return ForkChild == O.ForkChild && ChildOf == O.ChildOf &&
         Forked == O.Forked && Tasks == O.Tasks &&
         Polled == O.Polled && Ends == O.Ends &&
         Escaped == O.Escaped && Locs.size() == O.Locs.size() &&
         std::equal(Locs.begin(), Locs.end(), O.Locs.begin(),
                    [](const auto &A, const auto &B) {
                      return A.first == B.first && A.second == B.second;
                    });
}

} // namespace clang::tidy::pipe
