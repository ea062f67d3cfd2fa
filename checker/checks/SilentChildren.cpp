//===--- SilentChildren.cpp - fork() children that write nothing ---------===//
//
// A fork() child of the analysed function is silent towards a pipe when
// the code it runs is all seen and none of it can reach the pipe:
//
//  - what it runs is the `if (pid == 0) { ... }` branch (TaskInfo::Body),
//    entered right after the fork(): between the statement of the fork()
//    and that `if` there are only failure tests of the pid (`if (pid < 0)`,
//    whose body the child never runs) and code that passes the test below;
//  - the branch ends in a call that does not return (`_exit(0)`), and has no
//    `return`, `goto`, `throw`, nor a `break` or `continue` out of it: the
//    child never runs the parent's code after it;
//  - every call in it is one the model knows to be harmless here (close(),
//    a read, a function that does not return, fileno(), a borrowing call
//    given no local variable, a write to a standard stream or to 0, 1 or
//    2, printf(), puts(), perror(), an element access of a library
//    container), or a system function given no local variable that may
//    hold a descriptor (an integer, a pointer to one, a struct); a helper of the program, a call through a pointer, an exec,
//    a spawn, a dup, a fork, any other write, or a lambda: not silent;
//  - on the child's paths, the engine records no write, copy, exec, spawn,
//    shell or fork.
//
// The caller makes sure no standard stream is a copy of the write end
// (FdCopies.cpp): a write to fd 1 would then be a write to the pipe.
//
//===----------------------------------------------------------------------===//
#include "checks/SilentChildren.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::pipe {

namespace {

bool isStdStream(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->getIdentifier() && VD->hasGlobalStorage() &&
         (VD->getName() == "stdout" || VD->getName() == "stderr" ||
          VD->getName() == "stdin");
}

/// A type a descriptor may be kept in: an integer, a pointer to or array
/// of one, a struct, or a pointer to one.
bool mayCarryDescriptor(QualType T) {
  T = T.getCanonicalType().getNonReferenceType();
  while (T->isPointerType() || T->isArrayType())
    T = T->isPointerType() ? T->getPointeeType()
                           : QualType(T->getArrayElementTypeNoTypeQual(), 0);
  T = T.getCanonicalType();
  if (T->isCharType())
    return false;
  return T->isIntegralOrEnumerationType() || T->isRecordType() ||
         T->isVoidType();
}

/// Does \p E name a local variable, parameter or member that may hold a
/// descriptor?
bool namesLocalDescriptor(const Stmt *E) {
  if (!E)
    return false;
  if (isa<CXXThisExpr>(E))
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DRE->getDecl();
    if (isa<BindingDecl>(D))
      return true;
    if (const auto *VD = dyn_cast<VarDecl>(D))
      return !VD->hasGlobalStorage() && mayCarryDescriptor(VD->getType());
    return false;
  }
  if (isa<LambdaExpr>(E) || isa<BlockExpr>(E))
    return true;
  for (const Stmt *C : E->children())
    if (namesLocalDescriptor(C))
      return true;
  return false;
}

bool anyArgNamesLocal(const CallExpr *CE) {
  for (const Expr *A : CE->arguments())
    if (namesLocalDescriptor(A))
      return true;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
    return namesLocalDescriptor(MCE->getImplicitObjectArgument());
  return false;
}

/// printf() and friends: they write to standard output or error only.
bool writesOnlyStdStreams(llvm::StringRef N) {
  return N == "printf" || N == "vprintf" || N == "puts" || N == "putchar" ||
         N == "perror";
}

class CodeWalk {
public:
  CodeWalk(const ApiModel &Model, const SourceManager &SM)
      : Model(Model), SM(SM) {}
  /// For code that may run with standard output made a copy of the pipe
  /// (a child that dup2()ed the write end to 1 and failed to exec): only
  /// standard error is harmless, and a helper of the program is harmless
  /// when its body (two calls deep) is.
  CodeWalk(const ApiModel &Model, const SourceManager &SM, bool StdoutIsPipe,
           unsigned HelperDepth)
      : Model(Model), SM(SM), StdoutIsPipe(StdoutIsPipe),
        HelperDepth(HelperDepth) {}

