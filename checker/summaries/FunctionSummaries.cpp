//===--- FunctionSummaries.cpp - pipes made and closed by a helper --------===//

#include "summaries/FunctionSummaries.h"
#include "summaries/CalleeSummary.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

namespace clang::tidy::pipe {

FunctionSummaries &functionSummaries(CalleeSummaries &Callees,
                                     ASTContext &Ctx, unsigned Budget) {
  if (!Callees.Functions)
    Callees.Functions = std::make_shared<FunctionSummaries>(
        Ctx, Callees.model(), Budget, Callees);
  return *Callees.Functions;
}

namespace {

/// The definition a call of \p FD runs, if a summary can describe it: a
/// free function or a static member with its body in this translation
/// unit, not a template pattern.
const FunctionDecl *summarisable(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def->isDependentContext())
    return nullptr;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Def); MD && !MD->isStatic())
    return nullptr;
  return Def;
}

/// The functions \p Body calls directly, and whether it calls a function
/// the model says makes or closes a descriptor.
bool walkCalls(const Stmt *Body, const ApiModel &Model,
               llvm::SmallVectorImpl<const FunctionDecl *> &Callees) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue; // analysed (and summarised) on their own
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      if (const ApiFunction *Api = Model.lookup(Callee)) {
        switch (Api->Role) {
        case ApiRole::CreatePipe:
        case ApiRole::CreateSocketPair:
        case ApiRole::Close:
        case ApiRole::CloseRange:
          return true;
        default:
          break;
        }
      } else if (!isa<CXXMemberCallExpr>(CE) && !isa<CXXOperatorCallExpr>(CE)) {
        if (const FunctionDecl *Def = summarisable(Callee))
          Callees.push_back(Def);
      }
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

} // namespace

bool FunctionSummaries::mayMatter(const FunctionDecl *Def) {
  // Whether any function reachable from Def makes or closes a descriptor:
  // each function is walked once per translation unit. A function met
  // again while it is being walked (recursion) may matter.
  auto [It, New] = Matters.try_emplace(Def, true);
  if (!New)
    return It->second;
  llvm::SmallVector<const FunctionDecl *, 8> Called;
  bool Result = walkCalls(Def->getBody(), Model, Called);
  for (size_t I = 0; !Result && I < Called.size(); ++I)
    Result = mayMatter(Called[I]);
  Matters[Def] = Result;
  return Result;
}

bool FunctionSummaries::callsPipeHelper(const Stmt *Body) {
  llvm::SmallVector<const FunctionDecl *, 8> Called;
  walkCalls(Body, Model, Called);
  for (const FunctionDecl *Def : Called)
    if (mayMatter(Def))
      return true;
  return false;
}

