// reach: a zero-copy frame relay keeps one pipe per hop (back-pressure per
// hop) in a std::vector<Pipe> and an optional egress pipe; pump() splices
// each hop into the next through forward(), and the last hop into sink().
// sink() falls back to the last hop when no egress is attached ("readers
// take frames from the last hop"), so in that configuration pump() hands
// forward() the same Pipe as source and destination. splice() refuses
// (EINVAL) and pump()'s recovery path flushes the wedged hop: every frame
// pushed into a relay without an egress is silently dropped. The scenario
// exits 0 when the reader got nothing and the frames were counted dropped.
// CROSSES: member function (sink() returns a reference to the hop pump() forwards from); call chain (the splice() is in forward(), given two Pipe references); class member (the pipes are elements of a std::vector member and a std::optional member)
// EXPECT: pipe-self-copy pump|forward standalone exit
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = std::exchange(o.fd_, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

struct Pipe {
    Fd rd;
    Fd wr;

    static Pipe open() {
        int p[2];
        if (::pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
        return Pipe{Fd(p[0]), Fd(p[1])};
    }
};

// Moves whatever `from` holds into `to`; returns bytes moved or -1.
static ssize_t forward(Pipe& from, Pipe& to) {
    ssize_t total = 0;
    for (;;) {
        ssize_t n = ::splice(from.rd.get(), nullptr, to.wr.get(), nullptr, 1 << 16,
                             SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n > 0) {
            total += n;
            continue;
        }
        if (n == 0 || errno == EAGAIN)
            return total;
        if (errno != EINTR)
            return -1;
    }
}

static size_t discard(Pipe& p) {
    char buf[4096];
    size_t dropped = 0;
    ssize_t n;
    while ((n = ::read(p.rd.get(), buf, sizeof buf)) > 0)
        dropped += static_cast<size_t>(n);
    return dropped;
}

struct RelayStats {
    size_t moved = 0;
    size_t dropped = 0;
    unsigned errors = 0;
};

class Relay {
public:
    explicit Relay(size_t nhops) {
        for (size_t i = 0; i < nhops; ++i)
            hops_.push_back(Pipe::open());
    }
    void attach_egress() { egress_ = Pipe::open(); }
    Pipe& ingress() { return hops_.front(); }
    Pipe& sink() { return egress_ ? *egress_ : hops_.back(); }
    const RelayStats& stats() const { return stats_; }

    void pump() {
        for (size_t i = 0; i < hops_.size(); ++i) {
            Pipe& next = i + 1 < hops_.size() ? hops_[i + 1] : sink();
            ssize_t n = forward(hops_[i], next);
            if (n < 0) {
                // a hop that cannot move on would wedge its upstream writers
                std::fprintf(stderr, "relay: hop %zu: %s, flushing\n", i, std::strerror(errno));
                stats_.errors++;
                stats_.dropped += discard(hops_[i]);
                continue;
            }
            stats_.moved += static_cast<size_t>(n);
        }
    }

private:
    std::vector<Pipe> hops_;
    std::optional<Pipe> egress_;
    RelayStats stats_;
};

static size_t push_frames(Pipe& in, int count) {
    size_t sent = 0;
    for (int i = 0; i < count; ++i) {
        std::string frame = "FRAME " + std::to_string(i) + " payload=abcdef\n";
        ssize_t n = ::write(in.wr.get(), frame.data(), frame.size());
        if (n > 0)
            sent += static_cast<size_t>(n);
    }
    return sent;
}

static size_t take_frames(Pipe& out, std::string& got) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out.rd.get(), buf, sizeof buf)) > 0)
        got.append(buf, static_cast<size_t>(n));
    return got.size();
}

int main(int argc, char** argv) {
    std::string scenario = argc > 1 ? argv[1] : "standalone";
    if (scenario != "standalone" && scenario != "egress") {
        std::fprintf(stderr, "usage: %s standalone|egress\n", argv[0]);
        return 2;
    }
    Relay relay(3);
    if (scenario == "egress")
        relay.attach_egress();
    size_t sent = push_frames(relay.ingress(), 8);
    relay.pump();
    std::string got;
    size_t received = take_frames(relay.sink(), got);
    std::printf("sent %zu, received %zu, dropped %zu, errors %u\n", sent, received,
                relay.stats().dropped, relay.stats().errors);
    if (scenario == "standalone")
        return received == 0 && relay.stats().dropped == sent ? 0 : 1;  // frames lost
    return received == sent ? 0 : 1;
}
