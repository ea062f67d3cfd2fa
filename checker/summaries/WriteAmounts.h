//===--- WriteAmounts.h - how many bytes a write or a loop can write ------===//
//
// Bounds used by the write summaries (CalleeSummary.cpp): the most a
// printf-style call can produce from its format, and how many times a
// counting loop runs. A writer task that writes a few formatted lines is
// not "a writer that may fill the pipe".
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_SUMMARIES_WRITEAMOUNTS_H
#define PIPE_TIDY_SUMMARIES_WRITEAMOUNTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include <cstdint>
#include <optional>

namespace clang::tidy::pipe {

/// What a message from strerror() or `%m` is taken to be at most (glibc's
/// longest is under 60 bytes).
constexpr uint64_t AssumedErrorMessageLength = 128;

/// The most bytes the formatted-output call \p CE can write: `dprintf`,
/// `fprintf`, `printf`-like functions (a `format(printf, ...)` attribute or
/// a known name) with a literal format, `fputs` of a literal, `fputc`/`putc`.
/// None when a conversion's size is unknown (`%s` of a variable, `*`
/// widths, a `va_list`).
std::optional<uint64_t> formattedWriteBound(const CallExpr *CE,
                                            const FunctionDecl *Callee,
                                            const ASTContext &Ctx);

/// How many times \p Loop runs at most when it counts with a variable
/// between constants: `for (i = A; i < B; i++)` (also `<=`, `!=`, `>`,
/// `>=`, `++i`, `i += K`, `i--`, `i -= K`), the counter not changed in
/// the body. None otherwise, or above \p Limit iterations.
std::optional<uint64_t> constantTripCount(const Stmt *Loop,
                                          const ASTContext &Ctx,
                                          uint64_t Limit = 1u << 20);

} // namespace clang::tidy::pipe

#endif
