//===--- LeakedWriterCheck.cpp - pipe-leaked-writer -----------------------===//
#include "checks/LeakedWriterCheck.h"
#include "AstQueries.h"
#include "checks/BlockedWriters.h"
#include "checks/StopTokens.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "models/ThrowModel.h"

#include <algorithm>

namespace clang::tidy::pipe {


LeakedWriterCheck::LeakedWriterCheck(llvm::StringRef Name,
                                     ClangTidyContext *Context)
    : PipeCheckBase(Name, Context),
      PipeCapacity(readPipeCapacity()) {}

void LeakedWriterCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  PipeCheckBase::storeOptions(Opts);
  Options.store(Opts, "PipeCapacity", PipeCapacity);
}

std::optional<EndId>
LeakedWriterCheck::blockedReadEnd(const FunctionAnalysis &A, const TaskInfo &T,
                                  const PathState &S, bool OwnedCounts,
                                  bool OutputsFill) const {
  // A writer that provably writes no more than the pipe holds finishes on
  // its own; one that stops on request is stopped by a jthread.
  bool Fills = T.MaxBytes > PipeCapacity;
  if (!Fills && !(OutputsFill && !T.Outputs.empty()))
    return std::nullopt;
  for (EndId W : T.Holds) {
    if (!Fills && !llvm::is_contained(T.Outputs, W))
      continue;
    int Peer = A.readEndOf(W);
    if (Peer < 0)
      continue;
    EndId R = EndId(Peer);
    uint16_t Flags = S.flags(R);
    if (Flags & (Lost | Drained))
      continue;
    // Held where the analysis still sees every close: not in a variable
    // whose address was given away (`pthread_create(..., &fds[1])`).
    if (S.openInView(R))
      return R;
    // `UniqueFd in(fds[0])` declared before the task: still open while the
    // task's handle is destroyed.
    if (OwnedCounts && S.status(R) == HandedOff && A.ownerOf(R))
      return R;
  }
  return std::nullopt;
}

const ChildKeptReads::Kept *
LeakedWriterCheck::keptByChild(const FunctionAnalysis &A,
                               const ChildKeptReads &Kept, TaskId Id,
                               const PathState &S) const {
  const TaskInfo &T = A.tasks()[Id];
  if (T.Kind != TaskKind::ForkChild || T.MaxBytes <= PipeCapacity)
    return nullptr;
  const ChildKeptReads::Kept *K = Kept.find(Id);
  if (!K || (S.flags(K->Read) & (Lost | Drained)))
    return nullptr;
  // Closed here, or still open where every close is seen: either way the
  // child's own copy keeps the writer waiting.
  if (S.status(K->Read) != Closed && !S.openInView(K->Read))
    return nullptr;
  return K;
}

/// Before the join \p Ev, does the function read \p R by an amount only
/// the program's data tells: in a loop (`while (total < want)`), or with a
/// helper given a count it computes (`drain_count(fd, n * kShard)`)? With
/// a writer whose amount the analysis cannot bound either, whether the
/// reader took all the writer writes is not known, and the join is not
/// judged. A read of a constant amount (`read_full(fd, magic, 4)`) still is.
static bool readsCountedAmount(const FunctionAnalysis &A, EndId R,
                               const TaskEvent &Ev) {
  const SourceManager &SM = A.context().getSourceManager();
  bool Found = false;
  A.forEachCall([&](const CallSite &C, const PathState &CS) {
    if (Found || C.Api->Role != ApiRole::Read || !Ev.At)
      return;
    const Expr *Fd = C.subjectExpr();
    std::optional<EndId> E = A.subjectEnd(C, CS);
    if (!Fd || !E || *E != R ||
        !SM.isBeforeInTranslationUnit(C.Call->getBeginLoc(),
                                      Ev.At->getBeginLoc()))
      return;
    if (!A.loopsAround(C.Call, true).empty()) {
      Found = A.inLoopOutside(C.Call, Ev.At);
      return;
    }
    if (C.ViaHelper)
      for (const Expr *Arg : C.Call->arguments())
        if (Arg != Fd && Arg->getType()->isIntegerType() &&
            !Arg->isValueDependent() &&
            !Arg->isIntegerConstantExpr(A.context()))
          Found = true;
  });
  return Found;
}

