//===--- CallerContext.h - what the callers do after a function returns ---===//
//
// A descriptor leaked when a function returns is harmless when the process
// ends right after: `if (setup() < 0) _exit(1);` in every caller of a
// setup() that leaks a pipe end on its failure return. Maintainers reject
// patches for such leaks, so the leak checks ask this before reporting one.
//
// The question is asked per exit of a function F and the value F returns
// there (an interval: `-1`, `NULL` as 0, `false` as 0, a returned
// descriptor as [0, max]): does EVERY call of F in the translation unit,
// when F returns that value, end the process? A call does when
//
//  - the statement that holds it tests the result and, on that value,
//    takes a branch that ends the process: `if (f() < 0) exit(1);`,
//    `if (!f()) { perror("f"); _exit(1); }`, `f() == 0 ? (void)0 :
//    __assert_fail(...)` (assert), `if (f() == 0) {...} else die();`, with
//    the result possibly first stored in a local variable that the next
//    statements only read (`int r = f(); if (r < 0) ...`), or in a global
//    or static variable that the `if` right after tests without calling
//    anything first (`g_pid = f(); if (g_pid < 0) ...`);
//  - or the caller returns a value on that path (`if (f() < 0) return -1;`,
//    `return f();`) and every call of the caller ends the process on that
//    value, to a depth of MaxDepth callers; a `return` from main ends the
//    process;
//  - and on the way, nothing the call gave the caller (Binding::Given: a
//    variable passed by address, the object of a member call, a lambda's
//    captures, a result that may be a descriptor) is passed to another
//    call, which could wait on the pipe: `{ drain(r); exit(1); }` hangs;
//  - or, whatever the result (tested, ignored, or none: a void F), every
//    path after the call ends the process, returns from main, or returns
//    from a caller all of whose calls end it in turn (for the value it
//    returns there, or again whatever the result), and nothing on the
//    way loops, waits, reads, polls, forks, starts a program (other than
//    by an exec followed by the end) or a thread, or makes or duplicates
//    a descriptor (Binding::Strict, quiet()): sudo's `exec_monitor(...);
//    send(sv[1], ...); _exit(1);`. A call on the way is quiet when the
//    model says it writes, closes, borrows or ends, when it is a system
//    function the model does not know, a function declared with a printf
//    format attribute (a message), or a function of this translation
//    unit whose body (three deep) holds no loop and only quiet calls; a
//    function of the program whose body is not here could do anything.
//
// A branch ends the process when every path through it reaches a call of
// exit, _exit, _Exit, abort, quick_exit, err*, verr*, __assert_fail,
// std::terminate, error() with a nonzero status, a NoReturnFunctions entry,
// a function whose body in this translation unit ends the process
// (`die()`, whether or not it is declared noreturn), or any other function
// declared noreturn that cannot throw (C, or noexcept in C++); exec*
// followed by _exit is covered by the _exit. longjmp and pthread_exit
// leave without ending the process; a `throw`, `goto`, `break`,
// `continue`, a loop back edge or a `switch` make the answer unknown.
//
// F's calls are all known only when F is a static function, a lambda held
// in a local variable that is only ever called, or a non-virtual function
// or member with external linkage all of whose declarations are in the
// main file (none in a header that other files include). F is unknown (the
// leak is reported as before) when its address is taken, it is called
// through a pointer, it has no call in the translation unit (a non-static
// function may be called from another file), it is declared in a header,
// virtual, a constructor, destructor or operator, or a template. Then,
// when the facts of the project's other translation units are given
// (CallerFacts.h, the option CallerFactsFile), a non-virtual function
// with external linkage that is not a template, operator, constructor or
// destructor is asked of them: every call here and every call they record
// must end the process (at least one call), and its definition recorded in
// the same file as here (facts of another project say nothing). Its
// address may be taken when the program keeps it (a table of commands, a
// callback passed to one of the program's own functions: FunctionPointers.cpp);
// its calls then also include every call, anywhere in the project,
// through a pointer of its type, and no value of that type may leave the
// program (passed to a system function such as signal() or
// pthread_create(), or converted to another type). git's `p->fn(argc,
// argv)` and ninja's `exit((ninja.*tool->func)(...))` are such calls.
//
// When neither this unit nor the facts know all the calls of F, F's own
// shape may answer: a function that returns only to report a failure
// (returnsOnlyOnFailure(): every path through its body that gets past its
// failures ends the process, by exit, _exit or abort, in the parent and in
// the child of its fork(), and each of its `return`s gives the same
// constant, or none) is called, as execvp() is, for not coming back; its
// callers end the process when it does. Each call of it that this unit
// sees must still end the process on that value. A return that falls off
// the end of a void function, a throw, pthread_exit() or longjmp() on the
// way to its end, or two different returned values make it an ordinary
// function. ninja's RunBrowsePython() and sudo's exec_monitor() are of this
// kind; their callers are in other files.
//
// Everything is computed on first use and kept for the translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CALLERCONTEXT_H
#define PIPE_TIDY_CALLERCONTEXT_H

