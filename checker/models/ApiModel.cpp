//===--- ApiModel.cpp - what each library call does to a pipe end --------===//
#include "models/ApiModel.h"
#include "summaries/CallerFacts.h"

#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"
#include "models/Callbacks.h"
#include "models/ProcessWrappers.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include <algorithm>
#include <tuple>

namespace clang::tidy::pipe {

namespace {

/// Evaluates an object-like macro that expands to an integer literal,
/// possibly through other macros and parentheses (glibc: O_CLOEXEC ->
/// __O_CLOEXEC -> 02000000).
bool evaluateMacro(const Preprocessor &PP, llvm::StringRef Name, int64_t &Out,
                   unsigned Depth = 0) {
  if (Depth > 8)
    return false;
  IdentifierInfo *II = PP.getIdentifierInfo(Name);
  if (!II || !II->hasMacroDefinition())
    return false;
  const MacroInfo *MI = PP.getMacroInfo(II);
  if (!MI || MI->isFunctionLike())
    return false;
  llvm::ArrayRef<Token> Toks = MI->tokens();
  while (Toks.size() >= 3 && Toks.front().is(tok::l_paren) &&
         Toks.back().is(tok::r_paren))
    Toks = Toks.drop_front().drop_back();
  if (Toks.size() != 1)
    return false;
  const Token &T = Toks.front();
  if (T.is(tok::identifier))
    return evaluateMacro(PP, T.getIdentifierInfo()->getName(), Out, Depth + 1);
  if (!T.is(tok::numeric_constant) || !T.getLiteralData())
    return false;
  llvm::StringRef Text(T.getLiteralData(), T.getLength());
  Text = Text.rtrim("uUlL");
  uint64_t V = 0;
  if (Text.getAsInteger(0, V))
    return false;
  Out = int64_t(V);
  return true;
}

} // namespace

void PlatformConstants::readFrom(const Preprocessor &PP) {
  evaluateMacro(PP, "O_CLOEXEC", OCloexec);
  evaluateMacro(PP, "O_NONBLOCK", ONonblock);
  evaluateMacro(PP, "SOCK_CLOEXEC", SockCloexec);
  evaluateMacro(PP, "SOCK_NONBLOCK", SockNonblock);
  evaluateMacro(PP, "FD_CLOEXEC", FdCloexec);
  evaluateMacro(PP, "F_DUPFD", FDupfd);
  evaluateMacro(PP, "F_GETFD", FGetfd);
  evaluateMacro(PP, "F_SETFD", FSetfd);
  evaluateMacro(PP, "F_GETFL", FGetfl);
  evaluateMacro(PP, "F_SETFL", FSetfl);
  evaluateMacro(PP, "F_DUPFD_CLOEXEC", FDupfdCloexec);
  evaluateMacro(PP, "F_SETPIPE_SZ", FSetpipeSz);
  evaluateMacro(PP, "MSG_DONTWAIT", MsgDontwait);
  evaluateMacro(PP, "SIGCHLD", SigChld);
}

llvm::ArrayRef<ModelOption> modelOptions() {
  static const ModelOption Options[] = {
      {"PipeCreateFunctions", ApiRole::CreatePipe, 0,
       "a list of functions that fill an int[2] like pipe(), separated by "
       "';', each 'name' or 'name:N' with N the index of the array argument"},
      {"CloseFunctions", ApiRole::Close, 0,
       "a list of functions that close a descriptor, separated by ';', each "
       "'name' or 'name:N' with N the index of the descriptor argument"},
      {"ReadFunctions", ApiRole::Read, 0,
       "a list of functions that block reading a descriptor, separated by "
       "';', each 'name' or 'name:N' with N the index of the descriptor "
       "argument"},
      {"WriteFunctions", ApiRole::Write, 0,
       "a list of functions that write to a descriptor, separated by ';', "
       "each 'name' or 'name:N' with N the index of the descriptor argument"},
      {"BorrowFunctions", ApiRole::Borrow, 0,
       "a list of functions that use a descriptor without keeping or closing "
       "it, separated by ';', each 'name'"},
      {"NoReturnFunctions", ApiRole::NoReturn, 0,
       "a list of functions that never return (fatal-error helpers), "
       "separated by ';', each 'name'"},
      {"ForkFunctions", ApiRole::Fork, -1,
       "a list of functions that fork like fork() (0 in the child, the "
       "child's pid in the parent, -1 on failure), separated by ';', each "
       "'name'"},
      {"SpawnFunctions", ApiRole::Spawn, -1,
       "a list of functions that run a program in a new child process that "
       "inherits every descriptor without close-on-exec, separated by ';', "
       "each 'name' (it returns the pid, or -1) or 'name:N' with N the index "
       "of the pid_t * argument it stores the pid through"},
      {"WaitFunctions", ApiRole::Wait, 0,
       "a list of functions that wait for a child process like waitpid(), "
       "separated by ';', each 'name' or 'name:N' with N the index of the "
       "pid argument"},
      {"ThreadStartFunctions", ApiRole::ThreadStart, -1,
       "a list of functions that start a thread like pthread_create(), "
       "separated by ';', each 'name', 'name:N' or 'name:N:M' with N the "
       "index of the function argument and M the index of the argument "
       "passed to it (by default the first function pointer argument and "
       "the one after it)"},
  };
  return Options;
}

void ApiModel::add(llvm::StringRef Name, ApiFunction F) {
  if (Name.contains("::"))
    QualifiedFunctions[Name.ltrim(':')] = F;
  else
    CFunctions[Name] = F;
}

ApiModel::ApiModel() {
  using R = ApiRole;
  add("pipe", {R::CreatePipe, 0});
  add("pipe2", {R::CreatePipe, 0, 1});
  add("socketpair", {R::CreateSocketPair, 3, 1});

  for (llvm::StringRef N : {"read", "pread", "pread64", "readv", "preadv",
                            "recv", "recvfrom", "recvmsg"})
    add(N, {R::Read, 0});
  for (llvm::StringRef N : {"fgetc", "getc", "fscanf", "vfscanf", "getc_unlocked"})
    add(N, {R::Read, 0, -1, true});
  add("fgets", {R::Read, 2, -1, true});
  add("fread", {R::Read, 3, -1, true});
  add("fread_unlocked", {R::Read, 3, -1, true});
  add("getline", {R::Read, 2, -1, true});
  add("getdelim", {R::Read, 3, -1, true});

  for (llvm::StringRef N : {"write", "pwrite", "pwrite64", "send", "sendto"})
    add(N, {R::Write, 0, 2});
  for (llvm::StringRef N : {"writev", "pwritev", "sendmsg", "dprintf", "vdprintf"})
    add(N, {R::Write, 0});
  for (llvm::StringRef N : {"fprintf", "vfprintf"})
    add(N, {R::Write, 0, -1, true});
  for (llvm::StringRef N : {"fputs", "fputc", "putc", "fputs_unlocked"})
    add(N, {R::Write, 1, -1, true});
  // fwrite(ptr, size, n, stream): the engine multiplies size and n.
  add("fwrite", {R::Write, 3, 1, true});
  add("fwrite_unlocked", {R::Write, 3, 1, true});

  add("close", {R::Close, 0});
  add("fclose", {R::Close, 0, -1, true});
  add("close_range", {R::CloseRange, 0});
  add("closefrom", {R::CloseRange, 0});

  add("dup", {R::Dup, 0});
  add("dup2", {R::Dup2, 0, 1});
  add("splice", {R::Copy, 0, 2});
  add("tee", {R::Copy, 0, 1});
  add("copy_file_range", {R::Copy, 0, 2});
  add("sendfile", {R::Copy, 1, 0});
  add("sendfile64", {R::Copy, 1, 0});
  add("dup3", {R::Dup2, 0, 1});
  add("fcntl", {R::Fcntl, 0, 1});
  add("fcntl64", {R::Fcntl, 0, 1});
  add("fdopen", {R::Fdopen, 0, 1});
  add("fileno", {R::Fileno, 0, -1, true});
  add("fileno_unlocked", {R::Fileno, 0, -1, true});

  add("fork", {R::Fork, -1});
  add("vfork", {R::Fork, -1});
  for (llvm::StringRef N : {"execl", "execlp", "execle", "execv", "execvp",
                            "execvpe", "execve", "fexecve", "execveat"})
    add(N, {R::Exec, -1});
  // The pid goes through argument 0 (Out), the file actions are argument 2.
  add("posix_spawn", {R::Spawn, -1, 2, false, /*Out=*/0});
  add("posix_spawnp", {R::Spawn, -1, 2, false, /*Out=*/0});
  add("system", {R::Shell, -1});
  add("popen", {R::Shell, -1});
  add("posix_spawn_file_actions_addclose", {R::FileActionClose, 1, 0});
  add("posix_spawn_file_actions_adddup2", {R::FileActionDup2, 1, 0});

  for (llvm::StringRef N : {"exit", "_exit", "_Exit", "abort", "quick_exit",
                            "err", "errx", "verr", "verrx", "__assert_fail",
                            "pthread_exit", "longjmp", "siglongjmp"})
    add(N, {R::NoReturn, -1});

  for (llvm::StringRef N : {"poll", "ppoll", "select", "pselect",
                            "epoll_wait", "epoll_pwait", "epoll_pwait2"})
    add(N, {R::Poll, -1});

  for (llvm::StringRef N :
       {"fstat", "fstat64", "fsync", "fdatasync", "isatty", "ioctl", "lseek",
        "lseek64", "ftruncate", "shutdown", "getsockopt", "setsockopt",
        "fchmod", "fchown", "flock", "lockf", "fstatfs", "posix_fadvise",
        "ttyname", "ttyname_r", "tcgetattr", "tcsetattr", "getpeername",
        "getsockname", "fflush",
        "ferror", "feof", "clearerr", "setvbuf", "setbuf", "setlinebuf",
        "ftell", "fseek", "rewind", "fcntl64", "splice", "tee", "vmsplice",
        "sendfile", "sendfile64", "copy_file_range", "epoll_ctl", "fpathconf",
        "posix_spawn_file_actions_init", "posix_spawn_file_actions_destroy",
        "posix_spawn_file_actions_addopen", "__fdelt_chk", "__fdelt_warn",
        "FD_ISSET", "FD_SET", "FD_CLR", "printf", "fdatasync", "strerror"})
    if (!CFunctions.count(N))
      add(N, {R::Borrow, 0});
}

std::string ApiModel::addEntries(const ModelOption &Opt, llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ';', -1, /*KeepEmpty=*/false);
  llvm::SmallVector<std::pair<llvm::StringRef, ApiFunction>, 8> Parsed;
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    llvm::StringRef Name = Part, ArgText;
    // Split "ns::fn:2" (or "fn:2:3") at the first single ':' that is not
    // part of a '::'.
    for (size_t I = 0; I < Part.size(); ++I) {
      if (Part[I] != ':')
        continue;
      if (I + 1 < Part.size() && Part[I + 1] == ':') {
        ++I;
        continue;
      }
      Name = Part.substr(0, I).trim();
      ArgText = Part.substr(I + 1).trim();
      break;
    }
    bool NameOk = !Name.empty();
    for (char C : Name)
      if (!(isalnum((unsigned char)C) || C == '_' || C == ':' || C == '~'))
        NameOk = false;
    if (!NameOk)
      return "entry '" + Part.str() +
             "' is not a function name (letters, digits, '_', ':' and '~')";
    ApiFunction F{Opt.Role, Opt.DefaultArg};
    // Thread-start entries take a second index: the function's argument.
    llvm::StringRef SecondText;
    if (Opt.Role == ApiRole::ThreadStart)
      std::tie(ArgText, SecondText) = ArgText.split(':');
    auto ParseIndex = [&](llvm::StringRef Text, int &Out) -> std::string {
      unsigned Idx = 0;
      if (Text.trim().getAsInteger(10, Idx) || Idx > 64)
        return "entry '" + Part.str() + "' has the argument index '" +
               Text.str() + "', not a number from 0 to 64";
      Out = int(Idx);
      return "";
    };
    if (Opt.Role == ApiRole::Fork && !ArgText.empty())
      return "entry '" + Part.str() +
             "' has an argument index, but a fork function takes none";
    if (!ArgText.empty()) {
      // A spawn function's index is where the pid goes.
      int &Target = Opt.Role == ApiRole::Spawn ? F.Out : F.Arg;
      if (std::string Problem = ParseIndex(ArgText, Target); !Problem.empty())
        return Problem;
    }
    if (!SecondText.empty()) {
      if (std::string Problem = ParseIndex(SecondText, F.Arg2);
          !Problem.empty())
        return Problem;
      if (F.Arg2 == F.Arg)
        return "entry '" + Part.str() +
               "' gives the same index to the function and its argument";
    }
    F.Wrapper = Opt.Role == ApiRole::Fork || Opt.Role == ApiRole::Spawn ||
                Opt.Role == ApiRole::Wait || Opt.Role == ApiRole::ThreadStart;
    Parsed.push_back({Name, F});
  }
  for (auto &P : Parsed)
    add(P.first, P.second);
  return "";
}

