//===--- ClassModel.cpp - pipes a class holds in its data members ----------===//

#include "summaries/ClassModel.h"
#include "summaries/FunctionSummaries.h"
#include "engine/EngineShared.h"
#include "engine/FunctionAnalysis.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

namespace clang::tidy::pipe {

/// How the class closes what one member place holds.
struct ClassModel::MemberClosing {
  bool ByDestructor = false; ///< the destructor closes it on every path
  bool ByOther = false;      ///< another method closes it on some path
  bool ByAny = false;        ///< some method closes it on some path
  /// The methods but the destructor that close it on some path.
  llvm::SmallPtrSet<const FunctionDecl *, 2> Others;
};

struct ClassModel::Facts {
  bool Sealed = false;
  const FunctionDecl *Dtor = nullptr;
  llvm::SmallVector<MemberPipe, 2> Pipes;
  using Closing = MemberClosing;
  llvm::DenseMap<SelPath, Closing> Closes;
  /// Member places whose end some method gives away (`return sink_[0];`,
  /// a call that may keep it): someone else may close it. The class's
  /// other pipes are still its own.
  llvm::DenseSet<SelPath> GivenAway;
  bool givenAway(const MemberPipe &P) const {
    return GivenAway.count(P.Sel[0]) || GivenAway.count(P.Sel[1]);
  }
  /// Member places a getter lends (`int sink() const { return wfd_; }`):
  /// the class still holds the end while its methods run, but a class
  /// that never closes it may mean its users to (not its leak).
  llvm::DenseSet<SelPath> Lent;
  /// Its write end leaves the class (returned, passed on) or is lent by a
  /// class that closes it nowhere: whoever gets it may close it. A read end
  /// given out (`int fd() const { return fds_[0]; }` for a poll loop)
  /// leaves the write end the class's.
  bool writeEndGivenAway(const MemberPipe &P) const {
    return GivenAway.count(P.Sel[1]) || Lent.count(P.Sel[1]);
  }
  /// Constructors and methods that leave an end they made in a member.
  llvm::SmallPtrSet<const FunctionDecl *, 4> Makers;
};

ClassModel::ClassModel(FunctionSummaries &Functions) : Functions(Functions) {}
ClassModel::~ClassModel() = default;

namespace {

bool isFdType(QualType T) {
  T = T.getCanonicalType();
  if (const auto *AT = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    T = AT->getElementType().getCanonicalType();
  else if (auto Elements = detail::stdArrayElements(T)) // std::array fds_
    T = Elements->first.getCanonicalType();
  return mayHoldDescriptorValue(T);
}

/// Is \p MD a getter that lends a descriptor member, `int sink() const {
/// return wfd_; }`: its whole body returns the number a member of its own
/// object holds (`fds_[1]`, `this->wr_`), by value. The caller may use it,
/// not close it: the class, whose destructor closes it, still owns it.
bool lendsMember(const CXXMethodDecl *MD) {
  // (The accessor shape the engine's getterSels() reads too.)
  const CompoundStmt *Body = detail::integerAccessorBody(MD);
  if (!Body || Body->size() != 1)
    return false;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  const Expr *E = Ret && Ret->getRetValue()
                      ? Ret->getRetValue()->IgnoreParenImpCasts()
                      : nullptr;
  // `fds_[1]` of an array or std::array member.
  if (auto Element = detail::literalSubscript(E))
    E = Element->first;
  // `link_.wr`: a member of a descriptor-struct member.
  while (const auto *ME = dyn_cast_or_null<MemberExpr>(E)) {
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base))
      return true;
    E = Base;
  }
  return false;
}

/// A member of struct type that holds descriptors and nothing the model
/// cannot follow (`struct Ends { int rd = -1, wr = -1; } link_;`), also in
/// struct members of its own, two levels further at most (`struct Pipe {
/// UniqueFd rd, wr; } pipe_;`): the analysis seeds its descriptor members
/// as deep as a place can be (engine/SummaryPlaces.cpp), so the class's
/// pipes may live there.
bool isDescriptorStruct(QualType T, unsigned Depth = 0) {
  T = T.getCanonicalType();
  auto Plain = [](QualType GT) {
    return GT->isFloatingType() || GT->isBooleanType() ||
           GT->isAnyCharacterType() || GT->isEnumeralType() ||
           GT->isPointerType();
  };
  if (nestedDescriptorRecord(T, Plain))
    return true;
  const RecordDecl *RD = Depth < 2 ? plainRecordDefinition(T) : nullptr;
  if (!RD)
    return false;
  bool Any = false;
  for (const FieldDecl *G : RD->fields()) {
    QualType GT = G->getType().getCanonicalType();
    if (G->getFieldIndex() >= 16)
      return false;
    if (GT->isRecordType() && isDescriptorStruct(GT, Depth + 1))
      Any = true;
    else if (!Plain(GT))
      return false;
  }
  return Any;
}

/// Is \p E a parameter of \p MD that refers to another object of
/// \p MD's own class (`ArchiveLister &&o`, `const ArchiveLister &o`), in
/// a constructor or an assignment operator?
bool isSameClassSource(const Expr *E, const CXXMethodDecl *MD) {
  if (!isa<CXXConstructorDecl>(MD) &&
      MD->getOverloadedOperator() != OO_Equal)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *PV = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  if (!PV || !PV->getType()->isReferenceType())
    return false;
  const CXXRecordDecl *RD =
      PV->getType().getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getCanonicalDecl() ==
                   MD->getParent()->getCanonicalDecl();
}

/// Does \p Body let `this` go where the model cannot follow it (a lambda or
/// block that captures it), or reach the descriptor members of another
/// object of the class (`other.fds_[1]`)?
///
/// A constructor or assignment operator taking another object of the class
/// may read and reset that object's members (`out_(o.out_)`,
/// `o.out_ = -1`, `std::swap(out_, o.out_)`): the descriptor moves from
/// one object of the class to another and stays where only the class's own
/// code closes it. Passing such a member to any other function (a close of
/// `o.out_`) still reaches beyond `this`.
bool reachesBeyondThis(const CXXMethodDecl *MD, const Stmt *Body,
                       const llvm::SmallPtrSetImpl<const FieldDecl *> &Fds) {
  auto OtherMember = [&](const Expr *E) -> const MemberExpr * {
    const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
    if (!ME)
      if (const auto *ASE =
              dyn_cast<ArraySubscriptExpr>(E->IgnoreParenImpCasts()))
        ME = dyn_cast<MemberExpr>(ASE->getBase()->IgnoreParenImpCasts());
    if (!ME)
      return nullptr;
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F || !Fds.count(F) ||
        isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return nullptr;
    return ME;
  };
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesThis())
          return true;
    }
    if (isa<BlockExpr>(S))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      // Only the standard library's own moves and swaps keep another
      // object's descriptor within the class.
      const FunctionDecl *Callee = CE->getDirectCallee();
      bool Std = Callee && Callee->isInStdNamespace();
      if (!Std)
        for (const Expr *Arg : CE->arguments())
          if (OtherMember(Arg))
            return true;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      if (OtherMember(ME) && !isSameClassSource(ME->getBase(), MD))
        return true;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

