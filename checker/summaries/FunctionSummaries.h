//===--- FunctionSummaries.h - pipes made and closed by a helper ----------===//
//
// The flow engine judges one function at a time. A pipe made by a small
// wrapper (`if (make_pipe(fds) < 0) return -1;`) or closed by one
// (`close_pair(fds);`) used to leave the caller's view: the ends were
// handed off and every check stayed silent. A summary says what a function
// whose body is in the translation unit does to the descriptors its caller
// can reach, and the engine applies it at each call with the actual
// arguments, so that the caller's state follows the ends as if the call
// were inlined.
//
// A summary is computed by running the engine itself on the callee
// (FunctionAnalysis::runForSummary()), with the places its pointer
// parameters point to tracked as places of its own, and reading its exits:
//
//  - creator: on every exit where it leaves a pipe open, it leaves exactly
//    one pipe (or socket pair) with both ends open, each in a place the
//    caller reaches (`fds[0]` through an `int[2]`/`int *` parameter, `*rfd`,
//    `p->fds[1]`, `p->rd`, or the returned value), and nothing else
//    changed; on every other exit it leaves no end it created open, and the
//    returned value tells the two outcomes apart (`< 0` vs `0`, `false` vs
//    `true`, -1 vs a descriptor);
//  - closer: a descriptor parameter (`int fd`, an element of an `int[2]`
//    parameter, `p->fd`) that is closed on every exit.
//
// Anything else (recursion, a depth beyond MaxDepth, the budget, a body in
// another translation unit, an end handed off or left open elsewhere, a
// result that does not tell success from failure) gives no summary: the
// call hands its arguments off, as before. A summary cut short by the
// depth bound or recursion is never cached.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_FUNCTIONSUMMARIES_H
#define PIPE_TIDY_FUNCTIONSUMMARIES_H

#include "engine/SelectorPaths.h"
#include "models/ApiModel.h"
#include "models/Callbacks.h"
#include "models/TaskModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Decl;
class FunctionDecl;
class Stmt;
class ValueDecl;
} // namespace clang

