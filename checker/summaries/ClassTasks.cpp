//===--- ClassTasks.cpp - threads a class keeps in its data members -------===//
//
// The class model (ClassModel.h), continued: a class whose constructor
// makes a pipe into two members and starts a writer thread (a std::thread,
// std::jthread or std::async future) into a third, and whose destructor is
// the only code that joins it:
//
//   Decoder() { pipe(p_); worker_ = std::thread(&Decoder::produce, this); }
//   ~Decoder() { worker_.join(); close(p_[0]); }   // joins first: hangs
//
// Whether the destructor joins before or after it closes the read end,
// or never joins (the member thread is destroyed joinable), is seen only
// when the destructor starts with the task running and the pipe open in
// the members, as the constructor left them. heldTasks() says when that is
// so; the engine seeds them (seedClassTasks(), engine/ClassTasks.cpp).
//
// Only a class the model sees whole gives an answer: no friend, the task
// member private, every constructor, method and the destructor with its
// body here, no user-written copy or move, every constructor that returns
// leaves the task running with its handle in the member and the pipe open
// in the members, and no other method (the thread's own function aside)
// names the task member, closes either end, gives `this` away or reads the
// read end to end-of-file.
//
//===----------------------------------------------------------------------===//

#include "summaries/ClassModel.h"
#include "summaries/FunctionSummaries.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

namespace clang::tidy::pipe {

namespace {

SelPath memberSel(const FieldDecl *F) {
  return 0x8000u | std::min(F->getFieldIndex(), 0x7fffu);
}

bool isThisMember(const MemberExpr *ME) {
  return isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
}

/// The member places of `*this` that \p Body names (`p_[1]`, `wr_`), as
/// selectors.
void namedMemberPlaces(const Stmt *Body, llvm::SmallVectorImpl<SelPath> &Out) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(S)) {
      const auto *ME =
          dyn_cast<MemberExpr>(AS->getBase()->IgnoreParenImpCasts());
      const auto *IL =
          dyn_cast<IntegerLiteral>(AS->getIdx()->IgnoreParenImpCasts());
      if (ME && IL && isThisMember(ME) && IL->getValue().ult(240))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          Out.push_back(memberSel(F) |
                        (SelPath(1 + IL->getValue().getZExtValue()) << 16));
    } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
          F && isThisMember(ME))
        Out.push_back(memberSel(F));
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
}

/// Does \p Body name member \p F, let `this` go where the model cannot
/// follow it (a lambda or block capturing it), or reach another object's
/// members?
bool namesOrLeaks(const Stmt *Body, const FieldDecl *F) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *LE = dyn_cast<LambdaExpr>(S))
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesThis())
          return true;
    if (isa<BlockExpr>(S))
      return true;
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      if (ME->getMemberDecl() == F)
        return true;
      if (isa<FieldDecl>(ME->getMemberDecl()) && !isThisMember(ME))
        return true;
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

bool isFdMember(const FieldDecl *F) {
  QualType T = F->getType().getCanonicalType();
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    T = AT->getElementType().getCanonicalType();
  return T->isIntegerType();
}

/// Does \p E name `this` as a value, or a descriptor member of it?
bool namesThisOrFdMember(const Stmt *E) {
  if (!E)
    return false;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
        F && isThisMember(ME) && isFdMember(F))
      return true;
  if (isa<CXXThisExpr>(E) && !cast<CXXThisExpr>(E)->isImplicit())
    return true;
  for (const Stmt *C : E->children())
    if (namesThisOrFdMember(C))
      return true;
  return false;
}

