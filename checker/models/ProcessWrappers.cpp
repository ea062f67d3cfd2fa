//===--- ProcessWrappers.cpp - fork, spawn, wait and thread-start wrappers ===//
#include "models/ProcessWrappers.h"
#include "models/TaskModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::pipe {

namespace {
/// A thin wrapper is small: a body with more AST nodes than this is not one.
constexpr unsigned MaxNodes = 400;
/// How deep a helper it calls (a signal reset) is looked into.
constexpr unsigned MaxWrapperDepth = 3;

bool inSystemHeader(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

/// One body, walked once: every node with its parent, its calls and its
/// returns.
struct Body {
  const FunctionDecl *Def = nullptr;
  llvm::DenseMap<const Stmt *, const Stmt *> Parent;
  llvm::SmallVector<const Stmt *, 64> Nodes;
  llvm::SmallVector<const CallExpr *, 8> Calls;
  llvm::SmallVector<const ReturnStmt *, 4> Returns;
};

/// Walks \p Def's body; false when it is not something a thin wrapper has
/// (too big, a lambda or block, a goto, inline assembly, an object of the
/// program's own type whose constructor may do anything).
bool collect(const FunctionDecl *Def, Body &B) {
  B.Def = Def;
  llvm::SmallVector<const Stmt *, 64> Stack{Def->getBody()};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (B.Nodes.size() >= MaxNodes)
      return false;
    B.Nodes.push_back(S);
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S) || isa<GotoStmt>(S) ||
        isa<IndirectGotoStmt>(S) || isa<AsmStmt>(S) || isa<CXXTryStmt>(S))
      return false;
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(S))
      if (!CCE->getConstructor()->isTrivial() &&
          !inSystemHeader(CCE->getConstructor()))
        return false;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      B.Calls.push_back(CE);
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      B.Returns.push_back(R);
    for (const Stmt *C : S->children())
      if (C) {
        B.Parent[C] = S;
        Stack.push_back(C);
      }
  }
  return true;
}

const Stmt *up(const Body &B, const Stmt *S) {
  auto It = B.Parent.find(S);
  return It == B.Parent.end() ? nullptr : It->second;
}

/// The parent of \p S above parentheses and implicit casts.
const Stmt *upExplicit(const Body &B, const Stmt *S) {
  const Stmt *P = up(B, S);
  while (P && (isa<ParenExpr>(P) || isa<ImplicitCastExpr>(P)))
    P = up(B, P);
  return P;
}

bool isWithin(const Body &B, const Stmt *S, const Stmt *Ancestor) {
  for (const Stmt *Cur = S; Cur; Cur = up(B, Cur))
    if (Cur == Ancestor)
      return true;
  return false;
}

/// The parameter \p E names, through parentheses and casts.
const ParmVarDecl *paramOf(const Expr *E) {
  const auto *DRE =
      E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
  return DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
}

int indexOf(const Body &B, const ParmVarDecl *P) {
  for (unsigned I = 0; I < B.Def->getNumParams(); ++I)
    if (B.Def->getParamDecl(I) == P)
      return int(I);
  return -1;
}

const VarDecl *localOf(const Expr *E) {
  const auto *DRE =
      E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->isLocalVarDecl() && !VD->isStaticLocal() ? VD : nullptr;
}

/// The local variable the result of \p C is stored in: `pid_t v = C;`,
/// `v = C;`.
const VarDecl *resultVar(const Body &B, const CallExpr *C) {
  const Stmt *P = upExplicit(B, C);
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D);
          VD && VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == C &&
          VD->isLocalVarDecl() && !VD->isStaticLocal())
        return VD;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
      BO && BO->getOpcode() == BO_Assign &&
      BO->getRHS()->IgnoreParenImpCasts() == C)
    return localOf(BO->getLHS());
  return nullptr;
}

