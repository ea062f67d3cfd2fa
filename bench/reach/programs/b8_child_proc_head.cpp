// A small wrapper that runs a generator in a child process and lets the
// caller read its standard output line by line. ChildProcess::spawn() forks,
// the child writes a long listing (a header and 8000 rows, about 260 KiB)
// into a pipe, and the parent object keeps the pid and the read end as
// private members. The "head" scenario prints only the header line and lets
// the object go out of scope. ~ChildProcess waits for the child before it
// closes the read end: the child is blocked in write() on a full pipe that
// nobody drains or closes any more, so waitpid never returns.
// CROSSES: the early stop is in show_header(), the wait-before-close runs in ~ChildProcess at scope exit; the pid and read end travel through a static factory, std::optional and a move constructor
// EXPECT: pipe-leaked-writer ~ChildProcess|show_header head hang
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Child side: a header and many rows, like `ls -l` of a big directory.
void produce_listing(int out) {
    FILE *f = fdopen(out, "w");
    if (!f)
        _exit(2);
    fprintf(f, "name size mtime\n");
    for (int i = 0; i < 8000; ++i)
        fprintf(f, "file-%05d.dat %d 1700000000\n", i, i * 37);
    fclose(f);
}

class ChildProcess {
public:
    static std::optional<ChildProcess> spawn(void (*body)(int)) {
        int fds[2];
        if (pipe(fds) != 0)
            return std::nullopt;
        pid_t pid = fork();
        if (pid < 0) {
            close(fds[0]);
            close(fds[1]);
            return std::nullopt;
        }
        if (pid == 0) {
            close(fds[0]);
            body(fds[1]);
            _exit(0);
        }
        close(fds[1]);
        return ChildProcess(pid, fds[0]);
    }

    ChildProcess(ChildProcess &&other) noexcept
        : pid_(other.pid_), fd_(other.fd_), buf_(std::move(other.buf_)) {
        other.pid_ = -1;
        other.fd_ = -1;
    }
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    ~ChildProcess() {
        if (pid_ > 0) {
            int status;
            while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
        }
        if (fd_ >= 0)
            close(fd_);
    }

    bool running() const { return pid_ > 0; }
    int fd() const { return fd_; }

    // Next line of the child's output without its newline; false at EOF.
    bool next_line(std::string &line) {
        for (;;) {
            size_t nl = buf_.find('\n');
            if (nl != std::string::npos) {
                line.assign(buf_, 0, nl);
                buf_.erase(0, nl + 1);
                return true;
            }
            char chunk[4096];
            ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                line.swap(buf_);
                buf_.clear();
                return !line.empty();
            }
            buf_.append(chunk, static_cast<size_t>(n));
        }
    }

private:
    ChildProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}

    pid_t pid_;
    int fd_;
    std::string buf_;
};

// Print the column names of the listing and stop there.
int show_header() {
    auto child = ChildProcess::spawn(produce_listing);
    if (!child || !child->running() || child->fd() < 0)
        return 1;
    std::string line;
    if (!child->next_line(line))
        return 1;
    printf("columns: %s\n", line.c_str());
    return 0;
}

// Count every row of the listing (reads to end-of-file).
int count_rows() {
    auto child = ChildProcess::spawn(produce_listing);
    if (!child)
        return 1;
    std::string line;
    long rows = -1;
    while (child->next_line(line))
        ++rows;
    printf("%ld rows\n", rows);
    return rows == 8000 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "head";
    if (strcmp(scenario, "head") == 0)
        return show_header();
    if (strcmp(scenario, "count") == 0)
        return count_rows();
    fprintf(stderr, "usage: %s head|count\n", argv[0]);
    return 2;
}