#include "models/ApiModel.h"
#include "models/Callbacks.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace clang::tidy::pipe {

class CallerFacts;
class FunctionAnalysis;
class PathState;
struct ExitPoint;

class CallerContext {
public:
  /// How many callers up a failure may be returned before the one that
  /// ends the process (`if (f() < 0) return -1;` in g, `if (g() < 0)
  /// exit(1);` in h: depth 2).
  static constexpr unsigned MaxDepth = 4;

  CallerContext(ASTContext &Ctx, const ApiModel &Model)
      : Ctx(Ctx), Model(Model) {}

  /// True when a leak at exit \p X of \p A, on a path with state \p S, is
  /// followed by the end of the process in every caller: \p X returns a
  /// value the engine knows on that path, and callersEndProcess() of it.
  bool endsProcessAfter(const FunctionAnalysis &A, const ExitPoint &X,
                        const PathState &S);

  /// True when every call of \p F in the translation unit ends the process
  /// when \p F returns a value in [\p Lo, \p Hi] (and, for a function with
  /// external linkage whose calls this unit cannot all see, every call the
  /// facts of the project record: setFacts()).
  bool callersEndProcess(const FunctionDecl *F, int64_t Lo, int64_t Hi);
  /// The same, whatever \p F returns (asked at a `return;` or the end of
  /// a void function): every call is followed by the end of the process on
  /// every path, with nothing on the way that could wait.
  bool callersEndProcessAnyResult(const FunctionDecl *F);

  /// The direct calls of \p F in the translation unit, each with the
  /// function it is in (null in a block), when every call of F is known
  /// (see above: not escaping, callsAllKnown()); else false.
  bool knownCalls(
      const FunctionDecl *F,
      llvm::SmallVectorImpl<std::pair<const CallExpr *, const FunctionDecl *>>
          &Out) {
    if (!F)
      return false;
    F = F->getCanonicalDecl();
    scan();
    auto It = CallsOf.find(F);
    if (It == CallsOf.end() || It->second.Escapes || It->second.Taken ||
        It->second.Calls.empty() || !callsAllKnown(F))
      return false;
    for (const CallRef &C : It->second.Calls)
      Out.push_back({C.Call, C.Caller});
    return true;
  }

  /// The function-pointer parameters of \p F that every call of it in
  /// the translation unit binds to the same function of the unit
  /// (`filter_start(&f, digest_main)` its only call, or every call giving
  /// `digest_main`): while F is analysed and checked, a call through one is
  /// a call of that function (Callbacks.h). None when not every call of F
  /// is known (knownCalls()), or when two calls bind a parameter apart.
  /// A caller that passes on a pointer parameter of its own binds what
  /// every call of it binds, up to MaxCallbackDepth callers up.
  static constexpr unsigned MaxCallbackDepth = 3;
  CallbackBindings callbacksAtEveryCall(const FunctionDecl *F,
                                        unsigned Depth = 0);
  /// The callers recorded in the other translation units of the project
  /// (CallerFacts.h); null: this unit only.
  void setFacts(const CallerFacts *F) { Facts = F; }
  /// The first pass: writes the facts of this translation unit (its
  /// definitions, the uses that escape, and what each call of a function
  /// of the program does with each probe value) to \p OS
  /// (CallerFactsTU.cpp).
  void recordFacts(llvm::raw_ostream &OS);

