//===--- ChildReadEnds.cpp - writer children that keep the read end -------===//
#include "checks/ChildReadEnds.h"

#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::pipe {

ChildKeptReads::ChildKeptReads(const FunctionAnalysis &A) {
  bool AnyChild = false;
  for (const TaskInfo &T : A.tasks())
    AnyChild |= T.Kind == TaskKind::ForkChild && !T.Holds.empty();
  if (!AnyChild)
    return;
  // (task, read end) pairs seen with the read end not surely open in the
  // child at one of its writes: the child may have closed its copy.
  llvm::DenseSet<std::pair<TaskId, EndId>> Refuted;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Write || !S.inForkChild())
      return;
    std::optional<TaskId> Id = S.childTask();
    if (!Id)
      return;
    const TaskInfo &T = A.tasks()[*Id];
    if (T.Kind != TaskKind::ForkChild)
      return;
    std::optional<EndId> W = A.subjectEnd(C, S);
    if (!W || !llvm::is_contained(T.Holds, *W))
      return;
    int Peer = A.readEndOf(*W);
    if (Peer < 0)
      return;
    EndId R = EndId(Peer);
    if (S.status(R) != Open || S.hasFlag(R, Lost)) {
      Refuted.insert({*Id, R});
      return;
    }
    ByTask.try_emplace(*Id, Kept{R, C.Call});
  });
  for (auto It = ByTask.begin(); It != ByTask.end();) {
    auto Cur = It++;
    if (Refuted.count({Cur->first, Cur->second.Read}))
      ByTask.erase(Cur);
  }
}

} // namespace clang::tidy::pipe
