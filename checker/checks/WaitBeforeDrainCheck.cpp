//===--- WaitBeforeDrainCheck.cpp - pipe-wait-before-drain ----------------===//
#include "checks/WaitBeforeDrainCheck.h"
#include "AstQueries.h"
#include "Compat.h"
#include "checks/BlockedWriters.h"
#include "checks/CallQueries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

namespace clang::tidy::pipe {


WaitBeforeDrainCheck::WaitBeforeDrainCheck(llvm::StringRef Name,
                                           ClangTidyContext *Context)
    : PipeCheckBase(Name, Context),
      PipeCapacity(readPipeCapacity()) {}

void WaitBeforeDrainCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  PipeCheckBase::storeOptions(Opts);
  Options.store(Opts, "PipeCapacity", PipeCapacity);
}

namespace {
/// Does every path from \p From leave the function (a `return`, a call
/// that never returns) before it reaches \p Later, a statement of the same
/// function after it in the text? `if (bad) { waitpid(...); close(fd);
/// return -1; } ... read(fd, ...)`: the read is on another path. Judged on
/// the blocks around \p From, up to the first loop (a later turn may reach
/// \p Later) or the block that holds \p Later after \p From.
bool leavesBefore(const FunctionAnalysis &A, const Stmt *From,
                  const Stmt *Later) {
  const SourceManager &SM = A.context().getSourceManager();
  SourceLocation At = SM.getFileLoc(Later->getBeginLoc());
  auto Holds = [&](const Stmt *S) {
    SourceLocation B = SM.getFileLoc(S->getBeginLoc()),
                   E = SM.getFileLoc(S->getEndLoc());
    return !SM.isBeforeInTranslationUnit(At, B) &&
           !SM.isBeforeInTranslationUnit(E, At);
  };
  for (const Stmt *Cur = From; const Stmt *P = A.parentOf(Cur); Cur = P) {
    if (isa<WhileStmt, ForStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(P))
      return false;
    const auto *CS = dyn_cast<CompoundStmt>(P);
    if (!CS)
      continue;
    bool After = false;
    for (const Stmt *X : CS->body()) {
      if (X == Cur) {
        After = true;
        continue;
      }
      if (!After)
        continue;
      if (Holds(X))
        return false;
      if (leavesAt(X))
        return true;
    }
  }
  return false;
}
} // namespace

bool WaitBeforeDrainCheck::isUnreadOpen(EndId R, const PathState &S) {
  return S.openInView(R) && !(S.flags(R) & (Drained | Nonblock));
}

const WaitBeforeDrainCheck::ParentRead *
WaitBeforeDrainCheck::readAfter(EndId R, SourceLocation Loc,
                                const SourceManager &SM) const {
  // The reads of each end are sorted by position: a binary search, so that
  // a long function with many writes and reads stays linear-logarithmic.
  auto It = ReadsOf.find(R);
  if (It == ReadsOf.end())
    return nullptr;
  const std::vector<const ParentRead *> &V = It->second;
  auto After = std::upper_bound(
      V.begin(), V.end(), Loc, [&](SourceLocation L, const ParentRead *PR) {
        return SM.isBeforeInTranslationUnit(L, compat::callBegin(PR->Call));
      });
  return After == V.end() ? nullptr : *After;
}

bool WaitBeforeDrainCheck::childFills(const TaskInfo &T, EndId W) const {
  return llvm::is_contained(T.Outputs, W) || (!T.Spawned && T.MaxBytes > PipeCapacity);
}

