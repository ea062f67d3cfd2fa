//===--- UnclosedWriteEndCheck.cpp - pipe-unclosed-write-end --------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "checks/LeakQueries.h"
#include "checks/LeakGrouping.h"
#include "summaries/FunctionSummaries.h"
#include "models/ThrowModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

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
      CheckSpawnInheritance(readLocalBool("CheckSpawnInheritance", true)),
      TestFileRegex(Options.get("TestFileRegex", DefaultTestFileRegex)),
      TestFiles(TestFileRegex) {
  std::string Error;
  if (!TestFileRegex.empty() && !TestFiles.isValid(Error)) {
    configurationDiag("invalid value '%0' for option '%1': not a valid "
                      "regular expression: %2",
                      DiagnosticIDs::Error)
        << TestFileRegex << (Name + ".TestFileRegex").str() << Error;
    TestFileRegex = DefaultTestFileRegex;
    TestFiles = llvm::Regex(TestFileRegex);
  }
  readTestOptions(Name);
}

namespace {
/// Is \p B's condition before \p Origin in the source, in a statement
/// that does not contain it (`if (setup() == false) return false;` above
/// a `pipe()` that no branch of it encloses)?
bool branchBeforeOrigin(const FunctionAnalysis &A, const BranchStep &B,
                        const Expr *Origin) {
  if (!B.Condition || !Origin)
    return false;
  const SourceManager &SM = A.context().getSourceManager();
  SourceLocation C = SM.getFileLoc(B.Condition->getBeginLoc()),
                 O = SM.getFileLoc(Origin->getBeginLoc());
  if (!SM.isBeforeInTranslationUnit(C, O))
    return false;
  const Stmt *Branch = A.parentOf(B.Condition);
  while (Branch && isa<Expr>(Branch))
    Branch = A.parentOf(Branch);
  if (!Branch)
    return false;
  SourceLocation End = SM.getFileLoc(Branch->getEndLoc());
  return SM.isBeforeInTranslationUnit(End, O);
}
} // namespace

void UnclosedWriteEndCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  PipeCheckBase::storeOptions(Opts);
  Options.store(Opts, "CheckSpawnInheritance", CheckSpawnInheritance);
  Options.store(Opts, "TestFileRegex", TestFileRegex);
  storeTestOptions(Opts);
}

/// A test program's file (TestFileRegex matches its path): it ends after
/// the test, so a leak there harms nothing.
bool UnclosedWriteEndCheck::inTestFile(const FunctionAnalysis &A) {
  if (TestFileRegex.empty() || !A.decl())
    return false;
  const SourceManager &SM = A.context().getSourceManager();
  return TestFiles.match(
      SM.getFilename(SM.getFileLoc(A.decl()->getBeginLoc())));
}

void UnclosedWriteEndCheck::analyzeFunction(const FunctionAnalysis &A) {
  reportHelperChildEnds(A);
  reportBlockedReads(A);
  RemadeCauses.clear();
  reportRemadeLeaks(A);
  // Before the exits: a write end it reports as keeping a child's input
  // open is not a second warning where the function returns.
  StdinKeptOpen.clear();
  reportStdinDeadlock(A);
  if (!A.isMain()) {
    reportExitLeaks(A);
    reportFailureLeaks(A);
  }
  reportClassLeaks(A);
  reportOwnedParameters(A);
  reportRoutineOpenExits(A);
  if (CheckSpawnInheritance) {
    reportSpawnInheritance(A);
    reportSpawnKeepsOriginal(A);
  }
  reportWorkerChildren(A);
}

void UnclosedWriteEndCheck::addPathNotes(const FunctionAnalysis &A, EndId E,
                                         const PathState &S) {
  const EndInfo &Info = A.ends()[E];
  if (Info.Origin)
    diag(A.context().getSourceManager().getFileLoc(Info.Origin->getBeginLoc()),
         creationNote(Info), DiagnosticIDs::Note);
  addBranchNote(S);
}

