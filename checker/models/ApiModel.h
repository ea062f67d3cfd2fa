//===--- ApiModel.h - what each library call does to a pipe end ----------===//
//
// The one table every pipe check consults: which calls create pipes, read,
// write, close, duplicate, change flags, fork, exec, spawn or never return.
// Users extend it from .clang-tidy CheckOptions (see docs/options.md).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_APIMODEL_H
#define PIPE_TIDY_APIMODEL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class FunctionDecl;
class Preprocessor;
} // namespace clang

namespace clang::tidy::pipe {

/// What a call does, as far as pipe ends are concerned.
enum class ApiRole {
  CreatePipe,      ///< pipe(fds), pipe2(fds, flags): fills an int[2].
  CreateSocketPair,///< socketpair(d, type, p, sv): fills an int[2].
  Read,            ///< blocking read of a descriptor or stream.
  Write,           ///< write to a descriptor or stream.
  Close,           ///< closes a descriptor or stream.
  CloseRange,      ///< close_range(lo, hi, f), closefrom(lo): closes many.
  Dup,             ///< dup(fd): returns a new descriptor for the same end.
  Dup2,            ///< dup2(fd, target), dup3(fd, target, flags).
  Fcntl,           ///< fcntl(fd, cmd, ...): flags, or F_DUPFD*.
  Fdopen,          ///< fdopen(fd, mode): a stream that owns the descriptor.
  Fileno,          ///< fileno(stream): the stream's descriptor, borrowed.
  Fork,            ///< fork(), vfork(): 0 in the child, >0 in the parent.
  Exec,            ///< exec*: replaces the process image (returns on error).
  Spawn,           ///< posix_spawn(pid, path, file_actions, ...).
  Shell,           ///< system(cmd), popen(cmd, mode): starts a shell child.
  FileActionClose, ///< posix_spawn_file_actions_addclose(fa, fd).
  FileActionDup2,  ///< posix_spawn_file_actions_adddup2(fa, fd, target).
  NoReturn,        ///< never returns: exit, _exit, abort, fatal helpers.
  Borrow,          ///< uses a descriptor without keeping it (fstat, ioctl…).
  Poll,            ///< waits for readiness: poll, select, epoll_wait.
  Copy,            ///< moves data between descriptors in the kernel: Arg is
                   ///< the source, Arg2 the destination (splice, tee,
                   ///< sendfile, copy_file_range).
  Wait,            ///< a waitpid() wrapper: waits for the child whose pid is
                   ///< argument Arg (WaitFunctions, or recognised).
  ThreadStart,     ///< a pthread_create() wrapper: runs function argument
                   ///< Arg with argument Arg2 in a new thread; the handle
                   ///< goes through argument Out, or is returned
                   ///< (ThreadStartFunctions, or recognised).
};

/// One modelled function.
struct ApiFunction {
  ApiRole Role;
  /// The argument that is the descriptor, the stream, or the int[2] array.
  int Arg = 0;
  /// A second argument of interest: the flags of pipe2/socketpair/dup3, the
  /// target of dup2, the command of fcntl, the file actions of posix_spawn,
  /// the byte count of a write.
  int Arg2 = -1;
  /// Arg is a FILE * rather than an int descriptor.
  bool Stream = false;
  /// Spawn: the argument the pid is stored through (posix_spawn: 0), or -1
  /// when the call returns the pid. ThreadStart: the argument the handle is
  /// stored through (a pthread_t *), or -1 (returned, or none).
  int Out = -1;
  /// A program's own fork, spawn, wait or thread-start function (from an
  /// option, or recognised from its body): descriptors passed to it that
  /// its role does not account for are handed off, as to any function.
  bool Wrapper = false;
};

/// How a thread-start function says it failed, from its return type:
/// an int like pthread_create() (0, or an error number), a bool (true on
/// success), or nothing (void, or the handle itself: it dies on failure).
enum class StartResult : uint8_t { ErrorNumber, TrueOnSuccess, NoFailure };
StartResult startResultOf(const FunctionDecl *FD);

/// Numeric values of the flags we test, read from the translation unit's own
/// macros where it defines them, with Linux's values otherwise.
struct PlatformConstants {
  int64_t OCloexec = 02000000;
  int64_t ONonblock = 04000;
  int64_t SockCloexec = 02000000;
  int64_t SockNonblock = 04000;
  int64_t FdCloexec = 1;
  int64_t FDupfd = 0;
  int64_t FGetfd = 1;
  int64_t FSetfd = 2;
  int64_t FGetfl = 3;
  int64_t FSetfl = 4;
  int64_t FDupfdCloexec = 1030;
  int64_t FSetpipeSz = 1031;
  int64_t MsgDontwait = 0x40;
  int64_t SigChld = 17;