/// Does \p Body call a function the model says makes or closes a
/// descriptor?
bool makesOrCloses(const Stmt *Body, const ApiModel &Model) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE)))
        switch (Api->Role) {
        case ApiRole::CreatePipe:
        case ApiRole::CreateSocketPair:
        case ApiRole::Close:
        case ApiRole::CloseRange:
          return true;
        default:
          break;
        }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

const CXXRecordDecl *classOf(const FunctionDecl *M) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(M);
  if (!MD || MD->getParent()->isLambda())
    return nullptr;
  return MD->getParent();
}

bool sameFunction(const FunctionDecl *A, const FunctionDecl *B) {
  return A && B && A->getCanonicalDecl() == B->getCanonicalDecl();
}

} // namespace

const ClassModel::Facts *ClassModel::factsOf(const CXXRecordDecl *RD) {
  if (!RD)
    return nullptr;
  RD = RD->getDefinition();
  if (!RD)
    return nullptr;
  auto It = Cache.find(RD);
  if (It != Cache.end())
    return It->second.get();
  // Mark it first: a method's analysis may ask about its own class again.
  Cache[RD] = nullptr;
  std::unique_ptr<Facts> F = compute(RD);
  Facts *Raw = F.get();
  Cache[RD] = std::move(F);
  return Raw;
}