  /// True when \p S cannot write to a pipe this function made and cannot
  /// leave the child's code.
  bool silent(const Stmt *S, unsigned LoopDepth = 0) {
    if (!S)
      return true;
    if (isa<ReturnStmt>(S) && !Helper)
      return false; // in a helper's body, a return goes back to the child
    if (isa<GotoStmt, IndirectGotoStmt, CXXThrowExpr, CoreturnStmt,
            LambdaExpr, BlockExpr, CXXTryStmt>(S))
      return false;
    if (isa<BreakStmt, ContinueStmt>(S) && LoopDepth == 0)
      return false;
    if (const auto *CE = dyn_cast<CallExpr>(S); CE && !callSilent(CE))
      return false;
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
      const CXXConstructorDecl *Ctor = CCE->getConstructor();
      if (!Ctor->isTrivial() && !SM.isInSystemHeader(Ctor->getLocation()))
        return false;
      for (const Expr *A : CCE->arguments())
        if (namesLocalDescriptor(A))
          return false;
    }
    unsigned Depth = LoopDepth +
                     (isa<ForStmt, WhileStmt, DoStmt, SwitchStmt,
                          CXXForRangeStmt>(S)
                          ? 1
                          : 0);
    for (const Stmt *C : S->children())
      if (!silent(C, Depth))
        return false;
    return true;
  }

private:
  bool callSilent(const CallExpr *CE) {
    const FunctionDecl *Callee = ApiModel::calleeOf(CE);
    if (!Callee)
      return false;
    // va_start(), __builtin_expect(): no descriptor is reached.
    if (Callee->getBuiltinID() && !Model.lookup(Callee))
      return true;
    if (StdoutIsPipe && Callee->getIdentifier() &&
        writesOnlyStdStreams(Callee->getName()))
      return Callee->getName() == "perror";
    if (const ApiFunction *Api = Model.lookup(Callee)) {
      if (Api->Wrapper)
        return false;
      const Expr *Arg = Api->Arg >= 0 && unsigned(Api->Arg) < CE->getNumArgs()
                            ? CE->getArg(unsigned(Api->Arg))
                            : nullptr;
      switch (Api->Role) {
      case ApiRole::Close:
      case ApiRole::Read:
      case ApiRole::NoReturn:
      case ApiRole::Fileno:
        return true;
      case ApiRole::Borrow:
        return !anyArgNamesLocal(CE);
      case ApiRole::Write: {
        if (!Arg)
          return false;
        if (Api->Stream)
          return isStdStream(Arg) && (!StdoutIsPipe || isStderr(Arg));
        Expr::EvalResult R;
        return Arg->EvaluateAsInt(R, Callee->getASTContext()) &&
               R.Val.isInt() &&
               R.Val.getInt().getSExtValue() >= (StdoutIsPipe ? 2 : 0) &&
               R.Val.getInt().getSExtValue() <= 2;
      }
      default:
        return false;
      }
    }
    if (!SM.isInSystemHeader(Callee->getLocation())) {
      // A helper of the program, or one it declares: harmless only when
      // its body is seen and harmless, and it is given no descriptor.
      const FunctionDecl *Def = Callee->getDefinition();
      if (!HelperDepth || !Def || !Def->getBody() || anyArgNamesLocal(CE))
        return false;
      CodeWalk Inner(Model, SM, StdoutIsPipe, HelperDepth - 1);
      Inner.Helper = true;
      return Inner.silent(Def->getBody());
    }
    if (const FunctionDecl *Def = Callee->getDefinition();
        Def && !SM.isInSystemHeader(Def->getLocation()))
      return false;
    if (Callee->getIdentifier() && writesOnlyStdStreams(Callee->getName()))
      return true;
    // `fds[1]`, `fds.data()` of a std::array: an element, not an action
    // (the arguments are walked on their own).
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
      if (MD->getOverloadedOperator() == OO_Subscript ||
          (MD->getIdentifier() &&
           (MD->getName() == "data" || MD->getName() == "at" ||
            MD->getName() == "size")))
        return true;
    return !anyArgNamesLocal(CE);
  }

  static bool isStderr(const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl()->getName() == "stderr";
  }

  const ApiModel &Model;
  const SourceManager &SM;
  bool StdoutIsPipe = false;
  unsigned HelperDepth = 0;
  bool Helper = false;
};

