//===--- ForkChildBranches.cpp - the code a fork() child runs ------------===//
//
// What a fork() child of the analysed function runs (TaskInfo::Body): the
// branch its pid is tested to be 0 in, `if (pid == 0) { ... }`,
// `if (!(pid = fork())) { ... }`, `if (cp->pid == 0)` after
// `cp->pid = fork()`, or the `case 0:` of `switch (fork())` /
// `switch (pid)` when that case is a block of its own; or, after a test of
// the parent's side whose branch always leaves (`if (pid != 0) return
// pid;`, `if (pid > 0) { ...; return 0; }`), the statements that follow it
// in its block. Found in one walk of the function's body for every fork()
// at once.
//
//===----------------------------------------------------------------------===//
#include "AstQueries.h"
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

namespace {

/// Do \p A and \p B spell the same place (`cp->pid`, `pids[1]`,
/// `job.t`), whatever casts surround them?
bool samePlace(const Expr *A, const Expr *B, unsigned Depth = 0) {
  if (!A || !B || Depth > 8)
    return false;
  A = A->IgnoreParenImpCasts();
  B = B->IgnoreParenImpCasts();
  if (A->getStmtClass() != B->getStmtClass())
    return false;
  if (const auto *DA = dyn_cast<DeclRefExpr>(A))
    return DA->getDecl() == cast<DeclRefExpr>(B)->getDecl();
  if (isa<CXXThisExpr>(A))
    return true;
  if (const auto *MA = dyn_cast<MemberExpr>(A)) {
    const auto *MB = cast<MemberExpr>(B);
    return MA->getMemberDecl() == MB->getMemberDecl() &&
           MA->isArrow() == MB->isArrow() &&
           samePlace(MA->getBase(), MB->getBase(), Depth + 1);
  }
  if (const auto *SA = dyn_cast<ArraySubscriptExpr>(A)) {
    const auto *SB = cast<ArraySubscriptExpr>(B);
    // The same constant index, or the same local index variable
    // (`pids[i] = fork(); if (pids[i] == 0)` in a loop over i).
    const Expr *XA = SA->getIdx()->IgnoreParenImpCasts();
    const Expr *XB = SB->getIdx()->IgnoreParenImpCasts();
    const auto *IA = dyn_cast<IntegerLiteral>(XA);
    const auto *IB = dyn_cast<IntegerLiteral>(XB);
    bool SameIndex = (IA && IB && IA->getValue() == IB->getValue()) ||
                     (localVarOf(XA) && localVarOf(XA) == localVarOf(XB));
    return SameIndex && samePlace(SA->getBase(), SB->getBase(), Depth + 1);
  }
  if (const auto *UA = dyn_cast<UnaryOperator>(A))
    return UA->getOpcode() == UO_Deref &&
           cast<UnaryOperator>(B)->getOpcode() == UO_Deref &&
           samePlace(UA->getSubExpr(), cast<UnaryOperator>(B)->getSubExpr(),
                     Depth + 1);
  return false;
}

/// Is \p Cond `pid == 0`, `0 == pid` or `!pid` (with `pid` possibly
/// assigned in it: `(pid = fork()) == 0`)?
bool testsChildSide(const Expr *Cond, const VarDecl *Pid, const Expr *Fork,
                    const Expr *Place = nullptr) {
  Cond = Cond->IgnoreParenImpCasts();
  auto IsPid = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(E);
        A && A->getOpcode() == BO_Assign)
      return localVarOf(A->getLHS()) == Pid ||
             A->getRHS()->IgnoreParenImpCasts() == Fork;
    // `if (cp->pid == 0)` after `cp->pid = fork();`.
    if (Place && isa<MemberExpr, ArraySubscriptExpr>(E) && samePlace(E, Place))
      return true;
    return (Pid && localVarOf(E) == Pid) || E == Fork;
  };
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return IsPid(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && BO->getOpcode() == BO_EQ) {
    auto IsZero = [](const Expr *E) {
      const auto *IL = dyn_cast<IntegerLiteral>(E->IgnoreParenImpCasts());
      return IL && IL->getValue() == 0;
    };
    return (IsPid(BO->getLHS()) && IsZero(BO->getRHS())) ||
           (IsPid(BO->getRHS()) && IsZero(BO->getLHS()));
  }
  return false;
}

