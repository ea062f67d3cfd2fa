//===--- EngineIndexes.h - what the engine looks things up in -------------===//
//
// The data FlowEngineImpl (FlowEngine.h) keeps for one function besides
// its path states: the CFG and the blocks' states, and the indexes its
// parts build in one walk of the body before the fixpoint (which
// statement starts which task, what each initialiser initialises, where
// each fork()'s child branch is, where exceptions go) or fill as they go
// (the places the analysis makes for a caller's objects and temporaries).
// Plain data: the engine's code that reads and fills them is in the files
// FlowEngine.h names. And the work it has done against its budget
// (WorkAccount, Fixpoint.cpp), which the statistics read. FlowEngineImpl
// derives from both, so its methods use them by name.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_ENGINEINDEXES_H
#define PIPE_TIDY_ENGINE_ENGINEINDEXES_H

#include "engine/AbstractState.h"
#include "engine/EngineTypes.h"

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <cstdint>
#include <memory>
#include <queue>
#include <vector>

namespace clang::tidy::pipe::detail {

struct FunctionIndexes {
  // The function's CFG, and each block's states (Fixpoint.cpp).
  std::unique_ptr<CFG> Graph;
  std::vector<BlockData> Blocks;
  std::priority_queue<std::pair<unsigned, unsigned>,
                      std::vector<std::pair<unsigned, unsigned>>,
                      std::greater<>>
      Worklist; // (reverse post-order number, block id)

  // Discovery (Discovery.cpp, Tasks.cpp, ForkChildBranches.cpp): ends,
  // tasks, initialisers and child branches, found before the fixpoint.
  llvm::DenseMap<const Expr *, EndId> FirstEndOfCall;
  /// Tasks: by the statement that starts them, by their handle variable,
  /// by the lambda they run. What each start needs to evaluate its bound.
  llvm::DenseMap<const Stmt *, TaskId> TaskOfStart;
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<TaskId, 1>> TasksOfHandle;
  llvm::DenseMap<const LambdaExpr *, TaskId> TaskOfLambda;
  /// The places each task's handle is kept in: where its start puts it
  /// (TaskCode::HandlePlace, as first seen; a task started into two places
  /// is handed off), and where a plain handle variable is copied to
  /// (`job->pid = pid;`).
  llvm::SmallVector<std::pair<TaskId, LocKey>, 0> TaskPlace;
  void addTaskPlace(TaskId T, LocKey L) {
    for (const auto &P : TaskPlace)
      if (P.first == T && P.second == L)
        return;
    TaskPlace.push_back({T, L});
  }
  /// The left-hand side of each assignment that is not a plain local
  /// variable (`cp->pid = fork()`), by its right-hand side.
  llvm::DenseMap<const Expr *, const Expr *> AssignedTo;
  std::vector<TaskCode> TaskCodes;
  /// The variable each constructor or call initialises, and each
  /// assignment's right-hand side assigns (`pid = fork()`).
  llvm::DenseMap<const Expr *, const VarDecl *> InitOf;
  /// Ends stored through a pointer or into a member of `this` (key: the
  /// pointer variable, or the function for `this`): a task given that
  /// pointer holds them.
  llvm::DenseMap<const Decl *, llvm::SmallVector<EndId, 2>> EndsStoredVia;
  /// The ends each local object owns (the reverse of R.Owners).
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<EndId, 1>> OwnedBy;
  /// The `if (pid == 0)` branch for each pid variable, and for each fork()
  /// tested in place (`if (fork() == 0)`): found in one walk of the body.
  llvm::DenseMap<const void *, const Stmt *> ChildBranches;
  /// The tests of a place (`if (cp->pid == 0)`), for a fork() whose pid
  /// is kept in one.
  llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 0> PlaceBranches;
  /// `if (pid != 0) return pid;` (the parent leaves; the child runs what
  /// follows): the statements after it (of Block, from From), made one
  /// block when asked, per pid or fork().
  mutable llvm::DenseMap<const void *, ChildRest> ChildRests;
  bool ChildBranchesFound = false;
  /// The descriptor each end becomes in a posix_spawn()ed child, from
  /// posix_spawn_file_actions_adddup2().
  llvm::DenseMap<EndId, int64_t> SpawnStdTarget;
  llvm::DenseSet<const ValueDecl *> CaptureSeeds;
  PathState Initial;

