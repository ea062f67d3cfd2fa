//===--- HelperCopies.cpp - where a copy made through helpers is reported -===//
#include "checks/HelperCopies.h"
#include "checks/CallQueries.h"
#include "summaries/CopySummary.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::pipe {

/// How the user names the helper \p CE calls: the function, the member
/// function, or the variable holding the lambda.
std::string helperName(const CallExpr *CE) {
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE);
      OCE && OCE->getNumArgs() > 0)
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreParenImpCasts()))
      return DRE->getDecl()->getNameAsString();
  std::string N = calleeName(CE);
  return N.empty() ? "this helper" : N;
}

namespace {

SourceLocation warningLoc(const Stmt *At) {
  // `pump(a, b)` on a lambda: at `pump`, not at the call operator.
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(At);
      OCE && OCE->getNumArgs() > 0)
    return OCE->getArg(0)->getBeginLoc();
  return At->getBeginLoc();
}

std::string sourceText(const Expr *E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
  R = Lexer::makeFileCharRange(R, SM, Ctx.getLangOpts());
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
}
} // namespace

bool heldForCopy(const FunctionAnalysis &A, EndId E, const PathState &S) {
  if (S.hasFlag(E, Lost))
    return false;
  uint8_t St = S.status(E);
  if (St == Open)
    return true;
  return St == HandedOff &&
         runningTaskHolding(A, E, S, /*ThreadsOnly=*/true).has_value();
}

std::optional<HelperCopyReport> selfCopyThroughHelper(const FunctionAnalysis &A,
                                                      const CallSite &C,
                                                      const PathState &S) {
  if (C.Api->Role != ApiRole::Copy || !C.ViaHelper || !C.Copy ||
      C.CopyFrom < 0 || C.CopyTo < 0)
    return std::nullopt;
  EndId Src = EndId(C.CopyFrom), Dst = EndId(C.CopyTo);
  if (A.readEndOf(Dst) != int(Src) || !heldForCopy(A, Src, S) ||
      !heldForCopy(A, Dst, S))
    return std::nullopt;
  HelperCopyReport R;
  R.At = C.Call;
  R.Helper = helperName(C.Call);
  R.From = A.nameOf(Src, &S);
  R.To = A.nameOf(Dst, &S);
  // This call passes both ends in one argument (or in captures): the pair
  // is chosen inside the helpers.
  const CopyFact &F = *C.Copy;
  const FunctionDecl *Callee = ApiModel::calleeOf(C.Call);
  auto ArgOf = [&](const SummarySlot &Sl) -> const Expr * {
    if (Sl.K != SummarySlot::Value && Sl.K != SummarySlot::Pointee)
      return nullptr;
    return Callee ? CopySummaries::argForParam(C.Call, Callee, Sl.Param)
                  : nullptr;
  };
  const Expr *FromArg = ArgOf(F.From), *ToArg = ArgOf(F.To);
  if (F.PairedAt && F.PairedFrom && F.PairedTo && FromArg == ToArg) {
    std::string From = sourceText(F.PairedFrom, A.context());
    std::string To = sourceText(F.PairedTo, A.context());
    if (!From.empty() && !To.empty()) {
      R.At = F.PairedAt;
      R.From = From;
      R.To = To;
      R.InHelper = true;
      // A helper's call names that helper; the copy itself (a splice() or
      // the loop's write, in the function the analysed call enters) keeps
      // the name of the helper called here.
      if (const auto *PC = dyn_cast<CallExpr>(F.PairedAt);
          PC && F.PairedAt != F.Site)
        R.Helper = helperName(PC);
    }
  }
  R.Loc = warningLoc(R.At);
  return R;
}

} // namespace clang::tidy::pipe