namespace clang::tidy::pipe {

class CalleeSummaries;
class ClassModel;

/// A place of the caller that a function's parameter or result reaches.
struct SummarySlot {
  enum Kind : uint8_t {
    Value,    ///< the integer argument Param itself.
    Pointee,  ///< Sel below what argument Param points to or refers to
              ///< (`fds[1]`, `*rfd`, `p->fds[0]`, `p.fds[0]` of a `Pipe &`,
              ///< `fds_[1]` of `this`): up to MaxSelDepth selectors, as
              ///< in LocKey.
    Returned, ///< the value the call returns.
    ReturnedSub, ///< Sel below the struct the call returns by value
                 ///< (`p.wr` of `struct pipe_pair make(void)`).
    Captured, ///< Sel below Var, a variable of the caller that a lambda
              ///< captures by reference (in a copy summary, CopySummary.h,
              ///< also one it captures by copy).
  } K = Value;
  /// The parameter's index, or ThisParam for the object of a member call.
  unsigned Param = 0;
  SelPath Sel = 0;
  const ValueDecl *Var = nullptr; ///< Captured.
  static constexpr unsigned ThisParam = 0xffffu;
  bool operator==(const SummarySlot &O) const {
    return K == O.K && Param == O.Param && Sel == O.Sel && Var == O.Var;
  }
  bool operator!=(const SummarySlot &O) const { return !(*this == O); }
};

/// A function that makes one pipe and gives both its ends to its caller.
struct CreatorSummary {
  bool Socket = false; ///< a socket pair rather than a pipe.
  /// Where the read end (a socket pair: the first end) and the write end
  /// (the second) are on a success exit.
  SummarySlot Ends[2];
  uint16_t Flags = 0; ///< Cloexec / Nonblock on every success exit (the
                      ///< first pipe's ends; MorePipes have their own).
  /// The returned value on success and on failure (an interval; a
  /// returned end counts as [0, max]). Failure is absent when every exit
  /// succeeds (a void helper that aborts on failure).
  int64_t OkLo = INT64_MIN, OkHi = INT64_MAX;
  bool HasFailure = false;
  int64_t FailLo = INT64_MIN, FailHi = INT64_MAX;
  bool ReturnsEnd = false; ///< success returns one of the ends.
  /// The ends are members of a struct returned by value (ReturnedSub):
  /// on failure both those members hold a value in [FailLo, FailHi]
  /// (-1), which is how the caller tells the outcomes apart.
  bool InReturnedStruct = false;
  /// The returned struct's other integer members that every success exit
  /// sets to the same constant (`pp.err = 0`), by selector: set so at the
  /// call's success outcome, a caller's test of one tells failure apart.
  struct MemberValue {
    SelPath Sel;
    int64_t Value;
    bool operator==(const MemberValue &O) const {
      return Sel == O.Sel && Value == O.Value;
    }
  };
  llvm::SmallVector<MemberValue, 1> OkMembers;
  /// ReturnedSub slots are below the object the call returns a pointer to,
  /// an object the helper allocated (`struct chan *chan_new(void)`); on
  /// failure the call returns NULL instead.
  bool ReturnsObjectPointer = false;
  /// The struct is returned in a std::optional (followed as the struct in
  /// the same place), which holds a value on success and, when
  /// EmptyOnFailure, none on failure (`return std::nullopt;`): the
  /// caller's `if (!o)` tells the outcomes apart (engagedSel()).
  bool ReturnsOptional = false;
  bool EmptyOnFailure = false;
  /// The write end (Ends[1], then unused) is not the caller's to hold: the
  /// function made standard descriptor CopyFd a copy of it and closed it
  /// (`dup2(p[1], STDOUT_FILENO); close(p[1]);`, a capture of stdout),
  /// and gives the caller the read end. Until the caller restores that
  /// descriptor, it holds the pipe open. -1: no such copy.
  int WriteCopyFd = -1;
  /// The pipes it makes besides the first (`pipe(c->in); pipe(c->out);`),
  /// in the order it makes them, each in places of its caller's (never
  /// returned as a value, never a standard descriptor's copy): every
  /// success exit leaves them all open, every failure exit none.
  struct MorePipe {
    bool Socket = false;
    SummarySlot Ends[2];
    uint16_t Flags = 0; ///< as Flags, for this pipe's ends
    bool operator==(const MorePipe &O) const {
      return Socket == O.Socket && Ends[0] == O.Ends[0] && Ends[1] == O.Ends[1];
    }
  };
  llvm::SmallVector<MorePipe, 1> MorePipes;
  /// The caller's places among those that on success receive a new end
  /// whose previous descriptor it closed first (`pp.rd.reset(fds[0])`
  /// in `open_pipe(pp)`); the failure exits leave them alone.
  llvm::SmallVector<SummarySlot, 2> Replaces;
  /// Every end's slot, the first pipe's first.
  llvm::SmallVector<SummarySlot, 4> allSlots() const {
    llvm::SmallVector<SummarySlot, 4> Out{Ends[0], Ends[1]};
    for (const MorePipe &P : MorePipes)
      Out.append({P.Ends[0], P.Ends[1]});
    return Out;
  }
  unsigned pipeCount() const { return 1 + unsigned(MorePipes.size()); }
};

/// A function that starts one task (a thread, a child) and leaves it
/// running with its handle in a place of the caller's (`start_job(&job)`
/// calling `pthread_create(&j->tid, ...)`, `start_command(&cmd)` forking
/// into `cmd->pid`).
struct StartSummary {
  TaskKind Kind = TaskKind::PThread;
  SummarySlot Handle;
  /// The caller's places whose descriptors the task holds, makes its
  /// standard output or error, or its standard input.
  llvm::SmallVector<SummarySlot, 2> Holds, Outputs, Inputs;
  uint64_t MaxBytes = 0;
  bool Spawned = false, StopAware = false;
  const FunctionDecl *Runs = nullptr;
  const Stmt *Body = nullptr;
  /// Some exits start nothing: the result tells them apart.
  bool HasFailure = false;
  int64_t OkLo = INT64_MIN, OkHi = INT64_MAX;
  int64_t FailLo = INT64_MIN, FailHi = INT64_MAX;
  /// The pipes the helper makes for the task (StartPipes.cpp): the child's
  /// output or input, or the thread's pipe. Pipes[k] has the caller's ends
  /// 2k (read, or a socket pair's first) and 2k+1.
  struct NewPipe {
    bool Socket = false;
    /// Per end: the task holds it, makes it its standard output, input,
    /// reads it to end-of-file (a reader thread given the read end).
    bool Held[2] = {false, false}, Output[2] = {false, false},
         Input[2] = {false, false}, ReadsToEof[2] = {false, false};
    /// The helper's own spelling of each end ("from[1]"), for the caller's
    /// notes when the caller keeps the end nowhere it can name.
    std::string Name[2];
  };
  llvm::SmallVector<NewPipe, 2> Pipes;
  /// What the caller may find after the call when Pipes is not empty: one
  /// outcome per kind of exit (started or not, where each new end is).
  struct Outcome {
    bool Started = false;
    /// Per new end (2k, 2k+1): its status at the exit (Open, Closed,
    /// NotCreated, or HandedOff: given to the task it started, which holds
    /// it), where an open or given one is (a given one kept nowhere the
    /// caller reaches: a Value slot), and its flags.
    llvm::SmallVector<uint8_t, 4> Status;
    llvm::SmallVector<SummarySlot, 4> Where;
    llvm::SmallVector<uint16_t, 4> Flags;
    /// The result (an interval), when it is an integer or a returned end.
    bool HasResult = false;
    int64_t RetLo = INT64_MAX, RetHi = INT64_MIN;
    /// The call returns a pointer to the object it allocated, whose
    /// members the ReturnedSub slots name (StartSummary::ReturnsObjectPointer).
    bool ReturnsObject = false;
    /// The std::optional it returns is empty (`return std::nullopt;`):
    /// StartSummary::ReturnsOptional.
    bool Empty = false;
    /// A child's pid in the handle's place (-1 when the fork failed).
    bool HasHandleValue = false;
    int64_t HandleLo = INT64_MAX, HandleHi = INT64_MIN;
  };
  llvm::SmallVector<Outcome, 2> Outcomes;
  /// The struct it returns by value holds the handle or an end.
  bool InReturnedStruct = false;
  /// ... or rather the object it allocated and returns a pointer to
  /// (`struct inflater *inflater_open(...)`); an outcome that returns NULL
  /// has no object.
  bool ReturnsObjectPointer = false;
  /// ... in a std::optional, engaged on the outcomes not Empty.
  bool ReturnsOptional = false;
  /// The function-pointer parameters bound when it was computed: what a
  /// call through one in Body runs (`body(p[1])` in the child).
  CallbackBindings Callbacks;
};

struct FunctionSummary {
  std::optional<CreatorSummary> Creator;
  /// The bindings of function-pointer parameters it was computed for.
  CallbackBindings Bound;
  std::optional<StartSummary> Starts;
  /// The places closed on every exit.
  llvm::SmallVector<SummarySlot, 2> Closes;
  bool closes(const SummarySlot &S) const {
    for (const SummarySlot &C : Closes)
      if (C == S)
        return true;
    return false;
  }
  /// The caller's places the function leaves as they were: on every exit
  /// each still holds the descriptor it held, open, and none of them was
  /// given away. An argument (or the object of a member call, or a
  /// variable a lambda captures by reference) whose places are all kept
  /// stays the caller's. With what the function did to them (WrittenTo,
  /// ReadFrom on some exit; Drained on every exit).
  struct Kept {
    SummarySlot Slot;
    uint16_t Flags = 0;
  };
  llvm::SmallVector<Kept, 2> Keeps;
  /// It uses (reads, writes) an end it reaches in a place of its caller's
  /// (`send_msg(c, ...)` writing `c->fd`) and leaves it there.
  bool usesCallersPlaces() const {
    return llvm::any_of(Keeps, [](const Kept &K) {
      return K.Slot.K != SummarySlot::Value && K.Flags;
    });
  }
  /// The caller's places that hold, on every exit, the descriptor an
  /// integer argument passed by value (`fd_ = fd;` in `rd.reset(fds[0])`,
  /// `c->fd = fd;` in `conn_set(c, fd)`), still open: at the call, the
  /// place holds that argument; the argument itself stays the caller's
  /// (KeptParams).
  struct Stored {
    SummarySlot Place;
    unsigned Param = 0;
  };
  llvm::SmallVector<Stored, 1> Stores;
  /// The caller's places that hold, open, on every exit, the end another
  /// of the caller's places held at entry, which no longer holds it
  /// (`fd_ = o.release();` in a move assignment, `dst->fd = src->fd;
  /// src->fd = -1;`): at the call, the end moves from From to To.
  struct Moved {
    SummarySlot To, From;
  };
  llvm::SmallVector<Moved, 1> Moves;
  /// The caller's places whose end the function leaves open, and in no
  /// place at all, on every exit where it had one (`x->fd = fd;` over what
  /// `x->fd` held, a move assignment that takes the other object's
  /// descriptor without closing its own): at the call the end stays open
  /// in the caller, but not there; nothing is given away.
  llvm::SmallVector<SummarySlot, 1> Drops;
  bool movesOrDrops(const SummarySlot &Sl) const {
    return llvm::is_contained(Drops, Sl) ||
           llvm::any_of(Moves, [&](const Moved &M) { return M.From == Sl; });
  }
  /// The caller's places whose descriptor the function closes at its end
  /// (falling off it, or the `return` that is its last statement) but
  /// leaves open, where it was, at some earlier exit (`if (bad) return
  /// NULL;` before `close(ex->wfd);`): it took the descriptor over and
  /// forgets it on those paths. A thread's start routine of this kind
  /// leaks the end its starter gave it (engine/RoutineEnds.cpp).
  struct OpenExit {
    SourceLocation Loc;
    /// The branch that path took last (BranchStep's fields).
    const Stmt *Condition = nullptr, *Case = nullptr;
    bool Taken = false;
    std::string Name; ///< what the function calls the descriptor there
  };
  struct PartClose {
    SummarySlot Slot;
    llvm::SmallVector<OpenExit, 1> Exits;
  };
  llvm::SmallVector<PartClose, 1> PartlyCloses;
  const PartClose *partlyCloses(const SummarySlot &S) const {
    for (const PartClose &P : PartlyCloses)
      if (P.Slot == S)
        return &P;
    return nullptr;
  }
  /// Arguments (ThisParam: the object) none of whose places the function
  /// changes or gives away, and the captured variables likewise.
  llvm::SmallVector<unsigned, 2> KeptParams;
  llvm::SmallVector<const ValueDecl *, 1> KeptCaptures;
  /// Pointer or reference arguments (ThisParam: the object) whose record
  /// the function neither gives away nor reaches beyond the members the
  /// summary follows, but some of whose places it does not keep (it
  /// closes the end there, or gives it to the thread it starts:
  /// `pthread_create(&s->t, 0, run, s)` with `run` closing `s->wr`): at
  /// the call, only the ends in LostPlaces leave the caller; the record
  /// and its other places stay the caller's.
  llvm::SmallVector<unsigned, 1> PartlyKeptParams;
  llvm::SmallVector<SummarySlot, 2> LostPlaces;
  bool partlyKeepsParam(unsigned P) const {
    return llvm::is_contained(PartlyKeptParams, P);
  }
  /// The caller's places holding a task handle that the function joins or
  /// waits for on every exit (`pthread_join(job->tid, 0)`,
  /// `waitpid(cmd->pid, &st, 0)`, `p->t.join()`, `waitpid(pid, ...)` of a
  /// parameter): at the call, the caller's task kept there is joined.
  llvm::SmallVector<SummarySlot, 1> Joins;
  /// Every one of those joins is a pthread_join() that throws away what
  /// the thread returns (a null second argument), itself or through a
  /// helper of its own that does (`job_wait(j)` doing
  /// `pthread_join(j->tid, NULL)`).
  bool JoinsDiscardResult = false;
  /// The caller's places already closed at every one of those joins
  /// (`close(st->rd); pthread_join(st->tid, 0);`): at the call, the join
  /// sees them closed.
  llvm::SmallVector<SummarySlot, 1> ClosedBeforeJoins;
  /// The caller's places read to end-of-file on every exit (kept or then
  /// closed: `while (read(r->out[0], ...) > 0) ...; close(r->out[0]);`):
  /// at the call, a read of them to the end.
  llvm::SmallVector<SummarySlot, 1> Drains;
  /// The caller's places it reads from on some exit, but not to the end on
  /// every one (`read_header(fd)`, or an fdopen() stream it freads and
  /// fcloses): at the call, a read of some of them, which tells the checks
  /// the caller does consume that pipe there (a wait before it is a wait
  /// before the drain, not a reader that gave up).
  llvm::SmallVector<SummarySlot, 1> Reads;
  /// What it writes to one of the caller's places before it reads another
  /// (`flush(&spool)` writing every record to `spool->wr`, then reading
  /// them back from `spool->rd`): the most written there at any such read
  /// that may wait (UINT32_MAX: an amount it cannot bound), and where the
  /// write bringing it there and that read are. A caller that passes the
  /// two ends of one pipe sees its read come after that much written
  /// (pipe-self-deadlock: the write blocks once the pipe is full).
  struct WriteBeforeRead {
    SummarySlot Written, Read;
    uint32_t Bytes = 0;
    SourceLocation WriteLoc, ReadLoc;
  };
  llvm::SmallVector<WriteBeforeRead, 1> WritesBeforeReads;
  /// Its first read comes, in its text, before anything that may close or
  /// redirect a descriptor number (`while (read(c->rd, ...) > 0) ...;
  /// dup2(c->saved, 1);`): the caller's dup2() copies of a write end are
  /// still in place while it drains (FdCopies.cpp).
  bool DrainsBeforeRedirect = false;
  /// Those already read to the end at every join of a caller's task
  /// (`drain(fd); waitpid(pid, ...)`): the join sees them drained.
  llvm::SmallVector<SummarySlot, 1> DrainedBeforeJoins;
  /// The caller's places it reads to end-of-file after it joined a
  /// caller's task, on some path (`job_finish(job); buf_slurp(out,
  /// job->rd);`): where it joins (the first join in the source) and
  /// where it reads, the join's callee and what it calls the read end
  /// (summaries/JoinOrder.cpp).
  struct DrainAfterJoin {
    SummarySlot Read;
    SourceLocation JoinLoc, ReadLoc;
    std::string JoinCallee, ReadName;
  };
  llvm::SmallVector<DrainAfterJoin, 1> DrainsAfterJoins;
  /// The caller's places it closes on every exit but still holds open at
  /// its first join of a caller's task (`stop_worker(); close_input();`):
  /// where it joins and where it first closes the place after that, the
  /// join's callee and what it calls the place (summaries/JoinOrder.cpp).
  /// A caller whose task reads that descriptor's pipe to end-of-file sees
  /// the helper's join never return.
  struct CloseAfterJoin {
    SummarySlot Closed;
    SourceLocation JoinLoc, CloseLoc;
    /// The join's callee, what the helper calls the place, and the helper
    /// whose body joins and closes (this one, or one it calls).
    std::string JoinCallee, CloseName, InFunction;
  };
  llvm::SmallVector<CloseAfterJoin, 1> ClosesAfterJoins;
  /// Those read from, if not to the end, at every such join (a loop that
  /// stops when its buffer is full): the join sees them read.
  llvm::SmallVector<SummarySlot, 1> ReadBeforeJoins;
  bool keepsParam(unsigned P) const {
    return llvm::is_contained(KeptParams, P);
  }
  bool keepsCapture(const ValueDecl *V) const {
    return llvm::is_contained(KeptCaptures, V);
  }
  /// Nothing a caller needs (SummaryCache.cpp keeps no such summary). A
  /// helper that only reads a place of its caller's (to its end: Drains;
  /// some of it: Reads) says so, also when it does not close it on every
  /// exit.
  bool empty() const {
    return !Creator && Closes.empty() && KeptParams.empty() &&
           KeptCaptures.empty() && Joins.empty() && !Starts && Drains.empty() &&
           Reads.empty() && Moves.empty() && Drops.empty() &&
           PartlyCloses.empty() && WritesBeforeReads.empty();
  }
};

class FunctionSummaries {
public:
  /// How deeply summaries nest while they are computed (the caller's own
  /// analysis is depth 0). Each function is summarised once and then used
  /// at any depth: the bound only keeps the C++ stack safe.
  static constexpr unsigned MaxDepth = 24;

