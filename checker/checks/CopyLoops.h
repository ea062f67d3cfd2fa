//===--- CopyLoops.h - a loop that copies a pipe back into itself ---------===//
//
// `while ((n = read(p[0], buf, sizeof buf)) > 0) write(p[1], buf, n);` in
// one function: the loop writes what it reads from a pipe back into the
// same pipe. pipe-self-copy reports the write; the read of such a loop
// also never sees end-of-file (this process holds the write end it writes
// into), which is the same defect: pipe-self-deadlock leaves that read to
// pipe-self-copy when it is enabled. Both find the loops here.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_COPYLOOPS_H
#define PIPE_TIDY_COPYLOOPS_H

#include "engine/FunctionAnalysis.h"

#include <string>
#include <vector>

namespace clang::tidy::pipe {

struct SelfCopyLoop {
  const CallExpr *Write; ///< the write back into the pipe
  const CallExpr *Read;  ///< the read of the same buffer in the same loop
  EndId R, W;            ///< the pipe's read end and the end written
  std::string RName, WName; ///< as the code names them at the write
  /// O_NONBLOCK on the read end: an empty pipe ends the loop (EAGAIN);
  /// with data in it, the loop never ends.
  bool Nonblocking = false;
};

/// Each write of this function, in a loop, of the buffer that a read in
/// the same loop fills from the read end of the pipe the write goes into,
/// with both ends open (once per write).
std::vector<SelfCopyLoop> findSelfCopyLoops(const FunctionAnalysis &A);

} // namespace clang::tidy::pipe

#endif
