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
// call). The state of a path is AbstractState.h; how the engine computes it,
// FlowEngine.h and the files of engine/ it lists.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_FUNCTIONANALYSIS_H
#define PIPE_TIDY_ENGINE_FUNCTIONANALYSIS_H

#include "engine/AbstractState.h"
#include "models/ApiModel.h"
#include "models/Callbacks.h"
#include "summaries/CalleeSummary.h"
#include "summaries/FunctionSummaries.h"
#include "models/TaskModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
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
class ParentMap;
} // namespace clang

namespace clang::tidy::pipe {

struct CopyFact;

/// What a tracked descriptor is.
enum class EndKind : uint8_t {
  PipeRead,   ///< fds[0] of pipe()/pipe2().
  PipeWrite,  ///< fds[1] of pipe()/pipe2().
  SocketEnd,  ///< either end of socketpair(): the peer sees EOF when closed.
  Duplicate,  ///< dup()/fcntl(F_DUPFD) of a tracked write end.
  Parameter,  ///< a descriptor parameter or lambda capture the function may own.
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
  /// The handle is kept in a place other than a plain local variable (a
  /// struct member, an array element, what a pointer points to: `job.tid`,
  /// `pids[1]`, `cp->pid`): its spelling at the start, for messages.
  std::string HandleName;
  /// That place (Base null when none or not followed).
  LocKey Place;
  /// Place is a local array, an element of which, at an index not known,
  /// holds the handle (`pids[i] = fork();` in a loop): a join or wait
  /// naming any element of it (`waitpid(pids[j], ...)`) names the task.
  bool PlaceAnyElement = false;
  /// The places the handle variable was copied to (`*pidp = pid;`).
  llvm::SmallVector<LocKey, 1> CopiedTo;
  /// Summary mode: a handle the caller gave the function (`job->tid` of a
  /// `struct job *` parameter), running at entry; only whether the
  /// function joins or waits for it matters (FunctionSummary::Joins).
  bool FromCaller = false;
  /// The read ends the task reads until end-of-file (a thread function
  /// whose parameter summary says so, given the end as its argument).
  llvm::SmallVector<EndId, 1> ReadsToEof;
  /// Started by a helper given functions for its function-pointer
  /// parameters: what a call through one in Body runs (Callbacks.h; a
  /// check that reads Body does so in a CallbackScope of these).
  CallbackBindings Callbacks;
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
  /// A Join made by the destructor of this object, which holds the handle
  /// in a member (`~ChildReader() { wait(); close(fd_); }`), where the
  /// object is destroyed (At, Loc and ScopeEnd as for Destroy).
  const VarDecl *ByDestructorOf = nullptr;
};

/// A thread started with both ends of one pipe, whose routine copies one
/// into the other (`std::thread t(copy_loop, p[0], p[1])`): pipe-self-copy.
struct TaskCopy {
  TaskId Task;
  EndId From, To;
  const CopyFact *Fact = nullptr;
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
  /// Kept in a data member of the object the analysed method runs on, by
  /// a class that closes it only in its destructor (ClassModel.h).
  bool ClassMember = false;
  /// A ClassMember write end that not even the destructor closes.
  bool MemberNeverClosed = false;

