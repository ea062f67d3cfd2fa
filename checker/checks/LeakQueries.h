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
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::pipe {

class FunctionSummaries;

/// The resource end \p E belongs to, the unit of a leak report: its pipe or
/// socket pair (both of its ends), or a duplicate's own dup(). The ends of
/// one pipe share it; two pipes one helper call makes for its caller do
/// not.
const void *resourceOf(const FunctionAnalysis &A, EndId E);

/// The user's code at \p L: a location inside a macro's body is reported at
/// the macro's expansion site (a macro argument stays where it was written).
SourceLocation userLoc(const SourceManager &SM, SourceLocation L);

/// The largest expression around \p Name (a variable's name) that still
/// names a place: `fds[1]`, `p.wr`, `(s->fds)[0]`.
const Expr *enclosingPlace(const FunctionAnalysis &A, const Expr *Name);

/// Is end \p E held, on a path with state \p S, in a place that outlives
/// the function: a variable of another function (what a lambda captures by
/// reference), a place standing for the caller's (`*this`), or a local
/// whose address has left the function? \p ObjectUnbuilt: the path is an
/// exception leaving a constructor, whose object (constructedObject())
/// then never exists: what its members hold is seen by no one.
bool heldWhereCallerSees(const FunctionAnalysis &A, EndId E,
                         const PathState &S, bool ObjectUnbuilt = false);

/// May a child process that shares read-side end \p R on this path read
/// it (a writer child that kept its inherited copy does not)?
bool childMayRead(const FunctionAnalysis &A, EndId R, const PathState &S);

/// Can some reader still wait for end-of-file on the pipe (or socket pair)
/// of write-side end \p W on a path with state \p S? Only if the other end
/// (or a duplicate of it) is where a reader may use it: shared with a
/// forked child, handed off, or, before the function loses it (\p AtExit
/// false), still open in this process.
bool readerMayWait(const FunctionAnalysis &A, EndId W, const PathState &S,
                   bool AtExit);

/// The ends the two processes of the function's fork()s read after the
/// fork until end-of-file (a read loop that runs to end-of-file, a helper
/// that drains it), or make the standard input of a program the child
/// execs: the readers that can wait on a write end another process keeps.
/// Computed once per function from the recorded calls.
struct ForkReaders {
  llvm::DenseSet<EndId> ByChild, ByParent;
  /// Some path runs a fork()ed child's code in this function.
  bool ChildSeen = false;
  explicit ForkReaders(const FunctionAnalysis &A);
};

/// readerMayWait() where the function loses write-side end \p W at an exit
/// with state \p S: can a reader we can see still wait for end-of-file on
/// its pipe (or socket pair)? Only one that the code shows: the read end
/// (or a copy) kept where the caller sees it, returned, given to a thread,
/// read to end-of-file by the other process of a fork() (or by a child we
/// cannot see), or handed off where we cannot follow it other than as an
/// argument of an unseen function. A read end that leaks with \p W, one
/// passed to a function whose body is not seen (PassedAway), and one that
/// the other process of a fork() never reads to end-of-file are waited on
/// by no reader the code shows: the end leaks, and the message says so.
bool readerWaitsAtExit(const FunctionAnalysis &A, EndId W, const PathState &S,
                       const ForkReaders &F, bool ObjectUnbuilt = false);

/// Who can wait for end-of-file on a pipe while a program the function
/// starts holds its write end (an end inherited without O_CLOEXEC):
/// computed once per function from the recorded calls and exits.
struct InheritReaders {
  /// The ends read (any read: a single read waits for data as long as a
  /// writer may still write) on a path in this process, and on a path of
  /// a fork()ed child.
  llvm::DenseSet<EndId> ReadHere, ReadInChild;
  /// The ends kept for a later reader: at some exit returned, stored where
  /// the caller sees it, or given to a thread (not merely passed to a
  /// function whose body is not seen).
  llvm::DenseSet<EndId> Kept;
  ForkReaders Fork;
  explicit InheritReaders(const FunctionAnalysis &A);
};

/// Can some reader wait for end-of-file on the pipe (or socket pair) of
/// write-side end \p W while a program started on a path with state \p S
/// holds its inherited copy? Only if the read end (or a duplicate of it)
/// is read in this process (\p S's: the parent's, or the child's after a
/// fork()), kept for a later reader (returned, stored for the caller,
/// given to a thread), made the standard input of the program started
/// (dup2(), spawn file actions), or held by the other process of a fork()
/// that reads it to end-of-file (or whose code is not seen). Otherwise the
/// program only leaks the end: nothing the code shows reads the pipe.
bool readerWaitsWhileInherited(const FunctionAnalysis &A, EndId W,
                               const PathState &S, const InheritReaders &R);

/// How the user closes end \p E, held on path \p S in a data member of a
/// local object that the code outside its class cannot name (`c.out_`,
/// private): a call of a method of that class taking no argument that
/// closes the member on every path (`'c.closeOutput()'`, quoted). Empty
/// when the member is the user's to close, or no such method exists.
std::string closingMethodCall(const FunctionAnalysis &A, EndId E,
                              const PathState &S, FunctionSummaries *Sums);

} // namespace clang::tidy::pipe

#endif
