//===--- Discovery.cpp - which pipe ends a function has -------------------===//
//
// Step 1 of the engine: the ends a function creates (pipe(), socketpair(),
// dup(), Boost pipe objects) and the descriptor parameters it may own.
// Writer tasks are discovered in Tasks.cpp.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "summaries/ClassModel.h"

namespace clang::tidy::pipe {

bool FlowEngineImpl::isTrackableBase(const ValueDecl *VD) const {
  if (CaptureSeeds.count(VD))
    return true;
  const auto *Var = dyn_cast_or_null<VarDecl>(VD);
  if (!Var || !Var->hasLocalStorage() || Var->getType()->isReferenceType())
    return false;
  // `__attribute__((cleanup(f)))`: f runs at the end of the scope. Where
  // the CFG does not say so (compat::cleanupFunctionVar()), what the
  // variable holds is not followed at all.
  if (Var->hasAttr<CleanupAttr>() && !compat::CFGListsCleanupFunctions)
    return false;
  const DeclContext *DC = Var->getParentFunctionOrMethod();
  return DC && Decl::castFromDeclContext(DC) == R.D;
}

void FlowEngineImpl::addParameterEnds(const ValueDecl *VD, QualType T,
                                      PathState &Init) {
  T = T.getNonReferenceType().getCanonicalType();
  auto AddEnd = [&](LocKey L, std::string Name) {
    EndInfo Info{EndKind::Parameter, nullptr, nullptr, "", -1};
    Info.Param = VD;
    Info.Name = std::move(Name);
    R.Ends.push_back(Info);
    Init.ref(EndId(R.Ends.size() - 1)) = {Open, 0};
    setLoc(Init, L, AbsVal::end(EndId(R.Ends.size() - 1)));
  };
  LocKey Base{VD, 0};
  if (T->isIntegerType() && !T->isBooleanType() && !T->isAnyCharacterType()) {
    AddEnd(Base, VD->getNameAsString());
    return;
  }
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr())) {
    if (AT->getElementType()->isIntegerType() && AT->getSize() == 2)
      for (unsigned I = 0; I < 2; ++I)
        AddEnd(*child(Base, indexSel(I)),
               VD->getNameAsString() + "[" + std::to_string(I) + "]");
  }
}

/// The two ends \p Origin creates (read then write, or two socket ends),
/// each the other's peer.
void FlowEngineImpl::addPipeEnds(const Expr *Origin, bool Socket,
                                 bool OwnedByObject) {
  FirstEndOfCall[Origin] = EndId(R.Ends.size());
  for (unsigned I = 0; I < 2; ++I) {
    EndInfo Info{Socket ? EndKind::SocketEnd
                        : (I == 0 ? EndKind::PipeRead : EndKind::PipeWrite),
                 nullptr, nullptr, "", -1};
    Info.Origin = Origin;
    Info.Peer = int(R.Ends.size() + (I == 0 ? 1 : -1));
    Info.OwnedByObject = OwnedByObject;
    R.Ends.push_back(Info);
  }
}

namespace {
/// The variables of \p Vars whose value some use in \p Body may carry on:
/// an argument of a call, a stored or returned value, a captured or
/// addressed one. The other uses only read the number (a comparison,
/// arithmetic, an index, a condition, sizeof, a cast to void) or replace
/// it, and so can neither close the descriptor it might be nor give it
/// away: a function whose every use of `argc` or `flags` is such does not
/// own them, whatever else it closes. (A descriptor passed on through
/// arithmetic, `close(fd + 0)`, is not followed: the rule errs towards
/// silence, never towards a report.)
class ValueFlows {
public:
  ValueFlows(const Stmt *Body, llvm::ArrayRef<const ValueDecl *> Vars)
      : Vars(Vars.begin(), Vars.end()) {
    walk(Body, nullptr);
  }
  bool flows(const ValueDecl *VD) const { return Flowing.count(VD); }

private:
  llvm::DenseSet<const ValueDecl *> Vars, Flowing;

