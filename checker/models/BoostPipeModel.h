//===--- BoostPipeModel.h - Boost.Asio and Boost.Process pipe objects ----===//
//
// The C++ objects that own pipe ends: Boost.Asio's readable_pipe and
// writable_pipe (joined by connect_pipe), Boost.Process v1's pipe, ipstream,
// opstream, pstream and async_pipe. The descriptor model (ApiModel) covers
// calls that take descriptors; this one says what a call or construction
// does to such an object, so that the flow engine can track the ends the
// object holds.
//
// Where an object keeps its ends: an Asio pipe holds one end, in its own
// variable; a Boost.Process pipe or stream holds both, the read end in its
// variable and the write end in a sub-location (BoostWriteSideSel). The
// object's destructor closes them: these ends are never reported as left
// open.
//
//===----------------------------------------------------------------------===//

#ifndef PIPE_TIDY_BOOSTPIPEMODEL_H
#define PIPE_TIDY_BOOSTPIPEMODEL_H

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include <optional>

namespace clang::tidy::pipe {

/// The sub-location selector (a field number no real record reaches) of the
/// write end of a Boost.Process pipe or stream.
constexpr unsigned BoostWriteSideField = 0x7ff1;

/// Which of an object's ends an operation concerns.
enum class PipeSide { Read, Write, Both };

/// What a call or a construction does to a Boost pipe object.
struct BoostPipeOp {
  enum Kind {
    Create,      ///< connect_pipe(r, w); a default-constructed bp::pipe...
    Read,        ///< a blocking read of the object's read end
    Write,       ///< a blocking write to the object's write end
    Close,       ///< closes Side of the object
    Ignore,      ///< a member that leaves the ends alone (flush, is_open...)
  } K = Ignore;
  /// The object (for Create by connect_pipe: the readable pipe).
  const Expr *Object = nullptr;
  /// connect_pipe's writable pipe; for a construction, null.
  const Expr *WriteObject = nullptr;
  PipeSide Side = PipeSide::Read;
  /// Write: the byte count, when the call names one.
  const Expr *Size = nullptr;
  /// Write: the byte count when the buffer is an array of known size
  /// (`asio::buffer(block)` with `char block[N]`).
  std::optional<uint64_t> ConstSize;
  /// Read: the call reads until end-of-file by itself (asio::read into a
  /// dynamic buffer).
  bool ToEof = false;
};

/// True for the Boost types above (the object, not a reference to it).
bool isBoostPipeObjectType(QualType T);
/// True for the Boost.Process types that hold both ends.
bool isTwoEndedBoostPipeType(QualType T);

/// A Boost.Process v2 stdio binding (`process_stdio{{}, out_w, {}}`) made
/// from an Asio pipe object that the library only dup2()s into the child:
/// that object, with the side of it the child gets. The parent keeps its
/// own copy open. (A binding made from the other kind of pipe makes a new
/// pipe instead: not this.)
struct SharedStdioEnd {
  const Expr *Object;
  PipeSide Side;
};
std::optional<SharedStdioEnd> sharedByStdioBinding(const CXXConstructExpr *CE);
/// True for any Boost.Process v2 stdio binding construction.
bool isBoostStdioBinding(const CXXConstructExpr *CE);

/// A Boost.Process v1 redirection of a child's standard stream into or out
/// of a pipe object (`bp::std_out > out`, `bp::std_err > err`,
/// `bp::std_in < in`): the object, and the descriptor it becomes in the
/// child (0, 1 or 2). The launch closes the parent's copy of the child's
/// side.
struct ProcessStdioRedirect {
  const Expr *Object;
  int Target;
};
std::optional<ProcessStdioRedirect> processStdioRedirect(const Expr *E);

/// A Boost.Process v1 child (`bp::child`), started by its constructor and
/// waited for by wait().
bool isBoostProcessChildType(QualType T);

/// What \p CE does to a Boost pipe object, if anything.
std::optional<BoostPipeOp> classifyBoostCall(const CallExpr *CE);
/// A default construction of a Boost.Process pipe or stream: it creates a
/// pipe whose both ends the object holds.
std::optional<BoostPipeOp> classifyBoostConstruction(const CXXConstructExpr *CE);

} // namespace clang::tidy::pipe

#endif // PIPE_TIDY_BOOSTPIPEMODEL_H
