//===--- CopySummary.cpp - which descriptor a helper copies into which ----===//
#include "summaries/CopySummary.h"
#include "AstQueries.h"
#include "summaries/CalleeSummary.h"
#include "engine/FlowEngine.h" // detail::indexSel(), fieldSel(), child()

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::pipe {

CopySummaries &copySummaries(CalleeSummaries &Callees) {
  if (!Callees.Copies)
    Callees.Copies = std::make_shared<CopySummaries>(Callees);
  return *Callees.Copies;
}

const ValueDecl *copyBufferOf(const CallExpr *CE, int Skip) {
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    if (int(I) == Skip)
      continue;
    const Expr *E = CE->getArg(I)->IgnoreParenImpCasts();
    if (!E->getType()->isPointerType() && !E->getType()->isArrayType())
      continue;
    for (;;) {
      E = E->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E))
        E = UO->getSubExpr();
      else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
        E = AS->getBase();
      else if (const auto *BO = dyn_cast<BinaryOperator>(E);
               BO && BO->isAdditiveOp())
        E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS()
                                                     : BO->getRHS();
      else if (const auto *C = dyn_cast<ExplicitCastExpr>(E))
        E = C->getSubExpr();
      else
        break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    return nullptr;
  }
  return nullptr;
}

const Expr *CopySummaries::argForParam(const CallExpr *CE,
                                       const FunctionDecl *Callee,
                                       unsigned Param) {
  if (Param == SummarySlot::ThisParam) {
    // The object of a member call.
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
    return MCE ? MCE->getImplicitObjectArgument() : nullptr;
  }
  unsigned Shift = 0;
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
      MD && !MD->isStatic() && isa<CXXOperatorCallExpr>(CE))
    Shift = 1; // `pump(a, b)` on a lambda: argument 0 is the lambda
  return Param + Shift < CE->getNumArgs() ? CE->getArg(Param + Shift) : nullptr;
}

const CopySummary *CopySummaries::get(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def->isDependentContext() || !Def->getBody())
    return nullptr;
  if (Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return nullptr; // library code is the API model's
  auto Use = [&](const Entry &E, bool Tainted) -> const CopySummary * {
    if (Depth > 0) {
      SubHeight = std::max(SubHeight, E.Height + 1);
      Cut |= Tainted;
    }
    return E.Summary ? &*E.Summary : nullptr;
  };
  if (auto It = Cache.find(Def); It != Cache.end()) {
    if (Depth + It->second.Height >= MaxDepth) {
      Cut = true; // computed afresh here, it would have been cut
      return nullptr;
    }
    return Use(It->second, false);
  }
  if (Depth == 0) {
    if (auto It = RootCache.find(Def); It != RootCache.end())
      return Use(It->second, false);
  } else if (auto It = Transient.find({Def, Depth}); It != Transient.end()) {
    return Use(It->second, true);
  }
  if (llvm::is_contained(InProgress, Def) || Depth >= MaxDepth) {
    Cut = true; // recursion, or too deep: nothing through this call
    return nullptr;
  }
  unsigned SavedHeight = SubHeight;
  bool SavedCut = Cut;
  SubHeight = 0;
  Cut = false;
  InProgress.push_back(Def);
  ++Depth;
  Entry E{compute(Def), 0};
  --Depth;
  InProgress.pop_back();
  E.Height = SubHeight;
  bool WasCut = Cut;
  SubHeight = SavedHeight;
  Cut = SavedCut;
  if (!WasCut) {
    if (Depth == 0)
      Transient.clear();
    const Entry &Kept = Cache.emplace(Def, std::move(E)).first->second;
    return Use(Kept, false);
  }
  if (Depth == 0) {
    // Cut short, asked from here: the answer depends on nothing but where
    // the question started. What was cut below is forgotten.
    Transient.clear();
    Entry &Slot = RootCache[Def];
    Slot = std::move(E);
    return Slot.Summary ? &*Slot.Summary : nullptr;
  }
  // Cut short: kept only while the question that computed it is open.
  Entry &Slot = Transient[{Def, Depth}];
  Slot = std::move(E);
  return Use(Slot, true);
}

