//===--- FlowEngine.cpp - pipe ends through one function's CFG ------------===//
//
// See FunctionAnalysis.h for what the engine computes. The parts, in order:
//   1. discovery: which ends exist (creation calls, owned parameters);
//   2. values:    eval() / lvalueLoc() give an expression's abstract value or
//                 the tracked location it names, without side effects;
//   3. transfer:  one CFG element applied to one path state (calls may split
//                 a path: pipe() succeeds or fails, fork() returns three ways);
//   4. fixpoint:  a worklist over blocks in reverse post-order, with at most
//                 MaxStatesPerBlock states per block, joined and widened after
//                 MaxVisitsPerBlock visits so that the work stays linear;
//   5. replay:    one more pass over the final states that records, for the
//                 checks, the state before every modelled call and at every
//                 exit.
//
//===----------------------------------------------------------------------===//
#include "engine/FunctionAnalysis.h"
#include "summaries/FunctionSummaries.h"
#include "Compat.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/Builtins.h"
#include "models/BoostPipeModel.h"
#include "llvm/ADT/DenseMap.h"
#include <algorithm>
#include <cstdlib>
#include <queue>

namespace clang::tidy::pipe {

namespace {
constexpr unsigned MaxStatesPerBlock = 8;
constexpr unsigned MaxVisitsPerBlock = 4;
/// The memory the states of one function may hold (those stored at block
/// entries, and those recorded for the checks), in bytes as stateBytes()
/// counts them: past it the budget trips as if out of work. A goto cascade
/// with thousands of pipes open at once used to take gigabytes. The heap
/// holds about twice what is counted (vector capacity, allocator), so this
/// keeps a function's states within about +300 MB of clang-tidy alone.
constexpr uint64_t MaxStateBytes = uint64_t(128) << 20;
constexpr int64_t LowestPipeFd = 3; // 0-2 are the standard streams.

uint16_t indexSel(unsigned I) { return uint16_t(1 + std::min(I, 0x7ffeu)); }
uint16_t fieldSel(unsigned F) { return uint16_t(0x8000 | std::min(F, 0x7fffu)); }

/// The location one selector below \p L, if the nesting is not too deep.
std::optional<LocKey> child(LocKey L, uint16_t Sel) {
  if ((L.Sel & 0xffff) == 0) {
    L.Sel = Sel;
    return L;
  }
  if ((L.Sel >> 16) == 0) {
    L.Sel |= uint32_t(Sel) << 16;
    return L;
  }
  return std::nullopt;
}

/// The elements of the array \p VD that \p Body only reads, by constant
/// index (`fds[1]` as a value); nullopt if it uses \p VD in any other way
/// (the whole array, its address, a store, an unknown index).
std::optional<llvm::SmallVector<unsigned, 2>>
elementsOnlyRead(const Stmt *Body, const ValueDecl *VD) {
  if (!Body || !VD->getType()->isConstantArrayType())
    return std::nullopt;
  llvm::SmallVector<unsigned, 2> Read;
  unsigned Refs = 0, Accounted = 0;
  llvm::SmallVector<const Stmt *, 32> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD)
      ++Refs;
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S);
        Cast && Cast->getCastKind() == CK_LValueToRValue)
      if (const auto *ASE =
              dyn_cast<ArraySubscriptExpr>(Cast->getSubExpr()->IgnoreParens()))
        if (const auto *DRE =
                dyn_cast<DeclRefExpr>(ASE->getBase()->IgnoreParenImpCasts());
            DRE && DRE->getDecl() == VD)
          if (const auto *IL = dyn_cast<IntegerLiteral>(
                  ASE->getIdx()->IgnoreParenImpCasts())) {
            unsigned I = unsigned(IL->getValue().getLimitedValue(0x7ffe));
            if (std::find(Read.begin(), Read.end(), I) == Read.end())
              Read.push_back(I);
            ++Accounted;
          }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  if (Refs != Accounted)
    return std::nullopt;
  return Read;
}

/// True if \p K is \p Outer or below it.
bool isWithin(LocKey K, LocKey Outer) {
  if (K.Base != Outer.Base)
    return false;
  if (Outer.Sel == 0 || K.Sel == Outer.Sel)
    return true;
  return (Outer.Sel >> 16) == 0 && (K.Sel & 0xffff) == Outer.Sel;
}

/// The decomposition \p BD belongs to when its binding names a part of it
/// (`e[1]`, `e.w`): a structured binding of a plain array or of a struct.
/// A tuple-like one (std::array, pair, tuple) has a holding variable
/// instead, initialised with get<I>(e) (see compat::holdingVarsMissingFromCFG).
const DecompositionDecl *plainDecompositionOf(const BindingDecl *BD) {
  if (!BD || !BD->getBinding() || BD->getHoldingVar())
    return nullptr;
  return dyn_cast_or_null<DecompositionDecl>(BD->getDecomposedDecl());
}

/// The local variable of which \p E names a place that is the same whatever
/// the state: the variable itself (not a reference), or constant indices
/// and fields below it; null for any other expression. The place a
/// reference binding (`auto &[r, w] = fds;`) refers to, fixed when it is
/// bound.
const VarDecl *fixedPlaceBase(const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
    return ICE->getCastKind() == CK_NoOp ||
                   ICE->getCastKind() == CK_LValueBitCast
               ? fixedPlaceBase(ICE->getSubExpr())
               : nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType()
               ? VD
               : nullptr;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return !ME->isArrow() && isa<FieldDecl>(ME->getMemberDecl())
               ? fixedPlaceBase(ME->getBase())
               : nullptr;
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    const auto *Decay = dyn_cast<ImplicitCastExpr>(ASE->getBase()->IgnoreParens());
    return Decay && Decay->getCastKind() == CK_ArrayToPointerDecay &&
                   isa<IntegerLiteral>(ASE->getIdx()->IgnoreParenImpCasts())
               ? fixedPlaceBase(Decay->getSubExpr())
               : nullptr;
  }
  return nullptr;
}

/// The variable whose storage \p BD names, for a binding of a plain array or
/// struct: the decomposition's copy, or the variable a reference binding
/// refers to. Null when there is none to tell.
const VarDecl *bindingStorage(const BindingDecl *BD) {
  const DecompositionDecl *DD = plainDecompositionOf(BD);
  if (!DD)
    return nullptr;
  if (!DD->getType()->isReferenceType())
    return DD;
  return DD->getInit() ? fixedPlaceBase(DD->getInit()) : nullptr;
}

bool isStdArrayType(QualType T) {
  const auto *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != "array")
    return false;
  return RD->getDeclContext()->getRedeclContext()->isStdNamespace();
}

/// std::move / std::forward / std::ref: the value passes through.
bool isValuePassThrough(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() ||
      !FD->getDeclContext()->getRedeclContext()->isStdNamespace())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "move" || N == "forward" || N == "ref" || N == "cref" ||
         N == "as_const";
}

/// __builtin_expect(v, c) (the `likely()`/`unlikely()` of many code
/// bases) and __builtin_expect_with_probability: the value is v.
bool isBuiltinExpect(const CallExpr *CE) {
  unsigned ID = CE->getBuiltinCallee();
  return ID == Builtin::BI__builtin_expect ||
         ID == Builtin::BI__builtin_expect_with_probability;
}

struct Interval {
  int64_t Lo, Hi;
};

/// 1 = true, 0 = false, -1 = unknown.
int compareIntervals(BinaryOperatorKind Op, Interval A, Interval B) {
  switch (Op) {
  case BO_LT:
    if (A.Hi < B.Lo) return 1;
    if (A.Lo >= B.Hi) return 0;
    return -1;
  case BO_LE:
    if (A.Hi <= B.Lo) return 1;
    if (A.Lo > B.Hi) return 0;
    return -1;
  case BO_GT:
    return compareIntervals(BO_LT, B, A);
  case BO_GE:
    return compareIntervals(BO_LE, B, A);
  case BO_EQ:
    if (A.Lo == A.Hi && B.Lo == B.Hi && A.Lo == B.Lo) return 1;
    if (A.Hi < B.Lo || B.Hi < A.Lo) return 0;
    return -1;
  case BO_NE: {
    int R = compareIntervals(BO_EQ, A, B);
    return R < 0 ? -1 : !R;
  }
  default:
    return -1;
  }
}
} // namespace

/// `cond ? dup(fd) : -1`, or a variable that holds an end on one path and
/// -1 on another: the end, marked as possibly not a descriptor.
static AbsVal endOrInvalid(const AbsVal &A, const AbsVal &B) {
  auto Invalid = [](const AbsVal &V) {
    return V.K == AbsVal::Int && V.Hi < 3;
  };
  if (A.K == AbsVal::End && Invalid(B)) {
    AbsVal M = A;
    M.MaybeNull = true;
    M.OrInvalid = true;
    return M;
  }
  if (A.K == AbsVal::End && B.K == AbsVal::End && A.E == B.E) {
    AbsVal M = A.OrInvalid ? A : B;
    M.MaybeNull = A.MaybeNull || B.MaybeNull;
    return M;
  }
  if (B.K == AbsVal::End && Invalid(A))
    return endOrInvalid(B, A);
  return AbsVal::unknown();
}

bool AbsVal::operator==(const AbsVal &O) const {
  if (K != O.K)
    return false;
  switch (K) {
  case Unknown:
    return true;
  case Int:
    return Lo == O.Lo && Hi == O.Hi;
  case End:
    return E == O.E && OrInvalid == O.OrInvalid;
  case Addr:
    return Lo == O.Lo && Hi == O.Hi;
  }
  return false;
}

AbsVal PathState::load(LocKey L) const {
  auto It = std::lower_bound(
      Locs.begin(), Locs.end(), L,
      [](const std::pair<LocKey, AbsVal> &P, const LocKey &K) {
        return P.first < K;
      });
  if (It != Locs.end() && It->first == L)
    return It->second;
  return AbsVal::unknown();
}

PathState::EndState PathState::get(EndId E) const {
  auto It = std::lower_bound(
      Ends.begin(), Ends.end(), E,
      [](const std::pair<EndId, EndState> &P, EndId K) { return P.first < K; });
  return It != Ends.end() && It->first == E ? It->second : EndState();
}

PathState::EndState &PathState::ref(EndId E) {
  auto It = std::lower_bound(
      Ends.begin(), Ends.end(), E,
      [](const std::pair<EndId, EndState> &P, EndId K) { return P.first < K; });
  if (It == Ends.end() || It->first != E)
    It = Ends.insert(It, {E, EndState()});
  return It->second;
}

void PathState::erase(EndId E) {
  auto It = std::lower_bound(
      Ends.begin(), Ends.end(), E,
      [](const std::pair<EndId, EndState> &P, EndId K) { return P.first < K; });
  if (It != Ends.end() && It->first == E)
    Ends.erase(It);
}

const LocKey *PathState::locationOf(EndId E) const {
  for (const auto &P : Locs)
    if (P.second.K == AbsVal::End && P.second.E == E)
      return &P.first;
  return nullptr;
}

void PathState::setTask(TaskId T, uint8_t Status) {
  auto It = std::lower_bound(
      Tasks.begin(), Tasks.end(), T,
      [](const std::pair<TaskId, uint8_t> &P, TaskId K) { return P.first < K; });
  if (It != Tasks.end() && It->first == T)
    It->second = Status;
  else
    Tasks.insert(It, {T, Status});
}

bool PathState::sameFacts(const PathState &O) const {
  return ForkChild == O.ForkChild && ChildOf == O.ChildOf &&
         Forked == O.Forked && Tasks == O.Tasks &&
         Polled == O.Polled && Ends == O.Ends &&
         Escaped == O.Escaped && Locs.size() == O.Locs.size() &&
         std::equal(Locs.begin(), Locs.end(), O.Locs.begin(),
                    [](const auto &A, const auto &B) {
                      return A.first == B.first && A.second == B.second;
                    });
}

//===----------------------------------------------------------------------===//
// The engine.
//===----------------------------------------------------------------------===//

class FlowEngineImpl {
public:
  FlowEngineImpl(FunctionAnalysis &R, const Stmt *Body, unsigned Budget,
                 CalleeSummaries &Summaries)
      : R(R), Ctx(*R.Ctx), Model(*R.Model), Summaries(Summaries), Body(Body),
        Budget(Budget) {}

  bool run();
  AbsVal eval(const Expr *E, const PathState &S) const;

private:
  struct Lvalue {
    LocKey L;
    bool Tracked = false;     ///< a local of this function we follow.
    bool AnyIndex = false;    ///< base[i] with an unknown i: L is the base.
  };

  // 1. discovery
  bool discoverEnds();
  void addParameterEnds(const ValueDecl *VD, QualType T, PathState &Init);
  bool isTrackableBase(const ValueDecl *VD) const;

  // 2. values
  std::optional<Lvalue> lvalueOf(const Expr *E, const PathState &S) const;
  std::optional<Lvalue> bindingPlace(const BindingDecl *BD,
                                     const PathState &S) const;
  int truth(const Expr *Cond, const PathState &S) const;
  Interval intervalOf(const AbsVal &V) const;
  void refineOnBranch(const Expr *Cond, bool Taken, PathState &S) const;
  bool testsSplitResult(const Expr *Cond, const PathState &S) const;
  struct CondKey {
    unsigned Hash;
    bool Negated;
    const Expr *Tested;
    const ValueDecl *Vars[2] = {nullptr, nullptr}; ///< collectCondVars()
    bool Remembered = false; ///< reads at most two variables
  };
  std::optional<CondKey> condKey(const Expr *E) const;
  std::optional<CondKey> computeCondKey(const Expr *E) const;
  mutable llvm::DenseMap<const Expr *, std::optional<CondKey>> CondKeys;
  const std::optional<BoostPipeOp> &boostOpOf(const CallExpr *CE);
  llvm::DenseMap<const CallExpr *, std::optional<BoostPipeOp>> BoostOps;
  void addPipeEnds(const Expr *Origin, bool Socket, bool OwnedByObject);
  void closeEnd(PathState &S, EndId E);
  int recalledTruth(const Expr *Cond, const PathState &S) const;
  void rememberTruth(const Expr *Cond, bool Taken, PathState &S) const;
  static void forgetFactsAbout(PathState &S, const ValueDecl *VD);
  static void intersectFacts(PathState &Into, const PathState &Other);
  bool hasFlagBit(const Expr *E, int64_t Bit, const PathState &S) const;
  static AbsVal lookupTemp(const PathState &S, const Expr *E);

  // 3. transfer
  void transferElement(const Stmt *St, PathState &S,
                       llvm::SmallVectorImpl<PathState> &Out, bool Observe);
  void transferCall(const CallExpr *CE, PathState &S,
                    llvm::SmallVectorImpl<PathState> &Out, bool Observe);
  void transferDecl(const VarDecl *VD, PathState &S);
  /// The end of the scope of a variable declared with
  /// `__attribute__((cleanup(f)))`: f(&var) runs.
  void transferCleanupFunction(const VarDecl *VD, PathState &S);
  void transferHoldingVars(llvm::ArrayRef<const VarDecl *> Holding,
                           PathState &S, llvm::SmallVectorImpl<PathState> &Out,
                           bool Observe);
  void initialize(LocKey L, QualType T, const Expr *Init, PathState &S,
                  unsigned Depth);
  void store(PathState &S, const Lvalue &LV, const AbsVal &V);
  void setLoc(PathState &S, LocKey L, const AbsVal &V);
  void copyRecord(PathState &S, LocKey To, LocKey From);
  void handOffExpr(PathState &S, const Expr *E);
  void handOffValue(PathState &S, const AbsVal &V);
  void handOffWithin(PathState &S, LocKey Outer);
  void collect(PathState &S, EndId E);
  void closeValue(PathState &S, const Expr *Arg);
  // Boost pipe objects (BoostPipeModel.h)
  std::optional<LocKey> objectEndLoc(LocKey Obj, QualType T,
                                     PipeSide Side) const;
  void placeObjectEnd(PathState &S, LocKey Obj, QualType T, PipeSide Side,
                      EndId E);
  void transferBoostOp(const CallExpr *CE, const BoostPipeOp &Op,
                       PathState &S, bool Observe);
  static void noteWrite(PathState &S, EndId E, const CallExpr *CE,
                        const AbsVal &N);
public:
  std::optional<EndId> objectEnd(const Expr *Obj, PipeSide Side,
                                 const PathState &S) const;
private:
  void setTemp(PathState &S, const Expr *E, const AbsVal &V);
  bool isEscaped(const PathState &S, const ValueDecl *VD) const;
  bool resultIsKept(const CallExpr *CE) const;
  void markEscaped(PathState &S, const ValueDecl *VD);
  std::optional<EndId> endIn(const Expr *E, const PathState &S) const;

  // 4. fixpoint
  void processBlock(const CFGBlock *B, llvm::SmallVectorImpl<PathState> &States,
                    bool Observe);
  void propagate(const CFGBlock *From, PathState &S, bool Observe);
  void enqueueState(const CFGBlock *To, PathState S);
  static PathState join(const PathState &A, const PathState &B, bool Widen);
  static bool sameEndFacts(const PathState &A, const PathState &B);
  struct BlockData;
  void widenBlock(BlockData &BD);
  void enqueueInto(BlockData &BD, const CFGBlock *To, PathState S);
  void recordExit(const CFGBlock *B, const PathState &S);

