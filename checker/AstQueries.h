//===--- AstQueries.h - small questions about the AST, asked everywhere ---===//
//
// Helpers that several rooms of the checker need and that know nothing of
// pipes: one definition each, so that no two files carry a copy of their
// own (the unity build, CMakeLists.txt PIPE_TIDY_UNITY_BUILD, also needs
// every file-local name to be unique).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_AST_QUERIES_H
#define PIPE_TIDY_AST_QUERIES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace clang::tidy::pipe {

/// The T of `std::optional<T>` (the class \p RD), or null for any other
/// class.
inline QualType optionalValueType(const CXXRecordDecl *RD) {
  const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!TS || !TS->getIdentifier() || TS->getName() != "optional" ||
      !TS->getDeclContext()->getRedeclContext()->isStdNamespace() ||
      TS->getTemplateArgs().size() != 1 ||
      TS->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return TS->getTemplateArgs()[0].getAsType();
}
inline QualType optionalValueType(QualType T) {
  return T.isNull() ? QualType()
                    : optionalValueType(T.getNonReferenceType()
                                            .getCanonicalType()
                                            ->getAsCXXRecordDecl());
}

/// The T of `std::unique_ptr<T>` or `std::shared_ptr<T>` (the type \p T),
/// or null for any other type: an owning pointer the engine follows as the
/// pointer it holds.
inline QualType smartPointeeType(QualType T) {
  if (T.isNull())
    return QualType();
  const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl());
  if (!TS || !TS->getIdentifier() ||
      (TS->getName() != "unique_ptr" && TS->getName() != "shared_ptr") ||
      !TS->getDeclContext()->getRedeclContext()->isStdNamespace() ||
      TS->getTemplateArgs().size() < 1 ||
      TS->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  QualType Pointee = TS->getTemplateArgs()[0].getAsType();
  return Pointee->isArrayType() ? QualType() : Pointee;
}

/// What a pointer type, or an owning smart pointer type, points to; null
/// for any other type.
inline QualType pointeeOrSmartPointee(QualType T) {
  if (T.isNull())
    return QualType();
  if (T->isPointerType())
    return T->getPointeeType();
  return smartPointeeType(T);
}

/// The class whose destructor runs when an object of class \p RD is
/// destroyed: the value's, for a `std::optional` (destroyed in the same
/// place), else \p RD itself.
inline const CXXRecordDecl *destroyedClass(const CXXRecordDecl *RD) {
  if (QualType Value = optionalValueType(RD); !Value.isNull())
    if (const CXXRecordDecl *VR = Value->getAsCXXRecordDecl();
        VR && VR->hasDefinition())
      return VR;
  return RD;
}

/// May a call of \p MD run an override the translation unit does not show
/// (a virtual method of a class and method not marked `final`)?
inline bool mayRunOverride(const CXXMethodDecl *MD) {
  return MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
         !MD->getParent()->hasAttr<FinalAttr>();
}

/// `FILE *`: C's stream (the struct behind it is `_IO_FILE` in glibc,
/// `__sFILE` in the BSDs); `std::FILE *` in C++.
inline bool isStdioStreamPointer(QualType T) {
  T = T.getCanonicalType();
  if (!T->isPointerType())
    return false;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return N == "_IO_FILE" || N == "__sFILE" || N == "FILE";
}

/// The field of \p RD whose index is \p Index, or null.
inline const FieldDecl *fieldAt(const RecordDecl *RD, unsigned Index) {
  if (RD)
    for (const FieldDecl *F : RD->fields())
      if (F->getFieldIndex() == Index)
        return F;
  return nullptr;
}

/// Is \p S a loop statement (`while`, `for`, `do`, range `for`)?
inline bool isLoopStmt(const Stmt *S) {
  return S && isa<WhileStmt, ForStmt, DoStmt, CXXForRangeStmt>(S);
}

/// How a walk of the statements under a root goes on after one of them.
enum class WalkStep {
  Into, ///< visit the statement's children too
  Over, ///< pass over its children (a lambda summarised on its own)
  Stop, ///< the answer is known: end the walk
};