const Expr *ApiModel::fdopenDescriptor(const CallExpr *CE) const {
  const ApiFunction *F = CE ? lookup(calleeOf(CE)) : nullptr;
  if (!F || F->Role != ApiRole::Fdopen || F->Arg < 0 ||
      unsigned(F->Arg) >= CE->getNumArgs())
    return nullptr;
  return CE->getArg(unsigned(F->Arg));
}

const FunctionDecl *ApiModel::calleeOf(const CallExpr *CE) {
  // A call of a std::function parameter bound to a lambda (Callbacks.h).
  if (const FunctionDecl *FD = boundStdFunctionCall(CE))
    return FD;
  if (const FunctionDecl *FD = CE->getDirectCallee())
    return FD;
  const Expr *E = CE->getCallee();
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E);
        BO && BO->getOpcode() == BO_Comma) {
      E = BO->getRHS();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      // A function-pointer parameter bound at the call being summarised
      // (Callbacks.h).
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        return boundCallback(P);
      return dyn_cast<FunctionDecl>(DRE->getDecl());
    }
    return nullptr;
  }
  return nullptr;
}

const ApiFunction *ApiModel::lookup(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  const IdentifierInfo *II = FD->getIdentifier();
  if (II && !CFunctions.empty()) {
    const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
    bool GlobalC = DC->isTranslationUnit() || FD->isExternC() ||
                   (DC->isStdNamespace());
    if (GlobalC) {
      auto It = CFunctions.find(II->getName());
      if (It != CFunctions.end())
        return &It->second;
    }
  }
  if (!QualifiedFunctions.empty()) {
    auto It = QualifiedFunctions.find(FD->getQualifiedNameAsString());
    if (It != QualifiedFunctions.end())
      return &It->second;
  }
  if (FD->isNoReturn()) {
    static const ApiFunction NoReturn{ApiRole::NoReturn, -1};
    return &NoReturn;
  }
  if (ProjectFacts)
    if (const ApiFunction *P = projectEntry(FD))
      return P;
  return recognise(FD);
}

