//===--- Fixpoint.cpp - the worklist, joins, widening and the budget ------===//
//
// Steps 4 and 5 of the engine: run() drives a worklist over the blocks in
// reverse post-order; states are joined (join()) and widened
// (widenBlock()) so that the work stays linear, the budget degrades and
// then stops the analysis (degrade()), and a last replay records what the
// checks read (recordExit(), processBlock() with Observe).
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

// The budget's bookkeeping (FlowEngine.h).
uint64_t FlowEngineImpl::mapBytes() const {
  uint64_t Live = PersistentMapStats::LiveBytes;
  return Live > MapBytesAtStart ? Live - MapBytesAtStart : 0;
}

void FlowEngineImpl::checkBytes() {
  uint64_t Total = StoredBytes + mapBytes();
  PeakBytes = std::max(PeakBytes, Total);
  if (Total > MaxStateBytes)
    OverBudget = true;
}

void FlowEngineImpl::addBytes(int64_t Delta) {
  StoredBytes = uint64_t(int64_t(StoredBytes) + Delta);
  checkBytes();
}

void FlowEngineImpl::syncWork() {
  uint64_t Now = PersistentMapStats::Steps;
  Work += Now - StepsSeen;
  StepsSeen = Now;
}

uint64_t FlowEngineImpl::stateBytes(const PathState &S) {
  return sizeof(PathState) + S.Tasks.size() * sizeof(S.Tasks[0]) +
         S.Facts.size() * sizeof(S.Facts[0]) +
         S.Decisions.size() * sizeof(BranchStep);
}

uint64_t FlowEngineImpl::blockBytes(const std::vector<PathState> &In) {
  uint64_t B = 0;
  for (const PathState &S : In)
    B += stateBytes(S);
  return B;
}

namespace {
constexpr unsigned MaxStatesPerBlock = 8;
constexpr unsigned MaxVisitsPerBlock = 4;
/// Widened states kept apart at a loop head by the ends they created.
constexpr unsigned MaxWidenedClasses = 4;
} // namespace

