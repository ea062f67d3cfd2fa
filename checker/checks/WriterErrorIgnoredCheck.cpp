//===--- WriterErrorIgnoredCheck.cpp - pipe-writer-error-ignored ----------===//
#include "checks/WriterErrorIgnoredCheck.h"
#include "AstQueries.h"
#include "checks/CallQueries.h"
#include "Compat.h"
#include "models/TaskModel.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"

#include <functional>

namespace clang::tidy::pipe {

namespace {
/// The status argument of a wait-family call: waitpid(pid, &st, 0),
/// wait(&st), wait4(pid, &st, 0, ru), wait3(&st, 0, ru); -1 if none.
int statusArgOf(llvm::StringRef Name) {
  if (Name == "waitpid" || Name == "wait4")
    return 1;
  if (Name == "wait" || Name == "wait3")
    return 0;
  return -1;
}

/// The local variable \p Join, a pthread_join(), stores the thread's
/// result in (`pthread_join(t, &ret)`), when the function \p Body never
/// reads it: its only uses are as the target of pthread_join() calls.
/// Null otherwise, and for pthread_join(t, NULL).
const VarDecl *unreadJoinResult(const CallExpr *Join, const Stmt *Body) {
  const auto *Addr =
      dyn_cast_or_null<UnaryOperator>(stripCasts(callArg(Join, 1)));
  const auto *DRE = Addr && Addr->getOpcode() == UO_AddrOf
                        ? dyn_cast<DeclRefExpr>(stripCasts(Addr->getSubExpr()))
                        : nullptr;
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || !V->isLocalVarDecl() || V->isStaticLocal())
    return nullptr;
  unsigned Uses = 0, AsTarget = 0;
  walkStmts(Body, [&](const Stmt *S) {
    if (const auto *R = dyn_cast<DeclRefExpr>(S); R && R->getDecl() == V)
      ++Uses;
    const auto *CE = dyn_cast<CallExpr>(S);
    if (CE && calleeName(CE) == calleeName(Join))
      if (const auto *U =
              dyn_cast_or_null<UnaryOperator>(stripCasts(callArg(CE, 1)));
          U && U->getOpcode() == UO_AddrOf && refVar(U->getSubExpr()) == V)
        ++AsTarget;
    return WalkStep::Into;
  });
  return Uses == AsTarget ? V : nullptr;
}

bool isWaitCall(const Stmt *S) {
  const auto *CE = dyn_cast<CallExpr>(S);
  return CE && statusArgOf(calleeName(CE)) >= 0;
}

/// Is \p VD read anywhere in \p S after \p After, other than being passed to
/// another wait-family call?
bool usedAfter(const Stmt *S, const ValueDecl *VD, SourceLocation After,
               const SourceManager &SM) {
  if (!S)
    return false;
  if (isWaitCall(S))
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl() == VD &&
           SM.isBeforeInTranslationUnit(After, DRE->getBeginLoc());
  for (const Stmt *C : S->children())
    if (usedAfter(C, VD, After, SM))
      return true;
  return false;
}

/// The definition of \p F with its body, when that body is in the
/// project's code (not a system header); null otherwise.
const FunctionDecl *userDefinition(const FunctionDecl *F, ASTContext &Ctx) {
  const FunctionDecl *Def = nullptr;
  if (!F || !F->hasBody(Def) || !Def || !Def->getBody() ||
      Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return nullptr;
  return Def;
}

/// The one wait-family call in the body of \p F, through helpers that make
/// exactly one call of another such helper (three deep), with the function
/// it is in: `reap(j)` whose body is `waitpid(j->pid, NULL, 0);`. Null when
/// the body waits more than once or not at all.
const CallExpr *waitInside(const FunctionDecl *F, ASTContext &Ctx,
                           const FunctionDecl *&In, unsigned Depth = 0) {
  const FunctionDecl *Def = Depth > 3 ? nullptr : userDefinition(F, Ctx);
  if (!Def)
    return nullptr;
  llvm::SmallVector<const CallExpr *, 2> Waits, Helpers;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (isWaitCall(CE))
        Waits.push_back(CE);
      else if (const FunctionDecl *C = CE->getDirectCallee();
               C && C->hasBody() &&
               !Ctx.getSourceManager().isInSystemHeader(C->getLocation()))
        Helpers.push_back(CE);
    }
    for (const Stmt *C : S->children())
      Walk(C);
  };
  Walk(Def->getBody());
  // The one wait it does, itself or in the one helper of those it calls
  // that waits (`read_rows(...); close(fd); reap_child(pid);`).
  const CallExpr *Found = nullptr;
  const FunctionDecl *FoundIn = nullptr;
  unsigned Count = Waits.size();
  if (Count == 1) {
    Found = Waits.front();
    FoundIn = Def;
  }
  for (const CallExpr *H : Helpers) {
    const FunctionDecl *HIn = nullptr;
    if (const CallExpr *W =
            waitInside(H->getDirectCallee(), Ctx, HIn, Depth + 1)) {
      ++Count;
      Found = W;
      FoundIn = HIn;
    }
  }
  if (Count != 1)
    return nullptr;
  In = FoundIn;
  return Found;
}

