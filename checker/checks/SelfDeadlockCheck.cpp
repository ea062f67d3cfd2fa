//===--- SelfDeadlockCheck.cpp - pipe-self-deadlock -----------------------===//
#include "checks/SelfDeadlockCheck.h"
#include "AstQueries.h"
#include "Compat.h"
#include "checks/CallQueries.h"
#include "checks/CopyLoops.h"
#include "checks/HelperChildEnds.h"
#include "checks/HelperCopies.h"
#include "checks/LeakQueries.h"
#include "checks/SilentChildren.h"
#include "checks/TaskHeldEnds.h"
#include "checks/WriteSideAtRead.h"
#include "engine/EngineShared.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <set>

namespace clang::tidy::pipe {

namespace {
/// Whether \p Owner holds \p E in one of its members on \p S.
bool holdsEnd(const PathState &S, const VarDecl *Owner, EndId E) {
  bool Held = false;
  S.forEachLocationOf(E, [&](LocKey L) { Held |= L.Base == Owner; });
  return Held;
}

/// A place two or more selectors below an object of class \p RD lies in a
/// member object (`wr` of `p.wr.fd_`, `wr_` of `this->wr_.fd_`): that
/// member, its class, and the place below it. None for a place one
/// selector deep.
struct MemberObject {
  const FieldDecl *Field;
  const CXXRecordDecl *Class;
  SelPath Sel;
};
std::optional<MemberObject> memberObjectOf(const CXXRecordDecl *RD,
                                           SelPath Sel) {
  SelPath Inner = innerSels(Sel);
  const FieldDecl *Field =
      RD && Inner ? fieldOfSel(RD, firstSel(Sel)) : nullptr;
  const CXXRecordDecl *Class =
      Field ? Field->getType()->getAsCXXRecordDecl() : nullptr;
  if (!Class)
    return std::nullopt;
  return MemberObject{Field, Class, Inner};
}

/// The local object that owns \p E on \p S and closes it when it is
/// destroyed; null otherwise. Built from it (`FileDesc wr(fds[1]);`: \p
/// Built set) and still holding it, with a destructor of its own; or
/// holding it in a member (one level down, or in a member object's member:
/// `p.wr` of `struct { UniqueFd rd, wr; } p`) whose class's destructor
/// closes that member on every path, however the end got there
/// (`w.reset(fds[1])`, `w = UniqueFd(fds[1])`).
const VarDecl *closingOwnerHolding(const FunctionAnalysis &A, EndId E,
                                   const PathState &S,
                                   FunctionSummaries *Functions, bool &Built) {
  Built = false;
  if (const VarDecl *Owner = A.ownerOf(E);
      Owner && holdsEnd(S, Owner, E) && hasOwnDestructor(Owner->getType())) {
    Built = true;
    return Owner;
  }
  if (!Functions)
    return nullptr;
  const VarDecl *Found = nullptr;
  S.forEachLocationOf(E, [&](LocKey L) {
    const auto *VD = dyn_cast<VarDecl>(L.Base);
    // A real local object: every declared object of a class with a
    // destructor has an initialiser (its constructor); the engine's own
    // places for what a parameter reaches have none.
    if (Found || !VD || L.Sel == 0 || !VD->isLocalVarDecl() ||
        !VD->hasInit() || VD->isImplicit() || !VD->getIdentifier() ||
        VD->getType()->isReferenceType() || A.isAllocatedObject(VD))
      return;
    const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
    SelPath Sel = L.Sel;
    if (innerSels(L.Sel)) {
      // `p.wr.fd_`: the member object `p.wr` closes it; `p` destroys it.
      std::optional<MemberObject> M = memberObjectOf(RD, L.Sel);
      RD = M ? M->Class : nullptr;
      Sel = M ? M->Sel : 0;
    }
    if (RD && Functions->classes().destructorCloses(RD, Sel))
      Found = VD;
  });
  return Found;
}

/// The call that closes \p E where an object keeps it (a local, or one on
/// the heap), when the object's class has one method that closes it
/// (ClassModel::closerOf(): `seal()`, `finish()`), or else the member
/// object that holds it (`p.wr`) has one: `keeper.reset`, `spool->seal`,
/// `p.wr.reset`. The member itself may be private; a member object named
/// in the call must be public. Empty when there is none.
std::string closerCall(const FunctionAnalysis &A, EndId E, const PathState &S,
                       FunctionSummaries *Functions) {
  std::string Call;
  if (!Functions)
    return Call;
  S.forEachLocationOf(E, [&](LocKey L) {
    const CXXRecordDecl *RD =
        L.Sel != 0 ? L.Base->getType()->getAsCXXRecordDecl() : nullptr;
    if (!Call.empty() || !RD)
      return;
    std::string Object =
        A.isAllocatedObject(L.Base) ? A.allocatedObjectName(L.Base) + "->"
        : isa<VarDecl>(L.Base) && !L.Base->isImplicit() &&
                L.Base->getIdentifier()
            ? L.Base->getName().str() + "."
            : std::string();
    if (Object.empty() || Object == "->")
      return;
    // The object's own class first (`t.finish()` resetting its private
    // `wr_`), then the member object's (`p.wr.reset()`).
    if (const CXXMethodDecl *Closer = Functions->classes().closerOf(RD, L.Sel)) {
      Call = Object + Closer->getName().str();
      return;
    }
    std::optional<MemberObject> M = memberObjectOf(RD, L.Sel);
    if (!M || M->Field->getAccess() != AS_public ||
        !M->Field->getIdentifier())
      return;
    if (const CXXMethodDecl *Closer =
            Functions->classes().closerOf(M->Class, M->Sel))
      Call = Object + M->Field->getName().str() + "." +
             Closer->getName().str();
  });
  return Call;
}

/// In a method whose object keeps \p E in a member object (`wr_.fd_` of
/// `UniqueFd wr_;`), the call of that member's one closing method
/// (ClassModel::closerOf()): `wr_.reset`. Empty when there is none.
std::string memberCloserCall(const FunctionAnalysis &A, EndId E,
                             const PathState &S, FunctionSummaries *Functions) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(A.function());
  std::string Call;
  if (!MD || !Functions)
    return Call;
  S.forEachLocationOf(E, [&](LocKey L) {
    if (!Call.empty() ||
        L.Base->getType()->getAsCXXRecordDecl() != MD->getParent())
      return;
    std::optional<MemberObject> M = memberObjectOf(MD->getParent(), L.Sel);
    if (const CXXMethodDecl *Closer =
            M ? Functions->classes().closerOf(M->Class, M->Sel) : nullptr)
      Call = M->Field->getName().str() + "." + Closer->getName().str();
  });
  return Call;
}

/// "standard output (fd 1)", "descriptor 7".
std::string describeFd(int Fd) {
  switch (Fd) {
  case 0:
    return "standard input (fd 0)";
  case 1:
    return "standard output (fd 1)";
  case 2:
    return "standard error (fd 2)";
  default:
    return "descriptor " + std::to_string(Fd);
  }
}
} // namespace

