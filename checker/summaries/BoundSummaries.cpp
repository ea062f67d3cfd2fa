//===--- BoundSummaries.cpp - summaries for bound function pointers ------===//
//
// FunctionSummaries::get() for a call that gives a helper functions of the
// file for its function-pointer parameters (`job_start(&j, export_rows)`):
// the helper's summary computed with calls through those parameters read
// as calls of the bound functions (models/Callbacks.h), kept apart from the
// summary without bindings. The bookkeeping of depth, recursion and cut
// answers is that of get() without bindings (FunctionSummaries.cpp), except
// that an answer cut short is never remembered: it is simply not kept.
//
//===----------------------------------------------------------------------===//
#include "summaries/FunctionSummaries.h"
#include "clang/AST/Decl.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

namespace clang::tidy::pipe {

const FunctionSummary *
FunctionSummaries::get(const FunctionDecl *FD,
                       llvm::ArrayRef<CallbackBinding> Bound) {
  const FunctionDecl *Def = summarisable(FD);
  if (!Def)
    return nullptr;
  if (Bound.empty())
    return get(Def);
  std::vector<std::pair<CallbackBindings, Entry>> &Variants = Specialised[Def];
  for (const auto &V : Variants) {
    if (!llvm::equal(V.first, Bound))
      continue;
    if (Depth + V.second.Height > MaxDepth) {
      Cut = DepthCut = true;
      return nullptr;
    }
    ChildHeight = std::max(ChildHeight, V.second.Height);
    return V.second.Summary.get();
  }
  if (Variants.size() >= 4)
    return get(Def);
  bool Matters = mayMatter(Def);
  for (const CallbackBinding &B : Bound)
    if (const FunctionDecl *BD = summarisable(B.Fn))
      Matters = Matters || mayMatter(BD);
  if (!Matters)
    return get(Def);
  if (InProgress.count(Def)) {
    Cut = true; // recursion, through the pointer or not: unknown
    noteHits(Def);
    return nullptr;
  }
  if (Depth >= MaxDepth) {
    Cut = DepthCut = true;
    return nullptr;
  }
  InProgress.insert(Def);
  Stack.push_back({Def, {}});
  ++Depth;
  bool OuterCut = Cut, OuterDepthCut = DepthCut;
  unsigned OuterHeight = ChildHeight;
  Cut = DepthCut = false;
  ChildHeight = 0;
  std::optional<FunctionSummary> Sum = compute(Def, Bound);
  bool MyCut = Cut, MyDepthCut = DepthCut;
  unsigned Height = 1 + ChildHeight;
  Cut = OuterCut || MyCut;
  DepthCut = OuterDepthCut || MyDepthCut;
  ChildHeight = OuterHeight;
  --Depth;
  InProgress.erase(Def);
  llvm::SmallVector<const FunctionDecl *, 2> MyHits;
  for (const FunctionDecl *H : Stack.back().Hits)
    if (H != Def)
      MyHits.push_back(H);
  Stack.pop_back();
  noteHits(MyHits);
  if (MyCut)
    return nullptr; // incomplete: never kept
  ChildHeight = std::max(ChildHeight, Height);
  Entry E;
  E.Height = Height;
  if (Sum && !Sum->empty())
    E.Summary = std::make_unique<FunctionSummary>(std::move(*Sum));
  std::vector<std::pair<CallbackBindings, Entry>> &Kept = Specialised[Def];
  Kept.emplace_back(CallbackBindings(Bound.begin(), Bound.end()), std::move(E));
  const FunctionSummary *Result = Kept.back().second.Summary.get();
  if (std::getenv("PIPE_TIDY_SUMMARIES"))
    llvm::errs() << "pipe-tidy-summary: " << Def->getNameAsString()
                 << " for " << Bound.size() << " callback(s): "
                 << (Result ? (Result->Starts ? "starts" : "summary")
                            : "none")
                 << "\n";
  return Result;
}

} // namespace clang::tidy::pipe
