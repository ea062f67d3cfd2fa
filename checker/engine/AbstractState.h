//===--- AbstractState.h - the state of one path through a function -------===//
//
// What the engine knows on one path (or several joined paths): the status
// and flags of each pipe end, the values of the tracked places (LocKey,
// AbsVal), the status of each writer task, and the branch facts. Checks read
// it through the states FunctionAnalysis hands them (FunctionAnalysis.h);
// only the engine (FlowEngineImpl) changes it.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_ABSTRACTSTATE_H
#define PIPE_TIDY_ENGINE_ABSTRACTSTATE_H

#include "engine/PersistentMap.h"
#include "engine/SelectorPaths.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

namespace clang::tidy::pipe {

class FlowEngineImpl;
using EndId = unsigned;
class FunctionAnalysis;

/// The possible statuses of an end on one path (a bit set: after a join an
/// end may be open on some merged paths and closed on others).
enum EndStatusBits : uint8_t {
  NotCreated = 1, ///< the creating call has not run or failed.
  Open = 2,       ///< created and still open in this process.
  Closed = 4,     ///< closed (close, fclose, close_range).
  HandedOff = 8,  ///< ownership left the function: returned, stored, passed
                  ///< to an unknown function, captured by a task.
};

/// Facts about an end that are not its status.
enum EndFlagBits : uint16_t {
  Cloexec = 1,      ///< O_CLOEXEC / FD_CLOEXEC set.
  Nonblock = 2,     ///< O_NONBLOCK set.
  Lost = 4,         ///< the analysis lost track of which variable holds it:
                    ///< never report it.
  WrittenTo = 8,    ///< written on this path.
  SpawnRelated = 16,///< dup2'd to a standard stream or named in spawn file
                    ///< actions: meant for the child that is started next.
  SharedWithChild = 32, ///< open across a fork(): another process holds a
                        ///< copy and may read or write it.
  UnknownWrite = 64,    ///< written an amount we could not count.
  CapacitySet = 128,    ///< fcntl(F_SETPIPE_SZ) changed the pipe's capacity.
  Drained = 256,        ///< read to end-of-file on this path: every write
                        ///< end was closed, no writer is blocked on it.
  ReadFrom = 512,       ///< read (or copied from) on this path.
  SpawnKeepsOriginal = 1024, ///< named in posix_spawn_file_actions_adddup2()
                             ///< and in no addclose() after it: the spawned
                             ///< program gets the end on the target and
                             ///< inherits the original descriptor too.
  PassedAway = 2048, ///< handed off (HandedOff) as an argument of a function
                     ///< whose body is not seen, on every path that handed
                     ///< it off: nothing shows that anyone reads it (unlike
                     ///< an end returned, stored where the caller sees it,
                     ///< or given to a thread or child).
  UsedByTask = 4096, ///< a thread of this process was given the descriptor
                     ///< by value and uses it (RoutineEnds.cpp): it stays
                     ///< this function's, but closing it here while the
                     ///< thread runs would pull it from under the thread.
  PolledFor = 8192, ///< in the set a poll() was given on this path (a
                    ///< `struct pollfd` entry's fd): a write to it follows a
                    ///< readiness report for it.
  Announced = 16384, ///< its number was written into text (`snprintf(arg,
                     ///< n, "-2 %d", fd)`): meant for a program started
                     ///< later, which is told the number; not a sign that
                     ///< anyone reads it.
  Numeric = 32768, ///< summary mode: the caller's place it was seeded in is
                   ///< updated by arithmetic (`total_ += n`, `++count_`),
                   ///< so it holds a number, not a descriptor: the place
                   ///< stays the caller's, as if kept.
};

using TaskId = unsigned;

/// The possible statuses of a writer task on one path (a bit set, like an
/// end's).
enum TaskStatusBits : uint8_t {
  TaskNotStarted = 1,
  TaskRunning = 2,    ///< started; not joined, detached or handed off.
  TaskJoined = 4,     ///< joined or waited for (also by a destructor).
  TaskDetached = 8,   ///< detached (also by boost::thread's destructor).
  TaskHandedOff = 16, ///< its handle left the function: moved, returned,
                      ///< stored, passed to an unknown function.
  TaskDestroyed = 32, ///< a std::thread destroyed while joinable.
  TaskStopRequested = 64, ///< request_stop() was called (a flag, with
                          ///< TaskRunning).
  TaskCopiesOwnPipe = 128, ///< it copies a pipe into itself and never ends
                           ///< (a flag, with TaskRunning): a join of it
                           ///< never returns (TaskCopies.cpp).
};

/// A storage location that can hold a descriptor: a local variable, or up
/// to MaxSelDepth levels of array index / field below it.
struct LocKey {
  const ValueDecl *Base = nullptr;
  SelPath Sel = 0;
  bool operator==(const LocKey &O) const {
    return Base == O.Base && Sel == O.Sel;
  }
  bool operator<(const LocKey &O) const {
    return Base != O.Base ? Base < O.Base : Sel < O.Sel;
  }
};

/// An abstract value: an integer interval, a tracked end, or the address of
/// a tracked location.
struct AbsVal {
  enum Kind : uint8_t { Unknown, Int, End, Addr } K = Unknown;
  /// Int: the interval. Addr: the location, packed (see loc()), so that a
  /// value stays 24 bytes: a state holds many of them.
  int64_t Lo = INT64_MIN, Hi = INT64_MAX;
  EndId E = 0; ///< End.
  /// Set on the result of a call that splits a path (fork(), fdopen()): a
  /// branch decided by it is worth a note in a diagnostic's path, unlike a
  /// branch decided by any other known value. Not part of equality.
  bool SplitResult = false;
  /// End: a stream from fdopen() that may be NULL. Only a test of it makes
  /// the failure path worth following; unchecked, it is taken to succeed.
  /// Addr: a pointer parameter's place, which the caller may give as NULL
  /// (a test of it takes both ways).
  bool MaybeNull = false;
  /// End: joined from paths on some of which this place held -1 (or NULL)
  /// instead, as in `int fds[2] = {-1, -1}; ... if (pipe(fds) < 0) goto out;`
  /// meeting at `out:`. A test showing it holds no descriptor selects those
  /// paths, on which the end is not this place's to answer for.
  bool OrInvalid = false;

