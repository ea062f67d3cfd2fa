//===--- StartPipes.cpp - the pipes a start helper makes, at its call -----===//
//
// The engine's side of summaries/StartPipes.h: a call of a helper that
// starts a task and makes its pipes (`start_command(&cmd)`, `fd =
// popen2(cmd, &pid)`, `Proc p = spawn(argv)`). The call's ends are
// numbered in discovery (two per pipe, Discovery.cpp); here each outcome
// of the helper becomes a path: the task started or not, each new end
// open where the helper left it (a member of the caller's struct, the
// result, a member of the returned struct) or closed in this process, the
// result and the pid as the helper left them, or given to the task it
// started (a thread's routine that writes it). What the task holds, makes
// its standard output or input, is recorded on the task, as for a fork()
// in this function.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

std::optional<LocKey> FlowEngineImpl::startSlotPlace(const CallExpr *CE,
                                                     const SummarySlot &Sl,
                                                     const PathState &S,
                                                     bool EvenEscaped) {
  std::optional<LocKey> L;
  if (Sl.K == SummarySlot::Pointee) {
    L = argumentPlace(CE, Sl.Param, S, EvenEscaped);
  } else if (Sl.K == SummarySlot::ReturnedSub) {
    // The struct it returns: a place of this analysis until the caller
    // copies it (`Proc p = spawn(...)`).
    const FunctionDecl *Callee = ApiModel::calleeOf(CE);
    if (!Callee)
      return std::nullopt;
    // Or the object it allocated and returns a pointer to.
    L = LocKey{objectReturnedBy(CE, Callee), 0};
  }
  return L ? descend(*L, Sl.Sel) : std::nullopt;
}

void FlowEngineImpl::copyTaskPlaces(LocKey From, LocKey To) {
  llvm::SmallVector<std::pair<TaskId, LocKey>, 2> Add;
  for (const auto &P : TaskPlace) {
    if (!isWithin(P.second, From))
      continue;
    if (std::optional<LocKey> L =
            descend(To, P.second.Sel >> (16 * depthOf(From))))
      Add.push_back({P.first, *L});
  }
  for (const auto &A : Add) {
    addTaskPlace(A.first, A.second);
    if (R.Tasks[A.first].Place.Base == From.Base)
      R.Tasks[A.first].HandleName = R.locName(A.second);
  }
}