  /// Is \p E (a reference to a variable), with \p Parent the nearest
  /// enclosing node that is no paren or implicit cast, a use that only
  /// reads or replaces the number?
  static bool readsNumber(const Expr *E, const Stmt *Parent) {
    if (!Parent)
      return false;
    if (const auto *BO = dyn_cast<BinaryOperator>(Parent)) {
      if (BO->isAssignmentOp() || BO->isCompoundAssignmentOp())
        return BO->getLHS()->IgnoreParenImpCasts() == E;
      return BO->getOpcode() != BO_Comma;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(Parent))
      return UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref;
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Parent))
      return AS->getIdx()->IgnoreParenImpCasts() == E;
    if (const auto *CO = dyn_cast<ConditionalOperator>(Parent))
      return CO->getCond()->IgnoreParenImpCasts() == E;
    if (const auto *IS = dyn_cast<IfStmt>(Parent))
      return IS->getCond() && IS->getCond()->IgnoreParenImpCasts() == E;
    if (const auto *WS = dyn_cast<WhileStmt>(Parent))
      return WS->getCond() && WS->getCond()->IgnoreParenImpCasts() == E;
    if (const auto *DS = dyn_cast<DoStmt>(Parent))
      return DS->getCond() && DS->getCond()->IgnoreParenImpCasts() == E;
    if (const auto *FS = dyn_cast<ForStmt>(Parent))
      return FS->getCond() && FS->getCond()->IgnoreParenImpCasts() == E;
    if (const auto *SS = dyn_cast<SwitchStmt>(Parent))
      return SS->getCond() && SS->getCond()->IgnoreParenImpCasts() == E;
    if (isa<UnaryExprOrTypeTraitExpr>(Parent))
      return true;
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(Parent))
      return CE->getType()->isVoidType();
    return false;
  }

  void walk(const Stmt *Body, const Stmt *Parent) {
    llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 64> Stack{
        {Body, Parent}};
    while (!Stack.empty()) {
      auto [S, P] = Stack.pop_back_val();
      if (!S)
        continue;
      // A block gets its captures by copy, out of sight of this walk.
      if (isa<BlockExpr>(S)) {
        Flowing = Vars;
        return;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
        if (Vars.count(DRE->getDecl()) && !readsNumber(DRE, P))
          Flowing.insert(DRE->getDecl());
        continue;
      }
      // Parens and implicit casts are no use of their own.
      const Stmt *Through =
          isa<ParenExpr>(S) || isa<ImplicitCastExpr>(S) ? P : S;
      for (const Stmt *C : S->children())
        Stack.push_back({C, Through});
    }
  }
};
} // namespace