void WaitBeforeDrainCheck::analyzeFunction(const FunctionAnalysis &A) {
  Reads.clear();
  Reported.clear();
  Findings.clear();
  // A child process, or a thread or std::async task that writes more than
  // the pipe holds: a join before the drain hangs the same way.
  bool AnyWriter = false;
  for (const TaskInfo &T : A.tasks())
    AnyWriter |= T.Kind == TaskKind::ForkChild ||
                 llvm::any_of(T.Holds,
                              [&](EndId W) { return childFills(T, W); });
  if (!AnyWriter)
    return;
  // The parent's reads, for "is it read afterwards?".
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read || S.inForkChild())
      return;
    // Whether a plain read runs to end-of-file is asked only for a child
    // with two output pipes (checkOneOutputFirst): the parent walk builds
    // the TU's parent map.
    if (auto R = A.subjectEnd(C, S))
      Reads.push_back({C.Call, *R, C.ReadsToEof, &S});
  });
  const SourceManager &SM = A.context().getSourceManager();
  ReadsOf.clear();
  for (const ParentRead &PR : Reads)
    ReadsOf[PR.End].push_back(&PR);
  for (auto &P : ReadsOf)
    std::sort(P.second.begin(), P.second.end(),
                     [&](const ParentRead *X, const ParentRead *Y) {
                       return SM.isBeforeInTranslationUnit(
                           compat::callBegin(X->Call), compat::callBegin(Y->Call));
                     });
  // With no read here, only a helper that waits and then reads can be
  // at fault (checkHelperJoinOrder()).
  checkWaits(A);
  if (!Reads.empty()) {
    checkInputBeforeOutput(A);
    checkOneOutputFirst(A);
  }
  reportFindings(A);
}

void WaitBeforeDrainCheck::reportFindings(const FunctionAnalysis &A) {
  // Kept to the end of the translation unit (checks/BlockedWriters.h): one
  // warning per blocked writer, here and with pipe-leaked-writer.
  for (Finding &F : Findings) {
    const EndInfo &R = A.ends()[EndId(A.readEndOf(F.Writer))];
    deferBlockedWriter(BlockedBy::WaitBeforeDrain,
                       {A.decl(), A.tasks()[F.Task].Origin, R.Origin, R.Name},
                       F.Loc, std::move(F.Warn), std::move(F.AlsoNote));
  }
  Findings.clear();
}

void WaitBeforeDrainCheck::noteChild(const FunctionAnalysis &A,
                                     const TaskInfo &T, EndId W) {
  std::string Child = describeTask(T);
  if (llvm::is_contained(T.Outputs, W)) {
    std::string Outs;
    for (EndId O : T.Outputs)
      Outs += (Outs.empty() ? "'" : (O == T.Outputs.back() ? " and '" : ", '")) +
              A.nameOf(O) + "'";
    diag(T.Origin->getBeginLoc(),
         "%0 starts here; it makes %1 its standard %select{output|output and "
         "error}2, where it may write any amount",
         DiagnosticIDs::Note)
        << Child << Outs << int(T.Outputs.size() > 1);
  }
  else if (T.MaxBytes == UINT64_MAX)
    diag(T.Origin->getBeginLoc(),
         "%0 starts here; it writes in a loop or an amount we cannot bound",
         DiagnosticIDs::Note)
        << Child;
  else
    diag(T.Origin->getBeginLoc(),
         "%0 starts here; it writes up to %1 bytes, more than the pipe holds "
         "(%2 bytes)",
         DiagnosticIDs::Note)
        << Child << std::to_string(T.MaxBytes) << PipeCapacity;
}