  // 5. tasks (TaskModel.h)
  void discoverTasks();
  void addTask(const Stmt *Origin, TaskKind K, const VarDecl *Handle,
               const TaskStart *Start);
  const Stmt *forkChildBranch(const CallExpr *Fork, const VarDecl *Pid) const;
  void collectHeld(const Expr *E, const PathState &S, TaskInfo &T,
                   unsigned Depth = 0) const;
  void addHeldWithin(LocKey L, const PathState &S, TaskInfo &T) const;
  void addHeldEnd(EndId E, TaskInfo &T) const;
  void startTask(TaskId T, PathState &S);
  uint64_t evalBound(const WriteBound &W, const TaskStart &Start,
                     const TaskCallable &C, const PathState &S) const;
  llvm::SmallVector<TaskId, 2> tasksNamedBy(const Expr *Handle) const;
  bool transferTaskOp(const CallExpr *CE, PathState &S, bool Observe);
  void transferDtor(const CFGAutomaticObjDtor &D, const CFGBlock *B,
                    PathState &S, bool Observe);
  void handOffTasksOf(PathState &S, const Expr *E);
  void handOffTasksOfVar(PathState &S, const ValueDecl *VD);
  void noteDrainedOnBranch(const Expr *Cond, bool Taken, PathState &S) const;
  bool transferSummarizedCall(const CallExpr *CE, const FunctionDecl *Callee,
                              PathState &S, bool Observe);
  // 6. function summaries (FunctionSummaries.h)
  const FunctionSummary *summaryOfCall(const CallExpr *CE);
  void seedSummaryParams();
  bool applyFunctionSummary(const CallExpr *CE, PathState &S,
                            llvm::SmallVectorImpl<PathState> &Out);

public:
  /// Summarising this function for its callers (runForSummary()).
  bool SummaryMode = false;

private:
  /// A child task \p T makes end \p E its descriptor \p Target (0, 1, 2).
  void noteChildStdStream(TaskInfo &T, EndId E, const AbsVal &Target) const;

  FunctionAnalysis &R;
  ASTContext &Ctx;
  const ApiModel &Model;
  CalleeSummaries &Summaries;
  const Stmt *Body;
  unsigned Budget;
  uint64_t Work = 0;
  size_t Elements = 0;
  /// Work allowed before the current phase stops: the budget times the
  /// function's CFG elements, checked after every element (not only at the
  /// end of a block: one block can hold a whole function).
  uint64_t Limit = 0;
  uint64_t allowance() const {
    return Budget * uint64_t(std::max<size_t>(Elements, 64));
  }
  bool OverBudget = false;
  /// What the stored and recorded states take, about (stateBytes()).
  uint64_t StoredBytes = 0, PeakBytes = 0;
  void addBytes(int64_t Delta) {
    StoredBytes = uint64_t(int64_t(StoredBytes) + Delta);
    PeakBytes = std::max(PeakBytes, StoredBytes);
    if (StoredBytes > MaxStateBytes)
      OverBudget = true;
  }
  static uint64_t stateBytes(const PathState &S) {
    return sizeof(PathState) + S.Ends.size() * sizeof(S.Ends[0]) +
           S.Locs.size() * sizeof(S.Locs[0]) +
           S.Tasks.size() * sizeof(S.Tasks[0]) +
           S.Escaped.size() * sizeof(S.Escaped[0]) +
           S.Facts.size() * sizeof(S.Facts[0]);
  }
  static uint64_t blockBytes(const std::vector<PathState> &In) {
    uint64_t B = 0;
    for (const PathState &S : In)
      B += stateBytes(S);
    return B;
  }
  /// The fixpoint ran past the budget once: every block was cut down to one
  /// widened state and the analysis went on with a second allowance.
  bool Degraded = false;
  /// Past the second allowance, or the replay past its own: no result.
  bool GaveUp = false;

public:
  /// For the statistics (PIPE_TIDY_STATS=1).
  size_t elements() const { return Elements; }
  uint64_t work() const { return Work; }
  /// Largest state seen at a block entry (places, escaped variables,
  /// facts): what one state costs to copy. For PIPE_TIDY_STATS.
  size_t MaxLocs = 0, MaxEscaped = 0, StoredStates = 0;
  size_t blocks() const { return Blocks.size(); }
  bool overBudget() const { return OverBudget; }
  bool degrade();
  bool degraded() const { return Degraded; }
  uint64_t peakBytes() const { return PeakBytes; }
  bool gaveUp() const { return GaveUp; }

private:

  std::unique_ptr<CFG> Graph;
  llvm::DenseMap<const Expr *, EndId> FirstEndOfCall;
  /// Tasks: by the statement that starts them, by their handle variable,
  /// by the lambda they run. What each start needs to evaluate its bound.
  llvm::DenseMap<const Stmt *, TaskId> TaskOfStart;
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<TaskId, 1>> TasksOfHandle;
  llvm::DenseMap<const LambdaExpr *, TaskId> TaskOfLambda;
  struct TaskCode {
    std::optional<TaskStart> Start;
    TaskCallable Callable;
    WriteBound Writes;
  };
  std::vector<TaskCode> TaskCodes;
  /// The variable each constructor or call initialises, and each
  /// assignment's right-hand side assigns (`pid = fork()`).
  llvm::DenseMap<const Expr *, const VarDecl *> InitOf;
  /// Ends stored through a pointer or into a member of `this` (key: the
  /// pointer variable, or the function for `this`): a task given that
  /// pointer holds them.
  llvm::DenseMap<const Decl *, llvm::SmallVector<EndId, 2>> EndsStoredVia;
  /// The ends each local object owns (the reverse of R.Owners).
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<EndId, 1>> OwnedBy;
  /// The `if (pid == 0)` branch for each pid variable, and for each fork()
  /// tested in place (`if (fork() == 0)`): found in one walk of the body.
  llvm::DenseMap<const void *, const Stmt *> ChildBranches;
  bool ChildBranchesFound = false;
  /// The descriptor each end becomes in a posix_spawn()ed child, from
  /// posix_spawn_file_actions_adddup2().
  llvm::DenseMap<EndId, int64_t> SpawnStdTarget;
  /// Drops the tasks that can no longer be reported from a state.
  void pruneTasks(PathState &S) const;
  llvm::DenseSet<const ValueDecl *> CaptureSeeds;
  PathState Initial;

  struct BlockData {
    /// A vector, not a SmallVector: most blocks of a long function hold
    /// one state or none, and a state is large; inline room for two would
    /// dominate the memory of a 100k-statement function.
    std::vector<PathState> In;
    llvm::SmallVector<unsigned, 2> Pending; ///< indices into In.
    unsigned Visits = 0;
    bool Widened = false;
    unsigned Order = 0;
    bool Queued = false;
  };
  std::vector<BlockData> Blocks;
  std::priority_queue<std::pair<unsigned, unsigned>,
                      std::vector<std::pair<unsigned, unsigned>>,
                      std::greater<>>
      Worklist; // (reverse post-order number, block id)
};

//===----------------------------------------------------------------------===//
// 1. Discovery
//===----------------------------------------------------------------------===//

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
        continue;
      const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE));
      if (!Api) {
        // A helper that makes a pipe for its caller: ends of this call's own.
        if (const FunctionSummary *FS = summaryOfCall(CE); FS && FS->Creator)
          addPipeEnds(CE, FS->Creator->Socket, /*OwnedByObject=*/false);
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

  if (!R.Ends.empty())
    discoverTasks();

  // Descriptor parameters and lambda captures the function might own. Only
  // worth tracking when the function closes something.
  if (SummaryMode)
    seedSummaryParams();
  else if (HasClose) {
    if (const FunctionDecl *FD = R.FD) {
      for (const ParmVarDecl *P : FD->parameters())
        addParameterEnds(P, P->getType(), Initial);
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
        if (MD->getParent()->isLambda()) {
          llvm::DenseMap<const compat::CapturedDecl *, FieldDecl *> Captures;
          FieldDecl *ThisCapture = nullptr;
          MD->getParent()->getCaptureFields(Captures, ThisCapture);
          llvm::SmallVector<const ValueDecl *, 4> Sorted;
          for (auto &C : Captures)
            Sorted.push_back(C.first);
          llvm::sort(Sorted, [](const ValueDecl *A, const ValueDecl *B) {
            return A->getBeginLoc() < B->getBeginLoc();
          });
          for (const ValueDecl *VD : Sorted) {
            CaptureSeeds.insert(VD);
            addParameterEnds(VD, VD->getType(), Initial);
          }
        }
      }
    }
  }
  return !R.Ends.empty();
}

//===----------------------------------------------------------------------===//
// 2. Values
//===----------------------------------------------------------------------===//

AbsVal FlowEngineImpl::lookupTemp(const PathState &S, const Expr *E) {
  for (const auto &T : S.Temps)
    if (T.first == E)
      return T.second;
  return AbsVal::unknown();
}

std::optional<FlowEngineImpl::Lvalue>
FlowEngineImpl::lvalueOf(const Expr *E, const PathState &S) const {
  E = E->IgnoreParens();
  if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
    if (ICE->getCastKind() == CK_NoOp || ICE->getCastKind() == CK_LValueBitCast)
      return lvalueOf(ICE->getSubExpr(), S);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *VD = DRE->getDecl();
    if (const auto *BD = dyn_cast<BindingDecl>(VD))
      return bindingPlace(BD, S);
    if (!isa<VarDecl>(VD))
      return std::nullopt;
    if (const auto *DD = dyn_cast<DecompositionDecl>(VD);
        DD && DD->getType()->isReferenceType()) {
      // Only a binding's expression names it: the place it refers to.
      if (DD->getInit() && fixedPlaceBase(DD->getInit()))
        return lvalueOf(DD->getInit(), S);
      return std::nullopt;
    }
    Lvalue LV;
    LV.L = LocKey{VD, 0};
    LV.Tracked = isTrackableBase(VD) && !isEscaped(S, VD);
    return LV;
  }
  auto Below = [&](std::optional<Lvalue> Outer, uint16_t Sel)
      -> std::optional<Lvalue> {
    if (!Outer || Outer->AnyIndex)
      return Outer;
    std::optional<LocKey> C = child(Outer->L, Sel);
    if (!C) {
      // Deeper than a location holds (`o.in.fd[1]`, `a[1].b.c`): some place
      // within Outer, as for an unknown index, so that a store there hands
      // the value off and a pipe() there is not followed, rather than
      // leaving ends open that no location names.
      Outer->AnyIndex = true;
      return Outer;
    }
    Outer->L = *C;
    return Outer;
  };
  auto BaseOfPointer = [&](const Expr *Base) -> std::optional<Lvalue> {
    // Base is a pointer: an array that decayed, or a variable holding the
    // address of a tracked location.
    AbsVal V = eval(Base, S);
    if (V.K == AbsVal::Addr) {
      Lvalue LV;
      LV.L = V.loc();
      LV.Tracked = isTrackableBase(LV.L.Base) && !isEscaped(S, LV.L.Base);
      return LV;
    }
    return std::nullopt;
  };
  auto Indexed = [&](std::optional<Lvalue> Outer,
                     const Expr *Idx) -> std::optional<Lvalue> {
    if (!Outer)
      return Outer;
    AbsVal I = eval(Idx, S);
    if (I.isConst() && I.Lo >= 0 && I.Lo < 0x7ffe)
      return Below(Outer, indexSel(unsigned(I.Lo)));
    Outer->AnyIndex = true;
    return Outer;
  };
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return Indexed(BaseOfPointer(ASE->getBase()), ASE->getIdx());
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return std::nullopt;
    std::optional<Lvalue> Outer = ME->isArrow() ? BaseOfPointer(ME->getBase())
                                                : lvalueOf(ME->getBase(), S);
    return Below(Outer, fieldSel(FD->getFieldIndex()));
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return BaseOfPointer(UO->getSubExpr());
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OCE->getOperator() == OO_Subscript && OCE->getNumArgs() == 2 &&
        isStdArrayType(OCE->getArg(0)->getType()))
      return Indexed(lvalueOf(OCE->getArg(0), S), OCE->getArg(1));
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    const auto *MD = MCE->getMethodDecl();
    if (MD && MD->getIdentifier() && MD->getName() == "at" &&
        MCE->getNumArgs() == 1 &&
        isStdArrayType(MCE->getImplicitObjectArgument()->getType()))
      return Indexed(lvalueOf(MCE->getImplicitObjectArgument(), S),
                     MCE->getArg(0));
  }
  return std::nullopt;
}

/// The place a structured binding of a plain array or struct names, if the
/// engine follows it: `w` in `auto [r, w] = fds;` is element 1 of the copy
/// of fds, in `auto &[r, w] = fds;` fds[1] itself. Only for a decomposition
/// of this function: a binding captured by a lambda is not followed in it.
/// A tuple-like binding is not followed either: its holding variable, a
/// reference, hands the end off where it is declared (transferDecl()).
std::optional<FlowEngineImpl::Lvalue>
FlowEngineImpl::bindingPlace(const BindingDecl *BD, const PathState &S) const {
  const DecompositionDecl *DD = plainDecompositionOf(BD);
  if (!DD)
    return std::nullopt;
  const DeclContext *DC = DD->getParentFunctionOrMethod();
  if (!DC || Decl::castFromDeclContext(DC) != R.D)
    return std::nullopt;
  return lvalueOf(BD->getBinding(), S);
}

AbsVal FlowEngineImpl::eval(const Expr *E, const PathState &S) const {
  if (!E)
    return AbsVal::unknown();
  E = E->IgnoreParens();
  if (E->isValueDependent() || E->isTypeDependent() || E->containsErrors())
    return AbsVal::unknown();

  if (const auto *IL = dyn_cast<IntegerLiteral>(E)) {
    llvm::APInt V = IL->getValue();
    return V.getActiveBits() <= 62 ? AbsVal::constant(int64_t(V.getZExtValue()))
                                   : AbsVal::unknown();
  }
  if (const auto *CL = dyn_cast<CharacterLiteral>(E))
    return AbsVal::constant(CL->getValue());
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
    return AbsVal::constant(BL->getValue());

  if (const auto *CE = dyn_cast<CastExpr>(E)) {
    switch (CE->getCastKind()) {
    case CK_LValueToRValue: {
      if (auto LV = lvalueOf(CE->getSubExpr(), S))
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
      // A constant we do not track: `constexpr size_t kChunk = ...;`.
      Expr::EvalResult Res;
      if (CE->getType()->isIntegralOrEnumerationType() &&
          CE->EvaluateAsInt(Res, Ctx) && Res.Val.isInt() &&
          Res.Val.getInt().getSignificantBits() <= 63)
        return AbsVal::constant(Res.Val.getInt().getSExtValue());
      return AbsVal::unknown();
    }
    case CK_ArrayToPointerDecay:
      if (auto LV = lvalueOf(CE->getSubExpr(), S))
        if (!LV->AnyIndex)
          return AbsVal::addr(LV->L);
      return AbsVal::unknown();
    case CK_NullToPointer:
      return AbsVal::constant(0);
    default:
      return eval(CE->getSubExpr(), S);
    }
  }

  if (isa<DeclRefExpr>(E) || isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E)) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
        return AbsVal::constant(EC->getInitVal().getSExtValue());
    if (auto LV = lvalueOf(E, S)) {
      if (LV->AnyIndex)
        return AbsVal::unknown();
      QualType T = E->getType();
      if (T->isArrayType() || T->isRecordType())
        return AbsVal::addr(LV->L);
      if (LV->Tracked)
        return S.load(LV->L);
    }
    return AbsVal::unknown();
  }

  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    AbsVal Sub;
    switch (UO->getOpcode()) {
    case UO_AddrOf:
      if (auto LV = lvalueOf(UO->getSubExpr(), S))
        if (!LV->AnyIndex)
          return AbsVal::addr(LV->L);
      return AbsVal::unknown();
    case UO_Deref:
      if (auto LV = lvalueOf(E, S))
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
      return AbsVal::unknown();
    case UO_Minus:
      Sub = eval(UO->getSubExpr(), S);
      if (Sub.isConst() && Sub.Lo > INT64_MIN)
        return AbsVal::constant(-Sub.Lo);
      return AbsVal::unknown();
    case UO_Plus:
      return eval(UO->getSubExpr(), S);
    case UO_LNot: {
      int T = truth(UO->getSubExpr(), S);
      return T < 0 ? AbsVal::unknown() : AbsVal::constant(!T);
    }
    case UO_Not:
      Sub = eval(UO->getSubExpr(), S);
      return Sub.isConst() ? AbsVal::constant(~Sub.Lo) : AbsVal::unknown();
    default:
      return AbsVal::unknown();
    }
  }

  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if (Op == BO_Assign || Op == BO_Comma)
      return eval(BO->getRHS(), S);
    if (BO->isComparisonOp()) {
      AbsVal L = eval(BO->getLHS(), S), Rv = eval(BO->getRHS(), S);
      if ((L.K == AbsVal::Unknown || L.K == AbsVal::Addr) ||
          (Rv.K == AbsVal::Unknown || Rv.K == AbsVal::Addr))
        return AbsVal::unknown();
      int T = compareIntervals(Op, intervalOf(L), intervalOf(Rv));
      return T < 0 ? AbsVal::range(0, 1) : AbsVal::constant(T);
    }
    if (Op == BO_LAnd || Op == BO_LOr) {
      int A = truth(BO->getLHS(), S);
      if (Op == BO_LAnd && A == 0)
        return AbsVal::constant(0);
      if (Op == BO_LOr && A == 1)
        return AbsVal::constant(1);
      int B = truth(BO->getRHS(), S);
      if (A >= 0 && B >= 0)
        return AbsVal::constant(Op == BO_LAnd ? (A && B) : (A || B));
      if (B == 0 && Op == BO_LAnd)
        return AbsVal::constant(0);
      if (B == 1 && Op == BO_LOr)
        return AbsVal::constant(1);
      return AbsVal::range(0, 1);
    }
    AbsVal L = eval(BO->getLHS(), S), Rv = eval(BO->getRHS(), S);
    if (!L.isConst() || !Rv.isConst())
      return AbsVal::unknown();
    int64_t A = L.Lo, B = Rv.Lo;
    switch (Op) {
    case BO_Add: return AbsVal::constant(A + B);
    case BO_Sub: return AbsVal::constant(A - B);
    case BO_Mul: return AbsVal::constant(A * B);
    case BO_And: return AbsVal::constant(A & B);
    case BO_Or: return AbsVal::constant(A | B);
    case BO_Xor: return AbsVal::constant(A ^ B);
    case BO_Shl: return B >= 0 && B < 62 ? AbsVal::constant(A << B) : AbsVal::unknown();
    case BO_Shr: return B >= 0 && B < 62 ? AbsVal::constant(A >> B) : AbsVal::unknown();
    case BO_Div: return B ? AbsVal::constant(A / B) : AbsVal::unknown();
    case BO_Rem: return B ? AbsVal::constant(A % B) : AbsVal::unknown();
    default: return AbsVal::unknown();
    }
  }

  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    int T = truth(CO->getCond(), S);
    if (T == 1)
      return eval(CO->getTrueExpr(), S);
    if (T == 0)
      return eval(CO->getFalseExpr(), S);
    AbsVal A = eval(CO->getTrueExpr(), S), B = eval(CO->getFalseExpr(), S);
    if (A == B)
      return A;
    if (A.K == AbsVal::Int && B.K == AbsVal::Int)
      return AbsVal::range(std::min(A.Lo, B.Lo), std::max(A.Hi, B.Hi));
    if (AbsVal M = endOrInvalid(A, B); M.K == AbsVal::End)
      return M;
    return AbsVal::unknown();
  }

  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if ((isValuePassThrough(Call->getDirectCallee()) ||
         isBuiltinExpect(Call)) &&
        Call->getNumArgs() >= 1)
      return eval(Call->getArg(0), S);
    if (isa<CXXOperatorCallExpr>(Call) || isa<CXXMemberCallExpr>(Call)) {
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
        const auto *MD = MCE->getMethodDecl();
        if (MD && MD->getIdentifier() && MD->getName() == "data" &&
            isStdArrayType(MCE->getImplicitObjectArgument()->getType()))
          if (auto LV = lvalueOf(MCE->getImplicitObjectArgument(), S))
            return AbsVal::addr(LV->L);
      }
      if (auto LV = lvalueOf(Call, S)) {
        if (LV->Tracked && !LV->AnyIndex)
          return S.load(LV->L);
        return AbsVal::unknown();
      }
      // `in.get()` on the local object that owns an end: a const getter
      // with no arguments returning an integer gives that end back.
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call))
        if (const auto *MD = MCE->getMethodDecl();
            MD && MD->isConst() && MCE->getNumArgs() == 0 &&
            MD->getReturnType()->isIntegerType() && !R.Owners.empty())
          if (const auto *DRE = dyn_cast<DeclRefExpr>(
                  MCE->getImplicitObjectArgument()->IgnoreParenImpCasts())) {
            const auto *Obj = dyn_cast<VarDecl>(DRE->getDecl());
            auto It = Obj ? OwnedBy.find(Obj) : OwnedBy.end();
            if (It != OwnedBy.end() && It->second.size() == 1 &&
                (S.get(It->second.front()).Status & (Open | HandedOff)))
              return AbsVal::end(It->second.front());
          }
    }
    return lookupTemp(S, Call);
  }

  // `({ int r = pipe(p); r; })`: the value of its last statement, which
  // the CFG has evaluated by now.
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (CS && !CS->body_empty())
      if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
        return eval(Last, S);
    return AbsVal::unknown();
  }

  if (isa<ExprWithCleanups>(E) || isa<MaterializeTemporaryExpr>(E) ||
      isa<CXXBindTemporaryExpr>(E) || isa<FullExpr>(E)) {
    for (const Stmt *C : E->children())
      if (const auto *CE = dyn_cast_or_null<Expr>(C))
        return eval(CE, S);
  }

  if (E->getType()->isIntegralOrEnumerationType() && !isa<CallExpr>(E)) {
    Expr::EvalResult Res;
    if (E->EvaluateAsInt(Res, Ctx) && Res.Val.isInt() &&
        Res.Val.getInt().getSignificantBits() <= 63)
      return AbsVal::constant(Res.Val.getInt().getSExtValue());
  }
  return AbsVal::unknown();
}