/// Is \p V changed only by storing \p C's result (when \p C is given), and
/// its address never taken?
bool setOnlyBy(const Body &B, const ValueDecl *V, const CallExpr *C) {
  auto Names = [V](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == V;
  };
  for (const Stmt *S : B.Nodes) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && Names(BO->getLHS()) &&
        !(C && BO->getOpcode() == BO_Assign &&
          BO->getRHS()->IgnoreParenImpCasts() == C))
      return false;
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO && (UO->getOpcode() == UO_AddrOf || UO->isIncrementDecrementOp()) &&
        Names(UO->getSubExpr()))
      return false;
  }
  return true;
}

/// Does every `return` give \p C's result (directly or through \p V), or a
/// constant that \p ConstOk accepts?
template <typename Pred>
bool returnsOnly(const Body &B, const VarDecl *V, const CallExpr *C,
                 Pred ConstOk) {
  for (const ReturnStmt *R : B.Returns) {
    const Expr *E = R->getRetValue();
    if (!E)
      return false;
    E = E->IgnoreParenImpCasts();
    if ((C && E == C) || (V && localOf(E) == V))
      continue;
    Expr::EvalResult Res;
    if (!E->isValueDependent() &&
        E->EvaluateAsInt(Res, B.Def->getASTContext()) &&
        ConstOk(Res.Val.getInt().getExtValue()))
      continue;
    return false;
  }
  return true;
}

bool negative(int64_t V) { return V < 0; }

/// Is there a `return` before \p C (other than the one that returns C's
/// result)?
bool returnsBefore(const Body &B, const CallExpr *C) {
  const SourceManager &SM = B.Def->getASTContext().getSourceManager();
  for (const ReturnStmt *R : B.Returns)
    if (SM.isBeforeInTranslationUnit(R->getBeginLoc(), C->getBeginLoc()) &&
        !isWithin(B, C, R))
      return true;
  return false;
}

/// Is \p S run on every path through the function that gets as far as it?
/// Not inside a branch of an `if`, `?:`, `&&`/`||` or `switch`, nor in the
/// body of a `while` or `for` loop (a loop condition and the body of a
/// `do` run at least once).
bool unconditional(const Body &B, const Stmt *S) {
  for (const Stmt *Cur = S, *P = up(B, S); P; Cur = P, P = up(B, P)) {
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Cur == If->getThen() || Cur == If->getElse())
        return false;
    } else if (const auto *W = dyn_cast<WhileStmt>(P)) {
      if (Cur == W->getBody())
        return false;
    } else if (const auto *F = dyn_cast<ForStmt>(P)) {
      if (Cur == F->getBody() || Cur == F->getInc())
        return false;
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(P)) {
      if (Cur == Sw->getBody())
        return false;
    } else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(P)) {
      if (Cur != CO->getCond())
        return false;
    } else if (const auto *BO = dyn_cast<BinaryOperator>(P);
               BO && BO->isLogicalOp()) {
      if (Cur == BO->getRHS())
        return false;
    } else if (isa<CXXForRangeStmt>(P)) {
      return false;
    }
  }
  return true;
}

/// Does \p Cond test that \p V (or the call \p C itself) is 0: the child's
/// side of a fork?
bool testsChild(const Expr *Cond, const VarDecl *V, const CallExpr *C) {
  auto IsPid = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(E);
        A && A->getOpcode() == BO_Assign)
      return A->getRHS()->IgnoreParenImpCasts() == C;
    return E == C || (V && localOf(E) == V);
  };
  auto IsZero = [](const Expr *E) {
    const auto *IL = dyn_cast<IntegerLiteral>(E->IgnoreParenImpCasts());
    return IL && IL->getValue() == 0;
  };
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return IsPid(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && BO->getOpcode() == BO_EQ)
    return (IsPid(BO->getLHS()) && IsZero(BO->getRHS())) ||
           (IsPid(BO->getRHS()) && IsZero(BO->getLHS()));
  return false;
}

const ApiFunction *roleOf(const CallExpr *CE, const ApiModel &M) {
  return M.lookup(ApiModel::calleeOf(CE));
}

bool hasRole(const CallExpr *CE, const ApiModel &M, ApiRole R) {
  const ApiFunction *Api = roleOf(CE, M);
  return Api && Api->Role == R;
}