namespace {

std::optional<SummarySlot> below(SummarySlot S, uint16_t Sel) {
  std::optional<LocKey> L = child(LocKey{nullptr, S.Sel}, Sel);
  if (!L)
    return std::nullopt;
  S.Sel = L->Sel;
  return S;
}

/// The slots of one function's body: which of its expressions name a
/// descriptor its caller passes in.
class SlotFinder {
public:
  SlotFinder(const FunctionDecl *Def, const ApiModel &Model)
      : Def(Def), Model(Model) {
    // Locals assigned after their initialisation (or whose address is
    // taken) do not stand for the slot they were initialised from.
    walkStmts(Def->getBody(), [&](const Stmt *S) {
      const Expr *Target = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(S);
          BO && (BO->isAssignmentOp() || BO->isCompoundAssignmentOp()))
        Target = BO->getLHS();
      else if (const auto *UO = dyn_cast<UnaryOperator>(S);
               UO && (UO->isIncrementDecrementOp() ||
                      UO->getOpcode() == UO_AddrOf))
        Target = UO->getSubExpr();
      if (const auto *DRE =
              dyn_cast_or_null<DeclRefExpr>(Target ? stripCasts(Target) : nullptr)) {
        Changed.insert(DRE->getDecl());
        // Stepped (`p += n`, `p++`), not pointed elsewhere.
        bool Steps = (isa<BinaryOperator>(S) &&
                      (cast<BinaryOperator>(S)->getOpcode() == BO_AddAssign ||
                       cast<BinaryOperator>(S)->getOpcode() == BO_SubAssign)) ||
                     (isa<UnaryOperator>(S) &&
                      cast<UnaryOperator>(S)->isIncrementDecrementOp());
        if (!Steps)
          Repointed.insert(DRE->getDecl());
      }
      return WalkStep::Into;
    });
  }

