//===--- EngineTypes.h - the records the engine's parts share -------------===//
//
// Plain records of the flow engine (FlowEngine.h), kept apart so that the
// engine's declaration stays readable: the place an expression names, a
// branch condition's key, what a loop taken whole closes or joins
// (CloseAllLoops.cpp, TaskContainers.cpp), what a task runs and where its
// handle goes (Tasks.cpp), and a CFG block's states in the fixpoint
// (Fixpoint.cpp). FlowEngineImpl names each of them as its own member type.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_ENGINETYPES_H
#define PIPE_TIDY_ENGINE_ENGINETYPES_H

#include "engine/AbstractState.h"
#include "models/TaskModel.h"
#include "summaries/CalleeSummary.h"
#include "summaries/FunctionSummaries.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <vector>

namespace clang::tidy::pipe::detail {

/// The ends a call moves, read before it (MovedPlaces.cpp): each with the
/// place it goes to.
using MovedEnds =
    llvm::SmallVector<std::pair<std::optional<LocKey>, AbsVal>, 1>;

/// The place an expression names (lvalueOf(), Values.cpp).
struct Lvalue {
  LocKey L;
  bool Tracked = false;     ///< a local of this function we follow.
  bool AnyIndex = false;    ///< base[i] with an unknown i: L is the base.
};

/// A branch condition, as remembered truths are keyed (condKey(),
/// Conditions.cpp).
struct CondKey {
  unsigned Hash;
  bool Negated;
  const Expr *Tested;
  const ValueDecl *Vars[2] = {nullptr, nullptr}; ///< collectCondVars()
  bool Remembered = false; ///< reads at most two variables
};

/// A loop that closes every descriptor but some (CloseAllLoops.cpp).
struct CloseAllLoop {
  const VarDecl *Var = nullptr;
  int Lowest = 0;                         ///< the first number it closes
  bool Whole = true; ///< it reaches every number above Lowest
  llvm::SmallVector<const Expr *, 2> Kept; ///< `i == keep`: not closed
};

/// `for (int fd : {a, b}) close(fd);`, `for (int fd : fds_) if (fd >= 0)
/// close(fd);`: a range-for that closes each descriptor of a braced list
/// or of an array, taken whole at its range statement.
struct CloseEachLoop {
  llvm::SmallVector<const Expr *, 4> Listed; ///< `{a, b}`'s elements
  const Expr *Array = nullptr;               ///< or the array,
  llvm::SmallVector<uint32_t, 4> Sels;       ///< and its elements
};

/// A range-for that joins every element of a container of tasks
/// (TaskContainers.cpp).
struct JoinAllLoop {
  const VarDecl *Container = nullptr;
  const CallExpr *Join = nullptr; ///< `t.join()` in the body
};

/// What a task runs and where its handle goes (Tasks.cpp).
struct TaskCode {
  std::optional<TaskStart> Start;
  TaskCallable Callable;
  WriteBound Writes;
  /// A helper whose summary starts the task (FunctionSummary::Starts).
  const FunctionSummary *Helper = nullptr;
  /// Where the handle is kept when that is not a plain local variable:
  /// the operand of pthread_create's `&job->tid`, the left-hand side of
  /// `pids[1] = fork()` or `t_ = std::thread(...)`.
  const Expr *HandlePlace = nullptr;
};

/// A CFG block's states in the fixpoint (Fixpoint.cpp).
struct BlockData {
  /// A vector, not a SmallVector: most blocks of a long function hold
  /// one state or none, and a state is large; inline room for two would
  /// dominate the memory of a 100k-statement function.
  std::vector<PathState> In;
  llvm::SmallVector<unsigned, 2> Pending; ///< indices into In.
  unsigned Visits = 0;
  bool Widened = false;
  unsigned Order = 0;
  bool Queued = false;
  /// The loops (for, while, do) around the block, innermost first, once
  /// leftOpenByTurn() asked.
  const CFGBlock *Block = nullptr;
  bool LoopsKnown = false;
  llvm::SmallVector<const Stmt *, 2> Loops;
};

} // namespace clang::tidy::pipe::detail

#endif // PIPE_TIDY_ENGINE_ENGINETYPES_H
