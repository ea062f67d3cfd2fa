//===--- JoinOrder.cpp - a helper that joins, then reads the output -------===//
//
// `render_end(job)` calling `job_finish(job)` (which joins the caller's
// writer thread) and then `buf_slurp(out, job->rd)`: on the path that reads
// the pipe to end-of-file, the join came first, and a writer with more than
// a pipe's capacity to write never finishes. The helper's own analysis
// cannot tell (the thread and the pipe are its caller's); its summary says
// which of its caller's places it reads to end-of-file after a join of a
// caller's task, on some path (FunctionSummary::DrainsAfterJoins), with
// where it joins and where it reads. pipe-wait-before-drain, in the
// caller that knows the writer, reports it in the helper, where the order
// is to be fixed (checks/WaitBeforeDrainCheck.cpp).
//
// The read counts when some exit has the end read to end-of-file (the
// engine's Drained: a read loop that ends on end-of-file, a helper that
// reads to the end) with the task joined, while it was not yet so at the
// join; the report names the first read after the join in the source.
//
// The same order with a close: `finish()` calling `stop_worker()` (the
// join of the caller's reader thread) and then `close_input()` (the close
// of the write end the reader waits on): the helper closes that place on
// every exit, but it is still open at the join
// (FunctionSummary::ClosesAfterJoins). pipe-self-deadlock, in the caller
// whose task reads that pipe to end-of-file, reports it in the helper.
//
// And the order of a write and a read: `flush(&spool)` writing every record
// to `spool->wr`, then reading them back from `spool->rd`. At each read of
// a caller's place that may wait, what the helper has written to each other
// caller's place so far (FunctionSummary::WritesBeforeReads). A caller that
// passes the two ends of one pipe sees the read come after that much
// written: past the pipe's capacity, the write never finished
// (pipe-self-deadlock).
//
//===----------------------------------------------------------------------===//
#include "AstQueries.h"
#include "Compat.h"
#include "engine/FunctionAnalysis.h"
#include "summaries/StartPipes.h"

namespace clang::tidy::pipe {

namespace {
/// The first join of each caller's task in the source, and the state there.
llvm::SmallVector<std::pair<const TaskEvent *, const PathState *>, 2>
firstJoins(const FunctionAnalysis &A) {
  const SourceManager &SM = A.context().getSourceManager();
  llvm::SmallVector<std::pair<const TaskEvent *, const PathState *>, 2> Out;
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    if (Ev.K != TaskEvent::Join || !A.tasks()[Ev.Task].FromCaller ||
        Ev.Loc.isInvalid())
      return;
    for (auto &J : Out)
      if (J.first->Task == Ev.Task) {
        if (SM.isBeforeInTranslationUnit(Ev.Loc, J.first->Loc))
          J = {&Ev, &S};
        return;
      }
    Out.push_back({&Ev, &S});
  });
  return Out;
}
} // namespace

void readDrainsAfterJoins(const FunctionAnalysis &A, FunctionSummary &Sum) {
  if (llvm::none_of(A.tasks(), [](const TaskInfo &T) { return T.FromCaller; }))
    return;
  // The first join of each caller's task in the source, with the caller's
  // open ends not yet read to the end there.
  const SourceManager &SM = A.context().getSourceManager();
  struct Join {
    TaskId Task;
    const TaskEvent *Ev;
    llvm::SmallVector<EndId, 2> Unread;
  };
  llvm::SmallVector<Join, 2> Joins;
  for (const auto &[Ev, S] : firstJoins(A)) {
    Join J{Ev->Task, Ev, {}};
    for (EndId E = 0; E < A.ends().size(); ++E)
      if (const FunctionAnalysis::SeededPlace *P = A.seedOf(E);
          P && !P->Captured && (S->status(E) & Open) &&
          !(S->flags(E) & Drained) && !A.ends()[E].isWriteSide())
        J.Unread.push_back(E);
    Joins.push_back(std::move(J));
  }
  // Read to the end, on some path, with the task joined: after the join.
  for (const Join &J : Joins)
    for (EndId E : J.Unread) {
      bool After = false;
      A.forEachExit([&](const ExitPoint &, const PathState &S) {
        After |= (S.flags(E) & Drained) && S.taskStatus(J.Task) == TaskJoined;
      });
      if (!After)
        continue;
      // Where: the first read of it after the join, in the source.
      const CallExpr *Read = nullptr;
      std::string Name = A.nameOf(E);
      A.forEachCall([&](const CallSite &C, const PathState &S) {
        if (C.Api->Role != ApiRole::Read || A.subjectEnd(C, S) != E ||
            !SM.isBeforeInTranslationUnit(J.Ev->Loc, compat::callBegin(C.Call)))
          return;
        if (!Read || SM.isBeforeInTranslationUnit(compat::callBegin(C.Call),
                                                  compat::callBegin(Read))) {
          Read = C.Call;
          Name = A.nameOf(E, &S);
        }
      });
      if (!Read)
        continue;
      SummarySlot Slot = slotOf(*A.seedOf(E));
      if (llvm::any_of(Sum.DrainsAfterJoins,
                       [&](const FunctionSummary::DrainAfterJoin &D) {
                         return D.Read == Slot;
                       }))
        continue;
      const auto *JoinCall = dyn_cast_or_null<CallExpr>(J.Ev->At);
      Sum.DrainsAfterJoins.push_back(
          {Slot, J.Ev->Loc, compat::callBegin(Read),
           JoinCall && JoinCall->getDirectCallee()
               ? JoinCall->getDirectCallee()->getNameAsString()
               : std::string(),
           Name});
    }
}

