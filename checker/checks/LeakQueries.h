//===--- LeakQueries.h - who can still wait on a leaked end ---------------===//
//
// Questions the leak reports of pipe-unclosed-write-end ask about one path's
// state: can a reader still wait for end-of-file on a write end (so that a
// leak is a hang, not only a lost descriptor), is an end kept where the
// caller sees it, and where in the user's code a location is.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CHECKS_LEAKQUERIES_H
#define PIPE_TIDY_CHECKS_LEAKQUERIES_H

#include "engine/FunctionAnalysis.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::pipe {

/// The user's code at \p L: a location inside a macro's body is reported at
/// the macro's expansion site (a macro argument stays where it was written).
SourceLocation userLoc(const SourceManager &SM, SourceLocation L);

/// Is end \p E held, on a path with state \p S, in a place that outlives
/// the function: a variable of another function (what a lambda captures by
/// reference), a place standing for the caller's (`*this`), or a local
/// whose address has left the function?
bool heldWhereCallerSees(const FunctionAnalysis &A, EndId E,
                         const PathState &S);

/// Can some reader still wait for end-of-file on the pipe (or socket pair)
/// of write-side end \p W on a path with state \p S? Only if the other end
/// (or a duplicate of it) is where a reader may use it: shared with a
/// forked child, handed off, or, before the function loses it (\p AtExit
/// false), still open in this process.
bool readerMayWait(const FunctionAnalysis &A, EndId W, const PathState &S,
                   bool AtExit);

} // namespace clang::tidy::pipe

#endif
