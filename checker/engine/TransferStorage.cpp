//===--- TransferStorage.cpp - stores, declarations, hand-offs and closes ---===//
//
// Step 3 of the engine, for storage: what a store, an initialisation or a
// declaration does to the tracked places (store(), setLoc(), initialize(),
// transferDecl()), when an end leaves the function (handOff*(),
// markEscaped()), closing an end, and where a Boost pipe object keeps its
// ends.
//
//===----------------------------------------------------------------------===//
#include "AstQueries.h"
#include "engine/FlowEngine.h"

namespace clang::tidy::pipe {

bool FlowEngineImpl::resultIsKept(const CallExpr *CE) const {
  // Walk up through casts and parentheses to what uses the value, in the
  // parent map of this function's body (the initialiser of a variable has
  // its DeclStmt as parent).
  const Stmt *Node = CE;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    const Stmt *P = R.parentOf(Node);
    if (!P)
      return false;
    if (isa<ImplicitCastExpr, ParenExpr, CStyleCastExpr, ConditionalOperator>(P)) {
      Node = P;
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      return BO->isAssignmentOp();
    return isa<DeclStmt, CallExpr, ReturnStmt, InitListExpr, CXXConstructExpr>(P);
  }
  return true;
}

bool FlowEngineImpl::isEscaped(const PathState &S, const ValueDecl *VD) const {
  return S.escaped(VD);
}

void FlowEngineImpl::markEscaped(PathState &S, const ValueDecl *VD) {
  forgetFactsAbout(S, VD);
  handOffTasksOfVar(S, VD);
  S.Escaped.set(PathState::baseIdOf(VD), true);
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
  S.putLoc(PathState::packLoc(L), V);
}

void FlowEngineImpl::handOffValue(PathState &S, const AbsVal &V) {
  if (V.K == AbsVal::End) {
    noteChildWrite(S, V.E);
    PathState::EndState ES = S.get(V.E);
    if (ES.Status & Open) {
      ES.Status = uint8_t((ES.Status & ~Open) | HandedOff);
      if (HandingToUnknownCall)
        ES.Flags |= PassedAway;
    }
    S.putEnd(V.E, ES);
    collect(S, V.E);
  } else if (V.K == AbsVal::Addr) {
    handOffWithin(S, V.loc());
  }
}

void FlowEngineImpl::handOffEndsWithin(PathState &S, LocKey Outer) {
  llvm::SmallVector<AbsVal, 4> Held;
  llvm::SmallVector<const ValueDecl *, 2> Objects;
  auto [Lo, Hi] = PathState::keysWithin(Outer);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &V) {
    if (V.K == AbsVal::End)
      Held.push_back(V);
    // The address of an allocated object (`list->head = j`): whoever gets
    // this place reaches that object too.
    else if (V.K == AbsVal::Addr && HeapBases.count(V.loc().Base))
      Objects.push_back(V.loc().Base);
    return true;
  });
  for (const AbsVal &V : Held)
    handOffValue(S, V);
  // Escaped first, so that objects pointing at each other end the walk.
  for (const ValueDecl *Obj : Objects)
    if (!isEscaped(S, Obj)) {
      markEscaped(S, Obj);
      handOffEndsWithin(S, LocKey{Obj, 0});
    }
}

void FlowEngineImpl::handOffWithin(PathState &S, LocKey Outer) {
  handOffEndsWithin(S, Outer);
  // Whoever now has the address may store more into it or close it later.
  if (isStructMember(Outer))
    markMemberEscaped(S, Outer);
  else
    markEscaped(S, Outer.Base);
}

bool FlowEngineImpl::isStructMember(LocKey L) const {
  // One field below a struct variable of this function (`&f.job`), not an
  // array element (`&fds[0]`: pointer arithmetic reaches the others), a
  // pointer's target or an allocated object.
  if (depthOf(L) != 1 || !isFieldSel(uint16_t(L.Sel)))
    return false;
  const auto *VD = dyn_cast_or_null<VarDecl>(L.Base);
  return VD && !HeapBases.count(VD) &&
         VD->getType().getCanonicalType()->isRecordType();
}

