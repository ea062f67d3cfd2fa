//===--- MovedPlaces.cpp - descriptors a call moves or drops --------------===//
//
// Part of applyFunctionSummary() (ApplySummaries.cpp): what a summarised
// call does to the places of its caller's that it neither keeps nor
// closes. A move takes the end one of the caller's places held to another
// (`dst->fd = src->fd; src->fd = -1;`, `fd_ = o.release();` in a move
// assignment); a drop stores over an end without closing it (a setter, a
// move assignment that forgets the descriptor it held): that end stays
// open, the caller's, in no place, and the call is recorded for the notes
// (FunctionAnalysis::droppedBy()). A class's own assignment operator is a
// call like any member function's (`w = Fd(fd)`): its temporary argument
// gets a place of its own for the call, destroyed after it.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

bool detail::isAssignmentCall(const CallExpr *CE) {
  const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE);
  if (!OCE || OCE->getOperator() != OO_Equal || OCE->getNumArgs() != 2)
    return false;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OCE->getDirectCallee());
  return MD && !MD->isDefaulted() &&
         (MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator());
}

const CXXConstructExpr *detail::assignedTemporary(const CallExpr *CE) {
  return isAssignmentCall(CE)
             ? dyn_cast<CXXConstructExpr>(stripTemporary(CE->getArg(1)))
             : nullptr;
}

VarDecl *FlowEngineImpl::placeTemporaryArgument(const CallExpr *CE,
                                                PathState &S) {
  const auto *CCE = assignedTemporary(CE);
  const Expr *Arg = CE->getArg(1)->IgnoreParens();
  if (!CCE || !isa<MaterializeTemporaryExpr>(Arg) ||
      !constructorKeepsArgs(CCE))
    return nullptr;
  VarDecl *&Object = TemporaryObjects[Arg];
  if (!Object)
    Object = makePlaceholder(CCE->getConstructor(), CCE->getType(), nullptr);
  initialize(LocKey{Object, 0}, CCE->getType(), CCE, S, 0);
  return Object;
}

std::optional<LocKey> FlowEngineImpl::pointeePlace(const CallExpr *CE,
                                                   const SummarySlot &Sl,
                                                   const PathState &S) const {
  if (Sl.K != SummarySlot::Pointee)
    return std::nullopt;
  std::optional<LocKey> L = argumentPlace(CE, Sl.Param, S);
  return L ? descend(*L, Sl.Sel) : std::nullopt;
}

MovedEnds
FlowEngineImpl::movedEndsOf(const CallExpr *CE, const FunctionSummary &FS,
                            const PathState &S) const {
  MovedEnds Out;
  for (const FunctionSummary::Moved &M : FS.Moves)
    if (std::optional<LocKey> From = pointeePlace(CE, M.From, S))
      Out.push_back({pointeePlace(CE, M.To, S), S.load(*From)});
  return Out;
}

void FlowEngineImpl::applyMovesAndDrops(const CallExpr *CE,
                                        const FunctionSummary &FS,
                                        const MovedEnds &Moved,
                                        VarDecl *Temporary, PathState &S,
                                        bool Observe) {
  // The places it drops an end from, or moves one from, no longer hold it:
  // the end stays open, ours (a leak when nothing else holds it).
  for (const SummarySlot &Sl : FS.Drops)
    if (std::optional<LocKey> L = pointeePlace(CE, Sl, S)) {
      if (AbsVal V = S.load(*L);
          Observe && V.K == AbsVal::End && S.status(V.E) == Open) {
        R.Drops.try_emplace(V.E, CE);
        // Named after the call that made it (`make_pipe()`): after the
        // drop, the place it was dropped from says which end it is.
        if (compat::endsWith(R.Ends[V.E].Name, "()"))
          R.Ends[V.E].Name = R.locName(*L);
      }
      setLoc(S, *L, AbsVal::unknown());
    }
  for (const FunctionSummary::Moved &M : FS.Moves)
    if (llvm::is_contained(FS.LostPlaces, M.From))
      if (std::optional<LocKey> L = pointeePlace(CE, M.From, S))
        setLoc(S, *L, AbsVal::unknown());
  // Into a place this analysis does not follow: given away.
  for (const auto &[To, V] : Moved) {
    if (To)
      setLoc(S, *To, V);
    else
      handOffValue(S, V);
  }
  // The temporary given to the assignment is destroyed after it: what it
  // still holds (a swap gave it the old descriptor) its destructor closes.
  if (Temporary)
    applyDestructorAt(LocKey{Temporary, 0},
                      Temporary->getType()->getAsCXXRecordDecl(), S);
}

} // namespace clang::tidy::pipe