/// Is \p Cond a test that holds only in the parent: `pid`, `pid != 0`,
/// `0 != pid`, `pid > 0`, `0 < pid`? Sets \p Subject to what it tests.
bool testsParentSide(const Expr *Cond, const Expr *&Subject) {
  Cond = Cond->IgnoreParenImpCasts();
  auto IsZero = [](const Expr *E) {
    const auto *IL = dyn_cast<IntegerLiteral>(E->IgnoreParenImpCasts());
    return IL && IL->getValue() == 0;
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if ((Op == BO_NE || Op == BO_GT) && IsZero(BO->getRHS())) {
      Subject = BO->getLHS()->IgnoreParenImpCasts();
      return true;
    }
    if ((Op == BO_NE || Op == BO_LT) && IsZero(BO->getLHS())) {
      Subject = BO->getRHS()->IgnoreParenImpCasts();
      return true;
    }
    return false;
  }
  if (Cond->getType()->isIntegerType() && !isa<UnaryOperator>(Cond)) {
    Subject = Cond; // `if (pid)`
    return true;
  }
  return false;
}

/// Does every path through \p S leave the function or the process: its
/// last statement a `return` or a call of a noreturn function?
bool alwaysLeaves(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  return leavesAt(S);
}

/// Does \p FD, a function of the program the API model does not know,
/// never return to its caller: a void function with no `return` (and, in
/// C++, no `throw` or `try` of its own) whose body's last statement is a
/// call that does not return (`_exit(0)`, a noreturn function, or another
/// such function, three deep)? The code a forked child runs is often such a
/// function: `static void run_lister(...) { for (...) if (...) _exit(2);
/// _exit(0); }`.
bool bodyNeverReturns(const FunctionDecl *FD, const ApiModel &Model,
                      unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (Depth > 3 || !FD || !FD->hasBody(Def) || !Def ||
      !Def->getReturnType()->isVoidType() || Model.lookup(Def))
    return false;
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!CS || CS->body_empty())
    return false;
  bool NoOtherWayOut = walkStmts(CS, [](const Stmt *S) {
    if (isa<LambdaExpr, BlockExpr>(S))
      return WalkStep::Over;
    return isa<ReturnStmt, CXXThrowExpr, CXXTryStmt, IndirectGotoStmt>(S)
               ? WalkStep::Stop
               : WalkStep::Into;
  });
  if (!NoOtherWayOut)
    return false;
  const auto *Last = dyn_cast<Expr>(CS->body_back());
  const auto *Call =
      Last ? dyn_cast<CallExpr>(Last->IgnoreParenCasts()) : nullptr;
  const FunctionDecl *Callee = Call ? ApiModel::calleeOf(Call) : nullptr;
  if (!Callee)
    return false;
  if (Callee->isNoReturn())
    return true;
  if (const ApiFunction *Api = Model.lookup(Callee))
    return Api->Role == ApiRole::NoReturn;
  return bodyNeverReturns(Callee, Model, Depth + 1);
}
} // namespace

bool FlowEngineImpl::callNeverReturns(const CallExpr *CE) {
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee || Callee->isNoReturn())
    return false; // the CFG ends the path already
  Callee = Callee->getCanonicalDecl();
  auto [It, New] = NeverReturns.try_emplace(Callee, false);
  if (New)
    It->second = bodyNeverReturns(Callee, Model, 0);
  return It->second;
}

