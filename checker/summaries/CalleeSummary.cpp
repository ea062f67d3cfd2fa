//===--- CalleeSummary.cpp - what a function we can see does with a descriptor //
#include "summaries/CalleeSummary.h"
#include "AstQueries.h"
#include "summaries/CalleeSummaryDetail.h"
#include "summaries/WriteAmounts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::pipe {

using namespace calleedetail;

namespace {
/// How deep summaries may call into other summaries. A summary whose chain
/// of helpers goes deeper gets none (never a partial one that depends on
/// which helpers were summarised before).
constexpr unsigned MaxSummaryDepth = 24;
/// What strlen() of a string written to a pipe is taken to be at most.
constexpr uint64_t AssumedStringLength = 4096;

const Expr *loopCondition(const Stmt *S) {
  if (const auto *W = dyn_cast<WhileStmt>(S))
    return W->getCond();
  if (const auto *F = dyn_cast<ForStmt>(S))
    return F->getCond();
  if (const auto *D = dyn_cast<DoStmt>(S))
    return D->getCond();
  return nullptr;
}

const Stmt *loopBody(const Stmt *S) {
  if (const auto *W = dyn_cast<WhileStmt>(S))
    return W->getBody();
  if (const auto *F = dyn_cast<ForStmt>(S))
    return F->getBody();
  if (const auto *D = dyn_cast<DoStmt>(S))
    return D->getBody();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(S))
    return R->getBody();
  return nullptr;
}

/// Is \p S a `return` of a negative constant (`return -EPROTO;` on bad
/// data, `return -ENOMEM;` when a buffer cannot grow): a failure reported to
/// the caller, not a way out of a read loop?
bool isFailureReturn(const Stmt *S, const ASTContext &Ctx) {
  const auto *RS = dyn_cast<ReturnStmt>(S);
  const Expr *RV = RS ? RS->getRetValue() : nullptr;
  std::optional<int64_t> C = RV ? integerConstant(RV, Ctx) : std::nullopt;
  return C && *C < 0;
}

/// Does \p S leave the loop it is the body of other than through the
/// condition: a break (not inside a nested loop or switch), a return, a
/// goto, a throw? With \p Failures, a failure return (isFailureReturn())
/// is not a way out.
bool hasOtherExit(const Stmt *S, bool Nested = false,
                  const ASTContext *Failures = nullptr) {
  if (!S)
    return false;
  if (Failures && isFailureReturn(S, *Failures))
    return false;
  if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(S))
    return true;
  if (isa<BreakStmt>(S))
    return !Nested;
  if (isa<LambdaExpr, BlockExpr>(S))
    return false;
  bool Inner = Nested || isLoopStmt(S) || isa<SwitchStmt>(S);
  for (const Stmt *C : S->children())
    if (hasOtherExit(C, Inner, Failures))
      return true;
  return false;
}

/// Does \p S change variable \p V with `V op= ...` for one of \p Ops?
bool compoundAssigns(const Stmt *S, const VarDecl *V, BinaryOperatorKind Op) {
  if (!S)
    return false;
  if (const auto *CAO = dyn_cast<CompoundAssignOperator>(S))
    if (CAO->getOpcode() == Op && refVar(CAO->getLHS()) == V)
      return true;
  for (const Stmt *C : S->children())
    if (compoundAssigns(C, V, Op))
      return true;
  return false;
}

/// Is every change of counter \p V in \p S (a function's body) a `V op=
/// ...` inside \p Loop: no other assignment, no `++`/`--`, no address
/// taken, so that V enters the loop with the value it was declared with?
bool changedOnlyInLoopBy(const Stmt *S, const VarDecl *V, const Stmt *Loop,
                         BinaryOperatorKind Op, bool InLoop = false) {
  if (!S)
    return true;
  InLoop = InLoop || S == Loop;
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->isAssignmentOp() && refVar(BO->getLHS()) == V &&
      !(InLoop && BO->getOpcode() == Op))
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
      refVar(UO->getSubExpr()) == V)
    return false;
  for (const Stmt *C : S->children())
    if (!changedOnlyInLoopBy(C, V, Loop, Op, InLoop))
      return false;
  return true;
}