void FlowEngineImpl::markMemberEscaped(PathState &S, LocKey Member) {
  // Only the member: the struct's other members keep their values
  // (reaching them from a member's address takes a container_of()).
  forgetFactsAbout(S, Member.Base);
  if (!TaskPlace.empty())
    handOffTasksWithin(S, Member, /*WholeVar=*/false);
  S.markMemberEscaped(Member);
}

void FlowEngineImpl::forgetNumbersWrittenThrough(PathState &S,
                                                  const CallExpr *CE,
                                                  const FunctionDecl *Callee,
                                                  unsigned I) {
  const Expr *Ptr = CE->getArg(I);
  QualType T = Callee && I < Callee->getNumParams()
                   ? Callee->getParamDecl(I)->getType()
                   : Ptr->IgnoreParenImpCasts()->getType();
  if (!T->isPointerType() || T->getPointeeType().isConstQualified())
    return;
  AbsVal V = eval(Ptr, S);
  if (V.K != AbsVal::Addr || !V.loc().Base)
    return;
  forgetNumbersWithin(S, V.loc());
  forgetFactsAbout(S, V.loc().Base);
}

void FlowEngineImpl::forgetNumbersWithin(PathState &S, LocKey Outer) {
  llvm::SmallVector<uint64_t, 8> Numbers;
  auto [Lo, Hi] = PathState::keysWithin(Outer);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &X) {
    if (X.K == AbsVal::Int)
      Numbers.push_back(K);
    return true;
  });
  for (uint64_t K : Numbers)
    setLoc(S, PathState::unpackLoc(K), AbsVal::unknown());
}

void FlowEngineImpl::transferPollSet(PathState &S, const Expr *Ptr) {
  AbsVal V = eval(Ptr, S);
  if (V.K != AbsVal::Addr)
    return;
  forgetNumbersWithin(S, V.loc());
  for (EndId E : S.endsWithin(V.loc()))
    if (S.status(E) & Open)
      S.ref(E)->Flags |= PolledFor;
}

void FlowEngineImpl::handOffExpr(PathState &S, const Expr *E) {
  if (!E)
    return;
  handOffTasksOf(S, E);
  E = E->IgnoreParens();
  if (isa<LambdaExpr>(E) || isa<BlockExpr>(E))
    return; // handled where the closure is created
  // A member object that holds no descriptor (`job.label = name`,
  // `job.label.assign(name)`: a std::string's method; `memcpy(a->magic,
  // ...)`: a char array): its siblings stay ours.
  if (const Expr *Bare = E->IgnoreParenImpCasts();
      isa<MemberExpr>(Bare) &&
      (Bare->getType()->isRecordType() || Bare->getType()->isArrayType()) &&
      !objectMayHoldDescriptor(Bare->getType()))
    return;
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
  // A truth value (`return pid_ > 0;`, `ok = fd >= 0 && ...`) gives away
  // nothing its operands name.
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->isComparisonOp() || BO->isLogicalOp()))
    return;
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot)
    return;
  for (const Stmt *C : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(C))
      handOffExpr(S, CE);
}

