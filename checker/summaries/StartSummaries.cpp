//===--- StartSummaries.cpp - the task a function starts for its caller ---===//
//
// The start summary of a function (FunctionSummary::Starts): exactly one
// task of its own (a thread, a child, a future), left running with its
// handle where the caller finds it (a place below a pointer or reference
// parameter, a pid copied there, or the returned value) on every exit that
// starts it, the other exits starting nothing and told apart by the
// result; what the task holds of the caller's. The pipes such a function
// makes for its task are StartPipes.cpp's.
//
//===----------------------------------------------------------------------===//
#include "summaries/StartPipes.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"

namespace clang::tidy::pipe {

namespace {
/// The caller's place a place below a seeded base stands for.
std::optional<SummarySlot>
slotBelow(LocKey L, llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds) {
  for (const FunctionAnalysis::SeededPlace &P : Seeds) {
    if (P.Place.Base != L.Base)
      continue;
    SummarySlot Sl = slotOf(P);
    if (Sl.K != SummarySlot::Value)
      Sl.Sel = L.Sel;
    return Sl;
  }
  return std::nullopt;
}

/// Does \p RS give back the handle of the task \p Info by value: the
/// start itself (`return std::async(...)`, `return start_inner(fd)`) or the
/// local variable that holds it (`return t;`)?
/// A child's pid is an integer: `pid_t pid = fork(); ... return pid;` (or
/// `return fork();`) gives the child back the same way.
bool returnsTaskAt(const ReturnStmt *RS, const TaskInfo &Info) {
  bool Pid;
  const Expr *E = returnedHandle(RS, Pid);
  if (!E || (Pid && Info.Kind != TaskKind::ForkChild))
    return false;
  if (E == Info.Origin)
    return true;
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE)
    return false;
  return (Info.Handle && DRE->getDecl() == Info.Handle) ||
         (Pid && Info.Place.Base == DRE->getDecl() && Info.Place.Sel == 0 &&
          !Info.PlaceAnyElement);
}

/// Is the task's handle kept nowhere but in a local variable of the
/// function itself (or nowhere)? Then only a `return` can give it back.
bool handleIsLocal(const TaskInfo &Info,
                   llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds) {
  if (!Info.Place.Base)
    return true;
  if (Info.Place.Sel != 0 || slotBelow(Info.Place, Seeds))
    return false;
  const auto *V = dyn_cast<VarDecl>(Info.Place.Base);
  return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
         !V->getType()->isReferenceType();
}

/// Is some exit of \p A a `return` of the task's handle?
bool returnsTask(const FunctionAnalysis &A, const TaskInfo &Info) {
  bool Any = false;
  A.forEachExit([&](const ExitPoint &X, const PathState &) {
    Any |= returnsTaskAt(dyn_cast_or_null<ReturnStmt>(X.S), Info);
  });
  return Any;
}
} // namespace

