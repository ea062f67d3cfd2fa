// Two-channel text pipeline: records are fed into an input channel and a
// Relay copies them into the output channel that the consumer reads. With
// passthrough set, Pipeline::output() hands back the input channel itself,
// but process() still builds the relay, so the relay reads the input pipe and
// writes every chunk straight back into it (it also took that pipe's write
// end, so close_writer() no longer ends the input): the copy never ends.
// EXPECT: pipe-self-copy process|Relay|run passthrough hang
// CROSSES: the source and destination Channel references are only the same object because Pipeline::output() returns input when passthrough is set; the Relay constructor takes the destination's write end by moving it out of the Channel, and the copy loop in Relay::run() sees two plain descriptors from members
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    UniqueFd(UniqueFd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    UniqueFd &operator=(UniqueFd &&o) noexcept {
        reset(std::exchange(o.fd_, -1));
        return *this;
    }
    ~UniqueFd() { reset(); }
    int get() const { return fd_; }
    void reset(int fd = -1) {
        if (fd_ >= 0)
            close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

class Channel {
public:
    Channel() {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) == 0) {
            r_.reset(fds[0]);
            w_.reset(fds[1]);
        }
    }
    int rd() const { return r_.get(); }
    int wr() const { return w_.get(); }
    UniqueFd take_writer() { return std::move(w_); }
    void close_writer() { w_.reset(); }

private:
    UniqueFd r_, w_;
};

class Relay {
public:
    Relay(Channel &src, Channel &dst) : from_(src.rd()), to_(dst.take_writer()) {}
    size_t run() {
        char buf[512];
        size_t total = 0;
        for (;;) {
            ssize_t n = read(from_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            if (write(to_.get(), buf, static_cast<size_t>(n)) != n)
                break;
            total += static_cast<size_t>(n);
        }
        to_.reset(); // downstream sees end-of-file
        return total;
    }

private:
    int from_;
    UniqueFd to_;
};

struct Pipeline {
    Channel input;
    Channel filtered;
    bool passthrough = false;
    Channel &output() { return passthrough ? input : filtered; }
};

std::string drain(int fd) {
    std::string s;
    char buf[512];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        s.append(buf, static_cast<size_t>(n));
    return s;
}

int process(Pipeline &pl, const std::vector<std::string> &records) {
    for (const auto &r : records) {
        std::string line = r + "\n";
        if (write(pl.input.wr(), line.data(), line.size()) < 0)
            return -1;
    }
    Relay relay(pl.input, pl.output());
    pl.input.close_writer(); // end of input
    size_t copied = relay.run();
    std::string out = drain(pl.output().rd());
    printf("relayed %zu bytes, consumer got %zu\n", copied, out.size());
    return out.size() == copied ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    std::string scenario = argc > 1 ? argv[1] : "filtered";
    std::vector<std::string> recs = {"alpha 1", "beta 2", "gamma 3", "delta 4"};
    Pipeline pl;
    if (scenario == "filtered")
        return process(pl, recs);
    if (scenario == "passthrough") {
        pl.passthrough = true;
        return process(pl, recs);
    }
    fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
    return 2;
}
