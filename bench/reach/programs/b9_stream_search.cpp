// Streaming search over generated audit records: a generator thread writes
// records into a pipe and the caller scans them for the first match. The
// scan stops as soon as it finds one, and finish() then joins the generator
// before closing the read end, so the generator sits blocked in write() on a
// full pipe and the join never returns.
// EXPECT: pipe-leaked-writer finish|run_search early hang
// CROSSES: the pipe and the writer thread (a lambda owning the write end) are created in launch_generator() and handed back in a unique_ptr<Producer>; the early return is in find_first(), and the join-before-close is in finish(), all three called from run_search()
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace {

struct Producer {
    std::thread worker;
    int rfd = -1;
};

std::unique_ptr<Producer> launch_generator(int count) {
    int fds[2];
    if (pipe(fds) != 0)
        return nullptr;
    auto p = std::make_unique<Producer>();
    p->rfd = fds[0];
    int wfd = fds[1];
    p->worker = std::thread([wfd, count] {
        char line[128];
        for (int i = 0; i < count; i++) {
            int len = snprintf(line, sizeof line, "audit %07d user=u%03d action=%s\n", i,
                               i % 257, (i % 13 == 0) ? "login" : "read");
            const char *q = line;
            while (len > 0) {
                ssize_t n = write(wfd, q, static_cast<size_t>(len));
                if (n < 0) {
                    if (errno == EINTR)
                        continue;
                    close(wfd);
                    return;
                }
                q += n;
                len -= static_cast<int>(n);
            }
        }
        close(wfd);
    });
    return p;
}

// Returns the first line containing needle, or nothing at end of stream.
std::optional<std::string> find_first(Producer &p, std::string_view needle) {
    std::string pending;
    char buf[4096];
    for (;;) {
        ssize_t n = read(p.rfd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return std::nullopt;
        pending.append(buf, static_cast<size_t>(n));
        size_t start = 0, nl;
        while ((nl = pending.find('\n', start)) != std::string::npos) {
            std::string_view line(pending.data() + start, nl - start);
            if (line.find(needle) != std::string_view::npos)
                return std::string(line);
            start = nl + 1;
        }
        pending.erase(0, start);
    }
}

void finish(Producer &p) {
    if (p.worker.joinable())
        p.worker.join();
    close(p.rfd);
    p.rfd = -1;
}

int run_search(std::string_view needle, int count) {
    auto gen = launch_generator(count);
    if (!gen)
        return 1;
    auto hit = find_first(*gen, needle);
    finish(*gen);
    if (hit)
        printf("found: %s\n", hit->c_str());
    else
        printf("no match in %d records\n", count);
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    std::string scenario = argc > 1 ? argv[1] : "full";
    if (scenario == "full")
        return run_search("user=u999", 2000); // no match: reads to the end
    if (scenario == "early")
        return run_search("audit 0000042", 200000); // match near the start
    fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
    return 2;
}
