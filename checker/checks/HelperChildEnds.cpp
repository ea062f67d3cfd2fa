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
// findHelperChildEnds() is shared with pipe-self-deadlock, which leaves a
// read to end-of-file of such a pipe in the caller to this report.
//
// Only a helper with a start summary that makes the task's pipes
// (summaries/StartPipes.h) is read, so the end is known to be the child's
// standard output, made by the helper, and left where the caller has it.
//
//===----------------------------------------------------------------------===//
#include "checks/HelperChildEnds.h"
#include "Compat.h"
#include "checks/UnclosedWriteEndCheck.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

std::vector<HelperChildEnd> findHelperChildEnds(
    const FunctionAnalysis &A, FunctionSummaries &Functions,
    const ApiModel &Model, unsigned Budget,
    llvm::function_ref<bool(const ExitPoint &, const PathState &)>
        EndsProcess) {
  std::vector<HelperChildEnd> Found;
  if (A.tasks().empty() || A.isMain())
    return Found;
  const SourceManager &SM = A.context().getSourceManager();
  for (const TaskInfo &T : A.tasks()) {
    const auto *Call = dyn_cast_or_null<CallExpr>(T.Origin);
    if (!Call || T.Kind != TaskKind::ForkChild || T.Spawned)
      continue;
    const FunctionDecl *Def =
        FunctionSummaries::summarisable(ApiModel::calleeOf(Call));
    const FunctionSummary *FS = Def ? Functions.get(Def) : nullptr;
    if (!FS || !FS->Starts || FS->Starts->Outcomes.empty())
      continue;
    // The child's standard output, made by the helper, still open here
    // when this function returns with the child running.
    HelperChildEnd F;
    F.Call = Call;
    for (EndId W : T.Outputs) {
      if (A.ends()[W].Origin != Call || !A.ends()[W].isWriteSide())
        continue;
      A.forEachExit([&](const ExitPoint &X, const PathState &S) {
        if (!S.has(W, Open) || S.hasFlag(W, Lost) || EndsProcess(X, S))
          return;
        if (!llvm::is_contained(F.Left, W))
          F.Left.push_back(W);
        if (!F.CallerExit) {
          F.CallerExit = &X;
          F.CallerState = &S;
        }
      });
    }
    if (F.Left.empty())
      continue;
    // Down the chain of start helpers to the one that makes the pipe: the
    // helper's first exit, in the source, that leaves its child's output
    // write end open, the child running.
    std::optional<EndId> HW;
    for (unsigned Depth = 0; Def && Depth < 4; ++Depth) {
      std::unique_ptr<FunctionAnalysis> H = FunctionAnalysis::runForSummary(
          Def, A.context(), Model, Budget, Functions.callees());
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
      F.Helper = std::move(H);
      F.Exit = HX;
      F.AtExit = HS0;
      HW = HE;
      // Made by a start helper of its own: go down to it.
      const auto *Inner = dyn_cast<CallExpr>(F.Helper->ends()[*HW].Origin);
      const FunctionDecl *Next =
          Inner && !Model.lookup(ApiModel::calleeOf(Inner))
              ? FunctionSummaries::summarisable(ApiModel::calleeOf(Inner))
              : nullptr;
      const FunctionSummary *NS = Next ? Functions.get(Next) : nullptr;
      if (!NS || !NS->Starts || NS->Starts->Outcomes.empty())
        break;
      Def = Next;
    }
    // A helper in a header: the report would be filtered out with it.
    if (!F.Exit || !SM.isWrittenInMainFile(SM.getExpansionLoc(F.Exit->Loc)))
      continue;
    F.HelperEnd = *HW;
    Found.push_back(std::move(F));
  }
  return Found;
}

void UnclosedWriteEndCheck::reportHelperChildEnds(const FunctionAnalysis &A) {
  ReportedInHelper.clear();
  FunctionSummaries *Functions = sharedSummaries(A.context());
  if (!Functions)
    return;
  for (HelperChildEnd &F : findHelperChildEnds(
           A, *Functions, model(), analysisBudget(),
           [&](const ExitPoint &X, const PathState &S) {
             return callersEndProcess(A, X, S);
           })) {
    for (EndId W : F.Left)
      ReportedInHelper.insert(W);
    if (!HelperChildExitsReported.insert(F.Exit->Loc.getRawEncoding()).second)
      continue; // reported for another caller
    const FunctionAnalysis &Helper = *F.Helper;
    std::string Name = Helper.nameOf(F.HelperEnd, F.AtExit);
    diag(F.Exit->Loc,
         "write end '%0' of the pipe that %1 makes its child's standard "
         "output is still open in the parent when %1 returns here, and %2 "
         "does not close it either; readers of the pipe never see "
         "end-of-file while the parent holds it; close '%0' in the parent "
         "right after fork()")
        << Name << Helper.displayName() << A.displayName();
    if (const Expr *Origin = Helper.ends()[F.HelperEnd].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
    diag(compat::callBegin(F.Call), "%0 gets it here as '%1'", DiagnosticIDs::Note)
        << A.displayName() << A.nameOf(F.Left.front(), F.CallerState);
    if (F.CallerExit && F.CallerExit->Loc.isValid())
      diag(F.CallerExit->Loc, "and returns here with '%0' still open",
           DiagnosticIDs::Note)
          << A.nameOf(F.Left.front(), F.CallerState);
  }
}

} // namespace clang::tidy::pipe