bool inertCall(const CallExpr *CE, const ApiModel &M, unsigned Depth);

/// Does calling \p FD change no descriptor, and start or wait for nothing?
bool inertFunction(const FunctionDecl *FD, const ApiModel &M,
                   unsigned Depth) {
  if (!FD)
    return false; // through a pointer: cannot be seen
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || !Def->getBody())
    // signal(), sigaction(), perror(): the system's. Anything else is in
    // another file of the program and cannot be seen.
    return inSystemHeader(FD) || FD->getBuiltinID() != 0;
  if (inSystemHeader(Def))
    return true;
  if (Depth >= MaxWrapperDepth || Def->isDependentContext())
    return false;
  Body B;
  if (!collect(Def, B))
    return false;
  for (const CallExpr *CE : B.Calls)
    if (!inertCall(CE, M, Depth + 1))
      return false;
  return true;
}

bool inertCall(const CallExpr *CE, const ApiModel &M, unsigned Depth) {
  if (classifyTaskStart(CE, &M) || classifyTaskOp(CE, &M))
    return false;
  if (const ApiFunction *Api = roleOf(CE, M)) {
    switch (Api->Role) {
    case ApiRole::Borrow:
    case ApiRole::NoReturn:
      return true;
    case ApiRole::Write: {
      // A message to stderr or stdout: a constant descriptor, or a stream
      // that is a global variable.
      if (Api->Arg < 0 || unsigned(Api->Arg) >= CE->getNumArgs())
        return false;
      const Expr *To = CE->getArg(unsigned(Api->Arg))->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(To))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && VD->hasGlobalStorage() && !VD->isStaticLocal())
          return true;
      return !To->isValueDependent() &&
             To->isEvaluatable(M.calleeOf(CE)->getASTContext());
    }
    default:
      return false;
    }
  }
  return inertFunction(ApiModel::calleeOf(CE), M, Depth);
}

/// Every call but \p Skip (and those \p Allowed accepts) is inert.
template <typename Pred>
bool othersInert(const Body &B, const ApiModel &M, Pred Allowed) {
  for (const CallExpr *CE : B.Calls)
    if (!Allowed(CE) && !inertCall(CE, M, 0))
      return false;
  return true;
}

/// Does \p S end in a call that does not return (`_exit(127);`)?
bool endsInNoReturn(const Stmt *S, const ApiModel &M) {
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    if (CS->body_empty())
      return false;
    S = CS->body_back();
  }
  const auto *E = dyn_cast<Expr>(S);
  const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
  return CE && hasRole(CE, M, ApiRole::NoReturn);
}

/// fork() and return its result (a fork wrapper), or fork(), exec in the
/// child and return the pid (a spawn wrapper).
std::optional<ApiFunction> forkWrapper(const Body &B, const ApiModel &M) {
  const CallExpr *Fork = nullptr;
  for (const CallExpr *CE : B.Calls)
    if (hasRole(CE, M, ApiRole::Fork)) {
      if (Fork)
        return std::nullopt; // two children
      Fork = CE;
    }
  if (!Fork || !B.Def->getReturnType()->isIntegerType() ||
      !unconditional(B, Fork))
    return std::nullopt;
  const VarDecl *V = resultVar(B, Fork);
  if (!V && !isa_and_nonnull<ReturnStmt>(upExplicit(B, Fork)))
    return std::nullopt;
  if (V && !setOnlyBy(B, V, Fork))
    return std::nullopt;
  const IfStmt *Child = nullptr;
  for (const Stmt *S : B.Nodes)
    if (const auto *If = dyn_cast<IfStmt>(S);
        If && If->getCond() && testsChild(If->getCond(), V, Fork)) {
      if (Child)
        return std::nullopt;
      Child = If;
    }
  llvm::SmallVector<const CallExpr *, 2> Execs;
  for (const CallExpr *CE : B.Calls)
    if (hasRole(CE, M, ApiRole::Exec))
      Execs.push_back(CE);
  bool Spawn = false;
  if (Child) {
    const Stmt *Then = Child->getThen();
    bool ChildReturns = false;
    for (const ReturnStmt *R : B.Returns)
      ChildReturns |= isWithin(B, R, Then);
    bool Ends = endsInNoReturn(Then, M);
    for (const CallExpr *E : Execs)
      if (!isWithin(B, E, Then))
        return std::nullopt;
    if (!Execs.empty()) {
      // The child runs another program, or exits: a spawn.
      if (ChildReturns || !Ends)
        return std::nullopt;
      Spawn = true;
    } else if (Ends && !ChildReturns) {
      return std::nullopt; // the child runs code of the wrapper's own
    }
  } else if (!Execs.empty()) {
    return std::nullopt;
  }
  if (!returnsOnly(B, V, Fork, negative))
    return std::nullopt;
  if (!othersInert(B, M, [&](const CallExpr *CE) {
        return CE == Fork || (Spawn && llvm::is_contained(Execs, CE));
      }))
    return std::nullopt;
  ApiFunction F{Spawn ? ApiRole::Spawn : ApiRole::Fork, -1};
  return F;
}

