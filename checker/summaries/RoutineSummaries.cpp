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
#include "Compat.h"
#include "summaries/FunctionSummaries.h"
#include "summaries/StartPipes.h"
#include "clang/AST/Stmt.h"
#include <cstdlib>

namespace clang::tidy::pipe {

// PartlyCloses: a function that closes a descriptor of its caller's at its
// end took it over; an earlier exit that leaves it open where it was (not
// stored elsewhere, given away or dropped) forgets it. Which exit is the
// end is read from the text: falling off the end, or a `return` that is
// the body's last statement. A function that closes the descriptor only on
// its early exits (`if (bad) { close(fd); return -1; }`) and keeps it at
// its end is the other kind (its caller closes it later): not recorded.
// An exception leaving the function is neither (the caller's handlers
// decide).
void readPartCloses(const FunctionAnalysis &A, const FunctionDecl *Def,
                    FunctionSummary &Sum) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body)
    return;
  const Stmt *Last = Body->body_empty() ? nullptr : Body->body_back();
  llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds = A.seededPlaces();
  struct Candidate {
    EndId E;
    const FunctionAnalysis::SeededPlace *Seed;
    bool ClosedAtEnd = false, Ok = true;
    llvm::SmallVector<FunctionSummary::OpenExit, 1> Exits;
  };
  llvm::SmallVector<Candidate, 4> Cands;
  for (EndId E = 0; E < A.ends().size(); ++E)
    if (const FunctionAnalysis::SeededPlace *P = A.seedOf(E);
        P && !P->Captured && !P->Opaque)
      Cands.push_back({E, P});
  if (Cands.empty())
    return;
  // What the function calls the end: not a member below a `void *`
  // parameter (`arg->wr`, which the code spells `j->wr` after `struct job
  // *j = arg;`): the caller's name is used for that.
  auto ownName = [&](EndId E, const FunctionAnalysis::SeededPlace &P,
                     const PathState &S) {
    std::string Name = A.nameOf(E, &S);
    if (P.Captured || P.Param >= Def->getNumParams())
      return Name;
    const ParmVarDecl *PD = Def->getParamDecl(P.Param);
    if (PD->getType()->isVoidPointerType() &&
        compat::startsWith(Name, PD->getName().str() + "->"))
      return std::string();
    return Name;
  };
  A.forEachExit([&](const ExitPoint &X, const PathState &S) {
    if (X.K == ExitPoint::Throw)
      return;
    bool AtEnd = X.K == ExitPoint::FallOffEnd || (Last && X.S == Last);
    for (Candidate &C : Cands) {
      if (!C.Ok)
        continue;
      uint8_t St = S.status(C.E);
      if (St == Closed || St == NotCreated) {
        C.ClosedAtEnd |= AtEnd && St == Closed;
        continue;
      }
      // Open where the caller gave it, and in none of its other places.
      bool InPlace = St == Open && !S.hasFlag(C.E, Lost);
      if (InPlace && !C.Seed->ByValue) {
        AbsVal V = S.load(C.Seed->Place);
        InPlace = V.K == AbsVal::End && V.E == C.E &&
                  !S.escaped(C.Seed->Place.Base);
      }
      for (const FunctionAnalysis::SeededPlace &O : Seeds)
        if (InPlace && &O != C.Seed && !O.ByValue && !O.Captured) {
          AbsVal V = S.load(O.Place);
          InPlace = !(V.K == AbsVal::End && V.E == C.E);
        }
      if (AtEnd || !InPlace) {
        C.Ok = false;
        continue;
      }
      const BranchStep &B = S.lastBranch();
      if (!llvm::any_of(C.Exits, [&](const FunctionSummary::OpenExit &O) {
            return O.Loc == X.Loc;
          }))
        C.Exits.push_back({X.Loc, B.Condition, B.Case, B.Taken,
                           ownName(C.E, *C.Seed, S)});
    }
  });
  for (const Candidate &C : Cands)
    if (C.Ok && C.ClosedAtEnd && !C.Exits.empty())
      Sum.PartlyCloses.push_back({slotOf(*C.Seed), C.Exits});
}

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
  if (std::getenv("PIPE_TIDY_SUMMARIES"))
    trace(Def, Result, 0);
  RoutineCache[Def] = std::move(Sum);
  return Result;
}

} // namespace clang::tidy::pipe