SelfDeadlockCheck::SelfDeadlockCheck(llvm::StringRef Name,
                                     ClangTidyContext *Context)
    : PipeCheckBase(Name, Context),
      PipeCapacity(readPipeCapacity()) {}

void SelfDeadlockCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  PipeCheckBase::storeOptions(Opts);
  Options.store(Opts, "PipeCapacity", PipeCapacity);
}

void SelfDeadlockCheck::analyzeFunction(const FunctionAnalysis &A) {
  std::set<std::pair<const Expr *, int>> Reported;
  // The write ends a start helper left open to this function for its
  // child's output, which this function does not close either:
  // pipe-unclosed-write-end reports them in the helper, where the fix is,
  // and a read to end-of-file here is the same defect (computed once, when
  // such a read is met).
  std::optional<llvm::DenseSet<EndId>> LeftByHelper;
  auto ReportedInHelper = [&](EndId W) {
    if (!LeftByHelper) {
      LeftByHelper.emplace();
      FunctionSummaries *Functions = sharedSummaries(A.context());
      if (Functions && isEnabled("pipe-unclosed-write-end"))
        for (const HelperChildEnd &F : findHelperChildEnds(
                 A, *Functions, model(), analysisBudget(),
                 [&](const ExitPoint &X, const PathState &S) {
                   return callersEndProcessForLeaks(A, X, S);
                 }))
          LeftByHelper->insert(F.Left.begin(), F.Left.end());
    }
    return LeftByHelper->count(W) > 0;
  };
  // A read in a loop that writes what it reads back into the same pipe, or
  // a call of a copy helper given both ends of one pipe: the defect is the
  // copy, which pipe-self-copy reports (CopyLoops.h, HelperCopies.h).
  std::optional<llvm::DenseSet<const CallExpr *>> CopyLoopReads;
  auto InCopyLoop = [&](const CallExpr *Read) {
    if (!CopyLoopReads) {
      CopyLoopReads.emplace();
      if (isEnabled("pipe-self-copy")) {
        for (const SelfCopyLoop &L : findSelfCopyLoops(A))
          CopyLoopReads->insert(L.Read);
        A.forEachCall([&](const CallSite &C, const PathState &S) {
          if (C.Api->Role == ApiRole::Copy && C.ViaHelper &&
              !CopyLoopReads->count(C.Call) && selfCopyThroughHelper(A, C, S))
            CopyLoopReads->insert(C.Call);
        });
      }
    }
    return CopyLoopReads->count(Read) > 0;
  };
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    std::optional<WriteSideAtRead> F =
        writeSideAtRead(C, S, A, /*PartialHelpers=*/true);
    if (!F)
      return;
    const EndInfo &RI = A.ends()[F->Read];
    std::string RName = A.nameOf(F->Read, &S), WName = A.nameOf(F->OpenWriter, &S);
    bool Socket = RI.Kind == EndKind::SocketEnd;

    // 3. This thread wrote more than the pipe holds before reading it back,
    //    with no other reader: the write blocked before we got here. (Not
    //    for socket pairs, whose buffers are larger and differently sized.)
    if (!Socket && F->Bytes > PipeCapacity && F->LastWrite &&
        !S.hasFlag(F->Read, SharedWithChild) && !F->Nonblocking && !F->Resized) {
      // One warning per pipe: the writes before the first read back that
      // fill it are one defect (the first of them that may overflow).
      if (Reported.insert({RI.Origin ? RI.Origin : F->LastWrite, 3}).second) {
        bool Unbounded = F->Bytes == UINT32_MAX;
        if (F->LastWrite == C.Call) {
          reportHelperWriteBeforeRead(A, C, S, *F);
          return;
        }
        diag(F->LastWrite->getBeginLoc(),
             "writing %select{%1 bytes|an amount that grows with the loop}2 "
             "to '%0' fills the pipe (it holds %3 bytes) before this thread "
             "reads it back; the write blocks forever; read from another "
             "thread, or write less than the pipe holds")
            << A.nameOf(F->W, &S) << F->Bytes << int(Unbounded) << PipeCapacity;
        diag(compat::callBegin(C.Call), "this thread reads the pipe back here",
             DiagnosticIDs::Note);
        if (RI.Origin)
          diag(RI.Origin->getBeginLoc(), "pipe created here",
               DiagnosticIDs::Note);
      }
      return;
    }
    // A helper that reads a given amount (`read_all(fd, buf, n)`): whether
    // it waits is not judged, only what was written before it (above).
    if (F->PartialHelperRead)
      return;
    auto CreatedNote = [&] {
      if (RI.Origin)
        diag(RI.Origin->getBeginLoc(), "%select{pipe|socket pair}0 created here",
             DiagnosticIDs::Note)
            << int(Socket);
    };
    if (!F->AnyOpen) {
      // 2b. Every write end is closed, but a descriptor number dup2()ed
      //     from one is still open in this process.
      if (F->Copy && F->ToEof && Reported.insert({C.Call, 2}).second) {
        std::string Fd = describeFd(F->Copy->Fd);
        diag(compat::callBegin(C.Call),
             "reading '%0' until end-of-file never ends: %1 is still a copy "
             "of the write end '%2', so the pipe stays open after '%2' is "
             "closed; restore or close fd %3 before the read loop")
            << RName << Fd << A.nameOf(F->Copy->E, &S) << F->Copy->Fd;
        diag(F->Copy->Site->getBeginLoc(), "%0 becomes a copy of '%1' here",
             DiagnosticIDs::Note)
            << Fd << A.nameOf(F->Copy->E, &S);
        CreatedNote();
      }
      return;
    }
    // The same read, when a number dup2()ed from the write end is open too:
    // closing the end alone does not help.
    auto CopyNote = [&] {
      if (F->Copy)
        diag(F->Copy->Site->getBeginLoc(),
             "%0 is also a copy of the write end, made here; restore or "
             "close fd %1 before the read loop too",
             DiagnosticIDs::Note)
            << describeFd(F->Copy->Fd) << F->Copy->Fd;
    };
    // 2. Reading to end-of-file while this process keeps a write end open:
    //    end-of-file never comes, whatever the writers do. One finding per
    //    read: closing the write end first also cures a read with no data.
    if (F->ToEof) {
      // A copy of the pipe into itself: pipe-self-copy's defect.
      if (InCopyLoop(C.Call))
        return;
      if (A.ends()[F->OpenWriter].ClassMember) {
        // The class model: the object itself holds the write end.
        if (Reported.insert({C.Call, 2}).second) {
          std::string Closer = memberCloserCall(A, F->OpenWriter, S,
                                                sharedSummaries(A.context()));
          diag(compat::callBegin(C.Call),
               "reading '%0' until end-of-file never ends: the object still "
               "holds the write end '%1' in a member that %select{only its "
               "destructor closes|nothing in its class closes}2; "
               "%select{close '%1'|call '%3()', which closes it,}4 before "
               "reading to the end")
              << RName << WName
              << A.ends()[F->OpenWriter].MemberNeverClosed << Closer
              << int(!Closer.empty());
          CreatedNote();
        }
        return;
      }
      if (!S.inForkChild() && ReportedInHelper(F->OpenWriter))
        return;
      // A method that reads the pipe its object keeps in its members, the
      // write end among them: reported in the method itself (the class
      // model, above), once for all its callers.
      if (C.ViaHelper && A.ends()[F->OpenWriter].Kind != EndKind::Parameter)
        if (const FunctionDecl *Def = FunctionSummaries::summarisable(
                C.Call->getDirectCallee()))
          if (FunctionSummaries *Functions = sharedSummaries(A.context());
              Functions && Functions->holdsClassPipes(Def))
            return;
      // Held open only by a thread this function gave it to, which uses it
      // and never closes it: the end is never closed, and
      // pipe-unclosed-write-end reports it here (TaskHeldEnds.h).
      if (taskHeldWriter(*F, S, A))
        return;
      // Held open only by a fork() child's inherited copy, in that child:
      // pipe-unclosed-write-end's (TaskHeldEnds.h).
      if (inheritedByChild(*F, S))
        return;
      if (Reported.insert({C.Call, 2}).second) {
        bool Built = false;
        const VarDecl *ClosingOwner =
            closingOwnerHolding(A, F->OpenWriter, S,
                                sharedSummaries(A.context()), Built);
        // An owner that holds the read end too would close it as well.
        if (ClosingOwner && holdsEnd(S, ClosingOwner, F->Read))
          ClosingOwner = nullptr;
        std::string CloserCall =
            closerCall(A, F->OpenWriter, S, sharedSummaries(A.context()));
        bool Closer = !CloserCall.empty();
        int Fix = Closer ? 2 : ClosingOwner ? 1 : 0;
        diag(compat::callBegin(C.Call),
             "reading '%0' until end-of-file never ends: this process still "
             "holds the write end '%1'%select{|, and a fork() child closing "
             "its own copy does not close this one|; the child process it "
             "was passed to holds only a copy, and its exit does not close "
             "this one}2; %select{close '%1'|end the scope of '%4', which closes "
             "it,|call '%5()', which closes it,}3 before the read loop")
            << RName << WName
            << (F->Shared && !S.inForkChild() ? (S.hasForked() ? 1 : 2) : 0)
            << Fix << (ClosingOwner ? ClosingOwner->getName() : StringRef())
            << CloserCall;
        CopyNote();
        // Still in an object whose destructor closes it: the fix goes
        // through that object (a close() of the number would be repeated
        // by its destructor).
        addOwnerNote(ClosingOwner, Built);
        // Released from the object that would have closed it: nothing does.
        if (const CallExpr *Rel = A.releasedBy(F->OpenWriter))
          diag(compat::callBegin(Rel),
               "the write end leaves its owner here through '%0()': nothing "
               "closes it after that; close the descriptor '%0()' returns "
               "once the child has it",
               DiagnosticIDs::Note)
              << calleeName(Rel);
        addDroppedNote(A, F->OpenWriter);
        CreatedNote();
      }
      return;
    }
    // 1b. The only other holders are fork() children of this function
    //     that write nothing to the pipe: nobody ever writes.
    if (F->Shared && !F->Written && !S.inForkChild() && !Socket) {
      auto Children = silentChildHolders(A, S, F->Writers, model());
      if (!Children) {
        // 1c. The only other holder is a fork() child that runs a program
        //     and, when the exec fails, exits without writing: the read
        //     then waits for data that never comes, and this thread's own
        //     write end keeps end-of-file away.
        auto H = execFailureHolder(A, S, F->Writers, model());
        if (!H || !Reported.insert({C.Call, 1}).second)
          return;
        const SourceManager &SM = A.context().getSourceManager();
        const TaskInfo &T = A.tasks()[H->Child];
        std::string Child = describeTask(T);
        diag(compat::callBegin(C.Call),
             "read from '%0' blocks forever if %1 exits without writing to "
             "the pipe, as it does when its exec fails: this process still "
             "holds the write end '%2', so the read never sees end-of-file; "
             "close '%2' before reading")
            << RName << Child << WName;
        diag(SM.getFileLoc(T.Origin->getBeginLoc()), "%0 starts here",
             DiagnosticIDs::Note)
            << Child;
        diag(SM.getFileLoc(H->Exit->getBeginLoc()),
             "when its exec fails, the child exits here without writing to "
             "'%0'",
             DiagnosticIDs::Note)
            << WName;
        CreatedNote();
        return;
      }
      if (!Reported.insert({C.Call, 1}).second)
        return;
      const TaskInfo &T = A.tasks()[Children->front()];
      bool Waited = llvm::all_of(*Children, [&](TaskId Id) {
        return !(S.taskStatus(Id) & TaskRunning);
      });
      std::string Child = describeTask(T);
      diag(compat::callBegin(C.Call),
           "read from '%0' blocks forever: this thread holds the write end "
           "'%1' and has written nothing to it, and the only other "
           "%select{holder, %2,|holders, the child processes this function "
           "forked,}4 %select{writes nothing to it|has exited without "
           "writing to it|write nothing to it|have exited without writing "
           "to it}3; write to '%1' first, or close '%1' before reading to "
           "get end-of-file")
          << RName << WName << Child
          << int(Waited) + (Children->size() > 1 ? 2 : 0)
          << int(Children->size() > 1);
      diag(T.Origin->getBeginLoc(), "%0 starts here; it writes nothing to '%1'",
           DiagnosticIDs::Note)
          << Child << WName;
      CreatedNote();
      return;
    }
    // 1. Nobody else can write, and this thread has written nothing.
    if (!F->Shared && !F->Written && !F->TaskUses && !InCopyLoop(C.Call) &&
        Reported.insert({C.Call, 1}).second) {
      diag(compat::callBegin(C.Call),
           "read from '%0' blocks forever: this thread holds the only write "
           "end '%1' and has written nothing to it; write from another "
           "thread or process first, or do not read here")
          << RName << WName;
      CreatedNote();
    }
  });
  checkHelperCopyLoops(A, Reported);
  checkJoinOfReader(A);
}

