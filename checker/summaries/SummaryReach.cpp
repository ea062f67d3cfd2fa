//===--- SummaryReach.cpp - which functions are worth a summary ----------===//
//
// Before the engine runs on a helper, its body and its callees' bodies
// (walkCalls()) say whether it can matter at all: whether it makes or
// closes a descriptor or starts or waits for a task (mayMatter()), makes a
// pipe (mayMakePipes(), callMayMakePipes()), or, for reach(), reads one.
// The answer is kept per function for the whole translation unit.
//
//===----------------------------------------------------------------------===//

#include "summaries/FunctionSummaries.h"
#include "summaries/CalleeSummary.h"
#include "models/BoostPipeModel.h"
#include "models/Callbacks.h"
#include "models/TaskModel.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseSet.h"
#include <vector>

namespace clang::tidy::pipe {

namespace {

/// The functions \p Body calls directly, and whether it calls a function
/// the model says does what \p What asks about: makes or closes a
/// descriptor or starts or waits for a task (MakesOrCloses), or makes a
/// pipe or socket pair (MakesPipes).
/// With \p AllCallees, the walk goes on after such a call, so that
/// \p Callees lists every function the body calls.
bool walkCalls(const Stmt *Body, const ApiModel &Model,
               llvm::SmallVectorImpl<const FunctionDecl *> &Callees,
               FunctionSummaries::Reach What, bool AllCallees = false) {
  const bool Uses = What == FunctionSummaries::Reach::MakesClosesOrUses;
  const bool Any = What == FunctionSummaries::Reach::MakesOrCloses || Uses;
  bool Found = false;
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    if (Found && !AllCallees)
      return true;
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue; // analysed (and summarised) on their own
    // A Boost pipe object that makes its own pipe. (Not asked for
    // MakesOrCloses: a summary does not follow Boost pipe objects.)
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
      if (auto Op = classifyBoostConstruction(CCE);
          !Any && Op && Op->K == BoostPipeOp::Create)
        Found = true;
      // `t_ = std::thread(...)`: a helper that starts a thread.
      if (Any && classifyTaskStart(S, &Model))
        Found = true;
      // `Renderer r(w, h);`: its constructor, as a helper
      // (engine/ObjectCalls.cpp).
      if (const CXXConstructorDecl *Ctor = CCE->getConstructor();
          Ctor && !Ctor->isCopyOrMoveConstructor() && Ctor->isUserProvided())
        if (const FunctionDecl *Def = FunctionSummaries::summarisable(Ctor))
          Callees.push_back(Def);
    }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      if (auto Op = classifyBoostCall(CE);
          !Any && Op && Op->K == BoostPipeOp::Create)
        Found = true;
      // A join or wait: a helper that waits for its caller's task.
      if (auto Op = classifyTaskOp(CE, &Model);
          Any && Op && Op->K == TaskOp::Join)
        Found = true;
      // A start: a helper that starts a task for its caller.
      if (Any && classifyTaskStart(CE, &Model))
        Found = true;
      if (const ApiFunction *Api = Model.lookup(Callee)) {
        switch (Api->Role) {
        case ApiRole::CreatePipe:
        case ApiRole::CreateSocketPair:
          Found = true;
        case ApiRole::Close:
        case ApiRole::CloseRange:
        case ApiRole::Fork:
        case ApiRole::Spawn:
          if (Any)
            Found = true;
          break;
        case ApiRole::Read:
        case ApiRole::Write:
          if (Uses)
            Found = true;
          break;
        default:
          break;
        }
      } else if (const FunctionDecl *Def =
                     FunctionSummaries::summarisable(Callee)) {
        // Member functions and lambdas called as helpers too.
        Callees.push_back(Def);
      } else if (const CXXConstructorDecl *Ctor = madeObjectConstructor(
                     CE, smartPointeeType(CE->getType()));
                 Ctor && Ctor->isUserProvided()) {
        // `std::make_unique<Spool>()`: its constructor, as for `new Spool`.
        if (const FunctionDecl *CtorDef = FunctionSummaries::summarisable(Ctor))
          Callees.push_back(CtorDef);
      }
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return Found;
}

} // namespace

