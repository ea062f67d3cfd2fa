//===--- LeakQueries.cpp - who can still wait on a leaked end -------------===//
#include "checks/LeakQueries.h"

#include "AstQueries.h"
#include "checks/CallQueries.h"
#include "engine/EngineShared.h"
#include "models/ApiModel.h"
#include "summaries/FunctionSummaries.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::pipe {

/// The user's code at \p L: a location inside a macro's body is reported at
/// the macro's expansion site.
const void *resourceOf(const FunctionAnalysis &A, EndId E) {
  // A pipe's first end stands for it: a helper call that makes two pipes
  // (`duplex_open(&d)`) is the origin of both.
  const EndInfo &Info = A.ends()[E];
  if (Info.Origin && Info.Peer >= 0)
    return &A.ends()[std::min(E, EndId(Info.Peer))];
  return &A.ends()[E];
}

SourceLocation userLoc(const SourceManager &SM, SourceLocation L) {
  // A macro argument is where the user wrote it; anything else the macro
  // expands to is at the macro's use.
  return L.isMacroID() ? SM.getFileLoc(L) : L;
}

/// Is end \p E held, on a path with state \p S, in a place that outlives
/// the function: a variable of another function (what a lambda captures by
/// reference), a place standing for the caller's (`*this`), or a local
/// whose address has left the function? Whoever sees that place after the
/// function returns may still read from it.
bool heldWhereCallerSees(const FunctionAnalysis &A, EndId E,
                         const PathState &S, bool ObjectUnbuilt) {
  bool Seen = false;
  const ValueDecl *Unbuilt = ObjectUnbuilt ? A.constructedObject() : nullptr;
  S.forEachLocationOf(E, [&](LocKey L) {
    const auto *Var = dyn_cast_or_null<VarDecl>(L.Base);
    if (Unbuilt && L.Base == Unbuilt)
      return;
    // An object the function allocated and still has to itself.
    if (Var && A.isAllocatedObject(Var) && !S.escaped(L.Base))
      return;
    if (!Var || S.escaped(L.Base) || !Var->hasLocalStorage() ||
        Var->getType()->isReferenceType()) {
      Seen = true;
      return;
    }
    // A place standing for the caller's (what a pointer parameter points
    // to, `*this`) is a variable of the analysis only, in no scope.
    const DeclContext *DC = Var->getParentFunctionOrMethod();
    if (!DC || Decl::castFromDeclContext(DC) != A.decl() ||
        !Var->getLexicalDeclContext()->containsDecl(const_cast<VarDecl *>(Var)))
      Seen = true;
  });
  return Seen;
}

/// May a child process that shares read-side end \p R read it? Not when
/// every child running on this path is a fork() whose code is in this
/// translation unit, runs no other program, does not make \p R its standard
/// input, and calls nothing that reads: no read, copy or exec of the model,
/// and no function of the program's own or through a pointer (a library
/// function the model does not know, such as strlen(), touches no
/// descriptor it is not given). A writer child that kept its inherited
/// copy of the read end is no reader.
bool childMayRead(const FunctionAnalysis &A, EndId R, const PathState &S) {
  const SourceManager &SM = A.context().getSourceManager();
  // The flag without a child of this function's (a program started some
  // other way): a reader we cannot see.
  if (llvm::none_of(A.tasks(), [](const TaskInfo &T) {
        return T.Kind == TaskKind::ForkChild;
      }))
    return true;
  // A child not started on this path (its fork() failed), or reaped, reads
  // nothing.
  bool May = false;
  S.forEachTask([&](TaskId Id) {
    const TaskInfo &T = A.tasks()[Id];
    if (May || T.Kind != TaskKind::ForkChild ||
        !(S.taskStatus(Id) & (TaskRunning | TaskHandedOff)))
      return;
    if (!T.Body || T.Spawned || llvm::is_contained(T.Inputs, R)) {
      May = true;
      return;
    }
    walkStmts(T.Body, [&](const Stmt *X) {
      const auto *CE = dyn_cast<CallExpr>(X);
      if (!CE)
        return WalkStep::Into;
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      if (!Callee) {
        May = true; // through a pointer
      } else if (const ApiFunction *Api = A.model().lookup(Callee)) {
        ApiRole Role = Api->Role;
        May = Role == ApiRole::Read || Role == ApiRole::Copy ||
              Role == ApiRole::Exec || Role == ApiRole::Spawn ||
              Role == ApiRole::Shell;
      } else {
        May = !SM.isInSystemHeader(Callee->getLocation());
      }
      return May ? WalkStep::Stop : WalkStep::Into;
    });
  });
  return May;
}