const FunctionSummary *FunctionSummaries::get(const FunctionDecl *FD) {
  const FunctionDecl *Def = summarisable(FD);
  if (!Def)
    return nullptr;
  if (auto It = Cache.find(Def); It != Cache.end()) {
    const Entry &E = It->second;
    if (E.Recursive) {
      Cut |= Depth > 0;
      return nullptr;
    }
    if (Depth + E.Height > MaxDepth) {
      // Computed here it would have been cut: answer as if it were.
      Cut = DepthCut = true;
      return nullptr;
    }
    ChildHeight = std::max(ChildHeight, E.Height);
    return E.Summary.get();
  }
  if (!mayMatter(Def)) {
    Cache[Def] = Entry();
    return nullptr;
  }
  if (InProgress.count(Def)) {
    Cut = true; // recursion: unknown, and so is every caller
    return nullptr;
  }
  if (Depth >= MaxDepth) {
    Cut = DepthCut = true;
    return nullptr;
  }
  InProgress.insert(Def);
  ++Depth;
  bool OuterCut = Cut, OuterDepthCut = DepthCut;
  unsigned OuterHeight = ChildHeight;
  Cut = DepthCut = false;
  ChildHeight = 0;
  std::optional<FunctionSummary> Sum = compute(Def);
  bool MyCut = Cut, MyDepthCut = DepthCut;
  unsigned Height = 1 + ChildHeight;
  Cut = OuterCut || MyCut;
  DepthCut = OuterDepthCut || MyDepthCut;
  ChildHeight = OuterHeight;
  --Depth;
  InProgress.erase(Def);
  if (MyCut) {
    // Incomplete: never cached, except that a question from depth 0 that
    // met only recursion gets the same answer each time it is asked.
    if (Depth == 0 && !MyDepthCut)
      Cache[Def].Recursive = true;
    return nullptr;
  }
  ChildHeight = std::max(ChildHeight, Height);
  Entry &Slot = Cache[Def];
  Slot.Height = Height;
  if (Sum && !Sum->empty())
    Slot.Summary = std::make_unique<FunctionSummary>(std::move(*Sum));
  if (std::getenv("PIPE_TIDY_SUMMARIES")) {
    llvm::errs() << "pipe-tidy-summary: " << Def->getNameAsString() << ":";
    if (Slot.Summary && Slot.Summary->Creator) {
      const CreatorSummary &C = *Slot.Summary->Creator;
      for (const SummarySlot &E : C.Ends)
        llvm::errs() << " end(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
      llvm::errs() << " ok[" << C.OkLo << "," << C.OkHi << "] fail" << C.HasFailure << "[" << C.FailLo << "," << C.FailHi << "]";
    }
    if (Slot.Summary)
      for (const SummarySlot &E : Slot.Summary->Closes)
        llvm::errs() << " closes(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
    llvm::errs() << "\n";
  }
  return Slot.Summary.get();
}

