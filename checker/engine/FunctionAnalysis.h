//===--- FunctionAnalysis.h - pipe ends through one function's CFG --------===//
//
// One forward dataflow analysis over Clang's CFG for one function, lambda or
// block. It tracks every pipe end the function creates (and every descriptor
// parameter it might own) as a value that flows through local variables,
// array elements, members of local structs and std::array elements, and
// computes, at every program point, a small set of path states (a bounded
// disjunction, so that pipe()/fork() results and flags stay correlated with
// the ends they describe). Work is linear in the size of the function: each
// block is visited a bounded number of times before its states are joined
// and widened. A budget, checked after every CFG element, first widens the
// whole function to one state per block and, past a second allowance,
// gives up on it (PIPE_TIDY_STATS and the WarnOnBudgetExhausted option say so).
//
// Checks do not walk the CFG themselves: they read the finished analysis
// through FunctionAnalysis (ends, exits, and the state before every modelled
// call).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_FUNCTIONANALYSIS_H
#define PIPE_TIDY_ENGINE_FUNCTIONANALYSIS_H

#include "models/ApiModel.h"
#include "summaries/CalleeSummary.h"
#include "models/TaskModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
} // namespace clang

namespace clang::tidy::pipe {

class FlowEngineImpl;
using EndId = unsigned;

/// What a tracked descriptor is.
enum class EndKind : uint8_t {
  PipeRead,   ///< fds[0] of pipe()/pipe2().
  PipeWrite,  ///< fds[1] of pipe()/pipe2().
  SocketEnd,  ///< either end of socketpair(): the peer sees EOF when closed.
  Duplicate,  ///< dup()/fcntl(F_DUPFD) of a tracked write end.
  Parameter,  ///< a descriptor parameter or lambda capture the function may own.
};

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
};

/// One writer task: a thread, an async future or a fork()ed child.
struct TaskInfo {
  TaskKind Kind;
  /// The construction, std::async(), pthread_create() or fork() call.
  const Stmt *Origin = nullptr;
  /// The variable holding its handle (the thread, future, pthread_t or
  /// pid), or null for a temporary (`std::thread(f).detach()`).
  const VarDecl *Handle = nullptr;
  /// The function the task runs, for messages; null for a lambda or child.
  const FunctionDecl *Runs = nullptr;
  /// The code it runs: the lambda's or function's body, or a fork()ed
  /// child's branch (`if (pid == 0) { ... }`); null if not in this TU.
  const Stmt *Body = nullptr;
  /// The write-side ends it holds: captured, passed in, or reachable from
  /// a struct or `this` it is given.
  llvm::SmallVector<EndId, 2> Holds;
  /// At most how many bytes its body writes (UINT64_MAX: a loop or an
  /// unknown size; 0: no write we can see).
  uint64_t MaxBytes = 0;
  /// It takes a std::stop_token: a jthread's destructor stops it.
  bool StopAware = false;
  /// A child process (fork() or posix_spawn()): the write ends it makes
  /// its standard output or error (dup2() onto 1 or 2, a spawn file
  /// action), which it writes an amount nobody can bound (it execs).
  llvm::SmallVector<EndId, 2> Outputs;
  /// A child process: the read ends it makes its standard input.
  llvm::SmallVector<EndId, 1> Inputs;
  /// A child process started by posix_spawn() rather than fork().
  bool Spawned = false;
};

/// A point where a task is joined or destroyed.
struct TaskEvent {
  enum Kind : uint8_t { Join, Destroy };
  TaskEvent(Kind K, TaskId Task, const Stmt *At, SourceLocation Loc)
      : K(K), Task(Task), At(At), Loc(Loc) {}
  Kind K;
  TaskId Task;
  /// The join call, or the statement whose path destroys the handle: the
  /// return, break or goto, or the end of the handle's scope.
  const Stmt *At = nullptr;
  SourceLocation Loc;
  /// Destroy at the end of the handle's scope, reported at the break that
  /// led there: where that scope ends.
  SourceLocation ScopeEnd;
};

