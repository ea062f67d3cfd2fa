// Mail filter: rewrites headers and re-encodes attachments of outgoing mail.
// The encoders come from an old C library that writes to a file descriptor,
// so the filter spools each message through a pipe owned by a SpoolPipe member
// and reads the result back.
// BUG: for a plain message process() knows how many bytes it spooled and reads
// back exactly that many with take(). For a message with attachments the
// base64 encoder writes straight into the spool's descriptor, so process()
// calls readAll(), which reads until end-of-file; but the filter's own
// SpoolPipe still holds the write end (it is kept open for the next message),
// so end-of-file never comes and the filter blocks forever in read().
// EXPECT: pipe-self-deadlock readAll|process attachment hang
// CROSSES: the pipe is made in the SpoolPipe constructor into a std::array member of the MessageFilter's spool_ member; the writes happen in the free function encodeAttachment() through writeFd(), and the read to end-of-file is in SpoolPipe::readAll(), called from MessageFilter::process()
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

class SpoolPipe {
 public:
  SpoolPipe() {
    if (pipe(fds_.data()) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  }
  ~SpoolPipe() {
    for (int fd : fds_)
      if (fd >= 0) close(fd);
  }
  SpoolPipe(const SpoolPipe &) = delete;
  SpoolPipe &operator=(const SpoolPipe &) = delete;

  int writeFd() const { return fds_[1]; }

  size_t append(std::string_view s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = write(fds_[1], s.data() + off, s.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::system_error(errno, std::generic_category(), "spool write");
      off += static_cast<size_t>(n);
    }
    return s.size();
  }

  std::string take(size_t len) {
    std::string out(len, '\0');
    size_t got = 0;
    while (got < len) {
      ssize_t n = read(fds_[0], &out[got], len - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    out.resize(got);
    return out;
  }

  std::string readAll() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) != 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  std::array<int, 2> fds_{-1, -1};
};

struct Attachment {
  std::string filename;
  std::string data;
};

struct Message {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<Attachment> attachments;
};

// from the legacy encoder library: writes a base64 MIME part to fd
void encodeAttachment(int fd, const std::string &boundary, const Attachment &a) {
  static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string part = "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n" +
                     "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" +
                     a.filename + "\"\r\n\r\n";
  size_t col = 0;
  for (size_t i = 0; i < a.data.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(a.data[i]) << 16;
    if (i + 1 < a.data.size()) v |= static_cast<unsigned char>(a.data[i + 1]) << 8;
    if (i + 2 < a.data.size()) v |= static_cast<unsigned char>(a.data[i + 2]);
    part += tbl[(v >> 18) & 63];
    part += tbl[(v >> 12) & 63];
    part += i + 1 < a.data.size() ? tbl[(v >> 6) & 63] : '=';
    part += i + 2 < a.data.size() ? tbl[v & 63] : '=';
    col += 4;
    if (col == 76) {
      part += "\r\n";
      col = 0;
    }
  }
  part += "\r\n";
  if (write(fd, part.data(), part.size()) < 0) std::perror("encodeAttachment");
}

class MessageFilter {
 public:
  std::string process(const Message &m) {
    size_t len = spool_.append("X-Filtered-By: outbound-filter 2.3\r\n");
    for (const auto &[name, value] : m.headers)
      if (name != "Bcc") len += spool_.append(name + ": " + value + "\r\n");
    if (m.attachments.empty()) {
      len += spool_.append("\r\n" + m.body);
      return spool_.take(len);
    }
    const std::string boundary = "=_part_" + std::to_string(++messages_);
    spool_.append("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n");
    spool_.append("--" + boundary + "\r\nContent-Type: text/plain\r\n\r\n" + m.body + "\r\n");
    for (const Attachment &a : m.attachments) encodeAttachment(spool_.writeFd(), boundary, a);
    spool_.append("--" + boundary + "--\r\n");
    // length unknown now that the encoder wrote directly: read everything back
    return spool_.readAll();
  }

 private:
  SpoolPipe spool_;
  unsigned messages_ = 0;
};

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "plain";
  if (scenario != "plain" && scenario != "attachment") {
    std::fprintf(stderr, "usage: %s plain|attachment\n", argv[0]);
    return 2;
  }
  Message m;
  m.headers = {{"From", "ops@example.org"}, {"To", "team@example.org"}, {"Bcc", "audit@example.org"},
               {"Subject", "Nightly report"}};
  m.body = "All jobs finished.\r\n";
  if (scenario == "attachment") m.attachments.push_back({"report.csv", "job,status\nbackup,ok\nindex,ok\n"});
  MessageFilter filter;
  std::string out = filter.process(m);
  bool ok = out.find("X-Filtered-By") == 0 && out.find("Bcc:") == std::string::npos;
  std::printf("%s: %zu bytes filtered, %s\n", scenario.c_str(), out.size(), ok ? "ok" : "BAD");
  return ok ? 0 : 1;
}
