//===--- ChildPrograms.h - a fork() child that runs another program -------===//
//
// A fork() child that execs runs a program of its own, which inherits
// every descriptor of the parent's that lacks O_CLOEXEC unless the child
// closes it first. When the fork happens in a helper (`sub.start()`,
// `spawn_sort(&in)`), the caller's own ends are not in the helper's
// analysis; whether the program gets them is a question about the child's
// code alone: it execs, and nothing in it closes descriptors it does not
// name (closefrom(), close_range(), a loop of close() calls, a function
// whose body this translation unit does not have).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_MODELS_CHILDPROGRAMS_H
#define PIPE_TIDY_MODELS_CHILDPROGRAMS_H

#include "models/ApiModel.h"
#include "clang/AST/Stmt.h"

namespace clang::tidy::pipe {

/// True when \p ChildBody, the code a fork() child runs, calls an exec
/// function and can close no descriptor but those it names one by one
/// (through the functions it calls, three deep): the program it runs
/// inherits every descriptor without O_CLOEXEC that the parent had open
/// at the fork.
bool execsKeepingInherited(const Stmt *ChildBody, const ApiModel &Model);

} // namespace clang::tidy::pipe

#endif