PathState FlowEngineImpl::join(const PathState &A, const PathState &B,
                               bool Widen) {
  // The maps are persistent: a subtree both states share is joined in one
  // step, so a join costs what the two paths changed, not what they hold.
  PathState J = A;
  J.keepCommonDecisions(B);
  auto JoinEnd = [Widen, this](PathState::EndState X, PathState::EndState Y) {
    uint16_t Common = X.Flags & Y.Flags, Any = X.Flags | Y.Flags;
    PathState::EndState J{
        uint8_t(X.Status | Y.Status),
        uint16_t((Common & (Cloexec | Nonblock | SpawnRelated | Drained |
                           SpawnKeepsOriginal | PassedAway | Announced)) |
                (Any & (Lost | WrittenTo | SharedWithChild | UnknownWrite |
                        CapacitySet | ReadFrom | UsedByTask | PolledFor))),
        std::max(X.Written, Y.Written),
        X.Written >= Y.Written ? X.LastWrite : Y.LastWrite};
    // A loop that keeps adding to what it wrote: the amount is unbounded.
    // Not a loop writing the rest of a buffer, last to write on the path
    // that wrote more: a turn adds nothing to what it counted once.
    if (Widen && X.Written != Y.Written &&
        !WholeLoopWrites.count(J.LastWrite))
      J.Written = UINT32_MAX;
    return J;
  };
  J.Ends = PathState::EndMap::merge(
      A.Ends, B.Ends,
      [&](uint64_t, const PathState::EndState *X,
          const PathState::EndState *Y) -> std::optional<PathState::EndState> {
        return JoinEnd(X ? *X : PathState::EndState(),
                       Y ? *Y : PathState::EndState());
      });
  // Locations: keep agreeing values; a disagreement about an end means we
  // no longer know where it lives, so it is never reported.
  llvm::SmallVector<EndId, 4> LoseEnds;
  auto LoseIfEnd = [&](const AbsVal &V) {
    if (V.K == AbsVal::End)
      LoseEnds.push_back(V.E);
  };
  J.Locs = PathState::LocMap::merge(
      A.Locs, B.Locs,
      [&](uint64_t, const AbsVal *PA, const AbsVal *PB) -> std::optional<AbsVal> {
        if (!PA || !PB) {
          LoseIfEnd(PA ? *PA : *PB);
          return std::nullopt;
        }
        const AbsVal &VA = *PA, &VB = *PB;
        if (VA == VB && !(Widen && VA.K == AbsVal::Int && VA.Lo != VA.Hi)) {
          if (!(Widen && VA.K == AbsVal::Int))
            return VA;
          return std::nullopt;
        }
        if (VA.K == AbsVal::Int && VB.K == AbsVal::Int && !Widen)
          return AbsVal::range(std::min(VA.Lo, VB.Lo), std::max(VA.Hi, VB.Hi));
        if (AbsVal M = endOrInvalid(VA, VB); M.K == AbsVal::End)
          return M;
        LoseIfEnd(VA);
        LoseIfEnd(VB);
        return std::nullopt;
      });
  // Widening forgets every integer, also where both states share it.
  if (Widen && (J.Locs.agg() & PathState::AggInt))
    J.Locs.update(PathState::AggInt,
                  [](uint64_t, const AbsVal &V) -> std::optional<AbsVal> {
                    if (V.K == AbsVal::Int)
                      return std::nullopt;
                    return V;
                  });
  J.rebaseHolders(A);
  for (EndId E : LoseEnds)
    J.ref(E)->Flags |= Lost;
  // Escaped, or allocated at a site, on either path.
  auto Union = [](uint64_t, const bool *, const bool *) -> std::optional<bool> {
    return true;
  };
  J.Escaped = PathState::SetMap::merge(A.Escaped, B.Escaped, Union);
  J.Allocated = PathState::SetMap::merge(A.Allocated, B.Allocated, Union);
  intersectFacts(J, B);
  J.ForkChild = A.ForkChild || B.ForkChild;
  J.ChildOf = A.ChildOf == B.ChildOf ? A.ChildOf : -1;
  J.Forked = A.Forked || B.Forked;
  J.SawFork = A.SawFork || B.SawFork;
  J.Polled = A.Polled && B.Polled;
  joinFdCopies(J, A, B);
  if (A.Released != B.Released) {
    J.Released.clear();
    std::set_union(A.Released.begin(), A.Released.end(), B.Released.begin(),
                   B.Released.end(), std::back_inserter(J.Released));
  }
  J.AllocFailed = A.AllocFailed && B.AllocFailed;
  J.LastJump = A.LastJump == B.LastJump ? A.LastJump : nullptr;
  J.Tasks.clear();
  {
    auto IA = A.Tasks.begin(), IB = B.Tasks.begin();
    while (IA != A.Tasks.end() || IB != B.Tasks.end()) {
      if (IB == B.Tasks.end() || (IA != A.Tasks.end() && IA->first < IB->first)) {
        J.Tasks.push_back({IA->first, uint8_t(IA->second | TaskNotStarted)});
        ++IA;
      } else if (IA == A.Tasks.end() || IB->first < IA->first) {
        J.Tasks.push_back({IB->first, uint8_t(IB->second | TaskNotStarted)});
        ++IB;
      } else {
        J.Tasks.push_back({IA->first, uint8_t(IA->second | IB->second)});
        ++IA;
        ++IB;
      }
    }
  }
  J.Temps.clear();
  J.FreshStores.clear();
  return J;
}

/// Same ends, same fork side, same places holding each end: the states
/// differ only in plain integers, whose correlation with the ends cannot
/// matter, so they are joined at once.
void FlowEngineImpl::intersectFacts(PathState &Into, const PathState &Other) {
  llvm::erase_if(Into.ElementStores, [&](const PathState::ElementStore &E) {
    return !llvm::is_contained(Other.ElementStores, E);
  });
  Into.Facts.erase(
      std::remove_if(Into.Facts.begin(), Into.Facts.end(),
                     [&](const PathState::CondFact &F) {
                       return std::find(Other.Facts.begin(), Other.Facts.end(),
                                        F) == Other.Facts.end();
                     }),
      Into.Facts.end());
}