Interval FlowEngineImpl::intervalOf(const AbsVal &V) const {
  switch (V.K) {
  case AbsVal::Int:
    return {V.Lo, V.Hi};
  case AbsVal::End:
    // A descriptor we saw created is >= 3; a parameter may be anything; a
    // stream from fdopen() may be NULL.
    if (V.MaybeNull)
      return {INT64_MIN, INT64_MAX};
    if (R.Ends[V.E].Kind != EndKind::Parameter)
      return {LowestPipeFd, INT64_MAX};
    return {INT64_MIN, INT64_MAX};
  default:
    return {INT64_MIN, INT64_MAX};
  }
}

/// The local variables a condition reads (at most two, else none: such a
/// condition is not remembered).
static bool collectCondVars(const Stmt *S, const ValueDecl *(&Vars)[2],
                            unsigned &N) {
  if (!S)
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    // A structured binding reads the variable it names a part of.
    if (const auto *BD = dyn_cast<BindingDecl>(DRE->getDecl()))
      VD = bindingStorage(BD);
    if (VD && VD->hasLocalStorage()) {
      if ((N > 0 && Vars[0] == VD) || (N > 1 && Vars[1] == VD))
        return true;
      if (N == 2)
        return false;
      Vars[N++] = VD;
    }
    return true;
  }
  for (const Stmt *C : S->children())
    if (!collectCondVars(C, Vars, N))
      return false;
  return true;
}

/// classifyBoostCall(), asked for every call in every state: once per call.
const std::optional<BoostPipeOp> &FlowEngineImpl::boostOpOf(const CallExpr *CE) {
  auto [It, New] = BoostOps.try_emplace(CE);
  if (New)
    It->second = classifyBoostCall(CE);
  return It->second;
}

std::optional<FlowEngineImpl::CondKey>
FlowEngineImpl::condKey(const Expr *E) const {
  // A pure function of the expression, asked at every branch for every
  // state: computed once.
  auto [It, New] = CondKeys.try_emplace(E);
  if (New) {
    It->second = computeCondKey(E);
    if (It->second) {
      unsigned N = 0;
      It->second->Remembered =
          collectCondVars(It->second->Tested, It->second->Vars, N);
    }
  }
  return It->second;
}

std::optional<FlowEngineImpl::CondKey>
FlowEngineImpl::computeCondKey(const Expr *E) const {
  bool Negated = false;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      AbsVal RHS = eval(BO->getRHS(), Initial);
      if ((BO->getOpcode() == BO_NE || BO->getOpcode() == BO_EQ) &&
          RHS.isConst() && RHS.Lo == 0) {
        Negated ^= BO->getOpcode() == BO_EQ;
        E = BO->getLHS();
        continue;
      }
      // ~x & BIT is !(x & BIT) for a single bit.
      if (BO->getOpcode() == BO_And && RHS.isConst() && RHS.Lo > 0 &&
          (RHS.Lo & (RHS.Lo - 1)) == 0)
        if (const auto *Not = dyn_cast<UnaryOperator>(
                BO->getLHS()->IgnoreParenImpCasts());
            Not && Not->getOpcode() == UO_Not) {
          llvm::FoldingSetNodeID ID;
          Not->getSubExpr()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
          BO->getRHS()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
          ID.AddInteger(unsigned(BO_And));
          return CondKey{ID.ComputeHash(), !Negated, Not->getSubExpr()};
        }
      if (BO->getOpcode() == BO_And) {
        llvm::FoldingSetNodeID ID;
        BO->getLHS()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
        BO->getRHS()->IgnoreParenImpCasts()->Profile(ID, Ctx, true);
        ID.AddInteger(unsigned(BO_And));
        return CondKey{ID.ComputeHash(), Negated, BO->getLHS()};
      }
    }
    break;
  }
  if (E->HasSideEffects(Ctx))
    return std::nullopt; // a call: the next one may answer differently
  llvm::FoldingSetNodeID ID;
  E->Profile(ID, Ctx, true);
  return CondKey{ID.ComputeHash(), Negated, E};
}

int FlowEngineImpl::recalledTruth(const Expr *Cond, const PathState &S) const {
  auto K = condKey(Cond);
  if (!K)
    return -1;
  for (const PathState::CondFact &F : S.Facts)
    if (F.Hash == K->Hash)
      return F.Truth != K->Negated;
  return -1;
}

void FlowEngineImpl::rememberTruth(const Expr *Cond, bool Taken,
                                   PathState &S) const {
  auto K = condKey(Cond);
  if (!K || !K->Remembered)
    return;
  PathState::CondFact F{K->Hash, Taken != K->Negated, {K->Vars[0], K->Vars[1]}};
  for (PathState::CondFact &Old : S.Facts)
    if (Old.Hash == F.Hash) {
      Old = F;
      return;
    }
  if (S.Facts.size() < 16)
    S.Facts.push_back(F);
}

void FlowEngineImpl::forgetFactsAbout(PathState &S, const ValueDecl *VD) {
  if (S.Facts.empty())
    return;
  S.Facts.erase(std::remove_if(S.Facts.begin(), S.Facts.end(),
                               [&](const PathState::CondFact &F) {
                                 return F.Vars[0] == VD || F.Vars[1] == VD;
                               }),
                S.Facts.end());
}

bool FlowEngineImpl::testsSplitResult(const Expr *Cond,
                                         const PathState &S) const {
  llvm::SmallVector<const Stmt *, 8> Stack{Cond};
  while (!Stack.empty()) {
    const Stmt *St = Stack.pop_back_val();
    const auto *E = dyn_cast_or_null<Expr>(St);
    if (!E)
      continue;
    if (isa<DeclRefExpr>(E->IgnoreParenImpCasts()) ||
        isa<CallExpr>(E->IgnoreParenImpCasts())) {
      if (eval(E, S).SplitResult)
        return true;
      continue;
    }
    for (const Stmt *C : E->children())
      Stack.push_back(C);
  }
  return false;
}

void FlowEngineImpl::refineOnBranch(const Expr *Cond, bool Taken,
                                    PathState &S) const {
  // What a branch teaches about the values it tested, so that a later test
  // of the same variable is decided consistently (`if (need_err) pipe(...)`
  // ... `if (need_err) close(...)`), and so that a descriptor parameter is
  // known not to be one where it is negative (`if (fd < 0) return;`).
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot)
      return refineOnBranch(UO->getSubExpr(), !Taken, S);
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if ((BO->getOpcode() == BO_LAnd && Taken) ||
        (BO->getOpcode() == BO_LOr && !Taken)) {
      refineOnBranch(BO->getLHS(), Taken, S);
      refineOnBranch(BO->getRHS(), Taken, S);
      return;
    }
  }

  // The variable a condition operand names, if we track it.
  auto TestedLoc = [&](const Expr *X) -> std::optional<LocKey> {
    X = X->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(X))
      if (A->getOpcode() == BO_Assign)
        X = A->getLHS()->IgnoreParenImpCasts();
    if (!isa<DeclRefExpr>(X) && !isa<MemberExpr>(X) &&
        !isa<ArraySubscriptExpr>(X))
      return std::nullopt;
    if (auto LV = lvalueOf(X, S))
      if (LV->Tracked && !LV->AnyIndex)
        return LV->L;
    return std::nullopt;
  };
  auto Narrow = [&](LocKey L, BinaryOperatorKind Op, int64_t C, bool IsBool) {
    AbsVal Old = S.load(L);
    if (Old.K == AbsVal::End && Old.MaybeNull) {
      // A stream that may be NULL, or a descriptor that may be -1, tested:
      // on one side it is no descriptor, on the other the end itself.
      int64_t Lo = INT64_MIN, Hi = INT64_MAX;
      switch (Op) {
      case BO_EQ: Lo = Hi = C; break;
      case BO_LT: Hi = C > INT64_MIN ? C - 1 : C; break;
      case BO_LE: Hi = C; break;
      case BO_GT: Lo = C < INT64_MAX ? C + 1 : C; break;
      case BO_GE: Lo = C; break;
      case BO_NE: if (C < 0 || C == 0) Lo = C + 1; break;
      default: return;
      }
      AbsVal N = Old;
      if (Hi < LowestPipeFd) {
        N = AbsVal::range(Lo, Hi);
        // On the paths this test selects the place never held the end: it
        // was not created yet, or was closed and reset, or moved. Which of
        // them the join forgot, so the end is no longer reported here.
        if (Old.OrInvalid) {
          S.ref(Old.E).Flags |= Lost;
          // Its peer, in a place the same join left holding it or -1
          // (`s[1]` next to `s[0]` after `if (pipe(s) < 0) s[0] = s[1] =
          // -1;`): the paths that reset one reset both, as far as the
          // join can tell, so it is not reported either.
          int Peer = R.Ends[Old.E].Peer;
          if (Peer >= 0)
            if (const LocKey *PL = S.locationOf(EndId(Peer));
                PL && S.load(*PL).OrInvalid)
              S.ref(EndId(Peer)).Flags |= Lost;
        }
      } else if (Lo >= 0) {
        N.MaybeNull = false;
        N.OrInvalid = false;
      } else
        return;
      N.SplitResult = true;
      const_cast<FlowEngineImpl *>(this)->setLoc(S, L, N);
      return;
    }
    if (Old.K == AbsVal::End) {
      // Only a parameter can turn out not to be a descriptor.
      if (R.Ends[Old.E].Kind != EndKind::Parameter)
        return;
      bool Negative = (Op == BO_LT && C <= 0) || (Op == BO_LE && C < 0) ||
                      (Op == BO_EQ && C < 0);
      if (Negative)
        S.ref(Old.E).Status = NotCreated;
      return;
    }
    if (Old.K != AbsVal::Int && Old.K != AbsVal::Unknown)
      return;
    int64_t Lo = Old.K == AbsVal::Int ? Old.Lo : (IsBool ? 0 : INT64_MIN);
    int64_t Hi = Old.K == AbsVal::Int ? Old.Hi : (IsBool ? 1 : INT64_MAX);
    switch (Op) {
    case BO_EQ: Lo = Hi = C; break;
    case BO_NE:
      if (Lo == C && Lo < INT64_MAX) ++Lo;
      else if (Hi == C && Hi > INT64_MIN) --Hi;
      break;
    case BO_LT: if (C > INT64_MIN) Hi = std::min(Hi, C - 1); break;
    case BO_LE: Hi = std::min(Hi, C); break;
    case BO_GT: if (C < INT64_MAX) Lo = std::max(Lo, C + 1); break;
    case BO_GE: Lo = std::max(Lo, C); break;
    default: return;
    }
    if (Lo > Hi || (Lo == INT64_MIN && Hi == INT64_MAX))
      return;
    AbsVal N = AbsVal::range(Lo, Hi);
    N.SplitResult = Old.SplitResult;
    const_cast<FlowEngineImpl *>(this)->setLoc(S, L, N);
  };

  if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isComparisonOp()) {
    BinaryOperatorKind Op = BO->getOpcode();
    const Expr *X = BO->getLHS(), *K = BO->getRHS();
    AbsVal KV = eval(K, S);
    if (!KV.isConst()) {
      std::swap(X, K);
      KV = eval(K, S);
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    if (!KV.isConst())
      return;
    if (!Taken)
      Op = BinaryOperator::negateComparisonOp(Op);
    if (auto L = TestedLoc(X))
      Narrow(*L, Op, KV.Lo, X->getType()->isBooleanType());
    return;
  }
  // A plain truth test of a variable.
  if (auto L = TestedLoc(Cond))
    Narrow(*L, Taken ? BO_NE : BO_EQ, 0, Cond->getType()->isBooleanType());
}

int FlowEngineImpl::truth(const Expr *Cond, const PathState &S) const {
  AbsVal V = eval(Cond, S);
  switch (V.K) {
  case AbsVal::Int:
    if (V.Lo == 0 && V.Hi == 0)
      return 0;
    if (V.Lo > 0 || V.Hi < 0)
      return 1;
    return -1;
  case AbsVal::End:
    // A descriptor we created is >= 3; a parameter may be any number; a
    // stream from fdopen() may be NULL.
    return R.Ends[V.E].Kind == EndKind::Parameter || V.MaybeNull ? -1 : 1;
  case AbsVal::Addr:
    return 1;
  default:
    return -1;
  }
}

bool FlowEngineImpl::hasFlagBit(const Expr *E, int64_t Bit,
                                const PathState &S) const {
  if (!E || Bit == 0)
    return false;
  E = E->IgnoreParenImpCasts();
  AbsVal V = eval(E, S);
  if (V.isConst())
    return (V.Lo & Bit) == Bit;
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    if (BO->getOpcode() == BO_Or)
      return hasFlagBit(BO->getLHS(), Bit, S) ||
             hasFlagBit(BO->getRHS(), Bit, S);
  return false;
}

std::optional<EndId> FlowEngineImpl::endIn(const Expr *E,
                                           const PathState &S) const {
  AbsVal V = eval(E, S);
  if (V.K == AbsVal::End)
    return V.E;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// 3. Transfer
//===----------------------------------------------------------------------===//

bool FlowEngineImpl::resultIsKept(const CallExpr *CE) const {
  // Walk up through casts and parentheses to what uses the value.
  DynTypedNode Node = DynTypedNode::create(*CE);
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    const DynTypedNode &P = Parents[0];
    if (P.get<ImplicitCastExpr>() || P.get<ParenExpr>() ||
        P.get<CStyleCastExpr>() || P.get<ConditionalOperator>()) {
      Node = P;
      continue;
    }
    if (const auto *BO = P.get<BinaryOperator>())
      return BO->isAssignmentOp();
    return P.get<VarDecl>() || P.get<CallExpr>() || P.get<ReturnStmt>() ||
           P.get<InitListExpr>() || P.get<CXXConstructExpr>();
  }
  return true;
}

