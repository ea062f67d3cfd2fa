//===--- SelfDeadlockCheck.cpp - pipe-self-deadlock -----------------------===//
#include "SelfDeadlockCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/Stmt.h"
#include <set>

namespace clang::tidy::pipe {

namespace {

/// The variable a read's result is stored in: `n = read(...)` or
/// `ssize_t n = read(...)`.
const ValueDecl *resultVariable(const CallExpr *Read, ASTContext &Ctx) {
  const Stmt *Cur = Read;
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    auto Parents = Ctx.getParents(*Cur);
    if (Parents.empty())
      return nullptr;
    const DynTypedNode &P = Parents[0];
    if (const auto *Cast = P.get<ImplicitCastExpr>()) {
      Cur = Cast;
      continue;
    }
    if (const auto *Paren = P.get<ParenExpr>()) {
      Cur = Paren;
      continue;
    }
    if (const auto *BO = P.get<BinaryOperator>())
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE =
                dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
          return DRE->getDecl();
    if (const auto *VD = P.get<VarDecl>())
      return VD;
    return nullptr;
  }
  return nullptr;
}

bool mentions(const Stmt *S, const ValueDecl *VD) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl() == VD;
  for (const Stmt *C : S->children())
    if (mentions(C, VD))
      return true;
  return false;
}

bool leavesLoop(const Stmt *S) {
  if (!S)
    return false;
  if (isa<BreakStmt>(S) || isa<ReturnStmt>(S) || isa<GotoStmt>(S))
    return true;
  if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S) ||
      isa<SwitchStmt>(S))
    return false; // a break in there leaves that statement, not our loop
  for (const Stmt *C : S->children())
    if (leavesLoop(C))
      return true;
  return false;
}

/// True if \p S (a loop body) tests \p VD and leaves the loop on it:
/// `if (n <= 0) break;`, `if (n == 0) return ...;`.
bool leavesOnResult(const Stmt *S, const ValueDecl *VD) {
  if (!S)
    return false;
  if (const auto *If = dyn_cast<IfStmt>(S))
    if (mentions(If->getCond(), VD) &&
        (leavesLoop(If->getThen()) || leavesLoop(If->getElse())))
      return true;
  if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S))
    return false;
  for (const Stmt *C : S->children())
    if (leavesOnResult(C, VD))
      return true;
  return false;
}

/// A read in a loop that runs until the read reports end-of-file: the read
/// in the loop's condition (`while ((n = read(...)) > 0)`,
/// `while (fgets(...))`), or a loop body that leaves when the read's result
/// says so.
bool readsUntilEof(const CallExpr *Read, ASTContext &Ctx) {
  const ValueDecl *Result = resultVariable(Read, Ctx);
  DynTypedNode Child = DynTypedNode::create(*Read);
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    auto Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return false;
    const DynTypedNode &PN = Parents[0];
    if (const auto *VD = PN.get<VarDecl>()) {
      Child = PN; // `ssize_t n = read(...)`: on to the DeclStmt
      (void)VD;
      continue;
    }
    const Stmt *P = PN.get<Stmt>();
    if (!P || isa<LambdaExpr>(P) || isa<BlockExpr>(P))
      return false; // the function's boundary
    const Expr *Cond = nullptr;
    const Stmt *Body = nullptr;
    if (const auto *W = dyn_cast<WhileStmt>(P)) {
      Cond = W->getCond();
      Body = W->getBody();
    } else if (const auto *F = dyn_cast<ForStmt>(P)) {
      Cond = F->getCond();
      Body = F->getBody();
    } else if (const auto *D = dyn_cast<DoStmt>(P)) {
      Cond = D->getCond();
      Body = D->getBody();
    }
    if (Body) {
      // A condition that can end the loop on its own (a count, a
      // delimiter) makes it no read-to-EOF loop.
      const Expr *C = Cond ? Cond->IgnoreParenImpCasts() : nullptr;
      bool Compound = false;
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(C))
        Compound = BO->isLogicalOp();
      if (C && Child.get<Stmt>() == Cond)
        return !Compound; // `while ((n = read(...)) > 0)`, `while (fgets(...))`
      if (C && Result && mentions(C, Result))
        return !Compound;
      bool Forever = !C;
      if (C) {
        bool Value = false;
        Forever = C->EvaluateAsBooleanCondition(Value, Ctx) && Value;
      }
      return Forever && Result && leavesOnResult(Body, Result);
    }
    Child = PN;
  }
  return false;
}

const Expr *argOf(const CallSite &C, int I) {
  return I >= 0 && unsigned(I) < C.Call->getNumArgs()
             ? C.Call->getArg(unsigned(I))
             : nullptr;
}

} // namespace

SelfDeadlockCheck::SelfDeadlockCheck(llvm::StringRef Name,
                                     ClangTidyContext *Context)
    : PipeCheckBase(Name, Context, {"PipeCapacity"}),
      PipeCapacity(readPipeCapacity()) {}

void SelfDeadlockCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  PipeCheckBase::storeOptions(Opts);
  Options.store(Opts, "PipeCapacity", PipeCapacity);
}

/// True if a recv()-like call asks not to wait (MSG_DONTWAIT).
static bool doesNotWait(const CallSite &C, const ApiModel &Model,
                        ASTContext &Ctx) {
  const FunctionDecl *FD = ApiModel::calleeOf(C.Call);
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  int FlagsArg = (N == "recv" || N == "recvfrom") ? 3 : N == "recvmsg" ? 2 : -1;
  const Expr *Flags = argOf(C, FlagsArg);
  Expr::EvalResult Res;
  return Flags && Flags->EvaluateAsInt(Res, Ctx) && Res.Val.isInt() &&
         (Res.Val.getInt().getZExtValue() & uint64_t(Model.Constants.MsgDontwait));
}

