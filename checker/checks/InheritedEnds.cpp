//===--- InheritedEnds.cpp - write ends other processes inherit -----------===//
//
// The parts of pipe-unclosed-write-end about a write end that another
// process holds without meaning to (docs/checks/pipe-unclosed-write-end.md,
// "Write ends that other processes inherit"):
//
//  - an end without O_CLOEXEC open at an exec, spawn or shell call
//    (reportSpawnInheritance()), unless the pipe was made for that child
//    and it is the pipe's only writer (onlyWriterByDesign());
//  - a helper that makes a pipe without O_CLOEXEC and gives it to a caller
//    that then starts a program (reported in the helper, where the end
//    leaves it: reportHelperInheritance());
//  - posix_spawn_file_actions_adddup2() of an end without an addclose() of
//    it: the program gets it twice (reportSpawnKeepsOriginal());
//  - a forked child that never execs, never ends, and keeps a write end it
//    does not use (reportWorkerChildren());
//  - a parent that reads a child's output to end-of-file, or waits for the
//    child, while it still holds the write end of that child's standard
//    input (reportStdinDeadlock()).
//
// Each reads the finished FunctionAnalysis (and, for helpers, the summary
// analysis of the helper); none walks a CFG.
//
//===----------------------------------------------------------------------===//
#include "checks/CallQueries.h"
#include "Compat.h"
#include "checks/UnclosedWriteEndCheck.h"
#include "checks/LeakQueries.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::pipe {

namespace {
/// How deep helpers are looked into for the code a child runs forever, and
/// for the pipe() a creator helper calls.
constexpr unsigned MaxHelperDepth = 3;

const ApiFunction *roleOfCall(const CallExpr *CE, const ApiModel &M) {
  return M.lookup(ApiModel::calleeOf(CE));
}

bool startsProgram(ApiRole R) {
  return R == ApiRole::Exec || R == ApiRole::Spawn || R == ApiRole::Shell;
}

/// Does \p S (not counting nested lambdas and blocks) hold a call for
/// which \p Pred is true?
template <typename Pred> bool anyCall(const Stmt *S, Pred P) {
  llvm::SmallVector<const Stmt *, 32> Stack{S};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(X); CE && P(CE))
      return true;
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return false;
}

/// Is \p Loop a loop that cannot end: no condition or a constant true one,
/// and nothing in its body that leaves it (a `break` of its own, `return`,
/// `goto`, `throw`, a call that ends the process)?
bool endlessLoop(const Stmt *Loop, ASTContext &Ctx, const ApiModel &M) {
  const Expr *Cond = nullptr;
  const Stmt *Body = nullptr;
  if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
    Cond = W->getCond();
    Body = W->getBody();
  } else if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    Cond = F->getCond();
    Body = F->getBody();
  } else if (const auto *D = dyn_cast<DoStmt>(Loop)) {
    Cond = D->getCond();
    Body = D->getBody();
  } else {
    return false;
  }
  if (Cond) {
    bool Value = false;
    if (Cond->isValueDependent() ||
        !Cond->EvaluateAsBooleanCondition(Value, Ctx) || !Value)
      return false;
  }
  // A break leaves this loop unless it is inside a nested loop or switch.
  llvm::SmallVector<std::pair<const Stmt *, bool>, 32> Stack{{Body, false}};
  while (!Stack.empty()) {
    auto [X, Nested] = Stack.pop_back_val();
    if (!X || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
      continue;
    if (isa<ReturnStmt>(X) || isa<GotoStmt>(X) || isa<IndirectGotoStmt>(X) ||
        isa<CXXThrowExpr>(X) || isa<CXXTryStmt>(X))
      return false;
    if (isa<BreakStmt>(X) && !Nested)
      return false;
    if (const auto *CE = dyn_cast<CallExpr>(X))
      if (const ApiFunction *Api = roleOfCall(CE, M);
          Api && (Api->Role == ApiRole::NoReturn || startsProgram(Api->Role)))
        return false;
    bool Inner = Nested || isa<WhileStmt>(X) || isa<ForStmt>(X) ||
                 isa<DoStmt>(X) || isa<SwitchStmt>(X) ||
                 isa<CXXForRangeStmt>(X);
    for (const Stmt *C : X->children())
      Stack.push_back({C, Inner});
  }
  return true;
}

/// The statements of \p S that never end, in the order the code runs them
/// (a pre-order walk, not below one found): an endless loop, or a call of a
/// function of this translation unit whose body runs one (up to
/// MaxHelperDepth deep).
void endlessIn(const Stmt *S, ASTContext &Ctx, const ApiModel &M,
               unsigned Depth, llvm::SmallVectorImpl<const Stmt *> &Out) {
  if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return;
  if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S))
    if (endlessLoop(S, Ctx, M)) {
      Out.push_back(S);
      return;
    }
  if (const auto *CE = dyn_cast<CallExpr>(S); CE && Depth < MaxHelperDepth)
    if (const FunctionDecl *FD = ApiModel::calleeOf(CE)) {
      const FunctionDecl *Def = nullptr;
      llvm::SmallVector<const Stmt *, 1> Inner;
      if (!M.lookup(FD) && FD->hasBody(Def) && Def && Def->getBody() &&
          !Def->isDependentContext())
        endlessIn(Def->getBody(), Ctx, M, Depth + 1, Inner);
      if (!Inner.empty()) {
        Out.push_back(CE);
        return;
      }
    }
  for (const Stmt *C : S->children())
    endlessIn(C, Ctx, M, Depth, Out);
}

