//===--- StartPipes.cpp - the pipes a start helper makes for its task -----===//
//
// A helper that starts a child or a thread usually makes the task's pipe
// too: `start_command(&cmd)` makes a pipe, forks a child whose standard
// output is its write end, closes that end in the parent and leaves the
// read end in `cmd->out`; `popen2(cmd, &pid)` returns the read end and
// puts the pid in `*pidp`; `Proc spawn(...)` returns both in a struct.
// The start summary (FunctionSummaries.cpp, startOf()) says where the task's
// handle goes; this file adds the pipes: which of the helper's own pipes
// the task has an end of (held, its standard output or input), and, for
// each kind of exit (an outcome: started or not, where each new end is),
// what the caller finds after the call. The engine makes the ends at the
// call (StartPipes in engine/, applyStartOutcomes()).
//
// An end the helper gives to the task it starts (the write end a thread's
// routine gets through its record or its argument: handed off, and held by
// the task, on a started exit) is an outcome of its own: the caller's task
// holds it, as after a start in the caller.
//
// The caller's other places must be as they were: no pointee given away,
// every descriptor the caller passed still open where it was, except the
// places the outcome writes (the handle, the new ends) and copies of
// numbers the caller passed by value. Anything else, an end handed off
// elsewhere or open somewhere the caller cannot reach, gives no pipes: the
// start summary is then what it was without them.
//
//===----------------------------------------------------------------------===//
#include "summaries/StartPipes.h"
#include "engine/FunctionAnalysis.h"
#include "models/TaskModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"