bool FlowEngineImpl::sameEndFacts(const PathState &A, const PathState &B) {
  if (A.Tasks != B.Tasks || A.ForkChild != B.ForkChild ||
      A.Polled != B.Polled || A.Forked != B.Forked || A.Escaped != B.Escaped ||
      A.Allocated != B.Allocated ||
      A.FdCopies != B.FdCopies || A.Released != B.Released ||
      A.AllocFailed != B.AllocFailed)
    return false;
  // Different fingerprints: different ends, or different places holding
  // them, without a walk.
  if (A.Ends.fingerprint(0) != B.Ends.fingerprint(0) ||
      A.Locs.fingerprint(1) != B.Locs.fingerprint(1))
    return false;
  if (!PathState::EndMap::diff(
          A.Ends, B.Ends,
          [](uint64_t, const PathState::EndState *X,
             const PathState::EndState *Y) { return X && Y && *X == *Y; }))
    return false;
  // The same places hold the same ends (and addresses): integers may differ.
  auto Held = [](const AbsVal *V) -> uint64_t {
    if (!V || V->K == AbsVal::Int || V->K == AbsVal::Unknown)
      return UINT64_MAX;
    return V->K == AbsVal::End ? V->E : ~0u;
  };
  return PathState::LocMap::diff(
      A.Locs, B.Locs, [&](uint64_t, const AbsVal *X, const AbsVal *Y) {
        return Held(X) == Held(Y);
      });
}

/// Two states that a join would mix up: they created different ends (an
/// end that one may have created, with any status but NotCreated, the
/// other has not), and they remember different conditions: a truth the
/// other has the other way, or one the other does not have (a state that
/// joined paths which took a test both ways, such as "flag clear" and
/// "flag set, but a nested test skipped the pipe", has lost it), the
/// fact that a join forgets and that may be what tells them apart.
/// (An end both of whose ends were closed is forgotten, as if never
/// created: without the second test, the last turns of a loop that closes
/// them would be kept apart from the first.)
bool FlowEngineImpl::keptApart(const PathState &A, const PathState &B) {
  bool Differ = A.Facts.size() != B.Facts.size();
  for (const PathState::CondFact &F : A.Facts)
    Differ |= llvm::find(B.Facts, F) == B.Facts.end();
  if (!Differ)
    return false;
  auto Created = [](const PathState::EndState *X) {
    return X && X->Status != NotCreated;
  };
  return !PathState::EndMap::diff(
      A.Ends, B.Ends,
      [&](uint64_t, const PathState::EndState *X,
          const PathState::EndState *Y) { return Created(X) == Created(Y); });
}

/// A loop head visited too often: its states are joined and widened
/// (integers and written amounts forgotten) so that the loop settles. A
/// place that disagrees loses its end (never reported), so widening never
/// invents a path. States that created different ends and remember a
/// condition differently are widened apart (keptApart(), at most
/// MaxWidenedClasses of them): a join of "created" and "not created"
/// would forget the branch fact that tells them apart, and a later test
/// of it would lead an end never created, or handed off under that test,
/// to an exit as if open (bench/repro/sudo_exec_pty_flags.c: a retry loop
/// whose amount written grows on every turn between two tests of one
/// flag). Other states are still joined into one, so that a widened loop
/// counter cannot leave a loop early with an end open that the joined state has
/// closed (pipe_capacity() in test/checkers/pipe-unclosed-write-end/
/// near-miss.c). Once the budget has degraded the analysis, one state.
void FlowEngineImpl::widenBlock(BlockData &BD) {
  BD.Widened = true;
  std::vector<PathState> Classes;
  for (PathState &S : BD.In) {
    auto It = Degraded ? Classes.end()
                       : llvm::find_if(Classes, [&](const PathState &C) {
                           return !keptApartAt(C, S, BD);
                         });
    if (It != Classes.end())
      *It = join(*It, S, true);
    else if (Classes.empty() || (!Degraded && Classes.size() < MaxWidenedClasses))
      Classes.push_back(join(S, S, true));
    else
      Classes.front() = join(Classes.front(), S, true);
  }
  if (Classes.size() > 1)
    for (PathState &C : Classes)
      C = join(C, C, true);
  BD.In = std::move(Classes);
  BD.Pending.clear();
  for (unsigned I = 0; I < BD.In.size(); ++I)
    BD.Pending.push_back(I);
}