/// The last statement of \p S, when it is a call that does not return.
bool endsInCallThatNeverReturns(const Stmt *S, const ApiModel &Model) {
  while (const auto *CS = dyn_cast_or_null<CompoundStmt>(S)) {
    const Stmt *Last = nullptr;
    for (const Stmt *C : CS->body())
      if (!isa<NullStmt>(C))
        Last = C;
    S = Last;
  }
  const auto *CE = dyn_cast_or_null<CallExpr>(S);
  if (!CE)
    return false;
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee)
    return false;
  if (Callee->isNoReturn())
    return true;
  const ApiFunction *Api = Model.lookup(Callee);
  return Api && Api->Role == ApiRole::NoReturn;
}

bool contains(const Stmt *Outer, const Stmt *Inner) {
  if (Outer == Inner)
    return true;
  if (!Outer)
    return false;
  for (const Stmt *C : Outer->children())
    if (contains(C, Inner))
      return true;
  return false;
}

/// `pid < 0`, `pid == -1`, `pid <= -1`, `(pid = fork()) < 0`: true only
/// where fork() failed, never in the child.
bool isFailureTest(const Expr *Cond) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!BO)
    return false;
  Expr::EvalResult R;
  const Expr *RHS = BO->getRHS()->IgnoreParenImpCasts();
  // A literal on the right; the left is the pid (tested by the caller's
  // context: this is the statement of the fork or an `if` after it).
  if (!isa<IntegerLiteral, UnaryOperator>(RHS))
    return false;
  const auto *UO = dyn_cast<UnaryOperator>(RHS);
  if (UO && (UO->getOpcode() != UO_Minus ||
             !isa<IntegerLiteral>(UO->getSubExpr()->IgnoreParenImpCasts())))
    return false;
  int64_t V = UO ? -int64_t(cast<IntegerLiteral>(
                                UO->getSubExpr()->IgnoreParenImpCasts())
                                ->getValue()
                                .getZExtValue())
                 : int64_t(cast<IntegerLiteral>(RHS)->getValue().getZExtValue());
  switch (BO->getOpcode()) {
  case BO_LT:
    return V == 0;
  case BO_LE:
  case BO_EQ:
    return V == -1;
  default:
    return false;
  }
}

/// Is \p S a plain `pid = fork();` or `pid_t pid = fork();`, or an `if`
/// that only tests for failure (and has no else)?
bool forkStatementIsPlain(const Stmt *S, const Stmt *Fork) {
  if (const auto *E = dyn_cast<Expr>(S)) {
    E = E->IgnoreParenImpCasts();
    if (E == Fork)
      return true;
    const auto *BO = dyn_cast<BinaryOperator>(E);
    return BO && BO->getOpcode() == BO_Assign &&
           BO->getRHS()->IgnoreParenImpCasts() == Fork;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    const auto *VD =
        DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl()) : nullptr;
    return VD && VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == Fork;
  }
  if (const auto *If = dyn_cast<IfStmt>(S))
    return !If->getElse() && !If->getInit() && !If->getConditionVariable() &&
           If->getCond() && isFailureTest(If->getCond());
  return false;
}

/// Calls \p F with every fork(), spawn or shell call that saw one of
/// \p Writers open on some path: each may have given another process a
/// copy of it.
template <typename Fn>
void forEachStartHolding(const FunctionAnalysis &A,
                         llvm::ArrayRef<EndId> Writers, Fn &&F) {
  A.forEachCall([&](const CallSite &C, const PathState &At) {
    if (C.Api->Role != ApiRole::Fork && C.Api->Role != ApiRole::Spawn &&
        C.Api->Role != ApiRole::Shell)
      return;
    if (llvm::any_of(Writers, [&](EndId E) { return At.status(E) & Open; }))
      F(C);
  });
}