bool FlowEngineImpl::isEscaped(const PathState &S, const ValueDecl *VD) const {
  return std::binary_search(S.Escaped.begin(), S.Escaped.end(), VD);
}

void FlowEngineImpl::markEscaped(PathState &S, const ValueDecl *VD) {
  forgetFactsAbout(S, VD);
  handOffTasksOfVar(S, VD);
  auto It = std::lower_bound(S.Escaped.begin(), S.Escaped.end(), VD);
  if (It == S.Escaped.end() || *It != VD)
    S.Escaped.insert(It, VD);
}

void FlowEngineImpl::setTemp(PathState &S, const Expr *E, const AbsVal &V) {
  for (auto &T : S.Temps)
    if (T.first == E) {
      T.second = V;
      return;
    }
  if (V.K != AbsVal::Unknown)
    S.Temps.push_back({E, V});
}

void FlowEngineImpl::setLoc(PathState &S, LocKey L, const AbsVal &V) {
  forgetFactsAbout(S, L.Base);
  auto It = std::lower_bound(
      S.Locs.begin(), S.Locs.end(), L,
      [](const std::pair<LocKey, AbsVal> &P, const LocKey &K) {
        return P.first < K;
      });
  if (It != S.Locs.end() && It->first == L) {
    if (V.K == AbsVal::Unknown)
      S.Locs.erase(It);
    else
      It->second = V;
    return;
  }
  if (V.K != AbsVal::Unknown)
    S.Locs.insert(It, {L, V});
}

void FlowEngineImpl::handOffValue(PathState &S, const AbsVal &V) {
  if (V.K == AbsVal::End) {
    auto &ES = S.ref(V.E);
    if (ES.Status & Open)
      ES.Status = uint8_t((ES.Status & ~Open) | HandedOff);
    collect(S, V.E);
  } else if (V.K == AbsVal::Addr) {
    handOffWithin(S, V.loc());
  }
}

void FlowEngineImpl::handOffWithin(PathState &S, LocKey Outer) {
  llvm::SmallVector<AbsVal, 4> Held;
  for (const auto &P : S.Locs)
    if (isWithin(P.first, Outer) && P.second.K == AbsVal::End)
      Held.push_back(P.second);
  for (const AbsVal &V : Held)
    handOffValue(S, V);
  // Whoever now has the address may store more into it or close it later.
  markEscaped(S, Outer.Base);
}

void FlowEngineImpl::handOffExpr(PathState &S, const Expr *E) {
  if (!E)
    return;
  handOffTasksOf(S, E);
  E = E->IgnoreParens();
  if (isa<LambdaExpr>(E) || isa<BlockExpr>(E))
    return; // handled where the closure is created
  AbsVal V = eval(E, S);
  if (V.K == AbsVal::End || V.K == AbsVal::Addr) {
    handOffValue(S, V);
    return;
  }
  // An lvalue bound to a reference parameter: the callee may close it.
  if (E->isGLValue())
    if (auto LV = lvalueOf(E, S)) {
      if (LV->AnyIndex) {
        handOffWithin(S, LV->L);
        return;
      }
      if (LV->Tracked)
        handOffValue(S, S.load(LV->L));
      if (E->getType()->isArrayType() || E->getType()->isRecordType())
        handOffWithin(S, LV->L);
      return;
    }
  if (isa<CallExpr>(E) && !isValuePassThrough(cast<CallExpr>(E)->getDirectCallee()))
    return; // its own element already handled its arguments
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(E);
      CCE && isBoostStdioBinding(CCE))
    return; // its own element decided what the child gets
  for (const Stmt *C : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(C))
      handOffExpr(S, CE);
}

void FlowEngineImpl::collect(PathState &S, EndId E) {
  // A pipe whose ends are both closed or handed off (or a lone duplicate)
  // can matter to no finding any more: forget it, and where it was stored.
  auto Done = [&](EndId X) {
    uint8_t St = S.get(X).Status;
    // An end a local object owns is followed until that object closes it.
    return R.Ends[X].Kind != EndKind::Parameter && St != 0 &&
           (St & ~(Closed | HandedOff)) == 0 &&
           ((St & Closed) || !R.Owners.count(X));
  };
  const EndInfo &Info = R.Ends[E];
  if (!Done(E) || (Info.Peer >= 0 && !Done(EndId(Info.Peer))))
    return;
  llvm::SmallVector<EndId, 2> Gone{E};
  if (Info.Peer >= 0)
    Gone.push_back(EndId(Info.Peer));
  for (EndId X : Gone) {
    S.erase(X);
    S.Locs.erase(std::remove_if(S.Locs.begin(), S.Locs.end(),
                                [&](const std::pair<LocKey, AbsVal> &P) {
                                  return P.second.K == AbsVal::End &&
                                         P.second.E == X;
                                }),
                 S.Locs.end());
  }
}

void FlowEngineImpl::store(PathState &S, const Lvalue &LV, const AbsVal &V) {
  if (LV.AnyIndex) {
    // base[i] = v with unknown i: whatever base held is now uncertain.
    for (auto &P : S.Locs)
      if (isWithin(P.first, LV.L) && P.second.K == AbsVal::End)
        S.ref(P.second.E).Flags |= Lost;
    handOffValue(S, V);
    llvm::SmallVector<LocKey, 4> Drop;
    for (auto &P : S.Locs)
      if (isWithin(P.first, LV.L))
        Drop.push_back(P.first);
    for (LocKey K : Drop)
      setLoc(S, K, AbsVal::unknown());
    return;
  }
  if (!LV.Tracked) {
    handOffValue(S, V);
    return;
  }
  setLoc(S, LV.L, V);
}

void FlowEngineImpl::copyRecord(PathState &S, LocKey To, LocKey From) {
  if (!(From.Base && To.Base) || (From.Sel >> 16) || (To.Sel >> 16))
    return;
  llvm::SmallVector<std::pair<LocKey, AbsVal>, 4> Copies;
  for (const auto &P : S.Locs) {
    if (!isWithin(P.first, From) || P.first == From)
      continue;
    uint32_t Rest = From.Sel == 0 ? P.first.Sel : (P.first.Sel >> 16);
    LocKey Dest = To;
    bool Ok = true;
    for (uint32_t Sel = Rest; Sel && Ok; Sel >>= 16) {
      auto C = child(Dest, uint16_t(Sel & 0xffff));
      Ok = C.has_value();
      if (Ok)
        Dest = *C;
    }
    if (Ok)
      Copies.push_back({Dest, P.second});
  }
  for (auto &C : Copies)
    setLoc(S, C.first, C.second);
}

void FlowEngineImpl::initialize(LocKey L, QualType T, const Expr *Init,
                                PathState &S, unsigned Depth) {
  if (!Init)
    return;
  Init = Init->IgnoreParenImpCasts();
  if (const auto *CLE = dyn_cast<CompoundLiteralExpr>(Init))
    Init = CLE->getInitializer()->IgnoreParenImpCasts();
  if (const auto *ILE = dyn_cast<InitListExpr>(Init)) {
    if (Depth > 1) {
      handOffExpr(S, Init);
      return;
    }
    QualType Canon = T.getCanonicalType();
    if (const auto *AT = dyn_cast<ConstantArrayType>(Canon.getTypePtr())) {
      for (unsigned I = 0; I < ILE->getNumInits(); ++I)
        if (auto C = child(L, indexSel(I)))
          initialize(*C, AT->getElementType(), ILE->getInit(I), S, Depth + 1);
      return;
    }
    if (const auto *RD = Canon->getAsRecordDecl()) {
      if (isStdArrayType(Canon)) {
        // std::array<int, 2> a = {{x, y}}: one inner list.
        if (ILE->getNumInits() == 1)
          if (const auto *Inner =
                  dyn_cast<InitListExpr>(ILE->getInit(0)->IgnoreParens()))
            for (unsigned I = 0; I < Inner->getNumInits(); ++I)
              if (auto C = child(L, indexSel(I)))
                setLoc(S, *C, eval(Inner->getInit(I), S));
        return;
      }
      unsigned I = 0;
      for (const FieldDecl *F : RD->fields()) {
        if (I >= ILE->getNumInits())
          break;
        if (auto C = child(L, fieldSel(F->getFieldIndex())))
          initialize(*C, F->getType(), ILE->getInit(I), S, Depth + 1);
        ++I;
      }
      return;
    }
    handOffExpr(S, Init);
    return;
  }
  if (const auto *ALE = dyn_cast<ArrayInitLoopExpr>(Init)) {
    // A copy of a whole array, element by element: `auto [r, w] = fds;`.
    // Its elements now live in two places; from a place the engine does
    // not follow, whatever it held is handed off.
    const Expr *Src = ALE->getCommonExpr()->getSourceExpr();
    if (!Src)
      return;
    if (auto LV = lvalueOf(Src, S); LV && LV->Tracked && !LV->AnyIndex)
      copyRecord(S, L, LV->L);
    else
      handOffExpr(S, Src);
    return;
  }
  if (T->isRecordType() || T->isArrayType()) {
    // A copy of a tracked record: its members now live in two places.
    if (Init->isGLValue() || isa<ImplicitCastExpr>(Init) ||
        isa<CXXConstructExpr>(Init)) {
      const Expr *Src = Init;
      if (const auto *CCE = dyn_cast<CXXConstructExpr>(Init))
        if (CCE->getNumArgs() == 1 && CCE->getConstructor()->isCopyOrMoveConstructor())
          Src = CCE->getArg(0);
      if (auto LV = lvalueOf(Src->IgnoreImpCasts(), S))
        if (LV->Tracked && !LV->AnyIndex) {
          copyRecord(S, L, LV->L);
          return;
        }
    }
    return; // constructors of other classes were their own elements
  }
  setLoc(S, L, eval(Init, S));
}

void FlowEngineImpl::transferDecl(const VarDecl *VD, PathState &S) {
  const Expr *Init = VD->getInit();
  if (!Init)
    return;
  Lvalue LV;
  LV.L = LocKey{VD, 0};
  LV.Tracked = isTrackableBase(VD) && !isEscaped(S, VD);
  const auto *DD = dyn_cast<DecompositionDecl>(VD);
  if (DD && !llvm::all_of(DD->bindings(), [](const BindingDecl *BD) {
        return plainDecompositionOf(BD) != nullptr;
      }))
    DD = nullptr; // tuple-like: its holding variables hand the ends off
  // A structured binding of a plain array or struct: each binding names a
  // place (lvalueOf()), unless the engine cannot tell which; then whatever
  // the decomposition holds is handed off.
  auto BindingsFollowed = [&] {
    return llvm::all_of(DD->bindings(), [&](const BindingDecl *BD) {
      auto P = bindingPlace(BD, S);
      return P && P->Tracked && !P->AnyIndex;
    });
  };
  if (DD && DD->getType()->isReferenceType() && fixedPlaceBase(Init) &&
      BindingsFollowed())
    return; // `auto &[r, w] = fds;`: r and w are fds[0] and fds[1]
  if (DD && LV.Tracked && !DD->getType()->isReferenceType()) {
    initialize(LV.L, VD->getType(), Init, S, 0); // `auto [r, w] = fds;`
    if (!BindingsFollowed()) {
      const Expr *From = Init->IgnoreParenImpCasts();
      if (const auto *ALE = dyn_cast<ArrayInitLoopExpr>(From))
        From = ALE->getCommonExpr()->getSourceExpr();
      handOffExpr(S, From);
      handOffWithin(S, LV.L);
    }
    return;
  }
  if (!LV.Tracked || VD->getType()->isReferenceType()) {
    // static locals, references (int &r = fds[1]), and the like.
    handOffExpr(S, Init);
    return;
  }
  initialize(LV.L, VD->getType(), Init, S, 0);
  // `bp::pipe p;`, `bp::pstream ps;`: the object makes a pipe and holds
  // both its ends.
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()))
    if (auto It = FirstEndOfCall.find(CCE); It != FirstEndOfCall.end()) {
      placeObjectEnd(S, LV.L, VD->getType(), PipeSide::Read, It->second);
      placeObjectEnd(S, LV.L, VD->getType(), PipeSide::Write, It->second + 1);
    }
}

void FlowEngineImpl::transferCleanupFunction(const VarDecl *VD,
                                             PathState &S) {
  // systemd's `_cleanup_close_ int fd`, `_cleanup_close_pair_ int p[2]`:
  // the function is given the variable's address and closes what it holds,
  // or not; like any function we cannot see, it takes over those ends.
  if (isTrackableBase(VD))
    handOffWithin(S, LocKey{VD, 0});
}

void FlowEngineImpl::closeEnd(PathState &S, EndId E) {
  S.ref(E).Status = Closed;
  collect(S, E);
}

void FlowEngineImpl::closeValue(PathState &S, const Expr *Arg) {
  AbsVal V = eval(Arg, S);
  if (V.K == AbsVal::End) {
    closeEnd(S, V.E);
    return;
  }
  // close(fds[i]) with an unknown i, as in a loop over both ends: treat
  // every end in the array as closed (we never guess a leak).
  if (auto LV = lvalueOf(Arg->IgnoreParenImpCasts(), S))
    if (LV->AnyIndex) {
      llvm::SmallVector<EndId, 4> Closing;
      for (const auto &P : S.Locs)
        if (isWithin(P.first, LV->L) && P.second.K == AbsVal::End)
          Closing.push_back(P.second.E);
      for (EndId E : Closing)
        S.ref(E).Status = Closed;
      for (EndId E : Closing)
        collect(S, E);
    }
}

/// Where an object keeps the end of \p Side: an Asio pipe in its own
/// variable; a Boost.Process pipe or stream its read end there and its write
/// end in a sub-location.
std::optional<LocKey> FlowEngineImpl::objectEndLoc(LocKey Obj, QualType T,
                                                   PipeSide Side) const {
  if (Side == PipeSide::Write && isTwoEndedBoostPipeType(T))
    return child(Obj, fieldSel(BoostWriteSideField));
  return Obj;
}

void FlowEngineImpl::placeObjectEnd(PathState &S, LocKey Obj, QualType T,
                                    PipeSide Side, EndId E) {
  auto L = objectEndLoc(Obj, T, Side);
  if (!L)
    return;
  S.ref(E) = {Open, 0};
  setLoc(S, *L, AbsVal::end(E));
  if (R.Ends[E].Name.empty())
    R.Ends[E].Name = R.locName(*L);
}

std::optional<EndId> FlowEngineImpl::objectEnd(const Expr *Obj, PipeSide Side,
                                               const PathState &S) const {
  if (!Obj)
    return std::nullopt;
  auto LV = lvalueOf(Obj->IgnoreParenImpCasts(), S);
  if (!LV || !LV->Tracked || LV->AnyIndex)
    return std::nullopt;
  auto L = objectEndLoc(LV->L, Obj->getType(), Side);
  if (!L)
    return std::nullopt;
  AbsVal V = S.load(*L);
  if (V.K == AbsVal::End)
    return V.E;
  return std::nullopt;
}

void FlowEngineImpl::transferBoostOp(const CallExpr *CE, const BoostPipeOp &Op,
                                     PathState &S, bool Observe) {
  static const ApiFunction ReadApi{ApiRole::Read, -1};
  static const ApiFunction WriteApi{ApiRole::Write, -1};
  static const ApiFunction CloseApi{ApiRole::Close, -1};
  if (Observe && Op.K != BoostPipeOp::Create && Op.K != BoostPipeOp::Ignore &&
      !S.Ends.empty()) {
    const ApiFunction *Api = Op.K == BoostPipeOp::Read    ? &ReadApi
                             : Op.K == BoostPipeOp::Write ? &WriteApi
                                                          : &CloseApi;
    CallSite C{CE, Api, Op.Object, Op.ToEof};
    R.Calls.push_back({C, S});
  }
  switch (Op.K) {
  case BoostPipeOp::Create: {
    auto It = FirstEndOfCall.find(CE);
    auto RL = lvalueOf(Op.Object->IgnoreParenImpCasts(), S);
    auto WL = Op.WriteObject ? lvalueOf(Op.WriteObject->IgnoreParenImpCasts(), S)
                             : std::nullopt;
    if (It == FirstEndOfCall.end() || !RL || !WL || !RL->Tracked ||
        !WL->Tracked || RL->AnyIndex || WL->AnyIndex)
      return; // kept where we do not follow
    placeObjectEnd(S, RL->L, Op.Object->getType(), PipeSide::Read, It->second);
    placeObjectEnd(S, WL->L, Op.WriteObject->getType(), PipeSide::Write,
                   It->second + 1);
    return;
  }
  case BoostPipeOp::Write:
    if (auto E = objectEnd(Op.Object, PipeSide::Write, S))
      noteWrite(S, *E, CE,
                Op.ConstSize ? AbsVal::constant(int64_t(*Op.ConstSize))
                             : eval(Op.Size, S));
    return;
  case BoostPipeOp::Close:
    for (PipeSide Side : {PipeSide::Read, PipeSide::Write}) {
      if (Op.Side != PipeSide::Both && Op.Side != Side)
        continue;
      if (auto E = objectEnd(Op.Object, Side, S))
        closeEnd(S, *E);
    }
    return;
  case BoostPipeOp::Read:
  case BoostPipeOp::Ignore:
    return;
  }
}

/// A write of \p N bytes (unknown if not a constant) to end \p E by \p CE:
/// what pipe-self-deadlock adds up against the pipe's capacity.
void FlowEngineImpl::noteWrite(PathState &S, EndId E, const CallExpr *CE,
                               const AbsVal &N) {
  auto &ES = S.ref(E);
  ES.Flags |= WrittenTo;
  if (N.isConst() && N.Lo >= 0) {
    uint64_t Sum = uint64_t(ES.Written) + uint64_t(N.Lo);
    ES.Written = uint32_t(std::min<uint64_t>(Sum, UINT32_MAX - 1));
    if (N.Lo > 0)
      ES.LastWrite = CE;
  } else {
    ES.Flags |= UnknownWrite;
  }
}