/// Does \p Close, a statement of its own, run on every path that reaches
/// \p Later: a statement of a block around \p Later, before it?
bool closesBefore(const CallExpr *Close, const Stmt *Later,
                  const FunctionAnalysis &A) {
  const Stmt *Own = Close;
  const Stmt *Block = A.parentOf(Own);
  while (Block && (isa<ImplicitCastExpr>(Block) || isa<CStyleCastExpr>(Block) ||
                   isa<ParenExpr>(Block))) {
    Own = Block;
    Block = A.parentOf(Block);
  }
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Block);
  if (!CS)
    return false;
  const Stmt *Cur = Later;
  while (Cur && A.parentOf(Cur) != CS)
    Cur = A.parentOf(Cur);
  if (!Cur)
    return false;
  for (const Stmt *X : CS->body()) {
    if (X == Cur)
      return false;
    if (X == Own)
      return true;
  }
  return false;
}

/// Does the child code \p Body name end \p W (on a path with state \p S at
/// the fork) before \p Forever, or a whole array or struct holding it, or
/// close descriptors wholesale? Such a child uses or closes the end, or
/// may. A close() of \p W counts only where it runs on every path to
/// \p Forever: a child that closes it on some paths keeps it on the others.
bool childMayTouch(const Stmt *Body, const Stmt *Forever, EndId W,
                   const PathState &S, const FunctionAnalysis &A) {
  llvm::SmallVector<const ValueDecl *, 2> Bases;
  S.forEachLocationOf(W, [&](LocKey L) { Bases.push_back(L.Base); });
  if (Bases.empty())
    return true;
  llvm::SmallVector<const Stmt *, 32> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(X))
      if (const ApiFunction *Api = roleOfCall(CE, A.model());
          Api && Api->Role == ApiRole::CloseRange)
        return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(X);
        DRE && llvm::is_contained(Bases, DRE->getDecl())) {
      // The end the place around the name (`fds[1]`, `p.wr`) holds.
      const Expr *Place = enclosingPlace(A, DRE);
      std::optional<EndId> E = A.endOf(Place, S);
      if (!E)
        return true; // a whole array or struct, or unknown
      if (*E == W) {
        // close(W): the end is closed before Forever, or on some paths.
        const Stmt *Call = A.parentOf(Place);
        while (Call && isa<ImplicitCastExpr>(Call))
          Call = A.parentOf(Call);
        const auto *CE = dyn_cast_or_null<CallExpr>(Call);
        const ApiFunction *Api = CE ? roleOfCall(CE, A.model()) : nullptr;
        if (!Api || Api->Role != ApiRole::Close ||
            closesBefore(CE, Forever, A))
          return true;
      }
    }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return false;
}

/// Is write end \p E, open without O_CLOEXEC at the program start \p C
/// (state \p S), the pipe's only writer by construction, so that the
/// child inheriting it is the design and not a leak (ninja's console
/// mode: the parent learns that the child and its descendants finished
/// when the read end sees end-of-file)? It is when
///  - C is a posix_spawn() whose child is followed (a task), or an exec
///    in a fork()ed child;
///  - that child does not get the read end: closed, O_CLOEXEC or named in
///    an addclose() (spawn), and not made its standard input or output;
///  - no other child or thread holds E (a task started while it was
///    open: a fork()ed child, a spawned program, a thread given it), and
///    no duplicate of it was made;
///  - this process closes its copy right after the start (no read, write
///    or program start while the child runs and E is open here), and at
///    every exit of the parent E is closed or was never made (never
///    returned, stored or handed off).
/// The child also reading the pipe (it waits for the end-of-file it holds
/// back itself), a pipe meant for another task, and a parent that keeps
/// its copy are reported as before.
/// An exec-failure report: the fork() child that \p C (an exec) runs in
/// writes \p E itself (`execvp(...); write(p[1], &errno, ...); _exit(127);`),
/// so the parent reads the pipe to learn whether the exec failed, and the
/// end must close at a successful exec. The parent's read of the read end
/// (or the child's write, if the parent's read is not seen); else null.
const CallExpr *execFailureReport(const FunctionAnalysis &A, const CallSite &C,
                                  const PathState &S, EndId E) {
  const EndInfo &Info = A.ends()[E];
  std::optional<TaskId> Child = S.childTask();
  if (C.Api->Role != ApiRole::Exec || !S.inForkChild() || !Child ||
      Info.Kind != EndKind::PipeWrite || Info.Peer < 0)
    return nullptr;
  const CallExpr *Write = nullptr, *Read = nullptr;
  const SourceManager &SM = A.context().getSourceManager();
  A.forEachCall([&](const CallSite &W, const PathState &WS) {
    // (After the exec: a child that writes first and then execs with the
    // end is judged as any other, by onlyWriterByDesign().)
    if (W.Api->Role == ApiRole::Write && WS.inForkChild() &&
        WS.childTask() == Child && A.subjectEnd(W, WS) == std::optional(E) &&
        SM.isBeforeInTranslationUnit(compat::callBegin(C.Call),
                                     compat::callBegin(W.Call)))
      Write = W.Call;
    if (W.Api->Role == ApiRole::Read && !WS.inForkChild() && !Read &&
        A.subjectEnd(W, WS) == std::optional(EndId(Info.Peer)))
      Read = W.Call;
  });
  return Write ? (Read ? Read : Write) : nullptr;
}

