//===--- CallerFactsTU.cpp - caller facts of one translation unit --------===//
//
// The two sides of the project's caller facts (CallerFacts.h) that need a
// translation unit: recording what its call sites do (the first pass,
// recordFacts()), and asking the project's facts about one of its
// functions whose calls it cannot all see (projectCallersEnd()). Both use
// the caller-context recogniser of CallSiteOutcome.cpp as it is.
//
//===----------------------------------------------------------------------===//

#include "summaries/CallerContext.h"
#include "Compat.h"
#include "summaries/CallerContextDetail.h"
#include "summaries/CallerFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::pipe {

using namespace callerdetail;

namespace {

using Outcome = CallerContext::Outcome;

/// A function whose calls can all be named: not main, a lambda, a virtual
/// function, a constructor, destructor, conversion or operator, or a
/// template (the same as CallerContext::callsAllKnown(), but for where its
/// declarations are).
bool nameable(const FunctionDecl *F) {
  if (!F || F->isMain() || F->isOverloadedOperator() ||
      F->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
      F->isDependentContext())
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F))
    if (MD->getParent()->isLambda() || MD->isVirtual() ||
        isa<CXXConstructorDecl>(MD) || isa<CXXDestructorDecl>(MD) ||
        isa<CXXConversionDecl>(MD))
      return false;
  return true;
}

/// A result the recogniser can bind to an interval: an integer, an
/// enumerator, a bool or a pointer.
bool returnsScalar(const FunctionDecl *F) {
  QualType T = F->getReturnType();
  return T->isIntegralOrEnumerationType() || T->isPointerType();
}

/// The USR of \p D, or empty (none, or one a facts line cannot hold).
std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (index::generateUSRForDecl(D, Buf))
    return {};
  std::string U(Buf.str());
  if (U.find_first_of("\t\n\r") != std::string::npos)
    return {};
  return U;
}

/// The real path of the file \p L is in (its expansion), or empty.
std::string realFile(const SourceManager &SM, SourceLocation L) {
  L = SM.getExpansionLoc(L);
  llvm::StringRef Name = SM.getFilename(L);
  if (Name.empty())
    return {};
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Name, Real)) {
    Real = Name;
    llvm::sys::fs::make_absolute(Real);
  }
  std::string R(Real.str());
  if (R.find_first_of("\t\n\r") != std::string::npos)
    return {};
  return R;
}

} // namespace

bool CallerContext::factsKnow(const FunctionDecl *F) {
  if (!Facts || !F)
    return false;
  F = F->getCanonicalDecl();
  auto It = CallsOf.find(F);
  bool Taken = It != CallsOf.end() && It->second.Taken;
  // Internal linkage: only pointers could call it from another file.
  if (!nameable(F) || (!F->isExternallyVisible() && !Taken))
    return false;
  const FunctionDecl *Def = nullptr;
  if (!F->hasBody(Def) || !Def)
    return false;
  std::string Usr = usrOf(F);
  const CallerFacts::Function *Fn = Usr.empty() ? nullptr : Facts->find(Usr);
  // The facts must have seen this very definition: facts of another
  // project (or of another program of this one) say nothing about it.
  return Fn && Fn->DefFiles.count(
                   realFile(Ctx.getSourceManager(), Def->getLocation()));
}

bool CallerContext::projectCallersEnd(const FunctionDecl *F, Interval V,
                                      unsigned Depth) {
  if (Depth > MaxDepth || !factsKnow(F))
    return false;
  F = F->getCanonicalDecl();
  auto It = CallsOf.find(F);
  std::string Usr = usrOf(F);
  // The calls here, followed as ever (the facts may not have this unit),
  // with those through a pointer of its type.
  if (It != CallsOf.end()) {
    if (It->second.Escapes)
      return false;
    std::vector<CallRef> Here = It->second.Calls;
    for (const std::string &Key : It->second.TakenAs) {
      if (EscapingTypes.count(Key))
        return false;
      if (auto I = IndirectCalls.find(Key); I != IndirectCalls.end())
        Here.insert(Here.end(), I->second.begin(), I->second.end());
    }
    if (!everyCallEnds(F, Here, V, Depth))
      return false;
  }
  return Facts->callersEnd(Usr, !V.Known, V.Lo, V.Hi, Depth, MaxDepth);
}