  /// The buffer behind \p B: \p B itself, or, for a local pointer that
  /// starts at a buffer and only steps through it (`char *p = buf; ...
  /// write(to, p, n); p += w;`), that buffer.
  const ValueDecl *bufferRoot(const ValueDecl *B) const {
    for (unsigned Hops = 0; B && Hops < 4; ++Hops) {
      const auto *V = dyn_cast<VarDecl>(B);
      if (!V || !V->isLocalVarDecl() || V->getDeclContext() != Def ||
          !V->getType()->isPointerType() || Repointed.count(V) ||
          !V->getInit())
        return B;
      const Expr *E = V->getInit();
      for (;;) {
        E = E->IgnoreParenImpCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(E);
            UO && UO->getOpcode() == UO_AddrOf)
          E = UO->getSubExpr();
        else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
          E = AS->getBase();
        else if (const auto *BO = dyn_cast<BinaryOperator>(E);
                 BO && BO->isAdditiveOp())
          E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS()
                                                       : BO->getRHS();
        else if (const auto *C = dyn_cast<ExplicitCastExpr>(E))
          E = C->getSubExpr();
        else
          break;
      }
      const auto *DRE = dyn_cast<DeclRefExpr>(E);
      if (!DRE)
        return B;
      B = DRE->getDecl();
    }
    return B;
  }

  /// The slot \p E names, if it is a descriptor the caller passes in.
  std::optional<SummarySlot> slotOf(const Expr *E, unsigned Hops = 0) const {
    E = stripCasts(E);
    if (!E || Hops > 4)
      return std::nullopt;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      // A descriptor, or a stream (`FILE *src`) that holds one: the
      // engine gives a stream the end it was opened on.
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V || !(mayHoldDescriptorValue(V->getType()) || isStdioStreamPointer(V->getType())))
        return std::nullopt;
      if (int I = paramIndex(V); I >= 0)
        return SummarySlot{SummarySlot::Value, unsigned(I), 0};
      // `[wr = p[1]]`: what the initialiser names where the lambda is made.
      if (V->isInitCapture())
        return capturedSlot(V);
      if (const Expr *Init = fixedInit(V))
        return slotOf(Init, Hops + 1);
      if (!V->getType()->isReferenceType())
        return capturedSlot(V);
      return std::nullopt;
    }
    // `fdopen(fds[1], "w")`: the stream stands for the descriptor.
    if (const Expr *Fd = Model.fdopenDescriptor(dyn_cast<CallExpr>(E)))
      return slotOf(Fd, Hops + 1);
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      Expr::EvalResult R;
      if (AS->getIdx()->isValueDependent() ||
          !AS->getIdx()->EvaluateAsInt(R, Def->getASTContext()))
        return std::nullopt;
      int64_t K = R.Val.getInt().getExtValue();
      auto Base = pointeeOf(AS->getBase(), Hops + 1);
      if (K < 0 || K > 1 || !Base)
        return std::nullopt;
      return below(*Base, indexSel(unsigned(K)));
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      // `p->wr`, or `r.wr` of a reference parameter `struct pipe &r`.
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F || !mayHoldDescriptorValue(F->getType()))
        return std::nullopt;
      auto Base = pointeeOf(ME->getBase(), Hops + 1);
      return Base ? below(*Base, fieldSel(F->getFieldIndex())) : std::nullopt;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref)
      return pointeeOf(UO->getSubExpr(), Hops + 1);
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E);
        OCE && OCE->getOperator() == OO_Subscript && OCE->getNumArgs() == 2 &&
        isStdArrayType(OCE->getArg(0)->getType())) {
      // `a[1]` of a `std::array<int, 2> &a` parameter.
      Expr::EvalResult R;
      if (OCE->getArg(1)->isValueDependent() ||
          !OCE->getArg(1)->EvaluateAsInt(R, Def->getASTContext()))
        return std::nullopt;
      int64_t K = R.Val.getInt().getExtValue();
      auto Base = pointeeOf(OCE->getArg(0), Hops + 1);
      if (K < 0 || K > 1 || !Base)
        return std::nullopt;
      return below(*Base, indexSel(unsigned(K)));
    }
    return std::nullopt;
  }

  /// The place \p E points to, if it is below a pointer parameter: `p`,
  /// `p->fds` (an array member), `t->body` (a struct member) or
  /// `&t->body`, a local initialised from one of them.
  std::optional<SummarySlot> pointeeOf(const Expr *E, unsigned Hops = 0) const {
    E = stripCasts(E);
    if (!E || Hops > 4)
      return std::nullopt;
    // `this` of a member function: its members (`queue_[0]`).
    if (isa<CXXThisExpr>(E)) {
      const auto *MD = dyn_cast<CXXMethodDecl>(Def);
      if (!MD || MD->isStatic() || MD->getParent()->isLambda())
        return std::nullopt;
      return SummarySlot{SummarySlot::Pointee, SummarySlot::ThisParam, 0};
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V)
        return std::nullopt;
      if (V->getType()->isReferenceType() &&
          !V->getType()->getPointeeType()->isIntegerType()) {
        // A reference parameter names the caller's place itself (an
        // `int (&)[2]`, a `std::array<int, 2> &`, a `struct pipe &`).
        int I = paramIndex(V);
        return I >= 0 ? std::optional<SummarySlot>(
                            SummarySlot{SummarySlot::Pointee, unsigned(I), 0})
                      : std::nullopt;
      }
      // `p[0]` of an array `int p[2]` a lambda captures by reference.
      if (V->getType()->isConstantArrayType())
        return capturedSlot(V);
      if (!V->getType()->isPointerType())
        return std::nullopt;
      if (int I = paramIndex(V); I >= 0)
        return SummarySlot{SummarySlot::Pointee, unsigned(I), 0};
      if (const Expr *Init = fixedInit(V))
        return pointeeOf(Init, Hops + 1);
      return std::nullopt;
    }
    // `&t->body`: the struct member itself.
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_AddrOf)
      if (const auto *ME = dyn_cast<MemberExpr>(stripCasts(UO->getSubExpr()));
          ME && ME->getType()->isRecordType())
        return pointeeOf(ME, Hops + 1);
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      // An array member (`p->fds`), or a struct member (`t->body` of
      // `t->body.rd`): a place below the one its base points to.
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F || !(F->getType()->isConstantArrayType() ||
                  F->getType()->isRecordType()))
        return std::nullopt;
      auto Base = pointeeOf(ME->getBase(), Hops + 1);
      return Base ? below(*Base, fieldSel(F->getFieldIndex())) : std::nullopt;
    }
    return std::nullopt;
  }

