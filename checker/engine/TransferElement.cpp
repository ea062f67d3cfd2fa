//===--- TransferElement.cpp - one CFG element applied to a path state ----===//
//
// Step 3 of the engine: transferElement() dispatches one CFG element
// (a call, a declaration, an assignment, a return, a lambda, ...) to the
// transfer functions; the elements it leaves alone (isInertElement());
// structured bindings' holding variables the CFG leaves out.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::pipe {

namespace {
/// The part of \p VD that \p E names: an element by constant index
/// (`fds[1]`) or an integer member (`pp.rd`), as a selector below \p VD.
std::optional<SelPath> partOf(const Expr *E, const ValueDecl *VD) {
  auto IsVD = [&](const Expr *X) {
    const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == VD;
  };
  E = E->IgnoreParens();
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E);
      ASE && IsVD(ASE->getBase()))
    if (const auto *IL =
            dyn_cast<IntegerLiteral>(ASE->getIdx()->IgnoreParenImpCasts()))
      return indexSel(unsigned(IL->getValue().getLimitedValue(0x7ffe)));
  if (const auto *ME = dyn_cast<MemberExpr>(E);
      ME && !ME->isArrow() && IsVD(ME->getBase()))
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
        FD && FD->getType()->isIntegerType() && FD->getFieldIndex() < 16)
      return fieldSel(FD->getFieldIndex());
  return std::nullopt;
}

/// The parts of \p VD that \p Body only reads: elements of an array by
/// constant index (`fds[1]` as a value), members of a struct (`pp.rd`), as
/// selectors below \p VD; nullopt if it uses \p VD in any other way (the
/// whole of it, its address, a store, an unknown index).
std::optional<llvm::SmallVector<uint32_t, 2>>
partsOnlyRead(const Stmt *Body, const ValueDecl *VD) {
  QualType T = VD->getType().getCanonicalType();
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!Body || !(T->isConstantArrayType() || (RD && !isa<CXXRecordDecl>(RD)) ||
                 (RD && cast<CXXRecordDecl>(RD)->isAggregate())))
    return std::nullopt;
  llvm::SmallVector<uint32_t, 2> Read;
  unsigned Refs = 0, Accounted = 0;
  auto Add = [&](SelPath Sel) {
    if (std::find(Read.begin(), Read.end(), Sel) == Read.end())
      Read.push_back(Sel);
    ++Accounted;
  };
  llvm::SmallVector<const Stmt *, 32> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD)
      ++Refs;
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S);
        Cast && Cast->getCastKind() == CK_LValueToRValue)
      if (std::optional<SelPath> Sel = partOf(Cast->getSubExpr(), VD))
        Add(*Sel);
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  if (Refs != Accounted)
    return std::nullopt;
  return Read;
}
} // namespace

