//===--- CopySummary.h - which descriptor a helper copies into which ------===//
//
// A copy helper takes two descriptors and moves data from one into the
// other: a read()/write() loop (`pump(int from, int to)`), splice(), tee()
// or sendfile(), possibly with a fallback from one to the other, possibly
// through more helpers. Called with the read end and the write end of the
// same pipe, it copies the pipe into itself: the loop hangs, the kernel
// copies fail with EINVAL (pipe-self-copy).
//
// The summary of a function is the list of copies its body makes between
// the descriptors its caller can name (CopyFact): from parameter slot i to
// parameter slot j, each a SummarySlot (an integer parameter, or `a[0]`,
// `*p`, `p->fd`, `p->fds[1]` below a pointer parameter). It is read off the
// body once per translation unit:
//
//  - a kernel copy call whose source and destination are such slots;
//  - a loop that reads slot i into a buffer and writes the same buffer to
//    slot j (directly, or through helpers whose CalleeSummary says they
//    read or write that parameter);
//  - a call of another function with a copy summary, its facts translated
//    to this function's slots through the call's arguments.
//
// A local that holds a slot and is never assigned again (`int in =
// fds[0];`) names that slot. Lambdas and member functions are summarised
// like free functions; their calls pass the object separately
// (argForParam()). Recursion and a chain deeper than MaxDepth give no facts
// through the cut call, and such a cut summary is not kept beyond the
// question that computed it, so that the answer never depends on the order
// in which the functions are analysed.
//
// The engine applies the facts at each call with the caller's state
// (FlowEngineImpl::recordHelperCopies(), engine/CopyHelperCalls.cpp) and
// records a CallSite with the two ends; the check judges it.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_COPYSUMMARY_H
#define PIPE_TIDY_COPYSUMMARY_H

#include "summaries/FunctionSummaries.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <optional>

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class ValueDecl;
} // namespace clang

namespace clang::tidy::pipe {

class CalleeSummaries;

/// One copy a function makes, in terms of its parameters.
struct CopyFact {
  SummarySlot From, To;
  /// Through user space (a read/write loop, or a fallback to one): copying
  /// a pipe into itself hangs. Otherwise only kernel copies (splice(),
  /// tee(), sendfile(), copy_file_range()), which fail with EINVAL.
  bool Loop = false;
  /// The kernel copy function (for a kernel-only copy), for messages.
  const FunctionDecl *Kernel = nullptr;
  /// Where the copy happens, in the deepest helper: the write of the loop
  /// or the kernel copy call.
  const Stmt *Site = nullptr;
  /// The loop reads From until end-of-file (its only ways out are a read
  /// that returns 0 or fails): while the process holds To, it never ends.
  bool ReadsToEof = false;
  /// Where the two descriptors are chosen: the outermost call (or the
  /// kernel copy, or the loop's write) at which From and To are still two
  /// different arguments, and both are the two elements of one `[2]` array
  /// below a parameter of the function that makes it (`pump(a[0], a[1])`
  /// in `relay(int a[2], ...)`; `move_all(s->fds[0], s->fds[1], n)` in
  /// `forward(struct stage *s)`; not `r->in` and `r->out`, which whoever
  /// filled them chose).
  /// A caller that passes that parameter one pipe gets the copy of the pipe
  /// into itself, and the line to fix is there, not at its own call. Null
  /// when From and To come from different parameters.
  const Stmt *PairedAt = nullptr;
  /// The expressions at PairedAt that name From and To, for messages.
  const Expr *PairedFrom = nullptr, *PairedTo = nullptr;
};

struct CopySummary {
  llvm::SmallVector<CopyFact, 1> Facts;
};

class CopySummaries {
public:
  static constexpr unsigned MaxDepth = 8;

  explicit CopySummaries(CalleeSummaries &Callees) : Callees(Callees) {}

  /// The copies \p FD makes between its parameters, or null when it makes
  /// none we can see (no body here, a library function, recursion).
  const CopySummary *get(const FunctionDecl *FD);

  /// The argument of \p CE that parameter \p Param of \p Callee receives
  /// (a lambda's or member operator's call passes the object as argument 0),
  /// or null.
  static const Expr *argForParam(const CallExpr *CE, const FunctionDecl *Callee,
                                 unsigned Param);

private:
  std::optional<CopySummary> compute(const FunctionDecl *Def);

  CalleeSummaries &Callees;
  struct Entry {
    std::optional<CopySummary> Summary;
    unsigned Height = 0; ///< the longest chain of summaries it read.
  };
  /// Complete summaries: cut neither by recursion nor by the depth bound.
  std::map<const FunctionDecl *, Entry> Cache;
  /// Cut summaries asked for from depth 0, by the function asked about.
  std::map<const FunctionDecl *, Entry> RootCache;
  /// Within one question from depth 0: cut summaries, by depth.
  std::map<std::pair<const FunctionDecl *, unsigned>, Entry> Transient;
  llvm::SmallVector<const FunctionDecl *, 8> InProgress;
  unsigned Depth = 0, SubHeight = 0;
  bool Cut = false;
};

/// The copy summaries that go with \p Callees (one set per translation unit
/// and model configuration), made on first use.
CopySummaries &copySummaries(CalleeSummaries &Callees);

/// The variable behind the buffer argument of a read or write (`buf`,
/// `&buf[0]`, `s->data`), skipping argument \p Skip (the descriptor or
/// stream); null if there is none.
const ValueDecl *copyBufferOf(const CallExpr *CE, int Skip);

} // namespace clang::tidy::pipe

#endif
