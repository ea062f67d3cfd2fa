//===--- WriteSideAtRead.cpp - who holds a pipe open at a read ------------===//
#include "checks/WriteSideAtRead.h"
#include "checks/CallQueries.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::pipe {

llvm::SmallVector<EndId, 2> writeSide(const FunctionAnalysis &A,
                                      const PathState &S, EndId W) {
  llvm::SmallVector<EndId, 2> Writers{W};
  S.forEachTouchedEnd([&](EndId E) {
    for (int D = A.ends()[E].DupOf; D >= 0; D = A.ends()[EndId(D)].DupOf)
      if (EndId(D) == W) {
        Writers.push_back(E);
        break;
      }
  });
  return Writers;
}

std::optional<WriteSideAtRead> writeSideAtRead(const CallSite &C,
                                               const PathState &S,
                                               const FunctionAnalysis &A,
                                               bool PartialHelpers) {
  // A helper that reads some of the end and returns is not judged, but for
  // what was written before it (PartialHelperRead): only one that reads it
  // to end-of-file.
  bool Partial = C.ViaHelper && !C.ReadsToEof;
  if (C.Api->Role != ApiRole::Read || S.polled() ||
      (Partial && !PartialHelpers))
    return std::nullopt;
  std::optional<EndId> R = A.subjectEnd(C, S);
  if (!R)
    return std::nullopt;
  const EndInfo &RI = A.ends()[*R];
  if ((RI.Kind != EndKind::PipeRead && RI.Kind != EndKind::SocketEnd) ||
      RI.Peer < 0 || S.status(*R) != Open || S.hasFlag(*R, Nonblock) ||
      S.hasFlag(*R, Lost) || readDoesNotWait(C.Call, A.model(), A.context()))
    return std::nullopt;

  WriteSideAtRead F;
  F.PartialHelperRead = Partial;
  F.Read = *R;
  F.W = EndId(RI.Peer);
  F.Writers = writeSide(A, S, F.W);
  F.OpenWriter = F.W;
  for (EndId E : F.Writers) {
    // Anything not plainly open or closed (handed off, maybe created)
    // means another owner may write or close: nothing is known.
    if (S.hasFlag(E, Lost) ||
        (S.status(E) != Open && S.status(E) != Closed &&
         S.status(E) != NotCreated))
      return std::nullopt;
    if (S.status(E) == Open && !F.AnyOpen) {
      F.AnyOpen = true;
      F.OpenWriter = E;
    }
    F.Written |= S.hasFlag(E, WrittenTo);
    F.Shared |= S.hasFlag(E, SharedWithChild);
    // A thread of this process was given it and uses it: it may write.
    F.TaskUses |= S.status(E) == Open && S.hasFlag(E, UsedByTask);
    F.Nonblocking |= S.hasFlag(E, Nonblock);
    F.Resized |= S.hasFlag(E, CapacitySet);
    if (S.written(E) >= F.Bytes && S.written(E) > 0) {
      F.Bytes = S.written(E);
      F.LastWrite = S.lastWrite(E);
    }
  }
  // A thread started in a loop that this read is not in, which would hold
  // the write side, and has not started on this path: the loop ran no
  // turn, for a count the analysis cannot tell (a pool of `n` writers).
  // Whether that path happens is not ours to judge: it may write.
  for (TaskId T = 0; T < A.tasks().size() && !F.TaskUses; ++T) {
    const TaskInfo &Info = A.tasks()[T];
    if (Info.Kind == TaskKind::ForkChild || !Info.Origin ||
        S.taskStatus(T) != TaskNotStarted ||
        llvm::none_of(Info.Holds, [&](EndId E) {
          return llvm::is_contained(F.Writers, E);
        }))
      continue;
    llvm::SmallVector<const Stmt *, 2> Loops = A.loopsAround(Info.Origin, true);
    F.TaskUses = !Loops.empty() &&
                 llvm::none_of(A.loopsAround(C.Call, true), [&](const Stmt *L) {
                   return llvm::is_contained(Loops, L);
                 });
  }
  // The same for this thread's own writes: a loop before the read that
  // writes the pipe (`for (auto &rec : pending) write(fds[1], ...)`) may
  // have run no turn on this path, for a count the analysis cannot tell;
  // it is not said to have written nothing.
  if (!F.Written) {
    const SourceManager &SM = A.context().getSourceManager();
    for (EndId E : F.Writers)
      for (const CallExpr *W : A.writesTo(E))
        if (!F.Written &&
            SM.isBeforeInTranslationUnit(W->getBeginLoc(),
                                         C.Call->getBeginLoc()) &&
            A.inLoopOutside(W, C.Call))
          F.Written = true;
  }
  // Descriptor numbers dup2() made copies of the write side
  // (`dup2(fds[1], STDOUT_FILENO)`): they hold the pipe open too, and what
  // this thread prints through them goes into the pipe.
  for (const PathState::FdCopy &FC : S.fdCopies())
    if (llvm::is_contained(F.Writers, FC.E)) {
      F.Copy = &FC;
      F.Written = true;
      break;
    }
  F.ToEof = C.ReadsToEof || readsUntilEof(C.Call, A);
  return F;
}

} // namespace clang::tidy::pipe
