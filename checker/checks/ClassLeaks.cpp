//===--- ClassLeaks.cpp - a pipe every object of a class leaks ------------===//
//
// pipe-unclosed-write-end and the class model (summaries/ClassModel.h): a
// constructor or method that leaves a pipe in members of its class whose
// write end no method, not even the destructor, ever closes. Every object
// leaks it; one warning per member, at the first pipe left there (split
// from UnclosedWriteEndCheck.cpp).
//
//===----------------------------------------------------------------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "summaries/ClassModel.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"

namespace clang::tidy::pipe {

/// The class model: a constructor or method that leaves a pipe in members
/// of its class whose write end nothing of the class ever closes.
void UnclosedWriteEndCheck::reportClassLeaks(const FunctionAnalysis &A) {
  const FunctionDecl *FD = A.function();
  if (!FD || !isa<CXXMethodDecl>(FD))
    return;
  FunctionSummaries *Functions = sharedSummaries(A.context());
  if (!Functions)
    return;
  ClassModel &Classes = Functions->classes();
  // Every object leaks it: a leak, not reported in test code.
  const llvm::SmallVector<MemberPipe, 1> Leaks = Classes.leaksMadeBy(FD);
  if (Leaks.empty() || quietLeaks(A))
    return;
  const SourceManager &SM = A.context().getSourceManager();
  for (const MemberPipe &P : Leaks) {
    // Every pipe left in that member leaks by the same omission: one
    // warning, at the first in the file, with a note at each other.
    llvm::SmallVector<MemberPipe, 1> Others = Classes.sameLeakElsewhere(P, FD);
    SourceLocation Here = SM.getFileLoc(P.Origin->getBeginLoc());
    if (llvm::any_of(Others, [&](const MemberPipe &Q) {
          return SM.isBeforeInTranslationUnit(
              SM.getFileLoc(Q.Origin->getBeginLoc()), Here);
        }))
      continue;
    const auto *RD = cast<CXXMethodDecl>(FD)->getParent();
    const FunctionDecl *Dtor = Classes.destructorOf(FD);
    diag(Here,
         "write end '%0' of this pipe is kept in a member of %1 that no "
         "method of %1 closes%select{, not even its destructor|, and %1 has "
         "no destructor}2: every %1 object leaks it; close '%0' in "
         "%select{the destructor|a destructor}2")
        << P.Name[1] << RD << int(Dtor == nullptr);
    for (const MemberPipe &Q : Others)
      diag(SM.getFileLoc(Q.Origin->getBeginLoc()),
           "%0 also leaves a pipe in '%1' here", DiagnosticIDs::Note)
          << Q.MadeBy << Q.Name[1];
  }
}

} // namespace clang::tidy::pipe