void FlowEngineImpl::noteChildWrite(const PathState &S, EndId E) {
  if (!S.childTask() || !R.Ends[E].isWriteSide())
    return;
  for (int D = int(E); D >= 0; D = R.Ends[EndId(D)].DupOf)
    ChildWritten.insert(EndId(D));
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
  // A pipe whose ends this process closed both, the read end without
  // reading it to end-of-file, while a forked child holds a copy: the child
  // may write the pipe with its copy of the read end open, and then the
  // close did not end it (checks/ChildReadEnds.h). Kept, so that a wait
  // for the child sees the read end closed rather than gone.
  // Only while a child may write the pipe (its branch writes the write end
  // or hands it to an unknown call, or it makes it its standard output):
  // a child that only inherited the pipe cannot fill it, and a function
  // that forks many such children would otherwise keep every pipe it ever
  // closed, each state growing with them (quadratic work).
  auto SharedRead = [&](EndId Rd, EndId Wr) {
    PathState::EndState St = S.get(Rd);
    return !R.Ends[Rd].isWriteSide() && St.Status == Closed &&
           (St.Flags & SharedWithChild) && !(St.Flags & Drained) &&
           S.get(Wr).Status == Closed && !S.inForkChild() &&
           childMayWrite(Wr);
  };
  const EndInfo &Info = R.Ends[E];
  if (!Done(E) || (Info.Peer >= 0 && !Done(EndId(Info.Peer))))
    return;
  if (Info.Peer >= 0 && (SharedRead(E, EndId(Info.Peer)) ||
                         SharedRead(EndId(Info.Peer), E)))
    return;
  llvm::SmallVector<EndId, 2> Gone{E};
  if (Info.Peer >= 0)
    Gone.push_back(EndId(Info.Peer));
  // A pipe of the caller's that this path closed: remembered (released()).
  if (SummaryMode && Info.Peer >= 0 && S.get(E).Status == Closed &&
      S.get(EndId(Info.Peer)).Status == Closed) {
    EndId W = Info.isWriteSide() ? E : EndId(Info.Peer);
    bool Callers = false;
    S.forEachHolder(W, [&](uint64_t K) {
      const ValueDecl *Base = PathState::unpackLoc(K).Base;
      for (const FunctionAnalysis::SeededPlace &P : R.Seeded)
        Callers |= P.Place.Base == Base && !P.ByValue;
    });
    if (Callers && !S.released(W))
      S.Released.insert(llvm::upper_bound(S.Released, W), W);
  }
  for (EndId X : Gone) {
    S.erase(X);
    llvm::SmallVector<uint64_t, 4> Places;
    S.forEachHolder(X, [&](uint64_t K) { Places.push_back(K); });
    for (uint64_t K : Places)
      S.putLoc(K, AbsVal::unknown());
  }
}

void FlowEngineImpl::store(PathState &S, const Lvalue &LV, const AbsVal &V) {
  if (LV.AnyIndex) {
    // base[i] = v with unknown i: whatever base held is now uncertain.
    auto [Lo, Hi] = PathState::keysWithin(LV.L);
    llvm::SmallVector<EndId, 4> Held;
    llvm::SmallVector<uint64_t, 4> Drop;
    S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &P) {
      if (P.K == AbsVal::End)
        Held.push_back(P.E);
      Drop.push_back(K);
      return true;
    });
    for (EndId E : Held)
      S.ref(E)->Flags |= Lost;
    handOffValue(S, V);
    Drop.clear();
    S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &) {
      Drop.push_back(K);
      return true;
    });
    for (uint64_t K : Drop)
      setLoc(S, PathState::unpackLoc(K), AbsVal::unknown());
    return;
  }
  if (!LV.Tracked) {
    handOffValue(S, V);
    return;
  }
  setLoc(S, LV.L, V);
}

void FlowEngineImpl::copyRecord(PathState &S, LocKey To, LocKey From) {
  if (!(From.Base && To.Base))
    return;
  llvm::SmallVector<std::pair<LocKey, AbsVal>, 4> Copies;
  llvm::SmallVector<AbsVal, 2> Lost;
  llvm::SmallVector<std::pair<LocKey, AbsVal>, 4> Within;
  auto [Lo, Hi] = PathState::keysWithin(From);
  S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &V) {
    Within.push_back({PathState::unpackLoc(K), V});
    return true;
  });
  for (const auto &P : Within) {
    if (!isWithin(P.first, From) || P.first == From)
      continue;
    SelPath Rest = P.first.Sel >> (16 * depthOf(From));
    if (std::optional<LocKey> Dest = descend(To, Rest))
      Copies.push_back({*Dest, P.second});
    else
      Lost.push_back(P.second); // deeper than a place can be: handed off
  }
  for (auto &C : Copies)
    setLoc(S, C.first, C.second);
  for (const AbsVal &V : Lost)
    handOffValue(S, V);
}

