//===--- WriteAmounts.cpp - how many bytes a write or a loop can write ----===//
//
// See WriteAmounts.h.
//
//===----------------------------------------------------------------------===//
#include "summaries/WriteAmounts.h"
#include "AstQueries.h"
#include "summaries/CalleeSummaryDetail.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/StringRef.h"
#include <algorithm>

namespace clang::tidy::pipe {
namespace {

/// The most a conversion of a number (`%d`, `%lx`, `%p`...) can print: a
/// 64-bit integer in octal is 22 digits, plus a sign and a prefix.
constexpr uint64_t MaxIntegerWidth = 24;
/// The most `%f` of a double can print before its precision: DBL_MAX has
/// 309 digits, plus a sign and the point.
constexpr uint64_t MaxDoubleWidth = 320;

uint64_t saturatingAdd(uint64_t A, uint64_t B) {
  return A > UINT64_MAX - B ? UINT64_MAX : A + B;
}

const StringLiteral *literalOf(const Expr *E) {
  E = stripCasts(E);
  if (const auto *P = dyn_cast_or_null<PredefinedExpr>(E))
    return P->getFunctionName();
  const auto *SL = dyn_cast_or_null<StringLiteral>(E);
  if (SL && SL->getCharByteWidth() == 1)
    return SL;
  return nullptr;
}

/// The longest string \p E can be: a literal, `__func__`, strerror(), or
/// a choice between those.
std::optional<uint64_t> stringBound(const Expr *E) {
  E = stripCasts(E);
  if (!E)
    return std::nullopt;
  if (const StringLiteral *SL = literalOf(E))
    return SL->getLength();
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    auto A = stringBound(CO->getTrueExpr()), B = stringBound(CO->getFalseExpr());
    if (A && B)
      return std::max(*A, *B);
    return std::nullopt;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = CE->getDirectCallee();
        F && F->getIdentifier() &&
        F->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
        (F->getName() == "strerror" || F->getName() == "strsignal"))
      return AssumedErrorMessageLength;
  return std::nullopt;
}

bool isDigit(char C) { return C >= '0' && C <= '9'; }

/// The most bytes the printf format \p Fmt prints; its values start at
/// argument \p FirstArg of \p CE (-1: they come from a va_list).
std::optional<uint64_t> formatBound(llvm::StringRef Fmt, const CallExpr *CE,
                                    int FirstArg) {
  uint64_t Total = 0;
  unsigned Arg = FirstArg < 0 ? 0 : unsigned(FirstArg);
  size_t I = 0, N = Fmt.size();
  auto Number = [&](uint64_t &Out) {
    Out = 0;
    while (I < N && isDigit(Fmt[I])) {
      Out = std::min<uint64_t>(Out * 10 + uint64_t(Fmt[I] - '0'), 1u << 30);
      ++I;
    }
  };
  while (I < N) {
    if (Fmt[I] != '%') {
      ++Total;
      ++I;
      continue;
    }
    ++I;
    if (I < N && Fmt[I] == '%') {
      ++Total;
      ++I;
      continue;
    }
    while (I < N && llvm::StringRef("-+ #0'").contains(Fmt[I]))
      ++I;
    uint64_t Width = 0, Prec = 0;
    bool HasPrec = false;
    if (I < N && Fmt[I] == '*')
      return std::nullopt; // a width from an argument
    Number(Width);
    if (I < N && Fmt[I] == '$')
      return std::nullopt; // positional arguments
    if (I < N && Fmt[I] == '.') {
      ++I;
      if (I < N && Fmt[I] == '*')
        return std::nullopt;
      Number(Prec);
      HasPrec = true;
    }
    bool Long = false, LongDouble = false;
    while (I < N && llvm::StringRef("hljztLq").contains(Fmt[I])) {
      Long |= Fmt[I] == 'l';
      LongDouble |= Fmt[I] == 'L';
      ++I;
    }
    if (I >= N)
      return std::nullopt;
    char Conv = Fmt[I++];
    uint64_t Bytes = 0;
    bool TakesArg = true;
    switch (Conv) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
      Bytes = std::max(MaxIntegerWidth, Prec + 2);
      break;
    case 'p':
      Bytes = MaxIntegerWidth;
      break;
    case 'c':
      Bytes = Long ? 4 : 1;
      break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a':
    case 'A':
      if (LongDouble)
        return std::nullopt; // up to 4,900 digits
      Bytes = MaxDoubleWidth + (HasPrec ? Prec : 6);
      break;
    case 'm':
      Bytes = AssumedErrorMessageLength;
      TakesArg = false;
      break;
    case 'n':
      break;
    case 's': {
      if (Long)
        return std::nullopt;
      std::optional<uint64_t> S;
      if (FirstArg >= 0 && Arg < CE->getNumArgs())
        S = stringBound(CE->getArg(Arg));
      if (HasPrec)
        S = S ? std::min(*S, Prec) : Prec;
      if (!S)
        return std::nullopt;
      Bytes = *S;
      break;
    }
    default:
      return std::nullopt;
    }
    if (TakesArg)
      ++Arg;
    Total = saturatingAdd(Total, std::max(Bytes, Width));
  }
  return Total;
}

/// A `VarDecl` named by \p E, or null.
const VarDecl *varOf(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripCasts(E)))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// Does \p S change \p V (assign, increment, take its address)?
class ChangesVar : public RecursiveASTVisitor<ChangesVar> {
public:
  explicit ChangesVar(const VarDecl *V) : V(V) {}
  bool Found = false;
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if ((UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
        varOf(UO->getSubExpr()) == V)
      Found = true;
    return !Found;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp() && varOf(BO->getLHS()) == V)
      Found = true;
    return !Found;
  }
  bool VisitCallExpr(CallExpr *CE) {
    // Bound to a reference parameter (`std::swap(i, j)`, `read_into(i)`).
    for (const Expr *A : CE->arguments())
      if (varOf(A) == V && A->isLValue() && !isa<ImplicitCastExpr>(A))
        Found = true;
    return !Found;
  }