/// Can some reader still wait for end-of-file on the pipe (or socket pair)
/// of write-side end \p W on a path with state \p S? Only if the other end
/// (or a duplicate of it) is where a reader may use it: shared with a
/// forked child, handed off (returned, stored where a caller sees it,
/// given to a thread or to a function we cannot see), or, before the
/// function loses it (\p AtExit false), still open in this process. A read
/// end that leaks together with \p W at an exit is read by no one.
bool readerMayWait(const FunctionAnalysis &A, EndId W, const PathState &S,
                   bool AtExit) {
  const EndInfo &Info = A.ends()[W];
  if (Info.Kind == EndKind::Parameter)
    return true; // the reader is whoever gave us the descriptor
  int R = A.readEndOf(W);
  if (R < 0)
    return true; // a reader we do not follow
  // A duplicate whose pipe this path no longer tracks: its ends were closed
  // or handed off together, and which one is no longer known.
  if (Info.Kind == EndKind::Duplicate && S.status(EndId(R)) == NotCreated)
    return true;
  bool May = false;
  auto Consider = [&](EndId E) {
    uint8_t St = S.status(E);
    May |= (St & HandedOff) ||
           (S.hasFlag(E, SharedWithChild) && childMayRead(A, E, S)) ||
           ((St & Open) && (!AtExit || heldWhereCallerSees(A, E, S)));
  };
  Consider(EndId(R));
  // Only the ends this path touched: every other one was never created
  // here (and a loop over all of the function's ends, at every exit, would
  // not stay linear).
  S.forEachTouchedEnd([&](EndId E) {
    const EndInfo &I = A.ends()[E];
    if (E != EndId(R) && I.Kind == EndKind::Duplicate && I.DupOf == R)
      Consider(E);
  });
  return May;
}

ForkReaders::ForkReaders(const FunctionAnalysis &A) {
  A.forEachExit([&](const ExitPoint &, const PathState &S) {
    ChildSeen |= S.inForkChild();
  });
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    ChildSeen |= S.inForkChild();
    if (S.inForkChild())
      // dup2()ed onto a standard stream for the program the child runs.
      S.forEachTouchedEnd([&](EndId E) {
        if (S.hasFlag(E, SpawnRelated) && !A.ends()[E].isWriteSide())
          ByChild.insert(E);
      });
    if (C.Api->Role != ApiRole::Read || (C.ViaHelper && !C.ReadsToEof))
      return;
    if (!C.ReadsToEof && !readsUntilEof(C.Call, A))
      return; // a single read: it waits for data, not for end-of-file
    std::optional<EndId> R = A.subjectEnd(C, S);
    if (R && S.hasFlag(*R, SharedWithChild))
      (S.inForkChild() ? ByChild : ByParent).insert(*R);
  });
}

namespace {
/// The part both questions share: true when write end \p W's reader is
/// out of view (a parameter's: whoever gave it; a pipe we do not follow; a
/// dup of an end not made here); otherwise calls \p Consider with the read
/// end and each dup of it on this path, and returns false.
template <typename Fn>
bool forReadSide(const FunctionAnalysis &A, EndId W, const PathState &S,
                 Fn &&Consider) {
  const EndInfo &Info = A.ends()[W];
  if (Info.Kind == EndKind::Parameter)
    return true; // the reader is whoever gave us the descriptor
  int R = A.readEndOf(W);
  if (R < 0)
    return true; // a reader we do not follow
  if (Info.Kind == EndKind::Duplicate && S.status(EndId(R)) == NotCreated)
    return true;
  Consider(EndId(R));
  S.forEachTouchedEnd([&](EndId E) {
    const EndInfo &I = A.ends()[E];
    if (E != EndId(R) && I.Kind == EndKind::Duplicate && I.DupOf == R)
      Consider(E);
  });
  return false;
}
/// Does a task still running on the path with state \p S read \p E to
/// end-of-file (TaskInfo::ReadsToEof), or, with \p AsInput, have it as its
/// standard input?
bool runningTaskReads(const FunctionAnalysis &A, EndId E, const PathState &S,
                      bool AsInput) {
  for (TaskId T = 0; T < A.tasks().size(); ++T) {
    const TaskInfo &Info = A.tasks()[T];
    if ((S.taskStatus(T) & TaskRunning) &&
        (llvm::is_contained(Info.ReadsToEof, E) ||
         (AsInput && llvm::is_contained(Info.Inputs, E))))
      return true;
  }
  return false;
}
} // namespace