/// One tracked descriptor.
struct EndInfo {
  EndKind Kind;
  /// The call that creates it (pipe(), socketpair(), dup()), or null for a
  /// parameter or capture.
  const Expr *Origin = nullptr;
  /// The parameter or captured variable, for EndKind::Parameter.
  const ValueDecl *Param = nullptr;
  /// Where the creating call puts it, as the user spells it ("fds[1]").
  std::string Name;
  /// The other end of the same pipe, if tracked.
  int Peer = -1;
  /// For a Duplicate: the end it duplicates.
  int DupOf = -1;
  /// Held by a C++ object that closes it when destroyed (a Boost.Asio or
  /// Boost.Process pipe): never left open at a return.
  bool OwnedByObject = false;

  bool isWriteSide() const {
    return Kind == EndKind::PipeWrite || Kind == EndKind::SocketEnd ||
           Kind == EndKind::Duplicate;
  }
};

/// A storage location that can hold a descriptor: a local variable, or one
/// or two levels of array index / field below it.
struct LocKey {
  const ValueDecl *Base = nullptr;
  /// Up to two selectors, 16 bits each: 0 = none, 1+i = index i,
  /// 0x8000|f = field number f.
  uint32_t Sel = 0;
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
                  uint32_t(Hi)};
  }
  bool isConst() const { return K == Int && Lo == Hi; }
  bool operator==(const AbsVal &O) const;
  bool operator!=(const AbsVal &O) const { return !(*this == O); }
};

