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
#include "clang/AST/DeclCXX.h"
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
  borrowedUsesOf(
      Body,
      [V](const Expr *E) {
        return isa<DeclRefExpr, MemberExpr>(E) && refVarOrMember(E) == V;
      },
      PM, Ctx, PS);
}

void CalleeSummaries::borrowedUsesOf(
    const Stmt *Body, llvm::function_ref<bool(const Expr *)> IsUse,
    ParentMap &PM, const ASTContext &Ctx, ParamSummary &PS) {
  const PlatformConstants &K = Model.Constants;

  // Borrowed: every use of the descriptor is a descriptor argument of a
  // call that only uses it, or a test or arithmetic.
  bool Borrowed = true;
  // A number printed into text (`snprintf(msg, n, "write to fd %d failed",
  // fd)`) is only read, unless the body starts a program, which may be
  // told the number to use the descriptor (the engine's Announced).
  std::optional<bool> StartsProgram;
  auto FormattedOnly = [&](const CallExpr *CE, const FunctionDecl *Callee,
                           unsigned I) {
    if (!formatsIntegerArgument(CE, Callee, I))
      return false;
    if (!StartsProgram)
      StartsProgram = anyStmtIn(Body, [&](const Stmt *X) {
        const auto *Call = dyn_cast<CallExpr>(X);
        const ApiFunction *F =
            Call ? Model.lookup(ApiModel::calleeOf(Call)) : nullptr;
        return F && (F->Role == ApiRole::Exec || F->Role == ApiRole::Spawn ||
                     F->Role == ApiRole::Shell);
      });
    return !*StartsProgram;
  };
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty() && Borrowed) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
    const auto *UseExpr = dyn_cast<Expr>(S);
    if (!UseExpr || !IsUse(UseExpr))
      continue;
    const Stmt *Use = S;
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
      } else if ((!Api || ArgIndex != Api->Arg) &&
                 FormattedOnly(CE, Callee, unsigned(ArgIndex))) {
        continue;
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

void CalleeSummaries::objectUses(const CXXMethodDecl *MD, const FieldDecl *F,
                                 ParentMap &PM, ParamSummary &PS) {
  llvm::SmallVector<const Stmt *, 64> Stack{MD->getBody()};
  while (!Stack.empty() && PS.Borrowed) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      // It may run later, elsewhere, with the object.
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesThis())
          PS.Borrowed = false;
      continue;
    }
    if (isa<BlockExpr>(S)) {
      PS.Borrowed = false;
      continue;
    }
    // `this` only to name a member (`this->out_`, `read_line(...)`): not
    // passed on, stored or copied.
    if (isa<CXXThisExpr>(S)) {
      const Stmt *Up = PM.getParent(S);
      while (Up && isa<ParenExpr, ImplicitCastExpr>(Up))
        Up = PM.getParent(Up);
      if (!Up || !isa<MemberExpr>(Up))
        PS.Borrowed = false;
      continue;
    }
    // Another method called on the object: what it does with F.
    const auto *ME = dyn_cast<MemberExpr>(S);
    const auto *Other =
        ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
            ? dyn_cast<CXXMethodDecl>(ME->getMemberDecl())
            : nullptr;
    if (!Other || Other->isStatic() ||
        Other->getCanonicalDecl() == MD->getCanonicalDecl())
      continue;
    const ParamSummary *Inner = memberSummary(Other, F);
    if (!Inner) {
      PS.Borrowed = false;
      continue;
    }
    PS.Borrowed &= Inner->Borrowed;
    PS.Reads |= Inner->Reads;
    PS.ReadsToEof |= Inner->ReadsToEof;
    PS.MayMakeNonblocking |= Inner->MayMakeNonblocking;
    // Its bound is in terms of its own parameters: only a constant one
    // means the same here.
    bool Own = Inner->Writes.K == WriteBound::None ||
               Inner->Writes.K == WriteBound::Const;
    PS.Writes = WriteBound::sum(
        PS.Writes, Own ? Inner->Writes : WriteBound::unbounded());
  }
}

ParamSummary CalleeSummaries::captureSummary(const LambdaExpr *LE,
                                             const ValueDecl *Captured) {
  ParamSummary PS;
  const Stmt *Body = LE->getBody();
  ParentMap PM(const_cast<Stmt *>(Body));
  // As for a parameter: borrowed, read, read to end-of-file, written.
  summariseUses(LE->getCallOperator(), Captured, PM, PS);
  return PS;
}

bool CalleeSummaries::capturedPartBorrowed(
    const LambdaExpr *LE, llvm::function_ref<bool(const Expr *)> IsPart) {
  ParamSummary PS;
  const Stmt *Body = LE->getBody();
  ParentMap PM(const_cast<Stmt *>(Body));
  borrowedUsesOf(Body, IsPart, PM, LE->getCallOperator()->getASTContext(), PS);
  return PS.Borrowed;
}

} // namespace clang::tidy::pipe
