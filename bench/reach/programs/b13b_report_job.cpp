// A ReportJob runs a report generator in a forked child and captures its
// standard output through a pipe held in the object's own members (out_[2],
// with the child's pid in pid_). collect() starts the child, waits for it to
// finish so it can check the exit status first, and then reads the report.
// BUG: collect() calls reap() (waitpid on pid_) before drain() reads out_[0].
// The report is 240 KiB, far more than a pipe holds, so the child blocks in
// write() on a full pipe while the parent blocks in waitpid(): neither moves.
// EXPECT: pipe-wait-before-drain collect|reap big hang
// CROSSES: the pipe and the pid are class members set by start() and used by reap() and drain(), private methods that collect() calls in the wrong order
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

class ReportJob {
public:
    explicit ReportJob(std::size_t rows) : rows_(rows) {}
    ~ReportJob() {
        if (out_[0] >= 0)
            ::close(out_[0]);
        if (out_[1] >= 0)
            ::close(out_[1]);
    }
    ReportJob(const ReportJob &) = delete;
    ReportJob &operator=(const ReportJob &) = delete;

    // Runs the generator and returns everything it printed.
    std::string collect() {
        start();
        int status = reap();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error("report generator failed");
        return drain();
    }

private:
    void start() {
        if (::pipe(out_) < 0)
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        pid_ = ::fork();
        if (pid_ < 0)
            throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        if (pid_ == 0) {
            ::close(out_[0]);
            generate(out_[1]);
            ::_exit(0);
        }
        ::close(out_[1]);
        out_[1] = -1;
    }

    // Child side: one fixed-width line per row.
    void generate(int fd) const {
        char line[64];
        for (std::size_t i = 0; i < rows_; ++i) {
            int len = std::snprintf(line, sizeof line, "%08zu,%-50s\n", i, "pending");
            const char *p = line;
            while (len > 0) {
                ssize_t n = ::write(fd, p, static_cast<std::size_t>(len));
                if (n < 0) {
                    if (errno == EINTR)
                        continue;
                    ::_exit(1);
                }
                p += n;
                len -= static_cast<int>(n);
            }
        }
    }

    int reap() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0) {
            if (errno != EINTR)
                throw std::runtime_error("waitpid failed");
        }
        pid_ = -1;
        return status;
    }

    std::string drain() {
        std::string text;
        char buf[8192];
        for (;;) {
            ssize_t n = ::read(out_[0], buf, sizeof buf);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw std::runtime_error("read failed");
            }
            if (n == 0)
                break;
            text.append(buf, static_cast<std::size_t>(n));
        }
        ::close(out_[0]);
        out_[0] = -1;
        return text;
    }

    std::size_t rows_;
    int out_[2] = {-1, -1};
    pid_t pid_ = -1;
};

int main(int argc, char **argv) {
    if (argc < 2 || std::strcmp(argv[1], "big") != 0) {
        std::fprintf(stderr, "usage: %s big\n", argv[0]);
        return 2;
    }
    try {
        ReportJob job(4096); // 4096 rows x 60 bytes = 240 KiB
        std::string report = job.collect();
        std::printf("report: %zu bytes\n", report.size());
        return report.size() == 4096 * 60 ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