void SelfDeadlockCheck::analyzeFunction(const FunctionAnalysis &A) {
  std::set<std::pair<const Expr *, int>> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || S.polled())
      return;
    const Expr *Arg = C.Subject ? C.Subject : argOf(C, C.Api->Arg);
    std::optional<EndId> R = Arg ? A.endOf(Arg, S) : std::nullopt;
    if (!R)
      return;
    const EndInfo &RI = A.ends()[*R];
    if ((RI.Kind != EndKind::PipeRead && RI.Kind != EndKind::SocketEnd) ||
        RI.Peer < 0 || S.status(*R) != Open || S.hasFlag(*R, Nonblock) ||
        S.hasFlag(*R, Lost) || doesNotWait(C, model(), A.context()))
      return;

    // The pipe's write side in this process: its write end and every dup()
    // of it. One of them open keeps the pipe open.
    EndId W = EndId(RI.Peer);
    llvm::SmallVector<EndId, 2> Writers{W};
    S.forEachTouchedEnd([&](EndId E) {
      for (int D = A.ends()[E].DupOf; D >= 0; D = A.ends()[EndId(D)].DupOf)
        if (EndId(D) == W) {
          Writers.push_back(E);
          break;
        }
    });
    bool AnyLost = false, AnyOpen = false, Written = false, Shared = false,
         Nonblocking = false, Resized = false;
    uint32_t Bytes = 0;
    const Expr *LastWrite = nullptr;
    EndId OpenWriter = W;
    for (EndId E : Writers) {
      AnyLost |= S.hasFlag(E, Lost);
      if (S.status(E) == Open && !AnyOpen) {
        AnyOpen = true;
        OpenWriter = E;
      }
      Written |= S.hasFlag(E, WrittenTo);
      Shared |= S.hasFlag(E, SharedWithChild);
      Nonblocking |= S.hasFlag(E, Nonblock);
      Resized |= S.hasFlag(E, CapacitySet);
      if (S.written(E) >= Bytes && S.written(E) > 0) {
        Bytes = S.written(E);
        LastWrite = S.lastWrite(E);
      }
      // Anything not plainly open or closed (handed off, maybe created)
      // means another owner may write or close: stay silent.
      if (S.status(E) != Open && S.status(E) != Closed &&
          S.status(E) != NotCreated)
        AnyLost = true;
    }
    if (AnyLost)
      return;
    std::string RName = A.nameOf(*R, &S), WName = A.nameOf(OpenWriter, &S);
    bool Socket = RI.Kind == EndKind::SocketEnd;

    // 3. This thread wrote more than the pipe holds before reading it back,
    //    with no other reader: the write blocked before we got here. (Not
    //    for socket pairs, whose buffers are larger and differently sized.)
    if (!Socket && Bytes > PipeCapacity && LastWrite &&
        !S.hasFlag(*R, SharedWithChild) && !Nonblocking && !Resized) {
      if (Reported.insert({LastWrite, 3}).second) {
        bool Unbounded = Bytes == UINT32_MAX;
        diag(LastWrite->getBeginLoc(),
             "writing %select{%1 bytes|an amount that grows with the loop}2 "
             "to '%0' fills the pipe (it holds %3 bytes) before this thread "
             "reads it back; the write blocks forever; read from another "
             "thread, or write less than the pipe holds")
            << A.nameOf(W, &S) << Bytes << int(Unbounded) << PipeCapacity;
        diag(C.Call->getBeginLoc(), "this thread reads the pipe back here",
             DiagnosticIDs::Note);
        if (RI.Origin)
          diag(RI.Origin->getBeginLoc(), "pipe created here",
               DiagnosticIDs::Note);
      }
      return;
    }
    if (!AnyOpen)
      return;

    auto CreatedNote = [&] {
      if (RI.Origin)
        diag(RI.Origin->getBeginLoc(), "%select{pipe|socket pair}0 created here",
             DiagnosticIDs::Note)
            << int(Socket);
    };
    // 2. Reading to end-of-file while this process keeps a write end open:
    //    end-of-file never comes, whatever the writers do. One finding per
    //    read: closing the write end first also cures a read with no data.
    if (C.ReadsToEof || readsUntilEof(C.Call, A.context())) {
      if (Reported.insert({C.Call, 2}).second) {
        diag(C.Call->getBeginLoc(),
             "reading '%0' until end-of-file never ends: this process still "
             "holds the write end '%1'%select{|, and a fork() child closing "
             "its own copy does not close this one|; the child process it "
             "was passed to holds only a copy, and its exit does not close "
             "this one}2; close '%1' before the read loop")
            << RName << WName
            << (Shared && !S.inForkChild() ? (S.hasForked() ? 1 : 2) : 0);
        CreatedNote();
      }
      return;
    }
    // 1. Nobody else can write, and this thread has written nothing.
    if (!Shared && !Written && Reported.insert({C.Call, 1}).second) {
      diag(C.Call->getBeginLoc(),
           "read from '%0' blocks forever: this thread holds the only write "
           "end '%1' and has written nothing to it; write from another "
           "thread or process first, or do not read here")
          << RName << WName;
      CreatedNote();
    }
  });
}

} // namespace clang::tidy::pipe