/// Starts: exactly one task of its own, left running with its handle in a
/// caller's place on every exit that starts it, the others starting nothing
/// and told apart by the result; what it holds, in the caller's places.
std::optional<StartSummary>
startOf(const FunctionAnalysis &A,
        llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds, bool NonVoid) {
  std::optional<TaskId> Own;
  for (TaskId T = 0; T < A.tasks().size(); ++T) {
    if (A.tasks()[T].FromCaller)
      continue;
    if (Own)
      return std::nullopt; // two tasks
    Own = T;
  }
  if (!Own)
    return std::nullopt;
  const TaskInfo &Info = A.tasks()[*Own];
  StartSummary St;
  St.Kind = Info.Kind;
  // The pipes it makes for the task, with what the caller finds after the
  // call (StartPipes.cpp); else only the handle, as below.
  // Its handle returned by value on every exit that starts it
  // (`return std::async(...)`, `return pid;`), or kept in a caller's place.
  bool Returned = handleIsLocal(Info, Seeds) && returnsTask(A, Info);
  bool WithPipes = startPipesOf(
      A, Seeds, *Own, Returned && Info.Kind == TaskKind::ForkChild, St);
  Returned &= !WithPipes;
  // A child's pid copied into a caller's place (`*pid_out = pid;`): that
  // place, checked below to hold the pid on every exit that starts it.
  std::optional<LocKey> CopiedPid;
  if (!WithPipes) {
    std::optional<SummarySlot> Handle;
    if (Returned) {
      Handle = SummarySlot();
      Handle->K = SummarySlot::Returned;
    } else if (Info.Place.Base) {
      Handle = slotBelow(Info.Place, Seeds);
    }
    if ((!Handle || Handle->K != SummarySlot::Pointee) && !Returned &&
        Info.Kind == TaskKind::ForkChild)
      for (LocKey L : Info.CopiedTo)
        if (std::optional<SummarySlot> C = slotBelow(L, Seeds);
            C && C->K == SummarySlot::Pointee) {
          Handle = C;
          CopiedPid = L;
          break;
        }
    if (!Handle || (Handle->K != SummarySlot::Pointee &&
                    Handle->K != SummarySlot::Returned))
      return std::nullopt;
    St.Handle = *Handle;
  }
  St.MaxBytes = Info.MaxBytes;
  St.Spawned = Info.Spawned;
  St.StopAware = Info.StopAware;
  St.Runs = Info.Runs;
  St.Body = Info.Body;
  St.Callbacks = Info.Callbacks; // a start helper's own, below this one
  auto SlotsOf = [&](llvm::ArrayRef<EndId> Ends,
                     llvm::SmallVectorImpl<SummarySlot> &Out) {
    for (EndId E : Ends)
      if (const FunctionAnalysis::SeededPlace *P = A.seedOf(E))
        Out.push_back(slotOf(*P));
  };
  SlotsOf(Info.Holds, St.Holds);
  SlotsOf(Info.Outputs, St.Outputs);
  SlotsOf(Info.Inputs, St.Inputs);
  if (WithPipes)
    return St;
  bool Ok = true, AnyStarted = false;
  int64_t OkLo = INT64_MAX, OkHi = INT64_MIN, FailLo = INT64_MAX,
          FailHi = INT64_MIN;
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    uint8_t Status = S.taskStatus(*Own);
    // An exception before the start leaves nothing running: the caller's
    // own exception paths see the call throw.
    if ((Returned && X.K == ExitPoint::Throw && Status == TaskNotStarted) ||
        throwIsNoOutcome(A, X, S, *Own))
      return;
    if (Returned && Status == TaskRunning &&
        !returnsTaskAt(dyn_cast_or_null<ReturnStmt>(X.S), Info)) {
      Ok = false; // running, but not given back here
      return;
    }
    if (X.K == ExitPoint::Throw ||
        (Status != TaskRunning && Status != TaskNotStarted)) {
      Ok = false;
      return;
    }
    std::optional<AbsVal> Ret;
    if (const auto *RS = dyn_cast_or_null<ReturnStmt>(X.S))
      if (const Expr *RV = RS->getRetValue())
        Ret = A.valueOf(RV, S);
    bool Started = Status == TaskRunning;
    AnyStarted |= Started;
    if (Started && CopiedPid) {
      AbsVal V = S.load(*CopiedPid);
      if (!(V.K == AbsVal::Int && V.Lo >= 1)) {
        Ok = false; // the caller's place does not hold the pid here
        return;
      }
    }
    if (!NonVoid) {
      Ok &= Started; // a void helper: no way to tell a failure
      return;
    }
    if (!Ret || Ret->K != AbsVal::Int) {
      Ok &= Started;
      OkLo = INT64_MIN;
      OkHi = INT64_MAX;
      return;
    }
    int64_t &Lo = Started ? OkLo : FailLo, &Hi = Started ? OkHi : FailHi;
    Lo = std::min(Lo, Ret->Lo);
    Hi = std::max(Hi, Ret->Hi);
  });
  if (!Ok || !AnyStarted)
    return std::nullopt;
  if (NonVoid) {
    St.OkLo = OkLo;
    St.OkHi = OkHi;
  }
  if (FailLo <= FailHi) {
    if (!(OkHi < FailLo || FailHi < OkLo))
      return std::nullopt; // the result does not say whether it started
    St.HasFailure = true;
    St.FailLo = FailLo;
    St.FailHi = FailHi;
  }
  return St;
}

} // namespace clang::tidy::pipe
