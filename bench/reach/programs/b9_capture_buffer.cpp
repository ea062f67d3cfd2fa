// In-process diagnostic capture for a unit-test harness: the code under test
// writes its log lines to a descriptor, and the harness collects them after
// the call returns. CaptureBuffer gets its pipe from a factory and keeps both
// ends as members; collect() drains the read end through a generic helper
// while the same object still holds the write end, so the read never sees
// end-of-file and the harness blocks forever.
// EXPECT: pipe-self-deadlock collect|read_all capture hang
// CROSSES: the pipe is made in make_capture_pipe() and both ends are only stored in CaptureBuffer members; the read-to-EOF loop sits in read_all(), reached from the member collect(), which passes rfd_ while wfd_ stays open in the same object
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace {

struct PipeFds {
    int rd = -1;
    int wr = -1;
};

PipeFds make_capture_pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    return PipeFds{fds[0], fds[1]};
}

bool write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        buf += n;
        len -= static_cast<size_t>(n);
    }
    return true;
}

// Reads everything until the writer side goes away.
std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw std::runtime_error(std::string("read: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

class CaptureBuffer {
public:
    CaptureBuffer() {
        PipeFds p = make_capture_pipe();
        rfd_ = p.rd;
        wfd_ = p.wr;
    }
    ~CaptureBuffer() {
        if (rfd_ >= 0)
            close(rfd_);
        if (wfd_ >= 0)
            close(wfd_);
    }
    CaptureBuffer(const CaptureBuffer &) = delete;
    CaptureBuffer &operator=(const CaptureBuffer &) = delete;

    int sink() const { return wfd_; }

    // Everything the code under test logged so far.
    std::string collect() { return read_all(rfd_); }

private:
    int rfd_ = -1;
    int wfd_ = -1;
};

// Stand-in for the code under test: it logs through whatever fd it is given.
void parse_config(int logfd, int entries) {
    for (int i = 0; i < entries; i++) {
        char line[96];
        int len = snprintf(line, sizeof line, "config: entry %d accepted\n", i);
        write_all(logfd, line, static_cast<size_t>(len));
    }
}

int run_capture() {
    CaptureBuffer cap;
    parse_config(cap.sink(), 5);
    std::string text = cap.collect();
    int lines = 0;
    for (char c : text)
        lines += (c == '\n');
    printf("captured %d log lines\n", lines);
    return lines == 5 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    std::string scenario = argc > 1 ? argv[1] : "capture";
    if (scenario == "capture")
        return run_capture();
    fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
    return 2;
}