bool isNullPointer(const Expr *E, ASTContext &Ctx) {
  return E && !E->isValueDependent() &&
         E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

/// Does \p Body store anything its caller could see: an assignment to a
/// variable it does not declare, through a pointer or to a member, or a
/// call that sets a promise or an exception pointer?
bool publishesState(const Stmt *S, const Stmt *Body) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  const Expr *Target = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
    Target = BO->getLHS();
  else if (const auto *UO = dyn_cast<UnaryOperator>(S);
           UO && UO->isIncrementDecrementOp())
    Target = UO->getSubExpr();
  else if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(S);
           OCE && OCE->isAssignmentOp() && OCE->getNumArgs() > 0)
    Target = OCE->getArg(0);
  if (Target) {
    const auto *DRE = dyn_cast<DeclRefExpr>(Target->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    // A local of the writer's own body is private to it.
    if (!VD || !VD->isLocalVarDecl() ||
        !Body->getSourceRange().fullyContains(VD->getSourceRange()))
      return true;
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
    if (const FunctionDecl *M = MCE->getDirectCallee();
        M && M->getIdentifier() && compat::startsWith(M->getName(), "set_"))
      return true;
  if (isa<CXXThrowExpr>(S))
    return true;
  for (const Stmt *C : S->children())
    if (publishesState(C, Body))
      return true;
  return false;
}

/// A branch that only closes, logs and returns (no value, or a null
/// pointer): the failure looks exactly like the end of the stream. Returns
/// the return statement.
const ReturnStmt *silentExit(const Stmt *Branch, const ApiModel &Model,
                             ASTContext &Ctx, bool &ClosesAny) {
  ClosesAny = false;
  llvm::SmallVector<const Stmt *, 4> Stmts;
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Branch))
    Stmts.append(CS->body_begin(), CS->body_end());
  else if (Branch)
    Stmts.push_back(Branch);
  if (Stmts.empty())
    return nullptr;
  const auto *Ret = dyn_cast<ReturnStmt>(Stmts.back());
  if (!Ret || (Ret->getRetValue() && !isNullPointer(Ret->getRetValue(), Ctx)))
    return nullptr;
  for (const Stmt *S : llvm::ArrayRef<const Stmt *>(Stmts).drop_back()) {
    const auto *CE = dyn_cast<CallExpr>(cast<Expr>(S)->IgnoreParenCasts());
    if (!isa<Expr>(S) || !CE)
      return nullptr;
    const FunctionDecl *FD = ApiModel::calleeOf(CE);
    const ApiFunction *Api = Model.lookup(FD);
    bool Closes = Api && Api->Role == ApiRole::Close;
    llvm::StringRef N = FD && FD->getIdentifier() ? FD->getName() : "";
    bool Logs = N == "perror" || N == "fprintf" || N == "fputs" ||
                N == "syslog" || N == "warn" || N == "warnx" || N == "printf";
    if (!Closes && !Logs)
      return nullptr;
    ClosesAny |= Closes;
  }
  return Ret;
}