bool onlyWriterByDesign(const FunctionAnalysis &A, const CallSite &C,
                        const PathState &S, EndId E) {
  const EndInfo &Info = A.ends()[E];
  if (Info.Kind != EndKind::PipeWrite || Info.Peer < 0)
    return false;
  EndId R = EndId(Info.Peer);
  // The child that C starts.
  std::optional<TaskId> Child;
  bool Spawn = C.Api->Role == ApiRole::Spawn && !S.inForkChild();
  if (Spawn) {
    for (TaskId X = 0; X < A.tasks().size(); ++X)
      if (A.tasks()[X].Origin == C.Call && A.tasks()[X].Spawned)
        Child = X;
  } else if (C.Api->Role == ApiRole::Exec && S.inForkChild()) {
    Child = S.childTask();
  }
  if (!Child || *Child >= A.tasks().size())
    return false;
  const TaskInfo &T = A.tasks()[*Child];
  // The child does not get the read end.
  if (llvm::is_contained(T.Inputs, R) || llvm::is_contained(T.Outputs, R) ||
      S.hasFlag(R, Lost))
    return false;
  // Still open here, or kept where the parent reads it later (a member):
  // the child must not inherit it.
  if (S.status(R) & (Open | HandedOff)) {
    bool AddClosed = Spawn && S.hasFlag(R, SpawnRelated) &&
                     !S.hasFlag(R, SpawnKeepsOriginal);
    if (!AddClosed && !S.hasFlag(R, Cloexec))
      return false;
  }
  // dup2()'d onto a standard stream in the child, closed after.
  if (!Spawn && S.hasFlag(R, SpawnRelated))
    return false;
  // No other task holds E; no duplicate of it.
  for (TaskId X = 0; X < A.tasks().size(); ++X)
    if (X != *Child && llvm::is_contained(A.tasks()[X].Holds, E))
      return false;
  for (const EndInfo &Other : A.ends())
    if (Other.DupOf == int(E))
      return false;
  // Right after the start, the parent closes E: while the child runs and
  // E is open here, this process reads, writes and starts nothing (a read
  // of the pipe would wait for its own copy).
  bool Busy = false;
  A.forEachCall([&](const CallSite &W, const PathState &WS) {
    if (Busy || WS.inForkChild() || W.Call == C.Call ||
        W.Api->Role == ApiRole::Close)
      return;
    Busy = (WS.taskStatus(*Child) & TaskRunning) && (WS.status(E) & Open);
  });
  if (Busy)
    return false;
  // The parent closes its copy on every path out.
  bool Kept = false;
  A.forEachExit([&](const ExitPoint &, const PathState &XS) {
    if (XS.inForkChild())
      return;
    if ((XS.status(E) & ~(Closed | NotCreated)) || XS.hasFlag(E, Lost))
      Kept = true;
  });
  return !Kept;
}

/// Does \p A's function install a SIGCHLD handler (`signal(SIGCHLD, f)`,
/// `sigaction(SIGCHLD, &sa, ...)`)? Its read loop can then run until the
/// child has ended (glib's stack_trace() stops on a flag the handler sets),
/// where a partner that needs end-of-file to exit would otherwise be left
/// running for ever, holding its own copy of its input's write end.
bool learnsOfChildExit(const FunctionAnalysis &A) {
  const Stmt *Body = A.decl() ? A.decl()->getBody() : nullptr;
  return Body && anyCall(Body, [&](const CallExpr *CE) {
           const FunctionDecl *FD = CE->getDirectCallee();
           if (!FD || !FD->getIdentifier() || CE->getNumArgs() < 2 ||
               (FD->getName() != "signal" && FD->getName() != "sigaction" &&
                FD->getName() != "bsd_signal" && FD->getName() != "sigset"))
             return false;
           Expr::EvalResult R;
           return CE->getArg(0)->EvaluateAsInt(R, A.context()) &&
                  R.Val.getInt() == A.model().Constants.SigChld;
         });
}

