// statsd-lite: the admin endpoint answers "stats" with the text that a C
// reporting routine (print_report) prints on stdout. StdoutCapture points
// stdout at a pipe in its constructor and finish() puts stdout back and reads
// what was printed. The constructor keeps the pipe's write end in the member
// wr_ after dup2() (the destructor closes it), so when finish() restores
// stdout one reference to the write end is still open in this very thread:
// read_to_eof() never sees end-of-file and the request blocks forever on a
// pipe that only it could write to.
// CROSSES: the pipe is made in a constructor (StdoutCapture) and both ends are kept in class members; the read to end-of-file is in another member function (finish) through a helper (read_to_eof); the writes come from another function (print_report) through stdout
// EXPECT: pipe-self-deadlock StdoutCapture|finish report hang
#include <cerrno>
#include <cstdio>
#include <map>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

// The legacy reporting routine: prints, does not return text.
struct Counters {
    std::map<std::string, long> values;
    long uptime_s = 0;
};

static void print_report(const Counters &c) {
    std::printf("uptime %ld\n", c.uptime_s);
    for (const auto &kv : c.values)
        std::printf("%-16s %ld\n", kv.first.c_str(), kv.second);
    std::printf("end\n");
}

static std::string read_to_eof(int fd) {
    std::string text;
    char buf[1024];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
}

class StdoutCapture {
public:
    StdoutCapture();
    ~StdoutCapture();
    StdoutCapture(const StdoutCapture &) = delete;
    StdoutCapture &operator=(const StdoutCapture &) = delete;

    // Restores stdout and returns everything printed since construction.
    std::string finish();

private:
    void restore();
    int saved_ = -1; // the original stdout
    int rd_ = -1;
    int wr_ = -1;
};

StdoutCapture::StdoutCapture() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    std::fflush(stdout);
    saved_ = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (saved_ < 0 || ::dup2(p[1], STDOUT_FILENO) < 0) {
        int e = errno;
        ::close(p[0]);
        ::close(p[1]);
        throw std::system_error(e, std::generic_category(), "dup2");
    }
    rd_ = p[0];
    wr_ = p[1];
}

void StdoutCapture::restore() {
    if (saved_ < 0)
        return;
    std::fflush(stdout);
    ::dup2(saved_, STDOUT_FILENO); // stdout no longer refers to the pipe
    ::close(saved_);
    saved_ = -1;
}

std::string StdoutCapture::finish() {
    restore();
    std::string text = read_to_eof(rd_);
    ::close(rd_);
    rd_ = -1;
    return text;
}

StdoutCapture::~StdoutCapture() {
    restore();
    if (wr_ >= 0)
        ::close(wr_);
    if (rd_ >= 0)
        ::close(rd_);
}

// The admin command handler.
static std::string handle_stats(const Counters &c) {
    StdoutCapture cap;
    print_report(c);
    return cap.finish();
}

int main(int argc, char **argv) {
    std::string scenario = argc > 1 ? argv[1] : "report";
    if (scenario != "report") {
        std::fprintf(stderr, "usage: %s report\n", argv[0]);
        return 2;
    }
    Counters c;
    c.uptime_s = 86400;
    c.values = {{"requests", 120394}, {"errors_5xx", 17}, {"cache_hits", 99812},
                {"cache_misses", 20582}, {"open_conns", 42}};
    std::string reply = handle_stats(c);
    std::printf("reply: %zu bytes\n%s", reply.size(), reply.c_str());
    return reply.find("open_conns") != std::string::npos &&
                   reply.compare(reply.size() - 4, 4, "end\n") == 0
               ? 0
               : 1;
}
