//===--- CopyHelperCalls.cpp - a call of a helper that copies -------------===//
//
// The engine and the copy summaries (CopySummary.h): at a call of a helper
// that copies one of its descriptors into another (`pump(p[0], p[1])`, a
// lambda called with the pair it captures), the ends the copy's slots name
// on this path (helperCopyEnd()), a CallSite per copy for pipe-self-copy
// (recordHelperCopies()), and whether the call copies a pipe into itself
// for ever and so never returns (copiesPipeIntoItself()). A thread that
// runs such a copy: TaskCopies.cpp.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "summaries/CopySummary.h"

namespace clang::tidy::pipe {

std::optional<EndId> FlowEngineImpl::capturedEnd(const SummarySlot &Sl,
                                                 const PathState &S) const {
  if (!Sl.Var)
    return std::nullopt;
  // An init-capture (`[wr = p[1]]`): what its initialiser names here.
  if (const auto *V = dyn_cast<VarDecl>(Sl.Var); V && V->isInitCapture())
    return Sl.Sel == 0 && V->getInit() ? endIn(V->getInit(), S) : std::nullopt;
  // A variable of ours, and Sel below it, if it is followed.
  if (!isTrackableBase(Sl.Var) || isEscaped(S, Sl.Var))
    return std::nullopt;
  return endAt(descend(LocKey{Sl.Var, 0}, Sl.Sel), S);
}

/// The end a copy fact's slot names at call \p CE on a path with state
/// \p S, if it is one.
std::optional<EndId> FlowEngineImpl::helperCopyEnd(const CallExpr *CE,
                                                  const FunctionDecl *Callee,
                                                  const SummarySlot &Sl,
                                                  const PathState &S) const {
  // A variable of ours that the called lambda captures (by copy: the
  // same descriptor numbers).
  if (Sl.K == SummarySlot::Captured)
    return calledOnlyLambda(CE) ? capturedEnd(Sl, S) : std::nullopt;
  const Expr *Arg = CopySummaries::argForParam(CE, Callee, Sl.Param);
  if (!Arg)
    return std::nullopt;
  if (Sl.K == SummarySlot::Value)
    return endIn(Arg, S);
  // What a pointer argument points to, or the lvalue a reference
  // parameter binds (`relay(a, b)`, `tee(arr)` of a `std::array &`), or
  // the object of a member call.
  std::optional<LocKey> Base =
      Sl.K == SummarySlot::Pointee
          ? argumentPlace(CE, Sl.Param, S, /*EvenEscaped=*/true)
          : std::nullopt;
  return endAt(Base ? descend(*Base, Sl.Sel) : std::nullopt, S);
}

bool FlowEngineImpl::copiesPipeIntoItself(const CallExpr *CE,
                                          const FunctionDecl *Callee,
                                          const PathState &S) {
  if (!Callee || S.Ends.empty())
    return false;
  const CopySummary *CS = copySummaries(Summaries).get(Callee);
  if (!CS)
    return false;
  for (const CopyFact &F : CS->Facts) {
    if (!F.Loop)
      continue;
    std::optional<EndId> From = helperCopyEnd(CE, Callee, F.From, S),
                         To = helperCopyEnd(CE, Callee, F.To, S);
    if (!From || !To || R.Ends[*From].Peer != int(*To) ||
        !S.has(*From, Open) || S.status(*To) != Open)
      continue;
    // Blocking: once empty, its read waits for the end it holds. Data in
    // it: what it reads goes back in, and it never empties.
    if ((F.ReadsToEof && !S.hasFlag(*From, Nonblock)) ||
        S.hasFlag(*To, WrittenTo))
      return true;
  }
  return false;
}

/// A call of a helper that copies one of its descriptors into another
/// (`pump(p[0], p[1])`): one CallSite per copy whose two ends this path
/// knows, with the state before the call, for pipe-self-copy. What the call
/// then does to the ends is the other summaries' business.
void FlowEngineImpl::recordHelperCopies(const CallExpr *CE,
                                        const FunctionDecl *Callee,
                                        const PathState &S) {
  if (!Callee || S.Ends.empty())
    return;
  const CopySummary *CS = copySummaries(Summaries).get(Callee);
  if (!CS)
    return;
  auto EndAt = [&](const SummarySlot &Sl) {
    return helperCopyEnd(CE, Callee, Sl, S);
  };
  static const ApiFunction HelperCopy{ApiRole::Copy, -1};
  for (const CopyFact &F : CS->Facts) {
    std::optional<EndId> From = EndAt(F.From), To = EndAt(F.To);
    if (!From || !To)
      continue;
    CallSite Site{CE, &HelperCopy};
    Site.ViaHelper = true;
    Site.CopyFrom = int(*From);
    Site.CopyTo = int(*To);
    Site.Copy = &F;
    R.Calls.push_back({Site, S});
  }
}

} // namespace clang::tidy::pipe
