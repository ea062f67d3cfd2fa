//===--- FlowEngine.h - the engine's private parts ------------------------===//
//
// The flow engine behind FunctionAnalysis (FunctionAnalysis.h; checks
// include only that): one forward dataflow analysis over Clang's CFG for one
// function. Its parts, each in its own file of engine/:
//   1. discovery   (Discovery.cpp): which ends exist (creation calls,
//                  owned parameters);
//   2. values      (Values.cpp): eval() / lvalueOf() give an expression's
//                  abstract value or the tracked location it names, without
//                  side effects; Conditions.cpp: what a branch condition
//                  says, and the facts a branch leaves on its path;
//   3. transfer:   one CFG element applied to one path state
//                  (TransferElement.cpp), calls may split a path: pipe()
//                  succeeds or fails, fork() returns three ways
//                  (TransferCalls.cpp); stores, hand-offs and closes
//                  (TransferStorage.cpp); writer tasks (Tasks.cpp); callee
//                  and function summaries at a call (ApplySummaries.cpp,
//                  MovedPlaces.cpp),
//                  the places a summarised function and a method of a
//                  class that keeps a pipe start with (SummaryPlaces.cpp);
//   4. fixpoint    (Fixpoint.cpp): a worklist over blocks in reverse
//                  post-order, with at most MaxStatesPerBlock states per
//                  block, joined and widened after MaxVisitsPerBlock visits
//                  so that the work stays linear;
//   5. replay      (Fixpoint.cpp): one more pass over the final states that
//                  records, for the checks, the state before every modelled
//                  call and at every exit.
// The path state itself is AbstractState.h/.cpp; the result the checks read,
// FunctionAnalysis.cpp.
//
// This header declares FlowEngineImpl; EngineShared.h, the helpers its
// files share; EngineTypes.h, the plain records they share; and
// EngineIndexes.h, the data an analysis keeps besides its states (namespace
// detail). None is part of the engine's interface.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_FLOWENGINE_H
#define PIPE_TIDY_ENGINE_FLOWENGINE_H

#include "engine/FunctionAnalysis.h"
#include "summaries/FunctionSummaries.h"
#include "Compat.h"
#include "engine/EngineShared.h"
#include "engine/EngineIndexes.h"
#include "engine/EngineTypes.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/Builtins.h"
#include "models/BoostPipeModel.h"
#include "models/ThrowModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>
#include <cstdlib>
#include <queue>