/// Does the condition of loop \p S go on only after a failure: does it test
/// a variable, assigned in the loop, for -1 or a negative value (`n == -1`,
/// `n < 0`)?
bool isRetryLoop(const Stmt *S) {
  const Expr *Cond = loopCondition(S);
  if (!Cond)
    return false;
  Cond = Cond->IgnoreParenImpCasts();
  while (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() != BO_LAnd)
      break;
    Cond = BO->getLHS()->IgnoreParenImpCasts();
  }
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO || (BO->getOpcode() != BO_EQ && BO->getOpcode() != BO_LT))
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
  const Expr *K = BO->getRHS()->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(K);
      U && U->getOpcode() == UO_Minus)
    K = U->getSubExpr()->IgnoreParenImpCasts();
  const auto *IL = dyn_cast<IntegerLiteral>(K);
  if (!DRE || !IL)
    return false;
  bool Failure = BO->getOpcode() == BO_EQ ? IL->getValue() == 1
                                          : IL->getValue() == 0;
  if (!Failure)
    return false;
  // Assigned in the body from a call.
  return !walkStmts(loopBody(S), [&](const Stmt *X) {
    if (const auto *A = dyn_cast<BinaryOperator>(X);
        A && A->getOpcode() == BO_Assign &&
        isa<CallExpr>(A->getRHS()->IgnoreParenImpCasts()))
      if (const auto *L =
              dyn_cast<DeclRefExpr>(A->getLHS()->IgnoreParenImpCasts());
          L && L->getDecl() == DRE->getDecl())
        return WalkStep::Stop;
    return WalkStep::Into;
  });
}

/// The truth of \p Cond when \p N is 0 (a read's end-of-file), if the
/// condition compares only N with constants: `n <= 0`, `n == 0`, `!n`,
/// `n < 0 || n == 0`.
std::optional<bool> truthAtZero(const Expr *Cond, const VarDecl *N,
                                const ASTContext &Ctx) {
  Cond = stripCasts(Cond);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    auto T = truthAtZero(UO->getSubExpr(), N, Ctx);
    return T ? std::optional<bool>(!*T) : std::nullopt;
  }
  if (refVar(Cond) == N)
    return false;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO)
    return std::nullopt;
  if (BO->isLogicalOp()) {
    auto L = truthAtZero(BO->getLHS(), N, Ctx);
    auto R = truthAtZero(BO->getRHS(), N, Ctx);
    bool Or = BO->getOpcode() == BO_LOr;
    if ((L && *L == Or) || (R && *R == Or))
      return Or;
    if (L && R)
      return !Or;
    return std::nullopt;
  }
  if (!BO->isComparisonOp())
    return std::nullopt;
  const Expr *X = BO->getLHS(), *K = BO->getRHS();
  BinaryOperatorKind Op = BO->getOpcode();
  if (refVar(X) != N) {
    std::swap(X, K);
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  std::optional<int64_t> K0 = integerConstant(K, Ctx);
  if (refVar(X) != N || !K0)
    return std::nullopt;
  int64_t C = *K0;
  switch (Op) {
  case BO_EQ: return 0 == C;
  case BO_NE: return 0 != C;
  case BO_LT: return 0 < C;
  case BO_LE: return 0 <= C;
  case BO_GT: return 0 > C;
  case BO_GE: return 0 >= C;
  default: return std::nullopt;
  }
}

