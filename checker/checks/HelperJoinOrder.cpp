//===--- HelperJoinOrder.cpp - a helper that joins too early --------------===//
//
// pipe-wait-before-drain, for a helper that joins (or waits for) its
// caller's writer and reads the writer's pipe to end-of-file only after
// that, on some path: `render_end(job)` doing `rc = job_finish(job); if
// (rc == 0) rc = buf_slurp(out, job->rd);`. The helper cannot see the
// writer (its caller started it); the caller sees the writer, which fills
// the pipe, and the helper's summary (FunctionSummary::DrainsAfterJoins,
// summaries/JoinOrder.cpp). The order to fix is the helper's, so the
// warning is there, at its join, with notes at the read, the writer's
// start, the pipe and the caller's call. It takes the caller's call as its
// point for checks/BlockedWriters.h, so that pipe-leaked-writer's finding
// of the same join (the read end still open) is this one.
//
// pipe-self-deadlock, for a helper that joins its caller's reader and
// closes the write end the reader waits on only after that: `finish()`
// doing `stop_worker(); close_input();`. The caller's reader thread reads
// the pipe to end-of-file; the helper's summary says it closes the write
// end on every exit, but after its join (FunctionSummary::
// ClosesAfterJoins). The warning is in the helper, once per join, with
// notes at the close, the reader's start, the pipe and the caller's call.
//
//===----------------------------------------------------------------------===//
#include "checks/SelfDeadlockCheck.h"
#include "checks/WaitBeforeDrainCheck.h"
#include "Compat.h"
#include "checks/CallQueries.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::pipe {

namespace {
/// The helper \p Call calls (a function of this file, not one of the
/// model's) and its summary, if it has one.
const FunctionSummary *helperAt(const CallExpr *Call,
                                FunctionSummaries *Functions,
                                const ApiModel &Model, const FunctionDecl *&Def) {
  Def = Call && Functions && !Model.lookup(ApiModel::calleeOf(Call))
            ? FunctionSummaries::summarisable(ApiModel::calleeOf(Call))
            : nullptr;
  return Def ? Functions->get(Def) : nullptr;
}
} // namespace

bool WaitBeforeDrainCheck::checkHelperJoinOrder(const FunctionAnalysis &A,
                                                const TaskEvent &Ev,
                                                const PathState &S, EndId W,
                                                EndId R) {
  const auto *Call = dyn_cast_or_null<CallExpr>(Ev.At);
  const FunctionDecl *Def = nullptr;
  const FunctionSummary *FS = helperAt(Call, sharedSummaries(A.context()), model(), Def);
  if (!FS)
    return false;
  const FunctionSummary::DrainAfterJoin *D = nullptr;
  for (const FunctionSummary::DrainAfterJoin &X : FS->DrainsAfterJoins)
    if (summarySlotEnd(A, Call, X.Read, S) == R)
      D = &X;
  const SourceManager &SM = A.context().getSourceManager();
  // A helper in a header: the report would be filtered out with it.
  if (!D || D->JoinLoc.isInvalid() ||
      !SM.isWrittenInMainFile(SM.getExpansionLoc(D->JoinLoc)))
    return false;
  const TaskInfo &T = A.tasks()[Ev.Task];
  const bool IsChild = T.Kind == TaskKind::ForkChild;
  std::string Child = describeTask(T), Helper = Def->getNameAsString(),
              Joins = D->JoinCallee.empty() ? Helper : D->JoinCallee,
              ReadName = D->ReadName;
  SourceLocation JoinAt = SM.getFileLoc(D->JoinLoc),
                 ReadAt = SM.getFileLoc(D->ReadLoc), CallAt = Ev.Loc;
  const Expr *Origin = A.ends()[R].Origin;
  Findings.push_back(
      {Ev.Loc, Ev.Task, W,
       [=, &A, &T] {
         diag(JoinAt,
              "%0() %select{joins|waits for}1 %2 here, before '%3' reads '%4' "
              "to end-of-file: the %select{writer|child}1 blocks once the "
              "pipe is full (%5 bytes) and never %select{finishes|exits}1, "
              "so %0() never returns; read '%4' to end-of-file first, or "
              "from another thread while the %select{writer|child}1 runs")
             << Joins << IsChild << Child << Helper << ReadName
             << PipeCapacity;
         diag(ReadAt, "'%0' is read only here, after the %select{join|wait}1",
              DiagnosticIDs::Note)
             << ReadName << IsChild;
         noteChild(A, T, W);
         if (Origin)
           diag(Origin->getBeginLoc(), "pipe created here",
                DiagnosticIDs::Note);
         diag(CallAt, "'%0' is called here, before %1 is %select{joined|"
                      "waited for}2",
              DiagnosticIDs::Note)
             << Helper << Child << IsChild;
       },
       [=] {
         diag(CallAt,
              "'%0' here also %select{joins|waits for}1 %2 before '%3' is "
              "read: the same blocked %select{writer|child}1, fixed by the "
              "same change",
              DiagnosticIDs::Note)
             << Helper << IsChild << Child << ReadName;
       }});
  return true;
}

