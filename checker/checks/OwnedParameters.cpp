//===--- OwnedParameters.cpp - a descriptor the function owns ------------===//
//
// pipe-unclosed-write-end: a function that writes to a descriptor it was
// given and closes it on its final path owns it, so every other exit must
// close it too (split from UnclosedWriteEndCheck.cpp, unchanged).
//
//===----------------------------------------------------------------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "Compat.h"
#include "checks/LeakQueries.h"

#include "clang/AST/ASTContext.h"
#include <algorithm>
#include <vector>

namespace clang::tidy::pipe {

void UnclosedWriteEndCheck::reportOwnedParameters(const FunctionAnalysis &A) {
  // A function that writes to a descriptor parameter and closes it on its
  // final path owns it: every other exit must close it too.
  SourceLocation FinalLoc;
  A.forEachExit([&](const ExitPoint &X, const PathState &) {
    if (FinalLoc.isInvalid() ||
        A.context().getSourceManager().isBeforeInTranslationUnit(FinalLoc, X.Loc))
      FinalLoc = X.Loc;
  });
  if (FinalLoc.isInvalid())
    return;
  for (EndId E = 0; E < A.ends().size(); ++E) {
    const EndInfo &Info = A.ends()[E];
    if (Info.Kind != EndKind::Parameter)
      continue;
    bool ClosedAtFinal = true, SeenFinal = false, Written = false;
    A.forEachExit([&](const ExitPoint &X, const PathState &S) {
      Written |= S.hasFlag(E, WrittenTo);
      if (X.Loc != FinalLoc)
        return;
      SeenFinal = true;
      ClosedAtFinal &= S.status(E) == Closed && !S.hasFlag(E, Lost);
    });
    if (!SeenFinal || !ClosedAtFinal || !Written)
      continue;
    const CallExpr *CloseCall = nullptr;
    A.forEachCall([&](const CallSite &C, const PathState &S) {
      if (CloseCall || C.Api->Role != ApiRole::Close)
        return;
      int I = C.Api->Arg;
      if (I >= 0 && unsigned(I) < C.Call->getNumArgs())
        if (auto Closed = A.endOf(C.Call->getArg(unsigned(I)), S); Closed && *Closed == E)
          CloseCall = C.Call;
    });
    std::vector<SourceLocation> Reported;
    A.forEachExit([&](const ExitPoint &X, const PathState &S) {
      // An exception the caller may catch: the caller still has what it
      // handed in, and may close it.
      if (X.Loc == FinalLoc || !S.has(E, Open) || S.hasFlag(E, Lost) ||
          X.Loc.isInvalid() || X.K == ExitPoint::Throw ||
          callersEndProcess(A, X, S))
        return;
      if (std::find(Reported.begin(), Reported.end(), X.Loc) != Reported.end())
        return;
      Reported.push_back(X.Loc);
      diag(X.Loc, "write end '%0' is closed on another path but still open "
                  "when %select{%1 returns|%1 returns|an exception leaves %1}2 "
                  "here; the reader never sees end-of-file and blocks forever; "
                  "close it on this path too")
          << A.nameOf(E, &S) << A.displayName() << int(X.K);
      if (CloseCall)
        diag(compat::callBegin(CloseCall), "'%0' is closed here on another path",
             DiagnosticIDs::Note)
            << Info.Name;
      addPathNotes(A, E, S);
    });
  }
}

} // namespace clang::tidy::pipe
