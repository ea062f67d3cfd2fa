//===--- UnclosedWriteEndCheck.cpp - pipe-unclosed-write-end --------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "summaries/ClassModel.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "clang/Lex/Lexer.h"
#include <map>

namespace clang::tidy::pipe {

namespace {
/// The kind of resource, for messages: "write end 'fds[1]' of the pipe".
bool isSocketEnd(const EndInfo &Info) { return Info.Kind == EndKind::SocketEnd; }

const char *creationNote(const EndInfo &Info) {
  switch (Info.Kind) {
  case EndKind::SocketEnd:
    return "socket pair created here";
  case EndKind::Duplicate:
    return "duplicate created here";
  default:
    return "pipe created here";
  }
}
} // namespace

UnclosedWriteEndCheck::UnclosedWriteEndCheck(llvm::StringRef Name,
                                             ClangTidyContext *Context)
    : PipeCheckBase(Name, Context),
      CheckSpawnInheritance(readLocalBool("CheckSpawnInheritance", true)) {}

void UnclosedWriteEndCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  PipeCheckBase::storeOptions(Opts);
  Options.store(Opts, "CheckSpawnInheritance", CheckSpawnInheritance);
}

void UnclosedWriteEndCheck::analyzeFunction(const FunctionAnalysis &A) {
  if (!A.isMain())
    reportExitLeaks(A);
  reportClassLeaks(A);
  reportOwnedParameters(A);
  if (CheckSpawnInheritance)
    reportSpawnInheritance(A);
}

/// The class model: a constructor or method that leaves a pipe in members
/// of its class whose write end nothing of the class ever closes.
void UnclosedWriteEndCheck::reportClassLeaks(const FunctionAnalysis &A) {
  const FunctionDecl *FD = A.function();
  if (!FD || !isa<CXXMethodDecl>(FD))
    return;
  FunctionSummaries *Functions = sharedSummaries(A.context());
  if (!Functions)
    return;
  ClassModel &Classes = Functions->classes();
  for (const MemberPipe &P : Classes.leaksMadeBy(FD)) {
    const auto *RD = cast<CXXMethodDecl>(FD)->getParent();
    const FunctionDecl *Dtor = Classes.destructorOf(FD);
    diag(P.Origin->getBeginLoc(),
         "write end '%0' of this pipe is kept in a member of %1 that no "
         "method of %1 closes%select{, not even its destructor|, and %1 has "
         "no destructor}2: every %1 object leaks it; close '%0' in "
         "%select{the destructor|a destructor}2")
        << P.Name[1] << RD << int(Dtor == nullptr);
  }
}

void UnclosedWriteEndCheck::addPathNotes(const FunctionAnalysis &A, EndId E,
                                         const PathState &S) {
  const EndInfo &Info = A.ends()[E];
  if (Info.Origin)
    diag(Info.Origin->getBeginLoc(), creationNote(Info), DiagnosticIDs::Note);
  addBranchNote(S);
}

/// On this path nobody can wait for end-of-file on \p W's pipe: its read end
/// (and every duplicate of it) is closed, was never shared with a child and
/// never left our sight. Leaking \p W then leaks a descriptor, but blocks
/// no one: `if (write(p[1], ...) != n || close(p[1])) { close(p[0]); return
/// -1; }`.
static bool noReaderLeft(const FunctionAnalysis &A, EndId W, const PathState &S,
                         const std::vector<std::vector<EndId>> &DupsOf) {
  if (isSocketEnd(A.ends()[W]) || S.hasFlag(W, SharedWithChild))
    return false;
  int R = A.readEndOf(W);
  if (R < 0 || S.status(EndId(R)) != Closed)
    return false;
  // Only the read end and its duplicates (an end this path never touched
  // is NotCreated here): not every end the path holds, at every exit for
  // every open end, which would not stay linear.
  auto MayRead = [&](EndId E) {
    return (S.status(E) & ~(Closed | NotCreated)) != 0 || S.hasFlag(E, Lost) ||
           S.hasFlag(E, SharedWithChild);
  };
  if (MayRead(EndId(R)))
    return false;
  for (EndId D : DupsOf[unsigned(R)])
    if (MayRead(D))
      return false;
  return true;
}

