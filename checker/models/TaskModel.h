//===--- TaskModel.h - what starts, joins, detaches and waits for a task --===//
//
// The writer tasks pipe-leaked-writer follows: threads (std::thread,
// std::jthread, boost::thread, pthread_create()), the future of
// std::async(std::launch::async, ...), and fork()ed children. This model
// says which constructions and calls start one, which calls end one (join,
// detach, get/wait, pthread_join, waitpid), and what code a task runs, so
// that the flow engine can track tasks next to pipe ends.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_TASKMODEL_H
#define PIPE_TIDY_TASKMODEL_H

#include "models/ApiModel.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace clang::tidy::pipe {

/// What a task is; it decides what its destructor does.
enum class TaskKind : uint8_t {
  StdThread,   ///< std::thread: destroyed while joinable, std::terminate.
  JThread,     ///< std::jthread: its destructor requests stop and joins.
  AsyncFuture, ///< std::async(std::launch::async, ...): the future's
               ///< destructor waits for the task.
  BoostThread, ///< boost::thread: its destructor detaches (Boost 1.81).
  PThread,     ///< pthread_create(): nothing ends it but pthread_join.
  ForkChild,   ///< a child process: fork(), posix_spawn(), bp::child;
               ///< waitpid() or child::wait() reaps it.
};

/// A construction or call that starts a task.
struct TaskStart {
  explicit TaskStart(TaskKind K) : Kind(K) {}
  TaskKind Kind;
  /// What the task runs: a lambda, a function, a member function pointer.
  const Expr *Callable = nullptr;
  /// The arguments passed to it (after the callable).
  llvm::SmallVector<const Expr *, 4> Args;
  /// pthread_create's first argument (`&tid`).
  const Expr *HandleArg = nullptr;
  /// How the call says no thread started (pthread_create: an error number;
  /// a ThreadStartFunctions entry: from its return type).
  StartResult Result = StartResult::ErrorNumber;
};

/// A thread, jthread, boost::thread or future construction or
/// std::async()/pthread_create() call that starts a task, or a call of a
/// function \p Model says starts a thread (ThreadStartFunctions, or a
/// recognised wrapper of pthread_create()). fork() is modelled by ApiModel.
std::optional<TaskStart> classifyTaskStart(const Stmt *S,
                                           const ApiModel *Model = nullptr);

/// A call that ends, or changes, a task.
struct TaskOp {
  enum Kind : uint8_t {
    Join,        ///< t.join(), f.get(), f.wait(), pthread_join, waitpid(pid)
    Detach,      ///< t.detach(), pthread_detach
    RequestStop, ///< t.request_stop()
    WaitAnyChild, ///< wait(), waitpid(-1, ...): any fork()ed child
    Probe ///< waitpid(..., WNOHANG): asks, waits for nothing
  } K;
  /// The expression naming the task: the thread object, the pthread_t, the
  /// pid. Null for WaitAnyChild.
  const Expr *Handle = nullptr;
};
/// The parent of a statement in the body that holds the call, from that
/// body's own parent map (never the translation unit's).
using ParentLookup = llvm::function_ref<const Stmt *(const Stmt *)>;
/// With \p Model, also a call of a function it says waits for the child
/// whose pid is an argument (WaitFunctions, or a recognised wrapper of
/// waitpid()). With \p ParentOf, `waitpid(pid, &st, WNOHANG)` polled in a
/// loop that only the child's exit ends is a wait; without it, a probe.
std::optional<TaskOp> classifyTaskOp(const CallExpr *CE,
                                     const ApiModel *Model = nullptr,
                                     ParentLookup ParentOf = {});

/// The code a task runs, and how its parameters map to the start's Args.
struct TaskCallable {
  const Stmt *Body = nullptr;
  const FunctionDecl *Fn = nullptr; ///< the function (or call operator).
  const LambdaExpr *Lambda = nullptr;
  /// Its first parameter is a std::stop_token: the task can be stopped.
  bool StopAware = false;
  /// Args[ParamBase + j] is passed to parameter j (1 for a member function
  /// pointer, whose object comes first; -1 when a jthread passes the
  /// stop_token first).
  int ParamBase = 0;
};
TaskCallable resolveCallable(const TaskStart &Start);

/// Is \p T a thread or future type whose object is a task handle?
std::optional<TaskKind> taskHandleKind(QualType T);

/// Is \p T a container of task handles (`std::vector<std::thread>`,
/// `std::deque<std::future<void>>`, `std::list<std::jthread>`)? The kind of
/// its elements. The engine follows such a local variable as one handle
/// that stands for every task put in it (engine/TaskContainers.cpp).
std::optional<TaskKind> taskContainerKind(QualType T);

/// Strips the implicit wrappers of a temporary (materialisation, binding,
/// casts, std::move) down to the expression that made it.
const Expr *stripTemporary(const Expr *E);

/// The object a `return` gives back (or a copy initialises from), below the
/// copies and temporaries C++ wraps it in.
const Expr *returnedObject(const Expr *E);

/// What a `return` may give back as a task's handle, temporaries
/// stripped: a thread or future object (returnedObject()), or the value of
/// a function returning an integer, which may be a child's pid (`return
/// pid;`, `return fork();`, `return start_child(out);`; \p Pid set). Null
/// for any other `return`.
const Expr *returnedHandle(const ReturnStmt *RS, bool &Pid);

} // namespace clang::tidy::pipe

#endif