/// Does \p S (part of a loop body) leave the loop only under a test of \p N,
/// and at least once where N is 0? \p Guarded: inside such a test.
bool exitsOnlyOnResult(const Stmt *S, const VarDecl *N, const ASTContext &Ctx,
                       bool Guarded, bool Nested, bool &AtEof) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return true;
  if (isFailureReturn(S, Ctx))
    return true; // not a way out of reading to the end
  if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(S) ||
      (isa<BreakStmt>(S) && !Nested))
    return Guarded;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    bool Tests = mentionsVar(If->getCond(), N);
    std::optional<bool> Zero =
        Tests ? truthAtZero(If->getCond(), N, Ctx) : std::nullopt;
    for (bool Then : {true, false}) {
      const Stmt *Branch = Then ? If->getThen() : If->getElse();
      if (!Branch)
        continue;
      if (Zero && *Zero == Then && !Nested && hasOtherExit(Branch))
        AtEof = true;
      if (!exitsOnlyOnResult(Branch, N, Ctx, Guarded || Tests, Nested, AtEof))
        return false;
    }
    return true;
  }
  bool Inner = Nested || isLoopStmt(S) || isa<SwitchStmt>(S);
  for (const Stmt *C : S->children())
    if (!exitsOnlyOnResult(C, N, Ctx, Guarded, Inner, AtEof))
      return false;
  return true;
}

/// Does \p S (part of a loop body) leave the loop only where \p N, the
/// result of the loop's read, is negative: on a failed read?
bool exitsOnlyOnFailedRead(const Stmt *S, const VarDecl *N,
                           const ASTContext &Ctx, bool Nested = false) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return true;
  if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(S) ||
      (isa<BreakStmt>(S) && !Nested))
    return false;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    for (bool Then : {true, false}) {
      const Stmt *Branch = Then ? If->getThen() : If->getElse();
      if (!isNegativeOnEdge(If->getCond(), Then, N, Ctx) &&
          !exitsOnlyOnFailedRead(Branch, N, Ctx, Nested))
        return false;
    }
    return true;
  }
  bool Inner = Nested || isLoopStmt(S) || isa<SwitchStmt>(S);
  for (const Stmt *C : S->children())
    if (!exitsOnlyOnFailedRead(C, N, Ctx, Inner))
      return false;
  return true;
}

/// A loop with no condition of its own (`for (;;)`, `while (1)`) that
/// stores a read of \p P in a variable and leaves only on tests of it, one
/// of them where the read returned 0: it reads P to end-of-file.
bool readsToEofInBody(const Stmt *Body, const ValueDecl *P,
                      const ParentMap &PM, const ApiModel &Model) {
  const ASTContext &Ctx = P->getASTContext();
  auto IsClosure = [](const Stmt *S) { return isa<LambdaExpr, BlockExpr>(S); };
  return !walkStmts(Body, [&](const Stmt *S) {
    if (IsClosure(S))
      return WalkStep::Over;
    const Stmt *LoopBody = loopBody(S);
    if (!LoopBody || isa<CXXForRangeStmt>(S))
      return WalkStep::Into;
    if (const Expr *Cond = loopCondition(S)) {
      bool Value = false;
      if (Cond->isValueDependent() ||
          !Cond->EvaluateAsBooleanCondition(Value, Ctx) || !Value)
        return WalkStep::Into;
    }
    // The variable a read of P in this loop is stored in.
    const VarDecl *N = nullptr;
    walkStmts(LoopBody, [&](const Stmt *X) {
      if (IsClosure(X))
        return WalkStep::Over;
      N = readResultVariable(X, P, PM, Model);
      return N ? WalkStep::Stop : WalkStep::Into;
    });
    bool AtEof = false;
    return N && exitsOnlyOnResult(LoopBody, N, Ctx, false, false, AtEof) &&
                   AtEof
               ? WalkStep::Stop
               : WalkStep::Into;
  });
}

} // namespace

