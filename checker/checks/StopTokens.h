//===--- StopTokens.h - does a stop-token writer see the request? ---------===//
//
// A std::jthread's destructor calls request_stop() and then joins. A writer
// whose function takes a std::stop_token ends on that request only if it
// looks at the token while the reader no longer reads: a write() blocked on
// the full pipe does not return to the loop that tests the token, so a
// blocking writer that may fill the pipe hangs the join all the same. The
// request is seen only when the writes cannot block (the write end is
// non-blocking, or the writer waits for room with poll() or select() and a
// timeout) and the token is tested at all.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CHECKS_STOPTOKENS_H
#define PIPE_TIDY_CHECKS_STOPTOKENS_H

#include "engine/FunctionAnalysis.h"
#include "models/ApiModel.h"

namespace clang::tidy::pipe {

struct StopVerdict {
  enum Kind {
    Heeds,        ///< it sees the request (or we cannot see its code)
    NeverLooks,   ///< it never reads its token
    BlocksInWrite ///< a blocking write can keep it from the token
  } K = Heeds;
  /// The token parameter (NeverLooks) or the first write (BlocksInWrite).
  SourceLocation Where;
};

/// Whether stop-aware task \p T sees a stop request on a path with state
/// \p S (whose flags say whether the ends it holds are non-blocking).
StopVerdict stopVerdict(const TaskInfo &T, const PathState &S,
                        const ApiModel &Model);

} // namespace clang::tidy::pipe

#endif