private:
  /// A variable of the enclosing function that the lambda \p Def is the
  /// call operator of captures: its caller's own variable
  /// (SummarySlot::Captured), when the lambda never assigns it. A capture
  /// by copy (`[=]`, `[p]`) holds the same descriptor numbers as the
  /// variable did where the lambda was made.
  std::optional<SummarySlot> capturedSlot(const VarDecl *V) const {
    const auto *MD = dyn_cast<CXXMethodDecl>(Def);
    if (!MD || !MD->getParent()->isLambda() || Changed.count(V) ||
        !V->hasLocalStorage() ||
        (V->getDeclContext() == Def && !V->isInitCapture()))
      return std::nullopt;
    llvm::DenseMap<const compat::CapturedDecl *, FieldDecl *> Captures;
    FieldDecl *ThisCapture = nullptr;
    MD->getParent()->getCaptureFields(Captures, ThisCapture);
    auto It = Captures.find(V);
    if (It == Captures.end() || !It->second)
      return std::nullopt;
    SummarySlot Sl;
    Sl.K = SummarySlot::Captured;
    Sl.Var = V;
    return Sl;
  }
  int paramIndex(const VarDecl *V) const {
    for (unsigned I = 0; I < Def->getNumParams(); ++I)
      if (Def->getParamDecl(I) == V)
        return Changed.count(V) ? -1 : int(I);
    return -1;
  }
  const Expr *fixedInit(const VarDecl *V) const {
    if (!V->isLocalVarDecl() || V->getDeclContext() != Def ||
        Changed.count(V) || V->getType()->isReferenceType())
      return nullptr;
    return V->getInit();
  }

  const FunctionDecl *Def;
  const ApiModel &Model;
  llvm::DenseSet<const ValueDecl *> Changed;
  /// Assigned other than by stepping, or address taken.
  llvm::DenseSet<const ValueDecl *> Repointed;
};

/// Whether two slots are the two elements of one `[2]` array below the
/// same parameter (or captured variable): `a[0]` and `a[1]` of `int a[2]`,
/// `s->fds[0]` and `s->fds[1]`. The argument carries one pipe, and the
/// function that names both elements chose to copy it into itself. Two
/// fields (`r->in`, `r->out`) are not a pair: whoever filled them chose.
bool samePair(const SummarySlot &A, const SummarySlot &B) {
  if (A.K != B.K || (A.K != SummarySlot::Pointee && A.K != SummarySlot::Captured))
    return false;
  if (A.K == SummarySlot::Pointee ? A.Param != B.Param : A.Var != B.Var)
    return false;
  // The path to the last selector, and the last one.
  auto Split = [](SelPath Sel) {
    unsigned D = selDepth(Sel);
    SelPath Last = D ? Sel >> (16 * (D - 1)) : 0;
    return std::make_pair(Sel ^ (Last << (16 * (D ? D - 1 : 0))), Last);
  };
  auto [PA, LA] = Split(A.Sel);
  auto [PB, LB] = Split(B.Sel);
  return PA == PB && LA != LB && (LA == indexSel(0) || LA == indexSel(1)) &&
         (LB == indexSel(0) || LB == indexSel(1));
}

/// Whether \p Read is the test of \p Loop, alone: `while ((n =
/// read(...)) > 0)`, not `while (left > 0 && (n = read(...)) > 0)`.
bool readIsLoopTest(const Stmt *Loop, const CallExpr *Read) {
  const Expr *Cond = nullptr;
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    Cond = W->getCond();
  else if (const auto *F = dyn_cast<ForStmt>(Loop))
    Cond = F->getCond();
  else if (const auto *D = dyn_cast<DoStmt>(Loop))
    Cond = D->getCond();
  if (!Cond || !Cond->getSourceRange().fullyContains(Read->getSourceRange()))
    return false;
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  return !BO || !BO->isLogicalOp();
}