  FunctionSummaries(ASTContext &Ctx, const ApiModel &Model, unsigned Budget,
                    CalleeSummaries &Callees)
      : Ctx(Ctx), Model(Model), Budget(Budget), Callees(Callees) {}

  /// The summary of \p FD, or null when it has none worth applying (no
  /// body here, recursion, depth, budget, or it makes or closes nothing
  /// its caller sees).
  const FunctionSummary *get(const FunctionDecl *FD);
  /// The summary of \p FD for a call that binds its function-pointer
  /// parameters as \p Bound says (Callbacks.h: callbacksOf()): computed
  /// with calls through them read as calls of the bound functions, and
  /// kept apart from the summary without bindings (at most four variants
  /// per function; beyond, the summary without bindings).
  const FunctionSummary *get(const FunctionDecl *FD,
                             llvm::ArrayRef<CallbackBinding> Bound);

  /// get() for a thread's start routine given a pointer (RoutineArgs.cpp):
  /// computed even when it makes and closes nothing (mayMatter() false),
  /// so that its Keeps say which places it uses and leaves open. Kept
  /// apart from get()'s answers, which stay as they were
  /// (RoutineSummaries.cpp).
  const FunctionSummary *getRoutine(const FunctionDecl *FD);

  /// True when \p Body calls a function whose body (or whose callees'
  /// bodies) makes or closes a descriptor: worth analysing even though it
  /// names no pipe function itself.
  bool callsPipeHelper(const Stmt *Body);
  /// True when \p Def (a definition) or a function it reaches makes or
  /// closes a descriptor, forks, spawns, or starts or waits for a task:
  /// when false, a call of it leaves its caller's descriptors alone.
  bool mayMatter(const FunctionDecl *Def);
  /// True when \p Def's body stores an integer parameter in a place its
  /// caller reaches (`w->wr = fd;`, `*out = fd;`, `fd_ = fd;`), or any
  /// integer but a constant in a member or pointee (`fd_ = o.release();`,
  /// `dst->fd = src->fd;`): though it may not matter, its summary may say
  /// where the argument goes (FunctionSummary::Stores), or what moves
  /// between its caller's places or is dropped (Moves, Drops).
  /// The same of a function it calls, up to three calls down.
  static bool storesIntoCallersPlace(const FunctionDecl *Def,
                                     unsigned Depth = 0);