/// The calls FunctionAnalysis::forEachCall() offers the checks.
static bool recordsCall(ApiRole Role) {
  switch (Role) {
  case ApiRole::Read:
  case ApiRole::Write:
  case ApiRole::Close:
  case ApiRole::Exec:
  case ApiRole::Spawn:
  case ApiRole::Shell:
  case ApiRole::Copy:
    return true;
  default:
    return false;
  }
}

void FlowEngineImpl::transferCall(const CallExpr *CE, PathState &S,
                                  llvm::SmallVectorImpl<PathState> &Out,
                                  bool Observe) {
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  const ApiFunction *Api = Model.lookup(Callee);
  CallSite *Recorded = nullptr;
  if (Observe && Api && recordsCall(Api->Role) && !S.Ends.empty()) {
    R.Calls.push_back({CallSite{CE, Api}, S});
    Recorded = &R.Calls.back().first;
  }

  // Tasks: std::async() and pthread_create() start one; join, detach,
  // pthread_join, waitpid end one.
  if (!R.Tasks.empty()) {
    if (auto It = TaskOfStart.find(CE);
        It != TaskOfStart.end() && R.Tasks[It->second].Kind != TaskKind::ForkChild) {
      const Expr *HandleArg = TaskCodes[It->second].Start->HandleArg;
      // pthread_create() returns 0, or an error number: a path where no
      // thread started.
      std::optional<PathState> Failed;
      if (R.Tasks[It->second].Kind == TaskKind::PThread)
        Failed = S;
      startTask(It->second, S);
      for (PathState *P : {&S, Failed ? &*Failed : nullptr})
        if (P)
          for (const Expr *A : CE->arguments())
            if (A != HandleArg)
              handOffExpr(*P, A);
      if (Failed) {
        setTemp(S, CE, AbsVal::constant(0));
        setTemp(*Failed, CE, AbsVal::range(1, INT64_MAX));
      }
      Out.push_back(std::move(S));
      if (Failed)
        Out.push_back(std::move(*Failed));
      return;
    }
    if (transferTaskOp(CE, S, Observe)) {
      Out.push_back(std::move(S));
      return;
    }
  }
  auto ArgAt = [&](int I) -> const Expr * {
    return I >= 0 && unsigned(I) < CE->getNumArgs() ? CE->getArg(unsigned(I))
                                                     : nullptr;
  };

  // A Boost pipe object's operation (before the table: std::getline on a
  // Boost.Process stream is not POSIX getline()).
  if (!Api || Api->Role == ApiRole::Read)
    if (const std::optional<BoostPipeOp> &Op = boostOpOf(CE)) {
      transferBoostOp(CE, *Op, S, Observe);
      Out.push_back(std::move(S));
      return;
    }
  if (!Api) {
    // `bp::std_out > out` only names the stream for the bp::child it is
    // passed to: see startTask().
    if (isValuePassThrough(Callee) || processStdioRedirect(CE)) {
      Out.push_back(std::move(S));
      return;
    }
    // std::array element access and data() are not hand-offs.
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
      if (isStdArrayType(MCE->getImplicitObjectArgument()->getType())) {
        Out.push_back(std::move(S));
        return;
      }
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE))
      if (OCE->getOperator() == OO_Subscript && OCE->getNumArgs() >= 1 &&
          isStdArrayType(OCE->getArg(0)->getType())) {
        Out.push_back(std::move(S));
        return;
      }
    // A helper that makes or closes the caller's descriptors.
    if (applyFunctionSummary(CE, S, Out))
      return;
    // A function whose body shows that it only uses the ends it is given.
    if (transferSummarizedCall(CE, Callee, S, Observe)) {
      Out.push_back(std::move(S));
      return;
    }
    // An unknown function: whatever descriptor it sees is handed off.
    for (const Expr *A : CE->arguments())
      handOffExpr(S, A);
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
      handOffExpr(S, MCE->getImplicitObjectArgument());
    Out.push_back(std::move(S));
    return;
  }

  const Expr *Arg = ArgAt(Api->Arg);
  switch (Api->Role) {
  case ApiRole::CreatePipe:
  case ApiRole::CreateSocketPair: {
    auto It = FirstEndOfCall.find(CE);
    AbsVal Where = Arg ? eval(Arg, S) : AbsVal::unknown();
    if (It == FirstEndOfCall.end() || Where.K != AbsVal::Addr ||
        !isTrackableBase(Where.loc().Base) || isEscaped(S, Where.loc().Base) ||
        !child(Where.loc(), indexSel(1))) {
      // The ends are stored somewhere we do not follow.
      Out.push_back(std::move(S));
      return;
    }
    uint8_t Flags = 0;
    if (const Expr *FlagsArg = ArgAt(Api->Arg2)) {
      bool Socket = Api->Role == ApiRole::CreateSocketPair;
      if (hasFlagBit(FlagsArg, Socket ? Model.Constants.SockCloexec
                                      : Model.Constants.OCloexec, S))
        Flags |= Cloexec;
      if (hasFlagBit(FlagsArg, Socket ? Model.Constants.SockNonblock
                                      : Model.Constants.ONonblock, S))
        Flags |= Nonblock;
    }
    // pipe()/pipe2()/socketpair() return 0 or -1; a user's wrapper that
    // returns bool returns true on success.
    bool BoolResult = CE->getType()->isBooleanType();
    PathState Failed = S;
    setTemp(Failed, CE, AbsVal::constant(BoolResult ? 0 : -1));
    for (unsigned I = 0; I < 2; ++I) {
      EndId E = It->second + I;
      S.ref(E) = {Open, Flags};
      if (auto C = child(Where.loc(), indexSel(I))) {
        setLoc(S, *C, AbsVal::end(E));
        if (R.Ends[E].Name.empty())
          R.Ends[E].Name = R.locName(*C);
      }
    }
    setTemp(S, CE, AbsVal::constant(BoolResult ? 1 : 0));
    Out.push_back(std::move(S));
    Out.push_back(std::move(Failed));
    return;
  }
  case ApiRole::Close:
    if (Arg)
      closeValue(S, Arg);
    break;
  case ApiRole::CloseRange:
    for (auto &ES : S.Ends)
      if (ES.second.Status & Open)
        ES.second.Status = uint8_t((ES.second.Status & ~Open) | Closed);
    break;
  case ApiRole::Dup:
  case ApiRole::Fcntl: {
    std::optional<EndId> Src = Arg ? endIn(Arg, S) : std::nullopt;
    bool IsDup = Api->Role == ApiRole::Dup;
    bool DupCloexec = false;
    if (Api->Role == ApiRole::Fcntl) {
      AbsVal Cmd = eval(ArgAt(Api->Arg2), S);
      const Expr *Third = ArgAt(2);
      const PlatformConstants &K = Model.Constants;
      if (Src && Cmd.isConst()) {
        auto &ES = S.ref(*Src);
        if (Cmd.Lo == K.FSetfd) {
          if (hasFlagBit(Third, K.FdCloexec, S))
            ES.Flags |= Cloexec;
          else if (eval(Third, S).isConst())
            ES.Flags &= uint16_t(~Cloexec);
        } else if (Cmd.Lo == K.FSetfl) {
          if (hasFlagBit(Third, K.ONonblock, S))
            ES.Flags |= Nonblock;
          else if (eval(Third, S).isConst())
            ES.Flags &= uint16_t(~Nonblock);
        } else if (Cmd.Lo == K.FSetpipeSz) {
          ES.Flags |= CapacitySet;
          if (R.Ends[*Src].Peer >= 0)
            S.ref(EndId(R.Ends[*Src].Peer)).Flags |= CapacitySet;
        } else if (Cmd.Lo == K.FDupfd || Cmd.Lo == K.FDupfdCloexec) {
          IsDup = true;
          DupCloexec = Cmd.Lo == K.FDupfdCloexec;
        }
      }
    }
    auto It = FirstEndOfCall.find(CE);
    if (IsDup && Src && !resultIsKept(CE)) {
      // `close(1); dup(p[1]);`: the duplicate takes the lowest free number,
      // a redirection like dup2(p[1], 1), and is not kept in a variable.
      S.ref(*Src).Flags |= SpawnRelated;
    } else if (IsDup && Src && It != FirstEndOfCall.end() &&
        R.Ends[*Src].isWriteSide() && (S.get(*Src).Status & Open)) {
      S.ref(It->second) = {Open, uint8_t(DupCloexec ? Cloexec : 0)};
      if (R.Ends[It->second].Name.empty())
        R.Ends[It->second].Name = "dup(" + R.nameOf(*Src, &S) + ")";
      if (R.Ends[It->second].DupOf < 0)
        R.Ends[It->second].DupOf = int(*Src);
      setTemp(S, CE, AbsVal::end(It->second));
    }
    break;
  }
  case ApiRole::Dup2:
    if (auto Src = Arg ? endIn(Arg, S) : std::nullopt) {
      S.ref(*Src).Flags |= SpawnRelated;
      if (S.ChildOf >= 0)
        noteChildStdStream(R.Tasks[unsigned(S.ChildOf)], *Src,
                           eval(ArgAt(Api->Arg2), S));
    }
    break;
  case ApiRole::Fdopen: {
    // fdopen() may fail (NULL, the descriptor still ours) or succeed (a
    // stream that owns the descriptor). The failure path is followed only
    // where the code tests the result: see intervalOf().
    AbsVal V = Arg ? eval(Arg, S) : AbsVal::unknown();
    if (V.K == AbsVal::End) {
      V.MaybeNull = V.SplitResult = true;
      setTemp(S, CE, V);
    }
    break;
  }
  case ApiRole::Fileno:
    if (Arg)
      setTemp(S, CE, eval(Arg, S));
    break;
  case ApiRole::Fork: {
    PathState Failed = S;
    S.SawFork = Failed.SawFork = true;
    // Both sides of a successful fork() hold a copy of every open end.
    for (auto &ES : S.Ends)
      if (ES.second.Status & Open)
        ES.second.Flags |= SharedWithChild;
    PathState Child = S;
    Child.ForkChild = true;
    auto Split = [](AbsVal V) {
      V.SplitResult = true;
      return V;
    };
    setTemp(Child, CE, Split(AbsVal::constant(0)));
    S.Forked = true;
    if (auto It = TaskOfStart.find(CE); It != TaskOfStart.end()) {
      startTask(It->second, S);
      Child.ChildOf = int(It->second);
    }
    setTemp(S, CE, Split(AbsVal::range(1, INT64_MAX)));
    setTemp(Failed, CE, Split(AbsVal::constant(-1)));
    Out.push_back(std::move(S));
    Out.push_back(std::move(Child));
    Out.push_back(std::move(Failed));
    return;
  }
  case ApiRole::FileActionClose:
  case ApiRole::FileActionDup2:
    if (auto E = Arg ? endIn(Arg, S) : std::nullopt) {
      S.ref(*E).Flags |= SpawnRelated;
      if (Api->Role == ApiRole::FileActionDup2) {
        AbsVal Target = eval(ArgAt(2), S);
        if (Target.isConst())
          SpawnStdTarget[*E] = Target.Lo;
      }
    }
    break;
  case ApiRole::NoReturn:
    return; // the path ends here
  case ApiRole::Write:
    if (auto E = Arg ? endIn(Arg, S) : std::nullopt) {
      // How much: write(fd, buf, n), fwrite(p, size, n, f); else unknown.
      AbsVal N = eval(ArgAt(Api->Arg2), S);
      if (N.isConst() && Api->Stream && Api->Arg2 >= 0) {
        AbsVal Count = eval(ArgAt(Api->Arg2 + 1), S);
        N = Count.isConst() ? AbsVal::constant(N.Lo * Count.Lo)
                            : AbsVal::unknown();
      }
      noteWrite(S, *E, CE, N);
      if (Recorded && N.isConst() && N.Lo >= 0)
        Recorded->WriteBytes = uint64_t(N.Lo);
    }
    break;
  case ApiRole::Poll:
    S.Polled = true;
    break;
  case ApiRole::Spawn:
  case ApiRole::Shell:
    // The started child holds a copy of every open end without O_CLOEXEC.
    for (auto &ES : S.Ends)
      if ((ES.second.Status & Open) && !(ES.second.Flags & Cloexec))
        ES.second.Flags |= SharedWithChild;
    if (auto It = TaskOfStart.find(CE); It != TaskOfStart.end())
      startTask(It->second, S);
    break;
  case ApiRole::Read:
  case ApiRole::Copy:
    // splice(), tee(), sendfile(), copy_file_range() read their source (Arg);
    // what they do to the destination is the checks' business.
    if (auto E = Arg ? endIn(Arg, S) : std::nullopt)
      S.ref(*E).Flags |= ReadFrom;
    break;
  case ApiRole::Borrow:
  case ApiRole::Exec:
    break;
  }
  Out.push_back(std::move(S));
}

void FlowEngineImpl::transferElement(const Stmt *St, PathState &S,
                                     llvm::SmallVectorImpl<PathState> &Out,
                                     bool Observe) {
  if (const auto *CE = dyn_cast<CallExpr>(St)) {
    transferCall(CE, S, Out, Observe);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->isAssignmentOp()) {
      auto LV = lvalueOf(BO->getLHS(), S);
      AbsVal V = BO->getOpcode() == BO_Assign ? eval(BO->getRHS(), S)
                                              : AbsVal::unknown();
      if (BO->getOpcode() != BO_Assign && LV && LV->Tracked && !LV->AnyIndex) {
        AbsVal Old = S.load(LV->L), Rhs = eval(BO->getRHS(), S);
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
      if (LV && LV->Tracked && !LV->AnyIndex &&
          BO->getLHS()->getType()->isRecordType()) {
        // A whole struct: from another tracked one, or from a literal.
        if (isa<CompoundLiteralExpr>(Rhs) || isa<InitListExpr>(Rhs))
          initialize(LV->L, BO->getLHS()->getType(), Rhs, S, 0);
        else if (auto Src = lvalueOf(Rhs, S); Src && Src->Tracked && !Src->AnyIndex)
          copyRecord(S, LV->L, Src->L);
        else
          handOffExpr(S, BO->getRHS());
      } else if (LV && LV->Tracked) {
        store(S, *LV, V);
      } else {
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
    if (auto LV = lvalueOf(Cast->getSubExpr(), S); LV && LV->AnyIndex)
      for (const auto &P : S.Locs)
        if (isWithin(P.first, LV->L) && P.second.K == AbsVal::End)
          S.ref(P.second.E).Flags |= Lost;
  } else if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
    if (UO->isIncrementDecrementOp())
      if (auto LV = lvalueOf(UO->getSubExpr(), S))
        if (LV->Tracked && !LV->AnyIndex) {
          AbsVal Old = S.load(LV->L);
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
    handOffExpr(S, RS->getRetValue());
  } else if (const auto *LE = dyn_cast<LambdaExpr>(St)) {
    if (auto It = TaskOfLambda.find(LE); It != TaskOfLambda.end())
      collectHeld(LE, S, R.Tasks[It->second]);
    for (const LambdaCapture &C : LE->captures()) {
      if (!C.capturesVariable())
        continue;
      const ValueDecl *VD = C.getCapturedVar();
      if (const auto *Var = dyn_cast<VarDecl>(VD); Var && Var->isInitCapture()) {
        handOffExpr(S, Var->getInit());
      } else if (const auto *BD = dyn_cast<BindingDecl>(VD)) {
        // A structured binding (C++20): the lambda has the place it names.
        if (auto LV = bindingPlace(BD, S))
          handOffWithin(S, LV->L);
      } else if (auto Elements = elementsOnlyRead(LE->getBody(), VD)) {
        // `[&] { write(fds[1], ...); close(fds[1]); }`: only fds[1] goes to
        // the lambda; fds[0] stays ours, and nothing can store into fds.
        for (unsigned I : *Elements)
          if (auto L = child(LocKey{VD, 0}, indexSel(I)))
            handOffValue(S, S.load(*L));
      } else {
        handOffWithin(S, LocKey{VD, 0});
      }
    }
  } else if (const auto *BE = dyn_cast<BlockExpr>(St)) {
    for (const BlockDecl::Capture &C : BE->getBlockDecl()->captures())
      handOffWithin(S, LocKey{C.getVariable(), 0});
  } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(St)) {
    if (auto It = TaskOfStart.find(CCE); It != TaskOfStart.end())
      startTask(It->second, S);
    else if (auto Init = InitOf.find(CCE);
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
        S.ref(*E).Flags |= SharedWithChild;
      else
        handOffExpr(S, Shared->Object);
    } else if (!CCE->getConstructor()->isCopyOrMoveConstructor() ||
        !isStdArrayType(CCE->getType()))
      for (const Expr *A : CCE->arguments())
        handOffExpr(S, A);
  } else if (const auto *Asm = dyn_cast<AsmStmt>(St)) {
    for (const Stmt *C : Asm->children())
      if (const auto *E = dyn_cast_or_null<Expr>(C))
        handOffExpr(S, E);
  } else if (const auto *NE = dyn_cast<CXXNewExpr>(St)) {
    for (const Stmt *C : NE->children())
      if (const auto *E = dyn_cast_or_null<Expr>(C))
        handOffExpr(S, E);
  }
  Out.push_back(std::move(S));
}

static bool isInertElement(const Stmt *St);

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

//===----------------------------------------------------------------------===//
// 5. Tasks
//===----------------------------------------------------------------------===//

namespace {
const VarDecl *localVarOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->isLocalVarDecl() && !VD->isStaticLocal() ? VD : nullptr;
}

/// Is \p Cond `pid == 0`, `0 == pid` or `!pid` (with `pid` possibly
/// assigned in it: `(pid = fork()) == 0`)?
bool testsChildSide(const Expr *Cond, const VarDecl *Pid, const Expr *Fork) {
  Cond = Cond->IgnoreParenImpCasts();
  auto IsPid = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<BinaryOperator>(E);
        A && A->getOpcode() == BO_Assign)
      return localVarOf(A->getLHS()) == Pid ||
             A->getRHS()->IgnoreParenImpCasts() == Fork;
    return (Pid && localVarOf(E) == Pid) || E == Fork;
  };
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return IsPid(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && BO->getOpcode() == BO_EQ) {
    auto IsZero = [](const Expr *E) {
      const auto *IL = dyn_cast<IntegerLiteral>(E->IgnoreParenImpCasts());
      return IL && IL->getValue() == 0;
    };
    return (IsPid(BO->getLHS()) && IsZero(BO->getRHS())) ||
           (IsPid(BO->getRHS()) && IsZero(BO->getLHS()));
  }
  return false;
}

