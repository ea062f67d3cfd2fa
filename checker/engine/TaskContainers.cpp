//===--- TaskContainers.cpp - threads and futures kept in a container -----===//
//
// C++ keeps a pool of writers in a container rather than in variables of
// their own:
//
//   std::vector<std::thread> writers;
//   for (unsigned i = 0; i < n; ++i)
//     writers.emplace_back([fd = p.wr, i] { write_shard(fd, i); });
//   ...                                   // a return or a throw here
//   for (auto &t : writers)
//     t.join();
//
// A local variable whose type is a std::vector, std::deque or std::list of
// std::thread, std::jthread or std::future (taskContainerKind()) is the
// handle of every task put in it: a thread constructed in place
// (`emplace_back(fn, args...)`, classifyTaskStart()), or a thread or future
// made by the argument of `push_back()`/`emplace_back()` (discovery:
// noteContainerStart()). One abstract task stands for all the elements
// started at that site. Destroying the container destroys them
// (transferDtorOf(): a joinable std::thread calls std::terminate, a future
// of std::async waits). Its bookkeeping (size(), empty(), reserve(), the
// calls that add a task) gives nothing away (isContainerBookkeeping());
// any other use (an index, an iterator, a function given the container, a
// range-for this file does not recognise) hands its tasks off, as for any
// handle.
//
// A range-for over the container whose body joins each element on every
// turn (`t.join()`, `f.get()`, `f.wait()`, also under `if (t.joinable())`
// or `if (f.valid())`, with no way out of the body) joins them all: it is
// taken whole where it starts, at its range statement (joinAllLoopStartedBy),
// as CloseAllLoops.cpp takes a loop that closes every descriptor. Any
// other loop is left to the turn-by-turn transfer, which cannot name the
// element and gives the tasks away.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"

#include "clang/AST/StmtCXX.h"

namespace clang::tidy::pipe {

namespace {

/// The local variable a member call is made on, when it is a container of
/// task handles.
const VarDecl *containerObject(const CXXMemberCallExpr *MCE) {
  const VarDecl *VD = localVarOf(MCE->getImplicitObjectArgument());
  return VD && taskContainerKind(VD->getType()) ? VD : nullptr;
}

bool isMethod(const CXXMemberCallExpr *MCE,
              std::initializer_list<llvm::StringRef> Names) {
  const CXXMethodDecl *MD = MCE->getMethodDecl();
  if (!MD || !MD->getIdentifier())
    return false;
  for (llvm::StringRef N : Names)
    if (MD->getName() == N)
      return true;
  return false;
}

/// `t.join()`, `f.get()`, `f.wait()` on loop variable \p V.
const CXXMemberCallExpr *joinOf(const Stmt *S, const VarDecl *V) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return nullptr;
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(E->IgnoreParenImpCasts());
  if (!MCE || localVarOf(MCE->getImplicitObjectArgument()) != V ||
      !isMethod(MCE, {"join", "get", "wait"}))
    return nullptr;
  return MCE;
}

/// The join a statement of the body makes unconditionally: the statement
/// itself, a join inside it (`total += f.get();`, `auto r = f.get();`), or
/// under `if (t.joinable())` / `if (f.valid())`.
const CXXMemberCallExpr *joinIn(const Stmt *S, const VarDecl *V) {
  if (!S)
    return nullptr;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    const auto *Test = dyn_cast<CXXMemberCallExpr>(
        If->getCond() ? If->getCond()->IgnoreParenImpCasts() : nullptr);
    if (If->getElse() || If->getInit() || !Test ||
        localVarOf(Test->getImplicitObjectArgument()) != V ||
        !isMethod(Test, {"joinable", "valid"}))
      return nullptr;
    const Stmt *Then = If->getThen();
    if (const auto *C = dyn_cast<CompoundStmt>(Then); C && C->size() == 1)
      Then = C->body_front();
    return joinOf(Then, V);
  }
  if (isa<IfStmt, SwitchStmt, WhileStmt, DoStmt, ForStmt, CXXForRangeStmt,
          ConditionalOperator, BinaryConditionalOperator>(S))
    return nullptr;
  if (const CXXMemberCallExpr *J = joinOf(S, V))
    return J;
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr))
    return nullptr;
  for (const Stmt *C : S->children())
    if (const CXXMemberCallExpr *J = joinIn(C, V))
      return J;
  return nullptr;
}

/// Can the body leave the loop or the function before its turn ends?
bool leavesEarly(const Stmt *S, bool Nested) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return false;
  if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr, CXXTryStmt>(
          S) ||
      (isa<BreakStmt, ContinueStmt>(S) && !Nested))
    return true;
  bool Inner =
      Nested || isa<WhileStmt, ForStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(S);
  for (const Stmt *C : S->children())
    if (leavesEarly(C, Inner))
      return true;
  return false;
}

} // namespace

void FlowEngineImpl::noteContainerStart(const Stmt *St) {
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(St);
  const VarDecl *C = MCE ? containerObject(MCE) : nullptr;
  if (!C)
    return;
  // `workers.emplace_back(fn, args...)`: the call starts the thread.
  if (classifyTaskStart(MCE, &Model)) {
    InitOf[MCE] = C;
    return;
  }
  // `workers.push_back(std::thread(...))`, `futs.push_back(std::async(...))`:
  // the argument starts it, and the container keeps it.
  if (MCE->getNumArgs() == 1 &&
      isMethod(MCE, {"push_back", "emplace_back", "push_front",
                     "emplace_front"}) &&
      taskHandleKind(MCE->getArg(0)->getType()))
    InitOf[stripTemporary(MCE->getArg(0))] = C;
}

bool FlowEngineImpl::isContainerBookkeeping(const CallExpr *CE) const {
  const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
  return MCE && containerObject(MCE) &&
         isMethod(MCE, {"size", "empty", "reserve", "capacity",
                        "shrink_to_fit", "push_back", "emplace_back",
                        "push_front", "emplace_front"});
}

const FlowEngineImpl::JoinAllLoop *
FlowEngineImpl::joinAllLoopStartedBy(const Stmt *St) {
  const CXXForRangeStmt *FRS = R.Tasks.empty() ? nullptr : rangeForStartedBy(St);
  if (!FRS)
    return nullptr;
  auto [It, New] = JoinAllLoops.try_emplace(FRS);
  if (!New)
    return It->second ? &*It->second : nullptr;
  const VarDecl *Container = localVarOf(FRS->getRangeInit());
  const VarDecl *Elem = FRS->getLoopVariable();
  if (!Container || !Elem || !taskContainerKind(Container->getType()) ||
      leavesEarly(FRS->getBody(), false))
    return nullptr;
  llvm::SmallVector<const Stmt *, 4> Body;
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(FRS->getBody()))
    Body.append(CS->body_begin(), CS->body_end());
  else if (FRS->getBody())
    Body.push_back(FRS->getBody());
  for (const Stmt *S : Body)
    if (const CXXMemberCallExpr *J = joinIn(S, Elem)) {
      It->second = JoinAllLoop{Container, J};
      break;
    }
  return It->second ? &*It->second : nullptr;
}

void FlowEngineImpl::applyJoinAllLoop(const JoinAllLoop &L, PathState &S,
                                      bool Observe) {
  if (S.escaped(L.Container))
    return;
  auto It = TasksOfHandle.find(L.Container);
  if (It == TasksOfHandle.end())
    return;
  for (TaskId T : It->second)
    joinTask(T, L.Join, S, Observe);
}

} // namespace clang::tidy::pipe