void WaitBeforeDrainCheck::checkWaits(const FunctionAnalysis &A) {
  const SourceManager &SM = A.context().getSourceManager();
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    const TaskInfo &T = A.tasks()[Ev.Task];
    const auto *WaitCall = dyn_cast_or_null<CallExpr>(Ev.At);
    if (Ev.K != TaskEvent::Join || !WaitCall || S.inForkChild() ||
        S.polled() || S.taskStatus(Ev.Task) != TaskRunning ||
        Reported.count(Ev.At))
      return;
    for (EndId W : T.Holds) {
      int Peer = A.readEndOf(W);
      if (Peer < 0 || !childFills(T, W) || !isUnreadOpen(EndId(Peer), S))
        continue;
      EndId R = EndId(Peer);
      const ParentRead *Later = readAfter(R, Ev.Loc, SM);
      // A helper that waits and then reads the output itself (`finish()`:
      // its summary reads the end to the end, but not before its waits).
      bool InHelper = false;
      if (!Later)
        if (auto It = ReadsOf.find(R); It != ReadsOf.end())
          for (const ParentRead *PR : It->second)
            if (PR->Call == Ev.At && PR->ToEof) {
              Later = PR;
              InHelper = true;
            }
      if (!Later && checkHelperJoinOrder(A, Ev, S, W, R)) {
        Reported.insert(Ev.At);
        return;
      }
      if (!Later)
        continue; // not this pipe's reader, or not this function's
      // A path that gives up on the output (it returns after the wait and
      // never reaches the read): closing the read end first is the fix,
      // pipe-leaked-writer's to report (checks/BlockedWriters.h).
      if (!InHelper && leavesBefore(A, Ev.At, Later->Call))
        continue;
      Reported.insert(Ev.At);
      const bool IsChild = T.Kind == TaskKind::ForkChild;
      std::string RName = A.nameOf(R, &S), Callee = calleeName(WaitCall),
                  Child = describeTask(T);
      SourceLocation At = Ev.Loc, ReadAt = compat::callBegin(Later->Call);
      const Expr *Origin = A.ends()[R].Origin;
      BranchStep Branch = S.lastBranch();
      Findings.push_back(
          {At, Ev.Task, W,
           [=, &A, &T] {
             if (IsChild)
               diag(At, "%0() waits for %1 before its output pipe '%2' is "
                        "read to the end: the child blocks once the pipe is "
                        "full (%3 bytes) and never exits, so this wait never "
                        "returns; read '%2' to end-of-file first, or poll it "
                        "while the child runs")
                   << Callee << Child << RName << PipeCapacity;
             else
               diag(At, "%0() waits for %1 before the pipe it writes is read: "
                        "the writer blocks once the pipe is full (%2 bytes) "
                        "and never finishes, so this %0() never returns; "
                        "read '%3' to end-of-file before the %0(), or read "
                        "it from another thread while the writer runs")
                   << Callee << Child << PipeCapacity << RName;
             noteChild(A, T, W);
             if (Origin)
               diag(Origin->getBeginLoc(), "pipe created here",
                    DiagnosticIDs::Note);
             if (InHelper)
               diag(ReadAt, "%0() reads '%1' only after that wait",
                    DiagnosticIDs::Note)
                   << Callee << RName;
             else
               diag(ReadAt, "'%0' is read only here, after the wait",
                    DiagnosticIDs::Note)
                   << RName;
             addBranchNote(Branch);
           },
           [=] {
             diag(At, "%0() here also waits for %1 before '%2' is read: the "
                      "same blocked %select{writer|child}3, fixed by the same "
                      "change",
                  DiagnosticIDs::Note)
                 << Callee << Child << RName << IsChild;
           }});
      return;
    }
  });
}

