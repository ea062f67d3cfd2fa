//===--- LoopTurns.cpp - the turns of a loop -----------------------------===//
//
// What the fixpoint keeps of a loop's turns, for a pipe made again in a
// loop while the ends of the last turn are open (checks/RemadeLeaks.cpp):
// which states widening keeps apart so that such a turn survives the join
// (leftOpenByTurn()), and which branches are in a loop's body, for the
// branch of the turn that went round (PathState::endTurn(), called where
// the CFG goes round a loop, propagate()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

/// Two states of a block in a loop, one of which holds open an end that a
/// pipe() call inside that loop made and the other has closed (or never
/// made, or handed off): a join would lose the end (a place that disagrees
/// loses it, a hand-off marks it lost), and with it the turn that went
/// round without the close, which the next pipe() call of the loop leaks
/// (checks/RemadeLeaks.cpp; dropbear's accept loop, whose failed fork()
/// skips the close). An end made before the loop and closed on some turns
/// (`for (i = 0; i < 2; i++) close(fds[i]);`) is still joined: its turns
/// differ only in a counter.
bool FlowEngineImpl::leftOpenByTurn(const PathState &A, const PathState &B,
                                    BlockData &At) {
  if (!At.LoopsKnown) {
    At.LoopsKnown = true;
    const Stmt *First = nullptr;
    if (At.Block) {
      for (const CFGElement &El : *At.Block)
        if (auto CS = El.getAs<CFGStmt>()) {
          First = CS->getStmt();
          break;
        }
      if (!First)
        First = At.Block->getTerminatorStmt();
    }
    if (First)
      At.Loops = R.loopsAround(First);
  }
  if (At.Loops.empty())
    return false;
  auto MadeInLoop = [&](EndId E) {
    const Stmt *O = E < R.Ends.size() ? R.Ends[E].Origin : nullptr;
    return O && llvm::any_of(R.loopsAround(O), [&](const Stmt *L) {
             return llvm::is_contained(At.Loops, L);
           });
  };
  return !PathState::EndMap::diff(
      A.Ends, B.Ends,
      [&](uint64_t Id, const PathState::EndState *X,
          const PathState::EndState *Y) {
        bool XOpen = X && X->Status == Open && !(X->Flags & Lost),
             YOpen = Y && Y->Status == Open && !(Y->Flags & Lost);
        bool XShut = !X || !(X->Status & Open) || (X->Flags & Lost),
             YShut = !Y || !(Y->Status & Open) || (Y->Flags & Lost);
        return !((XOpen && YShut) || (YOpen && XShut)) ||
               !MadeInLoop(EndId(Id));
      });
}

bool FlowEngineImpl::keptApartAt(const PathState &A, const PathState &B,
                                 BlockData &At) {
  return keptApart(A, B) || leftOpenByTurn(A, B, At);
}

/// Whether \p S is in the body of \p Loop (not its condition or
/// increment).
bool FlowEngineImpl::inLoopBody(const Stmt *S, const Stmt *Loop) const {
  const Stmt *Body = FunctionAnalysis::loopBody(Loop);
  for (const Stmt *P = S; P && P != Loop; P = R.parentOf(P))
    if (P == Body)
      return true;
  return false;
}

} // namespace clang::tidy::pipe