bool FlowEngineImpl::discoverEnds() {
  bool HasClose = false;
  for (const CFGBlock *B : *Graph) {
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      // A Boost pipe object that makes its own pipe, or connect_pipe().
      std::optional<BoostPipeOp> Boost;
      if (const auto *CCE = dyn_cast<CXXConstructExpr>(CS->getStmt()))
        Boost = classifyBoostConstruction(CCE);
      else if (const auto *Call = dyn_cast<CallExpr>(CS->getStmt()))
        Boost = boostOpOf(Call);
      if (Boost && Boost->K == BoostPipeOp::Create) {
        addPipeEnds(cast<Expr>(CS->getStmt()), /*Socket=*/false,
                    /*OwnedByObject=*/true);
        HasClose = true;
        continue;
      }
      const auto *CE = dyn_cast<CallExpr>(CS->getStmt());
      if (!CE)
        CE = constructorCall(CS->getStmt()); // `Renderer r;` (ObjectCalls.cpp)
      // `new Spool(args)`, `std::make_unique<Spool>(args)`: its constructor.
      if (const CallExpr *Ctor = heapConstructorCall(CS->getStmt()))
        CE = Ctor;
      if (!CE)
        continue;
      const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE));
      if (!Api) {
        // A helper that makes a pipe for its caller: ends of this call's own.
        // Only a helper that reaches a pipe() can; the others' summaries
        // are computed if and when a tracked end reaches them.
        if (!functionSummaries(Summaries, Ctx, Budget).callMayMakePipes(CE))
          continue;
        const FunctionSummary *FS = summaryOfCall(CE);
        if (FS && FS->Creator) {
          // `obj.open()` making a pipe into members that no method of the
          // class closes: the class's own warning at the pipe() is the
          // defect (ClassModel::leaksMadeBy()); here the object has them.
          bool ClassLeaks = false;
          if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
            if (const CXXMethodDecl *M = MCE->getMethodDecl())
              ClassLeaks =
                  llvm::all_of(FS->Creator->allSlots(),
                               [](const SummarySlot &Sl) {
                                 return Sl.Param == SummarySlot::ThisParam;
                               }) &&
                  !functionSummaries(Summaries, Ctx, Budget)
                       .classes()
                       .leaksMadeBy(M)
                       .empty();
          // Two ends per pipe it makes, numbered from the first.
          EndId First = EndId(R.Ends.size());
          addPipeEnds(CE, FS->Creator->Socket, /*OwnedByObject=*/ClassLeaks);
          for (const CreatorSummary::MorePipe &P : FS->Creator->MorePipes)
            addPipeEnds(CE, P.Socket, /*OwnedByObject=*/ClassLeaks);
          FirstEndOfCall[CE] = First;
        }
        // A helper that starts a task and makes its pipes: two per pipe.
        if (FS && !FS->Creator && FS->Starts && !FS->Starts->Outcomes.empty()) {
          EndId First = EndId(R.Ends.size());
          for (const StartSummary::NewPipe &P : FS->Starts->Pipes)
            addPipeEnds(CE, P.Socket, /*OwnedByObject=*/false);
          FirstEndOfCall[CE] = First;
        }
        continue;
      }
      switch (Api->Role) {
      case ApiRole::CreatePipe:
      case ApiRole::CreateSocketPair:
        addPipeEnds(CE, Api->Role == ApiRole::CreateSocketPair,
                    /*OwnedByObject=*/false);
        break;
      case ApiRole::Dup:
      case ApiRole::Fcntl: {
        FirstEndOfCall[CE] = EndId(R.Ends.size());
        EndInfo Info{EndKind::Duplicate, nullptr, nullptr, "", -1};
        Info.Origin = CE;
        R.Ends.push_back(Info);
        break;
      }
      case ApiRole::Close:
      case ApiRole::CloseRange:
        HasClose = true;
        break;
      default:
        break;
      }
    }
  }

  if (!R.Ends.empty() && !SummaryMode)
    discoverTasks();

  // Descriptor parameters and lambda captures the function might own. Only
  // worth tracking when the function closes something.
  if (SummaryMode) {
    seedSummaryParams();
    // A helper that starts or waits for tasks whose handles its caller
    // keeps (`finish_job(&job)`, `Pump::stop()`): its tasks, and the
    // caller's it waits for, even with no descriptor to follow.
    findReturnedStarts();
    discoverTasks();
    seedCallerTasks();
  } else {
    seedClassMembers();
    seedClassTasks();
    seedParamPointees();
  }
  if (!SummaryMode && HasClose) {
    if (const FunctionDecl *FD = R.FD) {
      // A lambda's captures, in the order they are written.
      llvm::SmallVector<const ValueDecl *, 4> Captured;
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
          MD && MD->getParent()->isLambda()) {
        llvm::DenseMap<const compat::CapturedDecl *, FieldDecl *> Captures;
        FieldDecl *ThisCapture = nullptr;
        MD->getParent()->getCaptureFields(Captures, ThisCapture);
        for (auto &C : Captures)
          Captured.push_back(C.first);
        llvm::sort(Captured, [](const ValueDecl *A, const ValueDecl *B) {
          return A->getBeginLoc() < B->getBeginLoc();
        });
      }
      llvm::SmallVector<const ValueDecl *, 8> Seeds(FD->parameters().begin(),
                                                    FD->parameters().end());
      Seeds.append(Captured.begin(), Captured.end());
      const ValueFlows Flows(FD->getBody(), Seeds);
      for (const ParmVarDecl *P : FD->parameters()) {
        // main()'s argument count is no descriptor.
        if (FD->isMain() && P == FD->getParamDecl(0))
          continue;
        if (Flows.flows(P))
          addParameterEnds(P, P->getType(), Initial);
      }
      for (const ValueDecl *VD : Captured) {
        CaptureSeeds.insert(VD);
        if (Flows.flows(VD))
          addParameterEnds(VD, VD->getType(), Initial);
      }
    }
  }
  return !R.Ends.empty() || (SummaryMode && !R.Tasks.empty());
}

} // namespace clang::tidy::pipe