/// The branch most recently taken on a path, for the diagnostic's notes.
struct BranchStep {
  const Stmt *Condition = nullptr; ///< the condition or switch.
  const Stmt *Case = nullptr;      ///< the case label taken, for a switch.
  bool Taken = false;              ///< which way an if/loop went.
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
  const BranchStep &lastBranch() const { return Last; }
  /// The value a location holds on this path.
  AbsVal load(LocKey L) const;
  /// A location that holds end \p E on this path, if any.
  const LocKey *locationOf(EndId E) const;
  /// True when \p VD's address or a reference to it has left the function
  /// on this path: what it holds may change behind the analysis's back.
  bool escaped(const ValueDecl *VD) const {
    return std::binary_search(Escaped.begin(), Escaped.end(), VD);
  }
  /// True when \p E is open on this path in a place whose every use the
  /// analysis sees: not lost, and not in a variable whose address has left
  /// the function. Only such an end can be judged still open later.
  bool openInView(EndId E) const {
    if (status(E) != Open || hasFlag(E, Lost))
      return false;
    const LocKey *L = locationOf(E);
    return L && !escaped(L->Base);
  }
  /// Calls \p F with every end this path has touched, by increasing id;
  /// every other end is NotCreated here. Checks iterate these, never all of
  /// a function's ends, so that their cost stays linear in its size.
  template <typename Fn> void forEachTouchedEnd(Fn &&F) const {
    for (const auto &P : Ends)
      F(P.first);
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
  /// The ends this path has touched, sorted by id; an absent end has not
  /// been created. Ends that are closed or handed off together with their
  /// peer are dropped again, so a state stays as small as the live pipes.
  llvm::SmallVector<std::pair<EndId, EndState>, 4> Ends;
  EndState get(EndId E) const;
  EndState &ref(EndId E);
  void erase(EndId E);
  llvm::SmallVector<std::pair<LocKey, AbsVal>, 2> Locs; ///< sorted by key.
  /// The tasks this path has started, sorted by id, with their status.
  llvm::SmallVector<std::pair<TaskId, uint8_t>, 0> Tasks;
  void setTask(TaskId T, uint8_t Status);
  const Stmt *LastJump = nullptr;
  llvm::SmallVector<const ValueDecl *, 2> Escaped;      ///< sorted.
  llvm::SmallVector<std::pair<const Expr *, AbsVal>, 0> Temps;
  /// Conditions this path has taken that the values could not decide, so
  /// that the same test later goes the same way (`if (flags & PTY) ...`
  /// twice). Dropped when a local variable they read changes.
  struct CondFact {
    unsigned Hash;
    bool Truth;
    const ValueDecl *Vars[2];
    bool operator==(const CondFact &O) const {
      return Hash == O.Hash && Truth == O.Truth;
    }
  };
  llvm::SmallVector<CondFact, 2> Facts;
  BranchStep Last;
  bool ForkChild = false;
  int ChildOf = -1; ///< the task of the fork() whose child this path is.
  bool Forked = false;
  bool SawFork = false; ///< any side of a fork(), including its failure.
  bool Polled = false;
  bool sameFacts(const PathState &O) const;
};

/// Where a path leaves the function.
struct ExitPoint {
  enum Kind { Return, FallOffEnd, Throw } K;
  const Stmt *S = nullptr; ///< the return or throw, null for FallOffEnd.
  SourceLocation Loc;      ///< where to report.
};

/// A modelled call and the state just before it.
struct CallSite {
  const CallExpr *Call;
  const ApiFunction *Api;
  /// The descriptor, stream or pipe object the call acts on, when it is not
  /// the argument Api->Arg names (a member call on a Boost pipe object).
  const Expr *Subject = nullptr;
  /// The call itself reads until end-of-file (asio::read into a dynamic
  /// buffer), whatever loop it is in.
  bool ReadsToEof = false;
  /// A call of a helper whose body reads Subject to end-of-file
  /// (`drain(fds[0])`, recorded as a Read) or writes to it (`write_all(fd,
  /// buf, n)`, recorded as a Write); see CalleeSummary.h.
  bool ViaHelper = false;
  /// A Write: how many bytes it writes, when that is known.
  uint64_t WriteBytes = UINT64_MAX;
};

/// The finished analysis of one function. Checks read it; they never see the
/// CFG.
class FunctionAnalysis {
public:
  const Decl *decl() const { return D; }
  /// The function, or the lambda's call operator; null for a block.
  const FunctionDecl *function() const { return FD; }
  /// "'make_pipe'", "this lambda", "this block": for messages.
  const std::string &displayName() const { return Display; }
  bool isMain() const { return FD && FD->isMain(); }
  bool isLambda() const;
  ASTContext &context() const { return *Ctx; }
  const ApiModel &model() const { return *Model; }

  llvm::ArrayRef<EndInfo> ends() const { return Ends; }
  /// The end a writer to \p W is read from: the peer of \p W, or of the end
  /// \p W duplicates; -1 if untracked.
  int readEndOf(EndId W) const {
    const EndInfo &Info = Ends[W];
    if (Info.Kind == EndKind::Duplicate && Info.DupOf >= 0)
      return Ends[unsigned(Info.DupOf)].Peer;
    return Info.Peer;
  }
  /// How the user would name \p E on a path with \p S: the variable now
  /// holding it, or its name where it was created.
  std::string nameOf(EndId E, const PathState *S = nullptr) const;
  /// The spelling of a location ("fds[1]", "p.wr").
  std::string locName(LocKey L) const;
  /// The end that \p E evaluates to on a path with state \p S, if any.
  std::optional<EndId> endOf(const Expr *E, const PathState &S) const;
  /// The end call site \p C acts on (its Subject, or argument Api->Arg;
  /// for a Copy, its source), on a path with state \p S.
  std::optional<EndId> subjectEnd(const CallSite &C, const PathState &S) const;