/// posix_spawn() (or a spawn wrapper) with the pid given to the caller.
std::optional<ApiFunction> spawnWrapper(const Body &B, const ApiModel &M) {
  const CallExpr *Sp = nullptr;
  const ApiFunction *SpApi = nullptr;
  for (const CallExpr *CE : B.Calls)
    if (const ApiFunction *Api = roleOf(CE, M);
        Api && Api->Role == ApiRole::Spawn) {
      if (Sp)
        return std::nullopt;
      Sp = CE;
      SpApi = Api;
    }
  if (!Sp || !unconditional(B, Sp))
    return std::nullopt;
  ApiFunction F{ApiRole::Spawn, -1};
  if (SpApi->Out >= 0) {
    if (unsigned(SpApi->Out) >= Sp->getNumArgs())
      return std::nullopt;
    const Expr *PidArg = Sp->getArg(unsigned(SpApi->Out))->IgnoreParenCasts();
    if (const ParmVarDecl *P = paramOf(PidArg)) {
      // spawn(argv, &pid): passed through.
      F.Out = indexOf(B, P);
      if (F.Out < 0 || !setOnlyBy(B, P, nullptr))
        return std::nullopt;
      if (returnsBefore(B, Sp))
        return std::nullopt;
    } else if (const auto *UO = dyn_cast<UnaryOperator>(PidArg);
               UO && UO->getOpcode() == UO_AddrOf) {
      // pid_t pid; posix_spawnp(&pid, ...); return pid;
      const VarDecl *V = localOf(UO->getSubExpr());
      if (!V || !B.Def->getReturnType()->isIntegerType() ||
          !returnsOnly(B, V, nullptr, negative))
        return std::nullopt;
    } else {
      return std::nullopt;
    }
  } else {
    // A wrapper of a spawn wrapper that returns the pid.
    const VarDecl *V = resultVar(B, Sp);
    if (!V && !isa_and_nonnull<ReturnStmt>(upExplicit(B, Sp)))
      return std::nullopt;
    if ((V && !setOnlyBy(B, V, Sp)) || !returnsOnly(B, V, Sp, negative))
      return std::nullopt;
  }
  if (!othersInert(B, M, [&](const CallExpr *CE) { return CE == Sp; }))
    return std::nullopt;
  return F;
}