/// Does the program that \p C starts (in a fork()ed child, state \p S)
/// read the pipe of write end \p W as a partner this process talks with
/// in-band, so that its inherited copy of \p W makes nobody wait? A debugger
/// fed commands that end in `quit` (glib's stack_trace()), a `bc` asked
/// one question at a time. It does when
///  - the program gets the pipe's read end (its standard input, or the end
///    itself, open across the exec);
///  - this process reads the program's replies (a pipe whose write end the
///    program gets) while it still holds its own copy of \p W: had the
///    program waited for end-of-file before replying, this process's own
///    copy would have kept it waiting, inherited copy or not;
///  - once this process may have closed its copy of \p W, it neither waits
///    for the child nor reads its output, and it never returns while the
///    child may run (it ends the process, or has waited for the child);
///  - it learns when the child ends (a SIGCHLD handler: learnsOfChildExit()),
///    so that its read loop can outlast the child: a line filter (`cat`)
///    whose parent closes its copy and leaves would run on for ever.
/// Then closing the inherited copy (O_CLOEXEC) would change what no one
/// waits for. A partner that this process waits for after closing its copy
/// (`close(in[1]); waitpid(pid, ...)`: the child never sees end-of-file) is
/// reported as before.
bool talksInBand(const FunctionAnalysis &A, const CallSite &C,
                 const PathState &S, EndId W) {
  const EndInfo &Info = A.ends()[W];
  std::optional<TaskId> Child = S.childTask();
  if (C.Api->Role != ApiRole::Exec || !S.inForkChild() || !Child ||
      *Child >= A.tasks().size() || Info.Kind != EndKind::PipeWrite ||
      Info.Peer < 0)
    return false;
  const TaskInfo &T = A.tasks()[*Child];
  auto ProgramGets = [&](EndId E) {
    return (S.status(E) == Open && !S.hasFlag(E, Cloexec)) ||
           S.hasFlag(E, SpawnRelated);
  };
  EndId R = EndId(Info.Peer);
  if (!llvm::is_contained(T.Inputs, R) && !ProgramGets(R))
    return false;
  // The ends the program writes: made its output, or inherited.
  auto ItsOutput = [&](EndId Read) {
    int Wr = A.ends()[Read].Peer;
    if (Wr < 0 || A.ends()[Read].isWriteSide() || EndId(Wr) == W)
      return false;
    return llvm::is_contained(T.Outputs, EndId(Wr)) || ProgramGets(EndId(Wr));
  };
  bool Replies = false, WaitsAfterClose = false;
  auto MayHaveClosed = [&](const PathState &PS) {
    return (PS.status(W) & ~Open) != 0 || PS.hasFlag(W, Lost);
  };
  A.forEachCall([&](const CallSite &R2, const PathState &PS) {
    if (R2.Api->Role != ApiRole::Read || PS.inForkChild() ||
        !(PS.taskStatus(*Child) & TaskRunning))
      return;
    std::optional<EndId> Out = A.subjectEnd(R2, PS);
    if (!Out || !ItsOutput(*Out))
      return;
    if (MayHaveClosed(PS))
      WaitsAfterClose = true;
    else
      Replies = true;
  });
  if (!Replies || WaitsAfterClose)
    return false;
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &PS) {
    if (Ev.K == TaskEvent::Join && Ev.Task == *Child && !PS.inForkChild() &&
        (PS.taskStatus(*Child) & TaskRunning) && MayHaveClosed(PS))
      WaitsAfterClose = true;
  });
  if (WaitsAfterClose)
    return false;
  bool Returns = false;
  A.forEachExit([&](const ExitPoint &, const PathState &XS) {
    if (!XS.inForkChild() && (XS.taskStatus(*Child) &
                              (TaskRunning | TaskHandedOff | TaskDetached)))
      Returns = true;
  });
  return !Returns && learnsOfChildExit(A);
}
} // namespace

//===----------------------------------------------------------------------===//
// 1. A helper's pipe without O_CLOEXEC, inherited by its caller's program.
//===----------------------------------------------------------------------===//

bool UnclosedWriteEndCheck::reportHelperInheritance(const FunctionAnalysis &A,
                                                    const CallSite &Start,
                                                    const PathState &S,
                                                    EndId E, bool Reader) {
  const EndInfo &Info = A.ends()[E];
  const auto *Call = dyn_cast_or_null<CallExpr>(Info.Origin);
  if (!Call || roleOfCall(Call, model()))
    return false; // made here, by pipe() or socketpair()
  // Once per helper call and end: the helper's analysis runs at most once
  // for all the states and program starts that meet it.
  std::pair<const Expr *, unsigned> Key(
      Call, unsigned(Info.Peer >= 0 && EndId(Info.Peer) > E));
  auto [Known, New] = HelperCallAnswers.try_emplace(Key, false);
  if (!New)
    return Known->second;
  bool Answer = reportFromHelper(A, Start, S, E, Reader);
  HelperCallAnswers[Key] = Answer;
  return Answer;
}