namespace calleedetail {

bool mayHaveFlagBit(const Expr *E, int64_t Bit, const ASTContext &Ctx) {
  if (!E || Bit == 0)
    return false;
  E = E->IgnoreParenImpCasts();
  if (std::optional<int64_t> C = integerConstant(E, Ctx))
    return (*C & Bit) == Bit;
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    if (BO->getOpcode() == BO_Or)
      return mayHaveFlagBit(BO->getLHS(), Bit, Ctx) ||
             mayHaveFlagBit(BO->getRHS(), Bit, Ctx);
  return false;
}

int paramOfArg(const CallExpr *CE, const FunctionDecl *Callee, unsigned Arg) {
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
      MD && !MD->isStatic() && isa<CXXOperatorCallExpr>(CE))
    return Arg == 0 ? -1 : int(Arg) - 1;
  return int(Arg);
}
} // namespace calleedetail

WriteBound WriteBound::sum(const WriteBound &A, const WriteBound &B) {
  if (A.K == None)
    return B;
  if (B.K == None)
    return A;
  if (A.K == Const && B.K == Const) {
    uint64_t S = A.Bytes + B.Bytes;
    return constant(S < A.Bytes ? UINT64_MAX : S);
  }
  if (A.K == Const && A.Bytes == 0)
    return B;
  if (B.K == Const && B.Bytes == 0)
    return A;
  return unbounded();
}

const ParamSummary *CalleeSummaries::paramSummary(const FunctionDecl *FD,
                                                  unsigned Index) {
  return Index < MemberKey ? summaryOf(FD, Index) : nullptr;
}

const ParamSummary *CalleeSummaries::memberSummary(const CXXMethodDecl *MD,
                                                   const FieldDecl *F) {
  if (!MD || MD->isStatic() || !F ||
      F->getParent()->getCanonicalDecl() !=
          MD->getParent()->getCanonicalDecl())
    return nullptr;
  if (mayRunOverride(MD))
    return nullptr;
  return summaryOf(MD, MemberKey + F->getFieldIndex());
}

const ParamSummary *CalleeSummaries::summaryOf(const FunctionDecl *FD,
                                               unsigned Index) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def ||
      (Index < MemberKey && Index >= Def->getNumParams()) ||
      Def->isDependentContext() || Def->isVariadic())
    return nullptr;
  // Library code is modelled by the API table, not read.
  if (Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return nullptr;
  Key K = std::make_pair(Def, Index);
  if (auto It = Cache.find(K); It != Cache.end()) {
    // Computing it afresh here would have gone Height levels deeper.
    if (Depth + It->second.Height >= MaxSummaryDepth) {
      DepthCut = true;
      return nullptr;
    }
    return use(It->second, /*Tainted=*/false);
  }
  if (Depth == 0) {
    if (auto It = RootCache.find(K); It != RootCache.end())
      return use(It->second, /*Tainted=*/false);
  } else if (auto It = Transient.find({K, Depth}); It != Transient.end()) {
    return use(It->second, /*Tainted=*/true);
  }
  if (llvm::is_contained(InProgress, K)) {
    CycleCut = true; // recursion sees no summary
    return nullptr;
  }
  if (Depth >= MaxSummaryDepth) {
    DepthCut = true;
    return nullptr;
  }
  unsigned SavedHeight = SubHeight;
  bool SavedCycle = CycleCut, SavedCut = DepthCut;
  SubHeight = 0;
  CycleCut = DepthCut = false;
  InProgress.push_back(K);
  ++Depth;
  ParamSummary PS = compute(Def, Index);
  --Depth;
  InProgress.pop_back();
  Entry E{PS, SubHeight, DepthCut};
  bool Cycle = CycleCut;
  SubHeight = SavedHeight;
  CycleCut = SavedCycle;
  DepthCut = SavedCut;
  if (Depth == 0) {
    // The question is answered: what was cut or tainted below is forgotten.
    Transient.clear();
    if (E.DepthCut)
      E.PS.reset(); // too deep a chain of helpers: no summary, in any order
    if (!Cycle && !E.DepthCut)
      return &*Cache.emplace(K, std::move(E)).first->second.PS;
    Entry &Slot = RootCache[K];
    Slot = std::move(E);
    return Slot.PS ? &*Slot.PS : nullptr;
  }
  if (!Cycle && !E.DepthCut)
    return use(Cache.emplace(K, std::move(E)).first->second, false);
  Entry &Slot = Transient[{K, Depth}];
  Slot = std::move(E);
  return use(Slot, /*Tainted=*/true);
}