/// waitpid(pid, ...) of its parameter, or a join of a thread it is given.
std::optional<ApiFunction> waitWrapper(const Body &B, const ApiModel &M) {
  const CallExpr *W = nullptr;
  const ParmVarDecl *P = nullptr;
  for (const CallExpr *CE : B.Calls) {
    std::optional<TaskOp> Op = classifyTaskOp(
        CE, &M, [&B](const Stmt *S) { return B.Parent.lookup(S); });
    if (!Op)
      continue;
    if (Op->K != TaskOp::Join || W)
      return std::nullopt; // a probe, a detach, any child, two waits
    W = CE;
    P = paramOf(Op->Handle);
  }
  if (!W || !P || !unconditional(B, W) || !setOnlyBy(B, P, nullptr))
    return std::nullopt;
  int Index = indexOf(B, P);
  if (Index < 0)
    return std::nullopt;
  // A return before the wait only when the parameter says there is nothing
  // to wait for (`if (pid <= 0) return -1;`).
  const SourceManager &SM = B.Def->getASTContext().getSourceManager();
  for (const ReturnStmt *R : B.Returns) {
    if (!SM.isBeforeInTranslationUnit(R->getBeginLoc(), W->getBeginLoc()) ||
        isWithin(B, W, R))
      continue;
    bool Guarded = false;
    for (const Stmt *Cur = R, *Par = up(B, R); Par && !Guarded;
         Cur = Par, Par = up(B, Par))
      if (const auto *If = dyn_cast<IfStmt>(Par);
          If && Cur != If->getCond() && If->getCond())
        for (const Stmt *S : B.Nodes)
          if (isWithin(B, S, If->getCond()))
            if (const auto *DRE = dyn_cast<DeclRefExpr>(S);
                DRE && DRE->getDecl() == P)
              Guarded = true;
    if (!Guarded)
      return std::nullopt;
  }
  if (!othersInert(B, M, [&](const CallExpr *CE) { return CE == W; }))
    return std::nullopt;
  return ApiFunction{ApiRole::Wait, Index};
}

/// pthread_create() of a function pointer parameter with its argument.
std::optional<ApiFunction> threadStartWrapper(const Body &B,
                                              const ApiModel &M) {
  const CallExpr *T = nullptr;
  std::optional<TaskStart> Start;
  for (const CallExpr *CE : B.Calls) {
    std::optional<TaskStart> S = classifyTaskStart(CE, &M);
    if (!S)
      continue;
    if (S->Kind != TaskKind::PThread || T)
      return std::nullopt;
    T = CE;
    Start = S;
  }
  if (!T || !unconditional(B, T))
    return std::nullopt;
  if (returnsBefore(B, T))
    return std::nullopt;
  ApiFunction F{ApiRole::ThreadStart, -1};
  const ParmVarDecl *Fn = paramOf(Start->Callable);
  F.Arg = Fn ? indexOf(B, Fn) : -1;
  if (F.Arg < 0 || !setOnlyBy(B, Fn, nullptr))
    return std::nullopt;
  F.Arg2 = -2; // none
  if (!Start->Args.empty()) {
    const Expr *A = Start->Args.front();
    if (const ParmVarDecl *PA = paramOf(A)) {
      F.Arg2 = indexOf(B, PA);
      if (F.Arg2 < 0 || !setOnlyBy(B, PA, nullptr))
        return std::nullopt;
    } else if (!A->IgnoreParenCasts()->isNullPointerConstant(
                   B.Def->getASTContext(),
                   Expr::NPC_ValueDependentIsNotNull)) {
      return std::nullopt;
    }
  }
  QualType Ret = B.Def->getReturnType();
  if (const ParmVarDecl *PH = paramOf(Start->HandleArg)) {
    // start(&t, fn, arg): the handle passed through; the result is the
    // call's, or a constant.
    F.Out = indexOf(B, PH);
    if (F.Out < 0)
      return std::nullopt;
    const VarDecl *V = resultVar(B, T);
    if (!Ret->isVoidType() &&
        !returnsOnly(B, V, T, [](int64_t) { return true; }))
      return std::nullopt;
  } else {
    // pthread_t t; pthread_create(&t, ...); return t;
    const VarDecl *H = nullptr;
    if (Start->HandleArg) {
      const auto *UO =
          dyn_cast<UnaryOperator>(Start->HandleArg->IgnoreParenCasts());
      if (!UO || UO->getOpcode() != UO_AddrOf)
        return std::nullopt;
      H = localOf(UO->getSubExpr());
    } else {
      H = resultVar(B, T); // a wrapper of a wrapper that returns it
    }
    if ((!H && !(!Start->HandleArg &&
                 isa_and_nonnull<ReturnStmt>(upExplicit(B, T)))) ||
        B.Returns.empty() ||
        !returnsOnly(B, H, Start->HandleArg ? nullptr : T,
                     [](int64_t) { return false; }))
      return std::nullopt;
    const auto *TT = Ret->getAs<TypedefType>();
    if (!TT || TT->getDecl()->getName() != "pthread_t")
      return std::nullopt;
  }
  if (!othersInert(B, M, [&](const CallExpr *CE) { return CE == T; }))
    return std::nullopt;
  return F;
}

