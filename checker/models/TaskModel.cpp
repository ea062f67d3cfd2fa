//===--- TaskModel.cpp - what starts, joins, detaches and waits for a task ===//
#include "models/TaskModel.h"
#include "AstQueries.h"
#include "models/Callbacks.h"
#include "models/BoostPipeModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include <algorithm>
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::pipe {

namespace {
/// A record named \p Name in namespace std (any inline namespace) or boost.
bool isRecordIn(QualType T, llvm::StringRef Name, bool Boost) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != Name)
    return false;
  const DeclContext *DC = RD->getDeclContext();
  while (DC && DC->isInlineNamespace())
    DC = DC->getParent();
  const auto *NS = dyn_cast_or_null<NamespaceDecl>(DC);
  if (!NS || !NS->getIdentifier())
    return false;
  if (Boost)
    return NS->getName() == "boost" &&
           NS->getParent()->getRedeclContext()->isTranslationUnit();
  return NS->isStdNamespace();
}

bool isStopToken(QualType T) { return isRecordIn(T, "stop_token", false); }

bool isCFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  return FD && FD->getIdentifier() && FD->getName() == Name &&
         FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

/// `std::launch::async`, alone.
bool isLaunchAsync(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *EC = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
  if (!EC || EC->getName() != "async")
    return false;
  const auto *ED = dyn_cast<EnumDecl>(EC->getDeclContext());
  return ED && ED->getIdentifier() && ED->getName() == "launch";
}
} // namespace

namespace {
/// `std::optional<T>` made from a T (`return Ends{r, w};` in a function
/// returning std::optional<Ends>): the optional holds that object.
bool holdsArgument(const CXXConstructExpr *CCE) {
  QualType Value = optionalValueType(CCE->getType());
  if (Value.isNull())
    return false;
  QualType Arg = CCE->getArg(0)->getType().getNonReferenceType();
  return Arg.getCanonicalType().getUnqualifiedType() ==
         Value.getCanonicalType().getUnqualifiedType();
}
} // namespace

const Expr *returnedObject(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParens();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr();
    else if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
      E = ICE->getSubExpr();
    else if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E);
             FCE && FCE->getCastKind() == CK_NoOp)
      E = FCE->getSubExpr(); // `Ends{fds[0], fds[1]}`: the braces' object
    else if (const auto *CCE = dyn_cast<CXXConstructExpr>(E);
             CCE && CCE->getNumArgs() == 1 &&
             (CCE->getConstructor()->isCopyOrMoveConstructor() ||
              holdsArgument(CCE)))
      E = CCE->getArg(0);
    else
      break;
  }
  return E;
}

const Expr *returnedHandle(const ReturnStmt *RS, bool &Pid) {
  const Expr *RV = RS ? RS->getRetValue() : nullptr;
  Pid = false;
  if (!RV)
    return nullptr;
  Pid = RV->getType()->isIntegerType();
  if (Pid)
    return stripTemporary(RV);
  if (!taskHandleKind(RV->getType()))
    return nullptr;
  const Expr *Obj = returnedObject(RV);
  return Obj ? stripTemporary(Obj) : nullptr;
}

const Expr *stripTemporary(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (FD && FD->getIdentifier() && FD->getName() == "move" &&
          FD->isInStdNamespace() && CE->getNumArgs() == 1) {
        E = CE->getArg(0);
        continue;
      }
    }
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(E);
        CCE && CCE->getNumArgs() == 1 &&
        CCE->getConstructor()->isCopyOrMoveConstructor()) {
      E = CCE->getArg(0);
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    return E;
  }
  return E;
}

std::optional<TaskKind> taskHandleKind(QualType T) {
  if (isRecordIn(T, "thread", false))
    return TaskKind::StdThread;
  if (isRecordIn(T, "jthread", false))
    return TaskKind::JThread;
  if (isRecordIn(T, "future", false))
    return TaskKind::AsyncFuture;
  if (isRecordIn(T, "thread", true))
    return TaskKind::BoostThread;
  if (isBoostProcessChildType(T))
    return TaskKind::ForkChild;
  return std::nullopt;
}

std::optional<TaskKind> taskContainerKind(QualType T) {
  const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!TS || TS->getTemplateArgs().size() < 1 ||
      TS->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return std::nullopt;
  QualType Rec = T.getNonReferenceType();
  if (!isRecordIn(Rec, "vector", false) && !isRecordIn(Rec, "deque", false) &&
      !isRecordIn(Rec, "list", false))
    return std::nullopt;
  std::optional<TaskKind> K =
      taskHandleKind(TS->getTemplateArgs()[0].getAsType());
  if (K && *K == TaskKind::ForkChild)
    return std::nullopt; // bp::child: not followed in containers
  return K;
}