std::unique_ptr<ClassModel::Facts>
ClassModel::compute(const CXXRecordDecl *RD) {
  auto F = std::make_unique<Facts>();
  if (RD->isDependentContext() || RD->isUnion() || RD->isLambda() ||
      RD->friend_begin() != RD->friend_end())
    return F;
  llvm::SmallPtrSet<const FieldDecl *, 4> Fds;
  // The members that hold descriptors, directly or in a struct member
  // (`link_.rd`).
  for (const FieldDecl *FD : RD->fields())
    if (isFdType(FD->getType()) || isDescriptorStruct(FD->getType())) {
      if (FD->getAccess() != AS_private)
        return F; // anyone may close it
      Fds.insert(FD);
    }
  if (Fds.empty())
    return F;
  // Only a class some of whose code makes or closes a descriptor can keep
  // a pipe: the others are not analysed at all.
  auto TouchesIn = [&](const Stmt *Code) {
    return Code && (makesOrCloses(Code, Functions.model()) ||
                    Functions.callsPipeHelper(Code));
  };
  auto MethodTouches = [&](const CXXMethodDecl *MD) {
    const FunctionDecl *Def = nullptr;
    if (MD->isImplicit() || !MD->hasBody(Def) || !Def)
      return false;
    if (TouchesIn(Def->getBody()))
      return true;
    // A constructor's member initialisers (`Relay() : link_(make_link())
    // {}`) run its code too.
    const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def);
    return Ctor && llvm::any_of(Ctor->inits(), [&](const CXXCtorInitializer *I) {
             return I->isWritten() && TouchesIn(I->getInit());
           });
  };
  if (llvm::none_of(RD->methods(), MethodTouches))
    return F;
  ASTContext &Ctx = Functions.context();
  bool Sealed = true;
  for (const CXXMethodDecl *MD : RD->methods()) {
    if (MD->isImplicit() || MD->isDeleted() || MD->isDefaulted())
      continue;
    const FunctionDecl *Def = nullptr;
    if (!MD->hasBody(Def) || !Def) {
      Sealed = false; // its body is elsewhere
      break;
    }
    if (reachesBeyondThis(MD, Def->getBody(), Fds)) {
      Sealed = false;
      break;
    }
    if (MD->isStatic())
      continue;
    bool IsDtor = isa<CXXDestructorDecl>(Def);
    if (IsDtor)
      F->Dtor = Def;
    // A getter changes nothing and gives nothing away: it lends.
    bool Getter = lendsMember(MD);
    std::unique_ptr<FunctionAnalysis> A = FunctionAnalysis::runForSummary(
        Def, Ctx, Functions.model(), Functions.budget(), Functions.callees());
    if (!A) {
      Sealed = false;
      break;
    }
    const ValueDecl *This = nullptr;
    for (const FunctionAnalysis::SeededPlace &P : A->seededPlaces())
      if (P.Param == SummarySlot::ThisParam && P.Place.Sel == 0)
        This = P.Place.Base;
    if (!This)
      continue;
    llvm::DenseMap<SelPath, bool> DtorClosesAll;
    llvm::DenseSet<SelPath> WriteClosedHere;
    A->forEachExit([&](const ExitPoint &X, const PathState &S) {
      if (S.escaped(This))
        Sealed = false;
      // What the members held at entry.
      for (EndId E = 0; E < A->ends().size(); ++E) {
        const FunctionAnalysis::SeededPlace *P = A->seedOf(E);
        if (!P || P->Param != SummarySlot::ThisParam)
          continue;
        uint8_t St = S.status(E);
        if (St & HandedOff)
          (Getter ? F->Lent : F->GivenAway).insert(P->Place.Sel);
        Facts::Closing &C = F->Closes[P->Place.Sel];
        if (St & Closed) {
          C.ByAny = true;
          if (!IsDtor) {
            C.ByOther = true;
            C.Others.insert(Def->getCanonicalDecl());
          }
        }
        if (IsDtor) {
          auto [It, New] = DtorClosesAll.try_emplace(P->Place.Sel, true);
          It->second &= St == Closed;
        }
      }
      if (X.K == ExitPoint::Throw)
        return;
      // Pipes it made and leaves in members.
      llvm::SmallVector<std::pair<EndId, SelPath>, 2> Left;
      S.forEachTouchedEnd([&](EndId E) {
        const EndInfo &Info = A->ends()[E];
        if (Info.Kind != EndKind::PipeRead && Info.Kind != EndKind::PipeWrite)
          return;
        if (!(S.status(E) & Open))
          return;
        // A member among the places that hold it (`rd_ = a[0];` leaves it
        // in the local array too).
        std::optional<SelPath> Member;
        S.forEachLocationOf(E, [&](LocKey L) {
          if (L.Base == This && !Member)
            Member = L.Sel;
        });
        if (Member)
          Left.push_back({E, *Member});
      });
      if (!Left.empty())
        F->Makers.insert(Def->getCanonicalDecl());
      // A read end left in a member whose write end this exit closed.
      for (const auto &Rd : Left) {
        const EndInfo &Info = A->ends()[Rd.first];
        if (Info.Kind == EndKind::PipeRead && Info.Peer >= 0 &&
            S.status(EndId(Info.Peer)) == Closed)
          WriteClosedHere.insert(Rd.second);
      }
      for (const auto &W : Left) {
        const EndInfo &Info = A->ends()[W.first];
        if (Info.Kind != EndKind::PipeWrite || Info.Peer < 0)
          continue;
        for (const auto &Rd : Left) {
          if (Rd.first != EndId(Info.Peer))
            continue;
          // Properties of the descriptors, not events of the path.
          constexpr uint16_t Kept = Cloexec | Nonblock | CapacitySet;
          uint16_t Flags[2] = {uint16_t(S.flags(Rd.first) & Kept),
                               uint16_t(S.flags(W.first) & Kept)};
          bool Known = false;
          for (MemberPipe &P : F->Pipes)
            if (P.Sel[0] == Rd.second && P.Sel[1] == W.second &&
                sameFunction(P.MadeBy, Def)) {
              Known = true;
              P.Flags[0] |= Flags[0];
              P.Flags[1] |= Flags[1];
            }
          if (Known)
            continue;
          MemberPipe P;
          P.Sel[0] = Rd.second;
          P.Sel[1] = W.second;
          P.Name[0] = A->locName(LocKey{This, Rd.second});
          P.Name[1] = A->locName(LocKey{This, W.second});
          P.Origin = Info.Origin;
          P.MadeBy = Def;
          P.Flags[0] = Flags[0];
          P.Flags[1] = Flags[1];
          if (P.Origin)
            F->Pipes.push_back(P);
        }
      }
    });
    for (const auto &D : DtorClosesAll)
      if (D.second)
        F->Closes[D.first].ByDestructor = true;
    for (MemberPipe &P : F->Pipes)
      if (sameFunction(P.MadeBy, Def) && WriteClosedHere.count(P.Sel[0]))
        P.WriteClosedByMaker = true;
    if (!Sealed)
      break;
  }
  // A member object closes what it holds when it is destroyed, after the
  // destructor's body (an implicit destructor too): `UniqueFd wr_;` whose
  // own destructor closes its descriptor on every path closes the end in
  // `wr_.fd_`, unless some method gives that end away.
  if (Sealed)
    for (const FieldDecl *FD : Fds) {
      const CXXRecordDecl *Member = FD->getType()->getAsCXXRecordDecl();
      const Facts *MF = Member && Member != RD ? factsOf(Member) : nullptr;
      if (!MF || !MF->Sealed)
        continue;
      for (const auto &[Inner, Closing] : MF->Closes) {
        std::optional<SelPath> Place =
            detail::joinSels(detail::fieldSel(FD->getFieldIndex()), Inner);
        if (!Closing.ByDestructor || !Place || F->GivenAway.count(*Place))
          continue;
        Facts::Closing &C = F->Closes[*Place];
        C.ByDestructor = C.ByAny = true;
      }
    }
  F->Sealed = Sealed;
  if (std::getenv("PIPE_TIDY_SUMMARIES")) {
    llvm::errs() << "pipe-tidy-class: " << RD->getNameAsString()
                 << (Sealed ? " sealed" : " open");
    for (const MemberPipe &P : F->Pipes) {
      const Facts::Closing &R = F->Closes.lookup(P.Sel[0]);
      const Facts::Closing &W = F->Closes.lookup(P.Sel[1]);
      llvm::errs() << " pipe(" << P.Name[0] << "," << P.Name[1] << " by "
                   << P.MadeBy->getNameAsString() << "; read closed dtor="
                   << R.ByDestructor << " other=" << R.ByOther
                   << "; write closed dtor=" << W.ByDestructor
                   << " other=" << W.ByOther << " any=" << W.ByAny
                   << (P.WriteClosedByMaker ? "; write closed by maker" : "")
                   << (F->givenAway(P) ? "; given away" : "") << ")";
    }
    llvm::errs() << "\n";
  }
  return F;
}

