//===--- JoinOrder.cpp - a helper that joins, then reads the output -------===//
//
// `render_end(job)` calling `job_finish(job)` (which joins the caller's
// writer thread) and then `buf_slurp(out, job->rd)`: on the path that reads
// the pipe to end-of-file, the join came first, and a writer with more than
// a pipe's capacity to write never finishes. The helper's own analysis
// cannot tell (the thread and the pipe are its caller's); its summary says
// which of its caller's places it reads to end-of-file after a join of a
// caller's task, on some path (FunctionSummary::DrainsAfterJoins), with
// where it joins and where it reads. pipe-wait-before-drain, in the
// caller that knows the writer, reports it in the helper, where the order
// is to be fixed (checks/WaitBeforeDrainCheck.cpp).
//
// The read counts when some exit has the end read to end-of-file (the
// engine's Drained: a read loop that ends on end-of-file, a helper that
// reads to the end) with the task joined, while it was not yet so at the
// join; the report names the first read after the join in the source.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "engine/FunctionAnalysis.h"
#include "summaries/StartPipes.h"

namespace clang::tidy::pipe {

void readDrainsAfterJoins(const FunctionAnalysis &A, FunctionSummary &Sum) {
  if (llvm::none_of(A.tasks(), [](const TaskInfo &T) { return T.FromCaller; }))
    return;
  // The first join of each caller's task in the source, with the caller's
  // open ends not yet read to the end there.
  const SourceManager &SM = A.context().getSourceManager();
  struct Join {
    TaskId Task;
    const TaskEvent *Ev;
    llvm::SmallVector<EndId, 2> Unread;
  };
  llvm::SmallVector<Join, 2> Joins;
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    if (Ev.K != TaskEvent::Join || !A.tasks()[Ev.Task].FromCaller ||
        Ev.Loc.isInvalid())
      return;
    Join J{Ev.Task, &Ev, {}};
    for (EndId E = 0; E < A.ends().size(); ++E)
      if (const FunctionAnalysis::SeededPlace *P = A.seedOf(E);
          P && !P->Captured && (S.status(E) & Open) &&
          !(S.flags(E) & Drained) && !A.ends()[E].isWriteSide())
        J.Unread.push_back(E);
    for (Join &K : Joins)
      if (K.Task == Ev.Task) {
        if (SM.isBeforeInTranslationUnit(Ev.Loc, K.Ev->Loc))
          K = J;
        return;
      }
    Joins.push_back(std::move(J));
  });
  // Read to the end, on some path, with the task joined: after the join.
  for (const Join &J : Joins)
    for (EndId E : J.Unread) {
      bool After = false;
      A.forEachExit([&](const ExitPoint &, const PathState &S) {
        After |= (S.flags(E) & Drained) && S.taskStatus(J.Task) == TaskJoined;
      });
      if (!After)
        continue;
      // Where: the first read of it after the join, in the source.
      const CallExpr *Read = nullptr;
      std::string Name = A.nameOf(E);
      A.forEachCall([&](const CallSite &C, const PathState &S) {
        if (C.Api->Role != ApiRole::Read || A.subjectEnd(C, S) != E ||
            !SM.isBeforeInTranslationUnit(J.Ev->Loc, compat::callBegin(C.Call)))
          return;
        if (!Read || SM.isBeforeInTranslationUnit(compat::callBegin(C.Call),
                                                  compat::callBegin(Read))) {
          Read = C.Call;
          Name = A.nameOf(E, &S);
        }
      });
      if (!Read)
        continue;
      SummarySlot Slot = slotOf(*A.seedOf(E));
      if (llvm::any_of(Sum.DrainsAfterJoins,
                       [&](const FunctionSummary::DrainAfterJoin &D) {
                         return D.Read == Slot;
                       }))
        continue;
      const auto *JoinCall = dyn_cast_or_null<CallExpr>(J.Ev->At);
      Sum.DrainsAfterJoins.push_back(
          {Slot, J.Ev->Loc, compat::callBegin(Read),
           JoinCall && JoinCall->getDirectCallee()
               ? JoinCall->getDirectCallee()->getNameAsString()
               : std::string(),
           Name});
    }
}

} // namespace clang::tidy::pipe