void FlowEngineImpl::transferElement(const Stmt *St, PathState &S,
                                     llvm::SmallVectorImpl<PathState> &Out,
                                     bool Observe) {
  if (const auto *CE = dyn_cast<CallExpr>(St)) {
    size_t Before = Out.size();
    transferCall(CE, S, Out, Observe);
    // `run_lister(cat, p[1]);` in the child, which ends in `_exit(0)`.
    if (callNeverReturns(CE))
      Out.resize(Before);
    return;
  }
  // A local object's construction, as the call of its constructor.
  if (const CallExpr *CE = constructorCall(St)) {
    transferCall(CE, S, Out, Observe);
    return;
  }
  // The construction inside `new T(args)`: the allocation applies it, on
  // the new object's place, once it is allocated.
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(St);
      CCE && !HeapConstructs.empty() && HeapConstructs.count(CCE)) {
    Out.push_back(std::move(S));
    return;
  }
  if (const CloseAllLoop *L = closeAllLoopStartedBy(St))
    applyCloseAllLoop(*L, S);
  if (const CloseEachLoop *L = closeEachLoopStartedBy(St)) {
    // The list or array the loop walks is not copied anywhere else.
    applyCloseEachLoop(*L, S);
    Out.push_back(std::move(S));
    return;
  }
  if (const JoinAllLoop *L = joinAllLoopStartedBy(St))
    applyJoinAllLoop(*L, S, Observe);
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->isAssignmentOp()) {
      auto LV = lvalueOf(BO->getLHS(), S);
      AbsVal V = BO->getOpcode() == BO_Assign ? eval(BO->getRHS(), S)
                                              : AbsVal::unknown();
      if (BO->getOpcode() != BO_Assign && LV && LV->Tracked && !LV->AnyIndex) {
        AbsVal Old = S.load(LV->L), Rhs = eval(BO->getRHS(), S);
        markNumeric(Old, S);
        if (Old.isConst() && Rhs.isConst()) {
          if (BO->getOpcode() == BO_AddAssign)
            V = AbsVal::constant(Old.Lo + Rhs.Lo);
          else if (BO->getOpcode() == BO_SubAssign)
            V = AbsVal::constant(Old.Lo - Rhs.Lo);
          else if (BO->getOpcode() == BO_OrAssign)
            V = AbsVal::constant(Old.Lo | Rhs.Lo);
        }
      }
      const Expr *Rhs = BO->getRHS()->IgnoreParenImpCasts();
      if (LV && LV->Tracked && !LV->AnyIndex && BO->getOpcode() == BO_Assign)
        noteHandleCopied(LV->L, Rhs, S);
      if (LV && LV->Tracked && !LV->AnyIndex &&
          BO->getLHS()->getType()->isRecordType()) {
        // A whole struct: from another tracked one, or from a literal.
        if (isa<CompoundLiteralExpr>(Rhs) || isa<InitListExpr>(Rhs) ||
            returnedStruct(Rhs, S))
          initialize(LV->L, BO->getLHS()->getType(), Rhs, S, 0);
        else if (auto Src = lvalueOf(Rhs, S); Src && Src->Tracked && !Src->AnyIndex)
          copyRecord(S, LV->L, Src->L);
        else
          handOffExpr(S, BO->getRHS());
      } else if (LV && LV->Tracked) {
        store(S, *LV, V);
        if (BO->getOpcode() == BO_Assign)
          rememberElementStore(S, BO->getLHS(), *LV, V);
        // A constructor keeping an end in a member (Exceptions.cpp).
        if (ConstructorThis && V.K == AbsVal::End && LV->L.Base == ThisPlace)
          R.MemberStores.try_emplace(V.E, BO);
      } else {
        // A number kept for a test right after (AbstractState.h,
        // FreshStores); a store we cannot place may change any of them.
        if (LV && !LV->AnyIndex && BO->getOpcode() == BO_Assign &&
            V.K == AbsVal::Int) {
          llvm::erase_if(S.FreshStores,
                         [&](const auto &P) { return P.first == LV->L; });
          S.FreshStores.push_back({LV->L, V});
        } else {
          S.FreshStores.clear();
        }
        // Stored through something we do not follow: whatever the right-hand
        // side mentions is handed off. A task given the pointer (or `this`)
        // it went through holds it.
        if (V.K == AbsVal::End)
          if (const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
            const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
            const Decl *Key = nullptr;
            if (isa<CXXThisExpr>(Base))
              Key = R.FD;
            else if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
              Key = DRE->getDecl();
            if (Key) {
              auto &V2 = EndsStoredVia[Key];
              if (std::find(V2.begin(), V2.end(), V.E) == V2.end())
                V2.push_back(V.E);
            }
          }
        handOffValue(S, V);
        handOffExpr(S, BO->getRHS());
      }
    }
  } else if (const auto *Cast = dyn_cast<ImplicitCastExpr>(St);
             Cast && Cast->getCastKind() == CK_LValueToRValue) {
    // `fildes[rd]` with an unknown rd: which end flows on is unknown, so
    // no end of that array can be reported any more.
    if (auto LV = lvalueOf(Cast->getSubExpr(), S); LV && LV->AnyIndex) {
      llvm::SmallVector<EndId, 4> Held;
      auto [Lo, Hi] = PathState::keysWithin(LV->L);
      S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &P) {
        if (P.K == AbsVal::End)
          Held.push_back(P.E);
        return true;
      });
      for (EndId E : Held)
        S.ref(E)->Flags |= Lost;
    }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
    if (UO->isIncrementDecrementOp())
      if (auto LV = lvalueOf(UO->getSubExpr(), S))
        if (LV->Tracked && !LV->AnyIndex) {
          AbsVal Old = S.load(LV->L);
          markNumeric(Old, S);
          setLoc(S, LV->L,
                 Old.isConst() ? AbsVal::constant(Old.Lo + (UO->isIncrementOp() ? 1 : -1))
                               : AbsVal::unknown());
        }
  } else if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        transferDecl(VD, S);
    llvm::SmallVector<const VarDecl *, 2> Holding =
        compat::holdingVarsMissingFromCFG(DS);
    if (!Holding.empty()) {
      transferHoldingVars(Holding, S, Out, Observe);
      return;
    }
  } else if (const auto *RS = dyn_cast<ReturnStmt>(St)) {
    // Summary mode: a struct returned by value is read off the exit state
    // (FunctionSummaries.cpp), not given away.
    const Expr *RV = RS->getRetValue();
    bool StructResult = false;
    if (SummaryMode && RV && RV->getType()->isRecordType())
      if (const Expr *Obj = returnedObjectOf(RS)) {
        if (auto LV = lvalueOf(Obj, S))
          StructResult = LV->Tracked && !LV->AnyIndex && LV->L.Sel == 0;
        // `return {fds[0], fds[1]};`, `return std::make_pair(a, b);`.
        if (!StructResult)
          StructResult = materializeReturned(Obj, S);
        // `return make_pipe();`: the aggregate a summarised helper returned.
        if (!StructResult)
          StructResult = returnedStruct(Obj, S).has_value();
      }
    // `return c;` of a struct it allocated (HeapObjects.cpp): read off the
    // exit state too.
    if (SummaryMode && RV && !StructResult)
      StructResult = returnedAllocatedObject(RV, S).has_value();
    // Summary mode: a thread or future it returns by value stays running,
    // its handle the caller's (ReturnedTasks.cpp).
    auto Returned = tasksReturnedBy(RS, S);
    // Summary mode: an end it returns is handed off but stays in the
    // state, even with its peer closed, so that the summary can tell which
    // end the caller gets (StartPipes.cpp: `return p[0];` after
    // `close(p[1])`).
    AbsVal ReturnedEnd = SummaryMode && RV && !StructResult
                             ? eval(RV, S)
                             : AbsVal::unknown();
    if (ReturnedEnd.K == AbsVal::End) {
      auto ES = S.ref(ReturnedEnd.E);
      if (ES.Status & Open)
        ES.Status = uint8_t((ES.Status & ~Open) | HandedOff);
    } else if (!StructResult) {
      handOffExpr(S, RV);
    }
    for (const auto &P : Returned)
      S.setTask(P.first, P.second);
  } else if (const auto *LE = dyn_cast<LambdaExpr>(St)) {
    auto Task = TaskOfLambda.find(LE);
    if (Task != TaskOfLambda.end()) {
      recordLambdaReads(R.Tasks[Task->second], LE, S);
      collectHeld(LE, S, R.Tasks[Task->second]);
      // A thread's lambda that copies a pipe it captures by reference into
      // itself: judged here, before the captures go to the lambda.
      if (std::optional<TaskCopy> Copy = taskSelfCopy(Task->second, S))
        applyTaskSelfCopy(Copy, S, S, Observe);
    }
    // A lambda that is only ever called here touches what it captures by
    // reference only when it runs: each call applies its summary.
    bool CalledHere = isCalledOnlyLambda(LE);
    for (const LambdaCapture &C : LE->captures()) {
      // `[this]`: the lambda may do anything with the object's members
      // that this function follows (`*this` of a summary or of a method
      // that finds its class's pipes in them). A thread's lambda holds
      // them instead (collectHeld()): they stay in the members.
      if (C.capturesThis() && ThisPlace) {
        if (Task == TaskOfLambda.end()) {
          handOffWithin(S, LocKey{ThisPlace, 0});
          continue;
        }
        // A thread's lambda: the members its code names (in its body and
        // in the methods it calls on `this`) are the thread's, as the
        // elements a `[&]` lambda names are; the others stay ours.
        for (unsigned Field : membersNamedBy(LE->getBody()))
          if (auto L = child(LocKey{ThisPlace, 0}, fieldSel(Field)))
            giveMemberToThread(LE, Field, *L, S);
        continue;
      }
      if (!C.capturesVariable())
        continue;
      if (CalledHere && C.getCaptureKind() == LCK_ByRef &&
          isa<VarDecl>(C.getCapturedVar()) &&
          !cast<VarDecl>(C.getCapturedVar())->isInitCapture())
        continue;
      const ValueDecl *VD = C.getCapturedVar();
      // A count or a size the lambda only compares or computes with
      // (`i < count`): no descriptor goes to it.
      if (VD->getType()->isIntegerType() && usedOnlyAsNumber(LE->getBody(), VD))
        continue;
      // A copy the task's lambda only uses (RoutineEnds.cpp).
      if ((C.getCaptureKind() == LCK_ByCopy ||
           (isa<VarDecl>(VD) && cast<VarDecl>(VD)->isInitCapture())) &&
          keepRoutineCapture(LE, VD, S))
        continue;
      if (const auto *Var = dyn_cast<VarDecl>(VD); Var && Var->isInitCapture()) {
        handOffExpr(S, Var->getInit());
      } else if (const auto *BD = dyn_cast<BindingDecl>(VD)) {
        // A structured binding (C++20): the lambda has the place it names.
        if (auto LV = bindingPlace(BD, S))
          handOffWithin(S, LV->L);
      } else if (auto Parts = partsOnlyRead(LE->getBody(), VD)) {
        // `[&] { write(fds[1], ...); close(fds[1]); }`, `[&] {
        // drain(pp.rd); }`: only fds[1] (pp.rd) goes to the lambda; fds[0]
        // (pp.wr) stays ours, and nothing can store into fds (pp).
        // A thread's lambda that only uses such a part (`[&] { write(fds[1],
        // ...); }`) leaves it ours, open, as a copy it only uses does.
        for (SelPath Sel : *Parts)
          if (auto L = child(LocKey{VD, 0}, Sel)) {
            auto IsPart = [&](const Expr *E) {
              return !isa<ParenExpr>(E) && partOf(E, VD) == Sel;
            };
            if (Task != TaskOfLambda.end() &&
                keepCapturedPart(LE, S.load(*L), IsPart, S))
              continue;
            handOffValue(S, S.load(*L));
          }
      } else {
        handOffWithin(S, LocKey{VD, 0});
      }
    }
  } else if (const auto *BE = dyn_cast<BlockExpr>(St)) {
    for (const BlockDecl::Capture &C : BE->getBlockDecl()->captures())
      handOffWithin(S, LocKey{C.getVariable(), 0});
  } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(St)) {
    std::optional<std::pair<TaskId, uint8_t>> Started;
    if (auto It = TaskOfStart.find(CCE); It != TaskOfStart.end()) {
      startTaskCheckingCopy(It->second, S, Observe);
      Started = {It->second, S.taskStatus(It->second)};
    } else if (auto Init = InitOf.find(CCE);
             Init != InitOf.end() && CCE->getType()->isRecordType() &&
             !CCE->getConstructor()->isCopyOrMoveConstructor())
      // `UniqueFd in(fds[0]);`: the object owns the end from now on.
      for (const Expr *A : CCE->arguments())
        if (auto E = endIn(A, S))
          if (R.Owners.try_emplace(*E, Init->second).second)
            OwnedBy[Init->second].push_back(*E);
    // An object built from a descriptor owns it (RAII wrappers, threads).
    if (FirstEndOfCall.count(CCE)) {
      // A Boost pipe object making its own pipe: see transferDecl().
    } else if (auto Shared = sharedByStdioBinding(CCE)) {
      // Boost.Process v2 dup2()s the object's end into the child; the
      // parent's copy stays open.
      if (auto E = objectEnd(Shared->Object, Shared->Side, S))
        S.ref(*E)->Flags |= SharedWithChild;
      else
        handOffExpr(S, Shared->Object);
    } else if (ownsConstructorArgs(CCE) || wrapperMoveSource(CCE, S) ||
               AssignedTemporaries.count(CCE)) {
      // The variable it initialises (or whose braced list it is an element
      // of) keeps its arguments in its members (initialize()); what no
      // member keeps, nobody takes.
    } else if (handleMovedIntoList(CCE)) {
      // `Job job{std::move(writer), fd};`, `return Job{std::move(t), fd};`:
      // the member keeps the task (initialize(), noteHandleCopied()).
    } else if (SummaryMode && ReturnedCopies.count(CCE)) {
      // Summary mode: the copy a `return` makes of a struct is read off
      // the exit state (FunctionSummaries.cpp).
    } else if (!smartPointeeType(CCE->getType()).isNull() &&
               (isReturnedValue(CCE) ||
                [&] {
                  auto Var = InitOf.find(CCE);
                  return Var != InitOf.end() && isTrackableBase(Var->second);
                }())) {
      // `std::unique_ptr<Spool> p(new Spool)`: the variable holds the
      // pointer (initialize()), and owns the object; `return p;` gives it
      // to the caller (the return reads the pointer).
    } else if (!CCE->getConstructor()->isCopyOrMoveConstructor() ||
        !isDescriptorAggregateType(CCE->getType()))
      // A copy of an array, pair, tuple or plain struct copies its places
      // where it is kept (initialize()); where it is not, what it is given
      // to takes it.
      for (const Expr *A : CCE->arguments())
        // A struct given to the thread's function, of which it uses only
        // some places (RoutineArgs.cpp); a descriptor the function only
        // uses, or closes (RoutineEnds.cpp).
        if (!Started || (!giveToRoutine(Started->first, A, S, true) &&
                         !keepRoutineEnd(Started->first, A, S)))
          handOffExpr(S, A);
    // `w.t = std::thread(run, &w)`: giving the thread the struct that keeps
    // its handle does not give the handle away.
    if (Started)
      S.setTask(Started->first, Started->second);
  } else if (const auto *Asm = dyn_cast<AsmStmt>(St)) {
    for (const Stmt *C : Asm->children())
      if (const auto *E = dyn_cast_or_null<Expr>(C))
        handOffExpr(S, E);
  } else if (const auto *DE = dyn_cast<CXXDeleteExpr>(St)) {
    // `delete spool;`: its destructor on the object's place.
    if (!DE->isArrayForm())
      destroyHeapObject(eval(DE->getArgument(), S), false, S);
  } else if (const auto *NE = dyn_cast<CXXNewExpr>(St)) {
    // `new Spool(args)` with a constructor we apply: it says what it keeps.
    if (const CallExpr *Ctor = heapConstructorCall(NE);
        Ctor && allocateHeapObject(NE, S)) {
      transferCall(Ctor, S, Out, Observe);
      return;
    }
    for (const Stmt *C : NE->children())
      if (const auto *E = dyn_cast_or_null<Expr>(C))
        handOffExpr(S, E);
    // `new Pair`: a new object of the function's own (HeapObjects.cpp).
    allocateHeapObject(NE, S);
  }
  Out.push_back(std::move(S));
}