  bool isWriteSide() const {
    return Kind == EndKind::PipeWrite || Kind == EndKind::SocketEnd ||
           Kind == EndKind::Duplicate;
  }
};

template <typename Fn>
inline void PathState::forEachHolder(EndId E, Fn &&F) const {
  const HolderSet *H = Holders.lookup(E);
  if (!H)
    return;
  if (!H->More) {
    for (unsigned I = 0; I < H->N; ++I)
      F(H->Keys[I]);
    return;
  }
  // More than three copies: search the places that hold an end.
  Locs.forEachWith(AggEnd, [&](uint64_t K, const AbsVal &V) {
    if (V.K == AbsVal::End && V.E == E)
      F(K);
  });
}

/// Where a path leaves the function.
struct ExitPoint {
  enum Kind { Return, FallOffEnd, Throw } K;
  /// The return or throw, null for FallOffEnd; for Throw also a call (or
  /// construction) that may throw (ThrowModel.h).
  const Stmt *S = nullptr;
  SourceLocation Loc;      ///< where to report.
  /// Throw from a call: a `throw` in the code it runs that raises it.
  const Stmt *ThrowsAt = nullptr;
  /// Throw: \p S is a call that may throw, not a throw expression.
  bool byCall() const { return K == Throw && S && !isa<CXXThrowExpr>(S); }
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
  /// A Write in a loop that writes the rest of a buffer: WriteBytes is what
  /// the whole loop writes, and a state that comes back to the call for
  /// another turn (lastWrite() is this call) has counted it already.
  bool WholeLoop = false;
  /// A call of a copy helper (ViaHelper, role Copy; summaries/CopySummary.h):
  /// the ends it copies from and into on this path, and how.
  int CopyFrom = -1, CopyTo = -1;
  const CopyFact *Copy = nullptr;
  /// A helper's read of an end it reaches through a pointer or `this`
  /// (FunctionSummary::Drains): that end, given directly.
  int SubjectEnd = -1;
  /// The expression the call acts on: Subject, or argument Api->Arg; null
  /// for a helper's read of SubjectEnd.
  const Expr *subjectExpr() const;
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
  /// The spelling of a location ("fds[1]", "p.wr"). A descriptor a class
  /// keeps in a member the code cannot name (private, outside the class's
  /// own methods: `UniqueFd::fd_`) is spelled by the object that owns it
  /// ("pp.wr"), and \p Wrapped, if given, says so.
  std::string locName(LocKey L, bool *Wrapped = nullptr) const;
  /// The end that \p E evaluates to on a path with state \p S, if any.
  std::optional<EndId> endOf(const Expr *E, const PathState &S) const;
  /// The end call site \p C acts on (its Subject, or argument Api->Arg;
  /// for a Copy, its source), on a path with state \p S.
  std::optional<EndId> subjectEnd(const CallSite &C, const PathState &S) const;

  /// Every (exit, state) pair reached, in a deterministic order.
  void forEachExit(
      llvm::function_ref<void(const ExitPoint &, const PathState &)> F) const;
  /// The modelled calls a check can report on (reads, writes, closes,
  /// exec/spawn/shell; see recordsCall() in engine/TransferCalls.cpp), with each
  /// state that reaches them while some end is tracked. Others (pipe(),
  /// fork(), dup(), fcntl()...) are not recorded: a long function has
  /// hundreds of thousands of them, each with a state. A check that needs
  /// another role adds it there.
  void forEachCall(
      llvm::function_ref<void(const CallSite &, const PathState &)> F) const;
  /// The write calls that act on end \p E on some path (subjectEnd()),
  /// indexed once: a check that asks per read stays linear in the
  /// function's size.
  llvm::ArrayRef<const CallExpr *> writesTo(EndId E) const;

