//===--- FdCopies.cpp - descriptor numbers dup2() made copies of an end ---===//
//
// `dup2(fds[1], STDOUT_FILENO)` makes descriptor 1 a second descriptor of
// the pipe's write end: closing fds[1] afterwards leaves the pipe open, and
// a read of fds[0] until end-of-file in this process waits for fd 1 to be
// closed too. The path state keeps, for each descriptor number given to
// dup2() as a constant (0, 1, 2 and any other; `fileno(stdout)` is 1), the
// write-side end it is a copy of (PathState::FdCopy). The copy is released
// by close() of that number, fclose() of its standard stream, another
// dup2() onto it (`dup2(saved, 1)` restores the old output), and forgotten
// (as if released: nothing is reported from it) wherever the analysis
// cannot see what happens to the number: a dup2() onto a number it cannot
// evaluate, close_range()/closefrom(), a call through a pointer, a function
// declared outside the system headers without a body, a helper of the file
// whose body (three deep) closes, dup2()s, execs or calls such a function,
// and system functions that redirect the standard streams (freopen(),
// daemon(), login_tty(), fcloseall()). A fork() child starts with the parent's copies, as with
// the ends.
//
//===----------------------------------------------------------------------===//
#include "engine/FlowEngine.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"
#include <algorithm>
#include <iterator>

namespace clang::tidy::pipe {

namespace {

/// `stdin`, `stdout`, `stderr` (glibc: `extern FILE *stdout;`, a macro of
/// itself): 0, 1, 2.
std::optional<int> stdStreamNumber(const Expr *E) {
  if (!E)
    return std::nullopt;
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->getIdentifier() || !VD->hasGlobalStorage())
    return std::nullopt;
  return llvm::StringSwitch<std::optional<int>>(VD->getName())
      .Case("stdin", 0)
      .Case("stdout", 1)
      .Case("stderr", 2)
      .Default(std::nullopt);
}

/// `fileno(stdout)`: 1.
std::optional<int> filenoOfStdStream(const Expr *E) {
  const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || FD->getName() != "fileno" ||
      CE->getNumArgs() != 1)
    return std::nullopt;
  return stdStreamNumber(CE->getArg(0));
}

void releaseNumber(llvm::SmallVectorImpl<PathState::FdCopy> &V, int Fd) {
  V.erase(std::remove_if(V.begin(), V.end(),
                         [&](const PathState::FdCopy &C) { return C.Fd == Fd; }),
          V.end());
}

/// Functions the model does not know that redirect or close the standard
/// streams or any descriptor.
bool redirectsDescriptors(llvm::StringRef N) {
  return N == "freopen" || N == "freopen64" || N == "daemon" ||
         N == "login_tty" || N == "fcloseall" || N == "forkpty" ||
         N == "closefrom" || N == "close_range";
}

/// May a call of \p FD, whose body is in the translation unit, close or
/// redirect a descriptor number (a dup2(), a close(), an fclose(), a call
/// it cannot see), three helpers deep?
bool helperMayRedirect(const FunctionDecl *FD, const ApiModel &Model,
                       const SourceManager &SM, unsigned Depth) {
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() || Depth > 3)
    return true;
  llvm::SmallVector<const Stmt *, 32> Stack{Def->getBody()};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      if (!Callee)
        return true;
      if (const ApiFunction *Api = Model.lookup(Callee)) {
        switch (Api->Role) {
        case ApiRole::Close:
        case ApiRole::CloseRange:
        case ApiRole::Dup2:
        case ApiRole::Exec:
          return true;
        default:
          if (Api->Wrapper)
            return true;
          break;
        }
      } else if (SM.isInSystemHeader(Callee->getLocation())) {
        if (Callee->getIdentifier() &&
            redirectsDescriptors(Callee->getName()))
          return true;
      } else if (helperMayRedirect(Callee, Model, SM, Depth + 1)) {
        return true;
      }
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

} // namespace

bool readsBeforeRedirecting(const Stmt *Body, const ApiModel &Model,
                            const SourceManager &SM) {
  SourceLocation FirstRead, FirstRedirect;
  auto Earlier = [&](SourceLocation A, SourceLocation B) {
    return B.isInvalid() || SM.isBeforeInTranslationUnit(A, B);
  };
  llvm::SmallVector<const Stmt *, 32> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return false;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      SourceLocation L = SM.getExpansionLoc(CE->getBeginLoc());
      const FunctionDecl *Callee = ApiModel::calleeOf(CE);
      const ApiFunction *Api = Callee ? Model.lookup(Callee) : nullptr;
      bool Redirects = false;
      if (!Callee) {
        Redirects = true;
      } else if (Api) {
        Redirects = Api->Role == ApiRole::Close ||
                    Api->Role == ApiRole::CloseRange ||
                    Api->Role == ApiRole::Dup2 || Api->Role == ApiRole::Exec ||
                    Api->Wrapper;
        if (Api->Role == ApiRole::Read && Earlier(L, FirstRead))
          FirstRead = L;
      } else if (SM.isInSystemHeader(Callee->getLocation())) {
        Redirects = Callee->getIdentifier() &&
                    redirectsDescriptors(Callee->getName());
      } else {
        Redirects = helperMayRedirect(Callee, Model, SM, 1);
      }
      if (Redirects && Earlier(L, FirstRedirect))
        FirstRedirect = L;
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return FirstRead.isValid() &&
         (FirstRedirect.isInvalid() ||
          SM.isBeforeInTranslationUnit(FirstRead, FirstRedirect));
}