bool FlowEngineImpl::isReturnedValue(const Expr *E,
                                     bool ThroughOptional) const {
  // `return Unpacker(...);` in a function returning
  // `std::optional<Unpacker>`: the optional's construction from it.
  auto IsOptionalOf = [](const Stmt *X) {
    const auto *C = dyn_cast<CXXConstructExpr>(X);
    return C && C->getNumArgs() == 1 &&
           !optionalValueType(C->getType()).isNull();
  };
  const Stmt *Cur = E;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    const Stmt *P = R.parentOf(Cur);
    if (!P)
      return false;
    if (isa<ReturnStmt>(P))
      return true;
    if (!isa<ExprWithCleanups, CXXBindTemporaryExpr, MaterializeTemporaryExpr,
             ImplicitCastExpr, ParenExpr, CXXFunctionalCastExpr>(P) &&
        !(ThroughOptional && IsOptionalOf(P)))
      return false;
    Cur = P;
  }
  return false;
}

namespace detail {
/// Elements transferElement() leaves alone: with every subexpression in
/// the CFG, most of them. Skipping them keeps states from being moved
/// through every literal and name. Keep in step with transferElement().
bool isInertElement(const Stmt *St) {
  if (isa<CallExpr, DeclStmt, ReturnStmt, LambdaExpr, BlockExpr,
          CXXConstructExpr, AsmStmt, CXXNewExpr, CXXDeleteExpr,
          UnaryOperator>(St))
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(St))
    return !BO->isAssignmentOp();
  if (const auto *Cast = dyn_cast<ImplicitCastExpr>(St))
    return Cast->getCastKind() != CK_LValueToRValue;
  return true;
}
} // namespace detail

