// Hex-encodes a large blob on a background std::jthread that streams the
// encoding into a pipe; EncoderJob hands the caller the read side. The
// writer produces about 512 KiB, far more than a pipe holds, and the driver
// calls drain() before wait(), so the writer never stays blocked. Near-miss
// of the wait-before-drain bug.
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-self-deadlock
// PROOF: encode exit
// STD: c++20
// CROSSES: the pipe is made in the EncoderJob constructor and the write end is moved into the jthread lambda; the read loop is in the member drain() and the join in the member wait(), and only their order in encode_blob() decides the outcome
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

class EncoderJob {
public:
    explicit EncoderJob(std::vector<uint8_t> blob) : blob_(std::move(blob)) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
        rfd_ = fds[0];
        worker_ = std::jthread([this, wfd = fds[1]] {
            static const char digits[] = "0123456789abcdef";
            char out[4096];
            size_t used = 0;
            for (uint8_t b : blob_) {
                out[used++] = digits[b >> 4];
                out[used++] = digits[b & 15];
                if (used == sizeof out) {
                    if (!flush(wfd, out, used))
                        break;
                    used = 0;
                }
            }
            flush(wfd, out, used);
            close(wfd);
        });
    }
    ~EncoderJob() {
        if (rfd_ >= 0)
            close(rfd_);
    }

    std::string drain() {
        std::string text;
        char buf[8192];
        for (;;) {
            ssize_t n = read(rfd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            text.append(buf, static_cast<size_t>(n));
        }
        return text;
    }

    void wait() {
        if (worker_.joinable())
            worker_.join();
    }

private:
    static bool flush(int fd, const char *p, size_t len) {
        while (len > 0) {
            ssize_t n = write(fd, p, len);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return false;
            }
            p += n;
            len -= static_cast<size_t>(n);
        }
        return true;
    }

    std::vector<uint8_t> blob_;
    int rfd_ = -1;
    std::jthread worker_;
};

size_t encode_blob(size_t size) {
    std::vector<uint8_t> blob(size);
    for (size_t i = 0; i < size; i++)
        blob[i] = static_cast<uint8_t>(i * 31 + 7);
    EncoderJob job(std::move(blob));
    std::string hex = job.drain();
    job.wait();
    return hex.size();
}

} // namespace

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    std::string scenario = argc > 1 ? argv[1] : "encode";
    if (scenario != "encode") {
        fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
        return 2;
    }
    const size_t size = 256 * 1024;
    size_t got = encode_blob(size);
    printf("encoded %zu bytes into %zu hex digits\n", size, got);
    return got == 2 * size ? 0 : 1;
}
