//===--- NoRemoteIndex.cpp - pipe-clangd without clangd's remote index ----===//
//
// Debian's clangd is built with the remote index (--remote-index-address),
// whose library links gRPC, protobuf and Abseil. pipe-clangd does not link
// it, so that building it needs no more than libclang-NN-dev; this is the
// definition upstream uses when clangd is built without gRPC
// (clangd/index/remote/unimplemented/UnimplementedClient.cpp).
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace clang::clangd {
class SymbolIndex;
namespace remote {

std::unique_ptr<clangd::SymbolIndex> getClient(llvm::StringRef Address,
                                               llvm::StringRef IndexRoot) {
  llvm::errs() << "pipe-clangd: no remote index support; ignoring the remote "
                  "index at "
               << Address << "\n";
  return nullptr;
}

} // namespace remote
} // namespace clang::clangd
