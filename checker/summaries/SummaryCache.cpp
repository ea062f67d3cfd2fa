//===--- SummaryCache.cpp - each function's summary, computed once --------===//
//
// FunctionSummaries::get(): the order in which summaries are computed and
// kept. A summary is computed when it is first asked for, by running the
// engine on the callee (compute()), which asks for the callee's own callees
// in turn: callees are finished before their callers, so every function of
// the translation unit is summarised once, bottom-up over the call graph,
// and kept for every later call, at any depth.
//
// Recursion. A function asked for while its own summary is in progress is
// on a cycle of calls. Everything computed between the two askings (the
// functions on the cycle, and those cut because a callee met it) belongs
// to one strongly connected component of the call graph; when the
// outermost member finishes, every member is kept as "no summary"
// (Entry::Recursive), and so is every function whose summary reads one of
// them: a recursion that reaches a pipe function (a recursive function
// that reaches none does not matter at all: mayMatter()) gives no summary
// above it. The answer is settled once and kept, in whatever order the
// functions are asked for.
//
// Nesting. Computing a summary nests the engine on the C++ stack, so
// nesting is bounded (MaxDepth); a summary cut by the bound is not kept,
// and a kept one is used only where computing it afresh would have fitted,
// so that no answer depends on the order of the questions.
//
//===----------------------------------------------------------------------===//
#include "summaries/FunctionSummaries.h"
#include "clang/AST/Decl.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