  /// What a function may do through the functions it calls (reaches()).
  enum class Reach {
    /// Makes or closes a descriptor, forks, spawns, starts or waits for a
    /// task: its summary may say something.
    MakesOrCloses,
    /// Makes a pipe or a socket pair (pipe(), socketpair(), a Boost pipe):
    /// its summary may give its caller new ends (Creator, Starts->Pipes).
    MakesPipes,
    /// MakesOrCloses, or reads or writes a descriptor: its summary may say
    /// that it reads its caller's end to end-of-file
    /// (FunctionSummary::Drains), or that it only uses the ends it reaches
    /// in its caller's struct and leaves them there (Keeps). Asked only at
    /// a call in a function already analysed, never to decide whether a
    /// function is worth analysing.
    MakesClosesOrUses,
  };
  /// True when \p Def, or a function of this translation unit it calls
  /// (any depth), makes a pipe or socket pair. When false, no summary of a
  /// call of it can make ends for the caller, so the engine need not
  /// compute one to find a function's ends (Discovery.cpp).
  bool mayMakePipes(const FunctionDecl *Def);
  /// True when the call \p CE may make a pipe: pipe(), socketpair(), a
  /// helper of the file for which mayMakePipes(), or a helper given a
  /// function of the file for a function-pointer parameter (callbacksOf())
  /// for which it is.
  bool callMayMakePipes(const CallExpr *CE);