/// Does \p E name a descriptor a task body writes, rather than a constant
/// one (STDOUT_FILENO, 2)?
bool isVariableDescriptor(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return false;
  if (E->getType()->isPointerType())
    return false; // a stream: stdout, a log file
  return !E->isEvaluatable(Ctx);
}
} // namespace

void FlowEngineImpl::discoverTasks() {
  // What each constructor, call or fork() initialises or is assigned to.
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt())) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D);
              VD && VD->getInit() && VD->isLocalVarDecl() &&
              !VD->isStaticLocal())
            InitOf[stripTemporary(VD->getInit())] = VD;
      } else if (const auto *BO = dyn_cast<BinaryOperator>(CS->getStmt());
                 BO && BO->getOpcode() == BO_Assign) {
        if (const VarDecl *VD = localVarOf(BO->getLHS()))
          InitOf[BO->getRHS()->IgnoreParenImpCasts()] = VD;
      }
    }
  for (const CFGBlock *B : *Graph)
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      if (!isa<CXXConstructExpr>(St) && !isa<CallExpr>(St))
        continue;
      if (auto Start = classifyTaskStart(St)) {
        const VarDecl *Handle = nullptr;
        if (Start->HandleArg) {
          // pthread_create(&tid, ...): a pthread_t we can name, or nothing
          // we follow (`&s->writer`: the caller's).
          Handle = localVarOf(Start->HandleArg);
          if (!Handle)
            continue;
        } else if (auto It = InitOf.find(cast<Expr>(St)); It != InitOf.end()) {
          Handle = It->second;
        }
        if (Start->Kind == TaskKind::AsyncFuture && !Handle)
          continue; // a discarded future waits at once
        addTask(St, Start->Kind, Handle, &*Start);
        continue;
      }
      if (const auto *CE = dyn_cast<CallExpr>(St)) {
        const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE));
        if (Api && Api->Role == ApiRole::Spawn && CE->getNumArgs() > 0) {
          // posix_spawn(&pid, ...): a child we can wait for by its pid.
          if (const VarDecl *Pid = localVarOf(CE->getArg(0));
              Pid && isa<UnaryOperator>(CE->getArg(0)->IgnoreParenImpCasts()))
            addTask(CE, TaskKind::ForkChild, Pid, nullptr);
          continue;
        }
        if (!Api || Api->Role != ApiRole::Fork)
          continue;
        auto It = InitOf.find(CE);
        if (It != InitOf.end())
          addTask(CE, TaskKind::ForkChild, It->second, nullptr);
      }
    }
}

void FlowEngineImpl::addTask(const Stmt *Origin, TaskKind K,
                             const VarDecl *Handle, const TaskStart *Start) {
  TaskId Id = TaskId(R.Tasks.size());
  TaskInfo Info;
  Info.Kind = K;
  Info.Origin = Origin;
  Info.Handle = Handle;
  TaskCode Code;
  if (Start) {
    Code.Start = *Start;
    // A bp::child runs the program it names: no code of ours.
    Info.Spawned = K == TaskKind::ForkChild;
    Code.Callable = resolveCallable(*Start);
    Info.StopAware = Code.Callable.StopAware;
    if (!Code.Callable.Lambda)
      Info.Runs = Code.Callable.Fn;
    if (Code.Callable.Lambda)
      TaskOfLambda[Code.Callable.Lambda] = Id;
    Info.Body = Code.Callable.Body;
    if (Code.Callable.Body)
      Code.Writes = Summaries.bodyWrites(
          Code.Callable.Body, Code.Callable.Fn,
          [&](const Expr *E) { return isVariableDescriptor(E, Ctx); });
  } else if (const ApiFunction *Api =
                 Model.lookup(ApiModel::calleeOf(cast<CallExpr>(Origin)));
             Api && Api->Role == ApiRole::Spawn) {
    Info.Spawned = true; // runs another program: no code of ours
  } else if (const Stmt *Child =
                 forkChildBranch(cast<CallExpr>(Origin), Handle)) {
    Info.Body = Child;
    Code.Writes = Summaries.bodyWrites(
        Child, R.FD, [&](const Expr *E) { return isVariableDescriptor(E, Ctx); });
    // Bounds in terms of this function's own variables: evaluated at the
    // fork, like a lambda's captures.
  }
  R.Tasks.push_back(std::move(Info));
  TaskCodes.push_back(std::move(Code));
  TaskOfStart[Origin] = Id;
  if (Handle)
    TasksOfHandle[Handle].push_back(Id);
}

const Stmt *FlowEngineImpl::forkChildBranch(const CallExpr *Fork,
                                            const VarDecl *Pid) const {
  // The `if (pid == 0) { ... }` of this function: what the child runs. One
  // walk of the body finds every such branch, for every fork() at once.
  auto *Self = const_cast<FlowEngineImpl *>(this);
  if (!ChildBranchesFound) {
    Self->ChildBranchesFound = true;
    llvm::SmallVector<const Stmt *, 64> Stack{Body};
    while (!Stack.empty()) {
      const Stmt *S = Stack.pop_back_val();
      if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
        continue;
      if (const auto *If = dyn_cast<IfStmt>(S); If && If->getCond()) {
        const Expr *C = If->getCond()->IgnoreParenImpCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(C);
            UO && UO->getOpcode() == UO_LNot)
          C = UO->getSubExpr();
        else if (const auto *BO = dyn_cast<BinaryOperator>(C);
                 BO && BO->getOpcode() == BO_EQ)
          C = isa<IntegerLiteral>(BO->getLHS()->IgnoreParenImpCasts())
                  ? BO->getRHS()
                  : BO->getLHS();
        C = C->IgnoreParenImpCasts();
        const void *Key = nullptr;
        if (const auto *A = dyn_cast<BinaryOperator>(C);
            A && A->getOpcode() == BO_Assign)
          Key = A->getRHS()->IgnoreParenImpCasts();
        else if (isa<CallExpr>(C))
          Key = C;
        else
          Key = localVarOf(C);
        if (Key)
          Self->ChildBranches.try_emplace(Key, If);
      }
      for (const Stmt *C : S->children())
        Stack.push_back(C);
    }
  }
  for (const void *Key : {static_cast<const void *>(Fork),
                          static_cast<const void *>(Pid)}) {
    auto It = ChildBranches.find(Key);
    if (Key && It != ChildBranches.end()) {
      const auto *If = cast<IfStmt>(It->second);
      if (testsChildSide(If->getCond(), Pid, Fork))
        return If->getThen();
    }
  }
  return nullptr;
}

void FlowEngineImpl::pruneTasks(PathState &S) const {
  // A task that is no longer running or detached, or (but a std::thread,
  // whose destructor aborts whatever the pipe) whose pipes this path no
  // longer tracks, can produce no finding: forget it, as collect() forgets
  // finished pipes, so that a state stays as small as the live tasks.
  S.Tasks.erase(
      std::remove_if(S.Tasks.begin(), S.Tasks.end(),
                     [&](const std::pair<TaskId, uint8_t> &P) {
                       if (!(P.second & (TaskRunning | TaskDetached)))
                         return true;
                       const TaskInfo &T = R.Tasks[P.first];
                       if (T.Kind == TaskKind::StdThread)
                         return false;
                       for (EndId W : T.Holds) {
                         int Peer = R.readEndOf(W);
                         if (Peer >= 0 && S.get(EndId(Peer)).Status != NotCreated)
                           return false;
                       }
                       return true;
                     }),
      S.Tasks.end());
}

void FlowEngineImpl::addHeldEnd(EndId E, TaskInfo &T) const {
  if (!R.Ends[E].isWriteSide())
    return;
  if (std::find(T.Holds.begin(), T.Holds.end(), E) == T.Holds.end())
    T.Holds.push_back(E);
}

void FlowEngineImpl::noteChildStdStream(TaskInfo &T, EndId E,
                                        const AbsVal &Target) const {
  if (!Target.isConst())
    return;
  auto AddTo = [E](auto &V) {
    if (std::find(V.begin(), V.end(), E) == V.end())
      V.push_back(E);
  };
  if ((Target.Lo == 1 || Target.Lo == 2) && R.Ends[E].isWriteSide())
    AddTo(T.Outputs);
  else if (Target.Lo == 0 && R.Ends[E].Kind == EndKind::PipeRead)
    AddTo(T.Inputs);
}

void FlowEngineImpl::addHeldWithin(LocKey L, const PathState &S,
                                   TaskInfo &T) const {
  for (const auto &P : S.Locs)
    if (isWithin(P.first, L) && P.second.K == AbsVal::End)
      addHeldEnd(P.second.E, T);
  if (auto It = EndsStoredVia.find(L.Base); It != EndsStoredVia.end())
    for (EndId E : It->second)
      addHeldEnd(E, T);
}

void FlowEngineImpl::collectHeld(const Expr *E, const PathState &S,
                                 TaskInfo &T, unsigned Depth) const {
  if (!E || Depth > 6)
    return;
  E = E->IgnoreParens();
  if (isa<CXXThisExpr>(E)) {
    if (auto It = EndsStoredVia.find(R.FD); It != EndsStoredVia.end())
      for (EndId X : It->second)
        addHeldEnd(X, T);
    return;
  }
  if (const auto *LE = dyn_cast<LambdaExpr>(E)) {
    for (const LambdaCapture &C : LE->captures()) {
      if (C.capturesThis()) {
        if (auto It = EndsStoredVia.find(R.FD); It != EndsStoredVia.end())
          for (EndId X : It->second)
            addHeldEnd(X, T);
        continue;
      }
      if (!C.capturesVariable())
        continue;
      const ValueDecl *VD = C.getCapturedVar();
      std::optional<Lvalue> Bound;
      if (const auto *BD = dyn_cast<BindingDecl>(VD))
        Bound = bindingPlace(BD, S);
      if (const auto *Var = dyn_cast<VarDecl>(VD); Var && Var->isInitCapture())
        collectHeld(Var->getInit(), S, T, Depth + 1);
      else if (Bound)
        addHeldWithin(Bound->L, S, T);
      else
        addHeldWithin(LocKey{VD, 0}, S, T);
    }
    return; // not its body
  }
  AbsVal V = eval(E, S);
  if (V.K == AbsVal::End) {
    addHeldEnd(V.E, T);
    return;
  }
  if (V.K == AbsVal::Addr) {
    addHeldWithin(V.loc(), S, T);
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    addHeldWithin(LocKey{DRE->getDecl(), 0}, S, T);
    return;
  }
  for (const Stmt *C : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(C))
      collectHeld(CE, S, T, Depth + 1);
}

uint64_t FlowEngineImpl::evalBound(const WriteBound &W, const TaskStart &Start,
                                   const TaskCallable &C,
                                   const PathState &S) const {
  auto Value = [](const AbsVal &V) -> uint64_t {
    return V.K == AbsVal::Int && V.Lo >= 0 ? uint64_t(V.Hi) : UINT64_MAX;
  };
  auto ArgFor = [&](unsigned Param) -> const Expr * {
    int I = C.ParamBase + int(Param);
    return I >= 0 && unsigned(I) < Start.Args.size() ? Start.Args[unsigned(I)]
                                                     : nullptr;
  };
  switch (W.K) {
  case WriteBound::None:
    return 0;
  case WriteBound::Const:
    return W.Bytes;
  case WriteBound::Param:
    if (const Expr *A = ArgFor(W.Index))
      return Value(eval(A, S));
    return UINT64_MAX;
  case WriteBound::ParamField:
    if (const Expr *A = ArgFor(W.Index)) {
      AbsVal P = eval(A, S);
      if (P.K == AbsVal::Addr && W.Field)
        if (auto F = child(P.loc(), fieldSel(W.Field->getFieldIndex())))
          return Value(S.load(*F));
    }
    return UINT64_MAX;
  case WriteBound::Outer:
    return Value(S.load(LocKey{W.Var, 0}));
  case WriteBound::Unbounded:
    return UINT64_MAX;
  }
  return UINT64_MAX;
}

void FlowEngineImpl::startTask(TaskId T, PathState &S) {
  TaskInfo &Info = R.Tasks[T];
  const TaskCode &Code = TaskCodes[T];
  if (Code.Start) {
    for (const Expr *A : Code.Start->Args)
      collectHeld(A, S, Info);
    collectHeld(Code.Start->Callable, S, Info);
    // bp::child(cmd, bp::std_out > out): the child's standard streams; the
    // launch closes the parent's copy of the child's side.
    if (Info.Kind == TaskKind::ForkChild)
      for (const Expr *A : Code.Start->Args)
        if (auto Redirect = processStdioRedirect(stripTemporary(A)))
          if (auto E = objectEnd(Redirect->Object,
                                 Redirect->Target == 0 ? PipeSide::Read
                                                       : PipeSide::Write,
                                 S)) {
            noteChildStdStream(Info, *E, AbsVal::constant(Redirect->Target));
            addHeldEnd(*E, Info);
            closeEnd(S, *E);
          }
    Info.MaxBytes = std::max(
        Info.MaxBytes, evalBound(Code.Writes, *Code.Start, Code.Callable, S));
  } else if (Info.Spawned) {
    // A posix_spawn()ed child holds every write end without O_CLOEXEC; the
    // file actions say which become its standard streams.
    for (const auto &P : S.Ends) {
      if (!(P.second.Status & Open) || (P.second.Flags & Cloexec))
        continue;
      addHeldEnd(P.first, Info);
      if (auto It = SpawnStdTarget.find(P.first); It != SpawnStdTarget.end())
        noteChildStdStream(Info, P.first, AbsVal::constant(It->second));
    }
  } else {
    // A fork()ed child holds every write end open at the fork.
    for (const auto &P : S.Ends)
      if (P.second.Status & Open)
        addHeldEnd(P.first, Info);
    TaskStart None(TaskKind::ForkChild);
    Info.MaxBytes =
        std::max(Info.MaxBytes, evalBound(Code.Writes, None, TaskCallable(), S));
  }
  S.setTask(T, TaskRunning);
}

llvm::SmallVector<TaskId, 2>
FlowEngineImpl::tasksNamedBy(const Expr *Handle) const {
  llvm::SmallVector<TaskId, 2> Out;
  if (!Handle)
    return Out;
  const Expr *E = stripTemporary(Handle);
  if (auto It = TaskOfStart.find(E); It != TaskOfStart.end()) {
    if (!R.Tasks[It->second].Handle)
      Out.push_back(It->second);
    return Out;
  }
  if (const VarDecl *VD = localVarOf(E))
    if (auto It = TasksOfHandle.find(VD); It != TasksOfHandle.end())
      Out.append(It->second.begin(), It->second.end());
  return Out;
}

bool FlowEngineImpl::transferTaskOp(const CallExpr *CE, PathState &S,
                                    bool Observe) {
  if (R.Tasks.empty())
    return false;
  std::optional<TaskOp> Op = classifyTaskOp(CE);
  if (!Op)
    return false;
  llvm::SmallVector<TaskId, 2> Named;
  if (Op->K == TaskOp::WaitAnyChild) {
    for (const auto &P : S.Tasks)
      if (R.Tasks[P.first].Kind == TaskKind::ForkChild)
        Named.push_back(P.first);
  } else {
    Named = tasksNamedBy(Op->Handle);
  }
  for (TaskId T : Named) {
    uint8_t St = S.taskStatus(T);
    if (!(St & TaskRunning))
      continue;
    switch (Op->K) {
    case TaskOp::Join:
    case TaskOp::WaitAnyChild:
      if (Observe)
        R.TaskEvents.push_back(
            {TaskEvent(TaskEvent::Join, T, CE, CE->getBeginLoc()), S});
      S.setTask(T, uint8_t((St & ~TaskRunning) | TaskJoined));
      break;
    case TaskOp::Detach:
      S.setTask(T, uint8_t((St & ~TaskRunning) | TaskDetached));
      break;
    case TaskOp::RequestStop:
      S.setTask(T, uint8_t(St | TaskStopRequested));
      break;
    case TaskOp::Probe:
      break;
    }
  }
  return true;
}

