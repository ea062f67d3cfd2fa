//===--- SelfCopyCheck.cpp - pipe-self-copy -------------------------------===//
#include "checks/SelfCopyCheck.h"
#include "checks/CallQueries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include <set>
#include <vector>

namespace clang::tidy::pipe {

namespace {
/// The variable behind the buffer argument of a read or write (`buf`,
/// `&buf[0]`, `s->data`), skipping the descriptor or stream argument
/// \p Skip; null if there is none.
const ValueDecl *bufferOf(const CallExpr *CE, int Skip) {
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    if (int(I) == Skip)
      continue;
    const Expr *E = CE->getArg(I)->IgnoreParenImpCasts();
    if (!E->getType()->isPointerType() && !E->getType()->isArrayType())
      continue;
    for (;;) {
      E = E->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E))
        E = UO->getSubExpr();
      else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
        E = AS->getBase();
      else if (const auto *BO = dyn_cast<BinaryOperator>(E);
               BO && BO->isAdditiveOp())
        E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS()
                                                     : BO->getRHS();
      else
        break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    return nullptr;
  }
  return nullptr;
}

bool within(const Stmt *Inner, const Stmt *Outer) {
  return Outer->getSourceRange().fullyContains(Inner->getSourceRange());
}
} // namespace

void SelfCopyCheck::analyzeFunction(const FunctionAnalysis &A) {
  checkKernelCopies(A);
  checkCopyLoops(A);
}

void SelfCopyCheck::checkKernelCopies(const FunctionAnalysis &A) {
  std::set<const CallExpr *> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Copy || Reported.count(C.Call))
      return;
    std::optional<EndId> Src = A.subjectEnd(C, S);
    const Expr *DstArg = callArg(C.Call, C.Api->Arg2);
    std::optional<EndId> Dst = DstArg ? A.endOf(DstArg, S) : std::nullopt;
    if (!Src || !Dst || A.readEndOf(*Dst) != int(*Src) ||
        S.status(*Src) != Open || S.status(*Dst) != Open)
      return;
    Reported.insert(C.Call);
    const FunctionDecl *Callee = ApiModel::calleeOf(C.Call);
    diag(C.Call->getBeginLoc(),
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
      if (const ValueDecl *Buf = bufferOf(C.Call, C.Api->Arg)) {
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
        bufferOf(C.Call, C.ViaHelper ? -1 : C.Api->Arg);
    const Stmt *Loop = Buf ? enclosingLoop(C.Call, A) : nullptr;
    if (!Loop)
      return;
    for (const Read &Rd : It->second) {
      if (Rd.Buffer != Buf || !within(Rd.Call, Loop))
        continue;
      Reported.insert(C.Call);
      std::string WName = A.nameOf(*W, &S);
      diag(C.Call->getBeginLoc(),
           "this loop writes what it reads from '%0' back into '%1', the write "
           "end of the same pipe: the data goes round and round, and once the "
           "pipe is empty the read blocks forever, because this process holds "
           "'%1'; write to the descriptor you meant to copy into")
          << A.nameOf(EndId(R), &S) << WName;
      diag(Rd.Call->getBeginLoc(), "'%0' is read here", DiagnosticIDs::Note)
          << A.nameOf(EndId(R), &S);
      if (const Expr *Origin = A.ends()[EndId(R)].Origin)
        diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
      return;
    }
  });
}

} // namespace clang::tidy::pipe