bool readerWaitsAtExit(const FunctionAnalysis &A, EndId W, const PathState &S,
                       const ForkReaders &F, bool ObjectUnbuilt) {
  bool May = false;
  auto Consider = [&](EndId E) {
    uint8_t St = S.status(E);
    if ((St & HandedOff) && !S.hasFlag(E, PassedAway))
      May = true; // returned, stored for the caller, given to a thread
    if ((St & Open) && heldWhereCallerSees(A, E, S, ObjectUnbuilt))
      May = true;
    // Read to end-of-file on this path while the write end was open here:
    // that read never ends (the exit is reached only in the analysis).
    if (S.hasFlag(E, Drained))
      May = true;
    // The other process of a fork() (or a program started with the end)
    // holds a copy: a reader only if it reads it to end-of-file.
    // A child started by a helper: a reader unless its code, where we see
    // it, reads nothing (childMayRead()).
    // (A program told the number of the read end, `--fd=%d`, is not taken
    // to read it to end-of-file: nothing shows what it does with it.)
    if (S.hasFlag(E, SharedWithChild) && !S.hasFlag(E, Announced))
      May |= S.inForkChild() ? F.ByParent.count(E) != 0
             : F.ChildSeen   ? F.ByChild.count(E) != 0
                             : childMayRead(A, E, S);
    // A thread or child still running that reads it to end-of-file (one a
    // start helper made the pipe for: `shipper_open(&sh)`).
    if (runningTaskReads(A, E, S, /*AsInput=*/false))
      May = true;
  };
  return forReadSide(A, W, S, Consider) || May;
}

const Expr *enclosingPlace(const FunctionAnalysis &A, const Expr *Name) {
  const Expr *Place = Name;
  for (const Stmt *P = A.parentOf(Place); P; P = A.parentOf(P)) {
    if (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P))
      continue;
    if (isa<ArraySubscriptExpr>(P) || isa<MemberExpr>(P)) {
      Place = cast<Expr>(P);
      continue;
    }
    break;
  }
  return Place;
}

InheritReaders::InheritReaders(const FunctionAnalysis &A) : Fork(A) {
  A.forEachCall([&](const CallSite &C, const PathState &S) {
    if (C.Api->Role != ApiRole::Read)
      return;
    if (std::optional<EndId> R = A.subjectEnd(C, S))
      (S.inForkChild() ? ReadInChild : ReadHere).insert(*R);
  });
  A.forEachExit([&](const ExitPoint &, const PathState &S) {
    S.forEachTouchedEnd([&](EndId E) {
      if (A.ends()[E].isWriteSide())
        return;
      uint8_t St = S.status(E);
      if (((St & HandedOff) && !S.hasFlag(E, PassedAway)) ||
          ((St & Open) && heldWhereCallerSees(A, E, S)))
        Kept.insert(E);
    });
  });
}

