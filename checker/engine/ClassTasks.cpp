//===--- ClassTasks.cpp - a destructor and the threads of its members -----===//
//
// The engine and the class model (summaries/ClassTasks.cpp): the destructor
// of a class whose constructors start a writer thread into a member starts
// with that task running, holding the write end of the member pipe, whose
// read end is open (seedClassTasks()). The destructor's own joins and
// closes then decide: a join before the read end is closed waits for a
// writer blocked on the full pipe; a std::thread member the body never
// joins is destroyed joinable after it (transferMemberDtor(), from the
// CFG's member destructors), which calls std::terminate.
//
// And where an object of such a class is destroyed: its destructor's
// joins of the tasks its members hold, started elsewhere (a factory, a
// constructor that forks), come before or after the destructor's closes
// as its summary orders them (destructorJoins(), used by transferDtorOf()).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "summaries/ClassModel.h"

namespace clang::tidy::pipe {

void FlowEngineImpl::seedClassTasks() {
  const auto *DD = dyn_cast_or_null<CXXDestructorDecl>(R.FD);
  if (!DD || !Body)
    return;
  llvm::SmallVector<MemberTask, 1> Tasks =
      functionSummaries(Summaries, Ctx, Budget).classes().heldTasks(DD);
  if (Tasks.empty())
    return;
  if (!ThisPlace) {
    QualType Object = DD->getThisType()->getPointeeType().getUnqualifiedType();
    ThisPlace = makePlaceholder(DD, Object, nullptr);
  }
  for (const MemberTask &M : Tasks) {
    // The pipe, unless a place of it is already seeded.
    std::optional<EndId> Ends[2];
    for (unsigned K = 0; K < 2; ++K) {
      AbsVal V = Initial.load(LocKey{ThisPlace, M.Pipe.Sel[K]});
      if (V.K == AbsVal::End)
        Ends[K] = V.E;
    }
    if (Ends[0] || Ends[1])
      continue;
    EndId First = EndId(R.Ends.size());
    for (unsigned K = 0; K < 2; ++K) {
      EndInfo Info{K == 0 ? EndKind::PipeRead : EndKind::PipeWrite,
                   M.Pipe.Origin, nullptr, M.Pipe.Name[K],
                   int(First + 1 - K)};
      // The object's: never reported as left open when it returns.
      Info.OwnedByObject = true;
      Info.ClassMember = true;
      R.Ends.push_back(Info);
      EndId E = First + K;
      Initial.ref(E) = {Open, uint16_t(K == 1 ? WrittenTo : 0)};
      setLoc(Initial, LocKey{ThisPlace, M.Pipe.Sel[K]}, AbsVal::end(E));
    }
    TaskId T = TaskId(R.Tasks.size());
    TaskInfo Info;
    Info.Kind = M.Kind;
    Info.Origin = M.Origin;
    Info.Runs = M.Runs;
    Info.Body = M.Body;
    Info.MaxBytes = M.MaxBytes;
    Info.StopAware = M.StopAware;
    Info.Holds.push_back(First + 1);
    Info.Place = LocKey{ThisPlace, M.Sel};
    Info.HandleName = M.Field->getNameAsString();
    R.Tasks.push_back(std::move(Info));
    TaskCodes.push_back(TaskCode());
    addTaskPlace(T, LocKey{ThisPlace, M.Sel});
    MemberTasks.push_back({M.Field, T});
    Initial.setTask(T, TaskRunning);
  }
}

void FlowEngineImpl::transferMemberDtor(const FieldDecl *FD,
                                        const Stmt *Trigger, PathState &S,
                                        bool Observe) {
  for (const auto &MT : MemberTasks) {
    if (MT.first != FD)
      continue;
    TaskId T = MT.second;
    uint8_t St = S.taskStatus(T);
    if (!(St & TaskRunning))
      continue;
    if (Observe) {
      // Reported at the destructor's closing brace, where the members go.
      TaskEvent Ev(TaskEvent::Destroy, T, Trigger, Trigger->getEndLoc());
      R.TaskEvents.push_back({Ev, S});
    }
    uint8_t After = R.Tasks[T].Kind == TaskKind::StdThread ? TaskDestroyed
                                                            : TaskJoined;
    S.setTask(T, uint8_t((St & ~TaskRunning) | After));
  }
}

llvm::SmallVector<TaskId, 1>
FlowEngineImpl::destructorJoins(const VarDecl *VD, const PathState &S,
                                bool &ClosesFirst) {
  llvm::SmallVector<TaskId, 1> Out;
  const CXXRecordDecl *RD = destroyedClass(VD->getType()->getAsCXXRecordDecl());
  if (TaskPlace.empty() || !hasOwnDestructor(RD) || !isTrackableBase(VD) ||
      isEscaped(S, VD))
    return Out;
  FunctionSummaries &Functions = functionSummaries(Summaries, Ctx, Budget);
  const FunctionDecl *Dtor = FunctionSummaries::summarisable(RD->getDestructor());
  const FunctionSummary *FS = Dtor ? Functions.get(Dtor) : nullptr;
  if (!FS || FS->Joins.empty())
    return Out;
  // A thread the class starts in its constructor is judged in the
  // destructor itself (ClassTasks.cpp).
  llvm::SmallVector<MemberTask, 1> Held = Functions.classes().heldTasks(Dtor);
  for (const SummarySlot &Sl : FS->Joins) {
    if (Sl.K != SummarySlot::Pointee || Sl.Param != SummarySlot::ThisParam ||
        llvm::any_of(Held, [&](const MemberTask &M) { return M.Sel == Sl.Sel; }))
      continue;
    std::optional<LocKey> L = descend(LocKey{VD, 0}, Sl.Sel);
    if (!L)
      continue;
    for (const auto &P : TaskPlace)
      if (P.second == *L && (S.taskStatus(P.first) & TaskRunning) &&
          !llvm::is_contained(Out, P.first))
        Out.push_back(P.first);
  }
  for (const SummarySlot &C : FS->Closes)
    if (C.K == SummarySlot::Pointee && C.Param == SummarySlot::ThisParam &&
        !llvm::is_contained(FS->ClosedBeforeJoins, C))
      ClosesFirst = false;
  return Out;
}

} // namespace clang::tidy::pipe