/// Notes, in the summary being computed, that it read \p E.
const ParamSummary *CalleeSummaries::use(const Entry &E, bool Tainted) {
  if (Depth > 0) {
    SubHeight = std::max(SubHeight, E.Height + 1);
    CycleCut |= Tainted;
    if (E.DepthCut) {
      DepthCut = true;
      return nullptr;
    }
  }
  return E.PS ? &*E.PS : nullptr;
}

ParamSummary CalleeSummaries::compute(const FunctionDecl *Def, unsigned Index) {
  ParamSummary PS;
  const Stmt *Body = Def->getBody();
  if (!Body)
    return PS;
  ParentMap PM(const_cast<Stmt *>(Body));
  if (Index >= MemberKey) {
    // A member of the object: the field with that index.
    const auto *MD = cast<CXXMethodDecl>(Def);
    const FieldDecl *F = fieldAt(MD->getParent(), Index - MemberKey);
    if (!F || !F->getType()->isIntegerType())
      return PS;
    summariseUses(Def, F, PM, PS);
    objectUses(MD, F, PM, PS);
    PS.EndOfFileResult = returnsEndOfFileResult(Def, F, Model, this);
    return PS;
  }
  const ParmVarDecl *Param = Def->getParamDecl(Index);
  const VarDecl *P = Param;
  if (!Param->getType()->isIntegerType())
    P = descriptorOfVoidParam(Body, Param, PM);
  if (!P)
    return PS;
  summariseUses(Def, P, PM, PS);
  // A read it reports in its result (`read_full()`, ReadResults.cpp).
  if (P == Param)
    PS.EndOfFileResult = returnsEndOfFileResult(Def, P, Model, this);
  return PS;
}

void CalleeSummaries::summariseUses(const FunctionDecl *Def,
                                    const ValueDecl *P, ParentMap &PM,
                                    ParamSummary &PS) {
  const Stmt *Body = Def->getBody();
  borrowedUses(Body, P, PM, Def->getASTContext(), PS);

  // Reads to end-of-file (unless borrowedUses() found a helper call that
  // does): a loop whose condition ends on a read of it that returned 0 or
  // less, with no other way out.
  auto IsP = [P](const Expr *E) { return refVarOrMember(E) == P; };
  auto EndsOnEof = [&](const Stmt *S) {
    if (isa<LambdaExpr, BlockExpr>(S))
      return WalkStep::Over;
    const Expr *Cond = loopCondition(S);
    const CallExpr *Read =
        Cond ? readEndedOnBranch(Cond, /*Taken=*/false, Model, this) : nullptr;
    std::optional<unsigned> Arg = readArgument(Read, Model, this);
    if (!Arg || !IsP(Read->getArg(*Arg)))
      return WalkStep::Into;
    if (!hasOtherExit(loopBody(S), false, &Def->getASTContext()))
      return WalkStep::Stop;
    // Other ways out only where that read failed (`while ((n = read(fd,
    // ...)) != 0) { if (n < 0) return 1; ... }`).
    if (const VarDecl *N = readResultVariable(Read, P, PM, Model);
        N && exitsOnlyOnFailedRead(loopBody(S), N, Def->getASTContext()))
      return WalkStep::Stop;
    return WalkStep::Into;
  };
  if (!PS.ReadsToEof)
    PS.ReadsToEof = !walkStmts(Body, EndsOnEof);

  // Or a loop with no condition of its own that stops when a read of it,
  // stored in a variable, returns 0 or less: `for (;;) { n = read(fd, ...);
  // if (n <= 0) break; ... }`.
  if (!PS.ReadsToEof)
    PS.ReadsToEof = readsToEofInBody(Body, P, PM, Model);

  // Or a statement of the body's own block, run on every path that gets
  // there, that calls a helper reading it to end-of-file (`drain(fd);`).
  if (const auto *CS = dyn_cast<CompoundStmt>(Body); CS && !PS.ReadsToEof)
    for (const Stmt *St : CS->body()) {
      // `drain(fd);`, `n = drain(fd);`, `long n = drain(fd);`, `total_ +=
      // drain(fd);`, `return drain(fd);`
      const auto *E = dyn_cast<Expr>(St);
      if (const auto *DS = dyn_cast<DeclStmt>(St); DS && DS->isSingleDecl())
        if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
          E = VD->getInit();
      if (const auto *RS = dyn_cast<ReturnStmt>(St))
        E = RS->getRetValue();
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(
              E ? E->IgnoreParenCasts() : nullptr);
          BO && BO->isAssignmentOp())
        E = BO->getRHS();
      const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
      const FunctionDecl *Callee = CE ? ApiModel::calleeOf(CE) : nullptr;
      if (!Callee || Model.lookup(Callee))
        continue;
      for (unsigned I = 0; I < CE->getNumArgs() && !PS.ReadsToEof; ++I) {
        if (!IsP(CE->getArg(I)))
          continue;
        int Param = paramOfArg(CE, Callee, I);
        const ParamSummary *Sub =
            Param >= 0 ? paramSummary(Callee, unsigned(Param)) : nullptr;
        PS.ReadsToEof = Sub && Sub->ReadsToEof;
      }
      if (PS.ReadsToEof)
        break;
    }

  PS.Writes = bodyWrites(Body, Def, IsP);
}

