//===--- ClangdDefaults.cpp - pipe-clangd's defaults over clangd's --------===//
//
// clangd, unconfigured, runs a fixed list of clang-tidy checks, and from
// clangd 18 on its FastCheckFilter (default Strict) drops every check it has
// not timed as fast, which includes every check linked in from outside.
// pipe-clangd users would then see no pipe finding, and nothing in the log
// says why, unless a .clangd both adds pipe-* and sets FastCheckFilter: None.
// pipe-clangd therefore changes three things, by replacing clangd functions
// at link time (ld --wrap, set in CMakeLists.txt). A renamed function, or
// one whose parameters changed, makes the link fail; a return type is not
// in the mangled name, so each LLVM major's is spelt out below, and an
// unknown major stops the build.
//
// - provideDefaultChecks(): when no configuration names clang-tidy checks
//   (no .clang-tidy Checks, no .clangd ClangTidy.Add), the pipe checks run
//   along with clangd's defaults. A configuration that names checks is
//   obeyed as it is; when it leaves all pipe checks out, the log says so,
//   once per distinct list.
// - isFastTidyCheck(): the pipe checks count as fast, so FastCheckFilter
//   keeps them. clangd's TidyFastChecks.py calls a check fast when it adds
//   under 8% to parsing one file (clang's Sema.cpp); ours add 4.2% to the
//   median translation unit of our corpus, over clang-tidy without them
//   (docs/measuring.md).
// - featureString(): without "+grpc". Debian's clangd library is built with
//   the remote index, which pipe-clangd does not link (NoRemoteIndex.cpp);
//   --version and the LSP serverInfo said otherwise.
//
//===----------------------------------------------------------------------===//
#include "Compat.h" // the module registry's header (checker/Compat.h)
#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"

#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pipe_tidy::clangd_hooks {

// clang-tools-extra/clangd/TidyProvider.h; the LLVM packages do not install
// clangd's headers. TidyProvider is in combine()'s mangled name, the same in
// LLVM 19 and 22. provideDefaultChecks() returns a TidyProviderRef (a
// function_ref to a captureless lambda) in LLVM 19, a TidyProvider in 22
// (seen in libclangDaemon.a: function_ref<...>::callback_fn<
// provideDefaultChecks()::$_0> in 19, UniqueFunctionBase<...>::CallImpl<
// provideDefaultChecks()::$_0> in 22).
using TidyProvider = llvm::unique_function<void(
    clang::tidy::ClangTidyOptions &, llvm::StringRef /*Filename*/) const>;
using TidyProviderRef = llvm::function_ref<void(
    clang::tidy::ClangTidyOptions &, llvm::StringRef /*Filename*/)>;
#if LLVM_VERSION_MAJOR == 19
using DefaultChecksProvider = TidyProviderRef;
#elif LLVM_VERSION_MAJOR == 22
using DefaultChecksProvider = TidyProvider;
#else
#error "pipe-clangd: the return type of clangd's provideDefaultChecks() in this LLVM is unknown; check TidyProvider.h and add it here"
#endif

// The originals (clang::clangd::...), as ld --wrap names them.
DefaultChecksProvider realProvideDefaultChecks() __asm__(
    "__real__ZN5clang6clangd20provideDefaultChecksEv");
std::optional<bool> realIsFastTidyCheck(llvm::StringRef Check) __asm__(
    "__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");
std::string realFeatureString() __asm__(
    "__real__ZN5clang6clangd13featureStringB5cxx11Ev");

// What clangd calls instead.
DefaultChecksProvider provideDefaultChecks() __asm__(
    "__wrap__ZN5clang6clangd20provideDefaultChecksEv");
std::optional<bool> isFastTidyCheck(llvm::StringRef Check) __asm__(
    "__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");
std::string featureString() __asm__(
    "__wrap__ZN5clang6clangd13featureStringB5cxx11Ev");

namespace {

bool isPipeCheck(llvm::StringRef Check) { return Check.starts_with("pipe-"); }

/// The names of the pipe checks linked in (checker/PipeTidyModule.cpp).
const std::vector<std::string> &pipeChecks() {
  static const std::vector<std::string> Names = [] {
    clang::tidy::ClangTidyCheckFactories Factories;
    for (const auto &E : clang::tidy::ClangTidyModuleRegistry::entries())
      E.instantiate()->addCheckFactories(Factories);
    std::vector<std::string> Result;
    for (const auto &F : Factories)
      if (isPipeCheck(F.getKey()))
        Result.push_back(F.getKey().str());
    return Result;
  }();
  return Names;
}

/// Says in clangd's log, once per list, that a configured list of checks
/// runs no pipe check. Each list is looked at once: this runs at every
/// parse.
void logIfNoPipeCheck(const std::string &Checks, llvm::StringRef File) {
  static std::mutex Mu;
  static llvm::StringSet<> Seen;
  std::lock_guard<std::mutex> Lock(Mu);
  if (!Seen.insert(Checks).second)
    return;
  clang::tidy::GlobList Globs(Checks);
  for (const std::string &Name : pipeChecks())
    if (Globs.contains(Name))
      return;
  llvm::errs() << "pipe-clangd: the clang-tidy checks configured for " << File
               << " enable no pipe-* check (Checks: '"
               << llvm::StringRef(Checks).trim() << "'"
               << "); add pipe-* to the Checks of .clang-tidy or to "
                  "Diagnostics: ClangTidy: Add: in .clangd\n";
}

} // namespace

namespace {
/// clangd's defaults (\p Stock), and the pipe checks with them.
template <typename Provider>
void applyDefaults(const Provider &Stock, clang::tidy::ClangTidyOptions &Opts,
                   llvm::StringRef File) {
  bool NoneNamed = !Opts.Checks || Opts.Checks->empty();
  Stock(Opts, File);
  if (!NoneNamed) {
    logIfNoPipeCheck(*Opts.Checks, File);
    return;
  }
  if (Opts.Checks && !Opts.Checks->empty())
    Opts.Checks->append(",pipe-*");
  else
    Opts.Checks = "pipe-*";
}
} // namespace

#if LLVM_VERSION_MAJOR == 19
DefaultChecksProvider provideDefaultChecks() {
  // A function_ref must refer to something that outlives it: a static
  // lambda. Upstream's own refers to a temporary captureless lambda, which
  // works because calling it reads nothing from the object; keep a copy of
  // that reference.
  static const TidyProviderRef Stock = realProvideDefaultChecks();
  static const auto Ours = [](clang::tidy::ClangTidyOptions &Opts,
                              llvm::StringRef File) {
    applyDefaults(Stock, Opts, File);
  };
  return Ours;
}
#else
DefaultChecksProvider provideDefaultChecks() {
  return [Stock = realProvideDefaultChecks()](
             clang::tidy::ClangTidyOptions &Opts, llvm::StringRef File) {
    applyDefaults(Stock, Opts, File);
  };
}
#endif

std::optional<bool> isFastTidyCheck(llvm::StringRef Check) {
  if (isPipeCheck(Check))
    return true;
  return realIsFastTidyCheck(Check);
}

std::string featureString() {
  std::string Features = realFeatureString();
  for (size_t At; (At = Features.find("+grpc")) != std::string::npos;)
    Features.erase(At, 5);
  return Features;
}

} // namespace pipe_tidy::clangd_hooks