namespace {
/// Is \p St where an inserted statement runs only on the paths that reach
/// \p St? A statement directly in a block, after a label or a case; or the
/// only statement of an if, else or loop body, which then needs braces.
enum class Slot { None, Direct, Braces };
Slot slotOf(const FunctionAnalysis &A, const Stmt *St) {
  const Stmt *P = A.parentOf(St);
  if (!P)
    return Slot::None;
  if (isa<CompoundStmt, LabelStmt, CaseStmt, DefaultStmt>(P))
    return Slot::Direct;
  if (const auto *If = dyn_cast<IfStmt>(P))
    return If->getThen() == St || If->getElse() == St ? Slot::Braces
                                                        : Slot::None;
  if (const auto *W = dyn_cast<WhileStmt>(P))
    return W->getBody() == St ? Slot::Braces : Slot::None;
  if (const auto *F = dyn_cast<ForStmt>(P))
    return F->getBody() == St ? Slot::Braces : Slot::None;
  if (const auto *D = dyn_cast<DoStmt>(P))
    return D->getBody() == St ? Slot::Braces : Slot::None;
  return Slot::None;
}

/// Is exit \p X out of reach once \p Jump is taken? When no loop around
/// the jump (beyond the one a `break` leaves) leads back: an exit inside
/// the loop or switch a `break` leaves, or written before a forward jump.
bool unreachableAfter(const FunctionAnalysis &A, const Stmt *Jump,
                      SourceLocation X) {
  const SourceManager &SM = A.context().getSourceManager();
  if (X.isInvalid())
    return false;
  const Stmt *Left = nullptr;
  for (const Stmt *P = A.parentOf(Jump); P; P = A.parentOf(P)) {
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(P)) {
      if (!isa<BreakStmt>(Jump) || Left) {
        if (!isa<SwitchStmt>(P))
          return false; // a loop around it may come back
      } else {
        Left = P;
      }
    }
  }
  if (Left && SM.isPointWithin(X, Left->getBeginLoc(), Left->getEndLoc()))
    return true;
  if (const auto *G = dyn_cast<GotoStmt>(Jump))
    if (!SM.isBeforeInTranslationUnit(Jump->getBeginLoc(),
                                      G->getLabel()->getLocation()))
      return false; // a backward goto
  return SM.isBeforeInTranslationUnit(X, Jump->getBeginLoc());
}

/// The decision a cause is known by: the jump, when the cause is a jump or
/// the branch that takes one (`if (e) goto out;`), else the branch.
template <typename ItemT> BranchStep causeKey(const ItemT &I, int CauseLen) {
  if (CauseLen < 1)
    return BranchStep();
  llvm::ArrayRef<BranchStep> D = I.S->decisions();
  size_t K = size_t(CauseLen);
  if (!D[K - 1].isJump() && D.size() > K && D[K].isJump())
    return D[K];
  return D[K - 1];
}

bool samePrefix(llvm::ArrayRef<BranchStep> D, llvm::ArrayRef<BranchStep> P) {
  return D.size() >= P.size() && D.take_front(P.size()) == P;
}
} // namespace