WriteBound CalleeSummaries::bodyWrites(
    const Stmt *Body, const FunctionDecl *Fn,
    llvm::function_ref<bool(const Expr *)> IsTarget) {
  return writesOf(Body, Fn, IsTarget, 0);
}

WriteBound
CalleeSummaries::writesOf(const Stmt *S, const FunctionDecl *Fn,
                          llvm::function_ref<bool(const Expr *)> IsTarget,
                          unsigned LoopDepth) {
  if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return {};
  if (isLoopStmt(S)) {
    WriteBound Inner;
    for (const Stmt *C : S->children())
      Inner = WriteBound::sum(Inner, writesOf(C, Fn, IsTarget, LoopDepth + 1));
    if (Inner.K == WriteBound::None)
      return Inner;
    // `do n = write(fd, p, len); while (n == -1 && errno == EINTR);`: the
    // same write again after a failure, not another one.
    if (isRetryLoop(S))
      return Inner;
    // `for (int i = 0; i < 3; i++) dprintf(fd, "line %d\n", i);`: a
    // constant number of bounded writes.
    if (Inner.K == WriteBound::Const && Fn)
      if (auto Trips = constantTripCount(S, Fn->getASTContext())) {
        uint64_t Bytes = *Trips && Inner.Bytes > UINT64_MAX / *Trips
                             ? UINT64_MAX
                             : Inner.Bytes * *Trips;
        return WriteBound::constant(Bytes);
      }
    // `while (left > 0) { ... write(fd, p, left) ...; left -= n; }`: the
    // whole loop writes at most what `left` held when it started.
    if (LoopDepth == 0)
      if (auto Counted = countedLoopBound(S, Fn))
        return *Counted;
    return WriteBound::unbounded();
  }
  WriteBound Here;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    Here = callWrites(CE, Fn, IsTarget);
  for (const Stmt *C : S->children())
    Here = WriteBound::sum(Here, writesOf(C, Fn, IsTarget, LoopDepth));
  return Here;
}

