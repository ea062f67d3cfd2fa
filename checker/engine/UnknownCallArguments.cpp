//===--- UnknownCallArguments.cpp - what a call leaves of an argument -----===//
//
// A call the engine applies no summary to hands off whatever descriptor or
// task its arguments reach (TransferCalls.cpp). These are the arguments it
// does not: an integer only formatted into text (`snprintf(arg, n, "%d",
// fds[1])`), the address of a local integer given to a `const int *`, and
// a struct given as `const struct T *` to a function that makes or closes
// nothing.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

namespace clang::tidy::pipe {

/// Argument \p I of \p CE is an integer only formatted into text
/// (formatsIntegerArgument(), AstQueries.h). The descriptor stays where it
/// was: writing its number into a command line gives nobody the descriptor
/// (a child inherits it anyway, and this process still has to close its
/// copy); the end is marked as meant for a program started later
/// (Announced), which is told its number.
bool FlowEngineImpl::formatsValue(const CallExpr *CE, const FunctionDecl *Callee,
                                  unsigned I) const {
  return formatsIntegerArgument(CE, Callee, I);
}

/// The variable whose address argument \p I of \p CE passes to a
/// parameter that points to const (`addrandom((void *)&pid, sizeof pid)`
/// with `const unsigned char *`), if it is a local integer: the callee may
/// read the value (and do with a descriptor or child what the value lets
/// it) but not change it, so the variable keeps its value and the facts
/// about it, as the Clang Static Analyzer keeps a region passed as const.
const VarDecl *FlowEngineImpl::readOnlyAddress(const CallExpr *CE,
                                               const FunctionDecl *Callee,
                                               unsigned I) const {
  if (!Callee || I >= Callee->getNumParams() || isa<CXXMemberCallExpr>(CE) ||
      isa<CXXOperatorCallExpr>(CE))
    return nullptr;
  QualType PT = Callee->getParamDecl(I)->getType();
  if (!PT->isPointerType() || !PT->getPointeeType().isConstQualified())
    return nullptr;
  const auto *UO =
      dyn_cast<UnaryOperator>(CE->getArg(I)->IgnoreParenCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParens());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || !VD->getType()->isIntegerType())
    return nullptr;
  return VD;
}

bool FlowEngineImpl::leavesRecordAlone(const CallExpr *CE,
                                       const FunctionDecl *Callee, unsigned I,
                                       const PathState &S) {
  if (!Callee || I >= Callee->getNumParams() || isa<CXXMemberCallExpr>(CE) ||
      isa<CXXOperatorCallExpr>(CE))
    return false;
  QualType PT = Callee->getParamDecl(I)->getType();
  if (!PT->isPointerType() || !PT->getPointeeType().isConstQualified() ||
      !PT->getPointeeType()->isRecordType())
    return false;
  const FunctionDecl *Def = FunctionSummaries::summarisable(Callee);
  if (!Def || functionSummaries(Summaries, Ctx, Budget).mayMatter(Def))
    return false;
  AbsVal V = eval(CE->getArg(I), S);
  return V.K == AbsVal::Addr && isTrackableBase(V.loc().Base) &&
         !S.escaped(V.loc().Base);
}

} // namespace clang::tidy::pipe