  /// Every (exit, state) pair reached, in a deterministic order.
  void forEachExit(
      llvm::function_ref<void(const ExitPoint &, const PathState &)> F) const;
  /// The modelled calls a check can report on (reads, writes, closes,
  /// exec/spawn/shell; see recordsCall() in engine/FlowEngine.cpp), with each
  /// state that reaches them while some end is tracked. Others (pipe(),
  /// fork(), dup(), fcntl()...) are not recorded: a long function has
  /// hundreds of thousands of them, each with a state. A check that needs
  /// another role adds it there.
  void forEachCall(
      llvm::function_ref<void(const CallSite &, const PathState &)> F) const;

  /// The writer tasks the function starts.
  llvm::ArrayRef<TaskInfo> tasks() const { return Tasks; }
  /// Every join of a task and every destruction of a task's handle, with
  /// the state just before it.
  void forEachTaskEvent(
      llvm::function_ref<void(const TaskEvent &, const PathState &)> F) const;
  /// The local object whose constructor took end \p E (`UniqueFd in(fd)`),
  /// if any: it closes the end when it is destroyed.
  const VarDecl *ownerOf(EndId E) const;

  /// Runs the engine. Returns null when the function has nothing to track
  /// or its CFG cannot be built (quietly), or when it ran past its budget
  /// even after widening (then \p GaveUp, if given, is set: see
  /// docs/design.md, "Budget"). \p Summaries reads the bodies of the
  /// functions it calls.
  static std::unique_ptr<FunctionAnalysis>
  run(const Decl *D, ASTContext &Ctx, const ApiModel &Model, unsigned Budget,
      CalleeSummaries &Summaries, bool *GaveUp = nullptr);

  /// Runs the engine to summarise \p FD for its callers
  /// (FunctionSummaries.h): every parameter is a descriptor it may own, and
  /// what a pointer parameter points to is a place of its own, seeded with
  /// such descriptors (seededPlaces()).
  static std::unique_ptr<FunctionAnalysis>
  runForSummary(const FunctionDecl *FD, ASTContext &Ctx, const ApiModel &Model,
                unsigned Budget, CalleeSummaries &Summaries);
  /// A place that stands for what a caller passes in (summary mode only):
  /// an integer parameter (ByValue), or a place below what pointer
  /// parameter Param points to (its base is a variable standing for the
  /// pointee; Place.Sel is the path below it: `fds[1]`, `p->rd`).
  struct SeededPlace {
    LocKey Place;
    unsigned Param = 0;
    bool ByValue = false;
  };
  llvm::ArrayRef<SeededPlace> seededPlaces() const { return Seeded; }
  /// The place parameter end \p E was seeded in (summary mode), or null.
  const SeededPlace *seedOf(EndId E) const {
    auto It = SeedOfEnd.find(E);
    return It == SeedOfEnd.end() ? nullptr : &Seeded[It->second];
  }
  /// The abstract value of \p E on a path with state \p S.
  AbsVal valueOf(const Expr *E, const PathState &S) const;

  ~FunctionAnalysis();

private:
  friend class FlowEngineImpl;
  FunctionAnalysis() = default;
  static std::unique_ptr<FunctionAnalysis>
  runImpl(const Decl *D, ASTContext &Ctx, const ApiModel &Model,
          unsigned Budget, CalleeSummaries &Summaries, bool *GaveUp,
          bool ForSummary);
  std::vector<SeededPlace> Seeded;
  llvm::DenseMap<EndId, unsigned> SeedOfEnd;
  const Decl *D = nullptr;
  const FunctionDecl *FD = nullptr;
  ASTContext *Ctx = nullptr;
  const ApiModel *Model = nullptr;
  std::string Display;
  std::vector<EndInfo> Ends;
  std::vector<std::pair<ExitPoint, PathState>> Exits;
  std::vector<std::pair<CallSite, PathState>> Calls;
  std::vector<TaskInfo> Tasks;
  std::vector<std::pair<TaskEvent, PathState>> TaskEvents;
  llvm::DenseMap<EndId, const VarDecl *> Owners;
  std::unique_ptr<FlowEngineImpl> Engine;
};

} // namespace clang::tidy::pipe

#endif
