//===--- VersionGuard.h - refuse a clang-tidy of another LLVM major -------===//
//
// The plugin links no LLVM library; every symbol comes from the clang-tidy
// that loads it. A plugin built for LLVM X inside clang-tidy Y registers its
// checks against a different ABI and then silently reports nothing, so the
// module stops the process with a clear message before registering anything.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_VERSIONGUARD_H
#define PIPE_TIDY_VERSIONGUARD_H

// Hidden: every plugin must run its own copy. clang-tidy loads plugins with
// RTLD_GLOBAL, so an exported guard of a plugin loaded first (built for the
// matching LLVM) would stand in for the guard of every plugin loaded after
// it, and a mismatched second plugin would load silently.
#define PIPE_TIDY_GUARD_LOCAL __attribute__((visibility("hidden")))

namespace clang::tidy::pipe {

/// The LLVM major of the process that loaded us, or 0 when it cannot be told
/// (a statically linked clang-tidy: then the plugin cannot be mismatched in a
/// way we can see, and loading proceeds).
PIPE_TIDY_GUARD_LOCAL unsigned detectHostLLVMMajor();

/// Checks the host against the LLVM major this plugin was built for. On a
/// mismatch prints one line naming both versions to stderr and exits with
/// status 3. The environment variable PIPE_TIDY_HOST_LLVM_MAJOR overrides the
/// detected host major (used by the tests).
PIPE_TIDY_GUARD_LOCAL void enforceMatchingLLVMOrExit();

} // namespace clang::tidy::pipe

#endif
