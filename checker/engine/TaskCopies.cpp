//===--- TaskCopies.cpp - a thread that copies a pipe into itself ---------===//
//
// A thread whose routine copies one of its descriptors into another
// (CopySummary.h) and is started with the two ends of one pipe:
// `std::thread t(copy_loop, p[0], p[1])`, a lambda that calls such a helper
// with the captured pair, `pthread_create(&t, 0, relay, &r)` with both ends
// in `r`. Its copy loop reads what it wrote back, and once the pipe is
// empty its read waits for a write end that the thread itself holds: the
// thread never ends, and a join of it never returns.
//
// At the start the engine maps the copy's slots to what the start passes
// (the arguments after the callable, a pointer argument's pointee, a
// variable a lambda captures, by reference or by copy), records the copy for
// pipe-self-copy (FunctionAnalysis::taskCopies()) and marks the task
// TaskCopiesOwnPipe: a join of it ends the path (transferTaskOp()), and
// the other checks leave the task alone (one warning per defect).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "summaries/CopySummary.h"

namespace clang::tidy::pipe {

std::optional<TaskCopy> FlowEngineImpl::taskSelfCopy(TaskId T,
                                                     const PathState &S) {
  const TaskCode &Code = TaskCodes[T];
  const FunctionDecl *Fn = Code.Callable.Fn;
  if (!Code.Start || !Fn || R.Tasks[T].Kind == TaskKind::ForkChild ||
      S.Ends.empty())
    return std::nullopt;
  const CopySummary *CS = copySummaries(Summaries).get(Fn);
  if (!CS)
    return std::nullopt;
  auto EndAt = [&](const SummarySlot &Sl) -> std::optional<EndId> {
    // A lambda's capture: the variable itself (a copy was made from it
    // here, where the lambda is made).
    if (Sl.K == SummarySlot::Captured)
      return Code.Callable.Lambda ? capturedEnd(Sl, S) : std::nullopt;
    if (Sl.K != SummarySlot::Value && Sl.K != SummarySlot::Pointee)
      return std::nullopt;
    // `std::thread t(&Relay::run, &r)`: the object's members, through the
    // pointer given before the method's arguments.
    int I = Sl.Param == SummarySlot::ThisParam
                ? Code.Callable.ParamBase - 1
                : int(Sl.Param) + Code.Callable.ParamBase;
    if ((Sl.Param == SummarySlot::ThisParam &&
         (Sl.K != SummarySlot::Pointee || Code.Callable.ParamBase < 1)) ||
        I < 0 || unsigned(I) >= Code.Start->Args.size())
      return std::nullopt;
    const Expr *A = Code.Start->Args[unsigned(I)];
    if (Sl.K == SummarySlot::Value)
      return endIn(A, S);
    AbsVal V = eval(A, S);
    return V.K == AbsVal::Addr ? endAt(descend(V.loc(), Sl.Sel), S)
                               : std::nullopt;
  };
  for (const CopyFact &F : CS->Facts) {
    std::optional<EndId> From = EndAt(F.From), To = EndAt(F.To);
    if (!From || !To || R.Ends[*From].Peer != int(*To) ||
        R.Ends[*From].Kind != EndKind::PipeRead || S.status(*From) != Open ||
        S.status(*To) != Open || S.hasFlag(*From, Lost) || S.hasFlag(*To, Lost))
      continue;
    return TaskCopy{T, *From, *To, &F};
  }
  return std::nullopt;
}

void FlowEngineImpl::applyTaskSelfCopy(const std::optional<TaskCopy> &Copy,
                                       const PathState &Before, PathState &S,
                                       bool Observe) {
  if (!Copy)
    return;
  if (Observe)
    R.TaskCopies.push_back({*Copy, Before});
  // A loop that reads to end-of-file from a blocking pipe whose write end
  // it holds never ends; so does one that finds its own data back.
  const CopyFact &F = *Copy->Fact;
  bool Endless = F.Loop && ((F.ReadsToEof && !Before.hasFlag(Copy->From, Nonblock)) ||
                            Before.hasFlag(Copy->To, WrittenTo));
  // (A lambda's copy is found before the start, which keeps the flag.)
  if (Endless)
    S.setTask(Copy->Task,
              uint8_t(S.taskStatus(Copy->Task) | TaskCopiesOwnPipe));
}

void FlowEngineImpl::startTaskCheckingCopy(TaskId T, PathState &S,
                                           bool Observe) {
  std::optional<TaskCopy> Copy = taskSelfCopy(T, S);
  std::optional<PathState> Before;
  if (Copy && Observe)
    Before = S;
  startTask(T, S);
  placeTaskHandle(T, S);
  applyTaskSelfCopy(Copy, Before ? *Before : S, S, Observe);
}

} // namespace clang::tidy::pipe