void CallerContext::recordFacts(llvm::raw_ostream &OS) {
  scan();
  const SourceManager &SM = Ctx.getSourceManager();
  // A unit that did not compile may have lost calls: every function it
  // names is unknown to the facts.
  bool Broken = Ctx.getDiagnostics().hasUncompilableErrorOccurred();
  auto Own = [&](const FunctionDecl *F) {
    return F && !SM.isInSystemHeader(SM.getExpansionLoc(F->getLocation()));
  };
  llvm::StringMap<std::string> Usrs;
  auto UsrOf = [&](const FunctionDecl *F) -> const std::string & {
    F = F->getCanonicalDecl();
    std::string Key = std::to_string(reinterpret_cast<uintptr_t>(F));
    auto [It, New] = Usrs.try_emplace(Key);
    if (New)
      It->second = usrOf(F);
    return It->second;
  };
  // One call's `call` and `any` lines; the caller by name, when its own
  // calls can be named too, else the answer of this unit for it.
  auto RecordCall = [&](llvm::StringRef Prefix, const std::string &Callee,
                        const CallRef &C, bool Scalar) {
    std::string Caller;
    if (C.Caller && nameable(C.Caller->getCanonicalDecl()))
      Caller = UsrOf(C.Caller);
    recordCallFacts(OS, Prefix, Callee, C, Caller, Scalar);
  };
  OS << CallerFacts::Header << "\n";
  for (const FunctionDecl *D : Defined) {
    if (!Own(D) || !nameable(D->getCanonicalDecl()))
      continue;
    std::string File = realFile(SM, D->getLocation());
    const std::string &U = UsrOf(D);
    if (U.empty() || File.empty())
      continue;
    OS << "def\t" << U << "\t" << File << "\n";
    // What the model makes of the body, for the files that call it
    // without it: a process or thread wrapper, or a function that never
    // returns.
    if (!D->isExternallyVisible())
      continue;
    std::string Role;
    if (const ApiFunction *A = Model.lookup(D); A && A->Wrapper)
      Role = ApiModel::projectRole(*A);
    else if (!D->isNoReturn() && functionEnds(D, 0))
      Role = ApiModel::projectRole(ApiFunction{ApiRole::NoReturn, -1});
    if (!Role.empty())
      OS << "model\t" << U << "\t" << File << "\t" << Role << "\n";
  }
  for (const auto &Entry : CallsOf) {
    const FunctionDecl *F = Entry.first;
    if (!Own(F))
      continue;
    const std::string &U = UsrOf(F);
    if (U.empty())
      continue;
    if (Entry.second.Escapes || Broken) {
      OS << "escape\t" << U << "\n";
      continue;
    }
    if (!nameable(F))
      continue;
    if (Entry.second.Taken) {
      OS << "taken\t" << U;
      for (const std::string &Key : Entry.second.TakenAs)
        OS << "\t" << Key;
      OS << "\n";
    }
    for (const CallRef &C : Entry.second.Calls)
      RecordCall("", U, C, returnsScalar(F));
  }
  // Calls through pointers, by the pointer's type (FunctionPointers.cpp).
  for (const auto &Entry : IndirectCalls) {
    if (Entry.getKey().find_first_of("\t\n\r") != llvm::StringRef::npos)
      continue;
    if (Broken) {
      OS << "typeescape\t" << Entry.getKey() << "\n";
      continue;
    }
    for (const CallRef &C : Entry.getValue()) {
      QualType T = C.Call->getType();
      RecordCall("i", Entry.getKey().str(), C,
                 T->isIntegralOrEnumerationType() || T->isPointerType());
    }
  }
  for (const auto &K : EscapingTypes)
    if (K.getKey().find_first_of("\t\n\r") == llvm::StringRef::npos)
      OS << "typeescape\t" << K.getKey() << "\n";
}

