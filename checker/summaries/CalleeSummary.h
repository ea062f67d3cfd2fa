//===--- CalleeSummary.h - what a function we can see does with a descriptor ===//
//
// The flow engine analyses one function at a time. When that function passes
// a descriptor to another function whose body is in the translation unit
// (write_all(fd, buf, n), drain(fd)), the callee's body says what happens to
// it: a summary per (function, parameter) records whether the callee only
// borrows the descriptor (reads, writes, polls or tests it, and never
// closes, stores or passes it on), whether it reads it until end-of-file,
// and how many bytes it writes to it. A callee we cannot see, or that does
// anything else with the descriptor, has no summary: the descriptor is
// handed off, as before.
//
// The same byte counting tells how much a writer task's body (a lambda, a
// thread function) writes, for pipe-leaked-writer.
//
// Summaries are syntactic, computed once per function and parameter, and
// bounded in depth: their cost is linear in the size of the bodies read.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CALLEESUMMARY_H
#define PIPE_TIDY_CALLEESUMMARY_H

#include "models/ApiModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class DeclRefExpr;
class Expr;
class FieldDecl;
class FunctionDecl;
class LambdaExpr;
class ParentMap;
class Stmt;
class ValueDecl;
} // namespace clang

namespace clang::tidy::pipe {

/// An upper bound on the bytes some code writes to a descriptor, possibly in
/// terms of what its caller passes in.
struct WriteBound {
  enum Kind : uint8_t {
    None,       ///< writes nothing to it.
    Const,      ///< at most Bytes.
    Param,      ///< at most the value of parameter Index.
    ParamField, ///< at most the value of member Field of parameter Index
                ///< (`p->bytes`, `job.bytes`).
    Outer,      ///< at most the value of Var, a variable of the enclosing
                ///< function (a lambda's capture).
    Unbounded,  ///< an amount we cannot bound (a loop, an unknown size).
  } K = None;
  uint64_t Bytes = 0;
  unsigned Index = 0;
  const FieldDecl *Field = nullptr;
  const ValueDecl *Var = nullptr;

  static WriteBound constant(uint64_t B) {
    WriteBound W;
    W.K = Const;
    W.Bytes = B;
    return W;
  }
  static WriteBound unbounded() {
    WriteBound W;
    W.K = Unbounded;
    return W;
  }
  /// The bound of two writes one after the other.
  static WriteBound sum(const WriteBound &A, const WriteBound &B);
};

/// What a function does with one of its descriptor parameters.
struct ParamSummary {
  /// Only reads, writes, polls, fcntl()s or tests it: the caller still owns
  /// it after the call.
  bool Borrowed = false;
  /// Reads it (directly or through another helper).
  bool Reads = false;
  /// Reads it in a loop until a read returns end-of-file (or an error),
  /// with no other way out of the loop.
  bool ReadsToEof = false;
  /// Reads it, and returns 0 or less only where that read returned 0 or
  /// less, a positive constant where it read (`read_full(fd, buf, len)`):
  /// a loop on its result reads it as a loop on read() does.
  bool EndOfFileResult = false;
  /// Sets O_NONBLOCK on it on some path (`fcntl(fd, F_SETFL, fl |
  /// O_NONBLOCK)`, directly or through another helper): after the call the
  /// end may be non-blocking, so nothing is claimed to block on it.
  bool MayMakeNonblocking = false;
  WriteBound Writes;
};

class FunctionSummaries;
class CopySummaries;
class ThrowSummaries;

class CalleeSummaries {
public:
  explicit CalleeSummaries(const ApiModel &Model) : Model(Model) {}

  const ApiModel &model() const { return Model; }
  /// The creator and closer summaries of the same translation unit and
  /// model (FunctionSummaries.h; made by functionSummaries()).
  std::shared_ptr<FunctionSummaries> Functions;
  /// The copy summaries of the same translation unit and model
  /// (CopySummary.h; made by copySummaries()).
  std::shared_ptr<CopySummaries> Copies;
  /// Which calls of the same translation unit may throw (ThrowModel.h;
  /// made by throwSummaries()).
  std::shared_ptr<ThrowSummaries> Throws;