/// Appends to \p Out the elements a CFG would list for \p S: its
/// subexpressions, operands before operators, then \p S itself.
static void appendInEvaluationOrder(const Stmt *S,
                                    llvm::SmallVectorImpl<const Stmt *> &Out) {
  if (!S)
    return;
  for (const Stmt *C : S->children())
    appendInEvaluationOrder(C, Out);
  Out.push_back(S);
}

/// The holding variables of a structured binding that the CFG left out
/// (compat::holdingVarsMissingFromCFG(), LLVM 14): each one's initialiser,
/// get<I>(e), then its declaration, in the order later LLVMs' CFGs list
/// them. Without them the copy e keeps the ends it copied, and a binding
/// returned or closed (not followed) left them open on every path.
void FlowEngineImpl::transferHoldingVars(
    llvm::ArrayRef<const VarDecl *> Holding, PathState &S,
    llvm::SmallVectorImpl<PathState> &Out, bool Observe) {
  llvm::SmallVector<PathState, 4> Cur, Next;
  Cur.push_back(std::move(S));
  llvm::SmallVector<const Stmt *, 8> Elements;
  for (const VarDecl *VD : Holding) {
    Elements.clear();
    appendInEvaluationOrder(VD->getInit(), Elements);
    for (const Stmt *El : Elements) {
      if (isInertElement(El))
        continue;
      Next.clear();
      for (PathState &P : Cur) {
        Work += 1;
        transferElement(El, P, Next, Observe);
      }
      std::swap(Cur, Next);
    }
    for (PathState &P : Cur)
      transferDecl(VD, P);
  }
  for (PathState &P : Cur)
    Out.push_back(std::move(P));
}

