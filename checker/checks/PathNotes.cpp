//===--- PathNotes.cpp - notes that explain a warning's path --------------===//
//
// The notes every check adds along the path of a warning: the branch the
// path took last, and the call that dropped the end the warning is about.
// Each is in the user's code: a location inside a macro is shown at the
// macro's expansion, never inside its body.
//
//===----------------------------------------------------------------------===//
#include "checks/PipeCheckBase.h"
#include "checks/LeakQueries.h"
#include "Compat.h"
#include "clang/AST/DeclCXX.h"

namespace clang::tidy::pipe {

void PipeCheckBase::addBranchNote(const PathState &S) {
  addBranchNote(S.lastBranch());
}

void PipeCheckBase::addBranchNote(const BranchStep &B) {
  if (!B.Condition || B.isJump())
    return;
  auto At = [&](SourceLocation L) {
    return L.isMacroID() && SMForNotes ? SMForNotes->getFileLoc(L) : L;
  };
  if (B.Case)
    diag(At(B.Case->getBeginLoc()), "taking this case", DiagnosticIDs::Note);
  else if (isa<SwitchStmt>(B.Condition))
    // A switch with no default whose value matched none of its cases.
    diag(At(B.Condition->getBeginLoc()),
         "no case of the switch matches; going on after it",
         DiagnosticIDs::Note);
  else if (B.Loop)
    // As the Clang Static Analyzer says it: which way the loop went.
    diag(At(B.Condition->getBeginLoc()),
         "the loop condition is %select{false: leaving the loop|true: "
         "%select{|entering the loop body|going round the loop again}1}0",
         DiagnosticIDs::Note)
        << B.Taken << B.Loop;
  else
    diag(At(B.Condition->getBeginLoc()),
         "taking the %select{false|true}0 branch", DiagnosticIDs::Note)
        << B.Taken;
}

void PipeCheckBase::addDroppedNote(const FunctionAnalysis &A, EndId E) {
  const CallExpr *CE = A.droppedBy(E);
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  if (!Callee)
    return;
  // An assignment operator or a method answers for what its object holds.
  bool OwnFault = isa<CXXMethodDecl>(Callee);
  diag(userLoc(A.context().getSourceManager(), compat::callBegin(CE)),
       "'%0' overwrites the %select{write|read}1 end '%2' here without "
       "closing it%select{|; close what it replaces in '%0'}3",
       DiagnosticIDs::Note)
      << Callee->getQualifiedNameAsString()
      << int(A.ends()[E].Kind == EndKind::PipeRead) << A.nameOf(E)
      << int(OwnFault);
}

} // namespace clang::tidy::pipe
