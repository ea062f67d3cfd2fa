//===--- HelperChildEnds.cpp - a child's write end a start helper keeps ---===//
//
// pipe-unclosed-write-end, for a helper that makes a pipe, forks a child
// whose standard output is its write end, and hands its caller the
// parent's copy of that write end along with the read end
// (`ls->out_wr = p[1]; ls->pid = fork(); ... return 0;`). The caller has
// no use for it; when the caller does not close it either (it is still
// open at one of the caller's exits), no reader of the pipe ever sees
// end-of-file. The fix belongs in the helper, which is where the report
// goes: at the helper's first exit that leaves the end open with the
// child running, with the caller's call as a note. The caller's own exit
// leak of that end is then not reported again (ReportedInHelper).
//
// Only a helper with a start summary that makes the task's pipes
// (summaries/StartPipes.h) is read, so the end is known to be the child's
// standard output, made by the helper, and left where the caller has it.
//
//===----------------------------------------------------------------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

void UnclosedWriteEndCheck::reportHelperChildEnds(const FunctionAnalysis &A) {
  ReportedInHelper.clear();
  if (A.tasks().empty() || A.isMain())
    return;
  FunctionSummaries *Functions = sharedSummaries(A.context());
  if (!Functions)
    return;
  const SourceManager &SM = A.context().getSourceManager();
  for (const TaskInfo &T : A.tasks()) {
    const auto *Call = dyn_cast_or_null<CallExpr>(T.Origin);
    if (!Call || T.Kind != TaskKind::ForkChild || T.Spawned)
      continue;
    const FunctionDecl *Def =
        FunctionSummaries::summarisable(ApiModel::calleeOf(Call));
    const FunctionSummary *FS = Def ? Functions->get(Def) : nullptr;
    if (!FS || !FS->Starts || FS->Starts->Outcomes.empty())
      continue;
    // The child's standard output, made by the helper, still open here
    // when this function returns with the child running.
    llvm::SmallVector<EndId, 2> Left;
    const ExitPoint *CallerExit = nullptr;
    const PathState *CallerState = nullptr;
    for (EndId W : T.Outputs) {
      if (A.ends()[W].Origin != Call || !A.ends()[W].isWriteSide())
        continue;
      A.forEachExit([&](const ExitPoint &X, const PathState &S) {
        if (!S.has(W, Open) || S.hasFlag(W, Lost) ||
            callersEndProcess(A, X, S))
          return;
        if (!llvm::is_contained(Left, W))
          Left.push_back(W);
        if (!CallerExit) {
          CallerExit = &X;
          CallerState = &S;
        }
      });
    }
    if (Left.empty())
      continue;
    // Down the chain of start helpers to the one that makes the pipe: the
    // helper's first exit, in the source, that leaves its child's output
    // write end open, the child running.
    std::unique_ptr<FunctionAnalysis> Helper;
    const ExitPoint *Exit = nullptr;
    const PathState *AtExit = nullptr;
    std::optional<EndId> HW;
    for (unsigned Depth = 0; Def && Depth < 4; ++Depth) {
      std::unique_ptr<FunctionAnalysis> H = FunctionAnalysis::runForSummary(
          Def, A.context(), model(), analysisBudget(), Functions->callees());
      if (!H)
        break;
      std::optional<TaskId> Own;
      for (TaskId X = 0; X < H->tasks().size(); ++X)
        if (!H->tasks()[X].FromCaller)
          Own = X;
      if (!Own)
        break;
      const ExitPoint *HX = nullptr;
      const PathState *HS0 = nullptr;
      std::optional<EndId> HE;
      for (EndId E : H->tasks()[*Own].Outputs) {
        const EndInfo &HI = H->ends()[E];
        if (!HI.Origin || HI.Kind == EndKind::Parameter ||
            HI.Kind == EndKind::Duplicate)
          continue;
        H->forEachExit([&](const ExitPoint &X, const PathState &HS) {
          if (X.Loc.isInvalid() || HS.status(E) != Open ||
              HS.taskStatus(*Own) != TaskRunning)
            return;
          if (!HX || SM.isBeforeInTranslationUnit(X.Loc, HX->Loc)) {
            HX = &X;
            HS0 = &HS;
            HE = E;
          }
        });
        if (HX)
          break;
      }
      if (!HX)
        break; // the level above says where it leaves
      Helper = std::move(H);
      Exit = HX;
      AtExit = HS0;
      HW = HE;
      // Made by a start helper of its own: go down to it.
      const auto *Inner = dyn_cast<CallExpr>(Helper->ends()[*HW].Origin);
      const FunctionDecl *Next =
          Inner && !model().lookup(ApiModel::calleeOf(Inner))
              ? FunctionSummaries::summarisable(ApiModel::calleeOf(Inner))
              : nullptr;
      const FunctionSummary *NS = Next ? Functions->get(Next) : nullptr;
      if (!NS || !NS->Starts || NS->Starts->Outcomes.empty())
        break;
      Def = Next;
    }
    // A helper in a header: the report would be filtered out with it.
    if (!Exit || !SM.isWrittenInMainFile(SM.getExpansionLoc(Exit->Loc)))
      continue;
    for (EndId W : Left)
      ReportedInHelper.insert(W);
    if (!HelperChildExitsReported.insert(Exit->Loc.getRawEncoding()).second)
      continue; // reported for another caller
    std::string Name = Helper->nameOf(*HW, AtExit);
    diag(Exit->Loc,
         "write end '%0' of the pipe that %1 makes its child's standard "
         "output is still open in the parent when %1 returns here, and %2 "
         "does not close it either; readers of the pipe never see "
         "end-of-file while the parent holds it; close '%0' in the parent "
         "right after fork()")
        << Name << Helper->displayName() << A.displayName();
    if (const Expr *Origin = Helper->ends()[*HW].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
    diag(Call->getBeginLoc(), "%0 gets it here as '%1'", DiagnosticIDs::Note)
        << A.displayName() << A.nameOf(Left.front(), CallerState);
    if (CallerExit && CallerExit->Loc.isValid())
      diag(CallerExit->Loc, "and returns here with '%0' still open",
           DiagnosticIDs::Note)
          << A.nameOf(Left.front(), CallerState);
  }
}

} // namespace clang::tidy::pipe