void SelfDeadlockCheck::checkHelperCopyLoops(
    const FunctionAnalysis &A,
    std::set<std::pair<const Expr *, int>> &Reported) {
  // A copy loop that reads until end-of-file, given the read end and the
  // write end of one pipe: it writes into the write end it holds, so the
  // read never sees end-of-file. Where the helper reads an end it was
  // given here (`pump(fds[0], fds[1])`), the read is already reported at
  // this call (a helper that reads to end-of-file, above).
  // The same copy is pipe-self-copy's defect (HelperCopies.h): one
  // warning, from that check, when it is enabled.
  if (isEnabled("pipe-self-copy"))
    return;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Copy || !C.Copy || !C.Copy->Loop ||
        !C.Copy->ReadsToEof || Reported.count({C.Call, 2}))
      return;
    std::optional<HelperCopyReport> H = selfCopyThroughHelper(A, C, S);
    if (!H || S.hasFlag(EndId(C.CopyFrom), Nonblock))
      return;
    Reported.insert({C.Call, 2});
    if (H->InHelper && !ReportedInHelpers.insert(H->At).second)
      return;
    diag(H->Loc,
         "'%0' reads '%1' until end-of-file, but it writes what it reads "
         "into '%2', the write end of the same pipe, which this process "
         "holds: end-of-file never comes and the call never returns; pass "
         "the descriptor you meant to copy into")
        << H->Helper << H->From << H->To;
    if (C.Copy->Site)
      diag(C.Copy->Site->getBeginLoc(), "'%0' is written here",
           DiagnosticIDs::Note)
          << H->To;
    if (H->InHelper)
      diag(compat::callBegin(C.Call),
           "both ends of the pipe reach it through this call",
           DiagnosticIDs::Note);
    if (const Expr *Origin = A.ends()[EndId(C.CopyFrom)].Origin)
      diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
  });
}