  /// The writer tasks the function starts.
  llvm::ArrayRef<TaskInfo> tasks() const { return Tasks; }
  /// A write end given to a task whose routine closes it at its end but
  /// returns earlier without closing it (FunctionSummary::PartlyCloses;
  /// engine/RoutineEnds.cpp): taken closed at the start, and each such
  /// early exit is a leak of it.
  struct RoutineOpenEnd {
    TaskId Task;
    EndId End;
    const FunctionDecl *Routine;
    const FunctionSummary::PartClose *Part;
    /// The pipe's read end was open in this process at the start: a
    /// reader may still wait for end-of-file.
    bool ReadEndOpen = false;
    std::string Name; ///< the end's name at the start
  };
  llvm::ArrayRef<RoutineOpenEnd> routineOpenEnds() const {
    return RoutineOpenEnds;
  }
  /// Every join of a task and every destruction of a task's handle, with
  /// the state just before it.
  void forEachTaskEvent(
      llvm::function_ref<void(const TaskEvent &, const PathState &)> F) const;
  /// Every start of a thread that copies one pipe into itself, with the
  /// state just before it.
  llvm::ArrayRef<std::pair<TaskCopy, PathState>> taskCopies() const {
    return TaskCopies;
  }
  /// The local object whose constructor took end \p E (`UniqueFd in(fd)`),
  /// if any: it closes the end when it is destroyed.
  const VarDecl *ownerOf(EndId E) const;
  /// The call that took end \p E out of the object that owned it
  /// (`pp.wr.release()`), if one did: from there on, the object does not
  /// close it.
  const CallExpr *releasedBy(EndId E) const {
    auto It = Releases.find(E);
    return It == Releases.end() ? nullptr : It->second;
  }
  /// The call that left end \p E open but took it out of the place that
  /// held it, without closing it (FunctionSummary::Drops: a setter, a move
  /// assignment that takes the other object's descriptor over its own).
  const CallExpr *droppedBy(EndId E) const {
    auto It = Drops.find(E);
    return It == Drops.end() ? nullptr : It->second;
  }
  /// A constructor analysed with its object's members as places (it may
  /// throw, ThrowModel.h): the variable standing for `*this`, else null.
  const ValueDecl *constructedObject() const { return ConstructedObject; }
  /// Is \p Base the place of an object this function allocated
  /// (engine/HeapObjects.cpp)? It is the function's own, as a local is,
  /// until its address leaves.
  bool isAllocatedObject(const ValueDecl *Base) const {
    return AllocatedObjects.count(Base) != 0;
  }
  /// The pointer the code first reaches allocated object \p Base through
  /// (`spool` of `auto spool = std::make_unique<Spool>()`), or "".
  std::string allocatedObjectName(const ValueDecl *Base) const {
    auto It = AllocatedObjects.find(Base);
    return It == AllocatedObjects.end() ? std::string() : It->second;
  }
  /// Where end \p E was first stored into a member of that object.
  const Stmt *memberStoreOf(EndId E) const {
    auto It = MemberStores.find(E);
    return It == MemberStores.end() ? nullptr : It->second;
  }
  /// The statement directly around \p S in this function's body, or null
  /// at the body (or outside it). From a parent map of this body alone,
  /// built on first use: ASTContext::getParents() would build the map of
  /// the whole translation unit, system headers included.
  const Stmt *parentOf(const Stmt *S) const;
  /// The for, while and do statements at or around \p S in this
  /// function's body, innermost first; with \p WithRangeFor, range-based
  /// for statements too.
  llvm::SmallVector<const Stmt *, 2>
  loopsAround(const Stmt *S, bool WithRangeFor = false) const;
  /// Is \p S inside a loop (range-based for included) that does not also
  /// contain \p Outside: one that may run no turn, or several, before
  /// \p Outside is reached?
  bool inLoopOutside(const Stmt *S, const Stmt *Outside) const;
  /// The condition and the body of a loop statement (for, while, do,
  /// range-for; null for another statement or a `for (;;)`).
  static const Expr *loopCondition(const Stmt *Loop);
  static const Stmt *loopBody(const Stmt *Loop);

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
  /// such descriptors (seededPlaces()). With \p StopWhenCut (for
  /// FunctionSummaries::get() only), it stops after discovery, with no
  /// result, when a summary the function's calls asked for was cut short:
  /// then the function has no summary whatever the rest would show.
  static std::unique_ptr<FunctionAnalysis>
  runForSummary(const FunctionDecl *FD, ASTContext &Ctx, const ApiModel &Model,
                unsigned Budget, CalleeSummaries &Summaries,
                bool StopWhenCut = false);
  /// A place that stands for what a caller passes in (summary mode only):
  /// an integer parameter (ByValue), or a place below what pointer
  /// parameter Param points to (its base is a variable standing for the
  /// pointee; Place.Sel is the path below it: `fds[1]`, `p->rd`).
  struct SeededPlace {
    LocKey Place;
    unsigned Param = 0; ///< SummarySlot::ThisParam for `this`.
    bool ByValue = false;
    /// A lambda: the caller's variable it captures by reference (Place is
    /// below it), rather than a parameter.
    const ValueDecl *Captured = nullptr;
    /// A struct with members the analysis does not follow (a nested
    /// struct, an object): the callee may change what the caller keeps
    /// there.
    bool Opaque = false;
  };
  llvm::ArrayRef<SeededPlace> seededPlaces() const { return Seeded; }
  /// The place parameter end \p E was seeded in (summary mode), or null.
  const SeededPlace *seedOf(EndId E) const {
    auto It = SeedOfEnd.find(E);
    return It == SeedOfEnd.end() ? nullptr : &Seeded[It->second];
  }
  /// The abstract value of \p E on a path with state \p S.
  AbsVal valueOf(const Expr *E, const PathState &S) const;
  /// What a summary's slot (parameter \p Param, or the object of a member
  /// call, and the selectors \p Sel below it) names at the call \p CE of a
  /// summarised helper, on a path with state \p S, as the engine applies
  /// the summary there: the argument (Sel 0, Value slot), or the place
  /// below what the argument points or refers to (`finish(*gen)` with
  /// `gen` a std::unique_ptr, `finish(&job)`, `job.finish()`).
  AbsVal slotValueAt(const CallExpr *CE, unsigned Param, bool Pointee,
                     SelPath Sel, const PathState &S) const;
  /// Checked analysis: does some exit leave an end this function made
  /// in a place below one of its pointer or reference parameters (before
  /// the caller takes it)? Only then can a second, summary-mode analysis
  /// find one the caller is given on success and loses on failure.
  bool leavesMadeEndsBelowParams() const { return MadeEndsBelowParams; }

