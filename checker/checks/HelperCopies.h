//===--- HelperCopies.h - where a copy made through helpers is reported ---===//
//
// A call of a copy helper given the two ends of one pipe (a CallSite with
// role Copy and ViaHelper, from FlowEngineImpl::recordHelperCopies()) is a
// pipe copied into itself. pipe-self-copy reports it; when the copy is a
// loop that reads to end-of-file, its read also never ends, and
// pipe-self-deadlock reports that only when pipe-self-copy is disabled
// (one warning per defect). Both report it
// where the two descriptors are chosen: at the call itself when it passes
// them as two arguments (`pump(fds[0], fds[1])`), else, when it passes one
// argument that holds both (`relay(a, b)` with `int a[2]`, `forward(&s)`),
// at the call inside the helpers that splits that argument into the two
// (CopyFact::PairedAt: `pump(a[0], a[1])` in `relay`), which is the line
// to fix, with a note at the call that gives it the pipe.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_HELPERCOPIES_H
#define PIPE_TIDY_HELPERCOPIES_H

#include "engine/FunctionAnalysis.h"
#include "summaries/CopySummary.h"

#include "clang/Basic/SourceLocation.h"
#include <string>

namespace clang::tidy::pipe {

struct HelperCopyReport {
  /// The call (or copy) that chooses the two descriptors, and where to
  /// put the warning (a lambda's call: at its name).
  const Stmt *At = nullptr;
  SourceLocation Loc;
  /// The helper that copies, as the code at At names it.
  std::string Helper;
  /// The two descriptors, as the code at At names them.
  std::string From, To;
  /// At lies in a helper: the analysed call only passes it the pipe.
  bool InHelper = false;
};

/// How the user names the helper \p CE calls: the function, the member
/// function, or the variable holding the lambda.
std::string helperName(const CallExpr *CE);

/// Is end \p E, named by a copy's argument on a path with state \p S, a
/// descriptor this process holds there: open, or given to a thread of this
/// process that is still running (`pthread_create(..., job)` with the job's
/// pipe in it; the thread may close it later, but the copy uses the number
/// the place holds now). Who owns it does not matter to a copy of a pipe
/// into itself: the kernel refuses it whoever holds the ends.
bool heldForCopy(const FunctionAnalysis &A, EndId E, const PathState &S);

/// The copy of one pipe into itself that \p C records, if it is one on
/// \p S (both ends open, of the same pipe, not lost), and where to report
/// it.
std::optional<HelperCopyReport> selfCopyThroughHelper(const FunctionAnalysis &A,
                                                      const CallSite &C,
                                                      const PathState &S);

} // namespace clang::tidy::pipe

#endif