private:
  const VarDecl *V;
};

} // namespace

std::optional<uint64_t> formattedWriteBound(const CallExpr *CE,
                                            const FunctionDecl *Callee,
                                            const ASTContext &Ctx) {
  (void)Ctx;
  if (!CE || !Callee || !Callee->getIdentifier() ||
      isa<CXXMethodDecl>(Callee))
    return std::nullopt;
  llvm::StringRef Name = Callee->getName();
  if (Name == "fputc" || Name == "putc" || Name == "fputc_unlocked" ||
      Name == "putc_unlocked")
    return 1;
  if (Name == "fputs" || Name == "fputs_unlocked")
    return CE->getNumArgs() > 0 ? stringBound(CE->getArg(0)) : std::nullopt;
  int FormatArg = -1, FirstArg = -1;
  if (const auto *FA = Callee->getAttr<FormatAttr>()) {
    llvm::StringRef Kind = FA->getType()->getName();
    if (Kind != "printf" && Kind != "gnu_printf" && Kind != "__printf__")
      return std::nullopt;
    FormatArg = FA->getFormatIdx() - 1;
    FirstArg = FA->getFirstArg() == 0 ? -1 : FA->getFirstArg() - 1;
  } else if (Name == "dprintf" || Name == "fprintf") {
    FormatArg = 1;
    FirstArg = 2;
  } else if (Name == "vdprintf" || Name == "vfprintf") {
    FormatArg = 1;
  } else {
    return std::nullopt;
  }
  if (FormatArg < 0 || unsigned(FormatArg) >= CE->getNumArgs())
    return std::nullopt;
  const StringLiteral *Fmt = literalOf(CE->getArg(unsigned(FormatArg)));
  if (!Fmt)
    return std::nullopt;
  return formatBound(Fmt->getString(), CE, FirstArg);
}

std::optional<uint64_t> constantTripCount(const Stmt *Loop,
                                          const ASTContext &Ctx,
                                          uint64_t Limit) {
  const auto *F = dyn_cast_or_null<ForStmt>(Loop);
  if (!F || !F->getInit() || !F->getCond() || !F->getInc() || !F->getBody())
    return std::nullopt;
  // The counter and where it starts.
  const VarDecl *V = nullptr;
  std::optional<int64_t> Start;
  if (const auto *DS = dyn_cast<DeclStmt>(F->getInit())) {
    if (DS->isSingleDecl())
      if ((V = dyn_cast<VarDecl>(DS->getSingleDecl())))
        Start = integerConstant(V->getInit(), Ctx);
  } else if (const auto *BO = dyn_cast<BinaryOperator>(F->getInit());
             BO && BO->getOpcode() == BO_Assign) {
    V = varOf(BO->getLHS());
    Start = integerConstant(BO->getRHS(), Ctx);
  }
  if (!V || !Start || !V->getType()->isIntegerType())
    return std::nullopt;
  // The step.
  int64_t Step = 0;
  const Expr *Inc = stripCasts(F->getInc());
  if (const auto *UO = dyn_cast<UnaryOperator>(Inc)) {
    if (varOf(UO->getSubExpr()) == V)
      Step = UO->isIncrementOp() ? 1 : UO->isDecrementOp() ? -1 : 0;
  } else if (const auto *CA = dyn_cast<CompoundAssignOperator>(Inc)) {
    auto K = integerConstant(CA->getRHS(), Ctx);
    if (varOf(CA->getLHS()) == V && K && *K > 0)
      Step = CA->getOpcode() == BO_AddAssign   ? *K
             : CA->getOpcode() == BO_SubAssign ? -*K
                                               : 0;
  }
  if (Step == 0)
    return std::nullopt;
  // The limit: `i < B`, `B > i`...
  const auto *Cond = dyn_cast<BinaryOperator>(stripCasts(F->getCond()));
  if (!Cond || !Cond->isComparisonOp())
    return std::nullopt;
  BinaryOperatorKind Op = Cond->getOpcode();
  const Expr *Other = Cond->getRHS();
  if (varOf(Cond->getLHS()) != V) {
    if (varOf(Cond->getRHS()) != V)
      return std::nullopt;
    Other = Cond->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  std::optional<int64_t> End = integerConstant(Other, Ctx);
  if (!End)
    return std::nullopt;
  ChangesVar Changes(V);
  Changes.TraverseStmt(const_cast<Stmt *>(F->getBody()));
  if (Changes.Found)
    return std::nullopt;
  // Count up or down towards End.
  constexpr int64_t Far = int64_t(1) << 40;
  if (*Start < -Far || *Start > Far || *End < -Far || *End > Far || Step < -Far ||
      Step > Far)
    return std::nullopt;
  int64_t A = *Start, B = *End, K = Step > 0 ? Step : -Step;
  if (Step < 0) {
    std::swap(A, B);
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  if (B - A > int64_t(Limit) * K && B > A)
    return std::nullopt;
  uint64_t Trips;
  switch (Op) {
  case BO_LT:
    Trips = A < B ? uint64_t((B - A + K - 1) / K) : 0;
    break;
  case BO_LE:
    Trips = A <= B ? uint64_t((B - A) / K + 1) : 0;
    break;
  case BO_NE:
    if (B < A || (B - A) % K != 0)
      return std::nullopt;
    Trips = uint64_t((B - A) / K);
    break;
  default:
    return std::nullopt;
  }
  if (Trips > Limit)
    return std::nullopt;
  return Trips;
}

} // namespace clang::tidy::pipe