namespace {
/// Is \p T `pthread_t *`?
bool isPthreadPointer(QualType T) {
  if (!T->isPointerType())
    return false;
  const auto *TT = T->getPointeeType()->getAs<TypedefType>();
  return TT && TT->getDecl()->getName() == "pthread_t";
}

/// Can a value of type \p T be a thread routine: a function pointer or
/// reference, or a block?
bool isRoutineType(QualType T) {
  return T->isFunctionPointerType() || T->isFunctionReferenceType() ||
         T->isBlockPointerType();
}

/// A call of a ThreadStartFunctions entry or a recognised pthread_create()
/// wrapper: which arguments are the function, its argument and the handle.
std::optional<TaskStart> modelledThreadStart(const CallExpr *CE,
                                             const ApiModel &Model) {
  const FunctionDecl *FD = ApiModel::calleeOf(CE);
  const ApiFunction *Api = Model.lookup(FD);
  if (!Api || Api->Role != ApiRole::ThreadStart)
    return std::nullopt;
  int Fn = Api->Arg, Arg = Api->Arg2, Handle = Api->Out;
  unsigned N = std::min(CE->getNumArgs(), FD->getNumParams());
  // By default: the first function pointer parameter, the one after it,
  // and a pthread_t * parameter (else the handle is returned, or none).
  if (Fn < 0)
    for (unsigned I = 0; I < N; ++I)
      if (isRoutineType(FD->getParamDecl(I)->getType())) {
        Fn = int(I);
        break;
      }
  if (Fn < 0 || unsigned(Fn) >= CE->getNumArgs())
    return std::nullopt;
  if (Arg == -1 && unsigned(Fn) + 1 < CE->getNumArgs())
    Arg = Fn + 1;
  if (Handle < 0)
    for (unsigned I = 0; I < N; ++I)
      if (isPthreadPointer(FD->getParamDecl(I)->getType())) {
        Handle = int(I);
        break;
      }
  TaskStart T(TaskKind::PThread);
  T.Callable = CE->getArg(unsigned(Fn));
  if (Arg >= 0 && unsigned(Arg) < CE->getNumArgs())
    T.Args.push_back(CE->getArg(unsigned(Arg)));
  if (Handle >= 0 && unsigned(Handle) < CE->getNumArgs())
    T.HandleArg = CE->getArg(unsigned(Handle));
  T.Result = startResultOf(FD);
  return T;
}
} // namespace

std::optional<TaskStart> classifyTaskStart(const Stmt *S,
                                           const ApiModel *Model) {
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
    if (CCE->getNumArgs() == 0 ||
        CCE->getConstructor()->isCopyOrMoveConstructor())
      return std::nullopt;
    auto K = taskHandleKind(CCE->getType());
    if (!K || *K == TaskKind::AsyncFuture)
      return std::nullopt;
    TaskStart T(*K);
    T.Callable = CCE->getArg(0);
    for (unsigned I = 1; I < CCE->getNumArgs(); ++I)
      if (!isa<CXXDefaultArgExpr>(CCE->getArg(I)))
        T.Args.push_back(CCE->getArg(I));
    return T;
  }
  const auto *CE = dyn_cast<CallExpr>(S);
  if (!CE)
    return std::nullopt;
  // `workers.emplace_back(fn, args...)` into a container of threads: a
  // thread constructed in place (not one moved in: its start is its own).
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    std::optional<TaskKind> K =
        MD && MD->getIdentifier() &&
                (MD->getName() == "emplace_back" ||
                 MD->getName() == "emplace_front")
            ? taskContainerKind(MCE->getImplicitObjectArgument()->getType())
            : std::nullopt;
    if (!K || *K == TaskKind::AsyncFuture || MCE->getNumArgs() < 1 ||
        taskHandleKind(MCE->getArg(0)->getType()))
      return std::nullopt;
    TaskStart T(*K);
    T.Callable = MCE->getArg(0);
    for (unsigned I = 1; I < MCE->getNumArgs(); ++I)
      T.Args.push_back(MCE->getArg(I));
    return T;
  }
  if (Model)
    if (auto T = modelledThreadStart(CE, *Model))
      return T;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return std::nullopt;
  if (FD->getName() == "async" && FD->isInStdNamespace() &&
      CE->getNumArgs() >= 2 && isLaunchAsync(CE->getArg(0))) {
    TaskStart T(TaskKind::AsyncFuture);
    T.Callable = CE->getArg(1);
    for (unsigned I = 2; I < CE->getNumArgs(); ++I)
      T.Args.push_back(CE->getArg(I));
    return T;
  }
  if (isCFunction(FD, "pthread_create") && CE->getNumArgs() == 4) {
    TaskStart T(TaskKind::PThread);
    T.Callable = CE->getArg(2);
    T.Args.push_back(CE->getArg(3));
    T.HandleArg = CE->getArg(0);
    return T;
  }
  return std::nullopt;
}