/// Does a child's code exit with a failure status somewhere (`_exit(1)`,
/// `exit(EXIT_FAILURE)`, abort()), itself or in a helper of this file it
/// calls (`die("open")` that ends in `_exit(2)`), up to three calls deep?
/// A child that always exits 0 says nothing with its status.
bool exitsWithFailure(const Stmt *S, ASTContext &Ctx, unsigned Depth = 0) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    std::string N = calleeName(CE);
    if (N == "abort")
      return true;
    if ((N == "exit" || N == "_exit" || N == "_Exit") && CE->getNumArgs() == 1) {
      Expr::EvalResult R;
      const Expr *Status = CE->getArg(0);
      if (Status->isValueDependent() || !Status->EvaluateAsInt(R, Ctx) ||
          R.Val.getInt() != 0)
        return true;
    }
    if (const FunctionDecl *Def =
            Depth < 3 ? userDefinition(ApiModel::calleeOf(CE), Ctx) : nullptr;
        Def && exitsWithFailure(Def->getBody(), Ctx, Depth + 1))
      return true;
  }
  for (const Stmt *C : S->children())
    if (exitsWithFailure(C, Ctx, Depth))
      return true;
  return false;
}

/// A return of the start routine \p Body with a value other than a null
/// pointer: a status its joiner can read (`return (void *)1;`).
const ReturnStmt *returnsStatus(const Stmt *S, ASTContext &Ctx) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return nullptr;
  if (const auto *Ret = dyn_cast<ReturnStmt>(S))
    return Ret->getRetValue() && !isNullPointer(Ret->getRetValue(), Ctx)
               ? Ret
               : nullptr;
  for (const Stmt *C : S->children())
    if (const ReturnStmt *R = returnsStatus(C, Ctx))
      return R;
  return nullptr;
}

/// The body of the function \p CE calls when it is a helper of this file
/// that returns nothing (a free function or a member function, not in a
/// system header, not one the API model knows): whatever happens inside,
/// its caller learns nothing from the call itself.
const Stmt *voidHelperBody(const CallExpr *CE, const ApiModel &Model,
                           ASTContext &Ctx) {
  const FunctionDecl *FD = ApiModel::calleeOf(CE);
  const FunctionDecl *Def =
      FD && !Model.lookup(FD) && FD->getReturnType()->isVoidType()
          ? userDefinition(FD, Ctx)
          : nullptr;
  if (!Def)
    return nullptr;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Def);
      MD && (MD->isVirtual() || MD->getParent()->isLambda()))
    return nullptr;
  return Def->getBody();
}

/// The first error path in \p S that only closes and returns: `if (<write
/// fails>) { close(fd); return; }`, or any `if (...) { close(fd); return; }`
/// (the writer's source failed). Also inside a helper of the file the
/// writer calls that returns nothing and publishes nothing
/// (`sink.send(fd, data)`, `copy_out(fd)`), up to three calls deep: its
/// silent return is the writer's.
const ReturnStmt *findSilentErrorPath(const Stmt *S, const ApiModel &Model,
                                      ASTContext &Ctx, unsigned Depth = 0,
                                      const CallExpr **Via = nullptr) {
  if (!S || isa<LambdaExpr>(S))
    return nullptr;
  bool Closes = false;
  if (const auto *If = dyn_cast<IfStmt>(S); If && If->getCond())
    if (const ReturnStmt *Ret = silentExit(If->getThen(), Model, Ctx, Closes);
        Ret && (Closes || containsWriteCall(If->getCond(), Model)))
      return Ret;
  if (const auto *CE = dyn_cast<CallExpr>(S); CE && Depth < 3)
    if (const Stmt *Body = voidHelperBody(CE, Model, Ctx);
        Body && !publishesState(Body, Body))
      if (const ReturnStmt *Ret =
              findSilentErrorPath(Body, Model, Ctx, Depth + 1)) {
        if (Via)
          *Via = CE;
        return Ret;
      }
  for (const Stmt *C : S->children())
    if (const ReturnStmt *Ret = findSilentErrorPath(C, Model, Ctx, Depth, Via))
      return Ret;
  return nullptr;
}
} // namespace

const VarDecl *
WriterErrorIgnoredCheck::unreadResultOf(const CallExpr *Join,
                                        const FunctionAnalysis &A) {
  auto [It, New] = UnreadResults.try_emplace(Join, nullptr);
  if (New)
    It->second = unreadJoinResult(Join, A.decl()->getBody());
  return It->second;
}