void UnclosedWriteEndCheck::reportExitLeaks(const FunctionAnalysis &A) {
  // One finding per (exit, end): the first path state reaching it explains
  // the path; a fix-it only if every state reaching it agrees.
  struct Finding {
    const ExitPoint *Exit;
    const PathState *State;
    bool DefinitelyOpenEverywhere = true;
    std::string Name;
    EndId End = 0;
  };
  std::map<std::pair<unsigned, EndId>, Finding> Findings;
  std::vector<std::pair<unsigned, EndId>> Order;
  const SourceManager &SM = A.context().getSourceManager();
  std::vector<std::vector<EndId>> DupsOf(A.ends().size());
  for (EndId E = 0; E < A.ends().size(); ++E)
    if (A.ends()[E].Kind == EndKind::Duplicate && A.ends()[E].DupOf >= 0)
      DupsOf[unsigned(A.ends()[E].DupOf)].push_back(E);

  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    // Every caller ends the process on what this path returns: harmless.
    if (callersEndProcess(A, X, S))
      return;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A.ends()[E];
      if (!Info.isWriteSide() || !S.has(E, Open) || S.hasFlag(E, Lost) ||
          Info.OwnedByObject)
        return;
      if (noReaderLeft(A, E, S, DupsOf))
        return;
      // Both ends of a socket pair open: one finding, on the first.
      if (Info.Kind == EndKind::SocketEnd && Info.Peer >= 0 &&
          EndId(Info.Peer) < E && S.has(EndId(Info.Peer), Open) &&
          !S.hasFlag(EndId(Info.Peer), Lost))
        return;
      auto Key = std::make_pair(X.Loc.getRawEncoding(), E);
      auto It = Findings.find(Key);
      std::string Name = A.nameOf(E, &S);
      if (It == Findings.end()) {
        Findings.emplace(Key, Finding{&X, &S, S.status(E) == Open, Name, E});
        Order.push_back(Key);
      } else if (S.status(E) != Open || It->second.Name != Name) {
        It->second.DefinitelyOpenEverywhere = false;
      }
    });
  });
  // A state that reaches the exit with the end closed also disables the fix.
  // Only that exit's findings are looked at: not every finding at every
  // exit state.
  std::map<unsigned, std::vector<Finding *>> AtExit;
  for (auto &F : Findings)
    AtExit[F.first.first].push_back(&F.second);
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    auto It = AtExit.find(X.Loc.getRawEncoding());
    if (It == AtExit.end())
      return;
    for (Finding *F : It->second)
      if (!S.has(F->End, Open))
        F->DefinitelyOpenEverywhere = false;
  });

  for (const auto &Key : Order) {
    const Finding &F = Findings[Key];
    const EndInfo &Info = A.ends()[Key.second];
    const ExitPoint &X = *F.Exit;
    if (X.Loc.isInvalid())
      continue;
    {
      bool Child = F.State->inForkChild();
      auto D = diag(X.Loc, "%select{write end|end}3 '%0' of the %select{pipe|socket pair}3 "
                           "is still open when "
                           "%select{%1 returns|%1 returns|an exception leaves %1}2 "
                           "here%select{| in the child process of fork()}4; "
                           "%select{readers of the pipe never see|its peer never sees}3 "
                           "end-of-file and block%select{|s}3 forever; "
                           "%select{close it on this path|close it, or end the child "
                           "with _exit()}4");
      D << F.Name << A.displayName() << int(X.K) << int(isSocketEnd(Info))
        << int(Child);
      // Fix-it: an early `return` directly in a block, the end definitely
      // open on every path there, held in a plain int variable or element.
      const auto *RS = llvm::dyn_cast_or_null<ReturnStmt>(X.S);
      bool Mechanical = RS && F.DefinitelyOpenEverywhere && !Child &&
                        !X.Loc.isMacroID() &&
                        !F.Name.empty() &&
                        F.Name.find_first_of(".->") == std::string::npos;
      if (Mechanical) {
        // Only an early return on an error path: directly in a nested block,
        // not the function's own last statement (where closing may come
        // after a read or wait that already hangs), and not in a fork()
        // child (which should _exit() instead).
        const auto *Block = llvm::dyn_cast_or_null<CompoundStmt>(A.parentOf(RS));
        Mechanical = Block && Block != A.decl()->getBody() &&
                     !F.State->inForkChild() && SM.isWrittenInMainFile(X.Loc);
      }
      if (Mechanical)
        D << FixItHint::CreateInsertion(X.Loc, "close(" + F.Name + "); ");
    }
    addPathNotes(A, Key.second, *F.State);
  }
}