void WaitBeforeDrainCheck::checkInputBeforeOutput(const FunctionAnalysis &A) {
  const SourceManager &SM = A.context().getSourceManager();
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Write || S.inForkChild() ||
        Reported.count(C.Call))
      return;
    std::optional<EndId> In = A.subjectEnd(C, S);
    // A non-blocking write end: a write returns what fits.
    if (!In || S.status(*In) != Open || S.hasFlag(*In, Nonblock))
      return;
    // After a poll() of this end: POLLOUT promises room for a page, not
    // for this write; a blocking write of more than the pipe holds still
    // waits for all of it, while the loop that would read the output is
    // stuck here. After any other readiness wait (a select(), a poll() of
    // other descriptors), nothing is said.
    bool Polled = S.polled();
    if (Polled && !S.hasFlag(*In, PolledFor))
      return;
    uint64_t Bytes = C.WriteBytes;
    // A loop writing the rest of a buffer, come back for another turn:
    // the state has counted the whole loop already.
    bool Counted = C.WholeLoop && S.lastWrite(*In) == C.Call;
    if (Counted && !Polled)
      Bytes = S.written(*In) == UINT32_MAX ? UINT64_MAX : S.written(*In);
    else if (Bytes != UINT64_MAX && !Polled)
      Bytes += S.written(*In) == UINT32_MAX ? UINT64_MAX / 2 : S.written(*In);
    if (Bytes <= PipeCapacity)
      return; // provably small: the pipe takes it all
    int ChildIn = A.readEndOf(*In);
    S.forEachTask([&](TaskId Id) {
      const TaskInfo &T = A.tasks()[Id];
      if (Reported.count(C.Call) || T.Kind != TaskKind::ForkChild ||
          S.taskStatus(Id) != TaskRunning || ChildIn < 0 ||
          !llvm::is_contained(T.Inputs, EndId(ChildIn)))
        return;
      for (EndId W : T.Outputs) {
        int Out = A.readEndOf(W);
        if (Out < 0)
          continue;
        if (Polled) {
          // The poll() loop reads the output somewhere, before or after
          // this write in the source.
          if (!S.openInView(EndId(Out)) || S.hasFlag(EndId(Out), Drained) ||
              !ReadsOf.count(EndId(Out)))
            continue;
          reportPolledWrite(A, C, S, Id, W, *In, EndId(Out), Bytes);
          return;
        }
        if (!isUnreadOpen(EndId(Out), S) || S.hasFlag(EndId(Out), ReadFrom))
          continue;
        const ParentRead *Later = readAfter(EndId(Out), compat::callBegin(C.Call), SM);
        if (!Later)
          continue;
        Reported.insert(C.Call);
        std::string OutName = A.nameOf(EndId(Out), &S),
                    InName = A.nameOf(*In, &S), Child = describeTask(T);
        SourceLocation At = compat::callBegin(C.Call),
                       ReadAt = compat::callBegin(Later->Call);
        const Expr *Origin = A.ends()[EndId(Out)].Origin;
        BranchStep Branch = S.lastBranch();
        Findings.push_back(
            {At, Id, W,
             [=, &A, &T] {
               diag(At, "writing %select{an amount we cannot bound|%2 "
                        "bytes}1 to the standard input '%0' of %3 before "
                        "reading its standard output '%4' can deadlock: once "
                        "the output pipe is full (%5 bytes) the child stops "
                        "reading its input, and this write never finishes; "
                        "write from another thread, or poll both pipes")
                   << InName << int(Bytes != UINT64_MAX)
                   << std::to_string(Bytes) << Child << OutName
                   << PipeCapacity;
               noteChild(A, T, W);
               if (Origin)
                 diag(Origin->getBeginLoc(), "output pipe created here",
                      DiagnosticIDs::Note);
               diag(ReadAt, "'%0' is read only here, after the write",
                    DiagnosticIDs::Note)
                   << OutName;
               addBranchNote(Branch);
             },
             [=] {
               diag(At, "this write to '%0' also waits for %1 before '%2' is "
                        "read: the same blocked child, fixed by the same "
                        "change",
                    DiagnosticIDs::Note)
                   << InName << Child << OutName;
             }});
        return;
      }
    });
  });
}