void WriterErrorIgnoredCheck::analyzeFunction(const FunctionAnalysis &A) {
  Reads.clear();
  Reported.clear();
  UnreadResults.clear();
  if (A.tasks().empty())
    return;
  // Candidate reads; whether a loop reads the whole stream is asked in
  // drainedBefore(), only for a read of a writer's pipe (its parent walk
  // builds the TU's parent map).
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || S.inForkChild() ||
        (C.ViaHelper && !C.ReadsToEof))
      return;
    if (auto R = A.subjectEnd(C, S))
      Reads.push_back({C.Call, *R, &S, C.ReadsToEof});
  });
  if (Reads.empty())
    return;
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    const TaskInfo &T = A.tasks()[Ev.Task];
    if (S.inForkChild() || Reported.count(Ev.At) ||
        S.taskStatus(Ev.Task) != TaskRunning)
      return;
    switch (T.Kind) {
    case TaskKind::ForkChild:
      if (Ev.K == TaskEvent::Join)
        checkDiscardedStatus(A, Ev, S);
      break;
    case TaskKind::AsyncFuture:
      if (Ev.K == TaskEvent::Destroy)
        checkFutureNeverGot(A, Ev, S);
      else
        checkFutureOnlyWaited(A, Ev, S);
      break;
    case TaskKind::StdThread:
    case TaskKind::BoostThread:
    case TaskKind::PThread:
      if (Ev.K == TaskEvent::Join && checkUnreadFailureFlag(A, Ev, S))
        break;
      if (Ev.K == TaskEvent::Join)
        checkSilentErrorPath(A, Ev, S);
      if (Ev.K == TaskEvent::Join && T.Kind == TaskKind::PThread &&
          !Reported.count(Ev.At))
        checkDiscardedThreadResult(A, Ev, S);
      break;
    case TaskKind::JThread:
      if (Ev.K == TaskEvent::Join && checkUnreadFailureFlag(A, Ev, S))
        break;
      checkSilentErrorPath(A, Ev, S);
      break;
    }
  });
}

const WriterErrorIgnoredCheck::EofRead *
WriterErrorIgnoredCheck::drainedBefore(const FunctionAnalysis &A, TaskId Id,
                                       SourceLocation Loc) const {
  const SourceManager &SM = A.context().getSourceManager();
  const TaskInfo &T = A.tasks()[Id];
  for (const EofRead &Rd : Reads) {
    if (!(Rd.State->taskStatus(Id) & TaskRunning) ||
        !SM.isBeforeInTranslationUnit(compat::callBegin(Rd.Call), Loc))
      continue;
    for (EndId W : T.Holds)
      if (A.readEndOf(W) == int(Rd.End) &&
          (Rd.ToEof || readsWholeStream(Rd.Call, A)))
        return &Rd;
  }
  return nullptr;
}

const WriterErrorIgnoredCheck::EofRead *
WriterErrorIgnoredCheck::drainedByWait(const FunctionAnalysis &A,
                                       const TaskEvent &Ev,
                                       const PathState &S) const {
  // A helper that reads the task's pipe to end-of-file and then waits for
  // it (`collect_export(&ex)`: read_rows(), close(), reap_child()): the
  // read is at the same call, and the join sees the end drained.
  const TaskInfo &T = A.tasks()[Ev.Task];
  for (const EofRead &Rd : Reads)
    if (Rd.Call == Ev.At && Rd.ToEof && (Rd.State->taskStatus(Ev.Task) &
                                         TaskRunning))
      for (EndId W : T.Holds)
        if (A.readEndOf(W) == int(Rd.End) && S.hasFlag(Rd.End, Drained))
          return &Rd;
  return nullptr;
}

void WriterErrorIgnoredCheck::noteReader(const FunctionAnalysis &A,
                                         const EofRead &Rd) {
  diag(compat::callBegin(Rd.Call),
       "'%0' is read to end-of-file here; a writer that failed part-way also "
       "ends the stream this way",
       DiagnosticIDs::Note)
      << A.nameOf(Rd.End, Rd.State);
  if (const Expr *Origin = A.ends()[Rd.End].Origin)
    diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
}

