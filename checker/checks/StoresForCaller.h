//===--- StoresForCaller.h - may a function leave its pipes to its caller? ===//
//
// A syntactic pre-check for pipe-unclosed-write-end's failure leaks
// (FailureLeaks.cpp), which analyse a function a second time, in summary
// mode, to see which pipe ends it leaves below its pointer and reference
// parameters. That can only happen when the function's text stores
// something it made there: a pipe() or creator helper given a place below
// such a parameter (`pipe(p->fds)`, `make_pipe(d->req)`), a store through
// one (`*wr = fds[1]`, `p->wr = w`) of a value that holds or may hold a
// made end, or a call given both such a place and such a value
// (`memcpy(p->fds, fds, ...)`). Values are followed through local copies
// and local pointers to the parameters' places; a lambda or block in the
// body answers yes.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CHECKS_STORESFORCALLER_H
#define PIPE_TIDY_CHECKS_STORESFORCALLER_H

namespace clang {
class FunctionDecl;
namespace tidy::pipe {
class FunctionSummaries;

/// False only when \p FD surely stores no descriptor it makes (directly or
/// through a helper of the file) below one of its pointer or reference
/// parameters.
bool mayStoreMadeEndsForCaller(const FunctionDecl *FD,
                               FunctionSummaries &Functions);

} // namespace tidy::pipe
} // namespace clang

#endif