class SilentChildJudge {
public:
  SilentChildJudge(const FunctionAnalysis &A, const ApiModel &Model)
      : A(A), Model(Model) {}

  bool silent(TaskId T) {
    auto [It, New] = Cache.try_emplace(T, false);
    if (New)
      It->second = compute(T);
    return It->second;
  }

private:
  bool compute(TaskId Id) {
    const TaskInfo &T = A.tasks()[Id];
    if (T.Kind != TaskKind::ForkChild || T.Spawned || T.FromCaller ||
        !T.Body || !T.Origin)
      return false;
    const SourceManager &SM = A.context().getSourceManager();
    CodeWalk Walk(Model, SM);
    if (!endsInCallThatNeverReturns(T.Body, Model) || !Walk.silent(T.Body))
      return false;
    const auto *If = dyn_cast_or_null<IfStmt>(A.parentOf(T.Body));
    if (!If || If->getThen() != T.Body || If->getInit() ||
        If->getConditionVariable())
      return false;
    if (!contains(If->getCond(), T.Origin)) {
      // The statements between the fork() and the `if`: in one block.
      const Stmt *IfAt = If, *ForkAt = T.Origin;
      const auto *Block = dyn_cast_or_null<CompoundStmt>(A.parentOf(If));
      if (!Block)
        return false;
      while (ForkAt && A.parentOf(ForkAt) != Block)
        ForkAt = A.parentOf(ForkAt);
      if (!ForkAt || !forkStatementIsPlain(ForkAt, T.Origin))
        return false;
      bool Between = false;
      for (const Stmt *S : Block->body()) {
        if (S == IfAt)
          break;
        if (Between) {
          const auto *Test = dyn_cast<IfStmt>(S);
          bool FailureOnly = Test && !Test->getElse() && !Test->getInit() &&
                             !Test->getConditionVariable() &&
                             Test->getCond() && isFailureTest(Test->getCond()) &&
                             Walk.silent(Test->getCond());
          if (!FailureOnly && !Walk.silent(S))
            return false;
        }
        if (S == ForkAt)
          Between = true;
      }
      if (!Between)
        return false;
    }
    // What the engine saw on the child's paths.
    bool Writes = false;
    A.forEachCall([&](const CallSite &C, const PathState &S) {
      if (Writes || S.childTask() != std::optional<TaskId>(Id))
        return;
      switch (C.Api->Role) {
      case ApiRole::Write:
      case ApiRole::Copy:
      case ApiRole::Exec:
      case ApiRole::Spawn:
      case ApiRole::Shell:
      case ApiRole::Fork:
        Writes = true;
        break;
      default:
        break;
      }
    });
    return !Writes;
  }

  const FunctionAnalysis &A;
  const ApiModel &Model;
  llvm::DenseMap<TaskId, bool> Cache;
};

} // namespace

std::optional<llvm::SmallVector<TaskId, 1>>
silentChildHolders(const FunctionAnalysis &A, const PathState &S,
                   llvm::ArrayRef<EndId> Writers, const ApiModel &Model) {
  for (const PathState::FdCopy &C : S.fdCopies())
    if (llvm::is_contained(Writers, C.E))
      return std::nullopt;
  SilentChildJudge Judge(A, Model);
  // Every call that may have given another process a copy of a write end
  // (on any path) must be the fork() of a silent child.
  bool Unsure = false;
  forEachStartHolding(A, Writers, [&](const CallSite &C) {
    if (Unsure)
      return;
    bool Known = false;
    for (TaskId T = 0; T < A.tasks().size(); ++T)
      if (A.tasks()[T].Origin == C.Call)
        Known = Judge.silent(T);
    Unsure |= !Known;
  });
  if (Unsure)
    return std::nullopt;
  // A thread of this process given a write end (by value: UsedByTask)
  // may write to it.
  for (EndId E : Writers)
    if (S.hasFlag(E, UsedByTask))
      return std::nullopt;
  llvm::SmallVector<TaskId, 1> Children;
  S.forEachTask([&](TaskId T) {
    const TaskInfo &Info = A.tasks()[T];
    if (S.taskStatus(T) == TaskNotStarted ||
        llvm::none_of(Info.Holds, [&](EndId E) {
          return llvm::is_contained(Writers, E);
        }))
      return;
    if (Info.Kind == TaskKind::ForkChild && Judge.silent(T))
      Children.push_back(T);
    else
      Unsure = true;
  });
  if (Unsure || Children.empty())
    return std::nullopt;
  return Children;
}

