//===--- PipeTidyModule.cpp - the pipe-* checks as a clang-tidy module ----===//
#include "checks/LeakedWriterCheck.h"
#include "checks/SelfCopyCheck.h"
#include "checks/SelfDeadlockCheck.h"
#include "checks/UnclosedWriteEndCheck.h"
#include "checks/WaitBeforeDrainCheck.h"
#include "checks/WriterErrorIgnoredCheck.h"
#include "Compat.h"
#include "VersionGuard.h"

namespace clang::tidy::pipe {
namespace {

// Runs before the registration below (same translation unit, earlier
// definition): a plugin loaded into another LLVM major must not register.
const bool VersionChecked = (enforceMatchingLLVMOrExit(), true);

class PipeTidyModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<LeakedWriterCheck>("pipe-leaked-writer");
    Factories.registerCheck<SelfCopyCheck>("pipe-self-copy");
    Factories.registerCheck<SelfDeadlockCheck>("pipe-self-deadlock");
    Factories.registerCheck<UnclosedWriteEndCheck>("pipe-unclosed-write-end");
    Factories.registerCheck<WaitBeforeDrainCheck>("pipe-wait-before-drain");
    Factories.registerCheck<WriterErrorIgnoredCheck>(
        "pipe-writer-error-ignored");
  }
};

} // namespace
} // namespace clang::tidy::pipe

namespace clang::tidy {
static ClangTidyModuleRegistry::Add<pipe::PipeTidyModule>
    PipeTidyModuleRegistration("pipe-module",
                               "pipe deadlock and pipe leak checks (pipe-tidy)");

// Lets a clang-tidy built with pipe-tidy inside force-link this module.
volatile int PipeTidyModuleAnchorSource = 0;
} // namespace clang::tidy
