//===--- WriterFailureFlags.cpp - a failure recorded but never read -------===//
//
// pipe-writer-error-ignored: a writer thread that records its failure (a
// flag, a status, a std::exception_ptr) where its reader could look, and a
// reader that joins it and never looks. Storing is not reporting: the
// reader read the pipe to end-of-file, which a failed writer also causes,
// and uses the truncated output as if complete.
//
// What counts as the writer's failure record: an assignment, on the
// writer's error path (the branch of an `if` whose condition writes, or
// that ends in a `return`, or a catch handler), to a variable of the reader's (captured by reference) or
// to a member of a struct of the reader's that the writer is given. What
// counts as reading it: any mention of that variable after the join, any
// mention of that member, or the struct used whole (passed, returned, its
// address taken) after the join. A record the reader does not own (a
// global, a parameter's, a heap object's reached another way) may be read
// by someone else, and is not judged.
//
//===----------------------------------------------------------------------===//
#include "checks/CallQueries.h"
#include "checks/WriterErrorIgnoredCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::pipe {

namespace {

/// A store of the writer's failure: where, and into what.
struct FailureStore {
  const Stmt *At = nullptr;
  const VarDecl *Var = nullptr;     ///< a variable the writer does not own
  const FieldDecl *Field = nullptr; ///< or a member
};

/// The target of an assignment in the writer's body \p Body, if it is
/// outside the body: a variable declared elsewhere, or a member.
void targetOf(const Expr *LHS, const Stmt *Body, FailureStore &F) {
  LHS = LHS->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(LHS)) {
    F.Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && !Body->getSourceRange().fullyContains(VD->getSourceRange()))
      F.Var = VD;
}

void collectStores(const Stmt *S, const Stmt *Body, bool OnErrorPath,
                   const ApiModel &Model,
                   llvm::SmallVectorImpl<FailureStore> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (OnErrorPath) {
    const Expr *LHS = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
      LHS = BO->getLHS();
    else if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(S);
             OCE && OCE->isAssignmentOp() && OCE->getNumArgs() == 2)
      LHS = OCE->getArg(0);
    if (LHS) {
      FailureStore F;
      F.At = S;
      targetOf(LHS, Body, F);
      if (F.Var || F.Field)
        Out.push_back(F);
    }
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    // The branch of a test of a write, or one that gives up: it returns
    // early (`if (!f) { a->err = errno; close(a->out); return NULL; }`).
    const Stmt *Then = If->getThen();
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Then))
      Then = CS->body_empty() ? nullptr : CS->body_back();
    bool Err = OnErrorPath || containsWriteCall(If->getCond(), Model) ||
               isa_and_nonnull<ReturnStmt>(Then);
    collectStores(If->getCond(), Body, OnErrorPath, Model, Out);
    collectStores(If->getThen(), Body, Err, Model, Out);
    collectStores(If->getElse(), Body, OnErrorPath, Model, Out);
    return;
  }
  if (const auto *Catch = dyn_cast<CXXCatchStmt>(S)) {
    collectStores(Catch->getHandlerBlock(), Body, true, Model, Out);
    return;
  }
  for (const Stmt *C : S->children())
    collectStores(C, Body, OnErrorPath, Model, Out);
}

const RecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return T->getAsRecordDecl();
}

/// The local variables of \p Reader that the start \p Origin mentions and
/// whose record type (or pointee's) has member \p F.
void holdersOf(const Stmt *S, const FieldDecl *F, const Decl *Reader,
               llvm::SmallPtrSetImpl<const VarDecl *> &Out) {
  if (!S)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->isLocalVarDecl() && !VD->isStaticLocal() &&
        VD->getParentFunctionOrMethod() == dyn_cast<DeclContext>(Reader) &&
        recordOf(VD->getType()) == F->getParent())
      Out.insert(VD);
  for (const Stmt *C : S->children())
    holdersOf(C, F, Reader, Out);
}

/// Is the record read in \p S after \p After (outside \p Skip, the
/// writer's own code)? \p Parent is the MemberExpr around \p S, if any.
bool readAfter(const Stmt *S, const FailureStore &F,
               const llvm::SmallPtrSetImpl<const VarDecl *> &Holders,
               SourceLocation After, const Stmt *Skip,
               const SourceManager &SM, bool UnderMember = false) {
  if (!S || S == Skip)
    return false;
  // free(a), `delete a`: the struct ends unread.
  if (isa<CXXDeleteExpr>(S))
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S);
      CE && isDeallocator(CE->getDirectCallee()))
    return false;
  bool Later = SM.isBeforeInTranslationUnit(After, S->getBeginLoc());
  if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    if (Later && F.Field && ME->getMemberDecl() == F.Field)
      return true;
    return readAfter(ME->getBase(), F, Holders, After, Skip, SM, true);
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (!Later)
      return false;
    if (F.Var && DRE->getDecl() == F.Var)
      return true;
    // The struct used whole: passed, returned, its address taken.
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && Holders.count(VD) && !UnderMember;
  }
  for (const Stmt *C : S->children())
    if (readAfter(C, F, Holders, After, Skip, SM, false))
      return true;
  return false;
}

