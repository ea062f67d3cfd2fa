// reach: a journal search tool runs the journal export in a forked child
// through ChildReader, a small RAII class: its constructor gets the pipe
// from make_pipe() as a std::pair, forks, runs the producer lambda in the
// child and keeps the read end as a member; next_line() splits the stream
// and ~ChildReader() reaps the child and then closes the read end.
// find_first() returns as soon as a line matches. The child still has
// hundreds of KiB of journal to write, blocks on the full pipe, and the
// destructor's waitpid() waits for it with the read end still open.
// CROSSES: RAII destructor (the wait and the close are in ~ChildReader(), run at find_first()'s early return); return value (make_pipe() returns the ends as a std::pair); lambda (the writer is a lambda run in the forked child); class member (the read end is ChildReader::fd_)
// EXPECT: pipe-leaked-writer find_first|~ChildReader search hang
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace {

std::pair<int, int> make_pipe() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    return {p[0], p[1]};
}

class ChildReader {
public:
    using Producer = std::function<int(int)>;

    explicit ChildReader(const Producer& produce) {
        auto [rd, wr] = make_pipe();
        pid_ = ::fork();
        if (pid_ < 0) {
            int err = errno;
            ::close(rd);
            ::close(wr);
            throw std::system_error(err, std::generic_category(), "fork");
        }
        if (pid_ == 0) {
            ::close(rd);
            int rc = produce(wr);
            ::_exit(rc);
        }
        ::close(wr);
        fd_ = rd;
    }

    ChildReader(const ChildReader&) = delete;
    ChildReader& operator=(const ChildReader&) = delete;

    ~ChildReader() {
        if (pid_ > 0)
            wait();
        if (fd_ >= 0)
            ::close(fd_);
    }

    std::optional<std::string> next_line() {
        for (;;) {
            auto nl = pending_.find('\n');
            if (nl != std::string::npos) {
                std::string line = pending_.substr(0, nl);
                pending_.erase(0, nl + 1);
                return line;
            }
            if (eof_)
                return std::nullopt;
            char chunk[4096];
            ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                eof_ = true;
            else
                pending_.append(chunk, static_cast<size_t>(n));
        }
    }

    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        return status;
    }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string pending_;
    bool eof_ = false;
};

int write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return 0;
}

int emit_journal(int fd, int entries) {
    char line[128];
    for (int i = 0; i < entries; ++i) {
        int n = std::snprintf(line, sizeof line,
                              "2026-12-07T10:%02d:%02d host=edge-%d unit=api req=%04d status=%d\n",
                              (i / 60) % 60, i % 60, i % 4, i, i % 17 == 0 ? 500 : 200);
        if (write_all(fd, line, static_cast<size_t>(n)) != 0)
            return 1;
    }
    return 0;
}

std::optional<std::string> find_first(const std::string& needle, int entries) {
    ChildReader reader([entries](int fd) { return emit_journal(fd, entries); });
    while (auto line = reader.next_line()) {
        if (line->find(needle) != std::string::npos)
            return line;
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    std::string scenario = argc > 1 ? argv[1] : "search";
    if (scenario != "search") {
        std::fprintf(stderr, "usage: %s search\n", argv[0]);
        return 2;
    }
    try {
        auto hit = find_first("req=0100 ", 8000);
        if (!hit) {
            std::puts("no match");
            return 1;
        }
        std::printf("first match: %s\n", hit->c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "journal: %s\n", e.what());
        return 1;
    }
    return 0;
}