/// More than MaxStatesPerBlock states at a block: all of them are joined
/// into one (without widening).
void FlowEngineImpl::collapseBlock(BlockData &BD) {
  // Kept apart by the ends they created, as in widenBlock(): at most
  // MaxWidenedClasses states, else one.
  std::vector<PathState> Classes;
  for (PathState &S : BD.In) {
    auto It = llvm::find_if(Classes, [&](const PathState &C) {
      return !keptApartAt(C, S, BD);
    });
    if (It != Classes.end())
      *It = join(*It, S, false);
    else
      Classes.push_back(std::move(S));
  }
  if (Classes.size() > MaxWidenedClasses) {
    PathState All = std::move(Classes.front());
    for (size_t I = 1; I < Classes.size(); ++I)
      All = join(All, Classes[I], false);
    Classes.clear();
    Classes.push_back(std::move(All));
  }
  BD.In = std::move(Classes);
  BD.Pending.clear();
  for (unsigned I = 0; I < BD.In.size(); ++I)
    BD.Pending.push_back(I);
}

void FlowEngineImpl::enqueueState(const CFGBlock *To, PathState S) {
  BlockData &BD = Blocks[To->getBlockID()];
  if (Degraded)
    BD.Widened = true; // one widened state per block from now on
  uint64_t Before = blockBytes(BD.In);
  enqueueInto(BD, To, std::move(S));
  addBytes(int64_t(blockBytes(BD.In)) - int64_t(Before));
}

void FlowEngineImpl::enqueueInto(BlockData &BD, const CFGBlock *To,
                                 PathState S) {
  BD.Block = To;
  S.Temps.clear();
  S.FreshStores.clear();
  if (!S.Tasks.empty())
    pruneTasks(S);
  auto MarkPending = [&](unsigned I) {
    if (std::find(BD.Pending.begin(), BD.Pending.end(), I) == BD.Pending.end())
      BD.Pending.push_back(I);
  };
  bool Changed = false;
  if (BD.Widened) {
    // The state of the same created ends (widenBlock()), a new one while
    // there are fewer than MaxWidenedClasses, else the first.
    unsigned I = 0;
    while (I < BD.In.size() &&
           !(Degraded ? true : !keptApartAt(BD.In[I], S, BD)))
      ++I;
    if (I == BD.In.size() && !BD.In.empty() &&
        (Degraded || BD.In.size() >= MaxWidenedClasses))
      I = 0;
    if (I == BD.In.size()) {
      BD.In.push_back(join(S, S, true));
      MarkPending(I);
      Changed = true;
    } else {
      PathState J = join(BD.In[I], S, true);
      if (!J.sameFacts(BD.In[I]) ||
          J.Decisions.size() != BD.In[I].Decisions.size() ||
          J.DecisionsCut != BD.In[I].DecisionsCut) {
        BD.In[I] = std::move(J);
        MarkPending(I);
        Changed = true;
      }
    }
  } else {
    bool Absorbed = false;
    for (unsigned I = 0; I < BD.In.size() && !Absorbed; ++I) {
      PathState &Old = BD.In[I];
      if (Old.sameFacts(S)) {
        // Same state: keep only the remembered conditions both paths share.
        size_t Before = Old.Facts.size() + Old.ElementStores.size();
        intersectFacts(Old, S);
        bool Fewer = Old.keepCommonDecisions(S);
        if (Old.Facts.size() + Old.ElementStores.size() == Before && !Fewer)
          return;
        MarkPending(I);
        Absorbed = Changed = true;
        break;
      }
      if (sameEndFacts(Old, S)) {
        PathState J = join(Old, S, false);
        Absorbed = true;
        if (!J.sameFacts(Old) || J.Decisions.size() != Old.Decisions.size() ||
            J.DecisionsCut != Old.DecisionsCut) {
          Old = std::move(J);
          MarkPending(I);
          Changed = true;
        }
      }
    }
    if (!Absorbed) {
      BD.In.push_back(std::move(S));
      MarkPending(unsigned(BD.In.size() - 1));
      Changed = true;
    }
    // The cap is applied when the block is next processed, to every state
    // that reached it by then (collapseBlock()): applied here, it would
    // join the first arrivals and keep the later ones apart, and a path
    // such as "every pipe() so far failed" would never be joined with the
    // others and drift further from them at every statement. Only a block
    // with very many predecessors is cut down here already.
    if (BD.In.size() > 4 * MaxStatesPerBlock)
      collapseBlock(BD);
  }
  if (Changed && !BD.Queued) {
    BD.Queued = true;
    Worklist.push({BD.Order, To->getBlockID()});
  }
}