void WriterErrorIgnoredCheck::checkDiscardedStatus(const FunctionAnalysis &A,
                                                   const TaskEvent &Ev,
                                                   const PathState &S) {
  const TaskInfo &T = A.tasks()[Ev.Task];
  const auto *Wait = dyn_cast<CallExpr>(Ev.At);
  // The child must write the pipe, and have a status worth reading: a
  // program it execs, or code of ours that exits with a failure (through
  // a function its start helper was given: `body(p[1])`, Callbacks.h).
  CallbackScope Given(T.Callbacks);
  if (!Wait || (T.Outputs.empty() &&
                (T.MaxBytes == 0 || !exitsWithFailure(T.Body, A.context()))))
    return;
  std::string Name = calleeName(Wait);
  ASTContext &Ctx = A.context();
  // A helper that waits (its summary joins the child: `reap(&j)`): the
  // status is what the wait inside it does with it.
  const CallExpr *Inner = Wait;
  const FunctionDecl *In = nullptr;
  if (statusArgOf(Name) < 0)
    Inner = waitInside(ApiModel::calleeOf(Wait), Ctx, In);
  if (!Inner)
    return;
  const Stmt *Scope = In ? In->getBody() : A.decl()->getBody();
  const Expr *Status = callArg(Inner, statusArgOf(calleeName(Inner)));
  if (!Status)
    return;
  bool Discarded = isNullPointer(Status, Ctx);
  if (!Discarded) {
    // &status, never read afterwards.
    const auto *UO = dyn_cast<UnaryOperator>(Status->IgnoreParenImpCasts());
    const auto *DRE =
        UO && UO->getOpcode() == UO_AddrOf
            ? dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts())
            : nullptr;
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->isLocalVarDecl() || !Scope ||
        usedAfter(Scope, VD, Inner->getEndLoc(), Ctx.getSourceManager()))
      return;
  }
  const EofRead *Rd = drainedBefore(A, Ev.Task, Ev.Loc);
  if (!Rd)
    Rd = drainedByWait(A, Ev, S);
  if (!Rd)
    return;
  Reported.insert(Ev.At);
  std::string Child = describeTask(T);
  const SourceManager &SM = Ctx.getSourceManager();
  // A helper's wait that throws the status away is the helper's to fix:
  // reported there, once, with the call that shows it as a note.
  if (Inner != Wait && In &&
      SM.isWrittenInMainFile(SM.getExpansionLoc(Inner->getBeginLoc()))) {
    if (!ReportedInHelpers.insert(Inner).second)
      return;
    diag(SM.getFileLoc(Inner->getBeginLoc()),
         "%0() %select{discards|stores, but nothing reads,}1 the exit status "
         "of %2, which writes the pipe read from '%3': a child that fails "
         "part-way looks like one that finished, and the output read is used "
         "as if complete; have '%4' return the status, and check WIFEXITED() "
         "and WEXITSTATUS() of it where the output is used")
        << calleeName(Inner) << int(!Discarded) << Child
        << A.nameOf(Rd->End, Rd->State) << In->getName();
    diag(T.Origin->getBeginLoc(), "%0 starts here", DiagnosticIDs::Note)
        << Child;
    diag(Ev.Loc, "'%0' is called here and waits for %1", DiagnosticIDs::Note)
        << Name << Child;
    noteReader(A, *Rd);
    addBranchNote(S);
    return;
  }
  diag(Ev.Loc, "%0() %select{discards|stores, but nothing reads,}1 the exit "
               "status of %2, which writes the pipe read from '%3': a child "
               "that fails part-way looks like one that finished, and the "
               "output read is used as if complete; check WIFEXITED() and "
               "WEXITSTATUS() of the status")
      << Name << int(!Discarded) << Child << A.nameOf(Rd->End, Rd->State);
  diag(T.Origin->getBeginLoc(), "%0 starts here", DiagnosticIDs::Note) << Child;
  noteReader(A, *Rd);
  addBranchNote(S);
}