void FlowEngineImpl::transferDtor(const CFGAutomaticObjDtor &D,
                                  const CFGBlock *B, PathState &S,
                                  bool Observe) {
  const VarDecl *VD = D.getVarDecl();
  // An object that owns an end closes it.
  if (auto Owned = OwnedBy.find(VD); Owned != OwnedBy.end())
    for (EndId E : Owned->second) {
      auto &ES = S.ref(E);
      if (ES.Status & (Open | HandedOff))
        ES.Status = Closed;
    }
  auto It = TasksOfHandle.find(VD);
  if (It == TasksOfHandle.end())
    return;
  for (TaskId T : It->second) {
    uint8_t St = S.taskStatus(T);
    if (!(St & TaskRunning))
      continue;
    if (Observe) {
      // Report where the path leaves: the return, break or goto that
      // destroys the handle; at the end of its scope, the break that left
      // the loop early, if the path took one inside that scope.
      TaskEvent Ev(TaskEvent::Destroy, T, D.getTriggerStmt(), SourceLocation());
      if (Ev.At && !isa<CompoundStmt>(Ev.At)) {
        Ev.Loc = Ev.At->getBeginLoc();
      } else if (S.LastJump && Ev.At &&
                 Ev.At->getSourceRange().fullyContains(
                     S.LastJump->getSourceRange())) {
        Ev.ScopeEnd = Ev.At->getEndLoc();
        Ev.At = S.LastJump;
        Ev.Loc = S.LastJump->getBeginLoc();
      } else {
        Ev.Loc = Ev.At ? Ev.At->getEndLoc() : VD->getLocation();
      }
      R.TaskEvents.push_back({Ev, S});
    }
    uint8_t After = 0;
    switch (R.Tasks[T].Kind) {
    case TaskKind::StdThread:
      After = TaskDestroyed;
      break;
    case TaskKind::BoostThread:
      After = TaskDetached;
      break;
    default:
      After = TaskJoined;
      break;
    }
    S.setTask(T, uint8_t((St & ~TaskRunning) | After));
  }
}

void FlowEngineImpl::handOffTasksOfVar(PathState &S, const ValueDecl *VD) {
  auto It = TasksOfHandle.find(VD);
  if (It == TasksOfHandle.end())
    return;
  for (TaskId T : It->second) {
    uint8_t St = S.taskStatus(T);
    if (St & TaskRunning)
      S.setTask(T, uint8_t((St & ~TaskRunning) | TaskHandedOff));
  }
}

void FlowEngineImpl::handOffTasksOf(PathState &S, const Expr *E) {
  if (R.Tasks.empty() || !E)
    return;
  const Expr *X = stripTemporary(E);
  if (auto It = TaskOfStart.find(X); It != TaskOfStart.end()) {
    // A temporary thread given away (`t = std::thread(...)`,
    // `v.push_back(std::thread(...))`). A task with a handle is handed off
    // only through its handle: its start initialises that handle.
    if (!R.Tasks[It->second].Handle) {
      uint8_t St = S.taskStatus(It->second);
      if (St & TaskRunning)
        S.setTask(It->second, uint8_t((St & ~TaskRunning) | TaskHandedOff));
    }
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts()))
    handOffTasksOfVar(S, DRE->getDecl());
}

void FlowEngineImpl::noteDrainedOnBranch(const Expr *Cond, bool Taken,
                                         PathState &S) const {
  const CallExpr *Read = readEndedOnBranch(Cond, Taken, Model);
  if (!Read)
    return;
  const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(Read));
  if (!Api || Api->Arg < 0 || unsigned(Api->Arg) >= Read->getNumArgs())
    return;
  if (auto E = endIn(Read->getArg(unsigned(Api->Arg)), S)) {
    auto &ES = S.ref(*E);
    if (!(ES.Flags & Nonblock))
      ES.Flags |= Drained;
  }
}

bool FlowEngineImpl::transferSummarizedCall(const CallExpr *CE,
                                            const FunctionDecl *Callee,
                                            PathState &S, bool Observe) {
  // A function whose body we can read and that only borrows the ends it is
  // given: they stay this function's; one it reads to end-of-file is
  // drained. Any other argument is handed off as to an unknown function.
  if (!Callee || isa<CXXMemberCallExpr>(CE) || isa<CXXOperatorCallExpr>(CE))
    return false;
  bool Any = false;
  struct BorrowedArg {
    unsigned Index;
    EndId E;
    const ParamSummary *PS;
  };
  llvm::SmallVector<BorrowedArg, 2> Borrowed;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    auto E = endIn(CE->getArg(I), S);
    if (!E)
      continue;
    const ParamSummary *PS = Summaries.paramSummary(Callee, I);
    if (!PS || !PS->Borrowed) {
      // An integer parameter of ours we track in case it is a descriptor
      // (`size_t len`) is handed off alone; a real end makes the callee
      // unknown, as before.
      if (PS && R.Ends[*E].Kind == EndKind::Parameter)
        continue;
      return false;
    }
    Borrowed.push_back({I, *E, PS});
    Any = true;
  }
  if (!Any)
    return false;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    bool IsBorrowed = false;
    for (const auto &B : Borrowed)
      IsBorrowed |= B.Index == I;
    if (!IsBorrowed)
      handOffExpr(S, CE->getArg(I));
  }
  for (const auto &B : Borrowed) {
    const ParamSummary *PS = B.PS;
    if (Observe && PS->Writes.K != WriteBound::None) {
      // What the checks see of the helper: a write of as much as its body
      // writes, in terms of this call's arguments.
      static const ApiFunction HelperWrite{ApiRole::Write, -1};
      CallSite Site{CE, &HelperWrite, CE->getArg(B.Index)};
      Site.ViaHelper = true;
      TaskStart Call(TaskKind::PThread);
      Call.Args.append(CE->arg_begin(), CE->arg_end());
      Site.WriteBytes = evalBound(PS->Writes, Call, TaskCallable(), S);
      R.Calls.push_back({Site, S});
    }
    if (!PS->Reads && !PS->ReadsToEof)
      continue;
    if (Observe) {
      // What the checks see of the helper: a read of that end (to its end).
      static const ApiFunction HelperRead{ApiRole::Read, -1};
      CallSite Site{CE, &HelperRead, CE->getArg(B.Index), PS->ReadsToEof};
      Site.ViaHelper = true;
      R.Calls.push_back({Site, S});
    }
    auto &ES = S.ref(B.E);
    ES.Flags |= ReadFrom;
    if (PS->ReadsToEof && !(ES.Flags & Nonblock))
      ES.Flags |= Drained;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// 6. Function summaries (FunctionSummaries.h)
//===----------------------------------------------------------------------===//

const FunctionSummary *FlowEngineImpl::summaryOfCall(const CallExpr *CE) {
  // Free functions and static members; a member call or a lambda's
  // operator() still hands off.
  if (isa<CXXMemberCallExpr>(CE) || isa<CXXOperatorCallExpr>(CE))
    return nullptr;
  const FunctionDecl *Callee = ApiModel::calleeOf(CE);
  if (!Callee)
    return nullptr;
  return functionSummaries(Summaries, Ctx, Budget).get(Callee);
}

/// Summary mode: every integer parameter is a descriptor the function may
/// own, and what a pointer parameter points to (`int fds[2]`, `int *rfd`,
/// `struct pair *p`) is a place of the function's own, standing for the
/// caller's, with descriptors in its integer elements and fields.
void FlowEngineImpl::seedSummaryParams() {
  const FunctionDecl *FD = R.FD;
  if (!FD)
    return;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && !MD->isStatic())
    return;
  constexpr size_t MaxSeeded = 32;
  auto IsFdType = [](QualType T) {
    T = T.getCanonicalType();
    return T->isIntegerType() && !T->isBooleanType() &&
           !T->isAnyCharacterType() && !T->isEnumeralType();
  };
  auto AddPlace = [&](LocKey L, unsigned Index, bool ByValue, bool Seed,
                      const ValueDecl *P) {
    if (R.Seeded.size() >= MaxSeeded)
      return;
    R.Seeded.push_back({L, Index, ByValue});
    if (!Seed)
      return;
    EndInfo Info{EndKind::Parameter, nullptr, nullptr, "", -1};
    Info.Param = P;
    Info.Name = R.locName(L);
    R.Ends.push_back(Info);
    EndId E = EndId(R.Ends.size() - 1);
    R.SeedOfEnd[E] = unsigned(R.Seeded.size() - 1);
    Initial.ref(E) = {Open, 0};
    setLoc(Initial, L, AbsVal::end(E));
  };
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    QualType T = P->getType().getCanonicalType();
    if (IsFdType(T)) {
      AddPlace(LocKey{P, 0}, I, /*ByValue=*/true, /*Seed=*/true, P);
      continue;
    }
    if (!T->isPointerType())
      continue; // references, arrays of structs...: not followed
    QualType PT = T->getPointeeType().getCanonicalType();
    bool Ints = IsFdType(PT);
    const RecordDecl *RD = PT->getAsRecordDecl();
    if (RD)
      RD = RD->getDefinition();
    if (!Ints && (!RD || RD->isUnion() || RD->isDependentContext()))
      continue;
    // The pointee: a variable of this analysis only, never part of the
    // AST. Its type is the parameter's, so that its places are spelled
    // `fds[1]`, `p->rd`.
    auto *V = VarDecl::Create(
        Ctx, const_cast<FunctionDecl *>(FD), P->getLocation(),
        P->getLocation(), const_cast<IdentifierInfo *>(P->getIdentifier()),
        P->getType(), nullptr, SC_None);
    CaptureSeeds.insert(V);
    setLoc(Initial, LocKey{P, 0}, AbsVal::addr(LocKey{V, 0}));
    LocKey Base{V, 0};
    if (Ints) {
      // `*rfd`, and `fds[0]`, `fds[1]`.
      bool Declared = P->getOriginalType()->isArrayType();
      AddPlace(Base, I, false, /*Seed=*/!Declared, P);
      for (unsigned K = 0; K < 2; ++K)
        AddPlace(*child(Base, indexSel(K)), I, false, true, P);
      continue;
    }
    for (const FieldDecl *F : RD->fields()) {
      if (F->getFieldIndex() >= 16)
        break;
      LocKey FL = *child(Base, fieldSel(F->getFieldIndex()));
      QualType FT = F->getType().getCanonicalType();
      if (IsFdType(FT)) {
        AddPlace(FL, I, false, true, P);
      } else if (const auto *AT = dyn_cast<ConstantArrayType>(FT.getTypePtr());
                 AT && AT->getSize() == 2 && IsFdType(AT->getElementType())) {
        for (unsigned K = 0; K < 2; ++K)
          AddPlace(*child(FL, indexSel(K)), I, false, true, P);
      }
    }
  }
}

/// A call of a helper with a summary: the ends it makes are placed where
/// it puts them (on its success outcome; its failure outcome makes none),
/// the ends it closes on every path are closed, and every other argument
/// is handed off as to an unknown function. False, with \p S untouched,
/// when the summary has nothing to say about this call.
bool FlowEngineImpl::applyFunctionSummary(
    const CallExpr *CE, PathState &S, llvm::SmallVectorImpl<PathState> &Out) {
  const FunctionSummary *FS = summaryOfCall(CE);
  if (!FS)
    return false;
  unsigned N = CE->getNumArgs();
  // The caller's place a slot names, if the engine follows it.
  auto PlaceOf = [&](const SummarySlot &Sl) -> std::optional<LocKey> {
    if (Sl.K != SummarySlot::Pointee || Sl.Param >= N)
      return std::nullopt;
    AbsVal A = eval(CE->getArg(Sl.Param), S);
    if (A.K != AbsVal::Addr)
      return std::nullopt;
    LocKey L = A.loc();
    if (!isTrackableBase(L.Base) || isEscaped(S, L.Base))
      return std::nullopt;
    for (uint32_t Rest = Sl.Sel; Rest; Rest >>= 16) {
      std::optional<LocKey> C = child(L, uint16_t(Rest & 0xffff));
      if (!C)
        return std::nullopt;
      L = *C;
    }
    return L;
  };

  llvm::SmallVector<bool, 4> Handled(N, false);
  // Where the new ends go; a creator whose places we cannot follow is
  // applied not at all.
  std::optional<LocKey> EndPlace[2];
  auto It = FirstEndOfCall.find(CE);
  bool Creates = FS->Creator && It != FirstEndOfCall.end();
  if (Creates) {
    for (unsigned K = 0; K < 2; ++K) {
      const SummarySlot &Sl = FS->Creator->Ends[K];
      if (Sl.K == SummarySlot::Returned)
        continue;
      EndPlace[K] = PlaceOf(Sl);
      if (!EndPlace[K])
        return false;
      Handled[Sl.Param] = true;
    }
  }
  // The caller's ends the helper closes on every path.
  llvm::SmallVector<EndId, 2> Closing;
  for (const SummarySlot &Sl : FS->Closes) {
    if (Sl.Param >= N)
      continue;
    if (Sl.K == SummarySlot::Value) {
      if (auto E = endIn(CE->getArg(Sl.Param), S))
        Closing.push_back(*E);
    } else if (auto L = PlaceOf(Sl)) {
      AbsVal V = S.load(*L);
      if (V.K == AbsVal::End)
        Closing.push_back(V.E);
    }
  }
  if (!Creates && Closing.empty())
    return false;
  for (EndId E : Closing)
    S.ref(E).Status = Closed;
  // An argument is the helper's business once every end it holds is closed.
  for (unsigned I = 0; I < N; ++I) {
    if (Handled[I])
      continue;
    const Expr *A = CE->getArg(I);
    AbsVal V = eval(A, S);
    bool AllClosed = false;
    if (V.K == AbsVal::End) {
      AllClosed = S.status(V.E) == Closed;
    } else if (V.K == AbsVal::Addr && FS->Closes.size()) {
      AllClosed = true;
      bool Any = false;
      for (const auto &P : S.Locs)
        if (isWithin(P.first, V.loc()) && P.second.K == AbsVal::End) {
          Any = true;
          AllClosed &= S.status(P.second.E) == Closed;
        }
      AllClosed &= Any;
    }
    if (!AllClosed)
      handOffExpr(S, A);
  }
  for (EndId E : Closing)
    collect(S, E);
  if (!Creates) {
    Out.push_back(std::move(S));
    return true;
  }
  const CreatorSummary &C = *FS->Creator;
  auto MakeRange = [](int64_t Lo, int64_t Hi) {
    return Lo == Hi ? AbsVal::constant(Lo) : AbsVal::range(Lo, Hi);
  };
  PathState Failed = S;
  if (C.HasFailure)
    setTemp(Failed, CE, MakeRange(C.FailLo, C.FailHi));
  for (unsigned K = 0; K < 2; ++K) {
    EndId E = It->second + K;
    S.ref(E) = {Open, C.Flags};
    if (EndPlace[K]) {
      setLoc(S, *EndPlace[K], AbsVal::end(E));
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = R.locName(*EndPlace[K]);
    } else {
      setTemp(S, CE, AbsVal::end(E));
      if (R.Ends[E].Name.empty())
        R.Ends[E].Name = ApiModel::calleeOf(CE)->getNameAsString() + "()";
    }
  }
  if (!C.ReturnsEnd)
    setTemp(S, CE, MakeRange(C.OkLo, C.OkHi));
  Out.push_back(std::move(S));
  if (C.HasFailure)
    Out.push_back(std::move(Failed));
  return true;
}

//===----------------------------------------------------------------------===//
// 4. Fixpoint
//===----------------------------------------------------------------------===//

PathState FlowEngineImpl::join(const PathState &A, const PathState &B,
                               bool Widen) {
  PathState J = A;
  J.Ends.clear();
  auto JoinEnd = [Widen](PathState::EndState X, PathState::EndState Y) {
    uint16_t Common = X.Flags & Y.Flags, Any = X.Flags | Y.Flags;
    PathState::EndState J{
        uint8_t(X.Status | Y.Status),
        uint16_t((Common & (Cloexec | Nonblock | SpawnRelated | Drained)) |
                (Any & (Lost | WrittenTo | SharedWithChild | UnknownWrite |
                        CapacitySet | ReadFrom))),
        std::max(X.Written, Y.Written),
        X.Written >= Y.Written ? X.LastWrite : Y.LastWrite};
    // A loop that keeps adding to what it wrote: the amount is unbounded.
    if (Widen && X.Written != Y.Written)
      J.Written = UINT32_MAX;
    return J;
  };
  {
    auto IA = A.Ends.begin(), IB = B.Ends.begin();
    while (IA != A.Ends.end() || IB != B.Ends.end()) {
      if (IB == B.Ends.end() || (IA != A.Ends.end() && IA->first < IB->first)) {
        J.Ends.push_back({IA->first, JoinEnd(IA->second, {})});
        ++IA;
      } else if (IA == A.Ends.end() || IB->first < IA->first) {
        J.Ends.push_back({IB->first, JoinEnd({}, IB->second)});
        ++IB;
      } else {
        J.Ends.push_back({IA->first, JoinEnd(IA->second, IB->second)});
        ++IA;
        ++IB;
      }
    }
  }
  // Locations: keep agreeing values; a disagreement about an end means we
  // no longer know where it lives, so it is never reported.
  J.Locs.clear();
  auto IA = A.Locs.begin(), IB = B.Locs.begin();
  auto LoseIfEnd = [&](const AbsVal &V) {
    if (V.K == AbsVal::End)
      J.ref(V.E).Flags |= Lost;
  };
  while (IA != A.Locs.end() || IB != B.Locs.end()) {
    if (IB == B.Locs.end() || (IA != A.Locs.end() && IA->first < IB->first)) {
      LoseIfEnd(IA->second);
      ++IA;
    } else if (IA == A.Locs.end() || IB->first < IA->first) {
      LoseIfEnd(IB->second);
      ++IB;
    } else {
      const AbsVal &VA = IA->second, &VB = IB->second;
      if (VA == VB && !(Widen && VA.K == AbsVal::Int && VA.Lo != VA.Hi)) {
        if (!(Widen && VA.K == AbsVal::Int))
          J.Locs.push_back(*IA);
      } else if (VA.K == AbsVal::Int && VB.K == AbsVal::Int && !Widen) {
        J.Locs.push_back({IA->first, AbsVal::range(std::min(VA.Lo, VB.Lo),
                                                   std::max(VA.Hi, VB.Hi))});
      } else if (AbsVal M = endOrInvalid(VA, VB); M.K == AbsVal::End) {
        J.Locs.push_back({IA->first, M});
      } else {
        LoseIfEnd(VA);
        LoseIfEnd(VB);
      }
      ++IA;
      ++IB;
    }
  }
  J.Escaped.clear();
  std::set_union(A.Escaped.begin(), A.Escaped.end(), B.Escaped.begin(),
                 B.Escaped.end(), std::back_inserter(J.Escaped));
  intersectFacts(J, B);
  J.ForkChild = A.ForkChild || B.ForkChild;
  J.ChildOf = A.ChildOf == B.ChildOf ? A.ChildOf : -1;
  J.Forked = A.Forked || B.Forked;
  J.SawFork = A.SawFork || B.SawFork;
  J.Polled = A.Polled && B.Polled;
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
  return J;
}

