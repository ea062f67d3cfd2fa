// A subprocess wrapper whose constructor forks a child that prints a large
// dependency listing (about 250 KiB) into a pipe. find_package() reads the
// listing line by line with `while (proc.next(line))` and stops at the first
// match, long before the end, then lets the Subprocess go out of scope.
// ~Subprocess closes the read end first and only then waits: the child's next
// write() fails with EPIPE (SIGPIPE is ignored), it exits, and waitpid
// returns. Ending early is intended, so the child's failure status is not
// interesting and is dropped.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: find exit
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
    return 0;
}

// Child side: one "name version" line per installed package.
static void list_packages(int out) {
    char line[96];
    for (int i = 0; i < 10000; ++i) {
        int len = snprintf(line, sizeof line, "lib%05d-dev 1.%d.%d amd64\n", i, i % 40, i % 9);
        if (write_all(out, line, static_cast<size_t>(len)) < 0)
            _exit(1);
    }
}

class Subprocess {
public:
    explicit Subprocess(void (*body)(int)) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            return;
        pid_t pid = fork();
        if (pid < 0) {
            close(fds[0]);
            close(fds[1]);
            return;
        }
        if (pid == 0) {
            close(fds[0]);
            body(fds[1]);
            close(fds[1]);
            _exit(0);
        }
        close(fds[1]);
        pid_ = pid;
        fd_ = fds[0];
    }
    Subprocess(const Subprocess &) = delete;
    Subprocess &operator=(const Subprocess &) = delete;

    ~Subprocess() {
        if (fd_ >= 0)
            close(fd_);
        if (pid_ > 0) {
            int status;
            while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }

    bool running() const { return pid_ > 0; }
    int fd() const { return fd_; }

    bool next(std::string &line) {
        for (;;) {
            size_t nl = pending_.find('\n');
            if (nl != std::string::npos) {
                line.assign(pending_, 0, nl);
                pending_.erase(0, nl + 1);
                return true;
            }
            char buf[4096];
            ssize_t n = read(fd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            pending_.append(buf, static_cast<size_t>(n));
        }
    }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string pending_;
};

static int find_package(const char *name) {
    Subprocess proc(list_packages);
    if (!proc.running() || proc.fd() < 0)
        return 1;
    std::string line;
    while (proc.next(line)) {
        if (line.compare(0, strlen(name), name) == 0) {
            printf("found: %s\n", line.c_str());
            return 0;
        }
    }
    printf("%s: not installed\n", name);
    return 1;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "find";
    if (strcmp(scenario, "find") == 0)
        return find_package("lib00042-dev");
    fprintf(stderr, "usage: %s find\n", argv[0]);
    return 2;
}