void WaitBeforeDrainCheck::reportPolledWrite(const FunctionAnalysis &A,
                                             const CallSite &C,
                                             const PathState &S, TaskId Id,
                                             EndId W, EndId In, EndId Out,
                                             uint64_t Bytes) {
  Reported.insert(C.Call);
  const TaskInfo &T = A.tasks()[Id];
  std::string OutName = A.nameOf(Out, &S), InName = A.nameOf(In, &S),
              Child = describeTask(T);
  SourceLocation At = compat::callBegin(C.Call);
  const Expr *Origin = A.ends()[Out].Origin;
  BranchStep Branch = S.lastBranch();
  Findings.push_back(
      {At, Id, W,
       [=, &A, &T] {
         diag(At, "poll() said the standard input '%0' of %1 has room, but "
                  "this blocking write of %select{an amount we cannot "
                  "bound|%3 bytes}2 waits until all of it is written: once "
                  "the child's output pipe '%4' is full (%5 bytes) the child "
                  "stops reading its input, and this write never returns to "
                  "the poll() loop that reads it; make '%0' non-blocking "
                  "(O_NONBLOCK), or write at most one page after each poll()")
             << InName << Child << int(Bytes != UINT64_MAX)
             << std::to_string(Bytes) << OutName << PipeCapacity;
         noteChild(A, T, W);
         if (Origin)
           diag(Origin->getBeginLoc(), "output pipe created here",
                DiagnosticIDs::Note);
         addBranchNote(Branch);
       },
       [=] {
         diag(At, "this write to '%0' also blocks while %1 waits for '%2' "
                  "to be read: the same blocked child, fixed by the same "
                  "change",
              DiagnosticIDs::Note)
             << InName << Child << OutName;
       }});
}

void WaitBeforeDrainCheck::checkOneOutputFirst(const FunctionAnalysis &A) {
  bool TwoOutputs = false;
  for (const TaskInfo &T : A.tasks())
    TwoOutputs |= T.Kind == TaskKind::ForkChild && T.Outputs.size() >= 2;
  if (!TwoOutputs)
    return;
  const SourceManager &SM = A.context().getSourceManager();
  for (const ParentRead &First : Reads) {
    const PathState &S = *First.State;
    if (S.polled() || Reported.count(First.Call) ||
        !(First.ToEof || readsUntilEof(First.Call, A)))
      continue;
    S.forEachTask([&](TaskId Id) {
      const TaskInfo &T = A.tasks()[Id];
      if (Reported.count(First.Call) || T.Kind != TaskKind::ForkChild ||
          S.taskStatus(Id) != TaskRunning || T.Outputs.size() < 2)
        return;
      bool Drains = false;
      for (EndId W : T.Outputs)
        Drains |= A.readEndOf(W) == int(First.End);
      if (!Drains)
        return;
      for (EndId W : T.Outputs) {
        int Other = A.readEndOf(W);
        if (Other < 0 || EndId(Other) == First.End ||
            !isUnreadOpen(EndId(Other), S) || S.hasFlag(EndId(Other), ReadFrom))
          continue;
        const ParentRead *Later =
            readAfter(EndId(Other), compat::callBegin(First.Call), SM);
        if (!Later)
          continue;
        Reported.insert(First.Call);
        std::string OtherName = A.nameOf(EndId(Other), &S);
        EndId FirstWriter = W;
        for (EndId O : T.Outputs)
          if (A.readEndOf(O) == int(First.End))
            FirstWriter = O;
        std::string FirstName = A.nameOf(First.End, &S), Child = describeTask(T),
                    WName = A.nameOf(W), FirstWName = A.nameOf(FirstWriter);
        SourceLocation At = compat::callBegin(First.Call),
                       ReadAt = compat::callBegin(Later->Call);
        BranchStep Branch = S.lastBranch();
        Findings.push_back(
            {At, Id, W,
             [=, &A, &T] {
               diag(At, "'%0' is read to end-of-file before '%1' is read at "
                        "all: if %2 first writes more than the pipe holds (%3 "
                        "bytes) to '%4', it blocks there and never closes "
                        "'%5', so this read never ends and both wait forever; "
                        "read both pipes with poll(), or one from another "
                        "thread")
                   << FirstName << OtherName << Child << PipeCapacity << WName
                   << FirstWName;
               noteChild(A, T, W);
               diag(ReadAt, "'%0' is read only here", DiagnosticIDs::Note)
                   << OtherName;
               addBranchNote(Branch);
             },
             [=] {
               diag(At, "'%0' is also read to end-of-file here before '%1' "
                        "is read: the same blocked child, fixed by the same "
                        "change",
                    DiagnosticIDs::Note)
                   << FirstName << OtherName;
             }});
        return;
      }
    });
  }
}

} // namespace clang::tidy::pipe