bool SelfDeadlockCheck::reportHelperCloseOrder(const FunctionAnalysis &A,
                                               const TaskEvent &Ev,
                                               const PathState &S, EndId R,
                                               EndId W) {
  const auto *Call = dyn_cast_or_null<CallExpr>(Ev.At);
  const FunctionDecl *Def = nullptr;
  const FunctionSummary *FS = helperAt(Call, sharedSummaries(A.context()), model(), Def);
  if (!FS)
    return false;
  const FunctionSummary::CloseAfterJoin *C = nullptr;
  for (const FunctionSummary::CloseAfterJoin &X : FS->ClosesAfterJoins)
    if (summarySlotEnd(A, Call, X.Closed, S) == W)
      C = &X;
  const SourceManager &SM = A.context().getSourceManager();
  // A helper in a header: the report would be filtered out with it.
  if (!C || C->JoinLoc.isInvalid() ||
      !SM.isWrittenInMainFile(SM.getExpansionLoc(C->JoinLoc)))
    return false;
  SourceLocation JoinAt = SM.getFileLoc(C->JoinLoc),
                 CloseAt = SM.getFileLoc(C->CloseLoc);
  // One warning for the helper's order, whichever caller shows it.
  if (!ReportedHelperJoins.insert(JoinAt.getRawEncoding()).second)
    return true;
  const TaskInfo &T = A.tasks()[Ev.Task];
  const bool IsChild = T.Kind == TaskKind::ForkChild;
  std::string Task = describeTask(T), Called = Def->getNameAsString(),
              Helper = C->InFunction.empty() ? Called : C->InFunction,
              Joins = C->JoinCallee.empty() ? Helper : C->JoinCallee;
  diag(JoinAt,
       "%0() %select{joins|waits for}1 %2 here, before '%3' closes the write "
       "end '%4': the %select{thread|child}1 reads the pipe until "
       "end-of-file, which never comes while '%4' is open, so %0() never "
       "returns; close '%4' before the %select{join|wait}1")
      << Joins << int(IsChild) << Task << Helper << C->CloseName;
  diag(CloseAt, "'%0' is closed only here, after the %select{join|wait}1",
       DiagnosticIDs::Note)
      << C->CloseName << int(IsChild);
  diag(T.Origin->getBeginLoc(), "%0 starts here; it reads '%1' until end-of-file",
       DiagnosticIDs::Note)
      << Task << A.nameOf(R, &S);
  if (const Expr *Origin = A.ends()[R].Origin)
    diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  diag(Ev.Loc, "'%0' is called here while %1 runs and '%2' holds the write end",
       DiagnosticIDs::Note)
      << Called << Task << A.nameOf(W, &S);
  return true;
}

} // namespace clang::tidy::pipe