void LeakedWriterCheck::addWriterStartNote(SourceLocation Start,
                                           const std::string &Task,
                                           uint64_t MaxBytes,
                                           bool OutputsFill) {
  if (MaxBytes <= PipeCapacity && OutputsFill)
    diag(Start,
         "%0 starts here; it makes the write end its standard output or "
         "error, where it may write any amount",
         DiagnosticIDs::Note)
        << Task;
  else if (MaxBytes == UINT64_MAX)
    diag(Start,
         "%0 starts here; it writes in a loop or an amount we cannot bound, "
         "and may fill the pipe (%1 bytes)",
         DiagnosticIDs::Note)
        << Task << PipeCapacity;
  else
    diag(Start,
         "%0 starts here; it writes up to %1 bytes, more than the pipe holds "
         "(%2 bytes)",
         DiagnosticIDs::Note)
        << Task << std::to_string(MaxBytes) << PipeCapacity;
}

bool LeakedWriterCheck::heedsStop(const TaskInfo &T, const PathState &S) const {
  return T.StopAware && stopVerdict(T, S, model()).K == StopVerdict::Heeds;
}

void LeakedWriterCheck::flushGroups(const SourceManager &SM) {
  for (ExitGroup &G : Groups) {
    // The first exit in the source carries the warning; its branch note
    // only when it is the only one (other paths reach the defect too).
    std::vector<size_t> Order(G.Locs.size());
    for (size_t I = 0; I < Order.size(); ++I)
      Order[I] = I;
    std::stable_sort(Order.begin(), Order.end(), [&](size_t X, size_t Y) {
      return SM.isBeforeInTranslationUnit(G.Locs[X], G.Locs[Y]);
    });
    G.Emits[Order.front()](G.Locs.size() == 1);
    for (size_t K = 1; K < Order.size(); ++K)
      diag(G.Locs[Order[K]],
           G.O == Outcome::Leak
               ? "%0 is left running here too, on another path, with the "
                 "read end still open"
               : "%0 is destroyed here too, on another path, with the read "
                 "end still open",
           DiagnosticIDs::Note)
          << G.TaskName;
  }
  Groups.clear();
}

