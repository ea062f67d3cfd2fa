//===--- SelfCopyCheck.cpp - pipe-self-copy -------------------------------===//
#include "checks/SelfCopyCheck.h"
#include "Compat.h"
#include "checks/CallQueries.h"
#include "checks/HelperCopies.h"
#include "summaries/CopySummary.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include <set>
#include <vector>

namespace clang::tidy::pipe {

namespace {
bool within(const Stmt *Inner, const Stmt *Outer) {
  return Outer->getSourceRange().fullyContains(Inner->getSourceRange());
}
} // namespace

void SelfCopyCheck::analyzeFunction(const FunctionAnalysis &A) {
  checkKernelCopies(A);
  checkCopyLoops(A);
  checkHelperCopies(A);
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
    if (C.Copy->Loop)
      diag(H->Loc,
           "'%0' copies what it reads from '%1' into '%2', the write end of "
           "the same pipe: the data goes round and round, and once the pipe "
           "is empty its read blocks forever, because this process holds "
           "'%2'; pass the descriptor you meant to copy into")
          << H->Helper << H->From << H->To;
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
        S.status(*Src) != Open || S.status(*Dst) != Open)
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
  struct Read {
    const CallExpr *Call;
    EndId End;
    const ValueDecl *Buffer;
  };
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
          V.push_back({C.Call, *R, Buf});
      }
  });
  if (ReadsOf.empty())
    return;
  std::set<const CallExpr *> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Write || Reported.count(C.Call))
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
      Reported.insert(C.Call);
      std::string WName = A.nameOf(*W, &S);
      diag(compat::callBegin(C.Call),
           "this loop writes what it reads from '%0' back into '%1', the write "
           "end of the same pipe: the data goes round and round, and once the "
           "pipe is empty the read blocks forever, because this process holds "
           "'%1'; write to the descriptor you meant to copy into")
          << A.nameOf(EndId(R), &S) << WName;
      diag(compat::callBegin(Rd.Call), "'%0' is read here", DiagnosticIDs::Note)
          << A.nameOf(EndId(R), &S);
      if (const Expr *Origin = A.ends()[EndId(R)].Origin)
        diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
      return;
    }
  });
}

} // namespace clang::tidy::pipe