void SelfDeadlockCheck::reportHelperWriteBeforeRead(
    const FunctionAnalysis &A, const CallSite &C, const PathState &S,
    const WriteSideAtRead &F) {
  // One call both wrote the pipe past its capacity and read it back: a
  // helper given both ends (FunctionSummary::WritesBeforeReads), where
  // the write and the read are.
  const FunctionDecl *Callee = C.Call->getDirectCallee();
  const FunctionSummary *FS = nullptr;
  if (FunctionSummaries *Functions = sharedSummaries(A.context());
      Functions && Callee)
    FS = Functions->get(Callee);
  const FunctionSummary::WriteBeforeRead *Where = nullptr;
  if (FS)
    for (const FunctionSummary::WriteBeforeRead &W : FS->WritesBeforeReads)
      if (!Where || W.Bytes > Where->Bytes)
        Where = &W;
  bool Unbounded = F.Bytes == UINT32_MAX;
  // What the user calls it: a lambda by the variable that holds it.
  std::string Name = Callee ? Callee->getNameAsString() : "the call";
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
      MD && MD->getParent()->isLambda() && isa<CXXOperatorCallExpr>(C.Call)) {
    const auto *DRE = dyn_cast<DeclRefExpr>(
        cast<CXXOperatorCallExpr>(C.Call)->getArg(0)->IgnoreParenImpCasts());
    Name = DRE ? DRE->getDecl()->getNameAsString() : "the lambda";
  }
  const SourceManager &SM = A.context().getSourceManager();
  std::string Caller =
      A.function() ? A.function()->getNameAsString() : std::string();
  if (Where && Where->WriteLoc.isValid()) {
    // In the helper, at its write, where the fix is (read from another
    // thread, or write less): once per helper write in the file, for the
    // first caller met that gives it both ends of one pipe.
    SourceLocation At = userLoc(SM, Where->WriteLoc);
    if (!ReportedHelperWrites.insert(At.getRawEncoding()).second)
      return;
    diag(At, "'%0' writes %select{%2 bytes|an amount that grows with the "
             "loop}3 to '%1' and then reads the pipe back from '%4' in the "
             "same thread%select{|, when '%6' gives it both ends of one "
             "pipe}7: the pipe holds %5 bytes, so this write blocks forever "
             "before the read; read from another thread, or write less than "
             "the pipe holds")
        << Name << A.nameOf(F.W, &S) << F.Bytes << int(Unbounded)
        << A.nameOf(F.Read, &S) << PipeCapacity << Caller
        << int(!Caller.empty());
    if (Where->ReadLoc.isValid())
      diag(userLoc(SM, Where->ReadLoc), "it reads the pipe back here",
           DiagnosticIDs::Note);
    diag(compat::callBegin(C.Call),
         "'%0' is given both ends of the pipe here", DiagnosticIDs::Note)
        << Name;
  } else {
    diag(compat::callBegin(C.Call),
         "'%0' writes %select{%2 bytes|an amount that grows with the loop}3 "
         "to '%1' and then reads the pipe back from '%4' in this same "
         "thread: the pipe holds %5 bytes, so the write blocks forever "
         "before the read; read from another thread, or write less than the "
         "pipe holds")
        << Name << A.nameOf(F.W, &S) << F.Bytes << int(Unbounded)
        << A.nameOf(F.Read, &S) << PipeCapacity;
  }
  if (const Expr *Origin = A.ends()[F.Read].Origin)
    diag(Origin->getBeginLoc(), "pipe created here", DiagnosticIDs::Note);
}