std::string ApiModel::projectRole(const ApiFunction &F) {
  const char *Name = nullptr;
  switch (F.Role) {
  case ApiRole::Fork:
    Name = "fork";
    break;
  case ApiRole::Spawn:
    Name = "spawn";
    break;
  case ApiRole::Wait:
    Name = "wait";
    break;
  case ApiRole::ThreadStart:
    Name = "thread";
    break;
  case ApiRole::NoReturn:
    Name = "noreturn";
    break;
  default:
    return {};
  }
  return std::string(Name) + "\t" + std::to_string(F.Arg) + "\t" +
         std::to_string(F.Arg2) + "\t" + std::to_string(F.Out) + "\t" +
         (F.Stream ? "1" : "0");
}

bool ApiModel::parseProjectRole(llvm::StringRef Text, ApiFunction &Out) {
  llvm::SmallVector<llvm::StringRef, 5> F;
  Text.split(F, '\t');
  if (F.size() != 5)
    return false;
  static const std::pair<const char *, ApiRole> Roles[] = {
      {"fork", ApiRole::Fork},
      {"spawn", ApiRole::Spawn},
      {"wait", ApiRole::Wait},
      {"thread", ApiRole::ThreadStart},
      {"noreturn", ApiRole::NoReturn}};
  auto It = llvm::find_if(Roles, [&](const auto &R) { return F[0] == R.first; });
  int Arg = 0, Arg2 = 0, OutArg = 0, Stream = 0;
  if (It == std::end(Roles) || F[1].getAsInteger(10, Arg) ||
      F[2].getAsInteger(10, Arg2) || F[3].getAsInteger(10, OutArg) ||
      F[4].getAsInteger(10, Stream))
    return false;
  Out = ApiFunction{It->second, Arg};
  Out.Arg2 = Arg2;
  Out.Out = OutArg;
  Out.Stream = Stream != 0;
  // A program's own function: what its role does not account for is
  // handed off, as for a wrapper recognised here.
  Out.Wrapper = It->second != ApiRole::NoReturn;
  return true;
}