namespace clang::tidy::pipe {

// The helpers the engine's files share: EngineShared.h.
using namespace detail;

//===----------------------------------------------------------------------===//
// The engine.
//===----------------------------------------------------------------------===//

class FlowEngineImpl : public detail::WorkAccount,
                       private detail::FunctionIndexes {
public:
  FlowEngineImpl(FunctionAnalysis &R, const Stmt *Body, unsigned Budget,
                 CalleeSummaries &Summaries)
      : WorkAccount(Budget), R(R), Ctx(*R.Ctx), Model(*R.Model),
        Summaries(Summaries), Body(Body) {}

  bool run();
  AbsVal eval(const Expr *E, const PathState &S) const;
  /// The expression a call passes for parameter \p Param of its callee
  /// (SummarySlot::ThisParam: the object of a member call or the lambda).
  static const Expr *argumentFor(const CallExpr *CE, unsigned Param);
  /// The caller's place argument \p Param names as a whole: what a pointer
  /// points to, what a reference refers to, the object of a member call.
  std::optional<LocKey> argumentPlace(const CallExpr *CE, unsigned Param,
                                      const PathState &S,
                                      bool EvenEscaped = false) const;

private:
  // Records the engine's parts share (EngineTypes.h).
  using CloseAllLoop = detail::CloseAllLoop;
  using CloseEachLoop = detail::CloseEachLoop;
  using JoinAllLoop = detail::JoinAllLoop;
  using TaskCode = detail::TaskCode;
  using BlockData = detail::BlockData;
  using Lvalue = detail::Lvalue;

  // 1. discovery
  bool discoverEnds();
  void addParameterEnds(const ValueDecl *VD, QualType T, PathState &Init);
  bool isTrackableBase(const ValueDecl *VD) const;

  // 2. values
  std::optional<Lvalue> lvalueOf(const Expr *E, const PathState &S) const;
  /// What a place holds: its value if the state follows it, else a value
  /// just stored there (PathState::freshStore()), else nothing known.
  static std::optional<AbsVal> valueAt(const Lvalue &LV, const PathState &S);
  /// What `a[i]` holds when \p LV is it with i not known: the value the
  /// path last stored there, while neither i nor a changed
  /// (PathState::ElementStores).
  static std::optional<AbsVal> elementStored(const Expr *E, const Lvalue &LV,
                                             const PathState &S);
  static void rememberElementStore(PathState &S, const Expr *Lhs,
                                   const Lvalue &LV, const AbsVal &V);
  std::optional<Lvalue> bindingPlace(const BindingDecl *BD,
                                     const PathState &S) const;
  int truth(const Expr *Cond, const PathState &S) const;
  ValueRange intervalOf(const AbsVal &V) const;
  void refineOnBranch(const Expr *Cond, bool Taken, PathState &S) const;
  /// Summary mode: does \p Cond, taken the \p Taken way, say that what an
  /// allocation returned is NULL (`!buf`, `buf == NULL`, `buf` false)?
  bool testsFailedAllocation(const Expr *Cond, bool Taken) const;
  /// The local variables that hold what malloc(), calloc(), realloc() or a
  /// project allocator returned (or another such variable), found once.
  mutable std::optional<llvm::DenseSet<const VarDecl *>> AllocResultVars;
  bool testsSplitResult(const Expr *Cond, const PathState &S) const;
  using CondKey = detail::CondKey;
  std::optional<CondKey> condKey(const Expr *E) const;
  std::optional<CondKey> computeCondKey(const Expr *E) const;
  mutable llvm::DenseMap<const Expr *, std::optional<CondKey>> CondKeys;
  const std::optional<BoostPipeOp> &boostOpOf(const CallExpr *CE);
  llvm::DenseMap<const CallExpr *, std::optional<BoostPipeOp>> BoostOps;
  void addPipeEnds(const Expr *Origin, bool Socket, bool OwnedByObject);
  void closeEnd(PathState &S, EndId E);
  int recalledTruth(const Expr *Cond, const PathState &S) const;
  void rememberTruth(const Expr *Cond, bool Taken, PathState &S) const;
  static void forgetFactsAbout(PathState &S, const ValueDecl *VD);
  // && and || evaluated for their value: their operands' truth carried to
  // the operator's block (Conditions.cpp).
  llvm::DenseMap<const Expr *, unsigned> ValueOperators;
  bool ValueOperatorsScanned = false;
  unsigned valueOperatorBlock(const Expr *Outer);
  const Expr *outermostLogical(const Expr *Operand);
  void rememberOperandTruth(const Expr *Operand, int Truth, PathState &S);
  int occurrenceTruth(const Expr *E, const PathState &S) const;
  void recordOperandEdge(const CFGBlock *From, const Stmt *Term, bool Value,
                         PathState &S);
  void dropOperandFacts(const CFGBlock *From, PathState &S);
  static void intersectFacts(PathState &Into, const PathState &Other);
  bool hasFlagBit(const Expr *E, int64_t Bit, const PathState &S) const;
  static AbsVal lookupTemp(const PathState &S, const Expr *E);

  // 3. transfer
  void transferElement(const Stmt *St, PathState &S,
                       llvm::SmallVectorImpl<PathState> &Out, bool Observe);
  void transferCall(const CallExpr *CE, PathState &S,
                    llvm::SmallVectorImpl<PathState> &Out, bool Observe);
  void transferDecl(const VarDecl *VD, PathState &S);
  /// The end of the scope of a variable declared with
  /// `__attribute__((cleanup(f)))`: f(&var) runs.
  void transferCleanupFunction(const VarDecl *VD, PathState &S);
  void transferHoldingVars(llvm::ArrayRef<const VarDecl *> Holding,
                           PathState &S, llvm::SmallVectorImpl<PathState> &Out,
                           bool Observe);
  void initialize(LocKey L, QualType T, const Expr *Init, PathState &S,
                  unsigned Depth);
  /// `T x;` whose constructor does nothing but its members' initializers:
  /// x's integer members those set to constants (`int rd = -1;`) hold them.
  void defaultInitializedMembers(const CXXConstructExpr *CCE, LocKey L,
                                 PathState &S);
  void store(PathState &S, const Lvalue &LV, const AbsVal &V);
  void setLoc(PathState &S, LocKey L, const AbsVal &V);
  /// memset(), bzero() of an object: true when \p CE is one (nothing is
  /// handed off), with the places it fills set (HeapObjects.cpp).
  bool fillObject(const CallExpr *CE, const FunctionDecl *FD, PathState &S);
  /// `std::swap(fd_, o.fd_)` of two integer places the path follows: true
  /// when \p CE is one, with their values exchanged (ObjectCalls.cpp).
  bool swapPlaces(const CallExpr *CE, const FunctionDecl *FD, PathState &S);
  /// A record copied from \p From to \p To: each place below From is
  /// copied to the same path below To; a value that would land deeper than
  /// a place can be (MaxSelDepth) is handed off.
  void copyRecord(PathState &S, LocKey To, LocKey From);
  void handOffExpr(PathState &S, const Expr *E);
  void handOffValue(PathState &S, const AbsVal &V);
  /// Set while the arguments of a function whose body is not seen are
  /// handed off: the ends get PassedAway.
  bool HandingToUnknownCall = false;
  /// poll()'s set \p Ptr: it writes each entry's revents, so the numbers
  /// kept below it become unknown; the descriptors there stay, marked
  /// PolledFor.
  void transferPollSet(PathState &S, const Expr *Ptr);
  void handOffWithin(PathState &S, LocKey Outer);
  /// The ends within \p Outer are handed off; the place itself is not
  /// marked escaped (its other places stay ours).
  void handOffEndsWithin(PathState &S, LocKey Outer);
  void collect(PathState &S, EndId E);
  /// On a fork() child's path: the child writes \p E (or may: an unknown
  /// call gets it).
  void noteChildWrite(const PathState &S, EndId E);
  /// Some child process of this function writes \p Wr or a dup() of it, or
  /// makes it its standard output or error (ChildWritten).
  bool childMayWrite(EndId Wr) const { return ChildWritten.count(Wr) > 0; }
  /// The write-side ends a fork() child's paths write or hand to an unknown
  /// call, with every end each is a dup() of, and the ends a child process
  /// makes its standard output or error: recorded as the engine walks the
  /// child's paths and starts (noteChildStdStream()), so that collect()
  /// asks in constant time (it runs at every close).
  mutable llvm::DenseSet<EndId> ChildWritten;
  void closeValue(PathState &S, const Expr *Arg);
  // A loop that closes every descriptor but some (CloseAllLoops.cpp).
  std::optional<CloseAllLoop> recognizeCloseAllLoop(const ForStmt *FS) const;
  /// The loop whose init statement \p St is, if it closes every descriptor
  /// but some.
  const CloseAllLoop *closeAllLoopStartedBy(const Stmt *St);
  llvm::DenseMap<const ForStmt *, std::optional<CloseAllLoop>> CloseAllLoops;
  void applyCloseAllLoop(const CloseAllLoop &L, PathState &S);
  /// `for (int fd : {a, b}) close(fd);`, `for (int fd : fds_) if (fd >= 0)
  /// close(fd);`: a range-for that closes each descriptor of a braced list
  /// or of an array, taken whole at its range statement.
  const CloseEachLoop *closeEachLoopStartedBy(const Stmt *St);
  /// The range-for whose range statement \p St is (where such a loop is
  /// taken whole), if any.
  const CXXForRangeStmt *rangeForStartedBy(const Stmt *St) const;
  llvm::DenseMap<const Stmt *, std::optional<CloseEachLoop>> CloseEachLoops;
  void applyCloseEachLoop(const CloseEachLoop &L, PathState &S);
  /// A modelled call's argument \p I, a pointer to places of ours that the
  /// callee may write (`read(fd, &hdr, n)`): their numbers are forgotten.
  void forgetNumbersWrittenThrough(PathState &S, const CallExpr *CE,
                                   const FunctionDecl *Callee, unsigned I);
  /// The numbers kept within \p Outer become unknown (the ends stay).
  void forgetNumbersWithin(PathState &S, LocKey Outer);
  // Threads and futures kept in a container (TaskContainers.cpp).
  /// Discovery: a push_back()/emplace_back() that puts a task in a local
  /// container makes the container its handle (InitOf).
  void noteContainerStart(const Stmt *St);
  /// size(), empty(), reserve(), and the calls that add a task, on a local
  /// container of tasks: the container stays ours.
  bool isContainerBookkeeping(const CallExpr *CE) const;
  /// The range-for whose range statement \p St is, if it joins every
  /// element of a container of tasks.
  const JoinAllLoop *joinAllLoopStartedBy(const Stmt *St);
  llvm::DenseMap<const Stmt *, std::optional<JoinAllLoop>> JoinAllLoops;
  void applyJoinAllLoop(const JoinAllLoop &L, PathState &S, bool Observe);
  // Descriptor numbers dup2() made copies of write ends (FdCopies.cpp).
  /// `dup2(Src, Target)`: descriptor Target (\p Fd, made by \p Site)
  /// releases the copy it held, and becomes a copy of \p Src when that is
  /// a write-side end open on this path.
  void transferDup2Copy(const CallExpr *CE, std::optional<EndId> Src,
                        const Expr *Target, PathState &S) const;
  void makeFdCopy(PathState &S, int Fd, std::optional<EndId> Src,
                  const Expr *Site) const;
  /// `close(1)`, `fclose(stdout)`: releases that number's copy.
  void releaseClosedCopy(const Expr *Arg, PathState &S) const;
  /// A call that may redirect or close descriptors the analysis does not
  /// see (a function not in the model: a helper, one declared outside the
  /// system headers, freopen(), daemon()): forgets the copies it may touch.
  /// The dup2() copies this path held before the call being transferred
  /// forgot them (forgetCopiesAtCall()): a helper that drains before it
  /// redirects reads with them in place (ApplySummaries.cpp).
  llvm::SmallVector<PathState::FdCopy, 0> CopiesBeforeCall;
  void forgetCopiesAtCall(const CallExpr *CE, const FunctionDecl *Callee,
                          PathState &S) const;
  /// The ends of a new pipe (a loop that makes it again): no copy held
  /// before is a copy of these.
  static void dropCopiesOf(EndId E, PathState &S);
  static void joinFdCopies(PathState &J, const PathState &A,
                           const PathState &B);
  // Boost pipe objects (BoostPipeModel.h)
  std::optional<LocKey> objectEndLoc(LocKey Obj, QualType T,
                                     PipeSide Side) const;
  void placeObjectEnd(PathState &S, LocKey Obj, QualType T, PipeSide Side,
                      EndId E);
  void transferBoostOp(const CallExpr *CE, const BoostPipeOp &Op,
                       PathState &S, bool Observe);
  void noteWrite(PathState &S, EndId E, const CallExpr *CE,
                 const AbsVal &N);
  /// A write of an amount we cannot count to \p E, in a loop that does not
  /// read the pipe back: the loop writes an unbounded amount.
  void noteUnknownWriteInLoop(PathState &S, EndId E, const CallExpr *CE);
  /// The innermost loop of this function around each such write (null:
  /// none).
  llvm::DenseMap<const CallExpr *, const Stmt *> LoopOfWrite;
  /// Writes that count what their whole loop writes (countedWriteLoopBytes()):
  /// another turn adds nothing, so widening keeps the amount.
  llvm::DenseSet<const Expr *> WholeLoopWrites;
public:
  std::optional<EndId> objectEnd(const Expr *Obj, PipeSide Side,
                                 const PathState &S) const;
private:
  void setTemp(PathState &S, const Expr *E, const AbsVal &V);
  bool isEscaped(const PathState &S, const ValueDecl *VD) const;
  bool resultIsKept(const CallExpr *CE) const;
  bool formatsValue(const CallExpr *CE, const FunctionDecl *Callee,
                    unsigned I) const;
  const VarDecl *readOnlyAddress(const CallExpr *CE,
                                 const FunctionDecl *Callee, unsigned I) const;
  /// A struct passed as `const struct T *` to a function whose body we see
  /// and that reaches no call that makes or closes a descriptor, starts or
  /// ends a task (FunctionSummaries::mayMatter()): it cannot change the
  /// struct, so the struct's descriptors and tasks stay the caller's
  /// (`fetch_chunk(j, off, buf, n)` reading `j->size`).
  bool leavesRecordAlone(const CallExpr *CE, const FunctionDecl *Callee,
                         unsigned I, const PathState &S);
  void markEscaped(PathState &S, const ValueDecl *VD);
  /// A member of a struct variable whose address left the function
  /// (`init_job(&f.job)`): only that member's places are no longer
  /// followed (PathState::memberEscaped()).
  bool isStructMember(LocKey L) const;
  void markMemberEscaped(PathState &S, LocKey Member);
  std::optional<EndId> endIn(const Expr *E, const PathState &S) const;
  /// The end place \p L holds on \p S, if it is given and holds one.
  static std::optional<EndId> endAt(std::optional<LocKey> L,
                                    const PathState &S) {
    AbsVal V = L ? S.load(*L) : AbsVal::unknown();
    return V.K == AbsVal::End ? std::optional<EndId>(V.E) : std::nullopt;
  }
  /// The end a copy summary's Captured slot names on \p S, where the
  /// lambda is made or called (CopyHelperCalls.cpp).
  std::optional<EndId> capturedEnd(const SummarySlot &Sl,
                                   const PathState &S) const;

  // 4. fixpoint
  void processBlock(const CFGBlock *B, llvm::SmallVectorImpl<PathState> &States,
                    bool Observe);
  /// decidedCondition()'s answers for the operators of && / || chains
  /// already walked, by operator and edge value.
  llvm::DenseMap<const Expr *, const Expr *> DecidedAbove[2];
  const Expr *decidedCondition(const Stmt *Term, const Expr *Cond,
                               const Expr *Operand, bool Value,
                               bool &WholeValue);
  void propagate(const CFGBlock *From, PathState &S, bool Observe);
  void enqueueState(const CFGBlock *To, PathState S);
  PathState join(const PathState &A, const PathState &B, bool Widen);
  static bool sameEndFacts(const PathState &A, const PathState &B);
  /// Different ends created, and a remembered condition with different
  /// truths: a join would lose what tells them apart (Fixpoint.cpp).
  static bool keptApart(const PathState &A, const PathState &B);
  /// keptApart(), or \p A and \p B disagree on whether an end made inside
  /// a loop around \p At is open (leftOpenByTurn()).
  bool keptApartAt(const PathState &A, const PathState &B, BlockData &At);
  bool leftOpenByTurn(const PathState &A, const PathState &B, BlockData &At);
  bool inLoopBody(const Stmt *S, const Stmt *Loop) const;
  void widenBlock(BlockData &BD);
  void collapseBlock(BlockData &BD);
  void enqueueInto(BlockData &BD, const CFGBlock *To, PathState S);
  void recordExit(const CFGBlock *B, const PathState &S);

  // 5. tasks (TaskModel.h)
  void discoverTasks();
  void addTask(const Stmt *Origin, TaskKind K, const VarDecl *Handle,
               const TaskStart *Start, const Expr *Place = nullptr);
  const Stmt *forkChildBranch(const CallExpr *Fork, const VarDecl *Pid,
                              const Expr *Place = nullptr) const;
  /// Does \p CE call a function of the program that never returns to its
  /// caller (ForkChildBranches.cpp): the path ends in it, as in `_exit()`.
  bool callNeverReturns(const CallExpr *CE);
  llvm::DenseMap<const FunctionDecl *, bool> NeverReturns;
  void collectHeld(const Expr *E, const PathState &S, TaskInfo &T,
                   unsigned Depth = 0) const;
  void addHeldWithin(LocKey L, const PathState &S, TaskInfo &T) const;
  void addHeldEnd(EndId E, TaskInfo &T) const;
  void recordLambdaReads(TaskInfo &, const LambdaExpr *, const PathState &);
  void startTask(TaskId T, PathState &S);
  /// The copy of one pipe into itself that task \p T's routine makes with
  /// what its start passes it on \p S, if any (TaskCopies.cpp).
  std::optional<TaskCopy> taskSelfCopy(TaskId T, const PathState &S);
  /// After the start: records \p Copy (found on \p Before) for the checks
  /// and marks the task as never ending when its copy loop cannot end.
  void applyTaskSelfCopy(const std::optional<TaskCopy> &Copy,
                         const PathState &Before, PathState &S, bool Observe);
  /// startTask() and placeTaskHandle() of a thread's start, with the copy
  /// of a pipe into itself judged on the state before it.
  void startTaskCheckingCopy(TaskId T, PathState &S, bool Observe);
  /// A descriptor \p Arg that task \p T's routine gets by value and only
  /// uses (it stays ours) or closes on every path (closed here): true
  /// instead of handing it off (RoutineEnds.cpp).
  bool keepRoutineEnd(TaskId T, const Expr *Arg, PathState &S);
  /// A write end \p E in a place a thread routine uses through a pointer
  /// and leaves open on every exit (\p KeptOpen): UsedByTask, kept.
  bool keepUsedEnd(EndId E, bool KeptOpen, PathState &S);
  /// A write end \p E, at \p Slot of task \p T's routine, that the routine
  /// closes at its end but leaves open on an earlier exit
  /// (FunctionSummary::PartlyCloses): closed at the start, as the routine's
  /// end closes it, and recorded for pipe-unclosed-write-end, which reports
  /// the early exits (FunctionAnalysis::routineOpenExits()).
  bool closeAtRoutineEnd(TaskId T, EndId E, const FunctionSummary &FS,
                         const SummarySlot &Slot, PathState &S);
  /// The same as keepRoutineEnd() for \p VD, captured by copy by a task's
  /// lambda \p LE.
  bool keepRoutineCapture(const LambdaExpr *LE, const ValueDecl *VD,
                          PathState &S);
  /// The same for a part of a variable a thread's lambda captures by
  /// reference (`fds[1]` of `[&]`), holding \p V, named by the expressions
  /// \p IsPart accepts.
  bool keepCapturedPart(const LambdaExpr *LE, AbsVal V,
                        llvm::function_ref<bool(const Expr *)> IsPart,
                        PathState &S);
  /// `[this]` of a thread's lambda \p LE that names member \p Field of
  /// `*this` (place \p L): an end held in the member itself or in one of
  /// its elements (`wr_`, `fds_[1]`) that the lambda's own code only uses
  /// stays ours (keepCapturedPart()); every other end within \p L is
  /// handed off.
  void giveMemberToThread(const LambdaExpr *LE, unsigned Field, LocKey L,
                          PathState &S);
  uint64_t evalBound(const WriteBound &W, const TaskStart &Start,
                     const TaskCallable &C, const PathState &S) const;
  llvm::SmallVector<TaskId, 2> tasksNamedBy(const Expr *Handle,
                                           const PathState &S) const;
  /// A task whose handle is kept in a place (TaskCode::HandlePlace): that
  /// place on this path, or the task is handed off when the engine does not
  /// follow it (a member of a parameter, an element with an unknown index).
  void placeTaskHandle(TaskId T, PathState &S);
  /// Hands off the running tasks whose handle place is within \p Outer
  /// (the whole variable when \p WholeVar).
  void handOffTasksWithin(PathState &S, LocKey Outer, bool WholeVar);
  /// Summary mode: a task the caller gave (a join or wait of a handle in a
  /// place the caller passes in), running at entry (TaskInfo::FromCaller).
  void seedCallerTasks();
  /// A call of a helper whose summary joins or waits for the tasks whose
  /// handles are in places the caller passes (FunctionSummary::Joins).
  void applyTaskJoins(const CallExpr *CE, const FunctionSummary &FS,
                      PathState &S, bool Observe);
  /// At such a join (state \p AtJoin): the ends in places the helper
  /// neither keeps nor closes are Lost, since what it does with them may
  /// come first.
  void markUnknownAtJoin(const CallExpr *CE, const FunctionSummary &FS,
                         const PathState &S, PathState &AtJoin);
  void joinTask(TaskId T, const CallExpr *CE, PathState &S, bool Observe);
  /// A call of a helper that starts task \p T into a place of ours: what
  /// it holds, where its handle is; the task's status after the call.
  uint8_t applyTaskStart(const CallExpr *CE, TaskId T, PathState &S);
  /// When task \p T, started by the helper call \p CE, is a fork() child
  /// that runs another program keeping what it inherits
  /// (ChildPrograms.h): a program start for the checks (InheritedEnds.cpp),
  /// with the ends the call's arguments reach marked SpawnRelated (the
  /// helper's child may use or close them by name).
  void recordHelperSpawn(const CallExpr *CE, TaskId T, const PathState &S);
  /// After the call's other effects (its arguments handed off or kept):
  /// the started task's status back as applyTaskStart() left it, and the
  /// path where the helper started nothing, split off by its result.
  void finishTaskStart(const CallExpr *CE, TaskId T, uint8_t Status,
                       llvm::SmallVectorImpl<PathState> &Out, size_t First);
  /// A start helper that makes the task's pipes (StartPipes.cpp): its
  /// ends, where it leaves them, one path per outcome; false when it has
  /// no outcomes or leaves an end where we do not follow.
  bool applyStartOutcomes(const CallExpr *CE, TaskId T, uint8_t Status,
                          PathState &S, llvm::SmallVectorImpl<PathState> &Out);
  /// The caller's place a start helper's slot names (a pointee, a member
  /// of the struct it returns).
  std::optional<LocKey> startSlotPlace(const CallExpr *CE,
                                       const SummarySlot &Sl,
                                       const PathState &S, bool EvenEscaped);
  /// A returned struct copied into \p To: the task handles kept in it
  /// are kept there too.
  void copyTaskPlaces(LocKey From, LocKey To);
  /// \p Value, stored at \p L by an assignment or as a member of a
  /// braced list, is a variable holding a running task's handle
  /// (`job->pid = pid;`, `(struct proc){pid, fds[0]}`): the place keeps
  /// the handle too, and a wait on it waits for that task.
  /// True when it was such a variable. A std::thread or std::future
  /// variable moved to a place that way is in MovedHandles.
  bool noteHandleCopied(LocKey L, const Expr *Value, const PathState &S);
  /// Is \p CCE the move of a thread or future variable into a member of a
  /// braced list that initialises a local variable or is returned?
  bool handleMovedIntoList(const CXXConstructExpr *CCE) const;
  llvm::DenseSet<const VarDecl *> MovedHandles;
  /// \p Returns is false when the operation never returns (a join of a
  /// thread that copies a pipe into itself).
  bool transferTaskOp(const CallExpr *CE, PathState &S, bool Observe,
                      bool &Returns);
  void transferDtor(const CFGAutomaticObjDtor &D, const CFGBlock *B,
                    PathState &S, bool Observe);
  void transferDtorOf(const VarDecl *VD, const Stmt *Trigger, PathState &S,
                      bool Observe);
  /// The event of \p T where \p VD is destroyed by \p Trigger: at the
  /// return, break or goto; at the end of its scope, the break that left
  /// the loop early, if the path took one inside that scope.
  TaskEvent eventAtDestruction(TaskEvent::Kind K, TaskId T, const VarDecl *VD,
                               const Stmt *Trigger, const PathState &S) const;
  /// The running tasks whose handles \p VD keeps in members that its own
  /// destructor waits for or joins (its summary's Joins), and whether the
  /// destructor closes what it closes before every such join.
  llvm::SmallVector<TaskId, 1> destructorJoins(const VarDecl *VD,
                                               const PathState &S,
                                               bool &ClosesFirst);
  // A struct the function allocates (HeapObjects.cpp).
  /// The type of the object \p Alloc (a malloc()-like call, or `new T`)
  /// allocates, when it is followed as a place; else null.
  QualType allocatedObjectType(const Expr *Alloc) const;
  /// \p Alloc allocates a followed object: its value on \p S is the
  /// address of the site's place, which is the new object's from now on.
  bool allocateHeapObject(const Expr *Alloc, PathState &S);
  /// Summary mode: the allocated object that `return RV;` gives the caller
  /// (not handed off: the summary says where its ends are), if any.
  std::optional<LocKey> returnedAllocatedObject(const Expr *RV,
                                                const PathState &S) const;
  /// The place, one per call, standing for what a summarised call returns
  /// (ReturnedSub slots): the struct it returns by value (`struct pair p
  /// = make();`), or the object it allocated and returns a pointer to
  /// (`struct chan *c = chan_new();`), an allocated object of this
  /// function's (HeapObjects.cpp).
  VarDecl *objectReturnedBy(const CallExpr *CE, const FunctionDecl *Callee);
  /// The variable \p Alloc's result is stored in, to name the object by.
  std::string pointerNameOf(const Expr *Alloc) const;
  /// A std::unique_ptr or std::shared_ptr is followed as the pointer it
  /// holds, kept in its own place (HeapObjects.cpp): the value of \p E
  /// when it is such a smart pointer, or reads the pointer out of one
  /// (`p.operator->()`, `p.get()`, `bool(p)`); else nothing.
  std::optional<AbsVal> smartPointerValue(const Expr *E,
                                          const PathState &S) const;
  /// The pointer the smart pointer \p E holds (its place's value, or what
  /// it is constructed from: `std::make_unique<T>()`, `nullptr`, a pointer,
  /// another smart pointer).
  AbsVal heldPointer(const Expr *E, const PathState &S) const;
  llvm::DenseMap<const Expr *, VarDecl *> HeapObjects;
  mutable llvm::DenseMap<const FunctionDecl *, bool> AllocatorCache;
  llvm::DenseSet<const ValueDecl *> HeapBases;
  // A local object's constructor and destructor (ObjectCalls.cpp).
  /// \p VD, a local object, is destroyed: its user-written destructor
  /// closes the ends in its members that its summary says it closes; the
  /// others go with it when that destructor cannot be summarised.
  void applyDestructorOf(const VarDecl *VD, PathState &S);
  /// The destructor of class \p RD run on the object at \p Place (a local
  /// object, or a member of one: an implicit destructor runs its members').
  void applyDestructorAt(LocKey Place, const CXXRecordDecl *RD, PathState &S);
  /// The construction \p St of a local object, as a call of its
  /// constructor on the object, when that constructor is followed; else
  /// null.
  const CallExpr *constructorCall(const Stmt *St);
  /// The construction \p CCE of a local object of a class that owns what
  /// it is given (`UniqueFd rd(fds[0]);`: a user-written destructor, and a
  /// constructor whose body is empty and whose member initialisers copy
  /// every integer argument into a member), or of such a wrapper as an
  /// element of the braced list that initialises a local struct
  /// (ListElementOf): the object's members hold the arguments
  /// (initialize()), and nothing is handed off.
  bool ownsConstructorArgs(const CXXConstructExpr *CCE) const;
  /// The constructor part of that, of a variable or a temporary alike.
  bool constructorKeepsArgs(const CXXConstructExpr *CCE) const;
  /// Each element's value (aggregateElements()) into its place below \p L.
  void storeElements(LocKey L,
                     llvm::ArrayRef<std::pair<SelPath, const Expr *>> Elements,
                     PathState &S);
  /// `UniqueFd b(std::move(a));` of a wrapper whose move constructor takes
  /// the descriptors over (`fd_(o.release())`, `fd_(std::exchange(o.fd_,
  /// -1))`): the followed object moved from, when the object constructed
  /// is followed too. The descriptors move with their places
  /// (initialize()); nothing is handed off.
  std::optional<Lvalue> wrapperMoveSource(const CXXConstructExpr *CCE,
                                          const PathState &S) const;
  /// The descriptor members (selectors) such a move constructor takes
  /// over, each with the value it leaves behind; none if it is not one.
  llvm::SmallVector<std::pair<uint16_t, std::optional<int64_t>>, 2>
  movedMembers(const CXXConstructorDecl *Ctor) const;
  /// The selectors below `*this` of the member that the getter \p MD
  /// returns (`int rd() const { return fds_[0]; }`), if it is one
  /// (Values.cpp).
  std::optional<llvm::SmallVector<uint16_t, 2>>
  getterSels(const CXXMethodDecl *MD) const;
  /// A method whose whole body compares one integer member of `*this`
  /// with a constant (`bool ok() const { return pid_ > 0; }`): the
  /// member's place below the object of call \p MCE, the comparison and
  /// the constant (Values.cpp).
  using MemberTest = detail::MemberTest;
  std::optional<MemberTest> memberTest(const CXXMemberCallExpr *MCE,
                                       const PathState &S) const;
  /// What a method that gives up ownership of a descriptor member does
  /// (`int release() { int fd = fd_; fd_ = -1; return fd; }`, `return
  /// std::exchange(fd_, -1);`): the member it returns, and the value it
  /// leaves there, if a constant (ObjectCalls.cpp).
  using ReleasedMember = detail::ReleasedMember;
  std::optional<ReleasedMember> releasedMember(const CXXMethodDecl *MD) const;
  /// `obj.release()` on a local object: the call's value is the end the
  /// member held, which the member no longer holds (ObjectCalls.cpp).
  bool transferRelease(const CXXMemberCallExpr *MCE, PathState &S);
  /// In a fork() child's branch, \p E read to its end: the child reads it
  /// to end-of-file (ReadLoops.cpp).
  void noteChildReadsToEof(const PathState &S, EndId E) const;
  /// Summary mode: \p Old, the value a place held before an arithmetic
  /// update of it, is a caller's descriptor place: mark its end Numeric.
  void markNumeric(const AbsVal &Old, PathState &S) const;
  /// The field numbers of `*this` that \p Code names, directly or in the
  /// methods it calls on `this` (TransferElement.cpp).
  const llvm::SmallVector<unsigned, 4> &
  membersNamedBy(const Stmt *Code) const;
  mutable llvm::DenseMap<const Stmt *, llvm::SmallVector<unsigned, 4>>
      MembersNamed;
  /// The uses of variables holding a read's result (readResultUses()),
  /// found once per function, when a branch first asks.
  mutable std::optional<ReadResultUses> ReadUses;
  void buildConstructorCalls();
  llvm::DenseMap<const CXXConstructExpr *, const CallExpr *> ConstructorCalls;
  bool ConstructorCallsBuilt = false;
  /// The constructor call an allocation makes of a followed object (`new
  /// T(args)`, `std::make_unique<T>(args)`), as a member call on the
  /// object's place, when that constructor is one a local's would be
  /// applied for (ObjectCalls.cpp); else null.
  const CallExpr *heapConstructorCall(const Stmt *Alloc);
  /// The constructor an allocation of a followed object runs.
  const CXXConstructorDecl *allocatedConstructor(const Expr *Alloc,
                                                 QualType T) const;
  /// The member call `V.T(args)` of constructor \p Ctor on \p V.
  const CallExpr *memberConstructorCall(VarDecl *V,
                                        const CXXConstructorDecl *Ctor,
                                        llvm::ArrayRef<const Expr *> Args,
                                        SourceLocation Begin,
                                        SourceLocation End);
  llvm::DenseMap<const Stmt *, const CallExpr *> HeapConstructorCalls;
  /// The constructions inside those allocations: applied by the call.
  llvm::DenseSet<const CXXConstructExpr *> HeapConstructs;
  /// Is \p E the value a `return` gives back (below temporaries and casts;
  /// \p ThroughOptional: also below the std::optional made of it)?
  bool isReturnedValue(const Expr *E, bool ThroughOptional = false) const;
  /// `delete p`, or the destruction of the std::unique_ptr (\p Shared: a
  /// std::shared_ptr) holding \p Pointer: a followed object of a class with
  /// a destructor of its own runs it; a shared one is given away.
  void destroyHeapObject(AbsVal Pointer, bool Shared, PathState &S);
  /// Is \p VD the argument of a std::move() anywhere in this body (a
  /// smart pointer whose object another owner may destroy)?
  bool movedFromSomewhere(const VarDecl *VD);
  llvm::DenseSet<const VarDecl *> MovedFrom;
  bool MovedFromBuilt = false;
  /// The place of the object allocation \p Alloc makes (one per site).
  VarDecl *heapPlaceOf(const Expr *Alloc, QualType T);
  void handOffTasksOf(PathState &S, const Expr *E);
  void handOffTasksOfVar(PathState &S, const ValueDecl *VD);
  // Task handles returned by value and kept in class members
  // (ReturnedTasks.cpp, ClassTasks.cpp).
  /// Summary mode: the starts (a thread or future construction, a helper
  /// call that starts one) that a `return` gives back by value.
  void findReturnedStarts();
  llvm::DenseSet<const Expr *> ReturnedStarts;
  /// Summary mode, at `return`: the running tasks whose handle the
  /// statement gives back stay running (their handle is the caller's).
  llvm::SmallVector<std::pair<TaskId, uint8_t>, 1>
  tasksReturnedBy(const ReturnStmt *RS, const PathState &S) const;
  /// The destructor of a class whose constructors start a thread into a
  /// member (ClassModel::heldTasks()): it starts with that task running
  /// and the member pipe it writes open.
  void seedClassTasks();
  /// A constructor's initialiser of member \p I: its value stored into
  /// the member when `*this` is a place (ThisPlace), else given away.
  void transferInitializer(const CXXCtorInitializer *I, PathState &S);
  /// A member of `*this` destroyed after the destructor's body.
  void transferMemberDtor(const FieldDecl *FD, const Stmt *Trigger,
                          PathState &S, bool Observe);
  /// The task seeded in each member of `*this` (seedClassTasks()).
  llvm::SmallVector<std::pair<const FieldDecl *, TaskId>, 1> MemberTasks;
  /// On the edge of \p Term's condition \p Cond (Taken or not): the ends
  /// it shows read to end-of-file (ReadLoops.cpp).
  void noteDrainedOnBranch(const Stmt *Term, const Expr *Cond, bool Taken,
                           PathState &S) const;
  /// A helper's or method's read of end \p E on this path; to end-of-file
  /// when \p ToEof, which a non-blocking end never reaches (ReadLoops.cpp).
  void markRead(PathState &S, EndId E, bool ToEof) const;
  bool transferSummarizedCall(const CallExpr *CE, const FunctionDecl *Callee,
                              PathState &S, bool Observe);
  // 6. function summaries (FunctionSummaries.h)
  const FunctionSummary *summaryOfCall(const CallExpr *CE);
  void seedSummaryParams();
  /// The one struct pointer type a `void *` parameter is converted to in
  /// the body (`struct job *j = arg;`, `(struct job *)arg`), or null
  /// (RoutineArgs.cpp).
  QualType structViewOf(const ParmVarDecl *P) const;
  /// A thread start that gives its routine (a function in this file) the
  /// address of a struct of ours: the places the routine's summary says it
  /// leaves alone stay ours, the others are handed off; false when the
  /// summary does not show that (the argument is then handed off whole).
  bool giveToRoutine(TaskId T, const Expr *Arg, PathState &S, bool Started);
  /// Otherwise, a struct of ours that keeps the started task's own handle
  /// (`pthread_create(&j.tid, 0, run, &j)`): the routine may change or
  /// close anything in it but that handle, which it cannot join itself;
  /// its ends are handed off and its other members no longer followed,
  /// and the handle stays ours to join. False for any other argument. The
  /// same for a struct given to a helper that starts the task into it.
  bool giveRecordKeepingHandle(TaskId T, const Expr *Arg, PathState &S);
  bool applyFunctionSummary(const CallExpr *CE, PathState &S,
                            llvm::SmallVectorImpl<PathState> &Out,
                            bool Observe);
  /// A lambda stored in a local variable, only ever called: what it
  /// captures by reference is touched only when it is called.
  const LambdaExpr *calledOnlyLambda(const Expr *Callee) const;
  bool isCalledOnlyLambda(const LambdaExpr *LE) const;
  mutable llvm::DenseMap<const LambdaExpr *, bool> CalledOnly;
  /// A member call whose callee leaves its object's descriptors alone
  /// (leavesObjectAlone()): the object stays the caller's.
  bool callKeepsObject(const CallExpr *CE) const;
  /// Hands off the object of a member call that may change it: only the
  /// members its method names when they are all a local object's own.
  void handOffObjectOf(PathState &S, const CXXMemberCallExpr *MCE,
                       bool Observe);
  /// A method given object writes its member's end \p E (the member's
  /// summary \p PS): a write of that end at the call (ObjectCalls.cpp).
  void noteMemberWrite(PathState &S, const CXXMemberCallExpr *MCE, EndId E,
                       const ParamSummary &PS, bool Observe);
  /// A helper's write of \p Bytes (UINT64_MAX: not known) to end \p E at
  /// \p CE, recorded for the checks with \p Subject (the argument naming
  /// the end, or null: the end given directly), and added up on the path.
  void noteHelperWrite(const CallExpr *CE, EndId E, const Expr *Subject,
                       uint64_t Bytes, PathState &S, bool Observe);
  /// The innermost loop around \p CE in this body, or null
  /// (TransferCalls.cpp).
  const Stmt *loopAroundWrite(const CallExpr *CE);
  /// Does \p Loop read back the pipe whose write end (or a dup of it) is
  /// \p E, directly or through a call given its read end? (Also true when
  /// \p E has no read end to fill.)
  bool loopReadsBack(const Stmt *Loop, EndId E, const PathState &S) const;
  /// The innermost loop of this body around \p From, if any.
  const Stmt *loopAround(const Stmt *From) const;
  /// What the loop around write \p CE writes in all, when it is a loop
  /// counting down the bytes left from a size known here and no other
  /// loop starts it over (CalleeSummaries::countedLoopBytes()).
  std::optional<uint64_t> countedWriteLoopBytes(const CallExpr *CE);
  /// A summarised helper writes end \p E, kept below a pointer or its
  /// object, an amount nobody can bound (FunctionSummary::Keeps with
  /// WrittenTo and UnknownWrite): when \p CE is in a loop, a write of it
  /// there that grows with the loop (ApplySummaries.cpp).
  void noteWriteThrough(const CallExpr *CE, EndId E, PathState &S,
                        bool Observe);
  /// membersUsedBy() of each method asked, once (none: any member).
  llvm::DenseMap<const FunctionDecl *,
                 std::optional<llvm::SmallVector<const FieldDecl *, 4>>>
      MembersUsed;
  mutable llvm::DenseMap<const FunctionDecl *, bool> LeavesObject;
  /// Hands off what a called-only lambda with no summary captures by reference.
  void handOffLambdaCaptures(PathState &S, const LambdaExpr *LE,
                             const FunctionSummary *FS);
  /// The struct a call returns, its members placed by a summary (`p = make()`).
  std::optional<LocKey> returnedStruct(const Expr *E, const PathState &S) const;
  VarDecl *placeTemporaryArgument(const CallExpr *CE, PathState &S);
  std::optional<LocKey> pointeePlace(const CallExpr *, const SummarySlot &,
                                     const PathState &) const;
  MovedEnds movedEndsOf(const CallExpr *, const FunctionSummary &,
                        const PathState &) const;
  void applyMovesAndDrops(const CallExpr *, const FunctionSummary &,
                          const MovedEnds &, VarDecl *, PathState &, bool);
  /// A variable of the analysis only, standing for a place of the caller
  /// (a pointee, a referent, `*this`, a returned struct).
  VarDecl *makePlaceholder(const NamedDecl *Near, QualType T,
                           const IdentifierInfo *Name);
  /// Summary mode: the struct a `return` gives back, and its copies.
  const Expr *returnedObjectOf(const ReturnStmt *RS) const;
  void noteReturnedAggregate(const Expr *Obj);
  /// `p = make_pipe();`, `q = p;` (an `operator=` of a pair, tuple,
  /// array or plain struct) into a tracked place: copies the places.
  bool assignAggregate(const CallExpr *CE, PathState &S);
  bool materializeReturned(const Expr *Obj, PathState &S);
  /// What a pointer or reference parameter reaches (SummaryPlaces.cpp).
  using ParamPointee = detail::ParamPointee;
  std::optional<ParamPointee> makeParamPointee(const ParmVarDecl *P,
                                               bool MaybeNull);
  void seedParamPointees();
  void settleParamPointees(PathState &S);
  /// A method starts with the pipes its class holds (ClassModel.h).
  void seedClassMembers();
  // 7. copy summaries (CopySummary.h)
  void recordHelperCopies(const CallExpr *CE, const FunctionDecl *Callee,
                          const PathState &S);
  std::optional<EndId> helperCopyEnd(const CallExpr *CE,
                                     const FunctionDecl *Callee,
                                     const SummarySlot &Sl,
                                     const PathState &S) const;
  /// Does the call copy a pipe into itself in a loop that never ends on
  /// this path (blocking and read to end-of-file, or with data in it)?
  /// Then the path ends there.
  bool copiesPipeIntoItself(const CallExpr *CE, const FunctionDecl *Callee,
                            const PathState &S);

  // 8. exceptions (Exceptions.cpp; what may throw: models/ThrowModel.h)
  /// Where an exception raised at a statement goes: a `catch` handler's
  /// block (the objects declared in the try block up to the statement are
  /// destroyed on the way), or out of the function (Handler null; every
  /// object in scope is destroyed).
  using EHTarget = detail::EHTarget;
  using ThrowSite = detail::ThrowSite;
  void findThrowSites();
  void raise(const Stmt *At, const ThrowSite &X, const PathState &Pre,
             bool Observe);
  void unwind(PathState &S, const Stmt *At, const Stmt *Boundary,
              bool Observe);
  bool destroyedByUnwinding(const VarDecl *VD, const Stmt *At,
                            const Stmt *Boundary);
  /// A constructor's exit: the object keeps what its members hold, unless
  /// an exception leaves it (then only members that are objects with
  /// destructors of their own close theirs).
  void settleConstructorMembers(PathState &S, bool Throwing);
  bool isAncestor(const Stmt *Outer, const Stmt *S) const;
  void findLocalDecls();
  /// Checked analysis of a constructor that may throw: `*this`, whose
  /// members are places (ThisPlace), so that a throw after a store into
  /// one is seen to leak it.
  bool ConstructorThis = false;

public:
  /// Summarising this function for its callers (runForSummary()).
  bool SummaryMode = false;
  /// Summarising it for FunctionSummaries::get(): stop after discovery if
  /// a callee's summary was cut short (FunctionSummaries::cutShort()).
  bool StopWhenCut = false;

private:
  /// A child task \p T makes end \p E its descriptor \p Target (0, 1, 2).
  void noteChildStdStream(TaskInfo &T, EndId E, const AbsVal &Target) const;

  FunctionAnalysis &R;
  ASTContext &Ctx;
  const ApiModel &Model;
  CalleeSummaries &Summaries;
  const Stmt *Body;
  // The work done and allowed: WorkAccount (EngineIndexes.h).
  /// The map nodes this analysis holds: every state's ends and places,
  /// counted once however many states share them.
  uint64_t mapBytes() const;
  void checkBytes();
  void addBytes(int64_t Delta);
  void syncWork();
  /// A state's own fields; its maps are counted as nodes (mapBytes()).
  static uint64_t stateBytes(const PathState &S);
  static uint64_t blockBytes(const std::vector<PathState> &In);

public:
  size_t blocks() const { return Blocks.size(); }
  bool degrade();

private:
  /// Is \p E the condition of a `switch`?
  bool switchedOn(const Expr *E) const;
  /// Drops the tasks that can no longer be reported from a state.
  void pruneTasks(PathState &S) const;
  using ChildRest = detail::ChildRest;
};

} // namespace clang::tidy::pipe

#endif // PIPE_TIDY_ENGINE_FLOWENGINE_H