void FlowEngineImpl::propagate(const CFGBlock *From, PathState &S,
                               bool Observe) {
  if (From->hasNoReturnElement())
    return;
  const CFGBlock *Exit = &Graph->getExit();
  // The block that goes round a loop: the turn ends (prevTurn()).
  if (const Stmt *Loop = From->getLoopTarget())
    S.endTurn(Loop, [&](const Stmt *C) { return inLoopBody(C, Loop); });
  const Stmt *Term = From->getTerminatorStmt();
  if (Term && isa<BreakStmt, GotoStmt>(Term)) {
    S.LastJump = Term;
    S.pushDecision(BranchStep{Term, nullptr, true});
  }
  llvm::SmallVector<const CFGBlock *, 2> Succs;
  for (const CFGBlock::AdjacentBlock &A : From->succs())
    Succs.push_back(A.getReachableBlock());

  // During the fixpoint a state goes on to its successor; during the
  // replay only the states that leave the function are recorded, each with
  // the branch that led out.
  auto Deliver = [&](const CFGBlock *To, PathState N) {
    dropOperandFacts(From, N);
    if (!Observe)
      enqueueState(To, std::move(N));
    else if (To == Exit)
      recordExit(From, N);
  };

  if (const auto *SW = dyn_cast_or_null<SwitchStmt>(Term)) {
    AbsVal V = eval(SW->getCond(), S);
    ValueRange Iv = intervalOf(V);
    bool AnyCaseMatched = false;
    for (const CFGBlock *Succ : Succs) {
      if (!Succ)
        continue;
      const auto *Case = dyn_cast_or_null<CaseStmt>(Succ->getLabel());
      if (!Case)
        continue;
      Expr::EvalResult Res;
      bool Feasible = true;
      if (!Case->getRHS() && Case->getLHS()->EvaluateAsInt(Res, Ctx)) {
        int64_t C = Res.Val.getInt().getSExtValue();
        Feasible = Iv.Lo <= C && C <= Iv.Hi;
        if (V.isConst() && V.Lo == C)
          AnyCaseMatched = true;
      }
      if (Feasible) {
        PathState N = S;
        N.pushDecision(BranchStep{SW, Case, true});
        Deliver(Succ, std::move(N));
      }
    }
    // The default (or the block after the switch): the last successor.
    if (!Succs.empty() && Succs.back() &&
        !isa_and_nonnull<CaseStmt>(Succs.back()->getLabel()) &&
        !AnyCaseMatched) {
      PathState N = S;
      N.pushDecision(BranchStep{SW, Succs.back()->getLabel(), true});
      Deliver(Succs.back(), std::move(N));
    }
    return;
  }

  const Stmt *Cond = From->getTerminatorCondition();
  const auto *CondE = dyn_cast_or_null<Expr>(Cond);
  // `if (cap == 0 || pipe(p) < 0)`: the CFG gives each operand of && and ||
  // its own block; the block ending in the `if` evaluates the last operand,
  // which alone decides the branch there. So does the block ending in an
  // operator whose left side is itself a chain (`a && b && c`: the block of
  // `b` ends in the outer &&, whose condition is `a && b`): that block is
  // reached only when `a` did not decide, and testing the whole chain again
  // at every operand made a long chain quadratic.
  if (CondE && Term) {
    const auto *BO = dyn_cast<BinaryOperator>(CondE->IgnoreParens());
    while (BO && BO->isLogicalOp()) {
      CondE = BO->getRHS();
      BO = dyn_cast<BinaryOperator>(CondE->IgnoreParens());
    }
  }
  if (CondE && Succs.size() == 2 && !isa<CXXForRangeStmt>(Term)) {
    int T = truth(CondE, S);
    bool Recalled = false;
    if (T < 0) {
      T = recalledTruth(CondE, S);
      Recalled = T >= 0;
    }
    bool Constant = false;
    if (!CondE->isValueDependent()) {
      bool B;
      Constant = CondE->EvaluateAsBooleanCondition(B, Ctx);
    }
    for (unsigned I = 0; I < 2; ++I) {
      if (!Succs[I] || (T >= 0 && T != int(I == 0)))
        continue;
      PathState N = S;
      // A branch worth a note: one the analysis could not decide, or one
      // decided by fork()'s result (the child/parent split). Branches decided
      // by a pipe() result only say "the pipe was created".
      // Not a decision when the other way cannot go on (`if (!ok)
      // abort();`, an ASSERT): every path that goes on went this way.
      // For && and ||, the decision is the whole condition's, taken where
      // an operand decides it; an edge on to the next operand decides
      // nothing yet.
      const CFGBlock *Other = Succs[1 - I];
      bool WholeValue = I == 0;
      const Expr *Decided =
          decidedCondition(Term, dyn_cast_or_null<Expr>(Cond), CondE,
                           I == 0, WholeValue);
      if (Decided && !Constant && (T < 0 || testsSplitResult(CondE, S)) &&
          Other && !Other->hasNoReturnElement()) {
        BranchStep Step{Decided, nullptr, WholeValue};
        Step.Loop = isa<WhileStmt, ForStmt>(Term) ? 1 : isa<DoStmt>(Term) ? 2 : 0;
        N.pushDecision(Step);
      }
      if (T < 0) {
        refineOnBranch(CondE, I == 0, N);
        rememberTruth(CondE, I == 0, N);
      }
      // The NULL side of a test of what an allocation returned, decided by
      // the values or not (allocFailed()).
      if (SummaryMode && testsFailedAllocation(CondE, I == 0))
        N.AllocFailed = true;
      if (!N.Ends.empty())
        noteDrainedOnBranch(Term, CondE, I == 0, N);
      recordOperandEdge(From, Term, I == 0, N);
      (void)Recalled;
      Deliver(Succs[I], std::move(N));
    }
    return;
  }
  recordOperandEdge(From, Term, false, S);
  for (size_t I = 0; I < Succs.size(); ++I)
    if (Succs[I])
      Deliver(Succs[I], S);
}