namespace {
/// The call that ends fork() child \p Id without a write to any pipe when
/// its exec fails: `execv(...); perror("x"); _exit(127);`, the exec a
/// statement of a block whose remaining statements write to standard
/// error at most and end in a call that does not return. Null when there
/// is none, or the child is not one whose code is seen.
const CallExpr *execFailureExit(const FunctionAnalysis &A, TaskId Id,
                                const ApiModel &Model) {
  const TaskInfo &T = A.tasks()[Id];
  if (T.Kind != TaskKind::ForkChild || T.Spawned || T.FromCaller || !T.Body)
    return nullptr;
  CodeWalk Walk(Model, A.context().getSourceManager(), /*StdoutIsPipe=*/true,
                /*HelperDepth=*/2);
  auto IsExec = [&](const Stmt *S) {
    const auto *E = dyn_cast_or_null<Expr>(S);
    const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
    const ApiFunction *Api = CE ? Model.lookup(ApiModel::calleeOf(CE)) : nullptr;
    return Api && Api->Role == ApiRole::Exec;
  };
  llvm::SmallVector<const Stmt *, 16> Stack{T.Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr, BlockExpr>(S))
      continue;
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      llvm::SmallVector<const Stmt *, 8> Body(CS->body_begin(),
                                              CS->body_end());
      for (size_t I = 0; I < Body.size(); ++I) {
        if (!IsExec(Body[I]))
          continue;
        const Stmt *Last = nullptr;
        bool Silent = true;
        for (size_t J = I + 1; J < Body.size() && Silent; ++J)
          if (!isa<NullStmt>(Body[J])) {
            Last = Body[J];
            Silent = Walk.silent(Body[J]);
          }
        if (Silent && Last && endsInCallThatNeverReturns(Last, Model))
          return dyn_cast<CallExpr>(Last);
      }
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return nullptr;
}
} // namespace

std::optional<ExecFailureHolder>
execFailureHolder(const FunctionAnalysis &A, const PathState &S,
                  llvm::ArrayRef<EndId> Writers, const ApiModel &Model) {
  for (const PathState::FdCopy &C : S.fdCopies())
    if (llvm::is_contained(Writers, C.E))
      return std::nullopt;
  for (EndId E : Writers)
    if (S.hasFlag(E, UsedByTask))
      return std::nullopt;
  // Every call that may have given another process a copy of a write end
  // (on any path) must be the fork() of this one child.
  std::optional<ExecFailureHolder> Found;
  bool Unsure = false;
  S.forEachTask([&](TaskId T) {
    const TaskInfo &Info = A.tasks()[T];
    if (S.taskStatus(T) == TaskNotStarted ||
        llvm::none_of(Info.Holds, [&](EndId E) {
          return llvm::is_contained(Writers, E);
        }))
      return;
    const CallExpr *Exit = Found ? nullptr : execFailureExit(A, T, Model);
    if (!Exit)
      Unsure = true;
    else
      Found = ExecFailureHolder{T, Exit};
  });
  if (Unsure || !Found)
    return std::nullopt;
  forEachStartHolding(A, Writers, [&](const CallSite &C) {
    Unsure |= A.tasks()[Found->Child].Origin != C.Call;
  });
  if (Unsure)
    return std::nullopt;
  return Found;
}

} // namespace clang::tidy::pipe