void LeakedWriterCheck::analyzeFunction(const FunctionAnalysis &A) {
  Reported.clear();
  Groups.clear();
  if (A.tasks().empty())
    return;
  llvm::ArrayRef<TaskInfo> Tasks = A.tasks();
  ChildKeptReads Kept(A);

  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    const TaskInfo &T = Tasks[Ev.Task];
    uint8_t St = S.taskStatus(Ev.Task);
    if ((St & ~TaskStopRequested) != TaskRunning || T.Holds.empty())
      return;
    // A writer that watches its stop token, asked to stop.
    if ((St & TaskStopRequested) && heedsStop(T, S))
      return;
    if (Ev.K == TaskEvent::Join && Ev.ByDestructorOf) {
      if (auto R = blockedReadEnd(A, T, S, /*OwnedCounts=*/true,
                                  /*OutputsFill=*/true)) {
        DestroyedBy = Ev.ByDestructorOf;
        report(A, Outcome::JoinInDestructor, Ev.Task, R, Ev.Loc, S,
               Ev.ScopeEnd);
        DestroyedBy = nullptr;
      }
      return;
    }
    if (Ev.K == TaskEvent::Join) {
      if (const auto *K = keptByChild(A, Kept, Ev.Task, S)) {
        report(A, Outcome::JoinChildKeepsRead, Ev.Task, K->Read, Ev.Loc, S,
               SourceLocation(), K->WriteAt);
        return;
      }
      if (auto R = blockedReadEnd(A, T, S, /*OwnedCounts=*/true,
                                  /*OutputsFill=*/true);
          R && !(T.MaxBytes == UINT64_MAX && readsCountedAmount(A, *R, Ev)) &&
          !reportHelperCloseOrder(A, Ev, S, *R))
        report(A, Outcome::JoinBeforeClose, Ev.Task, R, Ev.Loc, S);
      return;
    }
    // A destruction at a call: an exception from it unwinds the scope
    // (engine/Exceptions.cpp).
    UnwoundBy.clear();
    if (const auto *E = llvm::dyn_cast_or_null<Expr>(Ev.At))
      if (const FunctionDecl *FD = ThrowSummaries::calleeOf(E))
        UnwoundBy = llvm::isa<CXXConstructorDecl>(FD)
                        ? "the constructor of '" +
                              llvm::cast<CXXConstructorDecl>(FD)
                                  ->getParent()
                                  ->getNameAsString() +
                              "'"
                        : "'" + FD->getNameAsString() + "'";
    switch (T.Kind) {
    case TaskKind::StdThread:
      report(A, Outcome::Terminate, Ev.Task, std::nullopt, Ev.Loc, S);
      break;
    case TaskKind::JThread:
      if (heedsStop(T, S))
        break; // the destructor asks it to stop first
      [[fallthrough]];
    case TaskKind::AsyncFuture:
      if (auto R = blockedReadEnd(A, T, S, /*OwnedCounts=*/true)) {
        report(A, Outcome::HangOnDestroy, Ev.Task, R, Ev.Loc, S,
               Ev.ScopeEnd);
      }
      break;
    default:
      break; // boost::thread detaches: reported at the exit, if it leaks
    }
  });

  UnwoundBy.clear();
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    S.forEachTask([&](TaskId Id) {
      const TaskInfo &T = Tasks[Id];
      uint8_t St = uint8_t(S.taskStatus(Id) & ~TaskStopRequested);
      if (T.Holds.empty())
        return;
      if (X.K == ExitPoint::Throw && St == TaskRunning && T.Handle) {
        // Unwinding destroys the handle.
        if (T.Kind == TaskKind::StdThread) {
          report(A, Outcome::Terminate, Id, std::nullopt, X.Loc, S);
          return;
        }
        if ((T.Kind == TaskKind::JThread && !heedsStop(T, S)) ||
            T.Kind == TaskKind::AsyncFuture) {
          if (auto R = blockedReadEnd(A, T, S, true))
            report(A, Outcome::HangOnDestroy, Id, R, X.Loc, S);
          return;
        }
      }
      // A leak: a task nothing will join, with the read end left open. In
      // main the process exits, which closes the read end; but not the
      // copy a writer child keeps itself.
      bool Leaks = St == TaskDetached ||
                   (St == TaskRunning &&
                    (T.Kind == TaskKind::PThread ||
                     T.Kind == TaskKind::ForkChild ||
                     T.Kind == TaskKind::BoostThread));
      if (!Leaks)
        return;
      if (St == TaskRunning)
        if (const auto *K = keptByChild(A, Kept, Id, S)) {
          report(A, Outcome::LeakChildKeepsRead, Id, K->Read, X.Loc, S,
                 SourceLocation(), K->WriteAt);
          return;
        }
      if (A.isMain())
        return;
      if (auto R = blockedReadEnd(A, T, S, /*OwnedCounts=*/false))
        report(A, Outcome::Leak, Id, R, X.Loc, S);
    });
  });
  flushGroups(A.context().getSourceManager());
}