  static AbsVal unknown() { return {}; }
  static AbsVal constant(int64_t C) {
    AbsVal V;
    V.K = Int;
    V.Lo = V.Hi = C;
    return V;
  }
  static AbsVal range(int64_t Lo, int64_t Hi) {
    AbsVal V;
    V.K = Int;
    V.Lo = Lo;
    V.Hi = Hi;
    return V;
  }
  static AbsVal end(EndId E) {
    AbsVal V;
    V.K = End;
    V.E = E;
    return V;
  }
  static AbsVal addr(LocKey L) {
    AbsVal V;
    V.K = Addr;
    V.Lo = int64_t(reinterpret_cast<intptr_t>(L.Base));
    V.Hi = int64_t(L.Sel);
    return V;
  }
  /// Addr: the location whose address this is.
  LocKey loc() const {
    // The pointer addr() packed into Lo; never dereferenced otherwise.
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    return LocKey{reinterpret_cast<const ValueDecl *>(intptr_t(Lo)),
                  SelPath(Hi)};
  }
  bool isConst() const { return K == Int && Lo == Hi; }
  bool operator==(const AbsVal &O) const;
  bool operator!=(const AbsVal &O) const { return !(*this == O); }
};

/// A decision a path took, for the diagnostic's notes and placement: a
/// branch the analysis could not decide (or one decided by fork()'s
/// result), or a jump (a goto or break: Condition is the jump, Case null).
struct BranchStep {
  const Stmt *Condition = nullptr; ///< the condition or switch, or the jump.
  const Stmt *Case = nullptr;      ///< the case label taken, for a switch.
  bool Taken = false;              ///< which way an if/loop went.
  /// The condition is a loop's: 1 of a `while` or `for` (true enters the
  /// body), 2 of a `do`-`while` (true goes round again). Not compared: the
  /// condition says it.
  uint8_t Loop = 0;
  /// PathState::madeCount() when the branch was taken (not compared):
  /// whether it came after the pipe its loop's turn made (endTurn()).
  unsigned MadeBefore = 0;
  bool isJump() const;
  bool operator==(const BranchStep &O) const {
    return Condition == O.Condition && Case == O.Case && Taken == O.Taken;
  }
  bool operator!=(const BranchStep &O) const { return !(*this == O); }
};

/// The state of one path (or of several joined paths).
class PathState {
public:
  uint8_t status(EndId E) const { return get(E).Status; }
  uint16_t flags(EndId E) const { return get(E).Flags; }
  bool has(EndId E, EndStatusBits B) const { return get(E).Status & B; }
  bool hasFlag(EndId E, EndFlagBits F) const { return get(E).Flags & F; }
  /// Bytes this path has written to \p E (saturating; UINT32_MAX when a
  /// loop writes an amount that grows with its iterations).
  uint32_t written(EndId E) const { return get(E).Written; }
  /// The write that brought written() past its largest step, if any.
  const Expr *lastWrite(EndId E) const { return get(E).LastWrite; }
  /// The status of task \p T on this path (TaskStatusBits).
  uint8_t taskStatus(TaskId T) const {
    for (const auto &P : Tasks)
      if (P.first == T)
        return P.second;
    return TaskNotStarted;
  }
  /// Calls \p F with every task this path has started.
  template <typename Fn> void forEachTask(Fn &&F) const {
    for (const auto &P : Tasks)
      F(P.first);
  }
  /// The break or goto this path took last, if any.
  const Stmt *lastJump() const { return LastJump; }
  /// True once this path has waited for readiness (poll, select, epoll).
  bool polled() const { return Polled; }
  /// True on the child side of a fork() on this path.
  bool inForkChild() const { return ForkChild; }
  /// The child's task, on the child side of a fork() that starts one.
  std::optional<TaskId> childTask() const {
    return ChildOf >= 0 ? std::optional<TaskId>(TaskId(ChildOf))
                        : std::nullopt;
  }
  /// True once this path has forked a child (parent side).
  bool hasForked() const { return Forked; }
  /// A descriptor number that dup2() made a copy of a write-side end on
  /// this path (`dup2(fds[1], STDOUT_FILENO)`: fd 1), and the call that
  /// did (FdCopies.cpp). The copy holds the pipe open after the end itself
  /// is closed, until close(1) or another dup2() onto 1.
  struct FdCopy {
    int Fd;
    EndId E;
    const Expr *Site;
    bool operator==(const FdCopy &O) const {
      return Fd == O.Fd && E == O.E && Site == O.Site;
    }
    bool operator<(const FdCopy &O) const {
      return Fd != O.Fd ? Fd < O.Fd : E != O.E ? E < O.E : Site < O.Site;
    }
  };
  /// The copies this path may hold (after a join: on some merged path),
  /// sorted.
  llvm::ArrayRef<FdCopy> fdCopies() const { return FdCopies; }
  /// The last branch that decides this path: the top branch of
  /// decisions(), jumps skipped; empty when there is none.
  const BranchStep &lastBranch() const;
  /// The decisions this path took that still decide where it is, oldest
  /// first. A join keeps only the decisions both paths share (their common
  /// prefix), so a branch whose two ways met again with the same ends (`if
  /// (verbose) fprintf(...)`) is gone, and so is one whose other way ends
  /// in a call that does not return (`if (!ok) abort();`, which never
  /// enters). A condition taken again (a loop coming round) drops what
  /// followed its earlier occurrence. At most MaxDecisions, the oldest
  /// dropped first.
  llvm::ArrayRef<BranchStep> decisions() const { return Decisions; }
  /// The last branch taken, in the body of a loop, by the previous turn
  /// that made a pipe (endTurn()), or none. A turn that made none (its
  /// pipe() failed, or it went round before reaching it) does not replace
  /// it: the ends still open were left by the turn that made them.
  const BranchStep &prevTurn() const { return PrevTurn; }
  /// The path goes round \p Loop (the CFG block that loops back): if the
  /// turn made a pipe, prevTurn() becomes its last branch in the loop's
  /// body (\p InBody) after that.
  void endTurn(const Stmt *Loop, llvm::function_ref<bool(const Stmt *)> InBody);
  /// Whether this path went round \p Loop and has made no pipe since:
  /// the ends of a pipe made in the loop that it holds are a previous
  /// turn's.
  bool nothingMadeThisTurn(const Stmt *Loop) const {
    for (const TurnStart &T : TurnStarts)
      if (T.Loop == Loop)
        return !T.MadeSince;
    return false;
  }
  /// In summary mode: whether this path closed both ends of the pipe
  /// whose write end is \p W while a parameter's place held it (after a
  /// join: some path did). A closed pipe is forgotten (collect()), so
  /// without this a failure path that released the caller's pipe looks
  /// like one whose pipe() failed.
  bool released(EndId W) const { return llvm::is_contained(Released, W); }
  /// In summary mode: this path took the NULL side of a test of what an
  /// allocation returned (`buf = malloc(n); while (buf && read(...))`)
  /// (after a join: every path joined did). What a helper owes its
  /// callers on every exit (FunctionSummary::Drains) is not asked of an
  /// out-of-memory path.
  bool allocFailed() const { return AllocFailed; }
  /// How many pipes or socket pairs this path has made (after a join: the
  /// most of the paths joined).
  unsigned madeCount() const { return Made; }
  void countMade() {
    ++Made;
    for (TurnStart &T : TurnStarts)
      T.MadeSince = true;
  }
  /// False while decisions() is the whole history of every path this
  /// state stands for; true once a join, a loop or the bound cut some of
  /// it, so that a path may have taken decisions that are not listed.
  bool decisionsCut() const { return DecisionsCut; }
  /// True when paths that branched differently after the last decision
  /// left were joined: that decision decided none of them.
  bool tailCut() const { return TailCut; }
  static constexpr unsigned MaxDecisions = 16;
  /// The value a location holds on this path.
  AbsVal load(LocKey L) const;
  /// The value just stored in an untracked place \p L (FreshStores), if
  /// nothing could have changed it since.
  std::optional<AbsVal> freshStore(LocKey L) const;
  /// A location that holds end \p E on this path, if any (the first in
  /// place order).
  std::optional<LocKey> locationOf(EndId E) const;
  /// Calls \p F with every location that holds end \p E, in place order.
  template <typename Fn> void forEachLocationOf(EndId E, Fn &&F) const {
    forEachHolder(E, [&](uint64_t K) { F(unpackLoc(K)); });
  }
  /// True when \p VD's address or a reference to it has left the function
  /// on this path: what it holds may change behind the analysis's back.
  bool escaped(const ValueDecl *VD) const {
    return Escaped.lookup(baseIdOf(VD)) != nullptr;
  }
  bool allocated(const ValueDecl *VD) const {
    return Allocated.lookup(baseIdOf(VD)) != nullptr;
  }
  /// True when the member of a struct variable that \p L is in or below
  /// (`f.job` for `f.job.fd`) has had its address leave the function on
  /// this path (markMemberEscaped()), while the variable's other members
  /// stay followed. Not true of a whole variable that escaped().
  bool memberEscaped(LocKey L) const {
    return !Escaped.empty() && firstSel(L.Sel) != 0 &&
           Escaped.lookup(memberKey(L)) != nullptr;
  }
  void markMemberEscaped(LocKey Member) {
    Escaped.set(memberKey(Member), true);
  }
  /// True when \p E is open on this path in a place whose every use the
  /// analysis sees: not lost, and not in a variable whose address has left
  /// the function. Only such an end can be judged still open later.
  bool openInView(EndId E) const {
    if (status(E) != Open || hasFlag(E, Lost))
      return false;
    std::optional<LocKey> L = locationOf(E);
    return L && !escaped(L->Base);
  }
  /// Calls \p F with every end this path has touched, by increasing id;
  /// every other end is NotCreated here. Checks iterate these, never all of
  /// a function's ends, so that their cost stays linear in its size.
  template <typename Fn> void forEachTouchedEnd(Fn &&F) const {
    Ends.forEach([&](uint64_t E, const EndState &) { F(EndId(E)); });
  }
  /// How many ends and places this path holds (for statistics).
  size_t touchedEnds() const { return Ends.size(); }
  size_t places() const { return Locs.size(); }