namespace {
/// Is end \p R (held where \p S says) named in the function only to close
/// it: every place expression of the body that evaluates to it is the
/// descriptor of a close()? Such an end is read by no one in this process
/// (the call that made the pipe names the array whole, not the end). A
/// use inside a lambda or a block, or anything else, may read it.
bool onlyClosedHere(const FunctionAnalysis &A, EndId R, const PathState &S) {
  llvm::SmallVector<const ValueDecl *, 2> Bases;
  S.forEachLocationOf(R, [&](LocKey L) { Bases.push_back(L.Base); });
  const Stmt *Body = A.decl() ? A.decl()->getBody() : nullptr;
  if (Bases.empty() || !Body)
    return false;
  auto Names = [&](const Stmt *X) {
    const auto *DRE = dyn_cast<DeclRefExpr>(X);
    return DRE && llvm::is_contained(Bases, DRE->getDecl());
  };
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X)
      continue;
    if (isa<LambdaExpr>(X) || isa<BlockExpr>(X)) {
      llvm::SmallVector<const Stmt *, 32> Inner{X};
      while (!Inner.empty()) {
        const Stmt *Y = Inner.pop_back_val();
        if (!Y)
          continue;
        if (Names(Y))
          return false;
        for (const Stmt *C : Y->children())
          Inner.push_back(C);
      }
      continue;
    }
    if (Names(X)) {
      const Expr *Place = enclosingPlace(A, cast<Expr>(X));
      const Stmt *Use = A.parentOf(Place);
      while (Use && (isa<ImplicitCastExpr>(Use) || isa<ParenExpr>(Use)))
        Use = A.parentOf(Use);
      const auto *CE = dyn_cast_or_null<CallExpr>(Use);
      const ApiFunction *Api =
          CE ? A.model().lookup(ApiModel::calleeOf(CE)) : nullptr;
      std::optional<EndId> E = A.endOf(Place, S);
      if (!E) {
        // The whole array or struct: only the call that makes the pipe.
        if (!Api || (Api->Role != ApiRole::CreatePipe &&
                     Api->Role != ApiRole::CreateSocketPair))
          return false;
      } else if (*E == R && (!Api || Api->Role != ApiRole::Close)) {
        return false;
      }
    }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return true;
}
} // namespace

bool readerWaitsWhileInherited(const FunctionAnalysis &A, EndId W,
                               const PathState &S, const InheritReaders &F) {
  bool May = false;
  auto Consider = [&](EndId E) {
    uint8_t St = S.status(E);
    // Returned, stored for the caller, given to a thread already.
    if ((St & HandedOff) && !S.hasFlag(E, PassedAway))
      May = true;
    if (St & Open) {
      // Still here: read by this process, or kept for a later reader
      // (returned or stored after the call: anything but a close()).
      if ((S.inForkChild() ? F.ReadInChild : F.ReadHere).count(E) ||
          F.Kept.count(E) || heldWhereCallerSees(A, E, S) ||
          (!S.hasFlag(E, Announced) && !onlyClosedHere(A, E, S)))
        May = true;
    }
    // The standard input of the program started (it reads it, and holds
    // the write end itself), or of a child started earlier that still
    // runs (`a.start(); b.start();`: a's program reads its input), or a
    // pipe such a task reads to end-of-file.
    if (S.hasFlag(E, SpawnRelated) || runningTaskReads(A, E, S, /*AsInput=*/true))
      May = true;
    // The other process of a fork() holds a copy: a reader only if it
    // reads it to end-of-file (or its code is not seen).
    // (Any other process: the parent, or another child of the parent.)
    if (S.hasFlag(E, SharedWithChild) && !S.hasFlag(E, Announced))
      May |= !F.Fork.ChildSeen || F.Fork.ByChild.count(E) != 0 ||
             F.Fork.ByParent.count(E) != 0;
  };
  return forReadSide(A, W, S, Consider) || May;
}

std::string closingMethodCall(const FunctionAnalysis &A, EndId E,
                              const PathState &S, FunctionSummaries *Sums) {
  if (!Sums)
    return "";
  std::string Out;
  S.forEachLocationOf(E, [&](LocKey L) {
    const auto *VD = dyn_cast_or_null<VarDecl>(L.Base);
    // A member of the object itself (one selector, a field number).
    if (!Out.empty() || !VD || detail::depthOf(L) != 1 ||
        VD->getType()->isReferenceType() || VD->getType()->isPointerType())
      return;
    const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition())
      return;
    const FieldDecl *Field = detail::fieldOfSel(RD, uint16_t(L.Sel));
    if (!Field || Field->getAccess() == AS_public)
      return;
    for (const CXXMethodDecl *M : RD->methods()) {
      if (M->isStatic() || M->getNumParams() != 0 || M->getAccess() != AS_public ||
          isa<CXXConstructorDecl, CXXDestructorDecl>(M) || !M->hasBody())
        continue;
      const FunctionSummary *FS = Sums->get(M);
      if (!FS)
        continue;
      for (const SummarySlot &C : FS->Closes)
        if (C.K == SummarySlot::Pointee && C.Param == SummarySlot::ThisParam &&
            C.Sel == L.Sel) {
          Out = "'" + VD->getName().str() + "." + M->getName().str() + "()'";
          return;
        }
    }
  });
  return Out;
}

} // namespace clang::tidy::pipe