  /// A value: an interval of integers (a null pointer is 0, false is 0),
  /// or unknown.
  struct Interval {
    bool Known = false;
    int64_t Lo = INT64_MIN, Hi = INT64_MAX;
  };
  /// What the callee's result is bound to while a caller is followed: the
  /// call itself, or the local variable it was stored in.
  struct Binding {
    const Expr *Call = nullptr;
    const VarDecl *Var = nullptr;
    Interval V;
    /// What the call was given that may now hold the pipe's other end: a
    /// variable passed by address, by reference, as an array or a pointer
    /// to non-const, the object of a member call (Given This when it is
    /// `this`), a lambda's captures. Until the process ends, no call may
    /// be passed any of them: it could wait on the pipe (`{ drain(r);
    /// exit(1); }` hangs).
    llvm::SmallVector<const VarDecl *, 4> Given;
    bool GivenThis = false;
    /// Whatever the result: every statement on the way must be quiet()
    /// (no loop, no call that could wait or start anything), and a
    /// `return` of a value not known, or of none, is followed to the
    /// caller's callers in the same mode.
    bool Strict = false;
    /// Var has static storage (`g_pid = f(); if (g_pid < 0) ...`): it
    /// holds the result only in the condition of the `if` right after the
    /// assignment, which calls nothing; any later call could change it.
    bool VarInCondOnly = false;
  };
  /// How a statement of a caller ends when entered at its start.
  struct Outcome {
    enum Kind { Ends, Returns, FallsThrough, Unknown } K = Unknown;
    /// Returns: the value returned; not Known (Strict only): returns a
    /// value that depends on the result, or none.
    Interval V;
  };

private:
  struct CallRef {
    const CallExpr *Call;
    const FunctionDecl *Caller; ///< null in a block
  };
  struct Callers {
    std::vector<CallRef> Calls;
    bool Escapes = false; ///< address taken, or called where we cannot see
    /// Its address is taken but kept in the program (FunctionPointers.cpp):
    /// this unit does not know all its calls, the project's facts may.
    bool Taken = false;
    /// The keys of the pointer types it may be called through when Taken.
    std::vector<std::string> TakenAs;
  };
  /// The calls through a pointer, by the key of the pointer's type, and
  /// the keys of the pointer types whose values leave the program (passed
  /// to a system function, converted): FunctionPointers.cpp.
  llvm::StringMap<std::vector<CallRef>> IndirectCalls;
  llvm::StringSet<> EscapingTypes;

  void scan();
  bool callsAllKnown(const FunctionDecl *F);
  bool callersEnd(const FunctionDecl *F, Interval V, unsigned Depth);
  bool callEnds(const CallRef &C, Interval V, unsigned Depth);
  /// Every one of \p Calls of \p F ends the process on \p V (recursion:
  /// unknown, false).
  bool everyCallEnds(const FunctionDecl *F, llvm::ArrayRef<CallRef> Calls,
                     Interval V, unsigned Depth);
  bool functionEnds(const FunctionDecl *F, unsigned Depth);
  /// \p F returns only to report a failure (ProcessEnds.cpp): every path
  /// through its body that gets past its failures ends the process (an exec
  /// wrapper, ninja's RunBrowsePython(), sudo's exec_monitor()), and every
  /// `return` in it gives the same constant (none, in a void function).
  /// Asked only when this unit cannot see all the calls of \p F: such a
  /// function is called, as execvp() is, for not coming back, and its
  /// callers end the process when it does. \p Value, if given, is set to
  /// the constant it returns.
  bool returnsOnlyOnFailure(const FunctionDecl *F, Interval *Value = nullptr);
  /// The facts of the project for \p F, whose calls this unit cannot all
  /// see (CallerFactsTU.cpp).
  bool projectCallersEnd(const FunctionDecl *F, Interval V, unsigned Depth);
  /// The project's facts have seen the definition of \p F: they, not its
  /// shape, answer for its calls in other files (CallerFactsTU.cpp).
  bool factsKnow(const FunctionDecl *F);
  /// For \p F whose calls are not all known and that the facts do not
  /// know: it returnsOnlyOnFailure(), and each call of it here ends the
  /// process.
  bool failureOnlyCallersEnd(const FunctionDecl *F, Interval V, unsigned Depth);
  /// The `call` and `any` lines of one call of \p Callee (a USR, or with
  /// \p Prefix "i" the key of a pointer type), in \p Caller (a USR or
  /// empty) (CallerFactsTU.cpp).
  void recordCallFacts(llvm::raw_ostream &OS, llvm::StringRef Prefix,
                       llvm::StringRef Callee, const CallRef &C,
                       const std::string &Caller, bool Scalar);
  /// The call's value is dropped: an expression statement (CallerFactsTU.cpp).
  bool resultIgnored(const CallRef &C);

