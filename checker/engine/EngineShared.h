//===--- EngineShared.h - helpers the engine's files share ---------------===//
//
// Small queries on places, aggregates, task handles and CFG elements that
// several files of engine/ use (FlowEngine.h includes this header). Each is
// defined next to its main user, named in its comment.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_ENGINESHARED_H
#define PIPE_TIDY_ENGINE_ENGINESHARED_H

#include "AstQueries.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace clang::tidy::pipe {

/// Helpers the engine's files share; each is defined next to its main user.
namespace detail {
/// The memory the states of one function may hold (those stored at block
/// entries, those in flight and those recorded for the checks): the nodes
/// of their persistent maps, which states share (PersistentMapStats), plus
/// each stored state's own fields (stateBytes()). Past it the budget trips
/// as if out of work. A goto cascade with thousands of pipes open at once
/// used to take gigabytes when every state copied its ends and places; the
/// heap holds somewhat more than is counted (allocator), so this keeps a
/// function's states well within +300 MB of clang-tidy alone.
constexpr uint64_t MaxStateBytes = uint64_t(128) << 20;
constexpr int64_t LowestPipeFd = 3; // 0-2 are the standard streams.

/// Selectors of a LocKey: array index \p I, field number \p F.
inline uint16_t indexSel(unsigned I) { return uint16_t(1 + std::min(I, 0x7ffeu)); }
inline uint16_t fieldSel(unsigned F) { return uint16_t(0x8000 | std::min(F, 0x7fffu)); }

/// A selector that names a field (fieldSel()), not an index.
inline bool isFieldSel(uint16_t Sel) { return (Sel & 0x8000) != 0; }

/// The field of \p RD a field selector names, or null.
inline const FieldDecl *fieldOfSel(const RecordDecl *RD, uint16_t Sel) {
  return isFieldSel(Sel) ? fieldAt(RD, Sel & 0x7fffu) : nullptr;
}

/// How many selectors the path \p Sel has: 0 to MaxSelDepth.
inline unsigned selDepth(SelPath Sel) {
  unsigned D = 0;
  for (; Sel; Sel >>= 16)
    ++D;
  return D;
}
/// How many selectors \p L has below its base: 0 to MaxSelDepth.
inline unsigned depthOf(LocKey L) { return selDepth(L.Sel); }

/// The innermost selector of \p Sel (0 when it has none).
inline uint16_t lastSel(SelPath Sel) {
  unsigned D = selDepth(Sel);
  return D ? uint16_t(Sel >> (16 * (D - 1))) : 0;
}

/// The path \p Outer, then \p Inner below it, if the nesting is not too
/// deep and every selector can name a place (packSel()).
inline std::optional<SelPath> joinSels(SelPath Outer, SelPath Inner) {
  unsigned D = selDepth(Outer);
  if (D + selDepth(Inner) > MaxSelDepth)
    return std::nullopt;
  for (SelPath R = Inner; R; R >>= 16)
    if (!namableSel(uint16_t(R & 0xffff)))
      return std::nullopt;
  return Outer | (D ? Inner << (16 * D) : Inner);
}

/// The location one selector above \p L (its base, for a location one
/// selector deep; \p L itself for a base).
inline LocKey parentOf(LocKey L) {
  if (unsigned D = depthOf(L))
    L.Sel &= (SelPath(1) << (16 * (D - 1))) - 1;
  return L;
}

/// The location the selectors \p Sel (a summary slot's, outermost first)
/// name below \p L, if the nesting is not too deep.
inline std::optional<LocKey> descend(LocKey L, SelPath Sel) {
  std::optional<SelPath> P = joinSels(L.Sel, Sel);
  if (!P)
    return std::nullopt;
  L.Sel = *P;
  return L;
}

/// The location one selector below \p L, if the nesting is not too deep.
inline std::optional<LocKey> child(LocKey L, uint16_t Sel) {
  return descend(L, Sel);
}

/// True if \p K is \p Outer or below it.
inline bool isWithin(LocKey K, LocKey Outer) {
  if (K.Base != Outer.Base)
    return false;
  unsigned D = depthOf(Outer);
  SelPath Mask = D >= MaxSelDepth ? ~SelPath(0) : (SelPath(1) << (16 * D)) - 1;
  return (K.Sel & Mask) == Outer.Sel;
}

struct ValueRange {
  int64_t Lo, Hi;
};

/// `cond ? dup(fd) : -1`, or a variable that holds an end on one path and
/// -1 on another: the end, marked as possibly not a descriptor
/// (AbstractState.cpp).
AbsVal endOrInvalid(const AbsVal &A, const AbsVal &B);

// Places (Values.cpp).
/// The decomposition \p BD belongs to when its binding names a part of it
/// (`e[1]`, `e.w`): a structured binding of a plain array or of a struct.
const DecompositionDecl *plainDecompositionOf(const BindingDecl *BD);
/// The local variable of which \p E names a place that is the same whatever
/// the state, or null.
const VarDecl *fixedPlaceBase(const Expr *E);
bool isStdArrayType(QualType T);
/// `a[K]` with an integer literal K, of a built-in array (or pointer) or a
/// std::array (its `operator[]`): the array expression and K.
std::optional<std::pair<const Expr *, uint64_t>>
literalSubscript(const Expr *E);
/// The element type and count of a std::array (\p T), when it is one with
/// both template arguments known (Aggregates.cpp).
std::optional<std::pair<QualType, uint64_t>> stdArrayElements(QualType T);
// Aggregates of descriptors (Aggregates.cpp).
/// The expression that builds the object \p E initialises from, below
/// parentheses, implicit casts, temporaries and the casts a braced or
/// single-argument construction is spelled with (`Ends{fds[0], fds[1]}`,
/// `Fd(fds[1])` as an element of a braced list).
const Expr *objectInitializer(const Expr *E);
/// std::optional<T> is followed as the T it may hold, in the same place
/// (optionalValueType(), AstQueries.h): the selector below an optional's
/// place that holds whether it has a value (1) or not (0), set where a
/// summarised call returns one.
inline uint16_t engagedSel() { return fieldSel(0x7ff0); }
/// `o->m`'s `o->`, `*o`, `o.value()` of a std::optional: the optional.
const Expr *optionalAccessObject(const Expr *E);
/// `o.has_value()`, `bool(o)` (also `if (o)`, `!o`): the optional.
const Expr *optionalTestObject(const Expr *E);
bool isStdPairType(QualType T);
bool isStdTupleType(QualType T);
/// The selector of element \p I of a std::pair, std::tuple or std::array
/// of type \p T (`first`/`second`; element I), if it has one.
std::optional<uint16_t> elementSel(QualType T, unsigned I);
/// `std::get<I>(x)` of a pair, tuple or array: element I's selector, and
/// x in \p Obj.
std::optional<uint16_t> stdGetElement(const CallExpr *CE, const Expr *&Obj);
/// A pair, tuple, std::array, or a class copied member by member: a copy
/// of it copies its places.
bool isDescriptorAggregateType(QualType T);
/// The elements an expression builds an aggregate from, with their
/// selectors: `std::make_pair(a, b)`, `std::tuple<int, int>(a, b)`,
/// `std::pair<int, int>{a, b}`, a constructor that only copies its
/// parameters into members. (Initialiser lists: initialize().)
bool aggregateElements(
    const Expr *E,
    llvm::SmallVectorImpl<std::pair<SelPath, const Expr *>> &Out);
/// std::move / std::forward / std::ref: the value passes through.
bool isValuePassThrough(const FunctionDecl *FD);
/// `a = b` calling a class's own (user-written) copy or move assignment
/// operator (ApplySummaries.cpp).
bool isAssignmentCall(const CallExpr *CE);
/// The object such an assignment is given, when a constructor builds it
/// there (`w = Fd(fd)`): that construction (MovedPlaces.cpp).
const CXXConstructExpr *assignedTemporary(const CallExpr *CE);
/// The body of \p MD when it is a non-static, non-virtual method with no
/// parameters returning an integer (a getter or a release() candidate),
/// with its body in this translation unit; else null.
const CompoundStmt *integerAccessorBody(const CXXMethodDecl *MD);

// Summaries at a call (ApplySummaries.cpp).
/// Can an object of type \p T hold a descriptor somewhere: an integer
/// member, an element, a base's or a member object's (std::string holds
/// none; an incomplete type or a nesting deeper than 3 may)?
bool objectMayHoldDescriptor(QualType T, unsigned Depth = 0);
/// Can a member or argument of type \p T neither hold a descriptor nor
/// lead to one (a bool, a character, a std::string, a class made only of
/// such values...)? (ObjectCalls.cpp)
bool cannotReachDescriptor(QualType T, unsigned Depth = 0);

/// Does method \p MD, whose body is in view and which no override can
/// replace, leave its object's descriptors alone: its body names no member
/// that may hold one, lets `this` go nowhere, and calls on its object only
/// methods of which the same holds (\p Depth: how deep that check is)?
bool leavesObjectAlone(const CXXMethodDecl *MD, unsigned Depth = 0);
/// The members of its object that method \p MD (body in view, no override
/// can replace it) names, with those of the methods it calls on its object,
/// into \p Fields; false when `this` goes anywhere else, so that the call
/// may reach any member.
bool membersUsedBy(const CXXMethodDecl *MD,
                   llvm::SmallPtrSetImpl<const FieldDecl *> &Fields,
                   unsigned Depth = 0);

// Task handles (TaskPlaces.cpp).
/// The plain local variable \p E names (or whose address it takes), if any.
const VarDecl *localVarOf(const Expr *E);
/// The source text of \p E (`job->tid`), for messages; "" from a macro.
std::string spellingOf(const Expr *E, const ASTContext &Ctx);
/// Does \p Trigger, a `return`, give back the task handle variable \p VD
/// by value (ReturnedTasks.cpp)?
bool returnsVariable(const Stmt *Trigger, const VarDecl *VD);
/// Is \p Trigger a `return` that gives back the object \p VD itself (by
/// moving it out, or constructing it in the caller's place)?
bool returnsObjectVariable(const Stmt *Trigger, const VarDecl *VD);

/// Elements transferElement() leaves alone (TransferElement.cpp).
bool isInertElement(const Stmt *St);
/// Does \p Code name \p VD, and only as a number: an operand of a
/// comparison or of arithmetic, an index, a condition (`i < count`,
/// `n * width`)? A lambda's capture used so is no descriptor its task holds
/// (TransferElement.cpp).
bool usedOnlyAsNumber(const Stmt *Code, const ValueDecl *VD);
} // namespace detail

} // namespace clang::tidy::pipe

#endif