void addFact(CopySummary &CS, const CopyFact &F) {
  for (CopyFact &Old : CS.Facts)
    if (Old.From == F.From && Old.To == F.To) {
      if (F.Loop && !Old.Loop)
        Old = F; // a fallback loop: the copy hangs, whatever came first
      else if (F.Loop == Old.Loop)
        Old.ReadsToEof |= F.ReadsToEof;
      return;
    }
  CS.Facts.push_back(F);
}
} // namespace

std::optional<CopySummary> CopySummaries::compute(const FunctionDecl *Def) {
  const ApiModel &Model = Callees.model();
  SlotFinder Slots(Def, Model);
  CopySummary CS;
  // Slots this function stores into (`st->fds[1] = st->out[1];`): what the
  // caller passed there is not what a copy through them uses, so no fact
  // names them.
  llvm::SmallVector<SummarySlot, 2> Stored;
  walkStmts(Def->getBody(), [&](const Stmt *X) {
    if (const auto *BO = dyn_cast<BinaryOperator>(X);
        BO && (BO->isAssignmentOp() || BO->isCompoundAssignmentOp()))
      if (auto Sl = Slots.slotOf(BO->getLHS());
          Sl && Sl->K != SummarySlot::Value)
        Stored.push_back(*Sl);
    return WalkStep::Into;
  });
  auto addFact = [&](CopySummary &CS, const CopyFact &F) {
    if (llvm::is_contained(Stored, F.From) || llvm::is_contained(Stored, F.To))
      return;
    pipe::addFact(CS, F);
  };

  // The slot and buffer of every read and write in one loop, and the copy
  // facts of every call (kernel copies, helpers).
  struct Access {
    SummarySlot Slot;
    const ValueDecl *Buffer;
    const CallExpr *Call;
    const Expr *Arg; ///< the descriptor argument
  };
  auto Accesses = [&](const CallExpr *CE, llvm::SmallVectorImpl<Access> *Reads,
                      llvm::SmallVectorImpl<Access> *Writes) {
    const FunctionDecl *Callee = ApiModel::calleeOf(CE);
    if (const ApiFunction *Api = Model.lookup(Callee)) {
      if (Api->Arg < 0 || unsigned(Api->Arg) >= CE->getNumArgs())
        return;
      auto *Into = Api->Role == ApiRole::Read    ? Reads
                   : Api->Role == ApiRole::Write ? Writes
                                                 : nullptr;
      if (!Into)
        return;
      if (auto Sl = Slots.slotOf(CE->getArg(unsigned(Api->Arg))))
        if (const ValueDecl *Buf = Slots.bufferRoot(copyBufferOf(CE, Api->Arg)))
          Into->push_back({*Sl, Buf, CE, CE->getArg(unsigned(Api->Arg))});
      return;
    }
    if (!Callee)
      return;
    for (unsigned P = 0; P < Callee->getNumParams(); ++P) {
      const Expr *Arg = argForParam(CE, Callee, P);
      auto Sl = Arg ? Slots.slotOf(Arg) : std::nullopt;
      if (!Sl)
        continue;
      const ParamSummary *PS = Callees.paramSummary(Callee, P);
      if (!PS)
        continue;
      int ArgIndex = -1;
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (CE->getArg(I) == Arg)
          ArgIndex = int(I);
      const ValueDecl *Buf = Slots.bufferRoot(copyBufferOf(CE, ArgIndex));
      if (!Buf)
        continue;
      if (PS->Reads && Reads)
        Reads->push_back({*Sl, Buf, CE, Arg});
      if (PS->Writes.K != WriteBound::None && Writes)
        Writes->push_back({*Sl, Buf, CE, Arg});
    }
  };

  llvm::SmallVector<const Stmt *, 64> Stack{Def->getBody()};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue; // summarised on their own
    for (const Stmt *C : S->children())
      Stack.push_back(C);
    if (isLoopStmt(S)) {
      // A read of slot i into a buffer and a write of that buffer to slot j
      // in the same loop: a copy through user space.
      llvm::SmallVector<Access, 4> Reads, Writes;
      llvm::SmallVector<const Stmt *, 32> Inner{S};
      while (!Inner.empty()) {
        const Stmt *X = Inner.pop_back_val();
        if (!X || isa<LambdaExpr>(X) || isa<BlockExpr>(X))
          continue;
        for (const Stmt *C : X->children())
          Inner.push_back(C);
        if (const auto *CE = dyn_cast<CallExpr>(X))
          Accesses(CE, &Reads, &Writes);
      }
      for (const Access &W : Writes)
        for (const Access &Rd : Reads)
          if (Rd.Buffer == W.Buffer && Rd.Slot != W.Slot) {
            CopyFact F;
            F.From = Rd.Slot;
            F.To = W.Slot;
            F.Loop = true;
            F.Site = W.Call;
            // Until end-of-file: the loop's own test is the read's result
            // (`while ((n = read(from, ...)) > 0)`, as readsUntilEof() in
            // a function of its own), or the helper's summary says so.
            F.ReadsToEof = readIsLoopTest(S, Rd.Call);
            if (Rd.Slot.K == SummarySlot::Value)
              if (const ParamSummary *PS =
                      Callees.paramSummary(Def, Rd.Slot.Param))
                F.ReadsToEof |= PS->ReadsToEof;
            if (samePair(F.From, F.To)) {
              F.PairedAt = W.Call;
              F.PairedFrom = Rd.Arg;
              F.PairedTo = W.Arg;
            }
            addFact(CS, F);
          }
      continue;
    }
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE)
      continue;
    const FunctionDecl *Callee = ApiModel::calleeOf(CE);
    if (const ApiFunction *Api = Model.lookup(Callee)) {
      if (Api->Role != ApiRole::Copy)
        continue;
      auto ArgAt = [&](int I) -> const Expr * {
        return I >= 0 && unsigned(I) < CE->getNumArgs() ? CE->getArg(unsigned(I))
                                                         : nullptr;
      };
      const Expr *From = ArgAt(Api->Arg), *To = ArgAt(Api->Arg2);
      auto FS = From ? Slots.slotOf(From) : std::nullopt;
      auto TS = To ? Slots.slotOf(To) : std::nullopt;
      if (FS && TS) {
        CopyFact F;
        F.From = *FS;
        F.To = *TS;
        F.Kernel = Callee;
        F.Site = CE;
        if (samePair(F.From, F.To)) {
          F.PairedAt = CE;
          F.PairedFrom = From;
          F.PairedTo = To;
        }
        addFact(CS, F);
      }
      continue;
    }
    // A helper's copies, in terms of this function's slots.
    const CopySummary *Inner = get(Callee);
    if (!Inner)
      continue;
    auto Translate = [&](const SummarySlot &Sl) -> std::optional<SummarySlot> {
      // What the callee's lambda captures is not passed at this call.
      if (Sl.K == SummarySlot::Captured)
        return std::nullopt;
      const Expr *Arg = argForParam(CE, Callee, Sl.Param);
      if (!Arg)
        return std::nullopt;
      if (Sl.K == SummarySlot::Value)
        return Slots.slotOf(Arg);
      if (Sl.K != SummarySlot::Pointee)
        return std::nullopt;
      std::optional<SummarySlot> P = Slots.pointeeOf(Arg);
      for (SelPath Rest = Sl.Sel; P && Rest; Rest >>= 16)
        P = below(*P, uint16_t(Rest & 0xffff));
      return P;
    };
    for (const CopyFact &IF : Inner->Facts) {
      auto FS = Translate(IF.From), TS = Translate(IF.To);
      if (!FS || !TS)
        continue;
      CopyFact F = IF;
      F.From = *FS;
      F.To = *TS;
      // Two arguments of this call, one parameter of ours: the pair is
      // chosen here.
      const Expr *FromArg = argForParam(CE, Callee, IF.From.Param);
      const Expr *ToArg = argForParam(CE, Callee, IF.To.Param);
      if (FromArg != ToArg && samePair(F.From, F.To)) {
        F.PairedAt = CE;
        F.PairedFrom = FromArg;
        F.PairedTo = ToArg;
      }
      addFact(CS, F);
    }
  }
  if (CS.Facts.empty())
    return std::nullopt;
  return CS;
}

} // namespace clang::tidy::pipe