void FlowEngineImpl::initialize(LocKey L, QualType T, const Expr *Init,
                                PathState &S, unsigned Depth) {
  if (!Init)
    return;
  Init = objectInitializer(Init);
  if (const auto *CLE = dyn_cast<CompoundLiteralExpr>(Init))
    Init = CLE->getInitializer()->IgnoreParenImpCasts();
  if (const auto *ILE = dyn_cast<InitListExpr>(Init)) {
    // An element or member deeper than a place can be: what it is built
    // from is handed off.
    auto Element = [&](uint16_t Sel, QualType ET, const Expr *E) {
      if (auto C = child(L, Sel))
        initialize(*C, ET, E, S, Depth + 1);
      else
        handOffExpr(S, E);
    };
    QualType Canon = T.getCanonicalType();
    if (const auto *AT = dyn_cast<ConstantArrayType>(Canon.getTypePtr())) {
      for (unsigned I = 0; I < ILE->getNumInits(); ++I)
        Element(indexSel(I), AT->getElementType(), ILE->getInit(I));
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
        Element(fieldSel(F->getFieldIndex()), F->getType(), ILE->getInit(I));
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
  // `auto p = std::make_unique<Job>();`: the pointer it holds.
  if (!smartPointeeType(T).isNull()) {
    setLoc(S, L, heldPointer(Init, S));
    return;
  }
  if (T->isRecordType() || T->isArrayType()) {
    // A thread or future variable moved into a member of a braced list
    // (`Job{std::move(writer), p[0]}`): the member keeps the task.
    if (Depth > 0 && noteHandleCopied(L, Init, S))
      return;
    // A struct a summarised helper returned: its members are ours now.
    if (auto From = returnedStruct(Init, S)) {
      copyRecord(S, L, *From);
      copyTaskPlaces(*From, L);
      llvm::SmallVector<LocKey, 4> Moved;
      auto [Lo, Hi] = PathState::keysWithin(*From);
      S.Locs.forEachIn(Lo, Hi, [&](uint64_t K, const AbsVal &) {
        Moved.push_back(PathState::unpackLoc(K));
        return true;
      });
      for (LocKey K : Moved)
        setLoc(S, K, AbsVal::unknown());
      return;
    }
    // An object whose constructor only copies its parameters into members
    // (`UniqueFd rd(fds[0]);`, `Conn c(fd, port);`): those members hold the
    // arguments (ownsConstructorArgs()).
    // So does one built as an element of a braced list (`Pair{Fd(fds[0]),
    // Fd(fds[1])}`).
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(Init);
        CCE && (ownsConstructorArgs(CCE) || AssignedTemporaries.count(CCE) ||
                (Depth > 0 && constructorKeepsArgs(CCE)))) {
      llvm::SmallVector<std::pair<SelPath, const Expr *>, 4> Elements;
      aggregateElements(CCE, Elements);
      storeElements(L, Elements, S);
      return;
    }
    // A wrapper moved from a followed one (`UniqueFd b(std::move(a));`):
    // its descriptors move over, and what the move leaves stays behind.
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(Init))
      if (std::optional<Lvalue> Src = wrapperMoveSource(CCE, S)) {
        for (const auto &[Sel, Left] : movedMembers(CCE->getConstructor())) {
          std::optional<LocKey> From = child(Src->L, Sel), To = child(L, Sel);
          if (!From || !To)
            continue;
          setLoc(S, *To, S.load(*From));
          setLoc(S, *From, Left ? AbsVal::constant(*Left) : AbsVal::unknown());
        }
        return;
      }
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
    // Default construction by a constructor that does nothing but its
    // members' initializers (`Pipe p;` with `int rd = -1;` in the class):
    // the integer members they set to constants hold those constants.
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(Init))
      defaultInitializedMembers(CCE, L, S);
    return; // constructors of other classes were their own elements
  }
  setLoc(S, L, eval(Init, S));
  if (Depth > 0) // a member of a braced list: `(struct proc){pid, p[0]}`
    noteHandleCopied(L, Init, S);
}

