//===--- CopyLoops.cpp - a loop that copies a pipe back into itself -------===//
#include "checks/CopyLoops.h"
#include "checks/CallQueries.h"
#include "summaries/CopySummary.h"

#include "llvm/ADT/DenseMap.h"
#include <set>

namespace clang::tidy::pipe {

namespace {
bool within(const Stmt *Inner, const Stmt *Outer) {
  return Outer->getSourceRange().fullyContains(Inner->getSourceRange());
}
} // namespace

std::vector<SelfCopyLoop> findSelfCopyLoops(const FunctionAnalysis &A) {
  struct Read {
    const CallExpr *Call;
    const ValueDecl *Buffer;
  };
  std::vector<SelfCopyLoop> Found;
  // The reads of each end (a call appears once per state that reaches it:
  // kept once).
  llvm::DenseMap<EndId, std::vector<Read>> ReadsOf;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || C.ViaHelper)
      return;
    if (auto R = A.subjectEnd(C, S))
      if (const ValueDecl *Buf = copyBufferOf(C.Call, C.Api->Arg)) {
        std::vector<Read> &V = ReadsOf[*R];
        if (V.empty() || V.back().Call != C.Call)
          V.push_back({C.Call, Buf});
      }
  });
  if (ReadsOf.empty())
    return Found;
  std::set<const CallExpr *> Done;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Write || Done.count(C.Call))
      return;
    std::optional<EndId> W = A.subjectEnd(C, S);
    int R = W ? A.readEndOf(*W) : -1;
    if (R < 0 || S.status(*W) != Open || S.status(EndId(R)) != Open ||
        S.hasFlag(*W, Lost))
      return;
    // Only for a write whose pipe is read somewhere in this function: the
    // walk of enclosingLoop() builds the function's parent map on first use.
    auto It = ReadsOf.find(EndId(R));
    if (It == ReadsOf.end())
      return;
    const ValueDecl *Buf =
        copyBufferOf(C.Call, C.ViaHelper ? -1 : C.Api->Arg);
    const Stmt *Loop = Buf ? enclosingLoop(C.Call, A) : nullptr;
    if (!Loop)
      return;
    for (const Read &Rd : It->second) {
      if (Rd.Buffer != Buf || !within(Rd.Call, Loop))
        continue;
      Done.insert(C.Call);
      Found.push_back({C.Call, Rd.Call, EndId(R), *W,
                       A.nameOf(EndId(R), &S), A.nameOf(*W, &S),
                       S.hasFlag(EndId(R), Nonblock)});
      return;
    }
  });
  return Found;
}

} // namespace clang::tidy::pipe
