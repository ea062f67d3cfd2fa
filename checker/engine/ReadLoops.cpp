//===--- ReadLoops.cpp - the reads a branch shows to have ended -----------===//
//
// noteDrainedOnBranch(): an end is read to end-of-file on the edge where
//
//   - a read of the model returned 0 or less, or a helper that reports a
//     read in its result did (`read_full(fd, buf, n) > 0` left false),
//     tested as the call or as the variable that holds its result (`ssize_t
//     n = read(fd, ...); ... if (n <= 0) break;`: readResultUses()); or
//   - a loop whose condition is only a call that reads an end stops
//     (`while (r.read_line(line))`, `while (auto l = r.next_line())`,
//     `while (read_record(fd, &rec))`): the loop asks the reader again
//     until it says there is no more, at end-of-file or on an error, after
//     which the writer no longer waits for room in the pipe.
//
// A method that reports its read of a member in its result (`if
// (!r.read_line(line))` taken: memberSummary()'s EndOfFileResult) ends
// the read of that member of its object as a helper's does.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"
#include "AstQueries.h"
#include "summaries/CalleeSummaryDetail.h"

namespace clang::tidy::pipe {

namespace {
/// The call a loop's condition is, if it is nothing else: the call itself,
/// or the initialiser of the variable the condition declares and tests.
const CallExpr *loopConditionCall(const Stmt *Loop, const Expr *Cond) {
  const Expr *Whole = nullptr;
  const VarDecl *Var = nullptr;
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop)) {
    Whole = W->getCond();
    Var = W->getConditionVariable();
  } else if (const auto *F = dyn_cast_or_null<ForStmt>(Loop)) {
    Whole = F->getCond();
    Var = F->getConditionVariable();
  } else if (const auto *D = dyn_cast_or_null<DoStmt>(Loop)) {
    Whole = D->getCond();
  }
  if (!Whole || !Cond || Whole->IgnoreParens() != Cond->IgnoreParens())
    return nullptr;
  const Expr *E = Var ? Var->getInit() : Cond;
  if (!E)
    return nullptr;
  E = E->IgnoreImplicit()->IgnoreParenImpCasts();
  return dyn_cast<CallExpr>(E);
}
} // namespace

void FlowEngineImpl::markRead(PathState &S, EndId E, bool ToEof) const {
  auto ES = S.ref(E);
  ES.Flags |= ReadFrom;
  if (ToEof && !(ES.Flags & Nonblock)) {
    ES.Flags |= Drained;
    noteChildReadsToEof(S, E);
  }
}

void FlowEngineImpl::noteChildReadsToEof(const PathState &S, EndId E) const {
  // A fork() child that reads a read end to its end is a reader of that
  // pipe for as long as it runs (TaskInfo::ReadsToEof): a start summary
  // passes that on to the caller (StartPipes.cpp).
  if (std::optional<TaskId> T = S.childTask())
    if (*T < R.Tasks.size() && !R.Ends[E].isWriteSide() &&
        R.Ends[E].Kind != EndKind::Parameter &&
        !llvm::is_contained(R.Tasks[*T].ReadsToEof, E))
      R.Tasks[*T].ReadsToEof.push_back(E);
}

void FlowEngineImpl::noteDrainedOnBranch(const Stmt *Term, const Expr *Cond,
                                         bool Taken, PathState &S) const {
  auto Drain = [&](EndId E) {
    auto ES = S.ref(E);
    if (!(ES.Flags & Nonblock)) {
      ES.Flags |= Drained;
      noteChildReadsToEof(S, E);
    }
  };
  // The members of the object of method call \p CE that \p Reads says
  // it reads.
  auto DrainMembers = [&](const CallExpr *CE,
                          llvm::function_ref<bool(const FieldDecl *)> Reads) {
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
    const CXXMethodDecl *MD = MCE ? MCE->getMethodDecl() : nullptr;
    if (!MD)
      return;
    // The object, also through a pointer or a std::optional.
    std::optional<LocKey> Obj =
        argumentPlace(MCE, SummarySlot::ThisParam, S);
    if (!Obj || Obj->Sel != 0)
      return;
    for (const FieldDecl *F : MD->getParent()->fields())
      if (F->getType()->isIntegerType() && Reads(F))
        if (auto C = child(*Obj, fieldSel(F->getFieldIndex())))
          if (AbsVal V = S.load(*C); V.K == AbsVal::End)
            Drain(V.E);
  };
  // A read of the model, or a helper or method that reports one in its
  // result.
  if (!ReadUses)
    ReadUses = R.FD && R.FD->getBody()
                   ? readResultUses(R.FD->getBody(), Model, &Summaries)
                   : ReadResultUses();
  if (const CallExpr *Read =
          readEndedOnBranch(Cond, Taken, Model, &Summaries, &*ReadUses)) {
    if (std::optional<unsigned> Arg = readArgument(Read, Model, &Summaries)) {
      if (auto E = endIn(Read->getArg(*Arg), S))
        Drain(*E);
    } else if (const FieldDecl *F = readMember(Read, &Summaries)) {
      DrainMembers(Read, [F](const FieldDecl *G) { return G == F; });
    }
    return;
  }
  // The edge that leaves a loop on its condition's call.
  if (Taken)
    return;
  const CallExpr *CE = loopConditionCall(Term, Cond);
  const FunctionDecl *Callee = CE ? ApiModel::calleeOf(CE) : nullptr;
  if (!Callee || Model.lookup(Callee))
    return;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    int Param = calleedetail::paramOfArg(CE, Callee, I);
    const ParamSummary *PS =
        Param >= 0 ? Summaries.paramSummary(Callee, unsigned(Param)) : nullptr;
    if (PS && PS->Reads)
      if (auto E = endIn(CE->getArg(I), S))
        Drain(*E);
  }
  // A method reading a member of its object (`r.read_line(line)` reading
  // `r.fd_`).
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
    DrainMembers(CE, [&](const FieldDecl *F) {
      const ParamSummary *PS = Summaries.memberSummary(MCE->getMethodDecl(), F);
      return PS && PS->Reads;
    });
}

} // namespace clang::tidy::pipe