bool UnclosedWriteEndCheck::reportFromHelper(const FunctionAnalysis &A,
                                             const CallSite &Start,
                                             const PathState &S, EndId E,
                                             bool Reader) {
  const EndInfo &Info = A.ends()[E];
  const auto *Call = cast<CallExpr>(Info.Origin);
  const FunctionDecl *Outer = ApiModel::calleeOf(Call);
  FunctionSummaries *Functions = sharedSummaries(A.context());
  if (!Functions)
    return false;
  // Down the chain of creator helpers to the one that calls pipe() itself.
  std::unique_ptr<FunctionAnalysis> Helper;
  std::optional<EndId> HW;
  // Which end of the helper's pipe: the second one (a pipe's write end, a
  // socket pair's second end) unless E is the first.
  bool IsFirst = Info.Peer >= 0 && EndId(Info.Peer) > E;
  // Which of the pipes the call makes (a start helper may make two, as
  // ends 2k and 2k+1 of its call): the k-th the helper makes.
  auto PipeIndexOf = [](const FunctionAnalysis &F, EndId X) {
    unsigned N = 0;
    for (EndId Y = 0; Y < X; ++Y)
      N += F.ends()[Y].Origin == F.ends()[X].Origin;
    return N / 2;
  };
  unsigned PipeIdx = PipeIndexOf(A, E);
  for (unsigned Depth = 0; Depth < MaxHelperDepth && Call; ++Depth) {
    const FunctionDecl *Def =
        FunctionSummaries::summarisable(ApiModel::calleeOf(Call));
    const FunctionSummary *FS = Def ? Functions->get(Def) : nullptr;
    // A creator helper that makes more than one pipe: which of them is
    // not followed down the chain. One that starts a task with the pipes
    // it makes (`sub.start()` keeping the child's input in a member) is
    // followed as a creator is, pipe by pipe.
    bool Followed =
        FS && (FS->Creator ? !(FS->Creator->Flags & Cloexec) &&
                                 FS->Creator->MorePipes.empty() && PipeIdx == 0
                           : FS->Starts && PipeIdx < FS->Starts->Pipes.size());
    if (!Followed)
      return false;
    Helper = FunctionAnalysis::runForSummary(Def, A.context(), model(),
                                             analysisBudget(),
                                             Functions->callees());
    if (!Helper)
      return false;
    HW.reset();
    unsigned Pairs = 0;
    for (EndId X = 0; X < Helper->ends().size(); ++X) {
      const EndInfo &HI = Helper->ends()[X];
      if (!HI.Origin || HI.Kind == EndKind::Duplicate ||
          HI.Kind == EndKind::Parameter || HI.Peer < 0 || EndId(HI.Peer) < X)
        continue;
      if (Pairs++ == PipeIdx)
        HW = IsFirst ? X : EndId(HI.Peer);
    }
    // The helper's pipes and the summary's, one for one.
    if (!HW || (FS->Starts && Pairs != FS->Starts->Pipes.size()))
      return false;
    const auto *Inner = dyn_cast<CallExpr>(Helper->ends()[*HW].Origin);
    if (!Inner || roleOfCall(Inner, model()))
      break; // this helper calls pipe() itself
    PipeIdx = PipeIndexOf(*Helper, *HW);
    Call = Inner;
  }
  if (!Helper || !HW)
    return false;
  // Where the end leaves the helper: its first exit in the source on which
  // the end is open (placed for the caller, or returned).
  const ExitPoint *Exit = nullptr;
  const PathState *AtExit = nullptr;
  const SourceManager &SM = A.context().getSourceManager();
  Helper->forEachExit([&](const ExitPoint &X, const PathState &HS) {
    if (X.Loc.isInvalid() || !(HS.status(*HW) & (Open | HandedOff)) ||
        HS.hasFlag(*HW, Cloexec))
      return;
    if (!Exit || SM.isBeforeInTranslationUnit(X.Loc, Exit->Loc)) {
      Exit = &X;
      AtExit = &HS;
    }
  });
  // A helper in a header: the report would be filtered out with the
  // header; the caller's call is reported instead.
  if (!Exit || !SM.isWrittenInMainFile(SM.getExpansionLoc(Exit->Loc)))
    return false;
  // A leak only (no reader waits), in test code: said nowhere.
  if (!Reader && quietLeaks(A))
    return true;
  auto Key = Exit->Loc.getRawEncoding();
  if (!HelperExitsReported.insert(Key).second)
    return true; // reported for another caller, or another start
  const FunctionDecl *Runs = Start.Call->getDirectCallee();
  const EndInfo &HI = Helper->ends()[*HW];
  bool Socket = HI.Kind == EndKind::SocketEnd;
  diag(Exit->Loc,
       "%select{write end|end}0 '%1' of the %select{pipe|socket pair}0 "
       "leaves %2 here without O_CLOEXEC, and %3 starts a program with '%4' "
       "while it still holds it; that program inherits the end, and "
       "%select{leaks it, since nothing in %3 reads the %select{pipe|socket "
       "pair}0|%select{readers of the pipe never see|its peer never sees}0 "
       "end-of-file while it runs}5; create the %select{pipe with pipe2(..., "
       "O_CLOEXEC)|socket pair with SOCK_CLOEXEC}0 or set FD_CLOEXEC on the "
       "end before it leaves %2")
      << int(Socket) << Helper->nameOf(*HW, AtExit) << Helper->displayName()
      << A.displayName() << (Runs ? Runs->getName() : "exec") << int(Reader);
  diag(HI.Origin->getBeginLoc(),
       Socket ? "socket pair created here" : "pipe created here",
       DiagnosticIDs::Note);
  diag(compat::callBegin(Start.Call),
       "the program started here inherits '%0', which %1 got from %2",
       DiagnosticIDs::Note)
      << A.nameOf(E, &S) << A.displayName()
      << ("'" + (Outer ? Outer->getNameAsString() : std::string("?")) + "'");
  return true;
}