void FlowEngineImpl::transferDup2Copy(const CallExpr *CE,
                                      std::optional<EndId> Src,
                                      const Expr *Target, PathState &S) const {
  std::optional<int> Fd;
  if (Target) {
    AbsVal V = eval(Target, S);
    if (V.isConst() && V.Lo >= 0 && V.Lo <= INT32_MAX)
      Fd = int(V.Lo);
    else
      Fd = filenoOfStdStream(Target);
  }
  if (!Fd) {
    // Some descriptor we cannot name now holds whatever it was given.
    S.FdCopies.clear();
    return;
  }
  makeFdCopy(S, *Fd, Src, CE);
}

void FlowEngineImpl::makeFdCopy(PathState &S, int Fd, std::optional<EndId> Src,
                                const Expr *Site) const {
  releaseNumber(S.FdCopies, Fd);
  if (!Src || !R.Ends[*Src].isWriteSide() || S.status(*Src) != Open ||
      S.hasFlag(*Src, Lost))
    return;
  PathState::FdCopy C{Fd, *Src, Site};
  S.FdCopies.insert(llvm::upper_bound(S.FdCopies, C), C);
}

void FlowEngineImpl::releaseClosedCopy(const Expr *Arg, PathState &S) const {
  if (S.FdCopies.empty())
    return;
  std::optional<int> Fd = stdStreamNumber(Arg);
  if (!Fd) {
    AbsVal V = eval(Arg, S);
    if (V.isConst())
      Fd = int(V.Lo);
    else if (auto N = filenoOfStdStream(Arg))
      Fd = *N;
  }
  if (Fd) {
    releaseNumber(S.FdCopies, *Fd);
    return;
  }
  // A number we cannot tell may be one of them; an end this function
  // made (a pipe's, a dup()'s) is not, but a descriptor parameter may be.
  AbsVal V = eval(Arg, S);
  if (V.K != AbsVal::End || R.Ends[V.E].Kind == EndKind::Parameter)
    S.FdCopies.clear();
}

void FlowEngineImpl::forgetCopiesAtCall(const CallExpr *CE,
                                        const FunctionDecl *Callee,
                                        PathState &S) const {
  if (!Callee) {
    S.FdCopies.clear(); // through a pointer: anything
    return;
  }
  const FunctionDecl *Def = Callee->getDefinition();
  const SourceManager &SM = Ctx.getSourceManager();
  bool System = SM.isInSystemHeader(Callee->getLocation()) &&
                (!Def || SM.isInSystemHeader(Def->getLocation()));
  if (!System) {
    // A helper of the file that closes, redirects or calls what we cannot
    // see (or a function declared by the program, without a body).
    if (helperMayRedirect(Callee, Model, SM, 1))
      S.FdCopies.clear();
    return;
  }
  if (!Callee->getIdentifier())
    return;
  llvm::StringRef N = Callee->getName();
  if (N == "freopen" || N == "freopen64") {
    std::optional<int> Fd =
        CE->getNumArgs() == 3 ? stdStreamNumber(CE->getArg(2)) : std::nullopt;
    if (Fd)
      releaseNumber(S.FdCopies, *Fd);
    else
      S.FdCopies.clear();
    return;
  }
  if (redirectsDescriptors(N))
    S.FdCopies.clear();
}

void FlowEngineImpl::dropCopiesOf(EndId E, PathState &S) {
  S.FdCopies.erase(std::remove_if(S.FdCopies.begin(), S.FdCopies.end(),
                                  [&](const PathState::FdCopy &C) {
                                    return C.E == E;
                                  }),
                   S.FdCopies.end());
}

void FlowEngineImpl::joinFdCopies(PathState &J, const PathState &A,
                                  const PathState &B) {
  // A copy on some merged path: the union, as a read that hangs on one
  // path hangs.
  J.FdCopies.clear();
  std::set_union(A.FdCopies.begin(), A.FdCopies.end(), B.FdCopies.begin(),
                 B.FdCopies.end(), std::back_inserter(J.FdCopies));
}

} // namespace clang::tidy::pipe