/// Does the constructor \p Body give `this` or a descriptor member to
/// code other than the task it starts at \p Start and the calls the model
/// knows (pipe(), close(), a read)? The start hands them off in the
/// analysis; anything else might close them behind the destructor's back.
bool givesAwayBesides(const Stmt *Body, const Stmt *Start,
                      const ApiModel &Model) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || S == Start)
      continue;
    if (const auto *LE = dyn_cast<LambdaExpr>(S))
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesThis())
          return true;
    if (isa<BlockExpr>(S))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (!Model.lookup(ApiModel::calleeOf(CE)) &&
          !isa<CXXOperatorCallExpr>(CE))
        for (const Expr *A : CE->arguments())
          if (namesThisOrFdMember(A))
            return true;
    } else if (const auto *CC = dyn_cast<CXXConstructExpr>(S)) {
      for (const Expr *A : CC->arguments())
        if (namesThisOrFdMember(A))
          return true;
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

/// The constructor's one `pipe(p_)` (or pipe2()) into an `int[2]` member
/// whose write end \p Named holds, and no close() of a descriptor member.
std::optional<MemberPipe> pipeIntoMember(const FunctionDecl *Ctor,
                                         llvm::ArrayRef<SelPath> Named,
                                         const ApiModel &Model) {
  std::optional<MemberPipe> Found;
  bool Bad = false;
  llvm::SmallVector<const Stmt *, 64> Stack{Ctor->getBody()};
  while (!Stack.empty() && !Bad) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
    const auto *CE = dyn_cast<CallExpr>(S);
    const ApiFunction *Api =
        CE ? Model.lookup(ApiModel::calleeOf(CE)) : nullptr;
    if (!Api)
      continue;
    if (Api->Role == ApiRole::Close || Api->Role == ApiRole::CloseRange) {
      for (const Expr *A : CE->arguments())
        Bad |= namesThisOrFdMember(A);
      continue;
    }
    if (Api->Role != ApiRole::CreatePipe || Api->Arg < 0 ||
        unsigned(Api->Arg) >= CE->getNumArgs())
      continue;
    const auto *ME = dyn_cast<MemberExpr>(
        CE->getArg(unsigned(Api->Arg))->IgnoreParenImpCasts());
    const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    const auto *AT =
        F ? dyn_cast<ConstantArrayType>(
                F->getType().getCanonicalType().getTypePtr())
          : nullptr;
    if (!F || !isThisMember(ME) || !AT || AT->getSize() != 2 || Found) {
      Bad = true;
      continue;
    }
    MemberPipe P;
    for (unsigned K = 0; K < 2; ++K) {
      P.Sel[K] = memberSel(F) | (SelPath(1 + K) << 16);
      P.Name[K] = F->getNameAsString() + "[" + std::to_string(K) + "]";
    }
    P.Origin = CE;
    P.MadeBy = Ctor;
    Found = P;
  }
  if (Bad || !Found || !llvm::is_contained(Named, Found->Sel[1]))
    return std::nullopt;
  return Found;
}

const ValueDecl *thisPlaceOf(const FunctionAnalysis &A) {
  for (const FunctionAnalysis::SeededPlace &P : A.seededPlaces())
    if (P.Param == SummarySlot::ThisParam && P.Place.Sel == 0)
      return P.Place.Base;
  return nullptr;
}

/// What one constructor leaves: each task kept in a member with the pipes
/// open in members, as seen on every exit that returns.
struct CtorFacts {
  bool Ok = true;
  llvm::SmallVector<MemberTask, 1> Tasks;
};

CtorFacts ctorFacts(const FunctionAnalysis &A, FunctionSummaries &Ctx,
                    const llvm::SmallPtrSetImpl<const FieldDecl *> &Fields,
                    const FunctionDecl *Ctor) {
  CtorFacts F;
  const ValueDecl *This = thisPlaceOf(A);
  if (!This) {
    F.Ok = false;
    return F;
  }
  for (TaskId T = 0; T < A.tasks().size(); ++T) {
    const TaskInfo &Info = A.tasks()[T];
    if (Info.FromCaller)
      continue;
    const FieldDecl *Field = nullptr;
    for (const FieldDecl *FD : Fields)
      if (Info.Place.Base == This && Info.Place.Sel == memberSel(FD))
        Field = FD;
    const ApiModel &Model = Ctx.model();
    if (!Field || !Info.Origin ||
        givesAwayBesides(Ctor->getBody(), Info.Origin, Model))
      continue;
    // The places its code writes: the members its body names, and the
    // ends it was given.
    llvm::SmallVector<SelPath, 4> Named;
    if (Info.Body)
      namedMemberPlaces(Info.Body, Named);
    bool Every = true, AnyExit = false;
    std::optional<MemberPipe> Pipe;
    A.forEachExit([&](const ExitPoint &X, const PathState &S) {
      if (X.K == ExitPoint::Throw)
        return; // the object never was: its destructor does not run
      AnyExit = true;
      if (S.taskStatus(T) != TaskRunning) {
        Every = false;
        return;
      }
      // The pipe whose write end it writes, both ends open in members.
      std::optional<MemberPipe> Here;
      S.forEachTouchedEnd([&](EndId E) {
        const EndInfo &W = A.ends()[E];
        // Open, or given to the task with `this` (`std::thread(&C::run,
        // this)`; givesAwayBesides() rules out anything else).
        auto Kept = [&](EndId X) {
          return S.status(X) == Open || S.status(X) == HandedOff;
        };
        if (W.Kind != EndKind::PipeWrite || W.Peer < 0 || !Kept(E) ||
            !Kept(EndId(W.Peer)))
          return;
        std::optional<LocKey> LW = S.locationOf(E);
        std::optional<LocKey> LR = S.locationOf(EndId(W.Peer));
        if (!LW || !LR || LW->Base != This || LR->Base != This)
          return;
        if (!llvm::is_contained(Named, LW->Sel) &&
            !llvm::is_contained(Info.Holds, E))
          return;
        if (Here) {
          Every = false; // two pipes: not one we can name
          return;
        }
        MemberPipe P;
        P.Sel[0] = LR->Sel;
        P.Sel[1] = LW->Sel;
        P.Name[0] = A.locName(*LR);
        P.Name[1] = A.locName(*LW);
        P.Origin = W.Origin;
        P.MadeBy = Ctor;
        Here = P;
      });
      if (!Here) {
        // A path where pipe() failed and the constructor went on
        // (`if (pipe(p_) < 0) perror("pipe");`): no pipe to block on.
        bool AnyMade = false;
        S.forEachTouchedEnd([&](EndId E) {
          if (A.ends()[E].Kind == EndKind::PipeWrite &&
              S.status(E) != NotCreated)
            AnyMade = true;
        });
        if (!AnyMade)
          return;
      }
      if (!Here || (Pipe && (Pipe->Sel[0] != Here->Sel[0] ||
                             Pipe->Sel[1] != Here->Sel[1]))) {
        Every = false;
        return;
      }
      Pipe = Here;
    });
    // A start given `this` (`std::thread(&Decoder::produce, this)`) hands
    // the members off in the analysis, which then forgets the pipe: read
    // it off the constructor's own `pipe(p_)`.
    if (Every && AnyExit && !Pipe)
      Pipe = pipeIntoMember(Ctor, Named, Model);
    if (!Every || !AnyExit || !Pipe || !Pipe->Origin)
      continue;
    MemberTask M;
    M.Field = Field;
    M.Sel = memberSel(Field);
    M.Kind = Info.Kind;
    M.Origin = dyn_cast_or_null<Expr>(Info.Origin);
    M.Runs = Info.Runs;
    M.Body = Info.Body;
    M.MaxBytes = Info.MaxBytes;
    M.StopAware = Info.StopAware;
    M.Pipe = *Pipe;
    if (M.Origin)
      F.Tasks.push_back(M);
  }
  return F;
}

} // namespace

