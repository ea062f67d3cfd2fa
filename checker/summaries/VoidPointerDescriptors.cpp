//===--- VoidPointerDescriptors.cpp - a descriptor passed as `void *` -----===//
//
// A thread's start routine receives one `void *`. Programs pass a single
// descriptor through it by value (`pthread_create(&t, 0, drain,
// (void *)(intptr_t)fds[0])`) and convert it back inside. The callee
// summary (CalleeSummary.cpp) follows the descriptor the parameter stands
// for as if it were an `int` parameter.
//
//===----------------------------------------------------------------------===//
#include "AstQueries.h"
#include "summaries/CalleeSummaryDetail.h"

#include "clang/AST/ParentMap.h"

namespace clang::tidy::pipe::calleedetail {

namespace {
/// Is \p Local never changed in \p Body after its initialisation (no
/// assignment, increment or address taken), so that it keeps its value?
bool keepsInitialValue(const Stmt *Body, const VarDecl *Local) {
  return walkStmts(Body, [&](const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && refVar(BO->getLHS()) == Local)
      return WalkStep::Stop;
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO &&
        (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
        refVar(UO->getSubExpr()) == Local)
      return WalkStep::Stop;
    return WalkStep::Into;
  });
}
} // namespace

const VarDecl *descriptorOfVoidParam(const Stmt *Body, const ParmVarDecl *P,
                                     const ParentMap &PM) {
  if (!P->getType()->isVoidPointerType())
    return nullptr;
  const VarDecl *Local = nullptr;
  unsigned Uses = 0;
  bool Converted = walkStmts(Body, [&](const Stmt *S) {
    const auto *DRE = dyn_cast<DeclRefExpr>(S);
    if (!DRE || DRE->getDecl() != P)
      return WalkStep::Into;
    ++Uses;
    // Up through parentheses and casts; the outermost must give an integer.
    const Stmt *Top = DRE;
    for (const Stmt *Up = PM.getParent(Top);
         Up && (isa<CastExpr>(Up) || isa<ParenExpr>(Up));
         Up = PM.getParent(Up))
      Top = Up;
    const auto *TopE = dyn_cast<Expr>(Top);
    if (Top == DRE || !TopE || !TopE->getType()->isIntegerType())
      return WalkStep::Stop;
    const auto *DS = dyn_cast_or_null<DeclStmt>(PM.getParent(Top));
    const VarDecl *VD = DS && DS->isSingleDecl()
                            ? dyn_cast<VarDecl>(DS->getSingleDecl())
                            : nullptr;
    if (VD && VD->getInit() == TopE && VD->getType()->isIntegerType())
      Local = VD;
    return WalkStep::Into;
  });
  if (!Converted || Uses == 0)
    return nullptr;
  if (!Local)
    return P;
  return Uses == 1 && keepsInitialValue(Body, Local) ? Local : nullptr;
}

} // namespace clang::tidy::pipe::calleedetail
