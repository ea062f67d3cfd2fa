//===--- RoutineOpenExits.cpp - a thread routine that forgets its end -----===//
//
// pipe-unclosed-write-end, for a write end given to a thread (by value, in
// a struct it gets through its `void *`, or in `*this`) whose routine
// closes it when it runs to its end but returns earlier without closing it
// (`if (!field_ok(r)) { ex->error = EINVAL; return NULL; }` before
// `close(ex->wfd);`): on that path nobody closes the end, and a reader of
// the pipe never sees end-of-file. The engine takes the end closed at the
// start, as the routine's end closes it (engine/RoutineEnds.cpp), so the
// reader's function reports nothing; the defect and its fix are in the
// routine, where the report goes: at each early return, with notes at the
// pipe's creation, at the start, and at the branch that took the path.
//
// When the pipe's read end was already closed at the start (no reader of
// this process can wait on it), the message says the end leaks instead.
// Not reported: a descriptor given by value (the routine's own analysis
// reports a parameter it owns, OwnedParameters.cpp), and an end the
// starter closes again after the start, making up for the early returns.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "checks/UnclosedWriteEndCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

void UnclosedWriteEndCheck::reportRoutineOpenExits(const FunctionAnalysis &A) {
  const SourceManager &SM = A.context().getSourceManager();
  for (const FunctionAnalysis::RoutineOpenEnd &R : A.routineOpenEnds()) {
    // A descriptor the routine gets by value is its own parameter: the
    // routine's own analysis reports the early exits (OwnedParameters.cpp).
    if (R.Part->Slot.K == SummarySlot::Value ||
        (!R.ReadEndOpen && quietLeaks(A)))
      continue;
    // The starter closes the end again after the start (`pthread_join(t,
    // 0); if (j.wr != -1) close(j.wr);`): it makes up for the early
    // returns itself.
    bool ClosedAgain = false;
    A.forEachCall([&](const CallSite &C, const PathState &S) {
      if (!ClosedAgain && C.Api->Role == ApiRole::Close &&
          A.subjectEnd(C, S) == R.End && S.status(R.End) == Closed)
        ClosedAgain = true;
    });
    if (ClosedAgain)
      continue;
    const TaskInfo &Task = A.tasks()[R.Task];
    for (const FunctionSummary::OpenExit &X : R.Part->Exits) {
      // A routine in a header: the report would be filtered out with it.
      if (X.Loc.isInvalid() ||
          !SM.isWrittenInMainFile(SM.getExpansionLoc(X.Loc)) ||
          !RoutineExitsReported.insert(X.Loc.getRawEncoding()).second)
        continue;
      // Named as the routine names it, and as the starter does.
      std::string Own = X.Name.empty() ? R.Name : X.Name;
      std::string Given =
          Own == R.Name ? std::string() : ", '" + R.Name + "' of its starter";
      diag(SM.getFileLoc(X.Loc),
           "%0 returns here without closing '%1', the write end its thread "
           "was given%2, which it closes when it runs to its end; "
           "%select{the descriptor leaks|readers of the pipe never see "
           "end-of-file}3; close '%1' before this return")
          << R.Routine << Own << Given << R.ReadEndOpen;
      if (const Expr *Origin = A.ends()[R.End].Origin)
        diag(SM.getFileLoc(Origin->getBeginLoc()), "pipe created here",
             DiagnosticIDs::Note);
      if (Task.Origin)
        diag(SM.getFileLoc(Task.Origin->getBeginLoc()),
             "the thread is started here and given '%0'", DiagnosticIDs::Note)
            << R.Name;
      BranchStep B;
      B.Condition = X.Condition;
      B.Case = X.Case;
      B.Taken = X.Taken;
      addBranchNote(B);
    }
  }
}

} // namespace clang::tidy::pipe