std::optional<FunctionSummary>
FunctionSummaries::compute(const FunctionDecl *Def) {
  std::unique_ptr<FunctionAnalysis> A =
      FunctionAnalysis::runForSummary(Def, Ctx, Model, Budget, Callees);
  if (!A)
    return std::nullopt;
  FunctionSummary Sum;
  bool NonVoid = !Def->getReturnType()->isVoidType();

  // Closer: a seeded parameter end closed at every exit.
  llvm::SmallVector<std::pair<EndId, bool>, 8> ParamClosed;
  for (EndId E = 0; E < A->ends().size(); ++E)
    if (A->seedOf(E))
      ParamClosed.push_back({E, true});

  // Creator.
  bool CreatorOk = A->tasks().empty();
  bool AnyExit = false, HaveOk = false, HaveFail = false;
  bool OkKnown = true, FailKnown = true;
  CreatorSummary C;
  uint16_t Flags = Cloexec | Nonblock;
  int64_t OkLo = INT64_MAX, OkHi = INT64_MIN, FailLo = INT64_MAX,
          FailHi = INT64_MIN;
  bool Socket = false;

  A->forEachExit([&](const ExitPoint &X, const PathState &S) {
    AnyExit = true;
    for (auto &P : ParamClosed)
      if (S.status(P.first) != Closed)
        P.second = false;
    if (!CreatorOk)
      return;
    if (X.K == ExitPoint::Throw) {
      CreatorOk = false;
      return;
    }
    // A pointee whose address the helper gave away: the caller's places
    // may change behind its back.
    for (const FunctionAnalysis::SeededPlace &P : A->seededPlaces())
      if (!P.ByValue && S.escaped(P.Place.Base))
        CreatorOk = false;
    std::optional<AbsVal> Ret;
    if (const auto *RS = dyn_cast_or_null<ReturnStmt>(X.S))
      if (const Expr *RV = RS->getRetValue())
        Ret = A->valueOf(RV, S);
    llvm::SmallVector<EndId, 2> OpenEnds;
    S.forEachTouchedEnd([&](EndId E) {
      const EndInfo &Info = A->ends()[E];
      uint8_t St = S.status(E);
      // The end it returns: handed off to the caller, who gets it open.
      if (Ret && Ret->K == AbsVal::End && Ret->E == E && St == HandedOff)
        St = Open;
      if (Info.Kind == EndKind::Parameter) {
        // The creator changes nothing else of its caller's.
        if (St != Open)
          CreatorOk = false;
        return;
      }
      if (St & HandedOff)
        CreatorOk = false;
      if (!(St & Open))
        return;
      if (St != Open ||
          (S.flags(E) & ~uint16_t(Cloexec | Nonblock)) ||
          Info.Kind == EndKind::Duplicate)
        CreatorOk = false;
      OpenEnds.push_back(E);
    });
    if (!CreatorOk)
      return;
    if (OpenEnds.empty()) {
      // Failure: nothing it made stays open.
      HaveFail = true;
      if (!NonVoid)
        return;
      if (Ret && Ret->K == AbsVal::Int) {
        FailLo = std::min(FailLo, Ret->Lo);
        FailHi = std::max(FailHi, Ret->Hi);
      } else {
        FailKnown = false;
      }
      return;
    }
    if (OpenEnds.size() != 2 ||
        A->ends()[OpenEnds[0]].Peer != int(OpenEnds[1])) {
      CreatorOk = false;
      return;
    }
    bool ThisSocket = A->ends()[OpenEnds[0]].Kind == EndKind::SocketEnd;
    SummarySlot Slots[2];
    bool Returned = false;
    for (unsigned K = 0; K < 2; ++K) {
      EndId E = OpenEnds[K];
      bool Found = false;
      if (Ret && Ret->K == AbsVal::End && Ret->E == E) {
        Slots[K].K = SummarySlot::Returned;
        Found = Returned = true;
      }
      for (const FunctionAnalysis::SeededPlace &P : A->seededPlaces()) {
        if (Found || P.ByValue)
          continue;
        AbsVal V = S.load(P.Place);
        if (V.K == AbsVal::End && V.E == E) {
          Slots[K] = SummarySlot{SummarySlot::Pointee, P.Param, P.Place.Sel};
          Found = true;
        }
      }
      if (!Found) {
        CreatorOk = false; // open in a place its caller cannot reach
        return;
      }
      Flags &= S.flags(E);
    }
    if (HaveOk && (ThisSocket != Socket || Slots[0] != C.Ends[0] ||
                   Slots[1] != C.Ends[1] || Returned != C.ReturnsEnd)) {
      CreatorOk = false; // success exits disagree on where the ends go
      return;
    }
    HaveOk = true;
    Socket = ThisSocket;
    C.Ends[0] = Slots[0];
    C.Ends[1] = Slots[1];
    C.ReturnsEnd = Returned;
    if (!NonVoid)
      return;
    if (Returned) {
      OkLo = std::min<int64_t>(OkLo, 0);
      OkHi = INT64_MAX;
    } else if (Ret && Ret->K == AbsVal::Int) {
      OkLo = std::min(OkLo, Ret->Lo);
      OkHi = std::max(OkHi, Ret->Hi);
    } else {
      OkKnown = false;
    }
  });

  if (!AnyExit)
    return Sum;
  for (const auto &P : ParamClosed) {
    if (!P.second)
      continue;
    const FunctionAnalysis::SeededPlace &Seed = *A->seedOf(P.first);
    Sum.Closes.push_back(SummarySlot{Seed.ByValue ? SummarySlot::Value
                                                  : SummarySlot::Pointee,
                                     Seed.Param,
                                     Seed.ByValue ? 0u : Seed.Place.Sel});
  }
  if (CreatorOk && HaveOk) {
    // Both outcomes are possible: the result must tell them apart.
    bool Apart = !HaveFail;
    if (HaveFail && NonVoid && OkKnown && FailKnown)
      Apart = OkHi < FailLo || FailHi < OkLo;
    if (Apart) {
      C.Socket = Socket;
      C.Flags = Flags;
      C.HasFailure = HaveFail;
      if (NonVoid && OkKnown) {
        C.OkLo = OkLo;
        C.OkHi = OkHi;
      }
      if (HaveFail) {
        C.FailLo = FailLo;
        C.FailHi = FailHi;
      }
      Sum.Creator = C;
    }
  }
  return Sum;
}

} // namespace clang::tidy::pipe