namespace clang::tidy::pipe {

namespace {

using Seed = FunctionAnalysis::SeededPlace;

/// The caller's place the helper's place \p L stands for, if below a seeded
/// pointee.
std::optional<SummarySlot> pointeeSlot(LocKey L, llvm::ArrayRef<Seed> Seeds) {
  for (const Seed &P : Seeds) {
    if (P.ByValue || P.Captured || P.Place.Base != L.Base)
      continue;
    SummarySlot Sl;
    Sl.K = SummarySlot::Pointee;
    Sl.Param = P.Param;
    Sl.Sel = L.Sel;
    return Sl;
  }
  return std::nullopt;
}

} // namespace

bool startPipesOf(const FunctionAnalysis &A, llvm::ArrayRef<Seed> Seeds,
                  TaskId Own, bool ReturnsPid, StartSummary &St) {
  const TaskInfo &Info = A.tasks()[Own];
  const FunctionDecl *FD = A.function();
  if (!FD)
    return false;
  QualType RetT = FD->getReturnType().getCanonicalType();
  // A struct returned by value, or a pointer to an object it allocates:
  // the handle and ends are in its members (ResultShape, FunctionAnalysis.h).
  const ResultShape Result(RetT);
  const bool RecordResult = Result.Record, PointerResult = Result.Pointer;
  bool NonVoid = !RetT->isVoidType() && !RecordResult;
  const llvm::SmallVector<SelPath, 8> &RetSels = Result.Sels;

  // The helper's own pipes the task has an end of: the first end of each
  // (a read end, or a socket pair's first) is followed by its peer.
  llvm::SmallVector<EndId, 4> New;
  StartSummary::NewPipe Pipes[2];
  unsigned NPipes = 0;
  for (EndId E = 0; E + 1 < A.ends().size(); ++E) {
    const EndInfo &EI = A.ends()[E];
    if ((EI.Kind != EndKind::PipeRead && EI.Kind != EndKind::SocketEnd) ||
        EI.Peer != int(E + 1))
      continue;
    StartSummary::NewPipe P;
    P.Socket = EI.Kind == EndKind::SocketEnd;
    bool Any = false;
    for (unsigned K = 0; K < 2; ++K) {
      EndId X = E + K;
      P.Held[K] = llvm::is_contained(Info.Holds, X);
      P.Output[K] = llvm::is_contained(Info.Outputs, X);
      P.Input[K] = llvm::is_contained(Info.Inputs, X);
      P.ReadsToEof[K] = llvm::is_contained(Info.ReadsToEof, X);
      P.Name[K] = A.nameOf(X);
      Any |= P.Held[K] || P.Output[K] || P.Input[K] || P.ReadsToEof[K];
    }
    if (!Any)
      continue;
    if (NPipes == 2)
      return false; // more than the summary keeps
    Pipes[NPipes++] = P;
    New.push_back(E);
    New.push_back(E + 1);
  }
  if (!NPipes)
    return false;

  // Where the handle goes: a place below a pointer parameter (the start
  // put it there, or a pid variable was copied there: `*pidp = pid;`), or
  // a member of the struct it returns.
  std::optional<SummarySlot> Handle;
  LocKey HandleAt;
  if (Info.Place.Base)
    if ((Handle = pointeeSlot(Info.Place, Seeds)))
      HandleAt = Info.Place;
  for (LocKey L : Info.CopiedTo)
    if (!Handle)
      if ((Handle = pointeeSlot(L, Seeds)))
        HandleAt = L;
  // The member is the one that holds the handle on every exit that starts
  // the task: the place the start wrote (`r.pid = fork()`, `p->t = ...`) or
  // one the pid was copied to (`pid_t pid = fork(); ... r.pid = pid;`) or
  // the thread or future moved to (`return Job{std::move(w), p[0]};`).
  bool HandleInStruct = false;
  if (!Handle && (RecordResult || PointerResult)) {
    llvm::SmallVector<LocKey, 2> Candidates;
    if (Info.Place.Base)
      Candidates.push_back(Info.Place);
    Candidates.append(Info.CopiedTo.begin(), Info.CopiedTo.end());
    std::optional<SelPath> Sel;
    bool Same = true;
    A.forEachExit([&](const ExitPoint &X, const PathState &S) {
      if (!Same || S.taskStatus(Own) != TaskRunning)
        return;
      std::optional<AbsVal> Ret;
      std::optional<LocKey> RS = Result.returnedPlace(A, X.S, S, Ret);
      std::optional<SelPath> Here;
      for (LocKey L : Candidates)
        if (RS && L.Base == RS->Base && L.Sel) {
          Here = L.Sel;
          break;
        }
      Same = Here && (!Sel || *Sel == *Here);
      Sel = Here;
    });
    if (Same && Sel) {
      HandleInStruct = true;
      SummarySlot Sl;
      Sl.K = SummarySlot::ReturnedSub;
      Sl.Sel = *Sel;
      Handle = Sl;
    }
  }
  // Or the call's value: a pid the helper returns.
  bool HandleReturned = false;
  if (!Handle && ReturnsPid && NonVoid) {
    HandleReturned = true;
    SummarySlot Sl;
    Sl.K = SummarySlot::Returned;
    Handle = Sl;
  }
  if (!Handle)
    return false;
  bool Pid = Info.Kind == TaskKind::ForkChild && !HandleReturned;

  bool Ok = true, AnyStarted = false;
  llvm::SmallVector<StartSummary::Outcome, 2> Outcomes;
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    if (!Ok)
      return;
    uint8_t TS = S.taskStatus(Own);
    if (throwIsNoOutcome(A, X, S, Own))
      return;
    if (X.K == ExitPoint::Throw || (TS != TaskRunning && TS != TaskNotStarted)) {
      Ok = false;
      return;
    }
    StartSummary::Outcome O;
    O.Started = TS == TaskRunning;
    AnyStarted |= O.Started;
    // The caller's pointees stay the caller's.
    for (const Seed &P : Seeds)
      if (!P.ByValue && S.escaped(P.Place.Base))
        Ok = false;
    std::optional<AbsVal> Ret;
    std::optional<LocKey> RetStruct = Result.returnedPlace(A, X.S, S, Ret);
    // `return std::nullopt;` where nothing started: no object, and the
    // ends it made must be closed (below).
    bool Empty = !O.Started && Result.returnsEmpty(X.S);
    if (RecordResult && !RetStruct && !Empty) {
      Ok = false;
      return;
    }
    // No object: NULL, on a path that started nothing.
    if (PointerResult && !RetStruct &&
        (O.Started || !Ret || Ret->K != AbsVal::Int || Ret->Lo != 0 ||
         Ret->Hi != 0)) {
      Ok = false;
      return;
    }
    O.ReturnsObject = PointerResult && RetStruct;
    O.Empty = Empty;
    // The places of the caller's this outcome writes.
    llvm::SmallVector<LocKey, 4> Written;
    LocKey H = HandleAt;
    if (HandleInStruct && RetStruct)
      H = LocKey{RetStruct->Base, Handle->Sel};
    if (HandleReturned) {
      // A started child's pid is what the call returns on this path.
      if (O.Started && !(Ret && Ret->K == AbsVal::Int && Ret->Lo >= 1)) {
        Ok = false;
        return;
      }
    } else if (!HandleInStruct || RetStruct) {
      Written.push_back(H);
    }
    if (Pid && (!HandleInStruct || RetStruct)) {
      AbsVal V = S.load(H);
      if (V.K == AbsVal::Int) {
        O.HasHandleValue = true;
        O.HandleLo = V.Lo;
        O.HandleHi = V.Hi;
      }
      // A started child's pid must be there on this path.
      if (O.Started && !(V.K == AbsVal::Int && V.Lo >= 1)) {
        Ok = false;
        return;
      }
    }
    for (EndId E : New) {
      uint8_t Status = S.status(E);
      SummarySlot Where;
      // The end it returns is handed off there (and, its peer closed, no
      // longer in the state at all): the caller gets it open.
      if (Ret && Ret->K == AbsVal::End && Ret->E == E &&
          (Status == HandedOff || Status == NotCreated)) {
        Where.K = SummarySlot::Returned;
        Status = Open;
      } else if (Status == Open) {
        bool Found = false;
        // A place below a seeded pointee (`cmd->out`, `*fdp`).
        S.forEachLocationOf(E, [&](LocKey L) {
          if (Found)
            return;
          if (auto Sl = pointeeSlot(L, Seeds)) {
            Where = *Sl;
            Written.push_back(L);
            Found = true;
          }
        });
        if (!Found && RetStruct)
          for (SelPath Sel : RetSels) {
            AbsVal V = S.load(LocKey{RetStruct->Base, Sel});
            if (V.K == AbsVal::End && V.E == E) {
              Where.K = SummarySlot::ReturnedSub;
              Where.Sel = Sel;
              Found = true;
              break;
            }
          }
        // A member of an object of a class with a destructor of its own,
        // which its constructor filled (`return ChildProcess(pid, p[0]);`):
        // the class model says what its methods and destructor do there.
        if (!Found && RetStruct && RetSels.empty())
          S.forEachLocationOf(E, [&](LocKey L) {
            if (!Found && L.Base == RetStruct->Base && L.Sel &&
                !(L.Sel >> 16)) {
              Where.K = SummarySlot::ReturnedSub;
              Where.Sel = L.Sel;
              Found = true;
            }
          });
        if (!Found) {
          Ok = false; // open where the caller cannot reach it
          return;
        }
      } else if (Status == Closed ||
                 (Status == HandedOff && O.Started &&
                  (llvm::is_contained(Info.Holds, E) ||
                   llvm::is_contained(Info.ReadsToEof, E)))) {
        // Closed in this process, or given to the task it started (a
        // thread's routine, which writes it, or reads it to its end, and
        // closes it when done): the caller finds the task holding it, as
        // after a start of its own.
        // Where the helper left the number, if the caller can reach it
        // (`p->wfd`, closed or not); a Value slot says nowhere.
        Where.K = SummarySlot::Value;
        S.forEachLocationOf(E, [&](LocKey L) {
          if (Where.K != SummarySlot::Value)
            return;
          if (auto Sl = pointeeSlot(L, Seeds)) {
            Where = *Sl;
            Written.push_back(L);
          }
        });
      } else if (Status != NotCreated) {
        Ok = false; // handed off elsewhere, or closed on some paths only
        return;
      }
      O.Status.push_back(Status);
      O.Where.push_back(Where);
      O.Flags.push_back(Status == Open ? S.flags(E) : 0);
    }
    // Every descriptor of the caller's still open, and no end of the
    // helper's left in the caller's places but those the outcome names.
    for (EndId E = 0; E < A.ends().size() && Ok; ++E) {
      const Seed *P = A.seedOf(E);
      if (!P || S.hasFlag(E, Numeric))
        continue; // (a count kept there: FunctionSummaries.cpp)
      if (S.status(E) != Open) {
        Ok = false;
        break;
      }
      if (P->ByValue)
        continue;
      // An integer stored over it (`j->status = 0`), or a copy of a number
      // the caller passed by value (`p->volume = volume`, which the caller
      // still has), leaves the caller's place as the caller had it; another
      // end there would be lost.
      AbsVal V = S.load(P->Place);
      const Seed *VS = V.K == AbsVal::End ? A.seedOf(V.E) : nullptr;
      if (V.K == AbsVal::End && V.E != E && !(VS && VS->ByValue) &&
          !llvm::is_contained(Written, P->Place))
        Ok = false;
    }
    if (!Ok)
      return;
    if (NonVoid && Ret && !O.ReturnsObject) {
      if (Ret->K == AbsVal::Int) {
        O.HasResult = true;
        O.RetLo = Ret->Lo;
        O.RetHi = Ret->Hi;
      } else if (Ret->K == AbsVal::End && llvm::is_contained(New, Ret->E)) {
        O.HasResult = true;
        O.RetLo = 0;
        O.RetHi = INT64_MAX;
      }
    }
    for (StartSummary::Outcome &Old : Outcomes) {
      if (Old.Started != O.Started || Old.Status != O.Status ||
          Old.Where != O.Where || Old.ReturnsObject != O.ReturnsObject ||
          Old.Empty != O.Empty)
        continue;
      for (unsigned I = 0; I < O.Flags.size(); ++I)
        Old.Flags[I] = uint16_t(
            ((Old.Flags[I] | O.Flags[I]) & ~uint16_t(Cloexec | Nonblock)) |
            (Old.Flags[I] & O.Flags[I] & (Cloexec | Nonblock)));
      if (Old.HasResult && O.HasResult) {
        Old.RetLo = std::min(Old.RetLo, O.RetLo);
        Old.RetHi = std::max(Old.RetHi, O.RetHi);
      } else {
        Old.HasResult = false;
      }
      if (Old.HasHandleValue && O.HasHandleValue) {
        Old.HandleLo = std::min(Old.HandleLo, O.HandleLo);
        Old.HandleHi = std::max(Old.HandleHi, O.HandleHi);
      } else {
        Old.HasHandleValue = false;
      }
      return;
    }
    if (Outcomes.size() == 6) {
      Ok = false;
      return;
    }
    Outcomes.push_back(std::move(O));
  });
  if (!Ok || !AnyStarted)
    return false;
  St.Handle = *Handle;
  St.Pipes.assign(Pipes, Pipes + NPipes);
  St.Outcomes = std::move(Outcomes);
  St.InReturnedStruct = RecordResult || PointerResult;
  St.ReturnsObjectPointer = PointerResult;
  St.ReturnsOptional = Result.Optional;
  return true;
}

bool throwIsNoOutcome(const FunctionAnalysis &A, const ExitPoint &X,
                      const PathState &S, std::optional<TaskId> Own) {
  if (X.K != ExitPoint::Throw ||
      (Own && S.taskStatus(*Own) != TaskNotStarted))
    return false;
  // The caller's places: the pointees of its pointer and reference
  // arguments, its object.
  auto CallersPlace = [&](LocKey L) {
    return llvm::any_of(A.seededPlaces(),
                        [&](const FunctionAnalysis::SeededPlace &P) {
                          return !P.ByValue && !P.Captured && !P.Opaque &&
                                 P.Place.Base == L.Base;
                        });
  };
  bool MadeOpen = false;
  S.forEachTouchedEnd([&](EndId E) {
    if (MadeOpen || A.ends()[E].Kind == EndKind::Parameter ||
        !(S.status(E) & Open))
      return;
    bool Kept = S.status(E) == Open && !S.hasFlag(E, Lost);
    if (Kept) {
      bool InCallers = false;
      S.forEachLocationOf(E, [&](LocKey L) { InCallers |= CallersPlace(L); });
      Kept = InCallers;
    }
    MadeOpen = !Kept;
  });
  return !MadeOpen;
}

} // namespace clang::tidy::pipe