/// Same ends, same fork side, same places holding each end: the states
/// differ only in plain integers, whose correlation with the ends cannot
/// matter, so they are joined at once.
void FlowEngineImpl::intersectFacts(PathState &Into, const PathState &Other) {
  Into.Facts.erase(
      std::remove_if(Into.Facts.begin(), Into.Facts.end(),
                     [&](const PathState::CondFact &F) {
                       return std::find(Other.Facts.begin(), Other.Facts.end(),
                                        F) == Other.Facts.end();
                     }),
      Into.Facts.end());
}

bool FlowEngineImpl::sameEndFacts(const PathState &A, const PathState &B) {
  if (!(A.Ends == B.Ends) || A.Tasks != B.Tasks || A.ForkChild != B.ForkChild ||
      A.Polled != B.Polled ||
      A.Forked != B.Forked || A.Escaped != B.Escaped)
    return false;
  auto EndLocs = [](const PathState &S) {
    llvm::SmallVector<std::pair<LocKey, EndId>, 8> V;
    for (const auto &P : S.Locs)
      if (P.second.K != AbsVal::Int && P.second.K != AbsVal::Unknown)
        V.push_back({P.first, P.second.K == AbsVal::End ? P.second.E : ~0u});
    return V;
  };
  return EndLocs(A) == EndLocs(B);
}

/// A loop head visited too often: its states are joined and widened
/// (integers and written amounts forgotten) so that the loop settles. A
/// place that disagrees loses its end (never reported), so widening never
/// invents a path; it does lose branch facts that differ between the
/// states (bench/repro/sudo_exec_pty_flags.c). Keeping states apart by the
/// ends they created fixes that one but lets a widened loop counter leave
/// a loop early with an end still open (pipe_capacity() in
/// test/checkers/pipe-unclosed-write-end/near-miss.c): not without a
/// narrowing step.
void FlowEngineImpl::widenBlock(BlockData &BD) {
  BD.Widened = true;
  PathState All = BD.In.front();
  for (size_t I = 1; I < BD.In.size(); ++I)
    All = join(All, BD.In[I], true);
  All = join(All, All, true);
  BD.In.assign(1, All);
  BD.Pending.assign(1, 0);
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
  S.Temps.clear();
  if (!S.Tasks.empty())
    pruneTasks(S);
  auto MarkPending = [&](unsigned I) {
    if (std::find(BD.Pending.begin(), BD.Pending.end(), I) == BD.Pending.end())
      BD.Pending.push_back(I);
  };
  bool Changed = false;
  if (BD.Widened) {
    PathState J = BD.In.empty() ? S : join(BD.In.front(), S, true);
    if (BD.In.empty() || !J.sameFacts(BD.In.front())) {
      BD.In.assign(1, J);
      BD.Pending.assign(1, 0);
      Changed = true;
    }
  } else {
    bool Absorbed = false;
    for (unsigned I = 0; I < BD.In.size() && !Absorbed; ++I) {
      PathState &Old = BD.In[I];
      if (Old.sameFacts(S)) {
        // Same state: keep only the remembered conditions both paths share.
        size_t Before = Old.Facts.size();
        intersectFacts(Old, S);
        if (Old.Facts.size() == Before)
          return;
        MarkPending(I);
        Absorbed = Changed = true;
        break;
      }
      if (sameEndFacts(Old, S)) {
        PathState J = join(Old, S, false);
        J.Last = Old.Last;
        Absorbed = true;
        if (!J.sameFacts(Old)) {
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
    if (BD.In.size() > MaxStatesPerBlock) {
      PathState All = BD.In.front();
      for (size_t I = 1; I < BD.In.size(); ++I)
        All = join(All, BD.In[I], false);
      BD.In.clear();
      BD.In.push_back(std::move(All));
      BD.Pending.assign(1, 0);
    }
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
  const Stmt *Term = From->getTerminatorStmt();
  if (Term && isa<BreakStmt, GotoStmt>(Term))
    S.LastJump = Term;
  llvm::SmallVector<const CFGBlock *, 2> Succs;
  for (const CFGBlock::AdjacentBlock &A : From->succs())
    Succs.push_back(A.getReachableBlock());

  // During the fixpoint a state goes on to its successor; during the
  // replay only the states that leave the function are recorded, each with
  // the branch that led out.
  auto Deliver = [&](const CFGBlock *To, PathState N) {
    if (!Observe)
      enqueueState(To, std::move(N));
    else if (To == Exit)
      recordExit(From, N);
  };

  if (const auto *SW = dyn_cast_or_null<SwitchStmt>(Term)) {
    AbsVal V = eval(SW->getCond(), S);
    Interval Iv = intervalOf(V);
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
        N.Last = BranchStep{SW, Case, true};
        Deliver(Succ, std::move(N));
      }
    }
    // The default (or the block after the switch): the last successor.
    if (!Succs.empty() && Succs.back() &&
        !isa_and_nonnull<CaseStmt>(Succs.back()->getLabel()) &&
        !AnyCaseMatched) {
      PathState N = S;
      N.Last = BranchStep{SW, Succs.back()->getLabel(), true};
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
      if (!Constant && (T < 0 || testsSplitResult(CondE, S)))
        N.Last = BranchStep{CondE, nullptr, I == 0};
      if (T < 0) {
        refineOnBranch(CondE, I == 0, N);
        rememberTruth(CondE, I == 0, N);
      }
      if (!N.Ends.empty())
        noteDrainedOnBranch(CondE, I == 0, N);
      (void)Recalled;
      Deliver(Succs[I], std::move(N));
    }
    return;
  }
  for (size_t I = 0; I < Succs.size(); ++I)
    if (Succs[I])
      Deliver(Succs[I], S);
}

/// Elements transferElement() leaves alone: with every subexpression in
/// the CFG, most of them. Skipping them keeps states from being moved
/// through every literal and name. Keep in step with transferElement().
static bool isInertElement(const Stmt *St) {
  if (isa<CallExpr, DeclStmt, ReturnStmt, LambdaExpr, BlockExpr,
          CXXConstructExpr, AsmStmt, CXXNewExpr, UnaryOperator>(St))
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(St))
    return !BO->isAssignmentOp();
  if (const auto *Cast = dyn_cast<ImplicitCastExpr>(St))
    return Cast->getCastKind() != CK_LValueToRValue;
  return true;
}

void FlowEngineImpl::processBlock(const CFGBlock *B,
                                  llvm::SmallVectorImpl<PathState> &States,
                                  bool Observe) {
  llvm::SmallVector<PathState, 4> Cur, Next;
  for (PathState &S : States) {
    MaxLocs = std::max(MaxLocs, S.Locs.size());
    MaxEscaped = std::max(MaxEscaped, S.Escaped.size());
    Cur.clear();
    Cur.push_back(S);
    Cur.back().Temps.clear();
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS) {
        if (auto Dtor = El.getAs<CFGAutomaticObjDtor>()) {
          if (!R.Tasks.empty() || !R.Owners.empty())
            for (PathState &P : Cur)
              transferDtor(*Dtor, B, P, Observe);
        } else if (const VarDecl *VD = compat::cleanupFunctionVar(El)) {
          for (PathState &P : Cur)
            transferCleanupFunction(VD, P);
        }
        continue;
      }
      const Stmt *St = CS->getStmt();
      if (isInertElement(St)) {
        Work += Cur.size(); // most elements: literals, names, reads
        continue;
      }
      Next.clear();
      for (PathState &P : Cur) {
        Work += 1 + P.Locs.size() / 4 + P.Ends.size() / 4;
        transferElement(St, P, Next, Observe);
      }
      std::swap(Cur, Next);
      if (Cur.empty())
        break;
      if (Work > Limit) {
        OverBudget = true;
        return;
      }
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
    if (Work > Limit) {
      OverBudget = true;
      return;
    }
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
  R.Exits.push_back({X, S});
}

bool FlowEngineImpl::run() {
  CFG::BuildOptions Opts;
  Opts.setAllAlwaysAdd();
  // Automatic objects' destructors: where a thread, jthread or future is
  // destroyed, and where an object that owns a descriptor closes it.
  Opts.AddImplicitDtors = true;
  Opts.AddTemporaryDtors = false;
  Opts.AddInitializers = false;
  Opts.AddCXXDefaultInitExprInCtors = false;
  Graph = CFG::buildCFG(R.D, const_cast<Stmt *>(Body), &Ctx, Opts);
  if (!Graph)
    return false;
  if (!discoverEnds())
    return false;

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
      if (Top.second < B->succ_size()) {
        const CFGBlock *Succ = (B->succ_begin() + Top.second)->getReachableBlock();
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
  if (StoredBytes > MaxStateBytes) {
    GaveUp = true; // even one state per block is too much
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// FunctionAnalysis
//===----------------------------------------------------------------------===//

FunctionAnalysis::~FunctionAnalysis() = default;

bool FunctionAnalysis::isLambda() const {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}

std::string FunctionAnalysis::locName(LocKey L) const {
  if (!L.Base)
    return "";
  std::string Name = L.Base->getNameAsString();
  QualType T = L.Base->getType().getNonReferenceType();
  uint32_t Sel = L.Sel;
  if (const auto *DD = dyn_cast<DecompositionDecl>(L.Base)) {
    // The copy made by `auto [r, w] = fds;` has no name; its elements (or
    // fields) have the bindings' names.
    Name.clear();
    if (uint16_t First = uint16_t(Sel & 0xffff))
      for (const BindingDecl *BD : DD->bindings()) {
        const Expr *B = BD->getBinding();
        if (!B || !plainDecompositionOf(BD))
          continue;
        B = B->IgnoreParens();
        uint16_t Names = 0;
        if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(B)) {
          if (const auto *IL = dyn_cast<IntegerLiteral>(
                  ASE->getIdx()->IgnoreParenImpCasts()))
            Names = indexSel(unsigned(IL->getValue().getLimitedValue(0x7ffe)));
        } else if (const auto *ME = dyn_cast<MemberExpr>(B)) {
          if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
            Names = fieldSel(F->getFieldIndex());
        }
        if (Names == First) {
          Name = BD->getNameAsString();
          T = BD->getType().getNonReferenceType();
          Sel >>= 16;
          break;
        }
      }
    if (Name.empty())
      return "";
  }
  for (; Sel; Sel >>= 16) {
    uint16_t S = uint16_t(Sel & 0xffff);
    T = T.getCanonicalType();
    if (S & 0x8000) {
      unsigned Index = S & 0x7fff;
      // The write end a Boost.Process pipe or stream holds: name it the
      // way the user reaches it.
      if (Index == BoostWriteSideField && isTwoEndedBoostPipeType(T)) {
        const auto *RD = T->getAsCXXRecordDecl();
        bool Stream = RD && compat::endsWith(RD->getName(), "stream");
        return Name + (Stream ? ".pipe().native_sink()" : ".native_sink()");
      }
      const RecordDecl *RD = T->getAsRecordDecl();
      if (T->isPointerType())
        RD = T->getPointeeType()->getAsRecordDecl();
      const FieldDecl *Found = nullptr;
      if (RD)
        for (const FieldDecl *F : RD->fields())
          if (F->getFieldIndex() == Index) {
            Found = F;
            break;
          }
      if (!Found)
        return Name;
      Name += (T->isPointerType() ? "->" : ".") + Found->getNameAsString();
      T = Found->getType();
    } else {
      Name += "[" + std::to_string(S - 1) + "]";
      if (const auto *AT = T->getAsArrayTypeUnsafe())
        T = AT->getElementType();
      else if (T->isPointerType())
        T = T->getPointeeType();
      else if (const auto *TS = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                   T->getAsCXXRecordDecl());
               TS && TS->getTemplateArgs().size() > 0 &&
               TS->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        T = TS->getTemplateArgs()[0].getAsType();
      else
        return Name;
    }
  }
  return Name;
}

std::string FunctionAnalysis::nameOf(EndId E, const PathState *S) const {
  const EndInfo &Info = Ends[E];
  if (S) {
    // Prefer the copy the code works with (`int w = fds[1];`), then the
    // place it was created, if either still holds it.
    std::string Created;
    for (const auto &P : S->Locs) {
      if (P.second.K != AbsVal::End || P.second.E != E)
        continue;
      std::string Name = locName(P.first);
      if (Name.empty())
        continue;
      if (Name != Info.Name)
        return Name;
      Created = Name;
    }
    if (!Created.empty())
      return Created;
  }
  return Info.Name;
}

void FunctionAnalysis::forEachExit(
    llvm::function_ref<void(const ExitPoint &, const PathState &)> F) const {
  for (const auto &X : Exits)
    F(X.first, X.second);
}

void FunctionAnalysis::forEachTaskEvent(
    llvm::function_ref<void(const TaskEvent &, const PathState &)> F) const {
  for (const auto &E : TaskEvents)
    F(E.first, E.second);
}

const VarDecl *FunctionAnalysis::ownerOf(EndId E) const {
  auto It = Owners.find(E);
  return It == Owners.end() ? nullptr : It->second;
}

void FunctionAnalysis::forEachCall(
    llvm::function_ref<void(const CallSite &, const PathState &)> F) const {
  for (const auto &C : Calls)
    F(C.first, C.second);
}

std::optional<EndId> FunctionAnalysis::subjectEnd(const CallSite &C,
                                                  const PathState &S) const {
  const Expr *E = C.Subject;
  if (!E && C.Api->Arg >= 0 && unsigned(C.Api->Arg) < C.Call->getNumArgs())
    E = C.Call->getArg(unsigned(C.Api->Arg));
  return E ? endOf(E, S) : std::nullopt;
}

std::optional<EndId> FunctionAnalysis::endOf(const Expr *E,
                                             const PathState &S) const {
  if (!Engine || !E)
    return std::nullopt;
  AbsVal V = Engine->eval(E, S);
  if (V.K == AbsVal::End)
    return V.E;
  if (E->isGLValue() && isBoostPipeObjectType(E->getType()))
    return Engine->objectEnd(E, PipeSide::Read, S);
  return std::nullopt;
}

std::unique_ptr<FunctionAnalysis>
FunctionAnalysis::run(const Decl *D, ASTContext &Ctx, const ApiModel &Model,
                      unsigned Budget, CalleeSummaries &Summaries,
                      bool *GaveUp) {
  return runImpl(D, Ctx, Model, Budget, Summaries, GaveUp,
                 /*ForSummary=*/false);
}

std::unique_ptr<FunctionAnalysis> FunctionAnalysis::runForSummary(
    const FunctionDecl *FD, ASTContext &Ctx, const ApiModel &Model,
    unsigned Budget, CalleeSummaries &Summaries) {
  return runImpl(FD, Ctx, Model, Budget, Summaries, nullptr,
                 /*ForSummary=*/true);
}

AbsVal FunctionAnalysis::valueOf(const Expr *E, const PathState &S) const {
  return Engine ? Engine->eval(E, S) : AbsVal::unknown();
}

std::unique_ptr<FunctionAnalysis>
FunctionAnalysis::runImpl(const Decl *D, ASTContext &Ctx, const ApiModel &Model,
                          unsigned Budget, CalleeSummaries &Summaries,
                          bool *GaveUp, bool ForSummary) {
  if (GaveUp)
    *GaveUp = false;
  const Stmt *Body = D->getBody();
  if (!Body || D->isInvalidDecl())
    return nullptr;
  if (const auto *DC = dyn_cast<DeclContext>(D); DC && DC->isDependentContext())
    return nullptr;
  std::unique_ptr<FunctionAnalysis> A(new FunctionAnalysis());
  A->D = D;
  A->FD = dyn_cast<FunctionDecl>(D);
  A->Ctx = &Ctx;
  A->Model = &Model;
  if (A->isLambda())
    A->Display = "this lambda";
  else if (A->FD)
    A->Display = "'" + A->FD->getNameAsString() + "'";
  else
    A->Display = "this block";
  // Names where each end is created, as the user wrote them.
  A->Engine = std::make_unique<FlowEngineImpl>(*A, Body, Budget, Summaries);
  A->Engine->SummaryMode = ForSummary;
  bool Ok = A->Engine->run();
  if (GaveUp)
    *GaveUp = A->Engine->gaveUp();
  if (!ForSummary && std::getenv("PIPE_TIDY_STATS")) {
    SourceLocation Loc = D->getLocation();
    llvm::errs() << "pipe-tidy-stats: "
                 << Loc.printToString(Ctx.getSourceManager()) << " "
                 << A->Display << " ends=" << A->Ends.size()
                 << " elements=" << A->Engine->elements()
                 << " work=" << A->Engine->work()
                 << " max-places=" << A->Engine->MaxLocs
                 << " max-escaped=" << A->Engine->MaxEscaped
                 << " blocks=" << A->Engine->blocks()
                 << " states=" << A->Engine->StoredStates
                 << " state-kb=" << A->Engine->peakBytes() / 1024
                 << " calls=" << A->Calls.size() << " exits=" << A->Exits.size()
                 << " tasks=" << A->Tasks.size()
                 << " task-events=" << A->TaskEvents.size()
                 << " sizeof-state=" << sizeof(PathState)
                 << (A->Engine->degraded() ? " over-budget degraded" : "")
                 << (A->Engine->gaveUp() ? " gave-up" : "") << "\n";
  }
  if (!Ok)
    return nullptr;
  return A;
}

} // namespace clang::tidy::pipe