/// One warning per defect. For each resource (a pipe, a socket pair, a
/// duplicate) and each exit state, the ends of it that leak there (its
/// write-side ends still open when the function loses them). The cause of
/// a leak is the shortest run of decisions (branches and jumps, see
/// PathState::decisions()) after which every path that has the resource
/// leaks the same ends; leaks with the same ends and the same cause are one
/// defect. It is reported at the jump the cause ends in (`if (e) goto out;`,
/// `break`), else at its exit when it has one, else at its first exit, with
/// a note at each exit it reaches. Leaks whose cause cannot be told apart
/// from another's (paths joined from several jumps) fall back to one
/// warning per exit and ends, and defects that share an exit are merged.
void UnclosedWriteEndCheck::reportExitLeaks(const FunctionAnalysis &A) {
  const SourceManager &SM = A.context().getSourceManager();
  // Who reads what after a fork(): whether a leak is a hang (LeakQueries.h).
  const ForkReaders Readers(A);
  // Test code: its leaks are not reported (ReportLeaksInTests). Asked only
  // of a leak that is no hang: the answer may scan the whole unit.
  std::optional<bool> InTestAnswer;
  auto InTest = [&] {
    if (!InTestAnswer)
      InTestAnswer = quietLeaks(A);
    return *InTestAnswer;
  };
  struct Item {
    const ExitPoint *X;
    const PathState *S;
    llvm::SmallVector<EndId, 2> Leaks; // write-side ends; empty: no leak
  };
  // Resource -> every exit state, in exit order, with the ends of it that
  // leak there (none where it is closed, handed off, never created, or
  // closed together with its peer and so no longer tracked). A state where
  // the analysis lost its write end is left out: it says neither.
  std::vector<const void *> ResourceOrder;
  std::map<const void *, std::vector<Item>> ByResource;
  std::vector<std::pair<const ExitPoint *, const PathState *>> States;
  std::vector<std::map<const void *, Item>> PerState;
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    // Every caller ends the process on what this path returns: harmless.
    if (callersEndProcess(A, X, S))
      return;
    std::map<const void *, Item> Here;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A.ends()[E];
      if (Info.Kind == EndKind::Parameter || S.status(E) == NotCreated)
        return;
      const void *Res = resourceOf(A, E);
      auto It = Here.find(Res);
      if (It == Here.end()) {
        It = Here.emplace(Res, Item{&X, &S, {}}).first;
        if (!ByResource.count(Res)) {
          ResourceOrder.push_back(Res);
          ByResource[Res];
        }
      }
      if (S.hasFlag(E, Lost) && Info.isWriteSide())
        It->second.X = nullptr; // the analysis lost it: neither way
      if (Info.isWriteSide() && S.has(E, Open) && !S.hasFlag(E, Lost) &&
          !Info.OwnedByObject && !ReportedInHelper.count(E) &&
          !blockedAtRead(E, S) && !llvm::is_contained(StdinKeptOpen, E) &&
          !leftByRemadeTurn(Res, S))
        It->second.Leaks.push_back(E);
    });
    States.push_back({&X, &S});
    PerState.push_back(std::move(Here));
  });
  // (A function with thousands of pipes and exits keeps only the states
  // that still track each pipe, so that the work stays near linear.)
  bool Every = uint64_t(States.size()) * ResourceOrder.size() <= 1000000;
  for (size_t I = 0; I < States.size(); ++I)
    for (const void *Res : ResourceOrder) {
      auto It = PerState[I].find(Res);
      if (It == PerState[I].end()) {
        if (Every)
          ByResource[Res].push_back(
              Item{States[I].first, States[I].second, {}});
      } else if (It->second.X) {
        ByResource[Res].push_back(It->second);
      }
    }

  // Every exit state, for the fix-its: a close may be inserted only where
  // every path through the insertion point has the end open.
  std::vector<std::pair<const ExitPoint *, const PathState *>> AllExits;
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    AllExits.push_back({&X, &S});
  });

  // The pure leaks (no reader can wait, not in a fork() child): one warning
  // for all of them (reportLeaksTogether()).
  std::vector<LeakReport> Reports;
  auto ReportGroup = [&](const std::vector<Item> &Items,
                         const std::vector<size_t> &Members,
                         const std::vector<int> &CauseLen, bool NoClose) {
    const Item &First0 = Items[Members.front()];
    const llvm::SmallVector<EndId, 2> &Leaks = First0.Leaks;
    const EndInfo &Info = A.ends()[Leaks.front()];
    bool Socket = isSocketEnd(Info);
    // The exits, in source order, each once.
    std::vector<const ExitPoint *> Exits;
    for (size_t M : Members)
      if (llvm::none_of(Exits, [&](const ExitPoint *X) {
            return X->Loc == Items[M].X->Loc;
          }))
        Exits.push_back(Items[M].X);
    // (Distinct places: a plain sort is stable enough.)
    std::sort(Exits.begin(), Exits.end(),
              [&](const ExitPoint *L, const ExitPoint *R) {
                return SM.isBeforeInTranslationUnit(L->Loc, R->Loc);
              });
    const Item *First = &First0;
    for (size_t M : Members)
      if (Items[M].X->Loc == Exits.front()->Loc) {
        First = &Items[M];
        break;
      }
    // One cause shared by every member? The cause of a member is the last
    // decision of its shortest leaking prefix (none when every path
    // leaks): the same break taken in different iterations of a loop is
    // one cause.
    auto CauseOf = [&](size_t M) { return causeKey(Items[M], CauseLen[M]); };
    BranchStep Cause = CauseOf(Members.front());
    // No path closes the ends: no branch decides to skip the close.
    bool Unique = !NoClose && llvm::all_of(Members, [&](size_t M) {
      return CauseLen[M] >= 0 && CauseOf(M) == Cause;
    });
    // Per member, how many of its decisions lead up to the jump.
    std::vector<size_t> JumpAt(Items.size(), 0);
    const Stmt *Jump = Unique && Cause.isJump() ? Cause.Condition : nullptr;
    if (Jump)
      for (size_t M : Members) {
        size_t K = size_t(CauseLen[M]);
        JumpAt[M] = Items[M].S->decisions()[K - 1] == Cause ? K : K + 1;
      }
    BranchStep Note;
    if (Unique) {
      llvm::ArrayRef<BranchStep> D = First->S->decisions();
      size_t M = size_t(First - &Items[0]);
      size_t K = Jump ? JumpAt[M] : size_t(CauseLen[M]);
      for (size_t I = K; I-- > 0;)
        if (!D[I].isJump()) {
          Note = D[I];
          break;
        }
    } else if (!NoClose) {
      // Not a branch before the pipe was made, outside the statement that
      // makes it, when paths joined since went both ways after it (apt's
      // `if (RunScripts(...) == false) return false;` long before the
      // pipe): it decided none of them.
      const BranchStep &Last = First->S->lastBranch();
      if (!First->S->tailCut() || !branchBeforeOrigin(A, Last, Info.Origin))
        Note = Last;
    }

    // Which ends: the leaking write-side ends, and the read end of the
    // pipe when it is open on every one of these paths too, and not kept
    // where the caller reads it (a variable a lambda captures by reference).
    std::vector<EndId> Named(Leaks.begin(), Leaks.end());
    int ReadEnd = -1;
    // An exception leaving a constructor: the object it fills never exists.
    auto Unbuilt = [&](size_t M) {
      return Items[M].X->K == ExitPoint::Throw && A.constructedObject();
    };
    if (Info.Kind == EndKind::PipeWrite && Info.Peer >= 0 &&
        !A.ends()[unsigned(Info.Peer)].OwnedByObject) {
      EndId R = EndId(Info.Peer);
      if (llvm::all_of(Members, [&](size_t M) {
            return Items[M].S->status(R) == Open &&
                   !Items[M].S->hasFlag(R, Lost) &&
                   !heldWhereCallerSees(A, R, *Items[M].S, Unbuilt(M));
          })) {
        ReadEnd = int(R);
        Named.push_back(R);
      }
    }
    bool Hang = false, Child = false, Throws = false;
    for (size_t M : Members) {
      for (EndId E : Leaks)
        Hang |= readerWaitsAtExit(A, E, *Items[M].S, Readers, Unbuilt(M));
      Child |= Items[M].S->inForkChild();
      Throws |= Items[M].X->K == ExitPoint::Throw;
    }
    // A leak in a test program, which ends after the test: not reported.
    if (!Hang && InTest())
      return;
    auto Name = [&](EndId E) { return A.nameOf(E, First->S); };
    std::string Subject;
    if (Socket)
      Subject = Leaks.size() > 1 ? "ends '" + Name(Leaks[0]) + "' and '" +
                                       Name(Leaks[1]) + "' of the socket pair"
                                 : "end '" + Name(Leaks[0]) +
                                       "' of the socket pair";
    else
      Subject = "write end '" + Name(Leaks[0]) + "'" +
                (ReadEnd >= 0 ? " (and the read end '" +
                                    Name(EndId(ReadEnd)) + "')"
                              : std::string()) +
                " of the pipe";
    bool Plural = Named.size() > 1;
    std::string Fn = A.displayName();
    std::string JumpWord =
        Jump ? (isa<GotoStmt>(Jump) ? "goto" : "break") : std::string();
    std::string ChildText = Child ? " in the child process of fork()" : "";
    std::string Fix = Child ? std::string(Plural ? "close them" : "close it") +
                                  ", or end the child with _exit()"
                            : NoClose ? (Plural ? "close them on every path"
                                                : "close it on every path")
                            : Plural  ? "close them on this path"
                                      : "close it on this path";
    // Held by an object this function allocated whose destructor would
    // close them (`Spool *s = new Spool;` with no `delete s` on this
    // path): the fix is to destroy the object; its members may be private.
    const ValueDecl *HeapOwner = nullptr;
    First->S->forEachLocationOf(Leaks.front(), [&](LocKey L) {
      if (!HeapOwner && A.isAllocatedObject(L.Base) &&
          hasOwnDestructor(L.Base->getType()))
        HeapOwner = L.Base;
    });
    if (HeapOwner && !Child) {
      std::string Ptr = A.allocatedObjectName(HeapOwner);
      Fix = (Ptr.empty() ? std::string("delete the object that holds ") + (Plural ? "them" : "it")
                         : "delete '" + Ptr + "'") +
            (NoClose ? " on every path" : " on this path") +
            "; its destructor closes " + (Plural ? "them" : "it");
    }
    // No path closes them: say so, and that every call that made them
    // leaks them (a call whose pipe() failed has nothing to leak).
    std::string NoCloseText =
        NoClose ? std::string("no path closes ") + (Plural ? "them" : "it")
                : std::string();
    // An exception from a call (engine/Exceptions.cpp): name the callee.
    const ExitPoint *Front = Exits.front();
    bool ByCall = !Jump && Front->byCall();
    std::string Raised = ByCall ? " from " + throwingCalleeName(*Front) : "";
    if (ByCall && !Child)
      Fix = std::string(Plural ? "close them" : "close it") +
            " before the exception leaves (catch, close and rethrow) or "
            "hold " + (Plural ? "them" : "it") +
            " in an object whose destructor closes " +
            (Plural ? "them" : "it");
    // A constructor that an exception leaves with the end in a plain
    // member: the object's destructor never runs.
    std::string Member, ReadMember;
    if (const ValueDecl *Obj = A.constructedObject();
        Obj && !Jump && Front->K == ExitPoint::Throw) {
      auto MemberName = [&](EndId E) {
        std::string N;
        First->S->forEachLocationOf(E, [&](LocKey L) {
          if (L.Base == Obj && N.empty())
            N = A.locName(L);
        });
        return N;
      };
      Member = MemberName(Leaks.front());
      if (ReadEnd >= 0 && !Socket)
        ReadMember = MemberName(EndId(ReadEnd));
    }
    std::string Message;
    if (!Member.empty()) {
      bool Both = !ReadMember.empty();
      Message = "write end '" + Member + "'" +
                (Both ? " and read end '" + ReadMember + "'" : std::string()) +
                " of the pipe " + (Both ? "are" : "is") +
                (Both ? " kept in members" : " kept in a member") +
                " when an exception" + Raised +
                " leaves the constructor " + Fn +
                " here: the object is never constructed, so its destructor "
                "does not run and nothing closes " + (Both ? "them" : "it") +
                "; " +
                (Hang ? "readers of the pipe never see end-of-file and block "
                        "forever; "
                      : "each such exception leaks them; ") +
                "close " + (Both ? "them" : "it") +
                " before the exception leaves, or keep " +
                (Both ? "them in members whose own destructors close them"
                      : "it in a member whose own destructor closes it");
    } else if (Hang) {
      std::string When =
          Jump ? (Throws ? "an exception leaves " + Fn + " after this "
                         : Fn + " returns after this ") +
                     JumpWord
          : Exits.front()->K == ExitPoint::Throw
              ? "an exception" + Raised + " leaves " + Fn + " here"
              : Fn + " returns here";
      Message = Subject + (Plural ? " are" : " is") + " still open when " +
                When + ChildText + "; " +
                (Socket ? "its peer never sees end-of-file and blocks forever"
                        : "readers of the pipe never see end-of-file and "
                          "block forever") +
                "; " + (NoClose ? NoCloseText + "; " : std::string()) + Fix;
    } else {
      std::string When =
          Jump ? (Throws ? "when an exception leaves it after this "
                         : "when it returns after this ") +
                     JumpWord
          : Exits.front()->K == ExitPoint::Throw
              ? "when an exception" + Raised + " leaves it here"
              : "when it returns here";
      Message = Fn + " leaks the " + Subject + " " + When + ChildText + "; " +
                (Child     ? (NoClose ? NoCloseText + "; " : std::string())
                 : NoClose ? NoCloseText + ", so each call that creates " +
                                 (Plural ? "them leaks them; " : "it leaks it; ")
                           : std::string("each call that takes this path leaks ") +
                                 (Plural ? "them" : "it") + "; ") +
                Fix;
    }

    // The fix-it: closes of every named end, before the jump or the
    // exit's return, when every path through that point has each of them
    // open under the same name.
    const Stmt *At = Jump;
    if (!At && Exits.size() == 1)
      At = llvm::dyn_cast_or_null<ReturnStmt>(Exits.front()->S);
    std::string Closes;
    bool Mechanical = At && !Child;
    // A return whose value uses one of the ends (`return read(fds[0], ...)`)
    // would use it closed: no mechanical fix there.
    if (Mechanical)
      if (const auto *RS = dyn_cast<ReturnStmt>(At))
        if (const Expr *V = RS->getRetValue()) {
          std::function<bool(const Stmt *)> Uses = [&](const Stmt *St) {
            if (!St)
              return false;
            if (const auto *E = dyn_cast<Expr>(St))
              if (auto End = A.endOf(E, *First->S);
                  End && llvm::is_contained(Named, *End))
                return true;
            return llvm::any_of(St->children(), Uses);
          };
          if (Uses(V))
            Mechanical = false;
        }
    for (size_t M : Members)
      if (Items[M].S->decisions().size() >= PathState::MaxDecisions)
        Mechanical = false; // decisions dropped: paths cannot be told apart
    if (Mechanical) {
      // The decisions of each member up to the jump: a state that went
      // through the jump has one of them as a prefix.
      std::vector<llvm::ArrayRef<BranchStep>> Throughs;
      if (Jump)
        for (size_t M : Members)
          Throughs.push_back(Items[M].S->decisions().take_front(JumpAt[M]));
      for (EndId E : Named) {
        std::string N = Name(E);
        if (N.empty() || N.find_first_of(".->") != std::string::npos)
          Mechanical = false;
        if (const Expr *O = A.ends()[E].Origin)
          if (Jump && !SM.isBeforeInTranslationUnit(O->getBeginLoc(),
                                                    Jump->getBeginLoc()))
            Mechanical = false;
        for (const auto &XS : AllExits) {
          bool Passes;
          if (Jump) {
            // Through the jump: its decisions go through it. Maybe through
            // it: a state whose listed decisions stop short of it and were
            // cut by a join (or the bound), so that some of its paths may
            // have gone on through the jump. A state with its whole history
            // that stops short did not.
            llvm::ArrayRef<BranchStep> D = XS.second->decisions();
            bool Cut = XS.second->decisionsCut();
            bool Maybe =
                Cut && !unreachableAfter(A, Jump, XS.first->Loc);
            Passes = Maybe && D.size() >= PathState::MaxDecisions;
            for (llvm::ArrayRef<BranchStep> Through : Throughs)
              Passes |= samePrefix(D, Through) ||
                        (Maybe && samePrefix(Through, D));
          } else {
            Passes = XS.first->Loc == Exits.front()->Loc;
          }
          if (Passes && (XS.second->status(E) != Open ||
                         XS.second->hasFlag(E, Lost) ||
                         A.nameOf(E, XS.second) != N))
            Mechanical = false;
        }
        Closes += "close(" + N + "); ";
      }
    }
    Slot Where = Slot::None;
    if (Mechanical) {
      Where = slotOf(A, At);
      // A hang: a close at the function's final return may come after a
      // read or a wait that already hangs; move the close up instead.
      if (Hang && !Jump) {
        if (A.parentOf(At) == A.decl()->getBody())
          Where = Slot::None;
      }
      if (At->getBeginLoc().isMacroID() || At->getEndLoc().isMacroID() ||
          !SM.isWrittenInMainFile(At->getBeginLoc()))
        Where = Slot::None;
    }
    SourceLocation Loc =
        userLoc(SM, Jump ? Jump->getBeginLoc() : Exits.front()->Loc);
    if (Loc.isInvalid())
      return;
    LeakReport R;
    R.Loc = Loc;
    R.Message = Message;
    R.Merge = !Hang && Member.empty();
    R.Child = Child;
    if (HeapOwner && !Child)
      R.DeleteOwner = A.allocatedObjectName(HeapOwner);
    R.Res = resourceOf(A, Leaks.front());
    R.Ends.assign(Leaks.begin(), Leaks.end());
    R.ReadEnd = ReadEnd;
    R.NameState = First->S;
    R.When = Jump ? (Throws ? "when an exception leaves it after this "
                            : "when it returns after this ") +
                        JumpWord
             : Front->K == ExitPoint::Throw
                 ? "when an exception" + Raised + " leaves it here"
                 : "when it returns here";
    R.When += ChildText;
    R.NoClose = NoClose;
    R.Where = int(Where);
    R.At = At;
    R.Closes = Closes;
    const EndInfo *InfoP = &Info;
    EndId Leak0 = Leaks.front();
    R.Notes = [this, &A, &SM, Member, Leak0, InfoP, Jump, Front, Note, Exits,
               Fn, Plural](NoteKeys *Seen) {
      // Within one warning, each creation and branch note once.
      auto First = [&](const void *P, int K) {
        return !Seen || Seen->insert({P, K}).second;
      };
      if (!Member.empty())
        if (const Stmt *Store = A.memberStoreOf(Leak0))
          diag(userLoc(SM, Store->getBeginLoc()), "'%0' is stored here",
               DiagnosticIDs::Note)
              << Member;
      if (!Jump)
        addThrowNote(A, *Front);
      if (A.droppedBy(Leak0) && First(A.droppedBy(Leak0), 4))
        addDroppedNote(A, Leak0);
      if (InfoP->Origin && First(InfoP->Origin, 0))
        diag(userLoc(SM, InfoP->Origin->getBeginLoc()), creationNote(*InfoP),
             DiagnosticIDs::Note);
      if (First(Note.Case ? Note.Case : Note.Condition, 1 + int(Note.Taken)))
        addBranchNote(Note);
      for (const ExitPoint *X : Exits) {
        if (!Jump && X == Exits.front())
          continue;
        diag(userLoc(SM, X->Loc),
             Jump ? "%select{then %0 returns here|then %0 returns here|then "
                    "an exception leaves %0 here}1"
                  : "%select{%0 also returns here|%0 also returns here|an "
                    "exception also leaves %0 here}1 with %select{it|them}2 "
                    "open",
             DiagnosticIDs::Note)
            << Fn << int(X->K) << int(Plural);
      }
    };
    if (R.Merge) {
      Reports.push_back(std::move(R));
      return;
    }
    {
      auto D = diag(Loc, Message);
      addCloseFix(A, D, R.Where, R.At, R.Closes);
    }
    R.Notes(nullptr);
  };

  for (const void *Res : ResourceOrder) {
    std::vector<Item> &Items = ByResource[Res];
    // The cause of each leaking item: the first of its decisions that only
    // paths leaking the same ends took (a branch taken the same way, the
    // same case, the same jump); CauseLen is its position + 1, -1 for none
    // (paths joined from several causes). A state whose decisions were cut
    // by a join may have taken a decision it does not list: one whose
    // listed decisions lead up to it, unless it is a jump after which that
    // state's exit cannot be reached. Decisions are compared, not prefixes:
    // a loop keeps the states of its iterations apart, and a break taken in
    // the second iteration is the same break as in the first.
    std::vector<int> CauseLen(Items.size(), -1);
    bool TooMany = Items.size() > 4096;
    for (size_t I = 0; I < Items.size(); ++I) {
      if (Items[I].Leaks.empty() || TooMany)
        continue;
      llvm::ArrayRef<BranchStep> D = Items[I].S->decisions();
      for (size_t K = 0; K < D.size(); ++K) {
        bool Alone = llvm::all_of(Items, [&](const Item &J) {
          if (J.Leaks == Items[I].Leaks)
            return true;
          llvm::ArrayRef<BranchStep> JD = J.S->decisions();
          if (llvm::is_contained(JD, D[K]))
            return false;
          // A loop came round: the state lists only its latest iteration,
          // and may have gone the other way before.
          if (J.S->decisionsCut() &&
              llvm::any_of(JD, [&](const BranchStep &B) {
                return B.Condition == D[K].Condition;
              }))
            return false;
          return !(J.S->decisionsCut() && samePrefix(D.take_front(K), JD) &&
                   !(D[K].isJump() &&
                     unreachableAfter(A, D[K].Condition,
                                      J.X->Loc)));
        });
        if (Alone) {
          CauseLen[I] = int(K + 1);
          break;
        }
      }
    }
    if (std::getenv("PIPE_TIDY_DEBUG_DECISIONS"))
      for (size_t I = 0; I < Items.size(); ++I) {
        llvm::errs() << "item " << I << " exit "
                     << Items[I].X->Loc.printToString(SM) << " leaks "
                     << Items[I].Leaks.size() << " cause " << CauseLen[I]
                     << ":";
        for (const BranchStep &B : Items[I].S->decisions())
          llvm::errs() << " " << B.Condition->getStmtClassName() << "@"
                       << SM.getSpellingLineNumber(B.Condition->getBeginLoc())
                       << (B.Taken ? "T" : "F");
        llvm::errs() << "\n";
      }
    // No path closes the ends: every path that created the resource leaks
    // the same ends. Then no branch decides anything (the cause is the
    // missing close) and the leaks are one defect. Known when each state
    // that leaks none of them split from the leaking ones before the call
    // that created them: all its decisions lie before that call (or test
    // its result), outside any loop around it, and none was cut by a join.
    // (A path that closes the ends took a decision after their creation
    // that the leaking paths did not.)
    bool NoClose = false;
    if (!TooMany && Every) {
      const Item *L0 = nullptr;
      NoClose = true;
      for (const Item &I : Items)
        if (I.Leaks.empty())
          continue;
        else if (!L0)
          L0 = &I;
        else if (I.Leaks != L0->Leaks ||
                 I.S->inForkChild() != L0->S->inForkChild())
          NoClose = false; // (a fork's child and parent: two defects)
      const Expr *Origin = L0 ? A.ends()[L0->Leaks.front()].Origin : nullptr;
      NoClose = NoClose && Origin;
      auto BeforeOrigin = [&](const BranchStep &B) {
        const Stmt *C = B.Condition;
        if (SM.isBeforeInTranslationUnit(Origin->getEndLoc(),
                                         C->getBeginLoc()))
          return false;
        for (const Stmt *P = A.parentOf(C); P; P = A.parentOf(P))
          if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P) &&
              SM.isPointWithin(Origin->getBeginLoc(), P->getBeginLoc(),
                               P->getEndLoc()))
            return false;
        return true;
      };
      for (const Item &I : Items)
        if (NoClose && I.Leaks.empty())
          NoClose = !I.S->decisionsCut() &&
                    llvm::all_of(I.S->decisions(), BeforeOrigin);
      // One leaking exit: one warning already, worded as before.
      bool TwoExits = false;
      for (const Item &I : Items)
        TwoExits |= !I.Leaks.empty() && I.X->Loc != L0->X->Loc;
      NoClose = NoClose && TwoExits;
    }
    // Group: same ends and same cause, or same ends and same exit (or, when
    // no path closes them, same ends).
    std::vector<size_t> Parent(Items.size());
    for (size_t I = 0; I < Items.size(); ++I)
      Parent[I] = I;
    std::function<size_t(size_t)> Find = [&](size_t I) {
      return Parent[I] == I ? I : Parent[I] = Find(Parent[I]);
    };
    for (size_t I = 0; I < Items.size(); ++I) {
      if (Items[I].Leaks.empty())
        continue;
      for (size_t J = 0; J < I; ++J) {
        if (Items[J].Leaks != Items[I].Leaks)
          continue;
        bool SameExit = Items[J].X->Loc == Items[I].X->Loc;
        // The same cause (a break taken in another iteration of the loop
        // is the same break).
        bool SameCause = CauseLen[I] >= 1 && CauseLen[J] >= 1 &&
                         causeKey(Items[I], CauseLen[I]) ==
                             causeKey(Items[J], CauseLen[J]);
        if (SameExit || SameCause || NoClose)
          Parent[Find(I)] = Find(J);
      }
    }
    std::vector<size_t> Roots;
    for (size_t I = 0; I < Items.size(); ++I)
      if (!Items[I].Leaks.empty() && Find(I) == I)
        Roots.push_back(I);
    for (size_t Root : Roots) {
      std::vector<size_t> Members;
      for (size_t I = 0; I < Items.size(); ++I)
        if (!Items[I].Leaks.empty() && Find(I) == Root)
          Members.push_back(I);
      ReportGroup(Items, Members, CauseLen, NoClose);
    }
  }
  // The parent's leaks and a fork() child's (which should _exit()) apart.
  std::vector<LeakReport> ChildReports;
  for (size_t I = 0; I < Reports.size();)
    if (Reports[I].Child) {
      ChildReports.push_back(std::move(Reports[I]));
      Reports.erase(Reports.begin() + long(I));
    } else {
      ++I;
    }
  reportLeaksTogether(A, Reports);
  reportLeaksTogether(A, ChildReports);
}

/// "'parse'": the function a throwing call runs, for messages.
std::string UnclosedWriteEndCheck::throwingCalleeName(const ExitPoint &X) {
  if (const auto *E = llvm::dyn_cast_or_null<Expr>(X.S))
    if (const FunctionDecl *FD = ThrowSummaries::calleeOf(E)) {
      if (llvm::isa<CXXConstructorDecl>(FD))
        return "the constructor of '" +
               llvm::cast<CXXConstructorDecl>(FD)->getParent()->getNameAsString() +
               "'";
      if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
          MD && MD->getParent()->isLambda())
        return "the lambda";
      return "'" + FD->getNameAsString() + "'";
    }
  return "the call";
}

/// Where the code a throwing call runs throws.
void UnclosedWriteEndCheck::addThrowNote(const FunctionAnalysis &,
                                         const ExitPoint &X) {
  if (X.ThrowsAt)
    diag(X.ThrowsAt->getBeginLoc(), "the exception is thrown here",
         DiagnosticIDs::Note);
}

} // namespace clang::tidy::pipe