namespace {


/// Does slot \p Sl of the summary of the helper \p CE calls name the
/// place of seed \p P of \p A's function: the member of `*this` for a
/// method called on `this`, or the parameter given on (or what it points
/// to)?
bool slotIsSeed(const CallExpr *CE, const SummarySlot &Sl,
                const FunctionAnalysis::SeededPlace &P) {
  SummarySlot Mine = slotOf(P);
  if (Sl.K != Mine.K || Sl.Sel != Mine.Sel)
    return false;
  const Expr *Arg = nullptr;
  if (Sl.Param == SummarySlot::ThisParam) {
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
    Arg = MCE ? MCE->getImplicitObjectArgument() : nullptr;
  } else if (!isa<CXXMemberCallExpr, CXXOperatorCallExpr>(CE) &&
             Sl.Param < CE->getNumArgs()) {
    Arg = CE->getArg(Sl.Param);
  }
  if (!Arg)
    return false;
  Arg = Arg->IgnoreParenImpCasts();
  if (P.Param == SummarySlot::ThisParam)
    return isa<CXXThisExpr>(Arg);
  const auto *PV = dyn_cast_or_null<ParmVarDecl>(refVarOrMember(Arg));
  return PV && PV->getFunctionScopeIndex() == P.Param;
}

/// The summary of the helper \p CE calls, if any.
const FunctionSummary *helperSummary(const CallExpr *CE,
                                     FunctionSummaries &Functions) {
  const FunctionDecl *Def =
      CE ? FunctionSummaries::summarisable(ApiModel::calleeOf(CE)) : nullptr;
  return Def ? Functions.get(Def) : nullptr;
}

/// A call of a helper whose summary closes the place of seed \p P.
bool helperCloses(const CallExpr *CE, const FunctionAnalysis::SeededPlace &P,
                  FunctionSummaries &Functions) {
  const FunctionSummary *FS = helperSummary(CE, Functions);
  return FS && llvm::any_of(FS->Closes, [&](const SummarySlot &Sl) {
           return slotIsSeed(CE, Sl, P);
         });
}
} // namespace