bool FlowEngineImpl::applyStartOutcomes(const CallExpr *CE, TaskId T,
                                        uint8_t Status, PathState &S,
                                        llvm::SmallVectorImpl<PathState> &Out) {
  const FunctionSummary &FS = *TaskCodes[T].Helper;
  const StartSummary &St = *FS.Starts;
  auto First = FirstEndOfCall.find(CE);
  if (St.Outcomes.empty() || First == FirstEndOfCall.end())
    return false;
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee)
    return false;
  // Every place an outcome writes must be one we follow.
  llvm::SmallVector<unsigned, 4> Handled;
  auto Note = [&](const SummarySlot &Sl) {
    if (Sl.K == SummarySlot::Pointee && !llvm::is_contained(Handled, Sl.Param))
      Handled.push_back(Sl.Param);
  };
  // The handle: a place of ours the helper writes, or (a returned pid) the
  // call's value, kept where the call's value goes (discoverTasks()).
  bool HandleReturned = St.Handle.K == SummarySlot::Returned;
  std::optional<LocKey> HandlePlace;
  // A returned pid is also what tells the outcomes apart: stored where we
  // do not follow it (`m_pid = popen2(...)` in a method), a later test of
  // it cannot tell them apart, and the call hands its arguments off.
  if (HandleReturned)
    if (auto At = AssignedTo.find(CE); At != AssignedTo.end()) {
      auto LV = lvalueOf(At->second, S);
      if (!LV || !LV->Tracked || LV->AnyIndex)
        return false;
    }
  if (!HandleReturned) {
    HandlePlace = startSlotPlace(CE, St.Handle, S, /*EvenEscaped=*/false);
    if (!HandlePlace)
      return false;
    Note(St.Handle);
  }
  size_t NEnds = 2 * St.Pipes.size();
  llvm::SmallVector<std::optional<LocKey>, 4> Places(NEnds);
  for (const StartSummary::Outcome &O : St.Outcomes)
    for (unsigned I = 0; I < O.Status.size() && I < NEnds; ++I) {
      if (O.Status[I] == NotCreated ||
          O.Where[I].K == SummarySlot::Returned ||
          O.Where[I].K == SummarySlot::Value)
        continue;
      std::optional<LocKey> L = startSlotPlace(CE, O.Where[I], S, false);
      if (!L || (Places[I] && !(*Places[I] == *L)))
        return false;
      Places[I] = L;
      Note(O.Where[I]);
    }
  // What the task has of the new pipes.
  TaskInfo &Info = R.Tasks[T];
  for (unsigned K = 0; K < St.Pipes.size(); ++K)
    for (unsigned J = 0; J < 2; ++J) {
      EndId E = First->second + 2 * K + J;
      if (St.Pipes[K].Held[J])
        addHeldEnd(E, Info);
      if (St.Pipes[K].Output[J]) {
        addHeldEnd(E, Info);
        noteChildStdStream(Info, E, AbsVal::constant(1));
      }
      if (St.Pipes[K].Input[J])
        noteChildStdStream(Info, E, AbsVal::constant(0));
      if (St.Pipes[K].ReadsToEof[J] && !llvm::is_contained(Info.ReadsToEof, E))
        Info.ReadsToEof.push_back(E);
    }
  // The other arguments: kept by the helper, or handed off as to a
  // function we cannot see.
  unsigned N = Callee->getNumParams();
  for (unsigned I = 0; I < N; ++I)
    if (!llvm::is_contained(Handled, I) && !FS.keepsParam(I))
      handOffExpr(S, argumentFor(CE, I));
  for (unsigned I = N + (isa<CXXOperatorCallExpr>(CE) ? 1 : 0);
       I < CE->getNumArgs(); ++I)
    handOffExpr(S, CE->getArg(I));
  if (isa<CXXMemberCallExpr>(CE) &&
      !llvm::is_contained(Handled, SummarySlot::ThisParam) &&
      !FS.keepsParam(SummarySlot::ThisParam))
    handOffExpr(S, argumentFor(CE, SummarySlot::ThisParam));
  auto Range = [](int64_t Lo, int64_t Hi) {
    return Lo == Hi ? AbsVal::constant(Lo) : AbsVal::range(Lo, Hi);
  };
  std::optional<LocKey> Struct;
  if (St.InReturnedStruct) {
    SummarySlot Whole;
    Whole.K = SummarySlot::ReturnedSub;
    Struct = startSlotPlace(CE, Whole, S, false);
  }
  // The ends the caller never holds are named as the helper spells them,
  // `from[1] in start_filter()`; else after the helper's pipe:
  // `launch()[1]`, the second pipe's `start_filter()#2[0]`.
  for (unsigned I = 0; I < NEnds; ++I) {
    EndId E = First->second + I;
    if (!R.Ends[E].Name.empty() || Places[I])
      continue;
    const std::string &Own = St.Pipes[I / 2].Name[I % 2];
    R.Ends[E].Name =
        !Own.empty() ? Own + " in " + Callee->getNameAsString() + "()"
                     : Callee->getNameAsString() + "()" +
                           (I >= 2 ? "#" + std::to_string(I / 2 + 1) : "") +
                           "[" + std::to_string(I % 2) + "]";
  }
  for (const StartSummary::Outcome &O : St.Outcomes) {
    PathState P = S;
    P.setTask(T, O.Started ? Status : uint8_t(TaskNotStarted));
    bool ReturnsEnd = false;
    for (unsigned I = 0; I < O.Status.size() && I < NEnds; ++I) {
      EndId E = First->second + I;
      if (O.Status[I] == NotCreated)
        continue;
      if (O.Status[I] == Closed || O.Status[I] == HandedOff) {
        // Closed, or given to the task the helper started, which holds it
        // (St.Pipes' Held, recorded on the task above): as after a start
        // of ours, with the number where the helper left it.
        P.ref(E) = {O.Status[I], 0};
        if (Places[I] && O.Where[I].K != SummarySlot::Value) {
          setLoc(P, *Places[I], AbsVal::end(E));
          if (R.Ends[E].Name.empty())
            R.Ends[E].Name = R.locName(*Places[I]);
        }
        continue;
      }
      P.ref(E) = {Open, uint16_t(O.Flags[I] & ~uint16_t(Lost))};
      if (O.Where[I].K == SummarySlot::Returned) {
        setTemp(P, CE, AbsVal::end(E));
        ReturnsEnd = true;
      } else {
        setLoc(P, *Places[I], AbsVal::end(E));
        if (R.Ends[E].Name.empty())
          R.Ends[E].Name = R.locName(*Places[I]);
      }
    }
    if (O.HasHandleValue && HandlePlace)
      setLoc(P, *HandlePlace, Range(O.HandleLo, O.HandleHi));
    // A std::optional: engaged where it holds the object (`if (!child)`).
    if (Struct && St.ReturnsOptional)
      if (std::optional<LocKey> Engaged = child(*Struct, engagedSel()))
        setLoc(P, *Engaged, AbsVal::constant(O.Empty ? 0 : 1));
    if (Struct && (!St.ReturnsObjectPointer || O.ReturnsObject))
      setTemp(P, CE, AbsVal::addr(*Struct));
    else if (O.HasResult && !ReturnsEnd)
      setTemp(P, CE, Range(O.RetLo, O.RetHi));
    Out.push_back(std::move(P));
  }
  return true;
}

} // namespace clang::tidy::pipe