void FlowEngineImpl::processBlock(const CFGBlock *B,
                                  llvm::SmallVectorImpl<PathState> &States,
                                  bool Observe) {
  llvm::SmallVector<PathState, 4> Cur, Next;
  for (PathState &S : States) {
    MaxLocs = std::max(MaxLocs, S.places());
    MaxEscaped = std::max(MaxEscaped, S.Escaped.size());
    Cur.clear();
    Cur.push_back(S);
    Cur.back().Temps.clear();
    Cur.back().FreshStores.clear();
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS) {
        if (auto Dtor = El.getAs<CFGAutomaticObjDtor>()) {
          // (And an object whose methods left ends in its members:
          // applyDestructorOf().)
          if (!R.Tasks.empty() || !R.Ends.empty())
            for (PathState &P : Cur)
              transferDtor(*Dtor, B, P, Observe);
        } else if (auto MD = El.getAs<CFGMemberDtor>();
                   MD && !MemberTasks.empty()) {
          // A destructor's members, after its body (ClassTasks.cpp).
          for (PathState &P : Cur)
            transferMemberDtor(MD->getFieldDecl(), Body, P, Observe);
        } else if (auto Init = El.getAs<CFGInitializer>()) {
          for (PathState &P : Cur)
            transferInitializer(Init->getInitializer(), P);
        } else if (const VarDecl *VD = compat::cleanupFunctionVar(El)) {
          for (PathState &P : Cur)
            transferCleanupFunction(VD, P);
        }
        continue;
      }
      const Stmt *St = CS->getStmt();
      // A statement that may throw: the exception's paths leave here
      // (Exceptions.cpp); after a throw expression nothing else does.
      if (!ThrowSites.empty())
        if (auto TS = ThrowSites.find(St); TS != ThrowSites.end()) {
          for (PathState &P : Cur) {
            Work += 1;
            raise(St, TS->second, P, Observe);
          }
          if (TS->second.IsThrow) {
            Cur.clear();
            break;
          }
        }
      if (isInertElement(St)) {
        Work += Cur.size(); // most elements: literals, names, reads
        continue;
      }
      Next.clear();
      for (PathState &P : Cur) {
        Work += 1;
        transferElement(St, P, Next, Observe);
      }
      std::swap(Cur, Next);
      if (Cur.empty())
        break;
      syncWork();
      checkBytes();
      if (Work > Limit)
        OverBudget = true;
      if (OverBudget)
        return;
      if (Cur.size() > 4 * MaxStatesPerBlock) {
        PathState All = Cur.front();
        for (size_t I = 1; I < Cur.size(); ++I)
          All = join(All, Cur[I], false);
        Cur.assign(1, All);
      }
    }
    for (PathState &P : Cur) {
      Work += 1;
      propagate(B, P, Observe);
    }
    syncWork();
    checkBytes();
    if (Work > Limit)
      OverBudget = true;
    if (OverBudget)
      return;
  }
}

