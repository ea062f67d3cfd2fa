//===--- LeakGrouping.h - one warning for a function's leaks --------------===//
//
// pipe-unclosed-write-end finds, per pipe (or socket pair, or duplicate),
// the exits where its ends leak and the decision that causes it
// (UnclosedWriteEndCheck::reportExitLeaks()). A leak that no reader can wait
// on is only a lost descriptor; the leaks of one function at its exits are
// then one defect (one missing cleanup), and reportLeaksTogether() turns
// them into one warning, with a note at each other place.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CHECKS_LEAKGROUPING_H
#define PIPE_TIDY_CHECKS_LEAKGROUPING_H

#include "engine/FunctionAnalysis.h"
#include <functional>
#include <optional>
#include <set>
#include <string>

namespace clang::tidy::pipe {

using NoteKeys = std::set<std::pair<const void *, int>>;

/// One leak as reportExitLeaks() found it: the ends of one resource that
/// leak at one place (a jump, or the first of its exits).
struct LeakReport {
  SourceLocation Loc;  ///< where it is reported
  std::string Message; ///< its message when it is reported alone
  /// A pure leak (not a hang, not in a fork() child, not a member left by a
  /// throwing constructor): reported together with the function's others.
  bool Merge = false;
  bool Child = false; ///< on the child's side of a fork()
  const void *Res = nullptr;          ///< the pipe, socket pair or dup
  llvm::SmallVector<EndId, 2> Ends;   ///< its write-side ends that leak
  int ReadEnd = -1;                   ///< the read end, when it leaks too
  const PathState *NameState = nullptr; ///< for the ends' names
  std::string When;                   ///< "when it returns here", ...
  bool NoClose = false;               ///< no path closes the ends
  /// Held by an object the function allocated, whose destructor closes
  /// them: the fix deletes it ("delete 'spool'"; the pointer's name).
  std::optional<std::string> DeleteOwner;
  /// The fix-it: where (0 none, 1 before At, 2 before At in braces) and
  /// the closes; only when it closes these ends on every path through At.
  int Where = 0;
  const Stmt *At = nullptr;
  std::string Closes;
  /// Emits its notes, after its warning; with a set, each creation and
  /// branch note that is not in it yet (and adds it).
  std::function<void(NoteKeys *)> Notes;
};

} // namespace clang::tidy::pipe

#endif
