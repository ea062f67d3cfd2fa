//===--- TaskHeldEnds.cpp - a write end only a task of this process uses --===//
#include "checks/TaskHeldEnds.h"
#include "Compat.h"
#include "checks/CallQueries.h"
#include "checks/UnclosedWriteEndCheck.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/STLExtras.h"
#include <set>

namespace clang::tidy::pipe {

std::optional<TaskHeldRead> taskHeldWriter(const WriteSideAtRead &F,
                                           const PathState &S,
                                           const FunctionAnalysis &A) {
  std::optional<EndId> OpenW;
  for (EndId E : F.Writers) {
    uint8_t St = S.status(E);
    if (S.hasFlag(E, SharedWithChild) || S.hasFlag(E, Nonblock))
      return std::nullopt;
    if (St != Open)
      continue;
    if (!S.hasFlag(E, UsedByTask) || A.ends()[E].ClassMember)
      return std::nullopt; // this thread itself keeps it: self-deadlock
    if (!OpenW)
      OpenW = E;
  }
  if (!OpenW)
    return std::nullopt;
  return TaskHeldRead{F.Read, *OpenW, runningTaskHolding(A, *OpenW, S)};
}

std::optional<EndId> inheritedByChild(const WriteSideAtRead &F,
                                      const PathState &S) {
  if (!F.ToEof || !S.inForkChild())
    return std::nullopt;
  for (EndId E : F.Writers)
    if (S.status(E) == Open && S.hasFlag(E, SharedWithChild) &&
        !S.hasFlag(E, Nonblock))
      return E;
  return std::nullopt;
}

namespace {
/// "the thread running 'produce'", "the std::async task running 'produce'",
/// "the thread running the lambda".
std::string taskRunning(const TaskInfo &T) {
  std::string Who =
      T.Kind == TaskKind::AsyncFuture ? "the std::async task" : "the thread";
  if (T.Runs)
    return Who + " running '" + T.Runs->getNameAsString() + "'";
  return Who + " running the lambda";
}
} // namespace

void UnclosedWriteEndCheck::reportBlockedReads(const FunctionAnalysis &A) {
  BlockedReads.clear();
  auto NoteBlocked = [&](EndId W, EndId R, bool ByTask) {
    BlockedRead B{W, R, ByTask};
    if (!llvm::is_contained(BlockedReads, B))
      BlockedReads.push_back(B);
  };
  // The defect belongs to one check: when pipe-self-deadlock is off, the
  // exits after a read this thread's own write end blocks report it.
  bool SelfDeadlockReports = isEnabled("pipe-self-deadlock");
  std::set<const Expr *> Done;
  auto CreatedNote = [&](EndId Read) {
    const EndInfo &RI = A.ends()[Read];
    if (RI.Origin)
      diag(A.context().getSourceManager().getFileLoc(RI.Origin->getBeginLoc()),
           RI.Kind == EndKind::SocketEnd ? "socket pair created here"
                                         : "pipe created here",
           DiagnosticIDs::Note);
  };
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    std::optional<WriteSideAtRead> F = writeSideAtRead(C, S, A);
    if (!F || !F->ToEof)
      return;
    std::optional<TaskHeldRead> H = taskHeldWriter(*F, S, A);
    if (std::optional<EndId> W = !H ? inheritedByChild(*F, S) : std::nullopt) {
      // A fork() child that kept its inherited copy of the write end.
      NoteBlocked(*W, F->Read, /*ByTask=*/false);
      if (!Done.insert(C.Call).second)
        return;
      std::string WName = A.nameOf(*W, &S), RName = A.nameOf(F->Read, &S);
      diag(compat::callBegin(C.Call),
           "the fork() child reads '%0' to end-of-file here, but it still "
           "holds its copy of the write end '%1', inherited at the fork and "
           "never closed, so end-of-file never comes and the child blocks "
           "forever; close '%1' in the child before it reads")
          << RName << WName;
      CreatedNote(F->Read);
      return;
    }
    if (!H) {
      // This thread itself keeps a write end open: pipe-self-deadlock
      // reports the read.
      if (SelfDeadlockReports && F->AnyOpen)
        for (EndId E : F->Writers)
          if (S.status(E) == Open)
            NoteBlocked(E, F->Read, /*ByTask=*/false);
      return;
    }
    NoteBlocked(H->Writer, H->Read, /*ByTask=*/true);
    if (!Done.insert(C.Call).second)
      return;
    const TaskInfo *T = H->Task ? &A.tasks()[*H->Task] : nullptr;
    std::string Who = T ? taskRunning(*T) : "the thread it was given to";
    std::string WName = A.nameOf(H->Writer, &S), RName = A.nameOf(H->Read, &S);
    diag(compat::callBegin(C.Call),
         "%1 %select{uses|writes}2 '%0' and never closes it, so reading '%3' "
         "to end-of-file blocks forever; close it in that thread once it has "
         "written everything")
        << WName << Who << int(!T || T->MaxBytes != 0) << RName;
    CreatedNote(H->Read);
    if (T && T->Origin)
      diag(T->Origin->getBeginLoc(), "%0 starts here, given '%1'",
           DiagnosticIDs::Note)
          << Who << WName;
  });
}

bool UnclosedWriteEndCheck::blockedAtRead(EndId E, const PathState &S) const {
  return llvm::any_of(BlockedReads, [&](const BlockedRead &B) {
    return B.Writer == E && S.hasFlag(B.Read, ReadFrom) &&
           (!B.ByTask || S.hasFlag(E, UsedByTask));
  });
}

} // namespace clang::tidy::pipe