  // Following a caller's statements (CallSiteOutcome.cpp; the values:
  // CallerValues.cpp; what ends the process: ProcessEnds.cpp).
  struct Frame {
    const FunctionDecl *Fn;
    unsigned Depth;
  };
  Outcome afterCall(const CallExpr *Call, Interval V, const Frame &F,
                    bool Strict = false);
  Outcome exec(const clang::Stmt *S, const Binding &B, const Frame &F);
  Outcome restAfter(const clang::Stmt *S, const Binding &B, const Frame &F);
  bool exprEnds(const Expr *E, const Binding &B, const Frame &F);
  bool touchesGiven(const Stmt *S, const Binding &B);
  Interval eval(const Expr *E, const Binding &B);
  int truth(const Expr *E, const Binding &B);
  bool returnEndsProcess(const Frame &F);
  /// Strict mode: does \p S (but the call B.Call) hold no loop and only
  /// calls that cannot wait, read, fork, start a program or thread, or
  /// make a descriptor (QuietCalls.cpp)?
  bool quiet(const Stmt *S, const Binding &B);
  bool quietCall(const Stmt *Call, unsigned Depth);
  bool quietFunction(const FunctionDecl *FD, unsigned Depth);
  /// Does \p S wait for a child or join a thread, itself or in a function
  /// of this file it calls (three deep): `while (wait(NULL) > 0) ;`,
  /// `reap_all();`? Such a wait may wait for a child the call started, or
  /// for a reader of the pipe the call leaked: the process does not end
  /// (QuietCalls.cpp). \p Skip (the call asked about) is not looked into.
  bool waitsForTask(const Stmt *S, const Stmt *Skip, unsigned Depth = 0);
  /// The single parent of \p S inside the body of F.Fn, from a parent map
  /// of that body alone (never the translation unit's, which covers every
  /// header). An initializer's parent is its variable (ParentNode::D),
  /// whose statement is ParentNode::Decls.
  struct ParentNode {
    const Stmt *S = nullptr;
    const VarDecl *D = nullptr;
    const DeclStmt *Decls = nullptr;
    bool AtBody = false; ///< S is the body of F.Fn itself
    bool Unique = false;
  };
  ParentNode parentIn(const Frame &F, const Stmt *S);

  ASTContext &Ctx;
  const ApiModel &Model;
  const CallerFacts *Facts = nullptr;
  bool Scanned = false;
  /// Every function defined in the translation unit (the scan).
  std::vector<const FunctionDecl *> Defined;
  llvm::DenseMap<const FunctionDecl *, Callers> CallsOf;
  /// callersEndProcess() answers, asked from a check (depth 0).
  std::map<std::tuple<const FunctionDecl *, int64_t, int64_t>, bool> Answers;
  llvm::DenseMap<const FunctionDecl *, bool> AnyResultAnswers;
  /// quietFunction() answers asked at depth 0.
  llvm::DenseMap<const FunctionDecl *, bool> QuietCache;
  /// waitsForTask() answers for the bodies of functions called at depth 0.
  llvm::DenseMap<const FunctionDecl *, bool> WaitsCache;
  llvm::DenseSet<const FunctionDecl *> WaitsInProgress;
  llvm::DenseSet<const FunctionDecl *> QuietInProgress;
  llvm::DenseSet<const FunctionDecl *> InProgress;
  /// functionEnds() answers that did not depend on a bound or recursion.
  llvm::DenseMap<const FunctionDecl *, bool> EndsCache;
  /// callbacksAtEveryCall() answers asked from a check (depth 0): each
  /// enabled check asks for every function it analyses.
  llvm::DenseMap<const FunctionDecl *, CallbackBindings> BoundCache;
  llvm::DenseSet<const FunctionDecl *> EndsInProgress;
  llvm::DenseMap<const FunctionDecl *, std::pair<bool, Interval>>
      FailureOnlyCache;
  bool EndsCut = false;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<ParentMap>> BodyParents;
};

} // namespace clang::tidy::pipe

#endif