WriteBound
CalleeSummaries::callWrites(const CallExpr *CE, const FunctionDecl *Fn,
                            llvm::function_ref<bool(const Expr *)> IsTarget) {
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  const ApiFunction *Api = Model.lookup(Callee);
  auto ArgAt = [&](int I) -> const Expr * {
    return I >= 0 && unsigned(I) < CE->getNumArgs() ? CE->getArg(unsigned(I))
                                                     : nullptr;
  };
  // The target, or a stream fdopen() made of it in a local's initialiser
  // (`FILE *out = fdopen(job->wr, "w"); ... fprintf(out, ...)`).
  auto Targets = [&](const Expr *A) {
    if (IsTarget(A))
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    const auto *Init =
        VD && VD->hasLocalStorage() && VD->getInit()
            ? dyn_cast<CallExpr>(VD->getInit()->IgnoreParenImpCasts())
            : nullptr;
    const Expr *Fd = Model.fdopenDescriptor(Init);
    return Fd && IsTarget(Fd);
  };
  if (Api) {
    if (Api->Role != ApiRole::Write || !ArgAt(Api->Arg) ||
        !Targets(ArgAt(Api->Arg)))
      return {};
    if (Api->Arg2 < 0) { // dprintf, fputs: a format or a string
      if (auto B = formattedWriteBound(CE, Callee, Callee->getASTContext()))
        return WriteBound::constant(*B);
      return WriteBound::unbounded();
    }
    WriteBound Size = sizeBound(ArgAt(Api->Arg2), Fn);
    if (Api->Stream) { // fwrite(p, size, n, f)
      WriteBound Count = sizeBound(ArgAt(Api->Arg2 + 1), Fn);
      if (Size.K != WriteBound::Const || Count.K != WriteBound::Const)
        return WriteBound::unbounded();
      return WriteBound::constant(Size.Bytes * Count.Bytes);
    }
    return Size;
  }
  // A helper whose body we can read: what it writes to its parameter, in
  // terms of this call's arguments.
  WriteBound Total;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    if (!IsTarget(CE->getArg(I)))
      continue;
    int Param = paramOfArg(CE, Callee, I);
    const ParamSummary *PS =
        Param >= 0 ? paramSummary(Callee, unsigned(Param)) : nullptr;
    if (!PS)
      continue; // unknown: nothing we can count
    WriteBound W = PS->Writes;
    unsigned Shift = I - unsigned(Param);
    if (W.K == WriteBound::Param)
      W = W.Index + Shift < CE->getNumArgs()
              ? sizeBound(CE->getArg(W.Index + Shift), Fn)
              : WriteBound::unbounded();
    else if (W.K == WriteBound::ParamField || W.K == WriteBound::Outer)
      W = WriteBound::unbounded();
    Total = WriteBound::sum(Total, W);
  }
  return Total;
}

WriteBound CalleeSummaries::sizeBound(const Expr *E, const FunctionDecl *Fn,
                                      unsigned Depth) const {
  if (!E || Depth > 4)
    return WriteBound::unbounded();
  if (std::optional<int64_t> C = Fn ? integerConstant(E, Fn->getASTContext())
                                    : std::nullopt)
    return *C < 0 ? WriteBound::unbounded() : WriteBound::constant(uint64_t(*C));
  E = stripCasts(E);
  // strlen(msg): the length of a C string, a message. Taken to be at most
  // AssumedStringLength, so that writing an error string is not a writer
  // that may fill the pipe (dbus's fork-and-exec helper).
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = CE->getDirectCallee();
        F && F->getIdentifier() &&
        (F->getName() == "strlen" || F->getName() == "strnlen") &&
        F->getDeclContext()->getRedeclContext()->isTranslationUnit())
      return WriteBound::constant(AssumedStringLength);
  auto ParamIndex = [&](const ValueDecl *VD) -> int {
    if (!Fn)
      return -1;
    for (unsigned I = 0; I < Fn->getNumParams(); ++I)
      if (Fn->getParamDecl(I) == VD)
        return int(I);
    return -1;
  };
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return WriteBound::unbounded();
    if (int I = ParamIndex(VD); I >= 0) {
      WriteBound W;
      W.K = WriteBound::Param;
      W.Index = unsigned(I);
      return W;
    }
    if (Fn && VD->isLocalVarDecl() && VD->getDeclContext() == Fn) {
      if (VD->getInit())
        return sizeBound(VD->getInit(), Fn, Depth + 1);
      return WriteBound::unbounded();
    }
    if (VD->isLocalVarDecl() || isa<ParmVarDecl>(VD)) {
      // A variable of an enclosing function: a lambda's capture.
      WriteBound W;
      W.K = WriteBound::Outer;
      W.Var = VD;
      return W;
    }
    return WriteBound::unbounded();
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    const VarDecl *Base = refVar(ME->getBase());
    if (FD && Base && Fn) {
      // `p->bytes` with `struct job *p = arg;`
      if (ParamIndex(Base) < 0 && Base->isLocalVarDecl() && Base->getInit())
        if (const VarDecl *From = refVar(Base->getInit()))
          Base = From;
      if (int I = ParamIndex(Base); I >= 0) {
        WriteBound W;
        W.K = WriteBound::ParamField;
        W.Index = unsigned(I);
        W.Field = FD;
        return W;
      }
    }
  }
  return WriteBound::unbounded();
}