//===----------------------------------------------------------------------===//
// 4. adddup2() without addclose().
//===----------------------------------------------------------------------===//

void UnclosedWriteEndCheck::reportSpawnKeepsOriginal(const FunctionAnalysis &A) {
  std::vector<std::pair<const CallExpr *, EndId>> Reported;
  std::optional<InheritReaders> Readers;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Spawn || S.inForkChild())
      return;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A.ends()[E];
      if (!Info.isWriteSide() || Info.OwnedByObject || S.status(E) != Open ||
          S.hasFlag(E, Lost) || S.hasFlag(E, Cloexec) ||
          !S.hasFlag(E, SpawnKeepsOriginal))
        return;
      auto Key = std::make_pair(C.Call, E);
      if (llvm::is_contained(Reported, Key))
        return;
      if (!Readers)
        Readers.emplace(A);
      bool Reader = readerWaitsWhileInherited(A, E, S, *Readers);
      if (!Reader && quietLeaks(A))
        return;
      Reported.push_back(Key);
      const FunctionDecl *Callee = C.Call->getDirectCallee();
      bool Socket = Info.Kind == EndKind::SocketEnd;
      std::string Name = A.nameOf(E, &S);
      diag(compat::callBegin(C.Call),
           "the program that '%0' starts gets %select{write end|end}1 '%2' "
           "from posix_spawn_file_actions_adddup2() and also inherits '%2' "
           "itself, since no posix_spawn_file_actions_addclose() of it "
           "follows and it lacks O_CLOEXEC; %select{nothing here reads the "
           "%select{pipe|socket pair}1, so that program only leaks the "
           "copy|%select{readers of the pipe never see|its peer never sees}1 "
           "end-of-file while that program or anything it starts runs, even "
           "after it closes its copy}3; add "
           "posix_spawn_file_actions_addclose() of '%2' after the adddup2()")
          << (Callee ? Callee->getName() : "posix_spawn") << int(Socket)
          << Name << int(Reader);
      addPathNotes(A, E, S);
    });
  });
}

//===----------------------------------------------------------------------===//
// 2. A forked worker that never ends, holding a write end it does not use.
//===----------------------------------------------------------------------===//

void UnclosedWriteEndCheck::reportWorkerChildren(const FunctionAnalysis &A) {
  if (A.tasks().empty())
    return;
  ASTContext &Ctx = A.context();
  // The read ends this function reads (not in a child), with the state
  // there: the reader waits for the workers still running then.
  llvm::SmallVector<std::pair<EndId, const PathState *>, 4> ReadHere;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || S.inForkChild())
      return;
    if (auto R = A.subjectEnd(C, S))
      ReadHere.push_back({*R, &S});
  });
  if (ReadHere.empty())
    return;
  auto ReadWhileRunning = [&](EndId R, TaskId T) {
    for (const auto &P : ReadHere)
      if (P.first == R && (P.second->taskStatus(T) & TaskRunning))
        return true;
    return false;
  };
  std::vector<std::pair<const Stmt *, EndId>> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Fork || S.inForkChild())
      return;
    const TaskInfo *T = nullptr;
    TaskId Id = 0;
    for (TaskId X = 0; X < A.tasks().size(); ++X)
      if (const TaskInfo &I = A.tasks()[X];
          I.Origin == C.Call && I.Kind == TaskKind::ForkChild && I.Body &&
          !I.Spawned) {
        T = &I;
        Id = X;
      }
    if (!T)
      return;
    // A child that starts a program: the program inherits (reported at the
    // exec, without O_CLOEXEC).
    if (anyCall(T->Body, [&](const CallExpr *CE) {
          const ApiFunction *Api = roleOfCall(CE, model());
          return Api && startsProgram(Api->Role);
        }))
      return;
    llvm::SmallVector<const Stmt *, 2> Endless;
    endlessIn(T->Body, Ctx, model(), 0, Endless);
    for (const Stmt *Forever : Endless) {
      S.forEachTouchedEnd([&](EndId W) {
        const EndInfo &Info = A.ends()[W];
        if (!Info.isWriteSide() || Info.OwnedByObject || S.status(W) != Open ||
            S.hasFlag(W, Lost))
          return;
        int R = A.readEndOf(W);
        if (R < 0 || !ReadWhileRunning(EndId(R), Id))
          return;
        if (childMayTouch(T->Body, Forever, W, S, A))
          return;
        auto Key = std::make_pair(Forever, W);
        if (llvm::is_contained(Reported, Key))
          return;
        Reported.push_back(Key);
        std::string Name = A.nameOf(W, &S);
        const FunctionDecl *Runs = nullptr;
        if (const auto *CE = dyn_cast<CallExpr>(Forever))
          Runs = ApiModel::calleeOf(CE);
        bool Socket = Info.Kind == EndKind::SocketEnd;
        diag(Forever->getBeginLoc(),
             "%0 never ends: it runs %select{this endless loop|'%4', which "
             "never returns,}1 still holding %select{write end|end}2 '%3' of "
             "the %select{pipe|socket pair}2, which it never uses; "
             "%select{readers of the pipe never see|its peer never sees}2 "
             "end-of-file while it runs; close '%3' in the child before "
             "%select{the loop|this call}1")
            << describeTask(*T) << int(Runs != nullptr) << int(Socket) << Name
            << (Runs ? Runs->getName() : "");
        addPathNotes(A, W, S);
        diag(compat::callBegin(C.Call), "the child is forked here",
             DiagnosticIDs::Note);
      });
    }
  });
}