void FlowEngineImpl::recordExit(const CFGBlock *B, const PathState &S) {
  ExitPoint X{ExitPoint::FallOffEnd, nullptr, SourceLocation()};
  for (auto It = B->rbegin(); It != B->rend(); ++It) {
    auto CS = It->getAs<CFGStmt>();
    if (!CS)
      continue;
    if (const auto *RS = dyn_cast<ReturnStmt>(CS->getStmt())) {
      X = ExitPoint{ExitPoint::Return, RS, RS->getBeginLoc()};
      break;
    }
    if (const auto *TE = dyn_cast<CXXThrowExpr>(CS->getStmt())) {
      X = ExitPoint{ExitPoint::Throw, TE, TE->getBeginLoc()};
      break;
    }
    if (const auto *CR = dyn_cast<CoreturnStmt>(CS->getStmt())) {
      X = ExitPoint{ExitPoint::Return, CR, CR->getBeginLoc()};
      break;
    }
  }
  if (X.K == ExitPoint::FallOffEnd) {
    if (const auto *TE = dyn_cast_or_null<CXXThrowExpr>(B->getTerminatorStmt()))
      X = ExitPoint{ExitPoint::Throw, TE, TE->getBeginLoc()};
    else
      X.Loc = Body->getEndLoc();
  }
  if (ConstructorThis || !ParamPointees.empty()) {
    PathState N = S;
    if (ConstructorThis)
      settleConstructorMembers(N, X.K == ExitPoint::Throw);
    settleParamPointees(N);
    R.Exits.push_back({X, std::move(N)});
    return;
  }
  R.Exits.push_back({X, S});
}

