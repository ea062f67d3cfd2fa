//===--- BlockedWriters.h - one warning per blocked writer ----------------===//
//
// pipe-wait-before-drain and pipe-leaked-writer both report a parent that
// blocks on a writer left blocked on a full pipe. A writer (a task) blocked
// on one pipe in one function is one defect with one fix, however many
// points wait for it: the findings are kept until the end of the
// translation unit, then each blocked writer is reported once, at its
// first blocking point in the source, with the others as notes.
//
//  - pipe-wait-before-drain: every finding takes part (a read to
//    end-of-file of another pipe first, all of the input written first,
//    waitpid() first).
//  - pipe-leaked-writer: a join or wait before the read end is closed takes
//    part only where pipe-wait-before-drain reports the same wait for the
//    same writer and pipe. There the reader reads the pipe later, so
//    reading it first is the fix that keeps the output; the warning is
//    pipe-wait-before-drain's, and closing the read end first is named in a
//    note. Elsewhere (a reader that gives up early on one path and returns)
//    each of its findings stays a warning: each path needs its own close.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_BLOCKEDWRITERS_H
#define PIPE_TIDY_BLOCKEDWRITERS_H

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include <functional>
#include <string>

namespace clang::tidy::pipe {

/// A blocked writer: the task, in one function, blocked writing the pipe
/// whose read end is named.
struct BlockedWriter {
  const Decl *Function = nullptr;
  const Stmt *Task = nullptr;     ///< where the task starts (TaskInfo::Origin)
  const Expr *Pipe = nullptr;     ///< the call that made the pipe
  std::string ReadEnd;            ///< the read end, as that call puts it
};

enum class BlockedBy { WaitBeforeDrain, LeakedWriter };

/// Keeps a finding of \p Writer blocked at \p Loc: \p Warn emits the warning
/// and its notes, \p Also one note at \p Loc for when another finding of the
/// same writer is the warning.
void deferBlockedWriter(BlockedBy Check, const BlockedWriter &Writer,
                        SourceLocation Loc, std::function<void()> Warn,
                        std::function<void()> Also);
/// Reports what was kept, once per translation unit (the first pipe check
/// to reach the end of the unit does it for all).
void reportBlockedWriters(const SourceManager &SM);
/// Forgets what an earlier translation unit kept.
void resetBlockedWriters();

} // namespace clang::tidy::pipe

#endif