/// Calls \p F on \p Root and on every statement below it, depth first;
/// F returns the WalkStep to take after each. Returns false when F ended
/// the walk. An explicit stack, not recursion, so that a very deep
/// expression cannot overflow the thread's stack.
template <typename Fn> bool walkStmts(const Stmt *Root, Fn &&F) {
  llvm::SmallVector<const Stmt *, 64> Stack{Root};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    switch (F(S)) {
    case WalkStep::Stop:
      return false;
    case WalkStep::Over:
      continue;
    case WalkStep::Into:
      break;
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return true;
}

/// Does \p S name \p V (a variable, a parameter, a binding) anywhere
/// inside it?
inline bool mentionsVar(const Stmt *S, const ValueDecl *V) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl() == V;
  for (const Stmt *C : S->children())
    if (mentionsVar(C, V))
      return true;
  return false;
}

/// \p E without parentheses, implicit casts and explicit casts (`(int)n`,
/// `static_cast<size_t>(n)`): the value a descriptor or a count comes from.
inline const Expr *stripCasts(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<ExplicitCastExpr>(E))
      E = C->getSubExpr();
    else
      return E;
  }
  return E;
}

/// Whether \p FD is a named function of namespace std (or of an inline
/// namespace in it), called \p Name when one is given: `std::swap`,
/// `std::exchange`, `std::get`.
inline bool isNamedStdFunction(const FunctionDecl *FD,
                               llvm::StringRef Name = "") {
  return FD && FD->getIdentifier() &&
         FD->getDeclContext()->getRedeclContext()->isStdNamespace() &&
         (Name.empty() || FD->getName() == Name);
}