void WriterErrorIgnoredCheck::checkDiscardedThreadResult(
    const FunctionAnalysis &A, const TaskEvent &Ev, const PathState &S) {
  const TaskInfo &T = A.tasks()[Ev.Task];
  const auto *Join = dyn_cast_or_null<CallExpr>(Ev.At);
  // pthread_join(t, NULL), or pthread_join(t, &ret) with ret never read,
  // on a start routine that returns a status: the status is all the
  // reader could learn of a failure.
  if (!Join || !T.Body || T.Holds.empty() || publishesState(T.Body, T.Body))
    return;
  const VarDecl *Unread = nullptr;
  // A helper of the file that joins it (`job_wait(&j)`) and discards the
  // result itself.
  auto Op = classifyTaskOp(Join, &model());
  const bool ViaHelper = !(Op && Op->K == TaskOp::Join);
  if (!joinDiscardsResult(Join, model(), A.context(),
                          ViaHelper ? sharedSummaries(A.context()) : nullptr) &&
      (ViaHelper || !(Unread = unreadResultOf(Join, A))))
    return;
  const ReturnStmt *Ret = returnsStatus(T.Body, A.context());
  if (!Ret)
    return;
  const EofRead *Rd = drainedBefore(A, Ev.Task, Ev.Loc);
  if (!Rd)
    return;
  Reported.insert(Ev.At);
  std::string Writer =
      T.Runs ? "'" + T.Runs->getNameAsString() + "'" : std::string("the writer");
  if (Unread)
    diag(Ev.Loc, "pthread_join() stores what %0 returns, the only sign of its "
                 "failure, in '%2', which is never read: a writer that fails "
                 "part-way looks to the reader of '%1' like one that "
                 "finished, and the output read is used as if complete; "
                 "check '%2' after the join")
        << Writer << A.nameOf(Rd->End, Rd->State) << Unread->getName();
  else
    diag(Ev.Loc, "%select{pthread_join()|'%2', which joins it with "
                 "pthread_join(),}3 discards what %0 returns, the only sign "
                 "of its failure: a writer that fails part-way looks to the "
                 "reader of '%1' like one that finished, and the output read "
                 "is used as if complete; %select{|have '%2' }3pass a pointer "
                 "to pthread_join() and check the status it returns")
        << Writer << A.nameOf(Rd->End, Rd->State) << calleeName(Join)
        << int(ViaHelper);
  diag(T.Origin->getBeginLoc(), "the writer starts here", DiagnosticIDs::Note);
  diag(Ret->getBeginLoc(), "it returns a status here", DiagnosticIDs::Note);
  noteReader(A, *Rd);
  addBranchNote(S);
}

void WriterErrorIgnoredCheck::checkFutureNeverGot(const FunctionAnalysis &A,
                                                  const TaskEvent &Ev,
                                                  const PathState &S) {
  const TaskInfo &T = A.tasks()[Ev.Task];
  const EofRead *Rd = T.Handle ? drainedBefore(A, Ev.Task, Ev.Loc) : nullptr;
  if (!Rd)
    return;
  Reported.insert(Ev.At);
  std::string Fut = T.Handle->getNameAsString();
  diag(Ev.Loc, "the future '%0' of std::async is destroyed %select{here|at the "
               "end of its scope}2 without get(): if its task fails part-way "
               "(throws or returns an error), the reader of '%1' sees a clean "
               "end-of-file and uses the output as if complete; call "
               "'%0.get()' after reading to end-of-file")
      << Fut << A.nameOf(Rd->End, Rd->State) << Ev.ScopeEnd.isValid();
  diag(T.Origin->getBeginLoc(), "the task of '%0' starts here",
       DiagnosticIDs::Note)
      << Fut;
  noteReader(A, *Rd);
  addBranchNote(S);
}

/// Whether \p Body calls get() on the future \p Handle.
static bool callsGetOn(const Stmt *Body, const ValueDecl *Handle) {
  if (!Body)
    return false;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Body))
    if (const CXXMethodDecl *MD = MCE->getMethodDecl();
        MD && MD->getIdentifier() && MD->getName() == "get")
      if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
              MCE->getImplicitObjectArgument()
                  ? MCE->getImplicitObjectArgument()->IgnoreImpCasts()
                  : nullptr);
          DRE && DRE->getDecl() == Handle)
        return true;
  for (const Stmt *C : Body->children())
    if (callsGetOn(C, Handle))
      return true;
  return false;
}