  /// The class model of the translation unit (ClassModel.h).
  ClassModel &classes();
  /// True when \p D is a method that finds pipes of its class open in the
  /// members at entry (ClassModel::heldPipes()): worth analysing even
  /// though it names no pipe function that makes or closes one.
  bool holdsClassPipes(const Decl *D);

  /// The definition a call of \p FD runs, if a summary can describe it: a
  /// free function, a static or non-virtual member function or a lambda's
  /// call operator with its body in this translation unit, not a template
  /// pattern and not in a system header.
  static const FunctionDecl *summarisable(const FunctionDecl *FD);

  /// While a summary is computed: whether a summary it asked for so far
  /// was cut short (recursion or the depth bound), so that it will have
  /// none either.
  bool cutShort() const { return Cut; }

  ASTContext &context() const { return Ctx; }
  const ApiModel &model() const { return Model; }
  unsigned budget() const { return Budget; }
  CalleeSummaries &callees() const { return Callees; }

private:
  bool reaches(const FunctionDecl *Def, Reach What);
  std::optional<FunctionSummary>
  compute(const FunctionDecl *Def, llvm::ArrayRef<CallbackBinding> Bound = {});

  ASTContext &Ctx;
  const ApiModel &Model;
  unsigned Budget;
  CalleeSummaries &Callees;
  struct Entry {
    std::unique_ptr<FunctionSummary> Summary; ///< null: none
    /// The longest chain of summaries computing it read, itself included:
    /// a use at depth d is complete only if d + Height <= MaxDepth.
    unsigned Height = 0;
    /// On a cycle of calls that reaches a pipe function, or reads one: no
    /// summary, and none for whatever reads it (SummaryCache.cpp).
    bool Recursive = false;
  };
  llvm::DenseMap<const FunctionDecl *, Entry> Cache;
  /// getRoutine()'s summaries of functions that do not matter to get().
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionSummary>>
      RoutineCache;
  /// The summaries computed for bindings of function-pointer parameters.
  llvm::DenseMap<const FunctionDecl *,
                 std::vector<std::pair<CallbackBindings, Entry>>>
      Specialised;
  llvm::DenseSet<const FunctionDecl *> InProgress;
  /// A question that was cut short (no summary), remembered so that it is
  /// not computed again where it would be cut again: with Levels levels
  /// left below it (MaxDepth minus the depth it was asked at), and the
  /// summaries in progress above it that it met (recursion through a
  /// caller). Asked again with at most Levels left while every one of Hits
  /// is still in progress, it meets the same bound or the same recursion,
  /// so the answer is the same: none.
  struct CutAnswer {
    unsigned Levels = 0;
    bool DepthCut = false;
    llvm::SmallVector<const FunctionDecl *, 2> Hits;
  };
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CutAnswer, 1>> Cuts;
  /// The summaries in progress, outermost first, each with the summaries
  /// in progress above it that its computation met so far.
  struct Frame {
    const FunctionDecl *Def;
    llvm::SmallVector<const FunctionDecl *, 2> Hits;
  };
  llvm::SmallVector<Frame, 8> Stack;
  /// The functions cut by a cycle of calls that is not closed yet (it runs
  /// through a summary still in progress): SummaryCache.cpp.
  llvm::SmallVector<const FunctionDecl *, 8> OpenCycle;
  /// One summary computed below the current one (computeNested()).
  struct Nested {
    std::optional<FunctionSummary> Sum;
    /// Cut short by recursion (Cut) or by the nesting bound (DepthCut).
    bool Cut = false, DepthCut = false;
    /// The longest chain of summaries it read, itself included.
    unsigned Height = 0;
    /// The levels that were left below it when it was asked.
    unsigned Levels = 0;
    /// The summaries in progress above it that it met.
    llvm::SmallVector<const FunctionDecl *, 2> Hits;
    /// OpenCycle's size when it started.
    size_t CycleStart = 0;
  };
  /// Computes \p Def's summary one level down, with the bookkeeping of
  /// depth, recursion and cuts around compute().
  Nested computeNested(const FunctionDecl *Def,
                       llvm::ArrayRef<CallbackBinding> Bound);
  /// After a cut computation: true when every cycle it met closed at it
  /// (it and the functions cut on the way are then kept as recursive when
  /// \p KeepCycle, and its caller reads it as an unknown call); false when
  /// the caller is cut in turn.
  bool settleCut(const Nested &N, bool KeepCycle);
  void remember(const FunctionDecl *Def, const Nested &N);
  /// A kept summary read here: none for a recursive one, cut where
  /// computing it afresh would have gone too deep.
  const FunctionSummary *useKept(const Entry &E);
  /// True (and the current summary is cut) when \p Def cannot be computed
  /// here: it is in progress above (recursion) or the nesting is full.
  bool cannotNest(const FunctionDecl *Def);
  /// The entry that keeps a complete computation.
  Entry keep(Nested &N);
  /// Notes that the summary being computed met \p Hits above it.
  void noteHits(llvm::ArrayRef<const FunctionDecl *> Hits);
  /// A remembered cut answer for \p Def asked here, if there is one.
  const CutAnswer *rememberedCut(const FunctionDecl *Def) const;
  /// PIPE_TIDY_SUMMARIES=1: one line per summary kept.
  void trace(const FunctionDecl *Def, const FunctionSummary *S,
             size_t Bound) const;
  /// mayMatter(): the answer for each function walked so far.
  llvm::DenseMap<const FunctionDecl *, bool> Matters;
  /// mayMakePipes(): the answer for each function walked so far.
  llvm::DenseMap<const FunctionDecl *, bool> MakesPipes;
  llvm::DenseMap<const FunctionDecl *, bool> MattersOrReads;
  unsigned Depth = 0;
  /// Set when a summary below the current one was refused for recursion
  /// (Cut) or depth (Cut and DepthCut): the current one is then incomplete
  /// and not cached, so that no answer depends on the order in which the
  /// functions are analysed.
  bool Cut = false, DepthCut = false;
  /// The highest summary read by the one being computed.
  unsigned ChildHeight = 0;
  std::shared_ptr<ClassModel> Classes;
};

/// True when \p Join, a call that joins a thread, throws away what the
/// thread returns: `pthread_join(t, NULL)`, or a call of a helper whose
/// summary says its joins do (FunctionSummary::JoinsDiscardResult).
/// (\p Functions may be null: then only a pthread_join() itself.)
bool joinDiscardsResult(const CallExpr *Join, const ApiModel &Model,
                        ASTContext &Ctx, FunctionSummaries *Functions);

/// The function summaries that go with \p Callees (one set per translation
/// unit and model configuration), made on first use.
FunctionSummaries &functionSummaries(CalleeSummaries &Callees,
                                     ASTContext &Ctx, unsigned Budget);

} // namespace clang::tidy::pipe

#endif