/// Is \p V's address taken in \p S outside \p Skip (another reader may
/// look through it)?
bool addressTaken(const Stmt *S, const VarDecl *V, const Stmt *Skip) {
  if (!S || S == Skip)
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(S); UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
        DRE && DRE->getDecl() == V)
      return true;
  for (const Stmt *C : S->children())
    if (addressTaken(C, V, Skip))
      return true;
  return false;
}

bool isNull(const Expr *E, ASTContext &Ctx) {
  return E && !E->isValueDependent() &&
         E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

bool isExceptionPtr(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != "exception_ptr")
    return false;
  // libstdc++ declares it in std::__exception_ptr.
  for (const DeclContext *DC = RD->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isStdNamespace())
      return true;
  return false;
}
} // namespace

bool WriterErrorIgnoredCheck::checkUnreadFailureFlag(const FunctionAnalysis &A,
                                                     const TaskEvent &Ev,
                                                     const PathState &S) {
  const TaskInfo &T = A.tasks()[Ev.Task];
  const Decl *Reader = A.decl();
  if (!T.Body || T.Holds.empty() || !T.Origin || !Reader || !Reader->getBody() ||
      Ev.K != TaskEvent::Join)
    return false;
  // pthread_join(t, &ret): the routine's result is another channel.
  if (const auto *Join = dyn_cast_or_null<CallExpr>(Ev.At);
      Join && T.Kind == TaskKind::PThread &&
      !isNull(callArg(Join, 1), A.context()))
    return false;
  llvm::SmallVector<FailureStore, 4> Stores;
  collectStores(T.Body, T.Body, false, model(), Stores);
  const SourceManager &SM = A.context().getSourceManager();
  const Stmt *ReaderBody = Reader->getBody();
  // The writer's code inside the reader (a lambda), skipped when looking
  // for reads: the writer's own mentions are not the reader's.
  const Stmt *Skip = T.Origin;
  for (const FailureStore &F : Stores) {
    llvm::SmallPtrSet<const VarDecl *, 2> Holders;
    std::string Name;
    if (F.Var) {
      // A local of the reader's, captured by reference.
      if (!F.Var->isLocalVarDecl() || F.Var->isStaticLocal() ||
          F.Var->getParentFunctionOrMethod() != dyn_cast<DeclContext>(Reader) ||
          addressTaken(ReaderBody, F.Var, Skip))
        continue;
      Name = F.Var->getNameAsString();
    } else {
      holdersOf(T.Origin, F.Field, Reader, Holders);
      if (Holders.size() != 1)
        continue;
      const VarDecl *H = *Holders.begin();
      Name = H->getNameAsString() +
             (H->getType().getNonReferenceType()->isPointerType() ? "->"
                                                                  : ".") +
             F.Field->getNameAsString();
    }
    if (readAfter(ReaderBody, F, Holders, Ev.Loc, Skip, SM))
      continue;
    const EofRead *Rd = drainedBefore(A, Ev.Task, Ev.Loc);
    if (!Rd)
      return false;
    bool Exc = F.Var ? isExceptionPtr(F.Var->getType())
                     : isExceptionPtr(F.Field->getType());
    Reported.insert(Ev.At);
    diag(Ev.Loc, "the writer records its failure in '%0', but nothing reads "
                 "'%0' after it is joined here: a writer that fails part-way "
                 "looks to the reader of '%1' like one that finished, and the "
                 "output read is used as if complete; %select{test '%0' after "
                 "the join and report the failure|rethrow '%0' after the join "
                 "(std::rethrow_exception) when it is set}2")
        << Name << A.nameOf(Rd->End, Rd->State) << int(Exc);
    diag(T.Origin->getBeginLoc(), "the writer starts here",
         DiagnosticIDs::Note);
    diag(F.At->getBeginLoc(), "it records its failure here",
         DiagnosticIDs::Note);
    noteReader(A, *Rd);
    addBranchNote(S);
    return true;
  }
  return false;
}

} // namespace clang::tidy::pipe
