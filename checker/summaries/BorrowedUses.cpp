//===--- BorrowedUses.cpp - does a function only use a descriptor? -------===//
//
// CalleeSummaries::borrowedUses(): whether every use of a descriptor in a
// body is one that only uses it (an argument a call reads, writes or polls
// through, a test, arithmetic), and whether it is read; and
// captureSummary(), the same question for a lambda's captured variable
// (a thread routine given a descriptor by copy).
//
//===----------------------------------------------------------------------===//
#include "summaries/CalleeSummary.h"
#include "AstQueries.h"
#include "summaries/CalleeSummaryDetail.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::pipe {

using namespace calleedetail;

void CalleeSummaries::borrowedUses(const Stmt *Body, const ValueDecl *V,
                                   ParentMap &PM, const ASTContext &Ctx,
                                   ParamSummary &PS) {
  const PlatformConstants &K = Model.Constants;

  // Borrowed: every use of the descriptor is a descriptor argument of a
  // call that only uses it, or a test or arithmetic.
  bool Borrowed = true;
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty() && Borrowed) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
    const auto *DRE = dyn_cast<DeclRefExpr>(S);
    if (!DRE || DRE->getDecl() != V)
      continue;
    const Stmt *Use = DRE;
    const Stmt *Parent = PM.getParent(Use);
    while (Parent && (isa<ParenExpr>(Parent) || isa<ImplicitCastExpr>(Parent) ||
                      isa<CStyleCastExpr>(Parent))) {
      Use = Parent;
      Parent = PM.getParent(Parent);
    }
    if (!Parent) {
      Borrowed = false;
      break;
    }
    if (const auto *CE = dyn_cast<CallExpr>(Parent)) {
      int ArgIndex = -1;
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (CE->getArg(I) == Use)
          ArgIndex = int(I);
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      const ApiFunction *Api = Model.lookup(Callee);
      if (ArgIndex < 0) {
        Borrowed = false;
      } else if (Api) {
        bool AtArg = ArgIndex == Api->Arg && !Api->Stream;
        switch (Api->Role) {
        case ApiRole::Read:
          PS.Reads |= AtArg;
          Borrowed = AtArg;
          break;
        case ApiRole::Write:
        case ApiRole::Borrow:
        case ApiRole::Poll:
          Borrowed = AtArg;
          break;
        case ApiRole::Fcntl: {
          std::optional<int64_t> Cmd =
              Api->Arg2 >= 0 && unsigned(Api->Arg2) < CE->getNumArgs()
                  ? integerConstant(CE->getArg(unsigned(Api->Arg2)), Ctx)
                  : std::nullopt;
          Borrowed = AtArg && Cmd && *Cmd != K.FDupfd && *Cmd != K.FDupfdCloexec;
          if (Borrowed && Cmd == K.FSetfl && Api->Arg2 >= 0 &&
              unsigned(Api->Arg2) + 1 < CE->getNumArgs())
            PS.MayMakeNonblocking |= mayHaveFlagBit(
                CE->getArg(unsigned(Api->Arg2) + 1), K.ONonblock, Ctx);
          break;
        }
        default:
          Borrowed = false;
        }
      } else {
        int Param = paramOfArg(CE, Callee, unsigned(ArgIndex));
        const ParamSummary *Inner =
            Param >= 0 ? paramSummary(Callee, unsigned(Param)) : nullptr;
        Borrowed = Inner && Inner->Borrowed;
        PS.Reads |= Inner && Inner->Reads;
        // A helper that reads it to end-of-file: so does this call.
        PS.ReadsToEof |= Inner && Inner->ReadsToEof;
        PS.MayMakeNonblocking |= Inner && Inner->MayMakeNonblocking;
      }
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(Parent)) {
      Borrowed = !BO->isAssignmentOp() && !BO->isCompoundAssignmentOp() &&
                 BO->getOpcode() != BO_Comma;
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(Parent)) {
      Borrowed = UO->getOpcode() == UO_LNot || UO->getOpcode() == UO_Minus;
      continue;
    }
    if (isa<IfStmt, WhileStmt, DoStmt, ForStmt, SwitchStmt>(Parent))
      continue; // a plain truth test
    Borrowed = false;
  }
  PS.Borrowed = Borrowed;
}

ParamSummary CalleeSummaries::captureSummary(const LambdaExpr *LE,
                                             const ValueDecl *Captured) {
  ParamSummary PS;
  const Stmt *Body = LE->getBody();
  ParentMap PM(const_cast<Stmt *>(Body));
  borrowedUses(Body, Captured, PM, LE->getCallOperator()->getASTContext(), PS);
  return PS;
}

} // namespace clang::tidy::pipe