/// Does some statement of \p Root (itself included, lambdas' and blocks'
/// bodies too) satisfy \p P?
template <typename Pred> bool anyStmtIn(const Stmt *Root, Pred P) {
  llvm::SmallVector<const Stmt *, 32> Stack{Root};
  while (!Stack.empty()) {
    const Stmt *X = Stack.pop_back_val();
    if (!X)
      continue;
    if (P(X))
      return true;
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return false;
}

/// Is argument \p I of \p CE an integer only formatted into text: a value
/// of a printf-like function's variadic part (`snprintf(arg, n, "%d",
/// fds[1])`, `fprintf(stderr, "fd %d", fd)`, any function with a
/// `format(printf, ...)` attribute), of `std::to_string()`, or what
/// `os << fd` prints? The callee reads the number and gets no descriptor.
inline bool formatsIntegerArgument(const CallExpr *CE,
                                   const FunctionDecl *Callee, unsigned I) {
  if (!Callee || I >= CE->getNumArgs())
    return false;
  const Expr *A = CE->getArg(I)->IgnoreParenImpCasts();
  if (!A->getType()->isIntegerType())
    return false;
  for (const FormatAttr *F : Callee->specific_attrs<FormatAttr>()) {
    // getFirstArg() counts from 1, and is 0 for a va_list function.
    int First = F->getFirstArg();
    unsigned Shift = isa<CXXMemberCallExpr>(CE) ? 1 : 0;
    if (First > 0 && I + 1 + Shift >= unsigned(First))
      return true;
  }
  // std:: itself, or a class of it (`std::ostream::operator<<(int)`).
  const auto *NS = dyn_cast<NamespaceDecl>(
      Callee->getDeclContext()->getEnclosingNamespaceContext());
  if (!Callee->isInStdNamespace() && !(NS && NS->isStdNamespace()))
    return false;
  if (Callee->getOverloadedOperator() == OO_LessLess)
    return isa<CXXOperatorCallExpr>(CE) && I == 1;
  return Callee->getDeclName().isIdentifier() &&
         (Callee->getName() == "to_string" ||
          Callee->getName() == "to_wstring");
}

/// The variable \p E names, through parentheses and casts (`(int)fd`), or
/// null.
inline const VarDecl *refVar(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripCasts(E)))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// The variable \p E names, or the member of `this` it names (`out_`,
/// `this->out_`), through parentheses and casts; or null.
inline const ValueDecl *refVarOrMember(const Expr *E) {
  E = stripCasts(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

/// Does the class \p RD (or the class type \p T) have a destructor its
/// author wrote (`~UniqueFd() { close(fd_); }`)? An implicit one only
/// destroys the members; a plain int member stays as it was.
inline bool hasOwnDestructor(const CXXRecordDecl *RD) {
  const CXXDestructorDecl *Dtor =
      RD && RD->hasDefinition() ? RD->getDestructor() : nullptr;
  return Dtor && Dtor->isUserProvided();
}
inline bool hasOwnDestructor(QualType T) {
  return hasOwnDestructor(T->getAsCXXRecordDecl());
}

/// The value of \p E when it is an integer constant expression (`-1`,
/// `PIPE_BUF`, `sizeof buf`, an enumerator) of at most 63 bits, so that a
/// caller may negate it or add 1 without overflow.
inline std::optional<int64_t> integerConstant(const Expr *E,
                                              const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (!E || E->isValueDependent() || !E->EvaluateAsInt(R, Ctx) ||
      !R.Val.isInt() || R.Val.getInt().getSignificantBits() > 63)
    return std::nullopt;
  // An unsigned value as such: `true` is 1, not the -1 of its one bit.
  return R.Val.getInt().getExtValue();
}

/// Does control never go on from statement \p S to the next: a `return`,
/// or a call of a function declared noreturn (`_exit()`, `abort()`)?
inline bool leavesAt(const Stmt *S) {
  if (isa_and_nonnull<ReturnStmt>(S))
    return true;
  const auto *CE = dyn_cast_or_null<CallExpr>(S);
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  return FD && FD->isNoReturn();
}

/// \p CE, when it is a call of std::make_unique or std::make_shared.
inline bool isStdMakeSmart(const CallExpr *CE) {
  const FunctionDecl *F = CE ? CE->getDirectCallee() : nullptr;
  return F && F->isInStdNamespace() && F->getIdentifier() &&
         (F->getName() == "make_unique" || F->getName() == "make_shared");
}

/// The constructor of \p T that `std::make_unique<T>(args)` or
/// `std::make_shared<T>(args)` runs: the one its body's `new T(...)`
/// names (make_unique), else the one constructor of T, not a copy or a
/// move, that takes as many arguments as the call gives (make_shared builds
/// it many templates down); null when overloads leave it open.
inline const CXXConstructorDecl *madeObjectConstructor(const CallExpr *CE,
                                                       QualType T) {
  if (!isStdMakeSmart(CE) || T.isNull())
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (CE->getDirectCallee()->hasBody(Def) && Def) {
    const ASTContext &Ctx = Def->getASTContext();
    const CXXConstructorDecl *Found = nullptr;
    walkStmts(Def->getBody(), [&](const Stmt *X) {
      if (const auto *NE = dyn_cast<CXXNewExpr>(X);
          NE && NE->getConstructExpr() &&
          Ctx.hasSameUnqualifiedType(NE->getAllocatedType(), T)) {
        Found = NE->getConstructExpr()->getConstructor();
        return WalkStep::Stop;
      }
      return WalkStep::Into;
    });
    if (Found)
      return Found;
  }
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return nullptr;
  const CXXConstructorDecl *Only = nullptr;
  for (const CXXConstructorDecl *C : RD->ctors()) {
    if (C->isCopyOrMoveConstructor() || C->isDeleted() ||
        CE->getNumArgs() < C->getMinRequiredArguments() ||
        CE->getNumArgs() > C->getNumParams())
      continue;
    if (Only)
      return nullptr; // overloaded: we cannot tell which
    Only = C;
  }
  return Only;
}

} // namespace clang::tidy::pipe

#endif // PIPE_TIDY_AST_QUERIES_H