void FlowEngineImpl::markNumeric(const AbsVal &Old, PathState &S) const {
  // Summary mode: a caller's place updated by arithmetic (`total_ += n`)
  // holds a count, not a descriptor the caller could lose.
  if (SummaryMode && Old.K == AbsVal::End &&
      R.Ends[Old.E].Kind == EndKind::Parameter && S.status(Old.E) == Open &&
      !(S.flags(Old.E) & (WrittenTo | ReadFrom | UnknownWrite | Drained)))
    S.ref(Old.E)->Flags |= Numeric;
}

namespace {
bool usedOnlyAsNumberAt(const Stmt *Code, const ValueDecl *VD, unsigned Depth);

/// How many calls deep an argument is followed into the callee's use of
/// its parameter (`put_lines(wr, lines)` using `lines` as a loop bound).
constexpr unsigned MaxNumberDepth = 2;

/// The operands of \p X that it uses only as numbers: both sides of a
/// comparison or of arithmetic (`i < rows_`, `n * width_`, `total_ += n`),
/// the operand of `++`, `--`, `-`, `!`, an index (`buf[pos_]`), a
/// condition tested for truth (`while (!stop_)`). A member used only so is
/// no descriptor the code uses.
void numericOperands(const Stmt *X, llvm::SmallPtrSetImpl<const Stmt *> &Out,
                     unsigned Depth = 0) {
  auto Add = [&](const Expr *E) {
    if (E)
      Out.insert(E->IgnoreParenImpCasts());
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(X)) {
    if (BO->isComparisonOp() || BO->isAdditiveOp() || BO->isMultiplicativeOp() ||
        BO->isBitwiseOp() || BO->isShiftOp() || BO->isLogicalOp() ||
        BO->isCompoundAssignmentOp()) {
      Add(BO->getLHS());
      Add(BO->getRHS());
    }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(X)) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_Minus ||
        UO->getOpcode() == UO_LNot || UO->getOpcode() == UO_Not)
      Add(UO->getSubExpr());
  } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(X)) {
    Add(AS->getIdx());
  } else if (const auto *If = dyn_cast<IfStmt>(X)) {
    Add(If->getCond());
  } else if (const auto *W = dyn_cast<WhileStmt>(X)) {
    Add(W->getCond());
  } else if (const auto *F = dyn_cast<ForStmt>(X)) {
    Add(F->getCond());
  } else if (const auto *D = dyn_cast<DoStmt>(X)) {
    Add(D->getCond());
  } else if (const auto *CO = dyn_cast<ConditionalOperator>(X)) {
    Add(CO->getCond());
  } else if (const auto *CE = dyn_cast<CallExpr>(X)) {
    // A number formatted into text: an argument a printf-like format
    // consumes (`snprintf(line, n, "%d", entries)`), or std::to_string's.
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return;
    // An argument of a function of the program that uses its parameter
    // only as a number itself (a count, a bound), two calls deep.
    const FunctionDecl *Def = nullptr;
    if (Depth < MaxNumberDepth && FD->hasBody(Def) && Def &&
        !Def->isVariadic() && !isa<CXXMethodDecl>(Def) &&
        !Def->getASTContext().getSourceManager().isInSystemHeader(
            Def->getLocation()))
      for (unsigned I = 0; I < CE->getNumArgs() && I < Def->getNumParams();
           ++I) {
        const ParmVarDecl *P = Def->getParamDecl(I);
        if (P->getType()->isIntegerType() &&
            usedOnlyAsNumberAt(Def->getBody(), P, Depth + 1))
          Add(CE->getArg(I));
      }
    if (FD->isInStdNamespace() && FD->getIdentifier() &&
        (FD->getName() == "to_string" || FD->getName() == "to_wstring")) {
      for (const Expr *A : CE->arguments())
        Add(A);
      return;
    }
    for (const FormatAttr *F : FD->specific_attrs<FormatAttr>()) {
      int First = F->getFirstArg(); // from 1; 0 for a va_list function
      if (First <= 0)
        continue;
      for (unsigned I = unsigned(First) - 1; I < CE->getNumArgs(); ++I)
        if (CE->getArg(I)->IgnoreParenImpCasts()->getType()->isIntegerType())
          Add(CE->getArg(I));
    }
  }
}
} // namespace