  /// The summary of parameter \p Index of \p FD, or null when its body is
  /// not in the translation unit (or is being summarised: recursion), or
  /// when summarising it reads a chain of helpers deeper than the bound.
  /// The answer depends only on the translation unit, never on which
  /// functions were summarised before: a summary cut short is not cached.
  const ParamSummary *paramSummary(const FunctionDecl *FD, unsigned Index);

  /// The same for member \p F of the object a call of method \p MD is made
  /// on (`out_` of `bool read_line(std::string &)` reading `out_`): over
  /// the uses of `F` and `this->F` in its body, and what the other methods
  /// it calls on its object do with F. Null, as for a parameter, when a
  /// body cannot be read, and when `this` goes where F cannot be followed
  /// (a lambda capturing it, `this` passed on, a virtual call).
  const ParamSummary *memberSummary(const CXXMethodDecl *MD,
                                    const FieldDecl *F);

  /// An upper bound on what \p Body writes to the descriptors \p IsTarget
  /// accepts. Param and ParamField bounds refer to the parameters of \p Fn.
  WriteBound bodyWrites(const Stmt *Body, const FunctionDecl *Fn,
                        llvm::function_ref<bool(const Expr *)> IsTarget);

  /// What the body of lambda \p LE does with \p Captured, a descriptor it
  /// captures by copy (or an init-capture): everything a parameter's
  /// summary says but EndOfFileResult (RoutineEnds.cpp; a thread's lambda
  /// that reads it to end-of-file, Tasks.cpp). Not cached: one walk of the
  /// body.
  ParamSummary captureSummary(const LambdaExpr *LE, const ValueDecl *Captured);
  /// Does \p LE's body only use (read, write, poll: ParamSummary::Borrowed)
  /// the descriptor every expression \p IsPart accepts names: one part of
  /// a variable it captures by reference (`fds[1]` of `[&]`)?
  bool capturedPartBorrowed(const LambdaExpr *LE,
                            llvm::function_ref<bool(const Expr *)> IsPart);

  /// What loop \p Loop of \p Fn writes in all, as a number of bytes, when
  /// it counts down what is left to write (or up to a limit) from a size
  /// known where the loop is (a constant, sizeof, strlen()):
  /// `size_t left = sizeof msg; while (left > 0) { n = write(fd, p, left);
  /// ... left -= n; }` writes at most sizeof msg, however many turns it
  /// takes. None when the bound is the caller's (a parameter) or unknown.
  std::optional<uint64_t> countedLoopBytes(const Stmt *Loop,
                                           const FunctionDecl *Fn) const;

private:
  /// Sets PS.Borrowed (and PS.Reads, PS.ReadsToEof through helpers): every
  /// use of \p V in \p Body only uses the descriptor.
  void borrowedUses(const Stmt *Body, const ValueDecl *V, ParentMap &PM,
                    const ASTContext &Ctx, ParamSummary &PS);
  /// The same for the uses \p IsUse accepts.
  void borrowedUsesOf(const Stmt *Body,
                      llvm::function_ref<bool(const Expr *)> IsUse,
                      ParentMap &PM, const ASTContext &Ctx, ParamSummary &PS);
  /// For memberSummary(): what \p MD's calls of the other methods of its
  /// object do with \p F, and whether `this` stays where F is followed.
  void objectUses(const CXXMethodDecl *MD, const FieldDecl *F,
                  ParentMap &PM, ParamSummary &PS);
  /// Everything a summary says of descriptor \p P (a parameter, the
  /// variable a `void *` parameter is turned into, or a member of `this`)
  /// in \p Def's body but EndOfFileResult.
  void summariseUses(const FunctionDecl *Def, const ValueDecl *P,
                     ParentMap &PM, ParamSummary &PS);
  const ParamSummary *summaryOf(const FunctionDecl *FD, unsigned Index);
  WriteBound sizeBound(const Expr *E, const FunctionDecl *Fn,
                       unsigned Depth = 0) const;
  std::optional<WriteBound> countedLoopBound(const Stmt *Loop,
                                             const FunctionDecl *Fn) const;
  WriteBound writesOf(const Stmt *S, const FunctionDecl *Fn,
                      llvm::function_ref<bool(const Expr *)> IsTarget,
                      unsigned LoopDepth);
  WriteBound callWrites(const CallExpr *CE, const FunctionDecl *Fn,
                        llvm::function_ref<bool(const Expr *)> IsTarget);
  ParamSummary compute(const FunctionDecl *Def, unsigned Index);

