//===--- HelperJoinOrder.cpp - a helper that joins before it reads --------===//
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
//===----------------------------------------------------------------------===//
#include "checks/WaitBeforeDrainCheck.h"
#include "Compat.h"
#include "checks/CallQueries.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::pipe {

namespace {
/// The caller's end that slot \p Sl of the summary of \p CE names, on a
/// path with state \p S: the argument itself, or what the struct it
/// points to holds there.
std::optional<EndId> slotEndAt(const FunctionAnalysis &A, const CallExpr *CE,
                               const SummarySlot &Sl, const PathState &S) {
  if (isa<CXXMemberCallExpr>(CE) || isa<CXXOperatorCallExpr>(CE) ||
      Sl.Param >= CE->getNumArgs())
    return std::nullopt;
  const Expr *Arg = CE->getArg(Sl.Param);
  if (Sl.K == SummarySlot::Value)
    return A.endOf(Arg, S);
  if (Sl.K != SummarySlot::Pointee)
    return std::nullopt;
  AbsVal V = A.valueOf(Arg, S);
  if (V.K != AbsVal::Addr || V.loc().Sel != 0)
    return std::nullopt;
  AbsVal X = S.load(LocKey{V.loc().Base, Sl.Sel});
  if (X.K != AbsVal::End)
    return std::nullopt;
  return X.E;
}
} // namespace

bool WaitBeforeDrainCheck::checkHelperJoinOrder(const FunctionAnalysis &A,
                                                const TaskEvent &Ev,
                                                const PathState &S, EndId W,
                                                EndId R) {
  const auto *Call = dyn_cast_or_null<CallExpr>(Ev.At);
  FunctionSummaries *Functions = sharedSummaries(A.context());
  const FunctionDecl *Def =
      Call && Functions && !model().lookup(ApiModel::calleeOf(Call))
          ? FunctionSummaries::summarisable(ApiModel::calleeOf(Call))
          : nullptr;
  const FunctionSummary *FS = Def ? Functions->get(Def) : nullptr;
  if (!FS)
    return false;
  const FunctionSummary::DrainAfterJoin *D = nullptr;
  for (const FunctionSummary::DrainAfterJoin &X : FS->DrainsAfterJoins)
    if (slotEndAt(A, Call, X.Read, S) == R)
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

} // namespace clang::tidy::pipe