void SelfDeadlockCheck::addOwnerNote(const VarDecl *Owner, bool Built) {
  if (Owner)
    diag(Owner->getLocation(),
         "'%0' %select{holds the write end in a member|owns the write end "
         "from here}1 and closes it only when it is destroyed",
         DiagnosticIDs::Note)
        << Owner->getName() << int(Built);
}

void SelfDeadlockCheck::checkJoinOfReader(const FunctionAnalysis &A) {
  // 4. A join or wait on a task that reads a pipe until end-of-file while
  //    this thread still holds the write end: the task's read never sees
  //    end-of-file, so it never finishes, and neither does the wait.
  if (A.tasks().empty())
    return;
  // What each fork() child of this function reads until end-of-file, on
  // the child's side of its paths.
  llvm::DenseMap<TaskId, llvm::SmallVector<std::pair<EndId, const CallExpr *>, 1>>
      ChildReads;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    std::optional<TaskId> T = S.childTask();
    if (!T || C.Api->Role != ApiRole::Read || S.polled())
      return;
    if (C.ViaHelper ? !C.ReadsToEof
                    : !(C.ReadsToEof || readsUntilEof(C.Call, A)))
      return;
    if (auto R = A.subjectEnd(C, S)) {
      auto &V = ChildReads[*T];
      if (llvm::none_of(V, [&](const auto &P) { return P.first == *R; }))
        V.push_back({*R, C.Call});
    }
  });
  std::set<const Stmt *> Done;
  A.forEachTaskEvent([&](const TaskEvent &Ev, const PathState &S) {
    const TaskInfo &T = A.tasks()[Ev.Task];
    if (Ev.K != TaskEvent::Join || T.FromCaller || S.inForkChild() ||
        !(S.taskStatus(Ev.Task) & TaskRunning) || Done.count(Ev.At))
      return;
    // The reads seen in a fork() child's branch first: their note shows
    // the read itself.
    llvm::SmallVector<std::pair<EndId, const CallExpr *>, 2> Reads;
    if (auto It = ChildReads.find(Ev.Task); It != ChildReads.end())
      Reads.append(It->second.begin(), It->second.end());
    for (EndId R : T.ReadsToEof)
      if (llvm::none_of(Reads, [&](const auto &P) { return P.first == R; }))
        Reads.push_back({R, nullptr});
    for (const auto &[R, ReadCall] : Reads) {
      const EndInfo &RI = A.ends()[R];
      if ((RI.Kind != EndKind::PipeRead && RI.Kind != EndKind::SocketEnd) ||
          RI.Peer < 0)
        continue;
      // The write end, or a dup() of it, still open here: not lost, not
      // handed to anyone who could close it.
      EndId W = EndId(RI.Peer);
      std::optional<EndId> OpenW;
      bool Unsure = false;
      auto Consider = [&](EndId E) {
        Unsure |= S.hasFlag(E, Lost) ||
                  (S.status(E) != Open && S.status(E) != Closed &&
                   S.status(E) != NotCreated);
        if (S.status(E) == Open && !OpenW)
          OpenW = E;
      };
      Consider(W);
      S.forEachTouchedEnd([&](EndId E) {
        for (int D = A.ends()[E].DupOf; D >= 0; D = A.ends()[EndId(D)].DupOf)
          if (EndId(D) == W) {
            Consider(E);
            break;
          }
      });
      if (!OpenW || Unsure)
        continue;
      Done.insert(Ev.At);
      if (reportHelperCloseOrder(A, Ev, S, R, *OpenW))
        return;
      std::string Task = describeTask(T), WName = A.nameOf(*OpenW, &S);
      bool Child = T.Kind == TaskKind::ForkChild;
      // Held by an object that closes it when destroyed: the fix ends its
      // scope (a close() of the number would be repeated).
      bool Built = false;
      const VarDecl *Owner = closingOwnerHolding(
          A, *OpenW, S, sharedSummaries(A.context()), Built);
      if (Owner && holdsEnd(S, Owner, R))
        Owner = nullptr; // ending its scope would close the task's read end
      diag(Ev.Loc, "%0 %select{is joined|is waited for}1 here, but it reads "
                   "'%2' until end-of-file while this thread still holds the "
                   "write end '%3': end-of-file never comes, so %0 never "
                   "finishes and this %select{join|wait}1 never returns; "
                   "%select{close '%3'|end the scope of '%5', which closes "
                   "it,}4 before %select{joining|waiting}1")
          << Task << int(Child) << A.nameOf(R, &S) << WName
          << int(Owner != nullptr)
          << (Owner ? Owner->getName() : StringRef());
      addOwnerNote(Owner, Built);
      addDroppedNote(A, *OpenW);
      if (ReadCall)
        diag(compat::callBegin(ReadCall), "%0 reads '%1' until end-of-file here",
             DiagnosticIDs::Note)
            << Task << A.nameOf(R, &S);
      else
        diag(T.Origin->getBeginLoc(),
             "%0 starts here; it reads '%1' until end-of-file",
             DiagnosticIDs::Note)
            << Task << A.nameOf(R, &S);
      if (RI.Origin)
        diag(RI.Origin->getBeginLoc(),
             "pipe created here; its write end '%0' is still open at the "
             "%select{join|wait}1",
             DiagnosticIDs::Note)
            << WName << int(Child);
      addBranchNote(S);
      return;
    }
  });
}

} // namespace clang::tidy::pipe
