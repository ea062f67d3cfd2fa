//===--- DocLinkRewriter.cpp - pipe-clangd's links to our check pages -----===//
#include "DocLinkRewriter.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace pipe_tidy {

namespace {
constexpr llvm::StringLiteral ClangTidyDocs =
    "\"https://clang.llvm.org/extra/clang-tidy/checks/pipe/";

bool writeAll(int Fd, const std::string &Bytes) {
  size_t Done = 0;
  while (Done < Bytes.size()) {
    ssize_t N = ::write(Fd, Bytes.data() + Done, Bytes.size() - Done);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Done += size_t(N);
  }
  return true;
}
} // namespace

std::string rewriteDocLinks(const std::string &Body, const std::string &DocsUri) {
  std::string Out;
  llvm::StringRef Rest(Body);
  for (size_t At; (At = Rest.find(ClangTidyDocs)) != llvm::StringRef::npos;) {
    llvm::StringRef Tail = Rest.drop_front(At + ClangTidyDocs.size());
    size_t End = Tail.find("\"");
    llvm::StringRef Page = Tail.take_front(End);
    Out += Rest.take_front(At);
    if (End == llvm::StringRef::npos || !Page.consume_back(".html")) {
      Out += ClangTidyDocs;
      Rest = Tail;
      continue;
    }
    Out += "\"" + DocsUri + "/pipe-" + Page.str() + ".md\"";
    Rest = Tail.drop_front(End + 1);
  }
  Out += Rest;
  return Out;
}

std::string LspLinkFilter::feed(const char *Data, size_t Size) {
  Pending.append(Data, Size);
  std::string Out;
  while (true) {
    size_t HeaderEnd = Pending.find("\r\n\r\n");
    if (HeaderEnd == std::string::npos)
      break;
    llvm::StringRef Header(Pending.data(), HeaderEnd);
    size_t LengthAt = Header.find("Content-Length:");
    unsigned long long Length = 0;
    if (LengthAt == llvm::StringRef::npos ||
        llvm::getAsUnsignedInteger(
            Header.drop_front(LengthAt + 15).ltrim().take_until(
                [](char C) { return C == '\r'; }),
            10, Length)) {
      // Not a message we understand: pass its header through as it is.
      Out.append(Pending, 0, HeaderEnd + 4);
      Pending.erase(0, HeaderEnd + 4);
      continue;
    }
    size_t BodyAt = HeaderEnd + 4;
    if (Pending.size() - BodyAt < Length)
      break;
    std::string Body =
        rewriteDocLinks(Pending.substr(BodyAt, size_t(Length)), DocsUri);
    // The other header lines stay as they were.
    Out += Header.take_front(LengthAt);
    Out += "Content-Length: ";
    Out += std::to_string(Body.size());
    Out += Header.drop_front(LengthAt).drop_until([](char C) { return C == '\r'; });
    Out += "\r\n\r\n";
    Out += Body;
    Pending.erase(0, BodyAt + size_t(Length));
  }
  return Out;
}

std::string LspLinkFilter::finish() {
  std::string Rest;
  Rest.swap(Pending);
  return Rest;
}

bool StdoutLinkRewriter::start(std::string DocsUri) {
  int P[2];
  if (::pipe2(P, O_CLOEXEC) != 0)
    return false;
  ClientFd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (ClientFd < 0 || ::dup2(P[1], STDOUT_FILENO) < 0) {
    ::close(P[0]);
    ::close(P[1]);
    if (ClientFd >= 0)
      ::close(ClientFd);
    ClientFd = -1;
    return false;
  }
  // Standard output is now the pipe's only write end: the pump sees
  // end-of-file once stop() closes it.
  ::close(P[1]);
  ReadFd = P[0];
  Pump = std::thread([this, Filter = LspLinkFilter(std::move(DocsUri))]() mutable {
    char Buf[1 << 16];
    bool ClientOk = true;
    while (true) {
      ssize_t N = ::read(ReadFd, Buf, sizeof Buf);
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0)
        break;
      // Once the client is gone, keep draining so clangd never blocks.
      if (ClientOk)
        ClientOk = writeAll(ClientFd, Filter.feed(Buf, size_t(N)));
    }
    if (ClientOk)
      writeAll(ClientFd, Filter.finish());
  });
  return true;
}

void StdoutLinkRewriter::stop() {
  if (!Pump.joinable())
    return;
  llvm::outs().flush();
  std::fflush(stdout);
  // Standard output goes back to the client; that also closes our write
  // end of the pipe, so the pump reads end-of-file after the last byte.
  ::dup2(ClientFd, STDOUT_FILENO);
  Pump.join();
  ::close(ReadFd);
  ::close(ClientFd);
}

std::string findCheckDocsUri(const char *Argv0, const char *SourceDocs) {
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&findCheckDocsUri));
  llvm::SmallString<256> Installed(llvm::sys::path::parent_path(Exe));
  llvm::sys::path::append(Installed, "..", "share", "doc");
  llvm::sys::path::append(Installed, "pipe-tidy", "checks");
  for (llvm::SmallString<256> Dir : {Installed, llvm::SmallString<256>(SourceDocs)}) {
    llvm::SmallString<256> Page(Dir);
    llvm::sys::path::append(Page, "pipe-self-deadlock.md");
    if (!llvm::sys::fs::exists(Page))
      continue;
    if (llvm::sys::fs::make_absolute(Dir))
      continue;
    llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
    // A file URI, with what is not unreserved or '/' percent-encoded.
    std::string Uri = "file://";
    for (unsigned char C : Dir.str()) {
      if (llvm::isAlnum(C) || C == '/' || C == '-' || C == '.' || C == '_' || C == '~')
        Uri += char(C);
      else
        Uri += "%" + llvm::utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
    }
    return Uri;
  }
  return "";
}

} // namespace pipe_tidy
