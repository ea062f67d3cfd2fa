//===--- RoutineSummaries.cpp - summaries of thread start routines --------===//
//
// get() answers null for a function that makes and closes nothing, nor
// calls a helper that does (mayMatter()): to a caller that passes it a
// descriptor, such a function changes nothing worth applying. A thread's
// start routine given a pointer (`pthread_create(&t, 0, writer, &job)`)
// is different: which places of the struct it uses and leaves open on
// every exit (FunctionSummary::Keeps) tells the caller that it still owns
// them (RoutineArgs.cpp). getRoutine() computes that summary too, once per
// function, and keeps it apart, so that get() answers as before whatever
// was asked first.
//
//===----------------------------------------------------------------------===//
#include "summaries/FunctionSummaries.h"

namespace clang::tidy::pipe {

const FunctionSummary *FunctionSummaries::getRoutine(const FunctionDecl *FD) {
  const FunctionDecl *Def = summarisable(FD);
  // Asked while another summary is computed, or of a function that
  // matters anyway: get()'s answer.
  if (!Def || Depth > 0 || mayMatter(Def))
    return get(FD);
  if (auto It = RoutineCache.find(Def); It != RoutineCache.end())
    return It->second.get();
  // Compute it as get() would for a function that matters, then put
  // get()'s own answer (none) back.
  Matters[Def] = true;
  Cache.erase(Def);
  std::unique_ptr<FunctionSummary> Sum;
  if (get(Def))
    Sum = std::move(Cache[Def].Summary);
  Matters[Def] = false;
  Cache[Def] = Entry();
  const FunctionSummary *Result = Sum.get();
  RoutineCache[Def] = std::move(Sum);
  return Result;
}

} // namespace clang::tidy::pipe
