//===--- CallbackNotes.cpp - notes naming the callbacks a function ran with ===//
//
// A helper given a function pointer (or a std::function) that every call of
// it in the translation unit binds to the same function is analysed and
// checked with that binding (PipeCheckBase::checkOne(),
// CallerContext::callbacksAtEveryCall()). A warning about its body then
// rests on code the body does not show: `body(in[0])` reads to
// end-of-file because `body` is `count_lines`. Each warning emitted while
// the function is checked is followed, after its own notes, by one note at
// a call that makes the binding ("every call of 'spawn_worker' passes
// 'count_lines' as 'body', as here"), or at the lambda bound ("every call
// of 'spawnFunction' passes this lambda as 'body'").
//
//===----------------------------------------------------------------------===//
#include "checks/PipeCheckBase.h"
#include "summaries/CallerContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::pipe {

DiagnosticBuilder PipeCheckBase::diag(SourceLocation Loc,
                                      llvm::StringRef Description,
                                      DiagnosticIDs::Level Level) {
  if (Level == DiagnosticIDs::Warning) {
    // The previous warning's note comes after all of its own notes.
    flushBindingNote();
    Binding.Pending = !Binding.Bound.empty() && Binding.Call;
  }
  return ClangTidyCheck::diag(Loc, Description, Level);
}

void PipeCheckBase::beginBindingNotes(const FunctionDecl *FD,
                                      CallbackBindings Bound, ASTContext &Ctx) {
  Binding = BindingNote();
  if (Bound.empty() || !FD)
    return;
  llvm::SmallVector<std::pair<const CallExpr *, const FunctionDecl *>, 4> Calls;
  if (!callerContext(Ctx)->knownCalls(FD, Calls) || Calls.empty())
    return;
  // A call in the user's code, the first in the file.
  for (const auto &C : Calls)
    if (!Binding.Call || C.first->getBeginLoc() < Binding.Call->getBeginLoc())
      Binding.Call = C.first;
  Binding.Bound = std::move(Bound);
  Binding.Callee = FD;
}

void PipeCheckBase::flushBindingNote() {
  if (!Binding.Pending)
    return;
  Binding.Pending = false;
  for (const CallbackBinding &B : Binding.Bound) {
    // A lambda is shown where it is written, a function at the call.
    const auto *MD = dyn_cast<CXXMethodDecl>(B.Fn);
    bool Lambda = MD && MD->getParent()->isLambda();
    SourceLocation At = Lambda ? MD->getParent()->getLocation()
                               : Binding.Call->getBeginLoc();
    if (At.isMacroID() && SMForNotes)
      At = SMForNotes->getFileLoc(At); // never inside a macro's body
    ClangTidyCheck::diag(At,
                         "every call of '%0' passes %select{'%2'|this "
                         "lambda}3 as '%1'%select{, as here|}3",
                         DiagnosticIDs::Note)
        << Binding.Callee->getNameAsString() << B.Param->getName()
        << B.Fn->getNameAsString() << Lambda;
  }
}

void PipeCheckBase::endBindingNotes() {
  flushBindingNote();
  Binding = BindingNote();
}

} // namespace clang::tidy::pipe