//===----------------------------------------------------------------------===//
// 3. Reading a child's output while holding its standard input.
//===----------------------------------------------------------------------===//

void UnclosedWriteEndCheck::reportStdinDeadlock(const FunctionAnalysis &A) {
  bool AnyInput = false;
  for (const TaskInfo &T : A.tasks())
    AnyInput |= T.Kind == TaskKind::ForkChild && !T.Inputs.empty();
  if (!AnyInput)
    return;
  // The write end of a child's input pipe whose read end is \p In, when it
  // is open here where every close is seen; else -1.
  auto InputWriteEnd = [&](EndId In, const PathState &S) {
    int W = A.ends()[In].Peer;
    if (W < 0 || S.status(EndId(W)) != Open || S.hasFlag(EndId(W), Lost) ||
        A.ends()[unsigned(W)].OwnedByObject)
      return -1;
    return W;
  };
  // A child whose code is here (it does not exec) must be seen reading its
  // input to end-of-file; a program it execs is taken to (a filter).
  auto ReadsInputToEof = [&](TaskId Id, const TaskInfo &T) {
    if (T.Spawned || !T.Body ||
        anyCall(T.Body, [&](const CallExpr *CE) {
          const ApiFunction *Api = roleOfCall(CE, model());
          return Api && startsProgram(Api->Role);
        }))
      return true;
    bool Found = false;
    A.forEachCall([&](const CallSite &C, const PathState &S) {
      if (Found || C.Api->Role != ApiRole::Read || !S.inForkChild() ||
          S.childTask() != std::optional<TaskId>(Id))
        return;
      if (C.ViaHelper ? !C.ReadsToEof : !readsUntilEof(C.Call, A))
        return;
      if (auto R = A.subjectEnd(C, S))
        Found = llvm::is_contained(T.Inputs, *R);
      else if (const Expr *Arg = callArg(C.Call, C.Api->Arg))
        Found = A.valueOf(Arg, S).isConst() && A.valueOf(Arg, S).Lo == 0;
    });
    return Found;
  };
  // A poll() loop that reads the output and also feeds the input closes
  // the input's write end once it is all written (`if (off == len)
  // close(in[1]);`): the read waits for nothing the loop does not do.
  auto ClosedInPollLoop = [&](const CallSite &Read, const PathState &S,
                              EndId W) {
    if (!S.polled())
      return false;
    const Stmt *Loop = enclosingLoop(Read.Call, A);
    if (!Loop)
      return false;
    const SourceManager &SM = A.context().getSourceManager();
    SourceRange In = Loop->getSourceRange();
    bool Closes = false;
    A.forEachCall([&](const CallSite &C, const PathState &CS) {
      if (Closes || C.Api->Role != ApiRole::Close || CS.inForkChild())
        return;
      std::optional<EndId> E = A.subjectEnd(C, CS);
      SourceLocation At = compat::callBegin(C.Call);
      Closes = E && *E == W && !SM.isBeforeInTranslationUnit(At, In.getBegin()) &&
               !SM.isBeforeInTranslationUnit(In.getEnd(), At);
    });
    return Closes;
  };
  std::vector<std::pair<const CallExpr *, EndId>> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || S.inForkChild())
      return;
    if (C.ViaHelper ? !C.ReadsToEof : !readsUntilEof(C.Call, A))
      return;
    std::optional<EndId> Out = A.subjectEnd(C, S);
    if (!Out)
      return;
    S.forEachTask([&](TaskId Id) {
      const TaskInfo &T = A.tasks()[Id];
      if (T.Kind != TaskKind::ForkChild || !(S.taskStatus(Id) & TaskRunning))
        return;
      bool ItsOutput = false;
      for (EndId W : T.Outputs)
        ItsOutput |= A.readEndOf(W) == int(*Out);
      if (!ItsOutput)
        return;
      for (EndId In : T.Inputs) {
        int W = InputWriteEnd(In, S);
        if (W < 0)
          continue;
        auto Key = std::make_pair(C.Call, EndId(W));
        if (llvm::is_contained(Reported, Key) || !ReadsInputToEof(Id, T) ||
            ClosedInPollLoop(C, S, EndId(W)))
          continue;
        Reported.push_back(Key);
        StdinKeptOpen.push_back(EndId(W));
        std::string Name = A.nameOf(EndId(W), &S);
        diag(compat::callBegin(C.Call),
             "'%0' waits for end-of-file on the output of %1 while this "
             "process still holds write end '%2' of that child's standard "
             "input; the child waits for end-of-file on its input and never "
             "finishes, so both wait forever; close '%2' before reading the "
             "child's output")
            << calleeName(C.Call) << describeTask(T) << Name;
        addPathNotes(A, EndId(W), S);
      }
    });
  });
  // A wait for such a child (`waitpid(s.pid, ...)`, or a helper that
  // waits: `sorter_finish(&s)`) while this process holds the write end of
  // its standard input: the child never sees end-of-file on its input, so
  // it never exits and the wait never returns.
  std::vector<std::pair<const Stmt *, EndId>> Waits;
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    const TaskInfo &T = A.tasks()[Ev.Task];
    if (Ev.K != TaskEvent::Join || T.Kind != TaskKind::ForkChild ||
        T.FromCaller || S.inForkChild() ||
        !(S.taskStatus(Ev.Task) & TaskRunning))
      return;
    for (EndId In : T.Inputs) {
      int W = InputWriteEnd(In, S);
      if (W < 0)
        continue;
      // Already reported at a read of the child's output: one defect.
      auto Key = std::make_pair(Ev.At, EndId(W));
      if (llvm::is_contained(StdinKeptOpen, EndId(W)) ||
          llvm::is_contained(Waits, Key) ||
          llvm::any_of(Waits, [&](const auto &K) { return K.first == Ev.At; }) ||
          !ReadsInputToEof(Ev.Task, T))
        continue;
      Waits.push_back(Key);
      StdinKeptOpen.push_back(EndId(W));
      const auto *Call = dyn_cast_or_null<CallExpr>(Ev.At);
      std::string Name = A.nameOf(EndId(W), &S);
      diag(Ev.Loc,
           "'%0' waits for %1, which reads its standard input until "
           "end-of-file, while this process still holds write end '%2' of "
           "that input; the child never sees end-of-file and never exits, so "
           "the wait never returns; close '%2' before waiting")
          << (Call ? calleeName(Call) : std::string("the wait"))
          << describeTask(T) << Name;
      diag(T.Origin->getBeginLoc(),
           "%0 starts here; its standard input is the pipe's read end",
           DiagnosticIDs::Note)
          << describeTask(T);
      addPathNotes(A, EndId(W), S);
    }
  });
}