const Stmt *FlowEngineImpl::forkChildBranch(const CallExpr *Fork,
                                            const VarDecl *Pid,
                                            const Expr *Place) const {
  // The `if (pid == 0) { ... }` of this function: what the child runs. One
  // walk of the body finds every such branch, for every fork() at once.
  auto *Self = const_cast<FlowEngineImpl *>(this);
  if (!ChildBranchesFound) {
    Self->ChildBranchesFound = true;
    llvm::SmallVector<const Stmt *, 64> Stack{Body};
    while (!Stack.empty()) {
      const Stmt *S = Stack.pop_back_val();
      if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
        continue;
      // What a test of the pid names: the fork() (also assigned in the
      // test), or the local variable that holds the pid.
      auto KeyOf = [&](const Expr *C) -> const void * {
        C = C->IgnoreParenImpCasts();
        if (const auto *A = dyn_cast<BinaryOperator>(C);
            A && A->getOpcode() == BO_Assign)
          return A->getRHS()->IgnoreParenImpCasts();
        if (isa<CallExpr>(C))
          return C;
        return localVarOf(C);
      };
      if (const auto *SW = dyn_cast<SwitchStmt>(S);
          SW && SW->getCond() && !SW->getInit() && !SW->getConditionVariable())
        if (const void *Key = KeyOf(SW->getCond()))
          for (const SwitchCase *SC = SW->getSwitchCaseList(); SC;
               SC = SC->getNextSwitchCase())
            if (const auto *Case = dyn_cast<CaseStmt>(SC);
                Case && !Case->getRHS() && isa<CompoundStmt>(Case->getSubStmt()))
              if (const auto *Zero = dyn_cast<IntegerLiteral>(
                      Case->getLHS()->IgnoreParenImpCasts());
                  Zero && Zero->getValue() == 0)
                Self->ChildBranches.try_emplace(Key, Case->getSubStmt());
      if (const auto *If = dyn_cast<IfStmt>(S); If && If->getCond()) {
        const Expr *C = If->getCond()->IgnoreParenImpCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(C);
            UO && UO->getOpcode() == UO_LNot)
          C = UO->getSubExpr();
        else if (const auto *BO = dyn_cast<BinaryOperator>(C);
                 BO && BO->getOpcode() == BO_EQ)
          C = isa<IntegerLiteral>(BO->getLHS()->IgnoreParenImpCasts())
                  ? BO->getRHS()
                  : BO->getLHS();
        C = C->IgnoreParenImpCasts();
        if (const void *Key = KeyOf(C))
          Self->ChildBranches.try_emplace(Key, If);
        else if (isa<MemberExpr, ArraySubscriptExpr>(C))
          Self->PlaceBranches.push_back({C, If});
      }
      // `if (pid != 0) return pid;` in a block: the child runs the rest.
      if (const auto *CS = dyn_cast<CompoundStmt>(S))
        for (auto It = CS->body_begin(); It != CS->body_end(); ++It) {
          const auto *If = dyn_cast<IfStmt>(*It);
          const Expr *Subject = nullptr;
          if (!If || If->getElse() || If->getInit() ||
              If->getConditionVariable() || !If->getCond() ||
              !testsParentSide(If->getCond(), Subject) ||
              !alwaysLeaves(If->getThen()) || It + 1 == CS->body_end())
            continue;
          if (const void *Key = KeyOf(Subject))
            Self->ChildRests.try_emplace(
                Key, CS, unsigned(It - CS->body_begin()) + 1);
        }
      for (const Stmt *C : S->children())
        Stack.push_back(C);
    }
  }
  for (const void *Key : {static_cast<const void *>(Fork),
                          static_cast<const void *>(Pid)}) {
    auto It = ChildBranches.find(Key);
    if (Key && It != ChildBranches.end()) {
      const auto *If = dyn_cast<IfStmt>(It->second);
      if (!If)
        return It->second; // the `case 0:` of a switch on it
      if (testsChildSide(If->getCond(), Pid, Fork))
        return If->getThen();
    }
  }
  // The rest of the block after `if (pid != 0) return pid;`, made one
  // block (in the AST's memory) the first time a fork asks for it.
  for (const void *Key : {static_cast<const void *>(Fork),
                          static_cast<const void *>(Pid)})
    if (auto It = ChildRests.find(Key); Key && It != ChildRests.end()) {
      ChildRest &Rest = It->second;
      if (!Rest.Made) {
        llvm::SmallVector<Stmt *, 8> Stmts(Rest.Block->body_begin() + Rest.From,
                                           Rest.Block->body_end());
        Rest.Made = compat::makeCompound(Ctx, Stmts, Stmts.front()->getBeginLoc(),
                                         Rest.Block->getRBracLoc());
      }
      return Rest.Made;
    }
  // `cp->pid = fork(); if (cp->pid == 0) { ... }`: the first such test
  // after the fork().
  if (Place) {
    const SourceManager &SM = Ctx.getSourceManager();
    const IfStmt *Best = nullptr;
    for (const auto &PB : PlaceBranches) {
      const auto *If = cast<IfStmt>(PB.second);
      if (!samePlace(cast<Expr>(PB.first), Place) ||
          !testsChildSide(If->getCond(), nullptr, nullptr, Place) ||
          !SM.isBeforeInTranslationUnit(Fork->getBeginLoc(), If->getBeginLoc()))
        continue;
      if (!Best || SM.isBeforeInTranslationUnit(If->getBeginLoc(),
                                                Best->getBeginLoc()))
        Best = If;
    }
    if (Best)
      return Best->getThen();
  }
  return nullptr;
}

} // namespace clang::tidy::pipe