  /// A parameter's index, or MemberKey plus a member's field index.
  using Key = std::pair<const FunctionDecl *, unsigned>;
  static constexpr unsigned MemberKey = 1u << 24;
  /// A computed summary (nullopt: none) and the height of the chain of
  /// summaries it read (0: it read none), so that a later use at depth d
  /// knows whether computing it afresh there would have hit the bound.
  struct Entry {
    std::optional<ParamSummary> PS;
    unsigned Height = 0;
    bool DepthCut = false;
  };
  const ParamSummary *use(const Entry &E, bool Tainted);

  const ApiModel &Model;
  /// Summaries that depend on nothing but the callee's body and its
  /// callees': never cut by the depth bound, never reading a summary that
  /// was in progress (recursion). The same whatever order the functions of
  /// the translation unit are analysed in, so they are kept for good.
  /// (std::map: callers hold pointers to entries while others are added.)
  std::map<Key, Entry> Cache;
  /// Summaries asked for directly (depth 0) that read a summary in
  /// progress: the answer depends only on where the question started, so
  /// it is kept per starting point.
  std::map<Key, Entry> RootCache;
  /// Within one question from depth 0: summaries tainted by recursion or
  /// cut by the depth bound, by depth. Dropped when the question is answered.
  std::map<std::pair<Key, unsigned>, Entry> Transient;
  llvm::SmallVector<Key, 8> InProgress;
  unsigned Depth = 0;
  /// About the summary being computed: the height of what it read, and
  /// whether it read one in progress or one cut by the depth bound.
  unsigned SubHeight = 0;
  bool CycleCut = false;
  bool DepthCut = false;
};

// What a read's result says (ReadResults.cpp).
/// For each use of a variable that holds a read's result at that point
/// (`ssize_t n = read(fd, ...); if (n < 0 && errno == EINTR) continue; if
/// (n <= 0) break;`), the read: the last write of the variable before the
/// use, in the order of the statements, is that read on every way there (a
/// loop, a label or a case forgets what the variable holds).
using ReadResultUses = llvm::DenseMap<const DeclRefExpr *, const CallExpr *>;
ReadResultUses readResultUses(const Stmt *Body, const ApiModel &Model,
                              CalleeSummaries *Helpers);
/// If taking the \p Taken edge of the branch on \p Cond means that a read
/// in it returned end-of-file or an error (`(n = read(fd, ...)) > 0` left
/// false, `fgets(...) == NULL` true), the read call; else null. With
/// \p Helpers, also a call of a helper whose result says so
/// (ParamSummary::EndOfFileResult: `read_full(fd, buf, n) > 0` left false);
/// with \p Uses, also a test of a variable holding a read's result.
const CallExpr *readEndedOnBranch(const Expr *Cond, bool Taken,
                                  const ApiModel &Model,
                                  CalleeSummaries *Helpers = nullptr,
                                  const ReadResultUses *Uses = nullptr);
/// Is \p CE a read of the model, or a call of a helper or method that
/// reports its read in its result?
bool isReadCall(const CallExpr *CE, const ApiModel &Model,
                CalleeSummaries *Helpers);
/// The argument of \p Read (a read of the model, or such a helper) whose
/// descriptor it reads.
std::optional<unsigned> readArgument(const CallExpr *Read, const ApiModel &Model,
                                     CalleeSummaries *Helpers);
/// Does \p Def return 0 or less only where its read of \p P (a
/// parameter, or a member of `this`) returned 0 or less, or where P holds
/// no descriptor (`if (fd_ < 0) return false;`), and a positive constant
/// elsewhere?
/// With \p Helpers, a `return` of a helper's call that reports its read of
/// P counts as that read's (`return read_line_from(fd_, buf_, line);`).
bool returnsEndOfFileResult(const FunctionDecl *Def, const ValueDecl *P,
                            const ApiModel &Model,
                            CalleeSummaries *Helpers = nullptr);
/// When \p Read is a call of a method that reports its read of a member of
/// its object in its result (`r.read_line(line)` returning false only at
/// end-of-file: ParamSummary::EndOfFileResult of memberSummary()), that
/// member.
const FieldDecl *readMember(const CallExpr *Read, CalleeSummaries *Helpers);

} // namespace clang::tidy::pipe

#endif
