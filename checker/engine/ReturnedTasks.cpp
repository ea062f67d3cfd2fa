//===--- ReturnedTasks.cpp - task handles returned by value ---------------===//
//
// The engine and TaskModel.h, continued from Tasks.cpp: a helper that
// starts a thread or an async task and returns its handle by value
// (`std::future<void> start_export(int fd) { return std::async(...); }`,
// `std::thread start(int fd) { std::thread t(...); return t; }`, or
// `return start_inner(fd);` of such a helper) gives the running task to its
// caller. In summary mode the `return` keeps the task running instead of
// handing it off, so that the helper's summary says it starts a task whose
// handle is the returned value (StartSummary with a Returned handle slot,
// FunctionSummaries.cpp); the caller's variable that the call initialises
// then holds it (discoverTasks(), applyTaskStart()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

void FlowEngineImpl::findReturnedStarts() {
  if (!SummaryMode)
    return;
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      const auto *RS = CS ? dyn_cast<ReturnStmt>(CS->getStmt()) : nullptr;
      // `return std::async(...);`, or `return start_child(...);` of a
      // helper that returns a pid.
      bool Pid;
      if (const Expr *H = RS ? returnedHandle(RS, Pid) : nullptr)
        ReturnedStarts.insert(H);
    }
}

llvm::SmallVector<std::pair<TaskId, uint8_t>, 1>
FlowEngineImpl::tasksReturnedBy(const ReturnStmt *RS,
                                const PathState &S) const {
  llvm::SmallVector<std::pair<TaskId, uint8_t>, 1> Out;
  if (!SummaryMode || R.Tasks.empty())
    return Out;
  // A child's pid is returned as an integer (`return pid;`, `return
  // fork();`); a thread or future as an object.
  bool Pid;
  const Expr *Obj = returnedHandle(RS, Pid);
  if (!Obj)
    return Out;
  llvm::SmallVector<TaskId, 1> Named;
  if (auto It = TaskOfStart.find(Obj); It != TaskOfStart.end()) {
    // The start itself is returned: a temporary with no handle of its own.
    if (!R.Tasks[It->second].Handle && !TaskCodes[It->second].HandlePlace)
      Named.push_back(It->second);
  } else if (const VarDecl *VD = localVarOf(Obj)) {
    // `std::thread t(...); return t;`: moved (or constructed in place) into
    // the caller's object; `pid_t pid = fork(); ... return pid;`.
    if (auto It = TasksOfHandle.find(VD); It != TasksOfHandle.end())
      Named.append(It->second.begin(), It->second.end());
    // `pid = fork();` into a local variable of this function.
    if (Pid && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD))
      for (TaskId T = 0; T < R.Tasks.size(); ++T)
        if (R.Tasks[T].Place == LocKey{VD, 0} &&
            !llvm::is_contained(Named, T))
          Named.push_back(T);
  }
  if (Pid)
    llvm::erase_if(Named, [&](TaskId T) {
      return R.Tasks[T].Kind != TaskKind::ForkChild;
    });
  for (TaskId T : Named)
    if (S.taskStatus(T) & TaskRunning)
      Out.push_back({T, S.taskStatus(T)});
  return Out;
}

namespace detail {
/// Does \p Trigger, a `return`, give back the variable \p VD by value? Then
/// the variable is moved from (or is the caller's object itself), and its
/// destruction at the return ends no task.
bool returnsVariable(const Stmt *Trigger, const VarDecl *VD) {
  const auto *RS = dyn_cast_or_null<ReturnStmt>(Trigger);
  if (!RS || !RS->getRetValue() || !VD ||
      !taskHandleKind(RS->getRetValue()->getType()))
    return false;
  return localVarOf(stripTemporary(RS->getRetValue())) == VD;
}

bool returnsObjectVariable(const Stmt *Trigger, const VarDecl *VD) {
  const auto *RS = dyn_cast_or_null<ReturnStmt>(Trigger);
  if (!RS || !RS->getRetValue() || !VD || VD->getType()->isReferenceType() ||
      !RS->getRetValue()->getType()->isRecordType())
    return false;
  return localVarOf(returnedObject(RS->getRetValue())) == VD;
}
} // namespace detail

} // namespace clang::tidy::pipe