namespace clang::tidy::pipe {

void FunctionSummaries::noteHits(llvm::ArrayRef<const FunctionDecl *> Hits) {
  if (Stack.empty())
    return;
  llvm::SmallVectorImpl<const FunctionDecl *> &Mine = Stack.back().Hits;
  for (const FunctionDecl *H : Hits)
    if (!llvm::is_contained(Mine, H))
      Mine.push_back(H);
}

const FunctionSummaries::CutAnswer *
FunctionSummaries::rememberedCut(const FunctionDecl *Def) const {
  auto It = Cuts.find(Def);
  if (It == Cuts.end())
    return nullptr;
  unsigned Levels = Depth >= MaxDepth ? 0 : MaxDepth - Depth;
  for (const CutAnswer &C : It->second)
    if (Levels <= C.Levels &&
        llvm::all_of(C.Hits, [&](const FunctionDecl *H) {
          return InProgress.count(H) != 0;
        }))
      return &C;
  return nullptr;
}

void FunctionSummaries::remember(const FunctionDecl *Def, const Nested &N) {
  llvm::SmallVector<CutAnswer, 1> &Known = Cuts[Def];
  if (Known.size() < 8)
    Known.push_back({N.Levels, N.DepthCut, N.Hits});
}

const FunctionSummary *FunctionSummaries::useKept(const Entry &E) {
  if (E.Recursive) {
    Cut |= Depth > 0; // on a cycle of calls, or reads one: none above
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

bool FunctionSummaries::cannotNest(const FunctionDecl *Def) {
  if (InProgress.count(Def)) {
    Cut = true; // recursion: settled when Def's own summary finishes
    noteHits(Def);
    return true;
  }
  if (Depth >= MaxDepth) {
    Cut = DepthCut = true;
    return true;
  }
  return false;
}

FunctionSummaries::Entry FunctionSummaries::keep(Nested &N) {
  ChildHeight = std::max(ChildHeight, N.Height);
  Entry E;
  E.Height = N.Height;
  if (N.Sum && !N.Sum->empty())
    E.Summary = std::make_unique<FunctionSummary>(std::move(*N.Sum));
  return E;
}

FunctionSummaries::Nested
FunctionSummaries::computeNested(const FunctionDecl *Def,
                                 llvm::ArrayRef<CallbackBinding> Bound) {
  Nested N;
  N.Levels = MaxDepth - Depth;
  N.CycleStart = OpenCycle.size();
  InProgress.insert(Def);
  Stack.push_back({Def, {}});
  ++Depth;
  bool OuterCut = Cut, OuterDepthCut = DepthCut;
  unsigned OuterHeight = ChildHeight;
  Cut = DepthCut = false;
  ChildHeight = 0;
  N.Sum = compute(Def, Bound);
  N.Cut = Cut;
  N.DepthCut = DepthCut;
  N.Height = 1 + ChildHeight;
  Cut = OuterCut;
  DepthCut = OuterDepthCut;
  ChildHeight = OuterHeight;
  --Depth;
  InProgress.erase(Def);
  // The summaries in progress above it that it met are met by its caller
  // too (the caller itself among them is the caller's own recursion).
  for (const FunctionDecl *H : Stack.back().Hits)
    if (H != Def)
      N.Hits.push_back(H);
  Stack.pop_back();
  return N;
}

bool FunctionSummaries::settleCut(const Nested &N, bool KeepCycle) {
  if (N.DepthCut) {
    // Too deep here; perhaps not from a shallower caller. Nothing met on
    // the way is settled either.
    OpenCycle.resize(N.CycleStart);
    Cut = DepthCut = true;
    noteHits(N.Hits);
    return false;
  }
  if (N.Hits.empty()) {
    // Every cycle it met closes at it: it and the functions cut on the way
    // are one strongly connected component, or read one: none has a
    // summary, and neither has whatever reads it.
    if (KeepCycle) {
      for (const FunctionDecl *F : llvm::make_range(
               OpenCycle.begin() + N.CycleStart, OpenCycle.end()))
        Cache[F].Recursive = true;
    }
    OpenCycle.resize(N.CycleStart);
    Cut |= Depth > 0;
    return true;
  }
  // A cycle through a summary still in progress above: settled there.
  Cut = true;
  noteHits(N.Hits);
  return false;
}

const FunctionSummary *FunctionSummaries::get(const FunctionDecl *FD) {
  const FunctionDecl *Def = summarisable(FD);
  if (!Def)
    return nullptr;
  if (auto It = Cache.find(Def); It != Cache.end())
    return useKept(It->second);
  // A helper that only reads an end it reaches through a pointer, a
  // reference or `this` (`read_all(&r)`, `r.read_all()`) has a summary
  // too: that it drains its caller's end. One that reads a descriptor it
  // is given by value is told by its parameter summary (CalleeSummary.h).
  auto ReachesPlaces = [&] {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Def); MD && !MD->isStatic()) {
      if (!MD->getParent()->isLambda())
        return true;
      // A lambda that captures by reference reaches its caller's places.
      if (MD->getParent()->getLambdaCaptureDefault() == LCD_ByRef)
        return true;
      for (const LambdaCapture &C : MD->getParent()->captures())
        if (C.getCaptureKind() == LCK_ByRef)
          return true;
    }
    for (const ParmVarDecl *P : Def->parameters())
      if (P->getType()->isPointerType() || P->getType()->isReferenceType())
        return true;
    return false;
  };
  if (!mayMatter(Def) &&
      !(ReachesPlaces() && (reaches(Def, Reach::MakesClosesOrUses) ||
                            storesIntoCallersPlace(Def)))) {
    Cache[Def] = Entry();
    return nullptr;
  }
  if (cannotNest(Def))
    return nullptr;
  // Cut short before, with as many levels left or more and the same
  // summaries in progress that it met: it would be cut short again.
  if (const CutAnswer *C = rememberedCut(Def)) {
    Cut = true;
    DepthCut |= C->DepthCut;
    noteHits(C->Hits);
    if (!C->DepthCut)
      OpenCycle.push_back(Def);
    return nullptr;
  }
  Nested N = computeNested(Def, {});
  if (N.Cut) {
    // On a cycle (settled here or above) unless cut by depth.
    if (!N.DepthCut)
      OpenCycle.push_back(Def);
    if (!settleCut(N, /*KeepCycle=*/true))
      remember(Def, N);
    return nullptr;
  }
  // A helper that only reads or writes is worth a summary only when it
  // drains a place of its caller's, or uses an end it reaches in its
  // caller's struct (`send_msg(c, ...)` writing `c->fd`) and leaves it
  // there: the struct stays its caller's, or stores a descriptor argument
  // there (`worker_init(&w, fd)` doing `w->wr = fd;`). The rest its
  // parameter summaries say.
  if (N.Sum && !mayMatter(Def) &&
      llvm::none_of(N.Sum->Drains, [](const SummarySlot &Sl) {
        return Sl.K != SummarySlot::Value;
      }) &&
      !N.Sum->usesCallersPlaces() && N.Sum->Stores.empty() &&
      N.Sum->Moves.empty() && N.Sum->Drops.empty())
    N.Sum.reset();
  Entry &Slot = Cache[Def] = keep(N);
  if (std::getenv("PIPE_TIDY_SUMMARIES"))
    trace(Def, Slot.Summary.get(), 0);
  return Slot.Summary.get();
}

const FunctionSummary *
FunctionSummaries::get(const FunctionDecl *FD,
                       llvm::ArrayRef<CallbackBinding> Bound) {
  const FunctionDecl *Def = summarisable(FD);
  if (!Def)
    return nullptr;
  if (Bound.empty())
    return get(Def);
  // A helper given functions of the file for its function-pointer
  // parameters (`job_start(&j, export_rows)`): its summary with calls
  // through them read as calls of the bound functions (Callbacks.h), kept
  // apart from the one without bindings, at most four per function.
  std::vector<std::pair<CallbackBindings, Entry>> &Variants = Specialised[Def];
  for (const auto &V : Variants) {
    if (llvm::equal(V.first, Bound))
      return useKept(V.second);
  }
  if (Variants.size() >= 4)
    return get(Def);
  bool Matters = mayMatter(Def);
  for (const CallbackBinding &B : Bound)
    if (const FunctionDecl *BD = summarisable(B.Fn))
      Matters = Matters || mayMatter(BD);
  if (!Matters)
    return get(Def);
  if (cannotNest(Def)) // recursion, through the pointer or not: unknown
    return nullptr;
  Nested N = computeNested(Def, Bound);
  if (N.Cut) {
    // A variant is not a function of the call graph: the functions cut
    // on its way are left to be summarised on their own; the variant is
    // kept as recursive when every cycle it met closed at it.
    if (settleCut(N, /*KeepCycle=*/false)) {
      Entry E;
      E.Recursive = true;
      Specialised[Def].emplace_back(
          CallbackBindings(Bound.begin(), Bound.end()), std::move(E));
    }
    return nullptr;
  }
  std::vector<std::pair<CallbackBindings, Entry>> &Kept = Specialised[Def];
  Kept.emplace_back(CallbackBindings(Bound.begin(), Bound.end()), keep(N));
  const FunctionSummary *Result = Kept.back().second.Summary.get();
  if (std::getenv("PIPE_TIDY_SUMMARIES"))
    trace(Def, Result, Bound.size());
  return Result;
}

void FunctionSummaries::trace(const FunctionDecl *Def, const FunctionSummary *S,
                              size_t Bound) const {
  llvm::raw_ostream &OS = llvm::errs();
  OS << "pipe-tidy-summary: " << Def->getNameAsString();
  if (Bound)
    OS << " for " << Bound << " callback(s)";
  OS << ":";
  if (!S) {
    OS << " none\n";
    return;
  }
  if (S->Creator) {
    const CreatorSummary &C = *S->Creator;
    for (const SummarySlot &E : C.allSlots())
      OS << " end(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
    OS << " ok[" << C.OkLo << "," << C.OkHi << "] fail" << C.HasFailure << "["
       << C.FailLo << "," << C.FailHi << "]";
  }
  for (const SummarySlot &E : S->Closes)
    OS << " closes(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
  if (S->Starts) {
    OS << " starts(" << int(S->Starts->Kind) << "," << S->Starts->Handle.Param
       << "," << S->Starts->Handle.Sel << ")";
    for (const SummarySlot &E : S->Starts->Holds)
      OS << " holds(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
    if (S->Starts->MaxBytes)
      OS << " writes(" << S->Starts->MaxBytes << ")";
    if (!S->Starts->Outcomes.empty()) {
      OS << " pipes(" << S->Starts->Pipes.size() << ") outcomes("
         << S->Starts->Outcomes.size() << ")";
      for (const StartSummary::Outcome &O : S->Starts->Outcomes) {
        OS << " [" << (O.Started ? "started" : "not");
        for (unsigned I = 0; I < O.Status.size(); ++I)
          OS << " " << int(O.Status[I]) << "@" << int(O.Where[I].K) << ","
             << O.Where[I].Sel;
        if (O.HasResult)
          OS << " ret[" << O.RetLo << "," << O.RetHi << "]";
        OS << "]";
      }
    }
  }
  for (const SummarySlot &E : S->Joins)
    OS << " joins(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
  for (unsigned P : S->KeptParams)
    OS << " keeps(" << P << ")";
  for (const SummarySlot &E : S->LostPlaces)
    OS << " loses(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
  for (const SummarySlot &E : S->Drains)
    OS << " drains(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
  for (const SummarySlot &E : S->Reads)
    OS << " reads(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
  for (const FunctionSummary::Stored &St : S->Stores)
    OS << " stores(" << int(St.Place.K) << "," << St.Place.Param << ","
       << St.Place.Sel << "<-" << St.Param << ")";
  for (const FunctionSummary::Moved &M : S->Moves)
    OS << " moves(" << M.From.Param << "," << M.From.Sel << "->" << M.To.Param
       << "," << M.To.Sel << ")";
  for (const SummarySlot &E : S->Drops)
    OS << " drops(" << int(E.K) << "," << E.Param << "," << E.Sel << ")";
  for (const FunctionSummary::WriteBeforeRead &W : S->WritesBeforeReads)
    OS << " writes-before-read(" << W.Written.Param << "," << W.Written.Sel
       << "->" << W.Read.Param << "," << W.Read.Sel << ":" << W.Bytes << ")";
  for (const FunctionSummary::DrainAfterJoin &D : S->DrainsAfterJoins)
    OS << " drains-after-join(" << int(D.Read.K) << "," << D.Read.Param << ","
       << D.Read.Sel << ")";
  for (const FunctionSummary::CloseAfterJoin &C : S->ClosesAfterJoins)
    OS << " closes-after-join(" << int(C.Closed.K) << "," << C.Closed.Param
       << "," << C.Closed.Sel << ")";
  for (const FunctionSummary::PartClose &P : S->PartlyCloses)
    OS << " partly-closes(" << int(P.Slot.K) << "," << P.Slot.Param << ","
       << P.Slot.Sel << ";" << P.Exits.size() << " open exits)";
  OS << "\n";
}

} // namespace clang::tidy::pipe