void UnclosedWriteEndCheck::reportOwnedParameters(const FunctionAnalysis &A) {
  // A function that writes to a descriptor parameter and closes it on its
  // final path owns it: every other exit must close it too.
  SourceLocation FinalLoc;
  A.forEachExit([&](const ExitPoint &X, const PathState &) {
    if (FinalLoc.isInvalid() ||
        A.context().getSourceManager().isBeforeInTranslationUnit(FinalLoc, X.Loc))
      FinalLoc = X.Loc;
  });
  if (FinalLoc.isInvalid())
    return;
  for (EndId E = 0; E < A.ends().size(); ++E) {
    const EndInfo &Info = A.ends()[E];
    if (Info.Kind != EndKind::Parameter)
      continue;
    bool ClosedAtFinal = true, SeenFinal = false, Written = false;
    A.forEachExit([&](const ExitPoint &X, const PathState &S) {
      Written |= S.hasFlag(E, WrittenTo);
      if (X.Loc != FinalLoc)
        return;
      SeenFinal = true;
      ClosedAtFinal &= S.status(E) == Closed && !S.hasFlag(E, Lost);
    });
    if (!SeenFinal || !ClosedAtFinal || !Written)
      continue;
    const CallExpr *CloseCall = nullptr;
    A.forEachCall([&](const CallSite &C, const PathState &S) {
      if (CloseCall || C.Api->Role != ApiRole::Close)
        return;
      int I = C.Api->Arg;
      if (I >= 0 && unsigned(I) < C.Call->getNumArgs())
        if (auto Closed = A.endOf(C.Call->getArg(unsigned(I)), S); Closed && *Closed == E)
          CloseCall = C.Call;
    });
    std::vector<SourceLocation> Reported;
    A.forEachExit([&](const ExitPoint &X, const PathState &S) {
      if (X.Loc == FinalLoc || !S.has(E, Open) || S.hasFlag(E, Lost) ||
          X.Loc.isInvalid() || callersEndProcess(A, X, S))
        return;
      if (std::find(Reported.begin(), Reported.end(), X.Loc) != Reported.end())
        return;
      Reported.push_back(X.Loc);
      diag(X.Loc, "write end '%0' is closed on another path but still open "
                  "when %select{%1 returns|%1 returns|an exception leaves %1}2 "
                  "here; the reader never sees end-of-file and blocks forever; "
                  "close it on this path too")
          << A.nameOf(E, &S) << A.displayName() << int(X.K);
      if (CloseCall)
        diag(CloseCall->getBeginLoc(), "'%0' is closed here on another path",
             DiagnosticIDs::Note)
            << Info.Name;
      addPathNotes(A, E, S);
    });
  }
}

void UnclosedWriteEndCheck::reportSpawnInheritance(const FunctionAnalysis &A) {
  std::vector<std::pair<const CallExpr *, EndId>> Reported;
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    ApiRole Role = C.Api->Role;
    if (Role != ApiRole::Exec && Role != ApiRole::Spawn && Role != ApiRole::Shell)
      return;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A.ends()[E];
      if (!Info.isWriteSide() || Info.OwnedByObject || S.status(E) != Open ||
          S.hasFlag(E, Lost) || S.hasFlag(E, Cloexec) ||
          S.hasFlag(E, SpawnRelated))
        return;
      auto Key = std::make_pair(C.Call, E);
      if (std::find(Reported.begin(), Reported.end(), Key) != Reported.end())
        return;
      Reported.push_back(Key);
      const FunctionDecl *Callee = C.Call->getDirectCallee();
      diag(C.Call->getBeginLoc(),
           "%select{write end|end}3 '%0' is inherited by the child that '%1' "
           "starts because it lacks O_CLOEXEC; while that child runs, "
           "%select{readers of the pipe|its peer}3 never see%select{|s}3 "
           "end-of-file; create the %select{pipe with pipe2(..., O_CLOEXEC)|"
           "socket pair with SOCK_CLOEXEC}3 or close the end before this call")
          << A.nameOf(E, &S) << (Callee ? Callee->getName() : "exec")
          << 0 << int(isSocketEnd(Info));
      addPathNotes(A, E, S);
    });
  });
}

} // namespace clang::tidy::pipe