llvm::SmallVector<MemberTask, 1>
ClassModel::heldTasks(const FunctionDecl *D) {
  const auto *DD = dyn_cast_or_null<CXXDestructorDecl>(D);
  if (!DD || !DD->isUserProvided())
    return {};
  const CXXRecordDecl *RD = DD->getParent()->getDefinition();
  if (!RD)
    return {};
  if (auto It = TaskCache.find(RD); It != TaskCache.end())
    return It->second ? *It->second : llvm::SmallVector<MemberTask, 1>();
  TaskCache[RD] = nullptr; // asked again while computing: no answer
  auto Tasks = std::make_unique<llvm::SmallVector<MemberTask, 1>>(
      computeTasks(RD));
  llvm::SmallVector<MemberTask, 1> Out = *Tasks;
  TaskCache[RD] = std::move(Tasks);
  return Out;
}

llvm::SmallVector<MemberTask, 1>
ClassModel::computeTasks(const CXXRecordDecl *RD) {
  llvm::SmallVector<MemberTask, 1> None;
  if (RD->isDependentContext() || RD->isUnion() || RD->isLambda() ||
      RD->friend_begin() != RD->friend_end())
    return None;
  llvm::SmallPtrSet<const FieldDecl *, 2> Fields;
  for (const FieldDecl *FD : RD->fields())
    if (auto K = taskHandleKind(FD->getType());
        K && FD->getAccess() == AS_private &&
        (*K == TaskKind::StdThread || *K == TaskKind::JThread ||
         *K == TaskKind::AsyncFuture))
      Fields.insert(FD);
  if (Fields.empty())
    return None;
  // Every method's body here; no copy or move of the user's (it would take
  // the thread elsewhere).
  for (const CXXMethodDecl *MD : RD->methods()) {
    if (MD->isImplicit() || MD->isDeleted() || MD->isDefaulted())
      continue;
    const FunctionDecl *Def = nullptr;
    if (!MD->hasBody(Def) || !Def)
      return None;
    if (const auto *CD = dyn_cast<CXXConstructorDecl>(MD);
        CD && CD->isCopyOrMoveConstructor())
      return None;
    if (MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator())
      return None;
  }
  for (const CXXMethodDecl *MD : RD->methods())
    if (MD->isDefaulted() && !MD->isDeleted() &&
        (MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator() ||
         (isa<CXXConstructorDecl>(MD) &&
          cast<CXXConstructorDecl>(MD)->isCopyOrMoveConstructor())) &&
        !MD->isImplicit())
      return None;

  ASTContext &Ctx = Functions.context();
  auto Analyse = [&](const FunctionDecl *Def) {
    return FunctionAnalysis::runForSummary(Def, Ctx, Functions.model(),
                                           Functions.budget(),
                                           Functions.callees());
  };
  // What every constructor leaves.
  std::optional<llvm::SmallVector<MemberTask, 1>> Common;
  for (const CXXConstructorDecl *CD : RD->ctors()) {
    if (CD->isDeleted() || CD->isImplicit())
      continue;
    const FunctionDecl *Def = nullptr;
    if (!CD->hasBody(Def) || !Def)
      return None;
    std::unique_ptr<FunctionAnalysis> A = Analyse(Def);
    if (!A)
      return None;
    CtorFacts F = ctorFacts(*A, Functions, Fields, Def);
    if (!F.Ok)
      return None;
    if (!Common) {
      Common = F.Tasks;
      continue;
    }
    // Keep the tasks every constructor starts alike.
    llvm::SmallVector<MemberTask, 1> Both;
    for (const MemberTask &M : *Common)
      for (const MemberTask &N : F.Tasks)
        if (M.Field == N.Field && M.Kind == N.Kind &&
            M.Pipe.Sel[0] == N.Pipe.Sel[0] && M.Pipe.Sel[1] == N.Pipe.Sel[1])
          Both.push_back(M);
    Common = Both;
  }
  if (!Common || Common->empty()) {
    if (std::getenv("PIPE_TIDY_SUMMARIES"))
      llvm::errs() << "pipe-tidy-class-task: " << RD->getNameAsString()
                   << ": no constructor leaves a task with its pipe\n";
    return None;
  }

  // The other methods: none may name the task member, close either end,
  // give `this` away or read the read end to end-of-file.
  llvm::SmallVector<MemberTask, 1> Out;
  for (const MemberTask &M : *Common) {
    bool Keep = true;
    for (const CXXMethodDecl *MD : RD->methods()) {
      if (!Keep)
        break;
      if (MD->isImplicit() || MD->isDeleted() || MD->isDefaulted() ||
          isa<CXXConstructorDecl>(MD) || isa<CXXDestructorDecl>(MD))
        continue;
      const FunctionDecl *Def = nullptr;
      if (!MD->hasBody(Def) || !Def)
        return None;
      // The thread's own function: its writes and its close are the task's.
      if (M.Runs && Def->getCanonicalDecl() == M.Runs->getCanonicalDecl())
        continue;
      if (namesOrLeaks(Def->getBody(), M.Field)) {
        Keep = false;
        break;
      }
      if (MD->isStatic())
        continue;
      std::unique_ptr<FunctionAnalysis> A = Analyse(Def);
      const ValueDecl *This = A ? thisPlaceOf(*A) : nullptr;
      if (!This) {
        Keep = false;
        break;
      }
      bool AnyExit = false, DrainsEverywhere = true;
      A->forEachExit([&](const ExitPoint &X, const PathState &S) {
        AnyExit = true;
        if (S.escaped(This))
          Keep = false;
        bool ReadAll = false;
        for (EndId E = 0; E < A->ends().size(); ++E) {
          const FunctionAnalysis::SeededPlace *P = A->seedOf(E);
          if (!P || P->Param != SummarySlot::ThisParam)
            continue;
          if (P->Place.Sel != M.Pipe.Sel[0] && P->Place.Sel != M.Pipe.Sel[1])
            continue;
          if (S.status(E) != Open)
            Keep = false; // closed or given away on some path
          if (P->Place.Sel == M.Pipe.Sel[0] && (S.flags(E) & Drained))
            ReadAll = true;
        }
        DrainsEverywhere &= ReadAll;
      });
      if (AnyExit && DrainsEverywhere)
        Keep = false; // a method that reads the pipe to its end
      if (!Keep && std::getenv("PIPE_TIDY_SUMMARIES"))
        llvm::errs() << "pipe-tidy-class-task: " << RD->getNameAsString()
                     << " " << M.Field->getNameAsString() << " left to "
                     << Def->getNameAsString() << "\n";
    }
    if (Keep)
      Out.push_back(M);
  }
  if (std::getenv("PIPE_TIDY_SUMMARIES"))
    for (const MemberTask &M : Out)
      llvm::errs() << "pipe-tidy-class-task: " << RD->getNameAsString() << " "
                   << M.Field->getNameAsString() << " writes " << M.Pipe.Name[1]
                   << " (read end " << M.Pipe.Name[0] << ")\n";
  return Out;
}

} // namespace clang::tidy::pipe
