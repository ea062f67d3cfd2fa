//===--- CallerFacts.h - what callers in other translation units do -------===//
//
// Caller context (CallerContext.h) sees one translation unit. A function
// with external linkage is often called only from other files: rsync's
// start_pre_exec(), sudo's exec_monitor(). The project's callers are
// recorded by a first pass over every translation unit (the check
// pipe-unclosed-write-end with PIPE_TIDY_RECORD_CALLER_FACTS set; the
// wrapper `pipe-tidy -p BUILD` runs it), and the second pass reads the
// merged file (option CallerFactsFile). A fact is what the caller-context
// recogniser of that unit found, never a second recogniser:
//
//   pipe-tidy caller facts 3
//   def     USR  FILE        a definition of the function was seen, in FILE
//   escape  USR              its address is taken, or it is called where
//                            the recogniser cannot follow (or mentioned by
//                            a unit that did not compile)
//   taken   USR  KEY...      its address is taken and kept in the program
//                            (FunctionPointers.cpp): it may also be called
//                            through a pointer of a type with one of these
//                            keys (`int(int,char **)`)
//   model   USR  FILE  ROLE ARG ARG2 OUT STREAM
//                            what the API model made of the function's
//                            body in FILE (ApiModel::lookup()): a fork,
//                            spawn, wait or thread-start wrapper with its
//                            arguments, or `noreturn` (its body ends the
//                            process on every path). Another file that
//                            calls it without its body models it the same
//                            (ApiModel::setProjectFacts()).
//   typeescape  KEY          a value of that pointer type leaves the
//                            program (given to a system function, converted)
//   icall, iany  KEY  CALLER  WHERE  O...
//                            a call through a pointer of that type, with
//                            the outcomes of a `call` and an `any` line
//   call    CALLEE  CALLER  WHERE  O0 O1 ... O6
//                            one call, in the body of CALLER (a USR; "-"
//                            in a lambda, block or initializer), and what
//                            the call site does when CALLEE returns a value
//                            of probe i (below): E ends the process (exits
//                            or execs), R<lo>:<hi> returns [lo, hi] from
//                            CALLER (the question goes to CALLER's
//                            callers), I ignores the result, U unknown.
//                            Only for a function with a scalar result.
//   any     CALLEE  CALLER  WHERE  O
//                            the same call (any function), whatever CALLEE
//                            returns (CallerContext::Binding::Strict): E
//                            the process ends on every path after it with
//                            nothing on the way that could wait, R<lo>:<hi>
//                            CALLER returns [lo, hi], V CALLER returns a
//                            value that depends on the result, or none
//                            (its callers are asked whatever it returns),
//                            U unknown. A probe whose outcome is neither E
//                            nor a returned value whose callers end falls
//                            back on this one.
//
// Functions are keyed by their USR (clang::index::generateUSRForDecl), so
// the same external function declared in two files is one key. Fields are
// separated by tabs. A file may hold several header lines (the files of
// each unit concatenated); an empty file holds no fact.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CALLERFACTS_H
#define PIPE_TIDY_CALLERFACTS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace clang::tidy::pipe {

class CallerFacts {
public:
  static constexpr const char *Header = "pipe-tidy caller facts 3";
  /// The values a call site is asked about, in the order of the outcomes
  /// of a `call` line: -1, 0, 1, negative, positive, at least 0, at most 0.
  static constexpr unsigned NumProbes = 7;
  struct Probe {
    int64_t Lo, Hi;
  };
  static const std::array<Probe, NumProbes> Probes;
  /// The narrowest probe that holds every value of [Lo, Hi], or -1. The
  /// recogniser's answer for a wider interval also holds for a narrower one.
  static int probeFor(int64_t Lo, int64_t Hi);

  struct Outcome {
    char K = 'U'; ///< 'E', 'R', 'I', 'U', or 'V' (any: returns, value not known)
    int64_t Lo = 0, Hi = 0; ///< R: the value the caller returns
  };
  /// One outcome as a `call` line spells it, and back.
  static std::string format(const Outcome &O);
  static bool parse(llvm::StringRef Text, Outcome &O);

  struct Call {
    std::string Caller; ///< empty: "-"
    bool HasProbes = false; ///< a `call` line was seen
    std::array<Outcome, NumProbes> O;
    Outcome Any; ///< the `any` line (U when none)
  };
  struct Function {
    llvm::StringSet<> DefFiles;
    bool Escapes = false;
    /// The calls by location: a call in a header is recorded by every
    /// unit that includes it, and its `call` and `any` lines are one call.
    llvm::StringMap<Call> Calls;
    /// `taken`: the keys of the pointer types it may be called through.
    llvm::StringSet<> TakenAs;
    /// `model`: the role its body has, by the file of the body.
    llvm::StringMap<std::string> ModelByFile;
  };
  /// The calls through pointers of one type (`icall`, `iany`), and whether
  /// a value of the type leaves the program (`typeescape`).
  struct PointerType {
    bool Escapes = false;
    llvm::StringMap<Call> Calls;
  };

  /// Reads \p Path. On failure returns null and sets \p Error ("cannot
  /// read it: ...", "line 3: ..."). Kept for the process, per path and
  /// modification time.
  static std::shared_ptr<const CallerFacts> load(llvm::StringRef Path,
                                                 std::string &Error);
  /// Parses the text of a facts file; false and \p Error on a bad line.
  bool parseText(llvm::StringRef Text, std::string &Error);

  /// The model role of the function \p Usr (the fields of a `model` line
  /// after its file), when every file that defines it gave the same one;
  /// else empty.
  std::string modelOf(llvm::StringRef Usr) const;

  const Function *find(llvm::StringRef Usr) const {
    auto It = Fns.find(Usr);
    return It == Fns.end() ? nullptr : &It->second;
  }
  bool empty() const { return Fns.empty(); }

  /// True when \p Usr has at least one recorded call (direct, or through a
  /// pointer of a type it is `taken` as, no value of which escapes), none
  /// of its uses escapes, a definition was seen, and every such call ends the
  /// process when \p Usr returns a value in [Lo, Hi]: directly, or by
  /// returning a value to callers (recorded too) that all do, up to
  /// \p MaxDepth callers up (recursion: no).
  /// \p AnyValue: whatever \p Usr returns (the `any` outcomes only).
  bool callersEnd(llvm::StringRef Usr, bool AnyValue, int64_t Lo, int64_t Hi,
                  unsigned Depth, unsigned MaxDepth) const;

private:
  /// The calls of a `call`/`any` line's function, or of an
  /// `icall`/`iany` line's pointer type.
  llvm::StringMap<Call> &callsOf(llvm::StringRef Kind, llvm::StringRef Key);
  bool callersEnd(llvm::StringRef Usr, bool AnyValue, int64_t Lo, int64_t Hi,
                  unsigned Depth, unsigned MaxDepth,
                  llvm::StringSet<> &InProgress) const;
  llvm::StringMap<Function> Fns;
  llvm::StringMap<PointerType> Pointers;
};

} // namespace clang::tidy::pipe

#endif