namespace {
const VarDecl *refVarOf(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
          E ? E->IgnoreParenImpCasts() : nullptr))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// Does \p S, part of a loop body, leave the loop anywhere other than
/// under a test that mentions \p R (null: anywhere at all)? \p Guarded:
/// inside such a test; \p Nested: inside an inner loop or switch.
bool leavesOtherwise(const Stmt *S, const VarDecl *R, bool Guarded,
                     bool Nested, bool &Leaves) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return false;
  if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(S) ||
      (isa<BreakStmt>(S) && !Nested)) {
    Leaves = true;
    return !Guarded;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    bool G = Guarded || (R && mentionsVar(If->getCond(), R));
    return leavesOtherwise(If->getThen(), R, G, Nested, Leaves) ||
           leavesOtherwise(If->getElse(), R, G, Nested, Leaves);
  }
  bool Inner = Nested || isa<WhileStmt, ForStmt, DoStmt, CXXForRangeStmt,
                             SwitchStmt>(S);
  for (const Stmt *C : S->children())
    if (leavesOtherwise(C, R, Guarded, Inner, Leaves))
      return true;
  return false;
}

/// `while (waitpid(pid, &st, WNOHANG) == 0) sleep(1);` and
/// `for (;;) { r = waitpid(pid, &st, WNOHANG); if (r != 0) break; ... }`:
/// a loop around the non-blocking wait \p CE whose only way out is what
/// the wait returns, that is the child's exit (or an error). It waits as
/// long as a blocking waitpid().
bool pollsUntilExit(const CallExpr *CE, ASTContext &Ctx, ParentLookup ParentOf) {
  const Stmt *Cur = CE;
  const VarDecl *Result = nullptr;
  for (unsigned Guard = 0; Guard < 32; ++Guard) {
    const Stmt *P = ParentOf(Cur);
    if (!P || isa<LambdaExpr, BlockExpr>(P))
      return false;
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      // `pid_t r = waitpid(...)`
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->getInit() == Cur && !Result)
          Result = VD;
      Cur = P;
      continue;
    }
    if (const auto *A = dyn_cast<BinaryOperator>(P);
        A && A->getOpcode() == BO_Assign && !Result)
      Result = refVarOf(A->getLHS());
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
    } else if (isa<CXXForRangeStmt>(P)) {
      return false;
    }
    if (!Body) {
      Cur = P;
      continue;
    }
    bool Leaves = false;
    const Stmt *From = Cur;
    if (Cond && From == Cond) {
      // The wait is the loop's condition: `while (waitpid(...) == 0)`,
      // with nothing else that ends it.
      if (const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
          BO && BO->isLogicalOp())
        return false;
      return !leavesOtherwise(Body, nullptr, false, false, Leaves);
    }
    if (!Result)
      return false;
    if (Cond) {
      // `do { r = waitpid(...); } while (r == 0);`, or a loop that never
      // ends on its own.
      bool Value = false;
      bool Forever = !Cond->isValueDependent() &&
                     Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
      const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
      bool OnResult = mentionsVar(Cond, Result) && !(BO && BO->isLogicalOp());
      if (!Forever && !OnResult)
        return false;
      if (OnResult)
        return !leavesOtherwise(Body, Result, false, false, Leaves);
    }
    return !leavesOtherwise(Body, Result, false, false, Leaves) && Leaves;
  }
  return false;
}
} // namespace