namespace {
bool usedOnlyAsNumberAt(const Stmt *Code, const ValueDecl *VD,
                        unsigned Depth) {
  if (!Code || !VD)
    return false;
  llvm::SmallPtrSet<const Stmt *, 8> Numeric;
  bool Named = false, OnlyNumber = true;
  llvm::SmallVector<const Stmt *, 32> Stack{Code};
  while (!Stack.empty() && OnlyNumber) {
    const Stmt *X = Stack.pop_back_val();
    if (!X)
      continue;
    numericOperands(X, Numeric, Depth);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
      if (DRE->getDecl() == VD) {
        Named = true;
        OnlyNumber = Numeric.contains(DRE);
      }
    for (const Stmt *C : X->children())
      Stack.push_back(C);
  }
  return Named && OnlyNumber;
}
} // namespace

bool detail::usedOnlyAsNumber(const Stmt *Code, const ValueDecl *VD) {
  return usedOnlyAsNumberAt(Code, VD, 0);
}

const llvm::SmallVector<unsigned, 4> &
FlowEngineImpl::membersNamedBy(const Stmt *Code) const {
  // The fields of `*this` that \p Code names (`fds_[1]`, `this->wr_`),
  // and those the methods it calls on `this` name, three calls deep; once
  // per lambda body, not once per path state that reaches it. A field the
  // code only uses as a number (a row count, a flag) is left out.
  auto [It, New] = MembersNamed.try_emplace(Code);
  if (!New)
    return It->second;
  llvm::SmallVector<unsigned, 4> &Fields = It->second;
  llvm::SmallVector<std::pair<const Stmt *, unsigned>, 8> Work{{Code, 0}};
  llvm::SmallPtrSet<const Stmt *, 8> Seen;
  llvm::SmallPtrSet<const Stmt *, 8> Numeric;
  while (!Work.empty()) {
    auto [Body, Depth] = Work.pop_back_val();
    if (!Body || !Seen.insert(Body).second)
      continue;
    llvm::SmallVector<const Stmt *, 32> Stack{Body};
    while (!Stack.empty()) {
      const Stmt *X = Stack.pop_back_val();
      if (!X)
        continue;
      numericOperands(X, Numeric);
      if (const auto *ME = dyn_cast<MemberExpr>(X))
        if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
            !Numeric.contains(ME))
          if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
              FD && FD->getFieldIndex() < 16 &&
              !llvm::is_contained(Fields, FD->getFieldIndex()))
            Fields.push_back(FD->getFieldIndex());
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(X))
        if (const Expr *Obj = MCE->getImplicitObjectArgument();
            Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) && Depth < 3)
          if (const CXXMethodDecl *MD = MCE->getMethodDecl()) {
            const FunctionDecl *Def = nullptr;
            if (MD->hasBody(Def) && Def)
              Work.push_back({Def->getBody(), Depth + 1});
          }
      for (const Stmt *C : X->children())
        Stack.push_back(C);
    }
  }
  return Fields;
}

} // namespace clang::tidy::pipe