void WriterErrorIgnoredCheck::checkFutureOnlyWaited(const FunctionAnalysis &A,
                                                    const TaskEvent &Ev,
                                                    const PathState &S) {
  // `f.wait()` waits for the task but neither gives its result nor
  // rethrows its exception: with no get() of the future anywhere in the
  // function, the task's failure is lost as when the future is dropped.
  const auto *MCE = dyn_cast_or_null<CXXMemberCallExpr>(Ev.At);
  const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
  const TaskInfo &T = A.tasks()[Ev.Task];
  if (!MD || !MD->getIdentifier() || MD->getName() != "wait" || !T.Handle ||
      callsGetOn(A.decl()->getBody(), T.Handle))
    return;
  const EofRead *Rd = drainedBefore(A, Ev.Task, Ev.Loc);
  if (!Rd)
    return;
  Reported.insert(Ev.At);
  // The future waited on: the handle, or the element of a container of
  // futures a range-for names (`for (auto &job : jobs) job.wait();`).
  std::string Fut = T.Handle->getNameAsString();
  bool InContainer = taskContainerKind(T.Handle->getType()).has_value();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(
          MCE->getImplicitObjectArgument()->IgnoreParenImpCasts()))
    Fut = DRE->getDecl()->getNameAsString();
  diag(Ev.Loc, "'%0.wait()' waits for the std::async task but neither "
               "returns its result nor rethrows its exception: if the task "
               "fails part-way, the reader of '%1' sees a clean end-of-file "
               "and uses the output as if complete; call '%0.get()' after "
               "reading to end-of-file")
      << Fut << A.nameOf(Rd->End, Rd->State);
  diag(T.Origin->getBeginLoc(),
       "%select{the task of '%0' starts|the tasks in '%0' start}1 here",
       DiagnosticIDs::Note)
      << T.Handle->getNameAsString() << int(InContainer);
  noteReader(A, *Rd);
  addBranchNote(S);
}

void WriterErrorIgnoredCheck::checkSilentErrorPath(const FunctionAnalysis &A,
                                                   const TaskEvent &Ev,
                                                   const PathState &S) {
  const TaskInfo &T = A.tasks()[Ev.Task];
  if (!T.Body || T.Holds.empty() || publishesState(T.Body, T.Body))
    return;
  // pthread_join(t, &ret) with ret read: the thread's return value is
  // where it may report.
  if (const auto *Join = dyn_cast_or_null<CallExpr>(Ev.At);
      Join && T.Kind == TaskKind::PThread &&
      !isNullPointer(callArg(Join, 1), A.context()) &&
      !unreadResultOf(Join, A))
    return;
  const CallExpr *Via = nullptr;
  const ReturnStmt *Ret =
      findSilentErrorPath(T.Body, model(), A.context(), 0, &Via);
  // A helper's error path is one defect however many readers start it.
  if (!Ret || Reported.count(Ret) || (Via && ReportedInHelpers.count(Ret)))
    return;
  const EofRead *Rd = drainedBefore(A, Ev.Task, Ev.Loc);
  if (!Rd)
    return;
  Reported.insert(Ret);
  if (Via)
    ReportedInHelpers.insert(Ret);
  Reported.insert(Ev.At);
  diag(Ret->getBeginLoc(),
       "the writer's error path only closes its end and returns, as its "
       "success path does: the reader of '%0' sees a clean end-of-file and "
       "cannot tell a failed write from a complete stream; record the failure "
       "where the reader checks it after the join (a status it returns or "
       "sets, an error marker in the stream)")
      << A.nameOf(Rd->End, Rd->State);
  diag(T.Origin->getBeginLoc(), "the writer starts here", DiagnosticIDs::Note);
  if (Via)
    diag(Via->getBeginLoc(),
         "the writer calls '%0' here, which returns nothing it could test",
         DiagnosticIDs::Note)
        << calleeName(Via);
  noteReader(A, *Rd);
  diag(Ev.Loc, "the writer is %select{joined|stopped and joined}0 here "
               "without learning how it ended",
       DiagnosticIDs::Note)
      << int(Ev.K == TaskEvent::Destroy);
  addBranchNote(S);
}

} // namespace clang::tidy::pipe