void CallerContext::recordCallFacts(llvm::raw_ostream &OS,
                                    llvm::StringRef Prefix,
                                    llvm::StringRef Callee, const CallRef &C,
                                    const std::string &Caller, bool Scalar) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::string U = Callee.str();
  PresumedLoc P =
      SM.getPresumedLoc(SM.getExpansionLoc(compat::callBegin(C.Call)));
  std::string Where = realFile(SM, compat::callBegin(C.Call)) + ":" +
                      std::to_string(P.isValid() ? P.getLine() : 0) + ":" +
                      std::to_string(P.isValid() ? P.getColumn() : 0);
  // Whatever F returns (CallerContext::Binding::Strict).
  {
    Outcome O = afterCall(C.Call, CallerContext::Interval(), Frame{C.Caller, 0},
                          /*Strict=*/true);
    CallerFacts::Outcome Fact;
    if (O.K == Outcome::Ends) {
      Fact.K = 'E';
    } else if (O.K == Outcome::Returns && !Caller.empty()) {
      Fact.K = O.V.Known ? 'R' : 'V';
      Fact.Lo = O.V.Known ? O.V.Lo : 0;
      Fact.Hi = O.V.Known ? O.V.Hi : 0;
    } else if (O.K == Outcome::Returns && C.Caller &&
               callersEnd(C.Caller, O.V, 1)) {
      Fact.K = 'E'; // a lambda's callers, all here
    }
    OS << Prefix << "any\t" << U << "\t" << (Caller.empty() ? "-" : Caller)
       << "\t" << Where << "\t" << CallerFacts::format(Fact) << "\n";
  }
  if (!Scalar)
    return;
  bool Ignored = resultIgnored(C);
  OS << Prefix << "call\t" << U << "\t" << (Caller.empty() ? "-" : Caller)
     << "\t" << Where << "\t";
  for (unsigned I = 0; I < CallerFacts::NumProbes; ++I) {
    const CallerFacts::Probe &Pr = CallerFacts::Probes[I];
    Outcome O = afterCall(C.Call, known(Pr.Lo, Pr.Hi), Frame{C.Caller, 0});
    CallerFacts::Outcome Fact;
    if (O.K == Outcome::Ends) {
      Fact.K = 'E';
    } else if (O.K == Outcome::Returns && O.V.Known && !Caller.empty()) {
      Fact.K = 'R';
      Fact.Lo = O.V.Lo;
      Fact.Hi = O.V.Hi;
    } else if (O.K == Outcome::Returns && C.Caller &&
               callersEnd(C.Caller, O.V, 1)) {
      Fact.K = 'E'; // a lambda's callers, all here
    } else {
      Fact.K = Ignored ? 'I' : 'U';
    }
    OS << (I ? " " : "") << CallerFacts::format(Fact);
  }
  OS << "\n";
}

bool CallerContext::resultIgnored(const CallRef &C) {
  Frame F{C.Caller, 0};
  const Stmt *S = C.Call;
  ParentNode P = parentIn(F, S);
  for (unsigned Guard = 0; Guard < 8 && P.Unique && P.S; ++Guard) {
    const auto *CE = dyn_cast<CastExpr>(P.S);
    if (!isa<ParenExpr>(P.S) && !isa<FullExpr>(P.S) &&
        !(CE && (isa<ImplicitCastExpr>(CE) ||
                 CE->getCastKind() == CK_ToVoid)))
      break;
    S = P.S;
    P = parentIn(F, S);
  }
  if (!P.Unique || !P.S)
    return false;
  if (const auto *If = dyn_cast<IfStmt>(P.S))
    return If->getCond() != S && If->getInit() != S;
  return isa<CompoundStmt>(P.S) || isa<LabelStmt>(P.S) ||
         isa<AttributedStmt>(P.S);
}

} // namespace clang::tidy::pipe