  /// The dense key of a place: the variable's number (interned, in the
  /// order variables are first seen), then its selectors, outer first, so
  /// that the places within a variable or an element are one key range.
  static uint64_t packLoc(LocKey L);
  static LocKey unpackLoc(uint64_t K);
  /// The keys of the places within \p Outer (isWithin()): [first, second].
  static std::pair<uint64_t, uint64_t> keysWithin(LocKey Outer);
  /// The ends held in the places within \p Outer, in key order.
  llvm::SmallVector<EndId, 4> endsWithin(LocKey Outer) const;
  static uint32_t baseIdOf(const ValueDecl *VD);
  /// The key of Escaped for the member (first selector) \p L is in: apart
  /// from every whole variable's baseIdOf() by its top bit.
  static uint64_t memberKey(LocKey L) {
    return (uint64_t(1) << 63) | packLoc(LocKey{L.Base, L.Sel & 0xffffu});
  }

private:
  friend class FlowEngineImpl;
  friend class FunctionAnalysis;
  struct EndState {
    uint8_t Status = NotCreated;
    uint16_t Flags = 0;
    uint32_t Written = 0;
    const Expr *LastWrite = nullptr;
    bool operator==(const EndState &O) const {
      return Status == O.Status && Flags == O.Flags && Written == O.Written;
    }
  };
  /// Property bits of an end, kept per subtree of the map (PersistentMap
  /// agg()), so that an update of the open ends skips the others.
  enum : uint8_t {
    AggOpen = 1,            ///< open
    AggOpenUnshared = 2,    ///< open, not yet SharedWithChild
    AggOpenInheritable = 4, ///< open, not Cloexec, not SharedWithChild
  };
  struct EndTraits {
    static bool same(const EndState &A, const EndState &B) {
      return A.Status == B.Status && A.Flags == B.Flags &&
             A.Written == B.Written && A.LastWrite == B.LastWrite;
    }
    /// As EndState::operator== compares (not the write that set it).
    static uint64_t hash(const EndState &S, unsigned) {
      return 1 + (uint64_t(S.Status) | uint64_t(S.Flags) << 8 |
                  uint64_t(S.Written) << 24);
    }
    static uint8_t agg(const EndState &S) {
      if (!(S.Status & Open))
        return 0;
      uint8_t A = AggOpen;
      if (!(S.Flags & SharedWithChild)) {
        A |= AggOpenUnshared;
        if (!(S.Flags & Cloexec))
          A |= AggOpenInheritable;
      }
      return A;
    }
  };
  enum : uint8_t { AggInt = 1, AggEnd = 2, AggAddr = 4 };
  struct ValTraits {
    static bool same(const AbsVal &A, const AbsVal &B) {
      return A.K == B.K && A.Lo == B.Lo && A.Hi == B.Hi && A.E == B.E &&
             A.SplitResult == B.SplitResult && A.MaybeNull == B.MaybeNull &&
             A.OrInvalid == B.OrInvalid;
    }
    /// 0: as AbsVal::operator== compares. 1: only which end (or an
    /// address) a place holds, as sameEndFacts() compares; 0 for integers.
    static uint64_t hash(const AbsVal &V, unsigned I) {
      if (I == 1)
        return V.K == AbsVal::End ? 2 + uint64_t(V.E)
               : V.K == AbsVal::Addr ? 1
                                     : 0;
      switch (V.K) {
      case AbsVal::Int:
        return 1 + (uint64_t(V.Lo) * 0x100000001b3ULL ^ uint64_t(V.Hi));
      case AbsVal::End:
        return 2 + (uint64_t(V.E) << 2 | (V.OrInvalid ? 1 : 0));
      case AbsVal::Addr:
        return 3 + (uint64_t(V.Lo) * 0x100000001b3ULL ^ uint64_t(V.Hi));
      default:
        return 4;
      }
    }
    static uint8_t agg(const AbsVal &V) {
      return V.K == AbsVal::Int   ? AggInt
             : V.K == AbsVal::End ? AggEnd
             : V.K == AbsVal::Addr ? AggAddr
                                   : 0;
    }
  };
  /// The places holding an end, sorted; past three, "more" (then the
  /// places are searched).
  struct HolderSet {
    uint64_t Keys[3] = {0, 0, 0};
    uint8_t N = 0;
    bool More = false;
  };
  struct HolderTraits {
    static bool same(const HolderSet &A, const HolderSet &B) {
      return A.N == B.N && A.More == B.More &&
             std::equal(A.Keys, A.Keys + A.N, B.Keys);
    }
    static uint8_t agg(const HolderSet &) { return 0; }
    static uint64_t hash(const HolderSet &, unsigned) { return 0; }
  };
  struct UnitTraits {
    static bool same(bool, bool) { return true; }
    static uint8_t agg(bool) { return 0; }
    static uint64_t hash(bool, unsigned) { return 1; }
  };
  using EndMap = PersistentMap<EndState, EndTraits>;
  using LocMap = PersistentMap<AbsVal, ValTraits>;
  using HolderMap = PersistentMap<HolderSet, HolderTraits>;
  using SetMap = PersistentMap<bool, UnitTraits>;
  /// The ends this path has touched, by id; an absent end has not been
  /// created. Ends that are closed or handed off together with their peer
  /// are dropped again, so a state stays as small as the live pipes. A
  /// persistent map: states copied at a branch or recorded for the checks
  /// share what neither changed.
  EndMap Ends;
  EndState get(EndId E) const;
  /// Writes \p S as the state of end \p E.
  void putEnd(EndId E, const EndState &S) { Ends.set(E, S); }
  /// A copy of end \p E's state that is written back when it goes out of
  /// scope: `S.ref(E)->Flags |= Lost;`. Read S again only after that.
  struct EndRef : EndState {
    EndRef(PathState &S, EndId E) : EndState(S.get(E)), S(S), E(E) {}
    EndRef(const EndRef &) = delete;
    EndRef &operator=(const EndState &V) {
      static_cast<EndState &>(*this) = V;
      return *this;
    }
    ~EndRef() { S.putEnd(E, *this); }
    /// `S.ref(E)->Flags |= Lost;`: the copy, as an lvalue.
    EndState *operator->() { return this; }