llvm::SmallVector<MemberPipe, 1>
ClassModel::leaksMadeBy(const FunctionDecl *M) {
  llvm::SmallVector<MemberPipe, 1> Out;
  const Facts *F = factsOf(classOf(M));
  if (!F || !F->Sealed)
    return Out;
  for (const MemberPipe &P : F->Pipes)
    if (sameFunction(P.MadeBy, M) && !P.WriteClosedByMaker &&
        !F->Closes.lookup(P.Sel[1]).ByAny && !F->writeEndGivenAway(P))
      Out.push_back(P);
  return Out;
}

llvm::SmallVector<MemberPipe, 1>
ClassModel::sameLeakElsewhere(const MemberPipe &P, const FunctionDecl *M) {
  llvm::SmallVector<MemberPipe, 1> Out;
  const Facts *F = factsOf(classOf(M));
  if (!F || !F->Sealed)
    return Out;
  for (const MemberPipe &Q : F->Pipes)
    if (Q.Sel[1] == P.Sel[1] && Q.Origin != P.Origin &&
        !Q.WriteClosedByMaker && !F->Closes.lookup(Q.Sel[1]).ByAny &&
        !F->writeEndGivenAway(Q))
      Out.push_back(Q);
  return Out;
}

llvm::SmallVector<MemberPipe, 1> ClassModel::heldPipes(const FunctionDecl *M) {
  llvm::SmallVector<MemberPipe, 1> Out;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(M);
  if (!MD || MD->isStatic() || isa<CXXConstructorDecl>(MD) ||
      isa<CXXDestructorDecl>(MD))
    return Out;
  const Facts *F = factsOf(classOf(M));
  if (!F || !F->Sealed || F->Makers.count(M->getCanonicalDecl()))
    return Out;
  for (const MemberPipe &P : F->Pipes) {
    // The read end may be closed by M itself (`finish()` reading it to
    // the end and then closing it): at M's entry it is open, as the
    // constructor left it, unless M ran before.
    auto R = F->Closes.find(P.Sel[0]);
    bool ReadClosedElsewhere =
        R != F->Closes.end() && R->second.ByOther &&
        !(R->second.Others.size() == 1 &&
          R->second.Others.count(M->getCanonicalDecl()));
    if (ReadClosedElsewhere || P.WriteClosedByMaker ||
        F->Closes.lookup(P.Sel[1]).ByOther || F->givenAway(P))
      continue;
    bool Known = false;
    for (MemberPipe &Q : Out)
      if (Q.Sel[0] == P.Sel[0] && Q.Sel[1] == P.Sel[1]) {
        // Made by more than one constructor: what any of them set.
        Known = true;
        Q.Flags[0] |= P.Flags[0];
        Q.Flags[1] |= P.Flags[1];
      }
    if (!Known) {
      Out.push_back(P);
      // (No other method closes it here: only the destructor may, on
      // some path at least.)
      Out.back().WriteClosedByDestructor = F->Closes.lookup(P.Sel[1]).ByAny;
    }
  }
  return Out;
}

