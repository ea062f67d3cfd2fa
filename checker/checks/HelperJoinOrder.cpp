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
// pipe-leaked-writer, for a helper that joins its caller's writer and
// closes the read end only after that: `finish(*gen)` doing
// `p.worker.join(); close(p.rfd);` after the caller stopped reading early.
// The writer may be blocked on the full pipe; the same summary
// (ClosesAfterJoins) says the helper closes the read end too late. The
// warning is in the helper, at its join, once per join, with notes at the
// close, the writer's start, the pipe and the caller's call (kept with
// pipe-wait-before-drain's findings of the same writer, BlockedWriters.h).
//
//===----------------------------------------------------------------------===//
#include "checks/BlockedWriters.h"
#include "checks/LeakedWriterCheck.h"
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

/// A helper's order to report: the call \p Ev.At of a helper that
/// closes the caller's end only after its first join
/// (FunctionSummary::ClosesAfterJoins), where it joins and closes (file
/// locations), and the names the message uses: the helper called, the one
/// whose body joins and closes, and the join's callee.
struct HelperOrder {
  const FunctionSummary::CloseAfterJoin *C = nullptr;
  SourceLocation JoinAt, CloseAt;
  std::string Called, Helper, Joins;
};

/// The order of the helper \p Ev.At calls that closes \p Closed after its
/// join; none when the call is no such helper's, or the helper is in a
/// header (the report would be filtered out with it).
std::optional<HelperOrder> closeAfterJoinAt(const FunctionAnalysis &A,
                                            const TaskEvent &Ev,
                                            const PathState &S, EndId Closed,
                                            FunctionSummaries *Functions,
                                            const ApiModel &Model) {
  const auto *Call = dyn_cast_or_null<CallExpr>(Ev.At);
  const FunctionDecl *Def = nullptr;
  const FunctionSummary *FS = helperAt(Call, Functions, Model, Def);
  if (!FS)
    return std::nullopt;
  HelperOrder H;
  for (const FunctionSummary::CloseAfterJoin &X : FS->ClosesAfterJoins)
    if (summarySlotEnd(A, Call, X.Closed, S) == Closed)
      H.C = &X;
  const SourceManager &SM = A.context().getSourceManager();
  if (!H.C || H.C->JoinLoc.isInvalid() ||
      !SM.isWrittenInMainFile(SM.getExpansionLoc(H.C->JoinLoc)))
    return std::nullopt;
  H.JoinAt = SM.getFileLoc(H.C->JoinLoc);
  H.CloseAt = SM.getFileLoc(H.C->CloseLoc);
  H.Called = Def->getNameAsString();
  H.Helper = H.C->InFunction.empty() ? H.Called : H.C->InFunction;
  H.Joins = H.C->JoinCallee.empty() ? H.Helper : H.C->JoinCallee;
  return H;
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
  std::optional<HelperOrder> H = closeAfterJoinAt(
      A, Ev, S, W, sharedSummaries(A.context()), model());
  if (!H)
    return false;
  // One warning for the helper's order, whichever caller shows it.
  if (!ReportedHelperJoins.insert(H->JoinAt.getRawEncoding()).second)
    return true;
  const TaskInfo &T = A.tasks()[Ev.Task];
  const bool IsChild = T.Kind == TaskKind::ForkChild;
  const FunctionSummary::CloseAfterJoin *C = H->C;
  std::string Task = describeTask(T);
  diag(H->JoinAt,
       "%0() %select{joins|waits for}1 %2 here, before '%3' closes the write "
       "end '%4': the %select{thread|child}1 reads the pipe until "
       "end-of-file, which never comes while '%4' is open, so %0() never "
       "returns; close '%4' before the %select{join|wait}1")
      << H->Joins << int(IsChild) << Task << H->Helper << C->CloseName;
  diag(H->CloseAt, "'%0' is closed only here, after the %select{join|wait}1",
       DiagnosticIDs::Note)
      << C->CloseName << int(IsChild);
  diag(T.Origin->getBeginLoc(), "%0 starts here; it reads '%1' until end-of-file",
       DiagnosticIDs::Note)
      << Task << A.nameOf(R, &S);
  if (const Expr *Origin = A.ends()[R].Origin)
    diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  diag(Ev.Loc, "'%0' is called here while %1 runs and '%2' holds the write end",
       DiagnosticIDs::Note)
      << H->Called << Task << A.nameOf(W, &S);
  return true;
}

