//===--- ThrowModel.h - which calls may throw, and which handlers catch it ===//
//
// Exceptions are paths (docs/design.md, "Exceptions"). The engine needs to
// know, for each call or construction in a function, whether it may throw
// and what, and for each `catch` whether it catches that.
//
// A call may throw when the code it runs visibly does: its body (in this
// translation unit, outside system headers) holds a `throw` that no
// handler of that body catches for certain, or a call that may throw in
// turn (up to MaxDepth callees deep). A call is taken not to throw when
// its type says so (`noexcept`, `throw()`, `__attribute__((nothrow))`),
// when it is a C function or a library call the API model knows (POSIX
// I/O), a builtin, a virtual call that may reach an override, or a call
// whose body cannot be seen (another translation unit, the standard
// library: bad_alloc and std::out_of_range are not followed). The answer
// is computed once per function and translation unit; an answer cut short
// by the depth bound or by recursion is not kept, so that it does not
// depend on the order of the questions.
//
// What is thrown is a short list of static types: `throw e;` throws an
// object of e's static type, exactly; `throw;` in a handler rethrows the
// exception that handler caught (its type or one derived from it).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_THROWMODEL_H
#define PIPE_TIDY_THROWMODEL_H

#include "models/ApiModel.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>

namespace clang {
class ASTContext;
class CXXCatchStmt;
class CXXThrowExpr;
class Expr;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace clang::tidy::pipe {

/// The exceptions a piece of code may let out.
struct ThrownSet {
  struct Type {
    QualType T;
    /// The exception is of type T itself (`throw e;`), not of a type
    /// derived from it (`throw;` in `catch (Base &)`).
    bool Exact = true;
  };
  llvm::SmallVector<Type, 2> Types;
  /// Also an exception of a type we cannot name (`throw;` in `catch
  /// (...)`, or more types than we keep).
  bool AnyType = false;
  /// A `throw` that raises one of them, for the notes of a diagnostic.
  const CXXThrowExpr *Witness = nullptr;

  bool empty() const { return Types.empty() && !AnyType; }
  void add(QualType T, bool Exact);
  void addAll(const ThrownSet &Other);
};

/// Whether `catch` handler \p H catches an exception of type \p T.
enum class CatchMatch { No, Maybe, Yes };
CatchMatch catchMatch(const CXXCatchStmt *H, const ThrownSet::Type &T,
                      ASTContext &Ctx);
/// What `catch (...)`-unknown means: any handler may catch it, only a
/// catch-all surely does.
CatchMatch catchMatchAny(const CXXCatchStmt *H);

class ThrowSummaries {
public:
  explicit ThrowSummaries(const ApiModel &Model) : Model(Model) {}

  /// What the call, construction or `new` \p E may throw out of the code
  /// it runs; null if nothing we can see. \p Ctx must be \p E's.
  const ThrownSet *thrownBy(const Expr *E, ASTContext &Ctx);
  /// The function a throwing call or construction runs, or null.
  static const FunctionDecl *calleeOf(const Expr *E);

  /// How deep a chain of callees is read.
  static constexpr unsigned MaxDepth = 4;

private:
  struct Result {
    ThrownSet Set;
    bool Cut = false; ///< the depth bound or recursion cut it short
    /// How deep a chain of bodies it read (1: only its own).
    unsigned Height = 0;
  };
  struct Kept {
    ThrownSet Set;
    unsigned Height = 0;
  };
  Result ofFunction(const FunctionDecl *FD, ASTContext &Ctx);
  Result ofCall(const Expr *E, ASTContext &Ctx);
  void walk(const Stmt *S, ASTContext &Ctx,
            llvm::SmallVectorImpl<const Stmt *> &Tries,
            const CXXCatchStmt *InHandler, Result &Out);
  void escape(const ThrownSet &Raised, ASTContext &Ctx,
              llvm::ArrayRef<const Stmt *> Tries, Result &Out);

  const ApiModel &Model;
  /// Answers that were not cut short (an empty set: throws nothing).
  llvm::DenseMap<const FunctionDecl *, Kept> Cache;
  /// Answers cut short, asked from depth 0 (the same every time).
  llvm::DenseMap<const FunctionDecl *, ThrownSet> RootCache;
  /// Per call expression, for the engine (pointer-stable: the map of
  /// functions may grow while a caller holds an answer).
  llvm::DenseMap<const Expr *, std::unique_ptr<ThrownSet>> CallCache;
  llvm::SmallVector<const FunctionDecl *, 8> InProgress;
};

/// The throw summaries of the translation unit the callee summaries
/// \p Summaries belong to (made on first use).
class CalleeSummaries;
ThrowSummaries &throwSummaries(CalleeSummaries &Summaries);

} // namespace clang::tidy::pipe

#endif
