//===--- SelfCopyCheck.cpp - pipe-self-copy -------------------------------===//
#include "checks/SelfCopyCheck.h"
#include "Compat.h"
#include "checks/CallQueries.h"
#include "checks/CopyLoops.h"
#include "checks/HelperCopies.h"
#include "summaries/CopySummary.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include <set>

namespace clang::tidy::pipe {

void SelfCopyCheck::analyzeFunction(const FunctionAnalysis &A) {
  checkKernelCopies(A);
  checkCopyLoops(A);
  checkHelperCopies(A);
  checkTaskCopies(A);
}

void SelfCopyCheck::checkTaskCopies(const FunctionAnalysis &A) {
  std::set<TaskId> Reported;
  for (const auto &[C, S] : A.taskCopies()) {
    if (!Reported.insert(C.Task).second)
      continue;
    const TaskInfo &T = A.tasks()[C.Task];
    // "std::thread 't' running 'copy_loop'", "thread 't' running
    // 'relay'", "std::thread 't' running its lambda".
    std::string Task = describeTask(T);
    std::string Runs = T.Runs ? "'" + T.Runs->getNameAsString() + "'"
                              : std::string("its lambda");
    if (Task.find(Runs) == std::string::npos)
      Task += " running " + Runs;
    std::string From = A.nameOf(C.From, &S), To = A.nameOf(C.To, &S);
    SourceLocation At = A.context().getSourceManager().getFileLoc(
        T.Origin->getBeginLoc());
    if (C.Fact->Loop)
      diag(At,
           "%0 copies what it reads from '%1' into '%2', the write end of the "
           "same pipe: the data goes round and round, and %select{once the "
           "pipe is empty its read blocks forever, because this process "
           "holds '%2'; the thread never ends, and %select{joining it|"
           "waiting for its future}4 never returns|each read finds what the "
           "last write put back, so the thread never ends while the pipe "
           "holds data}3; give the thread the descriptor you meant to copy "
           "into")
          << Task << From << To << int(S.hasFlag(C.From, Nonblock))
          << int(T.Kind == TaskKind::AsyncFuture);
    else
      diag(At,
           "%0 copies from '%1' into '%2', the write end of the same pipe, "
           "with %3(): the kernel refuses to copy a pipe into itself "
           "(EINVAL), so no data moves; give the thread the descriptor you "
           "meant to copy into")
          << Task << From << To
          << (C.Fact->Kernel ? C.Fact->Kernel->getName() : "a kernel copy");
    if (C.Fact->Site)
      diag(C.Fact->Site->getBeginLoc(), "the copy is made here",
           DiagnosticIDs::Note);
    if (const Expr *Origin = A.ends()[C.From].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  }
}

void SelfCopyCheck::checkHelperCopies(const FunctionAnalysis &A) {
  std::set<const CallExpr *> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (Reported.count(C.Call))
      return;
    std::optional<HelperCopyReport> H = selfCopyThroughHelper(A, C, S);
    if (!H)
      return;
    Reported.insert(C.Call);
    // Reported once per place where the pair is chosen, however many
    // callers pass that helper a pipe.
    if (H->InHelper && !ReportedInHelpers.insert(H->At).second)
      return;
    EndId Src = EndId(C.CopyFrom);
    // A non-blocking pipe does not block when empty: what keeps the call
    // going is the data it puts back.
    if (C.Copy->Loop)
      diag(H->Loc,
           "'%0' copies what it reads from '%1' into '%2', the write end of "
           "the same pipe: the data goes round and round, and %select{once "
           "the pipe is empty its read blocks forever, because this process "
           "holds '%2'|each read finds what the last write put back, so the "
           "call never returns while the pipe holds data}3; pass the "
           "descriptor you meant to copy into")
          << H->Helper << H->From << H->To << int(S.hasFlag(Src, Nonblock));
    else
      diag(H->Loc,
           "'%0' copies from '%1' into '%2', the write end of the same pipe, "
           "with %3(): the kernel refuses to copy a pipe into itself (EINVAL), "
           "so no data moves; pass the descriptor you meant to copy into")
          << H->Helper << H->From << H->To
          << (C.Copy->Kernel ? C.Copy->Kernel->getName() : "a kernel copy");
    if (C.Copy->Site && C.Copy->Site != H->At)
      diag(C.Copy->Site->getBeginLoc(), "the copy is made here",
           DiagnosticIDs::Note);
    if (H->InHelper)
      diag(compat::callBegin(C.Call),
           "both ends of the pipe reach it through this call of '%0'",
           DiagnosticIDs::Note)
          << helperName(C.Call);
    if (const Expr *Origin = A.ends()[Src].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  });
}

void SelfCopyCheck::checkKernelCopies(const FunctionAnalysis &A) {
  std::set<const CallExpr *> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Copy || C.ViaHelper || Reported.count(C.Call))
      return;
    std::optional<EndId> Src = A.subjectEnd(C, S);
    const Expr *DstArg = callArg(C.Call, C.Api->Arg2);
    std::optional<EndId> Dst = DstArg ? A.endOf(DstArg, S) : std::nullopt;
    if (!Src || !Dst || A.readEndOf(*Dst) != int(*Src) ||
        !heldForCopy(A, *Src, S) || !heldForCopy(A, *Dst, S))
      return;
    Reported.insert(C.Call);
    const FunctionDecl *Callee = ApiModel::calleeOf(C.Call);
    diag(compat::callBegin(C.Call),
         "%0() copies from '%1' into '%2', the write end of the same pipe: "
         "the kernel refuses to copy a pipe into itself (EINVAL), so no data "
         "moves; copy into the descriptor you meant")
        << (Callee ? Callee->getName() : "copy") << A.nameOf(*Src, &S)
        << A.nameOf(*Dst, &S);
    if (const Expr *Origin = A.ends()[*Src].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  });
}

void SelfCopyCheck::checkCopyLoops(const FunctionAnalysis &A) {
  for (const SelfCopyLoop &L : findSelfCopyLoops(A)) {
    diag(compat::callBegin(L.Write),
         "this loop writes what it reads from '%0' back into '%1', the write "
         "end of the same pipe: the data goes round and round, and "
         "%select{once the pipe is empty the read blocks forever, because "
         "this process holds '%1'|each read finds what the last write put "
         "back, so the loop never ends while the pipe holds data}2; write to "
         "the descriptor you meant to copy into")
        << L.RName << L.WName << int(L.Nonblocking);
    diag(compat::callBegin(L.Read), "'%0' is read here", DiagnosticIDs::Note)
        << L.RName;
    if (const Expr *Origin = A.ends()[L.R].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  }
}

} // namespace clang::tidy::pipe
