//===--- VersionGuard.cpp - refuse a clang-tidy of another LLVM major -----===//
#include "VersionGuard.h"

#include "llvm/Config/llvm-config.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <link.h>
#include <string>
#include <unistd.h>

#ifndef PIPE_TIDY_LLVM_MAJOR
#error "PIPE_TIDY_LLVM_MAJOR must be defined by the build"
#endif

namespace clang::tidy::pipe {
namespace {

/// Reads the major from a shared object's file name:
/// libclang-cpp.so.19.1, libLLVM.so.22.1, libLLVM-14.so.1, libclang-cpp.so.14.
unsigned majorFromLibraryName(const char *Path) {
  const char *Base = std::strrchr(Path, '/');
  Base = Base ? Base + 1 : Path;
  static const char *const Prefixes[] = {"libclang-cpp.so.", "libLLVM.so.",
                                         "libLLVM-"};
  for (const char *Prefix : Prefixes) {
    size_t Len = std::strlen(Prefix);
    if (std::strncmp(Base, Prefix, Len) != 0)
      continue;
    unsigned Major = 0;
    for (const char *P = Base + Len; *P >= '0' && *P <= '9'; ++P)
      Major = Major * 10 + unsigned(*P - '0');
    if (Major >= 3)
      return Major;
  }
  return 0;
}

/// Reads the major from an install path such as /usr/lib/llvm-19/bin/clang-tidy.
unsigned majorFromInstallPath(const std::string &Path) {
  size_t Pos = Path.find("/llvm-");
  if (Pos == std::string::npos)
    return 0;
  unsigned Major = 0;
  for (size_t I = Pos + 6; I < Path.size() && Path[I] >= '0' && Path[I] <= '9';
       ++I)
    Major = Major * 10 + unsigned(Path[I] - '0');
  return Major;
}

int collectLoadedMajor(struct dl_phdr_info *Info, size_t, void *Data) {
  unsigned *Found = static_cast<unsigned *>(Data);
  if (*Found == 0 && Info->dlpi_name && *Info->dlpi_name)
    *Found = majorFromLibraryName(Info->dlpi_name);
  return 0;
}

} // namespace

unsigned detectHostLLVMMajor() {
  if (const char *Forced = std::getenv("PIPE_TIDY_HOST_LLVM_MAJOR"))
    return unsigned(std::strtoul(Forced, nullptr, 10));
  unsigned Major = 0;
  dl_iterate_phdr(collectLoadedMajor, &Major);
  if (Major)
    return Major;
  // A statically linked clang-tidy: its install path may still say.
  char Buf[4096];
  ssize_t N = readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N > 0) {
    Buf[N] = '\0';
    return majorFromInstallPath(Buf);
  }
  return 0;
}

void enforceMatchingLLVMOrExit() {
  unsigned Host = detectHostLLVMMajor();
  if (Host == 0 || Host == PIPE_TIDY_LLVM_MAJOR)
    return;
  std::fprintf(stderr,
               "error: pipe-tidy plugin was built for LLVM %u but was loaded "
               "by a clang-tidy of LLVM %u; load PipeTidy-llvm%u.so instead "
               "(build it with -DPIPE_TIDY_LLVM_VERSION=%u)\n",
               unsigned(PIPE_TIDY_LLVM_MAJOR), Host, Host, Host);
  std::fflush(stderr);
  _exit(3);
}

} // namespace clang::tidy::pipe

#if LLVM_VERSION_MAJOR <= 16
// LLVM 16 and older reach this variable from inline code in llvm/ADT/Hashing.h;
// LLVM 17 removed it. It is data, which the dynamic loader must find before
// any code of ours runs: loaded by a newer clang-tidy, this plugin would
// fail with "undefined symbol: ...fixed_seed_override" instead of the
// guard's message. A weak definition of our own satisfies the loader there;
// in a clang-tidy that has it, the host's definition comes first in the
// lookup order and is the one used.
namespace llvm::hashing::detail {
__attribute__((weak)) uint64_t fixed_seed_override = 0;
} // namespace llvm::hashing::detail
#endif