  // Exceptions (Exceptions.cpp): where each throw goes, and the locals
  // destroyed on the way.
  llvm::DenseMap<const Stmt *, ThrowSite> ThrowSites;
  /// The handlers each block may raise an exception into, for the order
  /// of the blocks (handlers are not CFG successors of a call).
  llvm::DenseMap<const CFGBlock *, llvm::SmallVector<const CFGBlock *, 2>>
      EHSuccs;
  llvm::DenseMap<const VarDecl *, const DeclStmt *> DeclOf;
  /// The locals whose type has a destructor that does something (an
  /// object that may close what its members hold), found with DeclOf.
  llvm::SmallVector<const VarDecl *, 4> LocalsWithDtor;
  bool DeclsFound = false;

  // Places the analysis makes for its caller's objects, temporaries and
  // returned structs (SummaryPlaces.cpp, MovedPlaces.cpp, Aggregates.cpp).
  /// Summary mode and the class model: `*this` (`fds_[1]` is a place).
  VarDecl *ThisPlace = nullptr;
  llvm::DenseMap<const CallExpr *, VarDecl *> ReturnedStructs;
  // What a call moves between its caller's places or drops, and the place
  // of a temporary given to an assignment (`w = Fd(fd)`; MovedPlaces.cpp).
  llvm::DenseMap<const Expr *, VarDecl *> TemporaryObjects;
  llvm::DenseSet<const CXXConstructExpr *> AssignedTemporaries;
  /// Descriptor wrappers built as elements of the braced list that
  /// initialises a local struct (`PipeFds p{UniqueFd(fds[0]),
  /// UniqueFd(fds[1])};`), with that variable: its members keep what they
  /// are given (initialize()), nobody else takes it.
  llvm::DenseMap<const CXXConstructExpr *, const VarDecl *> ListElementOf;
  llvm::DenseSet<const Expr *> ReturnedCopies;
  /// Summary mode: an aggregate a `return` builds, its place (Aggregates.cpp).
  llvm::DenseMap<const Expr *, VarDecl *> ReturnedAggregates;
  /// The place a reference parameter refers to.
  llvm::DenseMap<const ValueDecl *, LocKey> RefPlaces;
  /// Checked analysis: the places below pointer and reference parameters.
  llvm::SmallVector<LocKey, 4> ParamPointees;

};

/// The work an analysis has done and may do (Fixpoint.cpp: syncWork(),
/// checkBytes(), degrade()); read by the statistics (PIPE_TIDY_STATS=1).
class WorkAccount {
public:
  explicit WorkAccount(unsigned Budget) : Budget(Budget) {}
  size_t elements() const { return Elements; }
  uint64_t work() const { return Work; }
  bool overBudget() const { return OverBudget; }
  bool degraded() const { return Degraded; }
  uint64_t peakBytes() const { return PeakBytes; }
  bool gaveUp() const { return GaveUp; }
  /// Largest state seen at a block entry (places, escaped variables,
  /// facts): what one state costs to copy.
  size_t MaxLocs = 0, MaxEscaped = 0, StoredStates = 0;

protected:
  unsigned Budget;
  uint64_t Work = 0;
  size_t Elements = 0;
  /// Work allowed before the current phase stops: the budget times the
  /// function's CFG elements, checked after every element (not only at the
  /// end of a block: one block can hold a whole function).
  uint64_t Limit = 0;
  uint64_t allowance() const {
    return Budget * uint64_t(std::max<size_t>(Elements, 64));
  }
  bool OverBudget = false;
  /// What the stored and recorded states take of their own
  /// (stateBytes()), and the map nodes alive when the analysis started.
  uint64_t StoredBytes = 0, PeakBytes = 0, MapBytesAtStart = 0;
  /// Work done inside the maps (nodes visited by joins, comparisons and
  /// searches) since the last call: added to Work.
  uint64_t StepsSeen = 0;
  /// The fixpoint ran past the budget once: every block was cut down to one
  /// widened state and the analysis went on with a second allowance.
  bool Degraded = false;
  /// Past the second allowance, or the replay past its own: no result.
  bool GaveUp = false;
};

} // namespace clang::tidy::pipe::detail

#endif