const ApiFunction *ApiModel::projectEntry(const FunctionDecl *FD) const {
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) || !FD->isExternallyVisible())
    return nullptr; // read here, or no other file can define it
  FD = FD->getCanonicalDecl();
  auto [It, New] = ProjectEntries.try_emplace(FD);
  if (!New)
    return It->second.get();
  llvm::SmallString<128> Usr;
  if (index::generateUSRForDecl(FD, Usr))
    return nullptr;
  std::string Role = ProjectFacts->modelOf(Usr);
  ApiFunction F{ApiRole::Borrow, -1};
  if (!Role.empty() && parseProjectRole(Role, F))
    It->second = std::make_unique<ApiFunction>(F);
  return It->second.get();
}

const ApiFunction *ApiModel::recognise(const FunctionDecl *FD) const {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || !Def->getBody())
    return nullptr;
  unsigned Levels = RecognisePending >= MaxWrapperDepth
                        ? 0
                        : MaxWrapperDepth - RecognisePending;
  auto It = Recognised.find(Def);
  if (It != Recognised.end()) {
    // In progress: a function that calls itself, directly or not, is not
    // a thin wrapper.
    if (It->second.InProgress)
      return nullptr;
    if (It->second.Done) {
      if (RecognisePending + It->second.Height > MaxWrapperDepth) {
        RecogniseCut = true;
        return nullptr;
      }
      RecogniseHeight = std::max(RecogniseHeight, It->second.Height);
      return It->second.F.get();
    }
    if (Levels <= It->second.CutWithLevels) {
      RecogniseCut = true;
      return nullptr;
    }
  }
  // A wrapper of a wrapper of ...: deeper than MaxWrapperDepth, nothing.
  if (Levels == 0) {
    RecogniseCut = true;
    return nullptr;
  }
  Recognised[Def].InProgress = true;
  unsigned OuterHeight = RecogniseHeight;
  bool OuterCut = RecogniseCut;
  RecogniseHeight = 0;
  RecogniseCut = false;
  ++RecognisePending;
  std::optional<ApiFunction> F = recogniseProcessWrapper(Def, *this);
  --RecognisePending;
  unsigned Height = RecogniseHeight + 1;
  bool Cut = RecogniseCut;
  RecogniseHeight = std::max(OuterHeight, Height);
  RecogniseCut = OuterCut || Cut;
  if (Cut) {
    // Incomplete: no answer (asked again with more levels left, it may
    // be complete), but not read again with as few levels.
    RecognisedEntry &E = Recognised[Def];
    E.InProgress = false;
    E.CutWithLevels = std::max(E.CutWithLevels, Levels);
    return nullptr;
  }
  RecognisedEntry &E = Recognised[Def];
  E.InProgress = false;
  E.Done = true;
  E.Height = Height;
  if (!F)
    return nullptr;
  E.F = std::make_unique<ApiFunction>(*F);
  // A dup or dup2 wrapper keeps the descriptor the caller's.
  E.F->Wrapper = F->Role != ApiRole::Dup && F->Role != ApiRole::Dup2;
  return E.F.get();
}

StartResult startResultOf(const FunctionDecl *FD) {
  QualType T = FD ? FD->getReturnType() : QualType();
  if (T.isNull() || T->isVoidType())
    return StartResult::NoFailure;
  if (T->isBooleanType())
    return StartResult::TrueOnSuccess;
  // pthread_t, or a handle of another kind: returned on success.
  if (const auto *TT = T->getAs<TypedefType>();
      TT && TT->getDecl()->getName() == "pthread_t")
    return StartResult::NoFailure;
  if (T->isIntegerType())
    return StartResult::ErrorNumber;
  return StartResult::NoFailure;
}

} // namespace clang::tidy::pipe
