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
#include "checks/LeakQueries.h"
#include "Compat.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

void UnclosedWriteEndCheck::reportRemadeLeaks(const FunctionAnalysis &A) {
  // Every state that reaches a pipe() call with the last ends open, per
  // call, in the order of the calls.
  struct Remade {
    const CallSite *C = nullptr;
    const PathState *S = nullptr;
    llvm::SmallVector<EndId, 2> Left;
    llvm::SmallVector<BranchStep, 2> Turns;
  };
  std::vector<Remade> Calls;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if ((C.Api->Role != ApiRole::CreatePipe &&
         C.Api->Role != ApiRole::CreateSocketPair) ||
        S.inForkChild())
      return;
    llvm::SmallVector<EndId, 2> Left;
    for (EndId E = 0; E < A.ends().size(); ++E)
      if (A.ends()[E].Origin == C.Call && S.status(E) == Open &&
          !S.hasFlag(E, Lost) && !A.ends()[E].OwnedByObject)
        Left.push_back(E);
    if (Left.empty())
      return;
    auto It = llvm::find_if(Calls, [&](const Remade &R) {
      return R.C->Call == C.Call;
    });
    if (It == Calls.end()) {
      Calls.push_back(Remade{&C, &S, Left, {}});
      It = std::prev(Calls.end());
    }
    // The branch of the last turn that went round without the close, as
    // each path knows it (a path that joined turns which disagree knows
    // none).
    if (S.prevTurn().Condition && !llvm::is_contained(It->Turns, S.prevTurn()))
      It->Turns.push_back(S.prevTurn());
  });
  if (Calls.empty())
    return;
  // Test code: its leaks are not reported (ReportLeaksInTests).
  if (quietLeaks(A))
    return;
  for (Remade &R : Calls) {
    const PathState &S = *R.S;
    llvm::SmallVector<EndId, 2> &Left = R.Left;
    bool Socket = R.C->Api->Role == ApiRole::CreateSocketPair;
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
    diag(compat::callBegin(R.C->Call),
         "%0 makes this %select{pipe|socket pair}1 again while %2 it made "
         "the last time round the loop %select{is|are}3 still open: nothing "
         "holds %select{it|them}3 any more, so each turn that takes this path "
         "leaks %select{it|them}3; close %select{it|them}3 before the loop "
         "goes round again")
        << A.displayName() << int(Socket) << What << int(Plural);
    // (Both ends have the pipe's resource.)
    RemadeInfo &Info = RemadeCauses[resourceOf(A, Left.front())];
    for (const Stmt *Loop : A.loopsAround(R.C->Call))
      Info.Loops.insert(Loop);
    // The branch of the last turn that went round without the close, when
    // the paths that know it agree.
    if (R.Turns.size() == 1) {
      addBranchNote(R.Turns.front());
      Info.Turns.push_back(R.Turns.front());
    }
  }
}

bool UnclosedWriteEndCheck::leftByRemadeTurn(const void *Resource,
                                             const PathState &S) const {
  auto It = RemadeCauses.find(Resource);
  if (It == RemadeCauses.end())
    return false;
  if (S.prevTurn().Condition && llvm::is_contained(It->second.Turns, S.prevTurn()))
    return true;
  // A path that has made no pipe since it went round the loop (a turn
  // whose pipe() failed and returns, a `break` before the pipe() call) or
  // leaves the loop by its condition, with the ends open: a turn that went
  // round left them so, the defect the warning at the pipe() call reports.
  // (A `break` or `return` after this turn's pipe() that skips the close
  // is a defect of its own.)
  for (const Stmt *Loop : It->second.Loops)
    if (S.nothingMadeThisTurn(Loop))
      return true;
  const BranchStep &Last = S.lastBranch();
  if (!Last.Condition || Last.Taken || Last.Case)
    return false;
  for (const Stmt *Loop : It->second.Loops) {
    const Expr *Cond = FunctionAnalysis::loopCondition(Loop);
    const auto *LastE = dyn_cast<Expr>(Last.Condition);
    if (Cond && LastE &&
        Cond->IgnoreParenImpCasts() == LastE->IgnoreParenImpCasts())
      return true;
  }
  return false;
}

} // namespace clang::tidy::pipe
