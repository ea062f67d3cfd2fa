//===--- ClassModel.h - pipes a class holds in its data members ------------===//
//
// A C++ class often owns a pipe: its constructor (or an open()/start()
// method) makes it into data members, its methods read and write it, and
// its destructor (or a close()/stop() method) closes it. Each method alone
// cannot tell what its members hold at entry; the class as a unit can.
//
// The class model reads the summary-mode analysis of each of the class's
// constructors, methods and its destructor (FunctionAnalysis::
// runForSummary(), with `*this` a place of its own) and records, per member
// place (`fds_[1]`, `wr_`):
//
//  - which constructors or methods leave a pipe they made open there (and
//    where they made it);
//  - which methods close what it held at their entry, on every path or on
//    some, and whether the destructor does on every path.
//
// From these it answers two questions, only for a class it can see whole
// ("sealed"): the members are private, no friend, every constructor,
// method and the destructor has its body in this translation unit, no
// method lets `this` leave (a thread, an unknown function, a lambda that
// captures it), and no method reaches another object's members. A pipe one
// of whose ends some method gives away (`int sink_fd() { return sink_[0]; }`)
// is left out; the class's other pipes are still its own. A call of a
// method that leaves the object alone (EngineShared.h, leavesObjectAlone())
// does not let `this` leave:
//
//  - leaksMadeBy(M): the write ends M leaves in a member that no method
//    and not the destructor ever closes: every object leaks them;
//  - heldPipes(M): the pipes that M finds open in the members at entry
//    because the class makes them and only its destructor closes them, so
//    that a method reading them to end-of-file waits for itself.
//
// Anything the model cannot see gives no answer: the checks stay silent.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CLASSMODEL_H
#define PIPE_TIDY_CLASSMODEL_H

#include "engine/SelectorPaths.h"
#include "models/TaskModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <memory>
#include <string>

namespace clang {
class CXXMethodDecl;
class CXXRecordDecl;
class Expr;
class FieldDecl;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace clang::tidy::pipe {

class FunctionSummaries;

/// A pipe a class keeps in two of its members.
struct MemberPipe {
  /// The member places of the read and the write end (LocKey selectors
  /// below `*this`), and how the user spells them (`fds_[1]`).
  SelPath Sel[2] = {0, 0};
  std::string Name[2];
  /// The call that makes it, and the constructor or method it is in.
  const Expr *Origin = nullptr;
  const FunctionDecl *MadeBy = nullptr;
  /// What the maker set on each end and a method finds there at entry
  /// (Cloexec, Nonblock, CapacitySet: EndFlagBits), on some of its exits.
  uint16_t Flags[2] = {0, 0};
  /// The destructor closes the write end, on some path at least
  /// (heldPipes(): else nothing in the class closes it).
  bool WriteClosedByDestructor = false;
  /// The maker itself closes the write end on some exit that leaves the
  /// read end in a member (`start()` closing the parent's copy after
  /// fork()): what a later method finds there depends on the maker's path,
  /// so the class neither leaks it on every object nor holds it for sure.
  bool WriteClosedByMaker = false;
};

/// A thread (or future) a class keeps in a data member from construction
/// to destruction, writing a pipe the class keeps in two other members
/// (ClassTasks.cpp).
struct MemberTask {
  const FieldDecl *Field = nullptr;
  SelPath Sel = 0; ///< the member's place below `*this`.
  TaskKind Kind = TaskKind::StdThread;
  /// The start in the constructor, what it runs, how much it may write.
  const Expr *Origin = nullptr;
  const FunctionDecl *Runs = nullptr;
  const Stmt *Body = nullptr;
  uint64_t MaxBytes = 0;
  bool StopAware = false;
  /// The member pipe whose write end it writes.
  MemberPipe Pipe;
};

class ClassModel {
public:
  explicit ClassModel(FunctionSummaries &Functions);
  ~ClassModel();

  /// The pipes \p M leaves in members of its class whose write end no
  /// method and not the destructor ever closes.
  llvm::SmallVector<MemberPipe, 1> leaksMadeBy(const FunctionDecl *M);
  /// The other pipes of the class of \p M (made by other methods, or
  /// elsewhere in M) that leak into the same write-end member as \p P:
  /// one defect, one fix (close it in the destructor).
  llvm::SmallVector<MemberPipe, 1> sameLeakElsewhere(const MemberPipe &P,
                                                     const FunctionDecl *M);
  /// The pipes open in the members at the entry of method \p M (not a
  /// constructor or the destructor) that only the destructor closes.
  llvm::SmallVector<MemberPipe, 1> heldPipes(const FunctionDecl *M);
  /// The destructor \p D of a class whose every constructor starts a
  /// thread into a member that only the destructor joins, the thread
  /// writing a member pipe whose read end only the destructor closes:
  /// those threads, running when \p D starts (ClassTasks.cpp).
  llvm::SmallVector<MemberTask, 1> heldTasks(const FunctionDecl *D);
  /// The class's destructor, if it declares one.
  const FunctionDecl *destructorOf(const FunctionDecl *M);
  /// The one method of class \p RD, not its destructor, that closes what
  /// its member place \p Sel holds (`void seal() { close(fds_[1]); ... }`),
  /// taking no arguments: what a user of the object calls to close it.
  const CXXMethodDecl *closerOf(const CXXRecordDecl *RD, SelPath Sel);
  /// Whether the destructor of class \p RD (one the model sees whole)
  /// closes what its member place \p Sel holds on every path: an object
  /// of RD owns the descriptor there, however it got it (a constructor,
  /// `reset(fd)`, a move assignment).
  bool destructorCloses(const CXXRecordDecl *RD, SelPath Sel);

private:
  struct Facts;
  struct MemberClosing;
  const Facts *factsOf(const CXXRecordDecl *RD);
  /// How what member place \p Sel of class \p RD, one the model sees
  /// whole, holds is closed; null when the model says nothing of it.
  const MemberClosing *closingOf(const CXXRecordDecl *RD, SelPath Sel);
  std::unique_ptr<Facts> compute(const CXXRecordDecl *RD);

  FunctionSummaries &Functions;
  llvm::DenseMap<const CXXRecordDecl *, std::unique_ptr<Facts>> Cache;
  llvm::DenseMap<const CXXRecordDecl *,
                 std::unique_ptr<llvm::SmallVector<MemberTask, 1>>>
      TaskCache;
  llvm::SmallVector<MemberTask, 1> computeTasks(const CXXRecordDecl *RD);
};

} // namespace clang::tidy::pipe

#endif
