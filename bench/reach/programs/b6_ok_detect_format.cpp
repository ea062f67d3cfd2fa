// sniff: identify the format of an archive member by its first bytes. The
// member is decoded in a forked child (ChildProcess::spawn, a move-only
// handle that keeps the pid and the read end of the child's output pipe as
// members); sniff_format() reads only the first few bytes and returns.
// detect_format() closes the handle's read end before it calls wait(), so a
// decoder with more than the pipe's 64 KiB still to write gets EPIPE or
// SIGPIPE and ends, and the wait returns; the format is already known.
// CROSSES: the writer is a child started in a static factory (ChildProcess::spawn) running a lambda; the read end is kept in a class member and closed by a member function (ChildProcess::close_output); the early stop is in a helper (sniff_format); the wait is a member function (ChildProcess::wait)
// EXPECT-NONE: pipe-leaked-writer
// PROOF: sniff exit
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

class ChildProcess {
public:
    ChildProcess(ChildProcess &&o) noexcept
        : pid_(std::exchange(o.pid_, -1)), out_(std::exchange(o.out_, -1)) {}
    ChildProcess &operator=(ChildProcess &&) = delete;
    ~ChildProcess() { close_output(); }

    // Runs body(fd) in a child whose output is the write end of a pipe.
    static ChildProcess spawn(const std::function<void(int)> &body) {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) < 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
        pid_t pid = ::fork();
        if (pid < 0) {
            int e = errno;
            ::close(p[0]);
            ::close(p[1]);
            throw std::system_error(e, std::generic_category(), "fork");
        }
        if (pid == 0) {
            ::close(p[0]);
            body(p[1]);
            ::_exit(0);
        }
        ::close(p[1]);
        return ChildProcess(pid, p[0]);
    }

    int output() const { return out_; }

    void close_output() {
        if (out_ >= 0) {
            ::close(out_);
            out_ = -1;
        }
    }

    int wait() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0)
            if (errno != EINTR)
                return -1;
        pid_ = -1;
        return status;
    }

private:
    ChildProcess(pid_t pid, int out) : pid_(pid), out_(out) {}
    pid_t pid_ = -1;
    int out_ = -1;
};

struct Member {
    std::string name;
    std::string magic; // what the decoder emits first
    std::size_t body_bytes;
};

static bool write_all(int fd, const char *p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// Stand-in for the decoder: the magic bytes, then the member's body.
static void decode_member(int fd, const Member &m) {
    if (!write_all(fd, m.magic.data(), m.magic.size()))
        ::_exit(1);
    std::vector<char> block(8192);
    for (std::size_t left = m.body_bytes; left > 0;) {
        std::size_t n = left < block.size() ? left : block.size();
        for (std::size_t i = 0; i < n; i++)
            block[i] = static_cast<char>('a' + (left + i) % 26);
        if (!write_all(fd, block.data(), n))
            ::_exit(1);
        left -= n;
    }
}

static std::string sniff_format(int fd) {
    static const std::pair<const char *, const char *> kMagic[] = {
        {"\x89PNG", "png"}, {"%PDF-", "pdf"}, {"PK\x03\x04", "zip"}, {"\x1f\x8b", "gzip"}};
    char head[16];
    std::size_t got = 0;
    while (got < sizeof head) {
        ssize_t n = ::read(fd, head + got, sizeof head - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    for (const auto &m : kMagic)
        if (got >= std::strlen(m.first) && std::memcmp(head, m.first, std::strlen(m.first)) == 0)
            return m.second;
    return "unknown";
}

static std::string detect_format(const Member &m) {
    ChildProcess dec = ChildProcess::spawn([&m](int fd) { decode_member(fd, m); });
    std::string fmt = sniff_format(dec.output());
    dec.close_output(); // the rest of the member is not needed
    int status = dec.wait();
    if (status < 0)
        return "error";
    return fmt;
}

int main(int argc, char **argv) {
    std::string scenario = argc > 1 ? argv[1] : "tiny";
    std::vector<Member> members;
    if (scenario == "tiny") {
        members = {{"icon.png", "\x89PNG\r\n\x1a\n", 900}, {"notes.gz", "\x1f\x8b\x08", 300}};
    } else if (scenario == "sniff") {
        members = {{"icon.png", "\x89PNG\r\n\x1a\n", 900},
                   {"manual.pdf", "%PDF-1.7\n", 256 * 1024}};
    } else {
        std::fprintf(stderr, "usage: %s tiny|sniff\n", argv[0]);
        return 2;
    }
    int failures = 0;
    for (const Member &m : members) {
        std::string fmt = detect_format(m);
        std::printf("%-12s %s\n", m.name.c_str(), fmt.c_str());
        failures += fmt == "unknown" || fmt == "error";
    }
    return failures ? 1 : 0;
}
