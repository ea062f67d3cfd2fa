// Static site generator: SiteRenderer renders every page of the site into a
// Spool, and Spool::publish() later streams the spooled bytes to the output
// (a file, a socket to the upload service...). The spool is a pipe, so the
// renderer can run before the output is even open and publish() is one
// read/write loop.
// BUG: nobody reads the pipe until publish(): Spool::append() writes every
// rendered chunk into it from the same thread that will read it back, while
// that thread still holds both ends. A small site fits in the pipe's
// 64 KiB; a site whose pages add up to more blocks forever in append()'s
// write(), since the only reader is the blocked thread itself.
// EXPECT: pipe-self-deadlock append|render_page|build_site large hang
// CROSSES: the pipe is made by open_spool_pipe(), which returns both ends by value into the Spool member ends_ from the constructor's initializer list; the writes are in Spool::append(), reached through SiteRenderer::render_page() holding a reference to the spool, and the read-back is in another member, publish()
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

struct PipeEnds {
  int rd = -1;
  int wr = -1;
};

PipeEnds open_spool_pipe() {
  int fds[2];
  if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return PipeEnds{fds[0], fds[1]};
}

class Spool {
 public:
  Spool() : ends_(open_spool_pipe()) {}
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;
  ~Spool() {
    if (ends_.wr >= 0) close(ends_.wr);
    if (ends_.rd >= 0) close(ends_.rd);
  }

  void append(const std::string &chunk) {
    const char *p = chunk.data();
    size_t left = chunk.size();
    while (left > 0) {
      ssize_t n = write(ends_.wr, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "spool write");
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    queued_ += chunk.size();
  }

  // Streams everything spooled so far to out_fd; returns the byte count.
  size_t publish(int out_fd) {
    close(ends_.wr);
    ends_.wr = -1;
    char buf[8192];
    size_t total = 0;
    ssize_t n;
    while ((n = read(ends_.rd, buf, sizeof buf)) > 0) {
      if (write(out_fd, buf, static_cast<size_t>(n)) != n)
        throw std::runtime_error("short write to output");
      total += static_cast<size_t>(n);
    }
    return total;
  }

  size_t queued() const { return queued_; }

 private:
  PipeEnds ends_;
  size_t queued_ = 0;
};

struct Page {
  std::string path;
  std::string title;
  std::vector<std::string> paragraphs;
};

class SiteRenderer {
 public:
  SiteRenderer(Spool &spool, std::string site_name) : spool_(spool), site_(std::move(site_name)) {}

  void render_page(const Page &page) {
    spool_.append("<!-- " + page.path + " -->\n<html><head><title>" + page.title + " | " + site_ +
                  "</title></head>\n<body>\n");
    for (const std::string &para : page.paragraphs) spool_.append("<p>" + para + "</p>\n");
    spool_.append("</body></html>\n");
    ++pages_;
  }

  int pages() const { return pages_; }

 private:
  Spool &spool_;
  std::string site_;
  int pages_ = 0;
};

std::vector<Page> make_site(int npages) {
  std::vector<Page> pages;
  for (int i = 0; i < npages; ++i) {
    Page p;
    p.path = "/posts/" + std::to_string(i) + ".html";
    p.title = "Release notes " + std::to_string(i);
    for (int k = 0; k < 8; ++k)
      p.paragraphs.push_back("Paragraph " + std::to_string(k) +
                             ": fixed a crash when the cache directory is on a read-only mount.");
    pages.push_back(std::move(p));
  }
  return pages;
}

size_t build_site(const std::vector<Page> &pages, int out_fd) {
  Spool spool;
  SiteRenderer renderer(spool, "example.org");
  for (const Page &p : pages) renderer.render_page(p);
  std::fprintf(stderr, "rendered %d pages, %zu bytes spooled\n", renderer.pages(), spool.queued());
  return spool.publish(out_fd);
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "small";
  int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (out < 0) return 2;
  if (scenario == "small") {
    size_t n = build_site(make_site(5), out);
    std::printf("published %zu bytes\n", n);
    return n > 0 ? 0 : 1;
  }
  if (scenario == "large") {
    size_t n = build_site(make_site(200), out);  // ~150 KiB of HTML
    std::printf("published %zu bytes\n", n);
    return n > 0 ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s small|large\n", argv[0]);
  return 2;
}
