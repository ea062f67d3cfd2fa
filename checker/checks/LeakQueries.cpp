//===--- LeakQueries.cpp - who can still wait on a leaked end -------------===//
#include "checks/LeakQueries.h"

#include "clang/AST/Decl.h"

namespace clang::tidy::pipe {

/// The user's code at \p L: a location inside a macro's body is reported at
/// the macro's expansion site.
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
                         const PathState &S) {
  bool Seen = false;
  S.forEachLocationOf(E, [&](LocKey L) {
    const auto *Var = dyn_cast_or_null<VarDecl>(L.Base);
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
    May |= (St & HandedOff) || S.hasFlag(E, SharedWithChild) ||
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

} // namespace clang::tidy::pipe