/// One dup() (or dup wrapper) of a parameter whose result is returned, or
/// one dup2() (or dup3(), or dup2 wrapper) of two parameters: `xdup(fd)`,
/// `xdup2(from, to)` that die or return -1 on failure. The descriptor it is
/// given stays the caller's (it is not handed off, as to a process
/// wrapper): the engine makes the duplicate, or marks the redirection.
std::optional<ApiFunction> dupWrapper(const Body &B, const ApiModel &M) {
  const CallExpr *Dup = nullptr;
  for (const CallExpr *CE : B.Calls)
    if (hasRole(CE, M, ApiRole::Dup) || hasRole(CE, M, ApiRole::Dup2)) {
      if (Dup)
        return std::nullopt; // two duplicates
      Dup = CE;
    }
  if (!Dup || !unconditional(B, Dup))
    return std::nullopt;
  const ApiFunction *Api = roleOf(Dup, M);
  auto ParamAt = [&](int I) -> int {
    if (I < 0 || unsigned(I) >= Dup->getNumArgs())
      return -1;
    const ParmVarDecl *P = paramOf(Dup->getArg(unsigned(I)));
    return P && setOnlyBy(B, P, nullptr) ? indexOf(B, P) : -1;
  };
  ApiFunction F{Api->Role, ParamAt(Api->Arg)};
  if (F.Arg < 0)
    return std::nullopt;
  if (Api->Role == ApiRole::Dup) {
    // The duplicate is what it returns (or a negative constant).
    if (!B.Def->getReturnType()->isIntegerType())
      return std::nullopt;
    const VarDecl *V = resultVar(B, Dup);
    if (!V && !isa_and_nonnull<ReturnStmt>(upExplicit(B, Dup)))
      return std::nullopt;
    if ((V && !setOnlyBy(B, V, Dup)) || !returnsOnly(B, V, Dup, negative))
      return std::nullopt;
  } else {
    F.Arg2 = ParamAt(Api->Arg2);
    if (F.Arg2 < 0)
      return std::nullopt;
  }
  if (!othersInert(B, M, [&](const CallExpr *CE) { return CE == Dup; }))
    return std::nullopt;
  return F;
}
} // namespace

std::optional<ApiFunction> recogniseProcessWrapper(const FunctionDecl *Def,
                                                   const ApiModel &Model) {
  if (!Def || !Def->getBody() || Def->isDependentContext() || Def->isMain() ||
      inSystemHeader(Def))
    return std::nullopt;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Def);
      MD && MD->isOverloadedOperator())
    return std::nullopt;
  Body B;
  if (!collect(Def, B))
    return std::nullopt;
  // Only a body that calls one of the four is looked at further.
  bool Forks = false, Spawns = false, Waits = false, Starts = false;
  for (const CallExpr *CE : B.Calls) {
    if (const ApiFunction *Api = roleOf(CE, Model)) {
      Forks |= Api->Role == ApiRole::Fork;
      Spawns |= Api->Role == ApiRole::Spawn;
    }
    if (classifyTaskStart(CE, &Model))
      Starts = true;
    else if (classifyTaskOp(
                 CE, &Model, [&B](const Stmt *S) { return B.Parent.lookup(S); }))
      Waits = true;
  }
  if (Forks)
    return forkWrapper(B, Model);
  if (Spawns)
    return spawnWrapper(B, Model);
  if (Starts)
    return threadStartWrapper(B, Model);
  if (Waits)
    return waitWrapper(B, Model);
  return dupWrapper(B, Model);
}

} // namespace clang::tidy::pipe