  ~FunctionAnalysis();

private:
  friend class FlowEngineImpl;
  FunctionAnalysis() = default;
  static std::unique_ptr<FunctionAnalysis>
  runImpl(const Decl *D, ASTContext &Ctx, const ApiModel &Model,
          unsigned Budget, CalleeSummaries &Summaries, bool *GaveUp,
          bool ForSummary, bool StopWhenCut = false);
  std::vector<SeededPlace> Seeded;
  llvm::DenseMap<EndId, unsigned> SeedOfEnd;
  /// Checked analysis: some exit held such an end there, before the
  /// caller took it (FlowEngineImpl::settleParamPointees()).
  bool MadeEndsBelowParams = false;
  const Decl *D = nullptr;
  const FunctionDecl *FD = nullptr;
  ASTContext *Ctx = nullptr;
  const ApiModel *Model = nullptr;
  std::string Display;
  std::vector<EndInfo> Ends;
  std::vector<std::pair<ExitPoint, PathState>> Exits;
  std::vector<std::pair<CallSite, PathState>> Calls;
  std::vector<TaskInfo> Tasks;
  std::vector<RoutineOpenEnd> RoutineOpenEnds;
  std::vector<std::pair<TaskEvent, PathState>> TaskEvents;
  std::vector<std::pair<TaskCopy, PathState>> TaskCopies;
  llvm::DenseMap<EndId, const VarDecl *> Owners;
  const ValueDecl *ConstructedObject = nullptr;
  /// Allocated objects, each with the pointer the code reaches it through
  /// first (`c` of `struct chan *c = calloc(...)`; empty if none).
  llvm::DenseMap<const ValueDecl *, std::string> AllocatedObjects;
  llvm::DenseMap<EndId, const Stmt *> MemberStores;
  llvm::DenseMap<EndId, const CallExpr *> Releases;
  llvm::DenseMap<EndId, const CallExpr *> Drops;
  std::unique_ptr<FlowEngineImpl> Engine;
  mutable std::unique_ptr<ParentMap> Parents;
  mutable std::unique_ptr<llvm::DenseMap<EndId, llvm::SmallVector<const CallExpr *, 2>>>
      WritesByEnd;
};

/// Can a value of type \p T be a descriptor: an integer that is not a bool,
/// a character or an enum. What summaries and the class model follow.
bool mayHoldDescriptorValue(QualType T);

/// The definition of the struct or class \p T, when the analysis can
/// follow its members as places: not a union or a template pattern, no
/// bases, no virtual functions. Null otherwise.
const RecordDecl *plainRecordDefinition(QualType T);

/// The record of member type \p FT when it holds descriptors one level
/// down and nothing the summaries cannot follow: integer members (at most
/// 16) and members \p Plain says hold no descriptor, no bases, no nested
/// records or arrays (`struct Ends { int rd, wr; }`). Null otherwise. The
/// summaries seed its descriptors (SummaryPlaces.cpp), and the class model
/// takes a member of it as one of the class's descriptor members.
const RecordDecl *
nestedDescriptorRecord(QualType FT, llvm::function_ref<bool(QualType)> Plain);

/// Is an allocated object of type \p T followed as a place
/// (engine/HeapObjects.cpp): a complete struct or class whose destruction
/// does nothing?
bool isFollowedHeapType(QualType T);

/// Is \p FD free() or one of its kin (cfree, xfree, g_free): it ends the
/// object it is given without reading or keeping anything in it?
bool isDeallocator(const FunctionDecl *FD);

/// The places below an aggregate of type \p T that may hold a descriptor,
/// as selectors (Aggregates.cpp): a struct's or class's integer members and
/// the elements of its `int[2]` members, a std::pair's `first` and
/// `second`, a std::tuple's or std::array's integer elements (element I;
/// `std::get<I>(t)` names it). At most 16 members. A class with a
/// destructor of its own has none (its members are its own), but with
/// \p OwnDestructorToo: an object a pointer reaches, whose destructor runs
/// where it is deleted (ResultShape).
void aggregateElementSels(QualType T, llvm::SmallVectorImpl<SelPath> &Out,
                          bool OwnDestructorToo = false);
/// The places below \p Prefix of a struct of type \p RD (its integer
/// members, as deep as a place can be): aggregateElementSels() of a plain
/// struct.
void recordElementSels(const RecordDecl *RD, SelPath Prefix,
                       llvm::SmallVectorImpl<SelPath> &Out);

/// Does the first read of \p Body (a modelled read, in source order) come
/// before every call that may close or redirect a descriptor number (a
/// close(), dup2(), exec, a helper that may, a call it cannot see)?
/// (FdCopies.cpp)
bool readsBeforeRedirecting(const Stmt *Body, const ApiModel &Model,
                            const SourceManager &SM);

/// Is \p CE an allocation that returns NULL when it fails (malloc,
/// calloc, realloc, a project allocator; HeapObjects.cpp)?
bool mayFailToAllocate(const CallExpr *CE);

/// How a function's result can carry pipe ends to its caller, for its
/// summaries (creator: FunctionSummaries.cpp, start: StartPipes.cpp).
struct ResultShape {
  /// A struct, pair, tuple or array returned by value: the ends are in its
  /// members, and whether it failed is told by them.
  bool Record = false;
  /// A pointer to an object it allocates (`struct chan *chan_new(void)`,
  /// HeapObjects.cpp): the ends are in the object's members, and failure
  /// returns NULL.
  bool Pointer = false;
  /// A std::optional of such a struct (Record): the optional is followed
  /// as the struct, and `return std::nullopt;` fails.
  bool Optional = false;
  /// The members of that struct or object that can hold a descriptor, as
  /// selectors below it (aggregateElementSels()).
  llvm::SmallVector<SelPath, 8> Sels;
  explicit ResultShape(QualType RetT);
  /// At exit \p X with state \p S of \p A: the value returned (\p Ret),
  /// and the place of the struct returned by value or of the allocated
  /// object still the function's own that it returns.
  std::optional<LocKey> returnedPlace(const FunctionAnalysis &A,
                                      const Stmt *X, const PathState &S,
                                      std::optional<AbsVal> &Ret) const;
  /// Is exit \p X of an Optional result `return std::nullopt;` or
  /// `return {};`: no object, a failure?
  bool returnsEmpty(const Stmt *X) const;
};

} // namespace clang::tidy::pipe

#endif
