//===--- WriteSideAtRead.h - who holds a pipe open at a read --------------===//
//
// A read from a pipe waits for data or end-of-file; which of the two can
// come depends on who holds the pipe's write side at that moment: this
// process (the write end and its dup()s, and descriptor numbers dup2()ed
// from them), a fork() child, a thread this function gave it to. These
// are the facts pipe-self-deadlock judges a read by, computed in one place
// so that pipe-unclosed-write-end, which must not report the same defect
// again at the exits after the read, asks the same question.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_WRITESIDEATREAD_H
#define PIPE_TIDY_WRITESIDEATREAD_H

#include "engine/FunctionAnalysis.h"
#include <optional>

namespace clang::tidy::pipe {

/// The pipe's write side in this process: its write end \p W and every
/// dup() of it open or touched on the path \p S. One of them open keeps the
/// pipe open.
llvm::SmallVector<EndId, 2> writeSide(const FunctionAnalysis &A,
                                      const PathState &S, EndId W);

/// The write side of the pipe a read waits on, on one path.
struct WriteSideAtRead {
  EndId Read;                          ///< the end read
  EndId W;                             ///< the pipe's write end
  llvm::SmallVector<EndId, 2> Writers; ///< W and its dup()s (writeSide())
  EndId OpenWriter;        ///< the first open one (W if none is open)
  bool AnyOpen = false;    ///< one of Writers is open in this process
  bool Written = false;    ///< this process wrote to one (or to a copy)
  bool Shared = false;     ///< one is shared with a fork()/exec child
  bool TaskUses = false;   ///< an open one is used by a thread of ours
  bool Nonblocking = false, Resized = false;
  uint32_t Bytes = 0;      ///< most written to one (UINT32_MAX: unbounded)
  const Expr *LastWrite = nullptr;
  /// A descriptor number dup2()ed from one of Writers (`dup2(fds[1], 1)`):
  /// it holds the pipe open too.
  const PathState::FdCopy *Copy = nullptr;
  /// The read waits for end-of-file (a loop to it, or a helper that reads
  /// to it), not for the first bytes.
  bool ToEof = false;
  /// A helper that reads some of the pipe and returns (`read_all(fd, buf,
  /// n)`), asked for with \p PartialHelpers: only what was written before
  /// it can be judged, not whether it waits.
  bool PartialHelperRead = false;
};

/// For a read call \p C with state \p S before it, on a pipe or socket
/// pair whose read end is open and blocking: its write side, when every
/// end of it is plainly open or closed in this process (none handed off,
/// lost or maybe created). Otherwise nothing is known and nothing is said.
std::optional<WriteSideAtRead> writeSideAtRead(const CallSite &C,
                                               const PathState &S,
                                               const FunctionAnalysis &A,
                                               bool PartialHelpers = false);

} // namespace clang::tidy::pipe

#endif