bool joinDiscardsResult(const CallExpr *Join, const ApiModel &Model,
                        ASTContext &Ctx, FunctionSummaries *Functions) {
  if (!Join)
    return false;
  if (auto Op = classifyTaskOp(Join, &Model);
      Op && Op->K == TaskOp::Join && Join->getNumArgs() == 2) {
    const Expr *Ret = Join->getArg(1);
    return !Ret->isValueDependent() &&
           Ret->IgnoreParenCasts()->isNullPointerConstant(
               Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
  }
  const FunctionDecl *Def =
      FunctionSummaries::summarisable(ApiModel::calleeOf(Join));
  const FunctionSummary *FS = Def && Functions ? Functions->get(Def) : nullptr;
  return FS && !FS->Joins.empty() && FS->JoinsDiscardResult;
}

bool FunctionSummaries::storesIntoCallersPlace(const FunctionDecl *Def,
                                               unsigned Depth) {
  if (!Def || !Def->hasBody())
    return false;
  llvm::SmallVector<const Stmt *, 64> Stack{Def->getBody()};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->getOpcode() == BO_Assign) {
      const auto *RHS = dyn_cast<DeclRefExpr>(BO->getRHS()->IgnoreParenImpCasts());
      const auto *P = RHS ? dyn_cast<ParmVarDecl>(RHS->getDecl()) : nullptr;
      const Expr *LHS = BO->getLHS()->IgnoreParenImpCasts();
      const auto *Local = dyn_cast<DeclRefExpr>(LHS);
      // Into a place the caller reaches: `w->wr = fd`, `*out = fd`,
      // `fd_ = fd`, `r = fd` of a reference parameter.
      if (P && P->getType()->isIntegerType() &&
          (!Local || Local->getDecl()->getType()->isReferenceType()))
        return true;
      // `fd_ = o.release()`, `dst->fd = src->fd`: a member or pointee
      // given another descriptor.
      if (!Local && LHS->getType()->isIntegerType() &&
          !BO->getRHS()->isValueDependent() &&
          !BO->getRHS()->isEvaluatable(Def->getASTContext()) &&
          (isa<MemberExpr>(LHS) || isa<UnaryOperator>(LHS)))
        return true;
    }
    // A call of a function (an assignment operator, a method) that does,
    // a few calls down: `slot = Fd(fd);`, `replace_with(slot, fd);`.
    if (const auto *CE = dyn_cast<CallExpr>(S); CE && Depth < 3)
      if (const FunctionDecl *Callee = summarisable(CE->getDirectCallee());
          Callee && Callee != Def && storesIntoCallersPlace(Callee, Depth + 1))
        return true;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

bool FunctionSummaries::mayMatter(const FunctionDecl *Def) {
  return reaches(Def, Reach::MakesOrCloses);
}

bool FunctionSummaries::mayMakePipes(const FunctionDecl *Def) {
  return reaches(Def, Reach::MakesPipes);
}

bool FunctionSummaries::callMayMakePipes(const CallExpr *CE) {
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee)
    return false;
  if (const ApiFunction *Api = Model.lookup(Callee))
    return Api->Role == ApiRole::CreatePipe ||
           Api->Role == ApiRole::CreateSocketPair;
  if (const FunctionDecl *Def = summarisable(Callee);
      Def && mayMakePipes(Def))
    return true;
  for (const CallbackBinding &B : callbacksOf(CE, Callee))
    if (const FunctionDecl *BD = summarisable(B.Fn); BD && mayMakePipes(BD))
      return true;
  return false;
}

bool FunctionSummaries::reaches(const FunctionDecl *Def, Reach What) {
  // Whether any function reachable from Def calls what What asks about
  // (walkCalls()): each function is walked once per translation unit and
  // question. The functions not answered yet that Def reaches are taken in
  // strongly connected components, callees first (Tarjan's algorithm,
  // iterative): the functions of one component reach the same functions,
  // so they all get the same answer, and a recursive function that
  // reaches no pipe function does not matter.
  llvm::DenseMap<const FunctionDecl *, bool> &Matters =
      What == Reach::MakesOrCloses ? this->Matters
      : What == Reach::MakesPipes  ? MakesPipes
                                   : MattersOrReads;
  if (auto It = Matters.find(Def); It != Matters.end())
    return It->second;
  struct Node {
    const FunctionDecl *F;
    unsigned Index, Low, Next = 0;
  };
  std::vector<Node> Walk;
  llvm::DenseMap<const FunctionDecl *, unsigned> IndexOf;
  llvm::DenseMap<const FunctionDecl *,
                 std::pair<bool, llvm::SmallVector<const FunctionDecl *, 8>>>
      Calls; // whether it calls a pipe function itself, and its callees
  llvm::SmallVector<const FunctionDecl *, 16> Component;
  llvm::DenseSet<const FunctionDecl *> OnComponent;
  auto Enter = [&](const FunctionDecl *F) {
    unsigned I = IndexOf.size();
    IndexOf[F] = I;
    auto &C = Calls[F];
    C.first = walkCalls(F->getBody(), Model, C.second, What);
    Component.push_back(F);
    OnComponent.insert(F);
    Walk.push_back({F, I, I});
  };
  Enter(Def);
  while (!Walk.empty()) {
    const FunctionDecl *F = Walk.back().F;
    const auto &Callees = Calls[F].second;
    if (Walk.back().Next < Callees.size()) {
      const FunctionDecl *C = Callees[Walk.back().Next++];
      if (Matters.count(C))
        continue; // answered before, or in a component finished below
      if (auto It = IndexOf.find(C); It == IndexOf.end())
        Enter(C);
      else if (OnComponent.count(C))
        Walk.back().Low = std::min(Walk.back().Low, It->second);
      continue;
    }
    Node N = Walk.back();
    Walk.pop_back();
    if (!Walk.empty())
      Walk.back().Low = std::min(Walk.back().Low, N.Low);
    if (N.Low != N.Index)
      continue;
    // F is the root of a component: its members are on top of Component.
    size_t First = Component.size();
    while (Component[--First] != F) {
    }
    bool Result = false;
    for (size_t I = First; I < Component.size() && !Result; ++I) {
      const auto &C = Calls[Component[I]];
      Result = C.first;
      for (const FunctionDecl *Callee : C.second) {
        auto It = Matters.find(Callee);
        Result = Result || (It != Matters.end() && It->second);
      }
    }
    for (size_t I = First; I < Component.size(); ++I) {
      Matters[Component[I]] = Result;
      OnComponent.erase(Component[I]);
    }
    Component.resize(First);
  }
  return Matters[Def];
}

bool FunctionSummaries::callsPipeHelper(const Stmt *Body) {
  llvm::SmallVector<const FunctionDecl *, 8> Called;
  // Every callee, also after a task start or join in the body itself: a
  // function that starts a thread and makes its pipe with a helper
  // (`PipeFds pipe; std::thread w(write, pipe.wr);`) calls one.
  walkCalls(Body, Model, Called, Reach::MakesOrCloses, /*AllCallees=*/true);
  for (const FunctionDecl *Def : Called)
    if (mayMatter(Def))
      return true;
  return false;
}

} // namespace clang::tidy::pipe
