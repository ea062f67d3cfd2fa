//===--- EngineTypes.h - the records the engine's parts share -------------===//
//
// Plain records of the flow engine (FlowEngine.h), kept apart so that the
// engine's declaration stays readable: the place an expression names, a
// branch condition's key, what a loop taken whole closes or joins
// (CloseAllLoops.cpp, TaskContainers.cpp), what a task runs and where its
// handle goes (Tasks.cpp), and a CFG block's states in the fixpoint
// (Fixpoint.cpp), a method's test of a member, a parameter's pointee, where
// an exception goes, a fork() child's rest of a block. FlowEngineImpl names
// each of them as its own member type.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_ENGINETYPES_H
#define PIPE_TIDY_ENGINE_ENGINETYPES_H

#include "engine/AbstractState.h"
#include "models/TaskModel.h"
#include "summaries/CalleeSummary.h"
#include "summaries/FunctionSummaries.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
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
  llvm::SmallVector<SelPath, 4> Sels;       ///< and its elements
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

/// A method's comparison of a member with a constant (memberTest(),
/// Values.cpp): the member's place below the call's object.
struct MemberTest {
  LocKey Place;
  BinaryOperatorKind Op;
  int64_t C;
};

/// The member a releasing method returns and the constant it leaves
/// there (releasedMember(), ObjectCalls.cpp).
struct ReleasedMember {
  uint16_t Sel = 0;
  std::optional<int64_t> Left;
};

/// What a pointer or reference parameter reaches (SummaryPlaces.cpp).
struct ParamPointee {
  LocKey Place;
  QualType Pointee; ///< canonical
  bool Ref = false;
};

/// Where an exception raised at a statement goes (Exceptions.cpp): a
/// `catch` handler's block, or out of the function (Handler null).
struct EHTarget {
  const CFGBlock *Handler = nullptr;
  const Stmt *Boundary = nullptr;
};

/// A statement that may raise an exception, and where it goes.
struct ThrowSite {
  llvm::SmallVector<EHTarget, 2> Targets;
  /// A `throw` in the callee that raises it (for the notes), or the
  /// throw expression itself.
  const CXXThrowExpr *Witness = nullptr;
  bool IsThrow = false; ///< a throw expression: the path ends there.
};

/// The statements a fork() child runs after the parent's `return`
/// (ForkChildBranches.cpp).
struct ChildRest {
  const CompoundStmt *Block = nullptr;
  unsigned From = 0;
  const Stmt *Made = nullptr;
  ChildRest() = default;
  ChildRest(const CompoundStmt *B, unsigned F) : Block(B), From(F) {}
};

} // namespace clang::tidy::pipe::detail

#endif // PIPE_TIDY_ENGINE_ENGINETYPES_H
