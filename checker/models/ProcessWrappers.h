//===--- ProcessWrappers.h - fork, spawn, wait and thread-start wrappers --===//
//
// Programs seldom call fork(), waitpid() or pthread_create() where the pipe
// is: they call their own `xfork()`, `spawn(argv)`, `wait_child(pid)` or
// `start_thread(&t, fn, arg)`. The options ForkFunctions, SpawnFunctions,
// WaitFunctions and ThreadStartFunctions name such functions; this file
// recognises them from their bodies when the body is in the translation
// unit, so that ApiModel::lookup() models them as if they were listed.
//
// A function is a thin wrapper when its body (at most a few hundred AST
// nodes, no lambda or block) is one of:
//
//  - fork: calls one fork-like function (fork(), vfork(), a listed or
//    recognised fork wrapper) and returns its result on every path that
//    returns (or a negative constant: the failure), the child returning
//    too (possibly after resetting signals);
//  - spawn: the same fork, whose child branch (`if (pid == 0)`) execs and
//    ends in a call that does not return, the parent returning the pid; or
//    one posix_spawn()/posix_spawnp() (or spawn wrapper) call without file
//    actions whose pid goes to a `pid_t *` parameter or is returned;
//  - wait: one blocking waitpid()/wait4() (or wait wrapper) of an integer
//    parameter it never changes, on every path but early returns that test
//    that parameter;
//  - thread start: one pthread_create() (or thread-start wrapper) on every
//    path, running a function pointer parameter with a parameter (or null)
//    as its argument, the handle going to a `pthread_t *` parameter or
//    returned;
//  - dup: one dup() (or dup wrapper) of a parameter it never changes, on
//    every path, its result returned (or a negative constant), or one
//    dup2()/dup3() (or dup2 wrapper) of two such parameters. Unlike the
//    process wrappers, the descriptor stays the caller's: the call makes a
//    duplicate (or redirects the end) as dup() and dup2() do.
//
// Every other call must change no descriptor and start or wait for nothing
// (signal(), sigaction(), perror(), a message to stderr, a fatal-error
// helper, or a helper of the translation unit that itself calls only
// such functions); a call of a function whose body is in another file and
// that is not a system function makes the body not thin. Anything else is
// not a wrapper, and the call is an unknown function as before.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_PROCESSWRAPPERS_H
#define PIPE_TIDY_PROCESSWRAPPERS_H

#include "models/ApiModel.h"
#include <optional>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace clang::tidy::pipe {

/// How deep wrappers of wrappers are recognised.
constexpr unsigned MaxWrapperDepth = 4;

/// The role \p Def plays if its body is a thin fork, spawn, wait or
/// thread-start wrapper; \p Model answers for the functions it calls.
std::optional<ApiFunction> recogniseProcessWrapper(const FunctionDecl *Def,
                                                   const ApiModel &Model);

} // namespace clang::tidy::pipe

#endif