  private:
    PathState &S;
    EndId E;
  };
  EndRef ref(EndId E) { return EndRef(*this, E); }
  void erase(EndId E);
  /// Places and their values, by packLoc() key.
  LocMap Locs;
  /// For each end, the places that hold it (derived from Locs).
  HolderMap Holders;
  template <typename Fn> void forEachHolder(EndId E, Fn &&F) const;
  /// Sets place \p K to \p V (Unknown: forgets it), keeping Holders.
  void putLoc(uint64_t K, const AbsVal &V);
  void holderAdd(EndId E, uint64_t K);
  void holderRemove(EndId E, uint64_t K);
  /// Recomputes Holders for the places that differ from \p From, whose
  /// Holders this state's start from.
  void rebaseHolders(const PathState &From);
  /// The tasks this path has started, sorted by id, with their status.
  llvm::SmallVector<std::pair<TaskId, uint8_t>, 0> Tasks;
  void setTask(TaskId T, uint8_t Status);
  const Stmt *LastJump = nullptr;
  /// The variables whose address left the function, by baseIdOf().
  SetMap Escaped;
  /// The allocation sites' places (HeapObjects.cpp) this path has
  /// allocated at, by baseIdOf(): reaching the site again (a loop) makes a
  /// second object, which the one place cannot follow (after a join: any
  /// path joined did).
  SetMap Allocated;
  llvm::SmallVector<std::pair<const Expr *, AbsVal>, 0> Temps;
  /// Values just stored in places the state does not follow (a member of a
  /// struct whose address was given away: `ec.monitor_pid = fork();`), so
  /// that a test right after (`switch (ec.monitor_pid)`) sees them. Only
  /// until the next call, store the engine cannot place, or block
  /// boundary: anything else could change them (cleared with Temps).
  llvm::SmallVector<std::pair<LocKey, AbsVal>, 0> FreshStores;
  /// Conditions this path has taken that the values could not decide, so
  /// that the same test later goes the same way (`if (flags & PTY) ...`
  /// twice). Dropped when a local variable they read changes.
  struct CondFact {
    unsigned Hash;
    bool Truth;
    const ValueDecl *Vars[2];
    /// For the truth of one operand of && or || evaluated for its value:
    /// the outermost operator of its chain (Conditions.cpp).
    const Expr *Operator = nullptr;
    bool operator==(const CondFact &O) const {
      return Hash == O.Hash && Truth == O.Truth;
    }
  };
  llvm::SmallVector<CondFact, 2> Facts;
  /// The value last stored at an element of an array whose index is a
  /// local variable this path does not know (`pids[i] = fork();` in a
  /// loop), so that a read of the same element (`if (pids[i] == 0)`) gets
  /// it back. Dropped when the variable or the array changes
  /// (forgetFactsAbout()); at a join, kept only where both paths agree
  /// (intersectFacts()).
  struct ElementStore {
    LocKey Array;
    const ValueDecl *Index;
    AbsVal V;
    bool operator==(const ElementStore &O) const {
      return Array == O.Array && Index == O.Index && V == O.V;
    }
  };
  llvm::SmallVector<ElementStore, 0> ElementStores;
  llvm::SmallVector<BranchStep, 0> Decisions;
  bool DecisionsCut = false;
  /// The last branch of the previous turn of the loop this path is in,
  /// when the paths joined here agree on it.
  BranchStep PrevTurn;
  unsigned Made = 0;
  /// Paths that branched differently were joined after the last
  /// decision (keepCommonDecisions()).
  bool TailCut = false;
  /// Where each loop's current turn began: madeCount() then, and whether
  /// the path has made a pipe since (after a join: some path has).
  struct TurnStart {
    const Stmt *Loop;
    unsigned Start;
    bool MadeSince;
  };
  llvm::SmallVector<TurnStart, 0> TurnStarts;
  void pushDecision(const BranchStep &B);
  /// Keeps only the decisions \p O shares; true if that dropped any or
  /// marked them cut.
  bool keepCommonDecisions(const PathState &O);
  bool ForkChild = false;
  int ChildOf = -1; ///< the task of the fork() whose child this path is.
  bool Forked = false;
  bool SawFork = false; ///< any side of a fork(), including its failure.
  /// allocFailed(): set by refineOnBranch() in summary mode.
  bool AllocFailed = false;
  bool Polled = false;
  llvm::SmallVector<FdCopy, 0> FdCopies;
  /// released(): sorted write ends.
  llvm::SmallVector<EndId, 0> Released;
  bool sameFacts(const PathState &O) const;
};

} // namespace clang::tidy::pipe

#endif // PIPE_TIDY_ENGINE_ABSTRACTSTATE_H