void FlowEngineImpl::transferDecl(const VarDecl *VD, PathState &S) {
  const Expr *Init = VD->getInit();
  if (!Init)
    return;
  // The holding variable of a binding of a pair, tuple or array
  // (`auto [r, w] = make_pipe();`): the binding names the element
  // (bindingPlace()); nothing is given away.
  if (VD->isImplicit() && VD->getType()->isReferenceType())
    if (const auto *Get = dyn_cast<CallExpr>(Init->IgnoreImplicit())) {
      const Expr *Obj = nullptr;
      if (stdGetElement(Get, Obj))
        if (const auto *DRE =
                dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()))
          if (const auto *DD = dyn_cast<DecompositionDecl>(DRE->getDecl());
              DD && !DD->getType()->isReferenceType() &&
              isTrackableBase(DD))
            return;
    }
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

void FlowEngineImpl::transferInitializer(const CXXCtorInitializer *I,
                                         PathState &S) {
  const Expr *Init = I->getInit();
  if (!Init)
    return;
  const FieldDecl *F = I->getMember();
  std::optional<LocKey> L;
  if (ThisPlace && F)
    L = child(LocKey{ThisPlace, 0}, fieldSel(F->getFieldIndex()));
  if (!L || F->getType()->isReferenceType()) {
    // A base, a delegating constructor, an anonymous union's member, or a
    // `*this` we do not follow: whatever it is given is out of sight.
    handOffExpr(S, Init);
    return;
  }
  initialize(*L, F->getType(), Init, S, 0);
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
  S.ref(E)->Status = Closed;
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
      auto [Lo, Hi] = PathState::keysWithin(LV->L);
      S.Locs.forEachIn(Lo, Hi, [&](uint64_t, const AbsVal &P) {
        if (P.K == AbsVal::End)
          Closing.push_back(P.E);
        return true;
      });
      for (EndId E : Closing)
        S.ref(E)->Status = Closed;
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

void FlowEngineImpl::defaultInitializedMembers(const CXXConstructExpr *CCE,
                                               LocKey L, PathState &S) {
  if (CCE->getNumArgs() != 0)
    return;
  const FunctionDecl *Def = nullptr;
  if (!CCE->getConstructor()->hasBody(Def) || !Def)
    return;
  const auto *Ctor = cast<CXXConstructorDecl>(Def);
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Ctor->getBody());
  // (An empty base, such as std::pair's, sets nothing.)
  const CXXRecordDecl *RD = Ctor->getParent();
  if (!Body || !Body->body_empty() ||
      llvm::any_of(RD->bases(), [](const CXXBaseSpecifier &B) {
        const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
        return !Base || !Base->hasDefinition() || !Base->isEmpty();
      }))
    return;
  for (const CXXCtorInitializer *I : Ctor->inits()) {
    const FieldDecl *F = I->getMember();
    if (!F || !I->getInit())
      continue;
    // A member object built the same way (`struct Pipe { UniqueFd rd, wr;
    // };`): its members, one level down.
    if (const auto *Member = dyn_cast<CXXConstructExpr>(
            objectInitializer(I->getInit()));
        Member && L.Sel == 0 && F->getType()->isRecordType()) {
      if (std::optional<LocKey> M = child(L, fieldSel(F->getFieldIndex())))
        defaultInitializedMembers(Member, *M, S);
      continue;
    }
    if (!F->getType()->isIntegralOrEnumerationType())
      continue;
    const Expr *E = I->getInit();
    if (const auto *DIE = dyn_cast<CXXDefaultInitExpr>(E->IgnoreImplicit()))
      E = DIE->getExpr();
    if (std::optional<int64_t> C = integerConstant(E, Ctx))
      if (std::optional<LocKey> M = child(L, fieldSel(F->getFieldIndex())))
        setLoc(S, *M, AbsVal::constant(*C));
  }
}

} // namespace clang::tidy::pipe