void readClosesAfterJoins(const FunctionAnalysis &A, FunctionSummary &Sum,
                          FunctionSummaries &Functions) {
  if (Sum.Closes.empty())
    return;
  const SourceManager &SM = A.context().getSourceManager();
  for (const auto &Join : firstJoins(A))
    for (EndId E = 0; E < A.ends().size(); ++E) {
      // (Named, not bound: a lambda below uses them, which C++17 allows
      // only for variables.)
      const TaskEvent *Ev = Join.first;
      const PathState *S = Join.second;
      const FunctionAnalysis::SeededPlace *P = A.seedOf(E);
      if (!P || P->Captured || P->ByValue || !(S->status(E) & Open))
        continue;
      SummarySlot Slot = slotOf(*P);
      if (!Sum.closes(Slot) ||
          llvm::any_of(Sum.ClosesAfterJoins,
                       [&](const FunctionSummary::CloseAfterJoin &C) {
                         return C.Closed == Slot;
                       }))
        continue;
      // Where: the first close of it after the join, in the source.
      const CallExpr *Close = nullptr;
      std::string Name = A.nameOf(E);
      A.forEachCall([&](const CallSite &C, const PathState &CS) {
        if (C.Api->Role != ApiRole::Close || A.subjectEnd(C, CS) != E ||
            !SM.isBeforeInTranslationUnit(Ev->Loc, compat::callBegin(C.Call)))
          return;
        if (!Close || SM.isBeforeInTranslationUnit(compat::callBegin(C.Call),
                                                   compat::callBegin(Close))) {
          Close = C.Call;
          Name = A.nameOf(E, &CS);
        }
      });
      // Or a helper that closes it (`close_input()`), the first after the
      // join in the source.
      if (!Close && A.function() && A.function()->getBody())
        walkStmts(A.function()->getBody(), [&](const Stmt *X) {
          if (isa<LambdaExpr, BlockExpr>(X))
            return WalkStep::Over;
          const auto *CE = dyn_cast<CallExpr>(X);
          if (CE && SM.isBeforeInTranslationUnit(Ev->Loc, compat::callBegin(CE)) &&
              (!Close || SM.isBeforeInTranslationUnit(compat::callBegin(CE),
                                                      compat::callBegin(Close))) &&
              helperCloses(CE, *P, Functions))
            Close = CE;
          return WalkStep::Into;
        });
      const auto *JoinCall = dyn_cast_or_null<CallExpr>(Ev->At);
      // Or the join and the close are both in a helper this one calls
      // (`stop()` calling `shutdown()`): that helper's order, passed on.
      if (!Close) {
        if (const FunctionSummary *FS = helperSummary(JoinCall, Functions))
          for (const FunctionSummary::CloseAfterJoin &C : FS->ClosesAfterJoins)
            if (slotIsSeed(JoinCall, C.Closed, *P)) {
              FunctionSummary::CloseAfterJoin Passed = C;
              Passed.Closed = Slot;
              Sum.ClosesAfterJoins.push_back(std::move(Passed));
              break;
            }
        continue;
      }
      Sum.ClosesAfterJoins.push_back(
          {Slot, Ev->Loc, compat::callBegin(Close),
           JoinCall && JoinCall->getDirectCallee()
               ? JoinCall->getDirectCallee()->getNameAsString()
               : std::string(),
           Name,
           A.function() ? A.function()->getNameAsString() : std::string()});
    }
}

void readWritesBeforeReads(const FunctionAnalysis &A, FunctionSummary &Sum,
                           FunctionSummaries &Functions) {
  // The caller's places below a pointer, a reference or `this` (a helper
  // given two descriptors by value is read by transferSummarizedCall()).
  auto SlotOfEnd = [&](EndId E) -> std::optional<SummarySlot> {
    const FunctionAnalysis::SeededPlace *P = A.seedOf(E);
    if (!P || P->Opaque || P->ByValue)
      return std::nullopt;
    SummarySlot Sl = slotOf(*P);
    if (Sl.K == SummarySlot::Value)
      return std::nullopt;
    return Sl;
  };
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || S.polled() || S.inForkChild())
      return;
    std::optional<EndId> R = A.subjectEnd(C, S);
    std::optional<SummarySlot> ReadSlot = R ? SlotOfEnd(*R) : std::nullopt;
    if (!ReadSlot || S.status(*R) != Open || S.hasFlag(*R, Nonblock))
      return;
    S.forEachTouchedEnd([&](EndId W) {
      uint32_t Bytes = S.written(W);
      std::optional<SummarySlot> WriteSlot =
          W != *R && Bytes ? SlotOfEnd(W) : std::nullopt;
      const Expr *Last = S.lastWrite(W);
      if (!WriteSlot || !Last || *WriteSlot == *ReadSlot)
        return;
      SourceLocation WriteLoc = Last->getBeginLoc(),
                     ReadLoc = compat::callBegin(C.Call);
      if (Last == C.Call) {
        // A helper of its own wrote and then read (`requeue(q, n)`): where
        // its write and read are.
        const FunctionDecl *Callee = C.Call->getDirectCallee();
        const FunctionSummary *Inner = Callee ? Functions.get(Callee) : nullptr;
        if (!Inner || Inner->WritesBeforeReads.empty())
          return;
        WriteLoc = Inner->WritesBeforeReads.front().WriteLoc;
        ReadLoc = Inner->WritesBeforeReads.front().ReadLoc;
      } else if (Bytes == UINT32_MAX && !A.inLoopOutside(Last, C.Call)) {
        // Unbounded only over the turns of a loop that also reads: each
        // turn may read back what it wrote.
        return;
      }
      for (FunctionSummary::WriteBeforeRead &Known : Sum.WritesBeforeReads)
        if (Known.Written == *WriteSlot && Known.Read == *ReadSlot) {
          if (Bytes > Known.Bytes) {
            Known.Bytes = Bytes;
            Known.WriteLoc = WriteLoc;
            Known.ReadLoc = ReadLoc;
          }
          return;
        }
      if (Sum.WritesBeforeReads.size() < 4)
        Sum.WritesBeforeReads.push_back(
            {*WriteSlot, *ReadSlot, Bytes, WriteLoc, ReadLoc});
    });
  });
}

} // namespace clang::tidy::pipe