void LeakedWriterCheck::report(const FunctionAnalysis &A, Outcome O, TaskId Id,
                               std::optional<EndId> ReadEnd,
                               SourceLocation Loc, const PathState &S,
                               SourceLocation ScopeEnd,
                               const CallExpr *ChildWrite) {
  const TaskInfo &T = A.tasks()[Id];
  if (!Reported.insert({Loc.getRawEncoding(), T.Origin}).second)
    return;
  std::string Task = describeTask(T);
  std::string Read =
      ReadEnd ? "'" + A.nameOf(*ReadEnd, &S) + "'" : std::string("the read end");
  bool IsChild = T.Kind == TaskKind::ForkChild;
  bool IsFuture = T.Kind == TaskKind::AsyncFuture;
  // What the report needs from the path, taken now: a join before the read
  // end is closed is reported at the end of the translation unit, with
  // pipe-wait-before-drain's findings (checks/BlockedWriters.h).
  uint8_t TaskStatus = S.taskStatus(Id);
  // Still open, in the object that took it (`UniqueFd in(fds[0])`).
  bool ReadStillOwned =
      ReadEnd && (S.status(*ReadEnd) == HandedOff || S.status(*ReadEnd) == Open);
  BranchStep Branch = S.lastBranch();
  // Read on this path, but not to end-of-file (a loop that stops when its
  // buffer is full): the rest is what the writer may be blocked on.
  bool ReadSome = ReadEnd && (S.flags(*ReadEnd) & ReadFrom);
  std::string Unwound = UnwoundBy;
  StopVerdict Stop = stopVerdict(T, S, model());
  // A read end in a private member of an object: the method that closes it.
  std::string CloseCall =
      ReadEnd ? closingMethodCall(A, *ReadEnd, S, sharedSummaries(A.context()))
              : std::string();
  const VarDecl *Object = DestroyedBy;
  const CXXRecordDecl *ObjectClass =
      Object ? destroyedClass(Object->getType()->getAsCXXRecordDecl())
             : nullptr;
  const CXXDestructorDecl *Dtor =
      ObjectClass ? ObjectClass->getDestructor() : nullptr;
  auto Emit = [=, &A, &T](bool WithBranch) {
    switch (O) {
    case Outcome::JoinInDestructor:
      diag(Loc, "'%0' %select{joins|waits for}1 %2 in its destructor when it "
                "is destroyed %select{here|at the end of its scope}3, while the "
                "read end %4 is still open and %select{unread|no longer read, "
                "though not at end-of-file}5: the writer may be blocked on the "
                "full pipe and never finish, so this hangs; in '%6', close "
                "the read end before the %select{join|wait}1, so that the "
                "writer fails with EPIPE")
          << Object->getName() << (IsChild || IsFuture) << Task
          << ScopeEnd.isValid() << Read << ReadSome << Dtor->getNameAsString();
      if (ScopeEnd.isValid())
        diag(ScopeEnd, "'%0' is destroyed here", DiagnosticIDs::Note)
            << Object->getName();
      diag(Dtor->getLocation(),
           "'%0' %select{joins|waits for}1 %2 before it closes the read end",
           DiagnosticIDs::Note)
          << Dtor->getNameAsString() << (IsChild || IsFuture) << Task;
      break;
    case Outcome::JoinChildKeepsRead:
    case Outcome::LeakChildKeepsRead:
      diag(Loc, "%0 is %select{waited for here|never waited for on this "
                "path}1, but it still holds its own copy of the read end %2, "
                "inherited at fork() and never closed in the child: closing "
                "%2 in this process does not make its write fail with EPIPE, "
                "so it stays blocked on the full pipe %select{and this "
                "hangs|forever}1; close %2 in the child before it writes")
          << Task << int(O == Outcome::LeakChildKeepsRead) << Read;
      break;
    case Outcome::Terminate:
      if (!Unwound.empty())
        diag(Loc, "%0 is destroyed while still joinable when an exception from "
                  "%1 leaves its scope here, which calls std::terminate; catch "
                  "it, close the pipe's read end so that the writer fails with "
                  "EPIPE, join, and rethrow")
            << Task << Unwound;
      else
        diag(Loc, "%0 is destroyed here while still joinable, which calls "
                  "std::terminate; close the pipe's read end so that the writer "
                  "fails with EPIPE, then join it")
            << Task;
      break;
    case Outcome::HangOnDestroy:
      diag(Loc, "%0 %select{joins its thread|waits for its task}1 when it is "
                "destroyed %select{here|at the end of its scope}3, but the "
                "writer may be blocked on the full pipe whose read end %2 is "
                "still open and unread: this hangs; close %2 before %0 is "
                "destroyed, so that the writer fails with EPIPE")
          << Task << IsFuture << Read << ScopeEnd.isValid();
      if (ScopeEnd.isValid())
        diag(ScopeEnd, "%0 is destroyed here", DiagnosticIDs::Note) << Task;
      break;
    case Outcome::JoinBeforeClose:
      diag(Loc, "%0 is %select{joined|waited for}1 here while the read end %2 "
                "is still open and %select{unread|no longer read, though not "
                "at end-of-file}3: the writer may be blocked on the full "
                "pipe and never finish, so this hangs; %select{close %2|call "
                "%5, which closes %2,}4 first so that the writer fails with "
                "EPIPE, then %select{join|wait}1")
          << Task << (IsChild || IsFuture) << Read << ReadSome
          << !CloseCall.empty() << CloseCall;
      break;
    case Outcome::Leak: {
      unsigned How = TaskStatus == TaskDetached
                         ? (T.Kind == TaskKind::BoostThread && T.Handle ? 3 : 1)
                     : IsChild ? 2
                               : 0;
      diag(Loc, "%0 is %select{never joined|detached|never waited for|detached "
                "by its destructor}1 on this "
                "path, and the read end %2 stays open and unread: the writer "
                "stays blocked on the full pipe forever; %select{close %2|call "
                "%4, which closes %2,}3 so that it fails with EPIPE%select{, "
                "then join it|| and wait for it|}1")
          << Task << How << Read << !CloseCall.empty() << CloseCall;
      break;
    }
    }
    // The path: where the task starts, what it writes to, where the pipe was
    // created, and the branch that led here.
    if (O == Outcome::Terminate)
      diag(T.Origin->getBeginLoc(), "%0 starts here", DiagnosticIDs::Note)
          << Task;
    else
      addWriterStartNote(T.Origin->getBeginLoc(), Task, T.MaxBytes,
                         ReadEnd && !T.Outputs.empty());
    if (Stop.K == StopVerdict::BlocksInWrite && O != Outcome::Leak)
      diag(Stop.Where,
           "its function takes a std::stop_token, but it can block in this "
           "write on the full pipe, where it does not see a stop "
           "request; make the write end non-blocking or wait for room "
           "with a timeout, and test the token in between",
           DiagnosticIDs::Note);
    else if (Stop.K == StopVerdict::NeverLooks && O != Outcome::Leak)
      diag(Stop.Where,
           "its function takes a std::stop_token but never looks at it, so "
           "a stop request does not end it",
           DiagnosticIDs::Note);
    if (ChildWrite && ReadEnd)
      diag(ChildWrite->getBeginLoc(),
           "the child writes here with its copy of %0 still open",
           DiagnosticIDs::Note)
          << Read;
    if (!ReadEnd && !T.Holds.empty()) {
      const EndInfo &WI = A.ends()[T.Holds.front()];
      if (WI.Origin)
        diag(WI.Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
    }
    if (ReadEnd) {
      const EndInfo &RI = A.ends()[*ReadEnd];
      if (RI.Origin)
        diag(RI.Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
      // An object without a destructor of its own closes nothing.
      if (const VarDecl *Owner = A.ownerOf(*ReadEnd);
          Owner && ReadStillOwned && T.Handle &&
          hasOwnDestructor(Owner->getType()))
        diag(Owner->getLocation(),
             "'%0' closes the read end only when it is destroyed, after %1",
             DiagnosticIDs::Note)
            << Owner->getName() << Task;
    }
    if (WithBranch)
      addBranchNote(Branch);
  };
  if (O == Outcome::JoinChildKeepsRead && ReadEnd &&
      S.status(*ReadEnd) == Open) {
    // The parent reads the pipe after the wait: pipe-wait-before-drain's
    // warning (read first) is the fix; closing would not be.
    const EndInfo &RI = A.ends()[*ReadEnd];
    deferBlockedWriter(BlockedBy::LeakedWriter,
                       {A.decl(), T.Origin, RI.Origin, RI.Name}, Loc,
                       [Emit] { Emit(true); }, [] {});
    return;
  }
  if ((O == Outcome::HangOnDestroy || O == Outcome::Leak ||
       O == Outcome::JoinInDestructor) &&
      ReadEnd) {
    // Grouped by task, outcome and read end (flushGroups()).
    for (ExitGroup &G : Groups)
      if (G.Task == Id && G.O == O && G.Read == int(*ReadEnd)) {
        G.Locs.push_back(Loc);
        G.Emits.push_back(Emit);
        return;
      }
    Groups.push_back({Id, O, int(*ReadEnd),
                      Object ? "'" + Object->getName().str() + "'" : Task,
                      {Loc},
                      {Emit}});
    return;
  }
  if (O != Outcome::JoinBeforeClose || !ReadEnd) {
    Emit(true);
    return;
  }
  const EndInfo &RI = A.ends()[*ReadEnd];
  deferBlockedWriter(
      BlockedBy::LeakedWriter, {A.decl(), T.Origin, RI.Origin, RI.Name}, Loc,
      [Emit] { Emit(true); }, [=] {
        diag(Loc, "if the rest of the output is not wanted, closing %0 "
                  "before this %select{join|wait}1 also ends it: the writer "
                  "then fails with EPIPE",
             DiagnosticIDs::Note)
            << Read << (IsChild || IsFuture);
      });
}

} // namespace clang::tidy::pipe
