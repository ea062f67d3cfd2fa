// A service supervisor that watches a component's boot log. LogPump owns a
// pipe and a std::thread member whose lambda writes the log (a READY line
// after 20 lines, then about 220 KiB of debug output) and records the errno
// of a failed write. wait_for_ready() reads with `while (pump.next(line))`
// and stops at READY. LogPump::stop() closes the read end before joining,
// so the writer blocked on the full pipe gets EPIPE (SIGPIPE is ignored),
// records it and returns, and the join completes. stop() returns the
// writer's error and wait_for_ready() tests it, tolerating only the EPIPE
// its own early stop caused.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-self-deadlock
// PROOF: ready exit
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

class LogPump {
public:
    LogPump() {
        int fds[2];
        if (pipe(fds) != 0)
            return;
        rd_ = fds[0];
        int wr = fds[1];
        writer_ = std::thread([this, wr] {
            for (int i = 0; i < 6000 && err_ == 0; ++i) {
                char line[80];
                int n = i == 20 ? snprintf(line, sizeof line, "READY pid=%d\n", 4242)
                                : snprintf(line, sizeof line, "debug: step %d of boot sequence ok\n", i);
                if (write(wr, line, static_cast<size_t>(n)) < 0)
                    err_ = errno;
            }
            close(wr);
        });
    }
    LogPump(const LogPump &) = delete;
    LogPump &operator=(const LogPump &) = delete;
    ~LogPump() { stop(); }

    bool ok() const { return rd_ >= 0; }

    bool next(std::string &line) {
        for (;;) {
            size_t nl = pending_.find('\n');
            if (nl != std::string::npos) {
                line.assign(pending_, 0, nl);
                pending_.erase(0, nl + 1);
                return true;
            }
            char buf[2048];
            ssize_t n = read(rd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            pending_.append(buf, static_cast<size_t>(n));
        }
    }

    // Stop reading and wait for the writer; returns the writer's errno.
    int stop() {
        if (rd_ >= 0) {
            close(rd_);
            rd_ = -1;
        }
        if (writer_.joinable())
            writer_.join();
        return err_;
    }

private:
    int rd_ = -1;
    int err_ = 0;
    std::string pending_;
    std::thread writer_;
};

static int wait_for_ready() {
    LogPump pump;
    if (!pump.ok())
        return 1;
    std::string line;
    bool ready = false;
    while (pump.next(line)) {
        if (line.rfind("READY", 0) == 0) {
            ready = true;
            break;
        }
    }
    int err = pump.stop();
    if (err != 0 && !(ready && err == EPIPE)) {
        fprintf(stderr, "log writer failed: %s\n", strerror(err));
        return 1;
    }
    printf(ready ? "component ready: %s\n" : "component never became ready%s\n",
           ready ? line.c_str() : "");
    return ready ? 0 : 1;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "ready";
    if (strcmp(scenario, "ready") == 0)
        return wait_for_ready();
    fprintf(stderr, "usage: %s ready\n", argv[0]);
    return 2;
}