void UnclosedWriteEndCheck::reportSpawnInheritance(const FunctionAnalysis &A) {
  std::vector<std::pair<const CallExpr *, EndId>> Reported;
  std::optional<InheritReaders> Readers;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    ApiRole Role = C.Api->Role;
    if (Role != ApiRole::Exec && Role != ApiRole::Spawn && Role != ApiRole::Shell)
      return;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A.ends()[E];
      if (!Info.isWriteSide() || Info.OwnedByObject || S.status(E) != Open ||
          S.hasFlag(E, Lost) || S.hasFlag(E, Cloexec) ||
          S.hasFlag(E, SpawnRelated) || S.hasFlag(E, Announced))
        return;
      // The pipe made for this child, which is its only writer; but not
      // one that reports a failed exec, which a successful one must close.
      const CallExpr *Report = execFailureReport(A, C, S, E);
      if (!Report &&
          (onlyWriterByDesign(A, C, S, E) || talksInBand(A, C, S, E)))
        return;
      // "Readers never see end-of-file" only if a reader can be waiting:
      // otherwise the child only leaks the end (and in test code, where
      // leaks are not reported, nothing is said).
      if (!Readers)
        Readers.emplace(A);
      bool Reader = Report || readerWaitsWhileInherited(A, E, S, *Readers);
      // Made by a helper: reported there, where the end leaves it.
      if (reportHelperInheritance(A, C, S, E, Reader))
        return;
      if (!Reader && quietLeaks(A))
        return;
      auto Key = std::make_pair(C.Call, E);
      if (std::find(Reported.begin(), Reported.end(), Key) != Reported.end())
        return;
      Reported.push_back(Key);
      const FunctionDecl *Callee = C.Call->getDirectCallee();
      diag(userLoc(A.context().getSourceManager(), compat::callBegin(C.Call)),
           "%select{write end|end}3 '%0' is inherited by the child that '%1' "
           "starts because it lacks O_CLOEXEC; %select{nothing here reads "
           "the %select{pipe|socket pair}3, so the child only leaks the end|"
           "while that child runs, %select{readers of the pipe|its peer}3 "
           "never see%select{|s}3 end-of-file}2; create the %select{pipe with "
           "pipe2(..., O_CLOEXEC)|socket pair with SOCK_CLOEXEC}3 or close the "
           "end before this call")
          << A.nameOf(E, &S) << (Callee ? Callee->getName() : "exec")
          << int(Reader) << int(Info.Kind == EndKind::SocketEnd);
      if (Report) {
        const ApiFunction *Api = roleOfCall(Report, model());
        bool AtWrite = Api && Api->Role == ApiRole::Write;
        diag(userLoc(A.context().getSourceManager(), compat::callBegin(Report)),
             "the child writes '%0' only when the exec fails; after a "
             "successful one the program keeps it, and a read of the pipe "
             "%select{here|}1 waits until that program exits",
             DiagnosticIDs::Note)
            << A.nameOf(E, &S) << int(AtWrite);
      }
      addPathNotes(A, E, S);
    });
  });
}

} // namespace clang::tidy::pipe
