//===--- RemadeLeaks.cpp - a pipe made again while the last one is open ---===//
//
// pipe-unclosed-write-end: a loop that makes its pipe anew on every turn
// (`for (...) { int fd[2]; pipe(fd); ... }`) and, on some path through the
// turn, goes round again without closing the ends (a `continue` that skips
// the close, a `goto` to the loop's end): the next pipe() overwrites the
// only places that held them, and they can never be closed. A server's
// endless accept loop has no exit where the leak could be reported; every
// turn that takes the path leaks two descriptors until the process runs
// out. The engine records such a pipe() call, with the state before it,
// when an end the call made the last time is open and held only in the
// places it overwrites (engine/TransferCalls.cpp).
//
//===----------------------------------------------------------------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "Compat.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

void UnclosedWriteEndCheck::reportRemadeLeaks(const FunctionAnalysis &A) {
  llvm::SmallPtrSet<const CallExpr *, 4> Done;
  std::optional<bool> Quiet;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if ((C.Api->Role != ApiRole::CreatePipe &&
         C.Api->Role != ApiRole::CreateSocketPair) ||
        S.inForkChild() || Done.count(C.Call))
      return;
    llvm::SmallVector<EndId, 2> Left;
    for (EndId E = 0; E < A.ends().size(); ++E)
      if (A.ends()[E].Origin == C.Call && S.status(E) == Open &&
          !S.hasFlag(E, Lost) && !A.ends()[E].OwnedByObject)
        Left.push_back(E);
    if (Left.empty())
      return;
    // Test code: its leaks are not reported (ReportLeaksInTests).
    if (!Quiet)
      Quiet = quietLeaks(A);
    if (*Quiet)
      return;
    Done.insert(C.Call);
    bool Socket = C.Api->Role == ApiRole::CreateSocketPair;
    // Write side first: "the write end 'fd[1]' and the read end 'fd[0]'".
    std::stable_sort(Left.begin(), Left.end(), [&](EndId X, EndId Y) {
      return A.ends()[X].isWriteSide() && !A.ends()[Y].isWriteSide();
    });
    std::string What;
    for (EndId E : Left) {
      if (!What.empty())
        What += " and ";
      What += Socket ? "the end '" + A.nameOf(E, &S) + "'"
                     : std::string(A.ends()[E].isWriteSide() ? "the write end '"
                                                             : "the read end '") +
                           A.nameOf(E, &S) + "'";
    }
    bool Plural = Left.size() > 1;
    diag(compat::callBegin(C.Call),
         "%0 makes this %select{pipe|socket pair}1 again while %2 it made "
         "the last time round the loop %select{is|are}3 still open: nothing "
         "holds %select{it|them}3 any more, so each turn that takes this path "
         "leaks %select{it|them}3; close %select{it|them}3 before the loop "
         "goes round again")
        << A.displayName() << int(Socket) << What << int(Plural);
    // The branch of the last turn that went round without the close.
    if (S.prevTurn().Condition) {
      addBranchNote(S.prevTurn());
      // (The resource of both ends is the call that made them.)
      RemadeCauses[A.ends()[Left.front()].Origin].push_back(S.prevTurn());
    }
  });
}

bool UnclosedWriteEndCheck::leftByRemadeTurn(const void *Resource,
                                             const PathState &S) const {
  auto It = RemadeCauses.find(Resource);
  return It != RemadeCauses.end() && S.prevTurn().Condition &&
         llvm::is_contained(It->second, S.prevTurn());
}

} // namespace clang::tidy::pipe