std::optional<uint64_t>
CalleeSummaries::countedLoopBytes(const Stmt *Loop,
                                  const FunctionDecl *Fn) const {
  std::optional<WriteBound> B = countedLoopBound(Loop, Fn);
  if (!B || B->K != WriteBound::Const)
    return std::nullopt;
  return B->Bytes;
}

std::optional<WriteBound>
CalleeSummaries::countedLoopBound(const Stmt *Loop,
                                  const FunctionDecl *Fn) const {
  const Expr *Cond = loopCondition(Loop);
  const Stmt *Body = loopBody(Loop);
  if (!Cond || !Body)
    return std::nullopt;
  Cond = stripCasts(Cond);
  // `left > 0 && !stop`: the first conjunct bounds the loop.
  while (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() != BO_LAnd)
      break;
    Cond = stripCasts(BO->getLHS());
  }
  if (!Fn)
    return std::nullopt;
  // Counting down: `left`, `left > 0`, `left != 0`, with `left -= n`.
  const VarDecl *Down = refVar(Cond);
  const VarDecl *Up = nullptr;
  const Expr *Limit = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    Down = nullptr;
    const Expr *L = BO->getLHS(), *R = BO->getRHS();
    BinaryOperatorKind Op = BO->getOpcode();
    if (integerConstant(L, Fn->getASTContext())) {
      std::swap(L, R);
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    std::optional<int64_t> C = integerConstant(R, Fn->getASTContext());
    if (C == 0 && (Op == BO_GT || Op == BO_NE))
      Down = refVar(L);
    else if (C != 0 && (Op == BO_LT || Op == BO_NE)) {
      // Counting up to a limit: `sent < bytes` with `sent += n`, `done <
      // 5`.
      Up = refVar(L);
      Limit = R;
    }
  }
  // The counter starts the loop with the value it was declared with.
  const Stmt *FnBody = Fn->getBody();
  if (Down && compoundAssigns(Body, Down, BO_SubAssign) &&
      changedOnlyInLoopBy(FnBody, Down, Loop, BO_SubAssign)) {
    if (const auto *P = dyn_cast<ParmVarDecl>(Down)) {
      for (unsigned I = 0; I < Fn->getNumParams(); ++I)
        if (Fn->getParamDecl(I) == P) {
          WriteBound W;
          W.K = WriteBound::Param;
          W.Index = I;
          return W;
        }
      return std::nullopt;
    }
    if (Down->getInit())
      return sizeBound(Down->getInit(), Fn);
    return std::nullopt;
  }
  if (Up && Limit && compoundAssigns(Body, Up, BO_AddAssign) &&
      changedOnlyInLoopBy(FnBody, Up, Loop, BO_AddAssign)) {
    if (integerConstant(Up->getInit(), Fn->getASTContext()) == 0)
      return sizeBound(Limit, Fn);
  }
  return std::nullopt;
}

} // namespace clang::tidy::pipe