std::optional<TaskOp> classifyTaskOp(const CallExpr *CE,
                                     const ApiModel *Model,
                                     ParentLookup ParentOf) {
  if (Model)
    if (const ApiFunction *Api = Model->lookup(ApiModel::calleeOf(CE));
        Api && Api->Role == ApiRole::Wait) {
      if (Api->Arg < 0 || unsigned(Api->Arg) >= CE->getNumArgs())
        return std::nullopt;
      // wait_child(-1), like waitpid(-1, ...): any child.
      const Expr *Pid = CE->getArg(unsigned(Api->Arg));
      Expr::EvalResult R;
      if (!Pid->isValueDependent() && Pid->getType()->isSignedIntegerType() &&
          Pid->EvaluateAsInt(R, ApiModel::calleeOf(CE)->getASTContext()) &&
          R.Val.getInt().getExtValue() <= 0)
        return TaskOp{TaskOp::WaitAnyChild, nullptr};
      return TaskOp{TaskOp::Join, Pid};
    }
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return std::nullopt;
  llvm::StringRef N = FD->getName();
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    const Expr *Obj = MCE->getImplicitObjectArgument();
    if (!Obj)
      return std::nullopt;
    // f.wait() is std::__basic_future's: look through the base conversion.
    auto K = taskHandleKind(Obj->IgnoreImpCasts()->getType());
    if (!K)
      return std::nullopt;
    Obj = Obj->IgnoreImpCasts();
    if (*K == TaskKind::AsyncFuture) {
      if (N == "get" || N == "wait")
        return TaskOp{TaskOp::Join, Obj};
      // valid() only asks; wait_for() and wait_until() give up in time.
      if (N == "valid" || N == "wait_for" || N == "wait_until")
        return TaskOp{TaskOp::Probe, nullptr};
      return std::nullopt;
    }
    if (*K == TaskKind::ForkChild) {
      // bp::child: wait() and join() wait; wait_for() and wait_until()
      // give up in time; running() and exit_code() only ask.
      if (N == "wait" || N == "join")
        return TaskOp{TaskOp::Join, Obj};
      if (N == "detach")
        return TaskOp{TaskOp::Detach, Obj};
      if (N == "running" || N == "exit_code" || N == "native_exit_code" ||
          N == "id" || N == "valid" || N == "joinable" || N == "wait_for" ||
          N == "wait_until")
        return TaskOp{TaskOp::Probe, nullptr};
      return std::nullopt;
    }
    if (N == "join")
      return TaskOp{TaskOp::Join, Obj};
    if (N == "detach")
      return TaskOp{TaskOp::Detach, Obj};
    if (N == "request_stop")
      return TaskOp{TaskOp::RequestStop, Obj};
    // `if (t.joinable()) t.join();`: asking gives nothing away.
    if (N == "joinable" || N == "get_id" || N == "get_stop_token")
      return TaskOp{TaskOp::Probe, nullptr};
    return std::nullopt;
  }
  if (!FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return std::nullopt;
  if ((N == "pthread_join" || N == "pthread_detach") && CE->getNumArgs() >= 1)
    return TaskOp{N == "pthread_join" ? TaskOp::Join : TaskOp::Detach,
                  CE->getArg(0)};
  // waitpid(pid, &st, WNOHANG) only asks: it waits for nothing.
  int OptionsArg = N == "wait3" ? 1 : (N == "waitpid" || N == "wait4") ? 2 : -1;
  if (OptionsArg >= 0 && unsigned(OptionsArg) < CE->getNumArgs()) {
    Expr::EvalResult R;
    const Expr *Options = CE->getArg(unsigned(OptionsArg));
    if (!Options->isValueDependent() &&
        Options->EvaluateAsInt(R, FD->getASTContext()) &&
        (R.Val.getInt().getExtValue() & 1 /* WNOHANG */)) {
      // Polled in a loop that only the child's exit ends: a wait.
      if (N == "waitpid" && CE->getNumArgs() >= 1 && ParentOf &&
          pollsUntilExit(CE, FD->getASTContext(), ParentOf))
        return TaskOp{TaskOp::Join, CE->getArg(0)};
      return TaskOp{TaskOp::Probe, nullptr};
    }
  }
  if (N == "wait" || N == "wait3")
    return TaskOp{TaskOp::WaitAnyChild, nullptr};
  if ((N == "waitpid" || N == "wait4") && CE->getNumArgs() >= 1) {
    Expr::EvalResult R;
    const Expr *Pid = CE->getArg(0);
    if (!Pid->isValueDependent() && Pid->EvaluateAsInt(R, FD->getASTContext()) &&
        R.Val.getInt().getExtValue() <= 0)
      return TaskOp{TaskOp::WaitAnyChild, nullptr};
    return TaskOp{TaskOp::Join, Pid};
  }
  return std::nullopt;
}

TaskCallable resolveCallable(const TaskStart &Start) {
  TaskCallable C;
  const Expr *E = stripTemporary(Start.Callable);
  if (const auto *LE = dyn_cast_or_null<LambdaExpr>(E)) {
    C.Lambda = LE;
    C.Fn = LE->getCallOperator();
    C.Body = LE->getBody();
  } else if (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    const FunctionDecl *Named = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      Named = dyn_cast<FunctionDecl>(DRE->getDecl());
      // A routine parameter bound at the call being summarised
      // (`start(&t, fn, arg)` given a function of this file: Callbacks.h).
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        Named = boundCallback(P);
    }
    if (Named)
      if (const FunctionDecl *FD = Named) {
        const FunctionDecl *Def = nullptr;
        if (FD->hasBody(Def)) {
          C.Fn = Def;
          C.Body = Def->getBody();
        }
        if (isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic())
          C.ParamBase = 1;
      }
  }
  if (C.Fn && C.Fn->getNumParams() > 0 &&
      isStopToken(C.Fn->getParamDecl(0)->getType())) {
    C.StopAware = true;
    if (Start.Kind == TaskKind::JThread)
      C.ParamBase = -1;
  }
  return C;
}

} // namespace clang::tidy::pipe