bool LeakedWriterCheck::reportHelperCloseOrder(const FunctionAnalysis &A,
                                               const TaskEvent &Ev,
                                               const PathState &S, EndId R) {
  std::optional<HelperOrder> H = closeAfterJoinAt(
      A, Ev, S, R, sharedSummaries(A.context()), model());
  if (!H)
    return false;
  // One warning for the helper's order, whichever caller shows it.
  if (!ReportedHelperJoins.insert(H->JoinAt.getRawEncoding()).second)
    return true;
  const TaskInfo &T = A.tasks()[Ev.Task];
  const bool IsChild = T.Kind == TaskKind::ForkChild;
  const bool ReadSome = S.flags(R) & ReadFrom;
  SourceLocation JoinAt = H->JoinAt, CloseAt = H->CloseAt;
  std::string Task = describeTask(T), Called = H->Called, Helper = H->Helper,
              Joins = H->Joins, Close = H->C->CloseName, Read = A.nameOf(R, &S);
  // The join is a helper's of its own (`stop_worker()`), not the API's.
  static const char *const JoinApis[] = {"join",  "pthread_join", "waitpid",
                                         "wait",  "wait4",        "waitid",
                                         "get"};
  const bool Through = !H->C->JoinCallee.empty() &&
                       !llvm::is_contained(JoinApis, llvm::StringRef(Joins));
  uint64_t MaxBytes = T.MaxBytes;
  const bool Outputs = !T.Outputs.empty();
  SourceLocation Start = T.Origin->getBeginLoc(), CallAt = Ev.Loc;
  SourceLocation PipeAt;
  if (const Expr *Origin = A.ends()[R].Origin)
    PipeAt = Origin->getBeginLoc();
  const EndInfo &RI = A.ends()[R];
  BranchStep Branch = S.lastBranch();
  deferBlockedWriter(
      BlockedBy::LeakedWriter, {A.decl(), T.Origin, RI.Origin, RI.Name},
      CallAt,
      [=] {
        diag(JoinAt,
             "'%0' %select{joins|waits for}1 %2 here%select{| (in '%5')}4, "
             "before it closes the read end '%3': on a path where the pipe "
             "is no longer read, the %select{thread|child}1 may be blocked on "
             "the full pipe and never finish, so '%0' never returns; close "
             "'%3' before the %select{join|wait}1, so that the writer fails "
             "with EPIPE")
            << Helper << int(IsChild) << Task << Close << Through << Joins;
        diag(CloseAt,
             "'%0' is closed only here, after the %select{join|wait}1",
             DiagnosticIDs::Note)
            << Close << int(IsChild);
        addWriterStartNote(Start, Task, MaxBytes, Outputs);
        if (PipeAt.isValid())
          diag(PipeAt, "pipe created here", DiagnosticIDs::Note);
        diag(CallAt,
             "'%0' is called here while %1 may still be writing and '%2' is "
             "%select{unread|no longer read, though not at end-of-file}3",
             DiagnosticIDs::Note)
            << Called << Task << Read << ReadSome;
        addBranchNote(Branch);
      },
      [=] {
        diag(CallAt,
             "'%0' joins the writer before it closes '%1': closing it "
             "before the %select{join|wait}2 also ends the writer, which "
             "then fails with EPIPE",
             DiagnosticIDs::Note)
            << Called << Close << int(IsChild);
      });
  return true;
}

} // namespace clang::tidy::pipe
