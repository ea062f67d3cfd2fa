//===--- DocLinkRewriter.h - pipe-clangd's links to our check pages -------===//
//
// clangd links every clang-tidy finding to
//   https://clang.llvm.org/extra/clang-tidy/checks/<module>/<check>.html
// (codeDescription.href), a page that does not exist for the pipe checks.
// pipe-clangd puts a filter between clangd and its client that rewrites those
// links to our own pages, docs/checks/pipe-<check>.md, and changes nothing
// else. Each LSP message keeps its framing; its Content-Length is recomputed.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_TOOLS_PIPE_CLANGD_DOCLINKREWRITER_H
#define PIPE_TIDY_TOOLS_PIPE_CLANGD_DOCLINKREWRITER_H

#include <string>
#include <thread>

namespace pipe_tidy {

/// Rewrites the pipe checks' links in one LSP message body.
/// \p DocsUri is the URI of the directory holding pipe-<check>.md.
std::string rewriteDocLinks(const std::string &Body, const std::string &DocsUri);

/// Splits the byte stream clangd writes into LSP messages ("Content-Length:
/// N" header, blank line, N bytes) and rewrites the body of each. Bytes
/// that are not a well-formed message pass through unchanged.
class LspLinkFilter {
public:
  explicit LspLinkFilter(std::string DocsUri) : DocsUri(std::move(DocsUri)) {}
  /// Feeds bytes from clangd; returns the bytes ready for the client.
  std::string feed(const char *Data, size_t Size);
  /// At end of stream: whatever is left, unchanged.
  std::string finish();

private:
  std::string DocsUri;
  std::string Pending;
};

/// Routes this process's standard output through an LspLinkFilter until
/// stop(). start() returns false (and changes nothing) when it cannot.
class StdoutLinkRewriter {
public:
  bool start(std::string DocsUri);
  /// Flushes, ends the stream and waits until the client has every byte.
  void stop();

private:
  int ClientFd = -1;
  int ReadFd = -1;
  std::thread Pump;
};

/// The directory of our check pages, as a file:// URI: the installed
/// <exe>/../share/doc/pipe-tidy/checks, else the source tree's docs/checks
/// (\p SourceDocs); empty when neither has the pages.
std::string findCheckDocsUri(const char *Argv0, const char *SourceDocs);

} // namespace pipe_tidy

#endif // PIPE_TIDY_TOOLS_PIPE_CLANGD_DOCLINKREWRITER_H