const ClassModel::MemberClosing *
ClassModel::closingOf(const CXXRecordDecl *RD, SelPath Sel) {
  const Facts *F = RD ? factsOf(RD->getCanonicalDecl()) : nullptr;
  if (!F || !F->Sealed)
    return nullptr;
  auto It = F->Closes.find(Sel);
  return It == F->Closes.end() ? nullptr : &It->second;
}

const CXXMethodDecl *ClassModel::closerOf(const CXXRecordDecl *RD,
                                          SelPath Sel) {
  const MemberClosing *C = closingOf(RD, Sel);
  if (!C)
    return nullptr;
  const Facts *F = factsOf(RD->getCanonicalDecl());
  // What a user calls: a public, named method taking no arguments. Others
  // that close it too (a move assignment, `reset(int fd)` given a new
  // descriptor, `open()` closing the old one first and leaving a new pipe
  // in the members: one of Makers) are not that call.
  const CXXMethodDecl *Found = nullptr;
  for (const FunctionDecl *FD : C->Others) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD || (F && F->Makers.count(FD)) ||
        MD->getMinRequiredArguments() != 0 || MD->isStatic() ||
        isa<CXXConstructorDecl>(MD) || MD->getAccess() != AS_public ||
        !MD->getIdentifier())
      continue;
    if (Found)
      return nullptr; // two of them: which one the user means is unclear
    Found = MD;
  }
  return Found;
}

bool ClassModel::destructorCloses(const CXXRecordDecl *RD, SelPath Sel) {
  const MemberClosing *C = closingOf(RD, Sel);
  return C && C->ByDestructor;
}

const FunctionDecl *ClassModel::destructorOf(const FunctionDecl *M) {
  const Facts *F = factsOf(classOf(M));
  return F ? F->Dtor : nullptr;
}

} // namespace clang::tidy::pipe