  /// Overrides the defaults with the values of the macros that \p PP defines.
  void readFrom(const Preprocessor &PP);
};

/// A user-visible option that extends the model: its name, the role its
/// entries get, the argument used when an entry names none, and what a
/// value must be (the "expected ..." of the error a bad value gets).
struct ModelOption {
  llvm::StringRef Name;
  ApiRole Role;
  int DefaultArg;
  llvm::StringRef Help;
};

/// The options every pipe check understands (shared keys; a check-local key
/// overrides the global one, as with any clang-tidy option).
llvm::ArrayRef<ModelOption> modelOptions();

class CallerFacts;

class ApiModel {
public:
  /// The built-in POSIX/C library model.
  ApiModel();

  /// Adds the entries of one option value ("name[:argIndex];name2;..."). On a
  /// malformed entry returns what is wrong with it ("entry 'x' is not a
  /// function name"); nothing is added.
  std::string addEntries(const ModelOption &Opt, llvm::StringRef Value);

  /// The model of \p FD, or null for a function we know nothing about. A
  /// function in neither the table nor the options whose body is in the
  /// translation unit and is a thin fork, spawn, wait or thread-start
  /// wrapper (see ProcessWrappers.h) is modelled as if listed.
  const ApiFunction *lookup(const FunctionDecl *FD) const;

  /// The project's facts (summaries/CallerFacts.h), whose `model` lines
  /// say what the bodies in the project's other files are: a function
  /// without a body here that one of them recognised as a fork, spawn,
  /// wait or thread-start wrapper, or as a function that never returns, is
  /// modelled so. Null: none.
  void setProjectFacts(const CallerFacts *F) {
    ProjectFacts = F;
    ProjectEntries.clear();
  }
  /// The fields of a `model` line for \p F ("spawn\t-1\t-1\t2\t0"), and
  /// back (false: not a role a `model` line holds).
  static std::string projectRole(const ApiFunction &F);
  static bool parseProjectRole(llvm::StringRef Text, ApiFunction &Out);

  /// Forgets the wrappers recognised so far: they belong to the previous
  /// translation unit.
  void resetRecognised() const {
    ProjectEntries.clear();
    Recognised.clear();
    RecognisePending = 0;
    RecogniseCut = false;
    RecogniseHeight = 0;
  }

  /// The function a call calls, also through `(*fn)(...)` and comma
  /// expressions such as gawk's `(*(set_loc(...), r_fatal))(...)`.
  static const FunctionDecl *calleeOf(const CallExpr *CE);
  /// The descriptor \p CE opens a stream on, when it is an fdopen()-like
  /// call (ApiRole::Fdopen): `fds[1]` of `fdopen(fds[1], "w")`; else null.
  const Expr *fdopenDescriptor(const CallExpr *CE) const;

  PlatformConstants Constants;

private:
  void add(llvm::StringRef Name, ApiFunction F);
  /// Unqualified C names: only functions at global scope (or extern "C")
  /// match, so a member called close() is not ::close().
  llvm::StringMap<ApiFunction> CFunctions;
  /// Qualified user names ("ns::make_pipe").
  llvm::StringMap<ApiFunction> QualifiedFunctions;
  /// Functions of this translation unit whose bodies were looked at: the
  /// wrapper role recognised, or none. Nested recognitions (a wrapper of a
  /// wrapper) count in RecognisePending.
  struct RecognisedEntry {
    bool Done = false;
    bool InProgress = false;
    /// Not Done: the recognition stopped at the depth bound when it had
    /// this many levels left. With as many or fewer left it stops again, so
    /// it is not repeated (each function is read at most once per level,
    /// not once per path through the call graph).
    unsigned CutWithLevels = 0;
    /// The longest chain of recognitions it read, itself included: a use
    /// while d others are pending is complete only if d + Height <=
    /// MaxWrapperDepth.
    unsigned Height = 1;
    std::unique_ptr<ApiFunction> F; ///< null: not a wrapper
  };
  mutable llvm::DenseMap<const FunctionDecl *, RecognisedEntry> Recognised;
  mutable unsigned RecognisePending = 0;
  /// A recognition below the one in progress stopped at the depth bound:
  /// what is found is not kept, so that the answer does not depend on the
  /// order in which the functions are asked about.
  mutable bool RecogniseCut = false;
  /// The highest entry read by the recognition in progress.
  mutable unsigned RecogniseHeight = 0;
  const ApiFunction *recognise(const FunctionDecl *FD) const;
  /// The role the project's facts give \p FD, which has no body here.
  const ApiFunction *projectEntry(const FunctionDecl *FD) const;
  const CallerFacts *ProjectFacts = nullptr;
  mutable llvm::DenseMap<const FunctionDecl *, std::unique_ptr<ApiFunction>>
      ProjectEntries;
};

} // namespace clang::tidy::pipe

#endif