bool FlowEngineImpl::run() {
  CFG::BuildOptions Opts;
  Opts.setAllAlwaysAdd();
  // Automatic objects' destructors: where a thread, jthread or future is
  // destroyed, and where an object that owns a descriptor closes it.
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = false;
  // A constructor's member initialisers (`Relay() : link_(make_link())`):
  // their expressions, then the store into the member (transferInitializer()).
  Opts.AddInitializers = isa<CXXConstructorDecl>(R.D);
  Opts.AddCXXDefaultInitExprInCtors = false;
  MapBytesAtStart = PersistentMapStats::LiveBytes;
  Graph = CFG::buildCFG(R.D, const_cast<Stmt *>(Body), &Ctx, Opts);
  if (!Graph)
    return false;
  if (!discoverEnds())
    return false;
  // Discovery asked for the summary of every helper this function calls
  // (the fixpoint asks only for the same ones again, which give the same
  // answers). If one was cut short by the depth bound or recursion, this
  // function gets no summary either, whatever its paths show: the
  // fixpoint would be wasted work, repeated for every summary above.
  if (StopWhenCut && functionSummaries(Summaries, Ctx, Budget).cutShort())
    return false;
  findThrowSites();
  // Work in the maps counts from here (summaries computed during discovery
  // had budgets of their own).
  StepsSeen = PersistentMapStats::Steps;

  for (const CFGBlock *B : *Graph)
    Elements += B->size();
  Blocks.assign(Graph->getNumBlockIDs(), BlockData());
  std::vector<const CFGBlock *> ById(Graph->getNumBlockIDs(), nullptr);
  for (const CFGBlock *B : *Graph)
    ById[B->getBlockID()] = B;
  // Reverse post-order by an explicit DFS: CFG successors can be null
  // (pruned, unreachable edges), which llvm's generic traversal cannot take.
  std::vector<const CFGBlock *> RPOT;
  {
    std::vector<uint8_t> Seen(Graph->getNumBlockIDs(), 0);
    std::vector<std::pair<const CFGBlock *, unsigned>> Stack;
    const CFGBlock *Entry = &Graph->getEntry();
    Seen[Entry->getBlockID()] = 1;
    Stack.push_back({Entry, 0});
    while (!Stack.empty()) {
      auto &Top = Stack.back();
      const CFGBlock *B = Top.first;
      // The CFG's successors, then the handlers an exception raised in B
      // may reach (Exceptions.cpp).
      const auto EH = EHSuccs.find(B);
      size_t NumEH = EH == EHSuccs.end() ? 0 : EH->second.size();
      if (Top.second < B->succ_size() + NumEH) {
        const CFGBlock *Succ =
            Top.second < B->succ_size()
                ? (B->succ_begin() + Top.second)->getReachableBlock()
                : EH->second[Top.second - B->succ_size()];
        ++Top.second;
        if (Succ && !Seen[Succ->getBlockID()]) {
          Seen[Succ->getBlockID()] = 1;
          Stack.push_back({Succ, 0});
        }
        continue;
      }
      RPOT.push_back(B);
      Stack.pop_back();
    }
    std::reverse(RPOT.begin(), RPOT.end());
  }
  unsigned N = 0;
  for (const CFGBlock *B : RPOT)
    Blocks[B->getBlockID()].Order = N++;

  Limit = allowance();
  enqueueState(&Graph->getEntry(), Initial);
  while (!Worklist.empty()) {
    unsigned Id = Worklist.top().second;
    Worklist.pop();
    BlockData &BD = Blocks[Id];
    BD.Queued = false;
    const CFGBlock *B = ById[Id];
    if (!B)
      continue;
    if (++BD.Visits > MaxVisitsPerBlock && !BD.Widened) {
      uint64_t Before = blockBytes(BD.In);
      widenBlock(BD);
      addBytes(int64_t(blockBytes(BD.In)) - int64_t(Before));
    } else if (!BD.Widened && BD.In.size() > MaxStatesPerBlock) {
      uint64_t Before = blockBytes(BD.In);
      collapseBlock(BD);
      addBytes(int64_t(blockBytes(BD.In)) - int64_t(Before));
    }
    llvm::SmallVector<PathState, 2> Todo;
    for (unsigned I : BD.Pending)
      Todo.push_back(BD.In[I]);
    BD.Pending.clear();
    processBlock(B, Todo, /*Observe=*/false);
    if (OverBudget && !degrade())
      return false;
  }

  for (const BlockData &BD : Blocks)
    StoredStates += BD.In.size();
  // Replay every block once with its final states, recording what the checks
  // read: the state before each modelled call, and at each exit. It has an
  // allowance of its own; a replay cut short would show the checks only
  // some of the exits, so past it the function gets no result.
  Limit = Work + allowance();
  for (const CFGBlock *B : RPOT) {
    std::vector<PathState> &In = Blocks[B->getBlockID()].In;
    llvm::SmallVector<PathState, 2> States(std::make_move_iterator(In.begin()),
                                           std::make_move_iterator(In.end()));
    addBytes(-int64_t(blockBytes(In)));
    In = std::vector<PathState>(); // replayed once: its memory can go
    size_t Calls = R.Calls.size(), Exits = R.Exits.size(),
           Events = R.TaskEvents.size();
    processBlock(B, States, /*Observe=*/true);
    int64_t Recorded = 0;
    for (size_t I = Calls; I < R.Calls.size(); ++I)
      Recorded += int64_t(stateBytes(R.Calls[I].second));
    for (size_t I = Exits; I < R.Exits.size(); ++I)
      Recorded += int64_t(stateBytes(R.Exits[I].second));
    for (size_t I = Events; I < R.TaskEvents.size(); ++I)
      Recorded += int64_t(stateBytes(R.TaskEvents[I].second));
    addBytes(Recorded);
    if (OverBudget) {
      GaveUp = true;
      return false;
    }
  }
  return true;
}

/// The fixpoint went past the budget. The first time, every block's states
/// are joined and widened into one (integers forgotten, a place that
/// disagrees loses its end, which is then never reported), every reached
/// block is visited again, and the analysis goes on with a second
/// allowance: what it then reports holds on every path it joined. The
/// second time it gives up.
bool FlowEngineImpl::degrade() {
  if (Degraded) {
    GaveUp = true;
    return false;
  }
  Degraded = true;
  OverBudget = false;
  Limit = Work + allowance();
  while (!Worklist.empty())
    Worklist.pop();
  StoredBytes = 0;
  for (unsigned Id = 0; Id < Blocks.size(); ++Id) {
    BlockData &BD = Blocks[Id];
    BD.Queued = false;
    if (BD.In.empty())
      continue;
    widenBlock(BD);
    StoredBytes += blockBytes(BD.In);
    BD.Queued = true;
    Worklist.push({BD.Order, Id});
  }
  if (StoredBytes + mapBytes() > MaxStateBytes) {
    GaveUp = true; // even one state per block is too much
    return false;
  }
  return true;
}

} // namespace clang::tidy::pipe
