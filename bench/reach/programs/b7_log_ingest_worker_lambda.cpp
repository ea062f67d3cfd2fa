// log_ingest: parses a batch of log records on a worker thread. The batch
// hands its records to a consumer through a pipe, so consumers are written
// against a plain file descriptor (the same code reads a socket or a file
// in production). LogBatch::run_consumer() takes the consumer as a
// std::function, starts it on a std::thread with the pipe's read end, writes
// the records into the write end, then joins the worker and only after that
// closes the write end. The consumer given at the call site in
// tally_levels() is a lambda that reads the pipe to end-of-file; end-of-file
// never comes because this process still holds the write end, and join()
// waits forever.
// CROSSES: the read to end-of-file is in a lambda passed as std::function (tally_levels) and run on a thread in another function (LogBatch::run_consumer), which holds the write end across join
// EXPECT: pipe-self-deadlock run_consumer|tally_levels levels hang
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using LevelCounts = std::map<std::string, unsigned>;

class LogBatch {
public:
    explicit LogBatch(std::vector<std::string> records) : records_(std::move(records)) {}

    // Runs consume(read_fd) on a worker thread while the records are written
    // to it one per line; returns what consume returned.
    LevelCounts run_consumer(const std::function<LevelCounts(int)>& consume) const;

    std::size_t size() const { return records_.size(); }

private:
    static void write_all(int fd, const std::string& s) {
        const char* p = s.data();
        std::size_t left = s.size();
        while (left > 0) {
            ssize_t n = ::write(fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw std::runtime_error(std::string("log batch: write: ") + std::strerror(errno));
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }

    std::vector<std::string> records_;
};

LevelCounts LogBatch::run_consumer(const std::function<LevelCounts(int)>& consume) const {
    int p[2];
    if (::pipe(p) < 0)
        throw std::runtime_error("log batch: pipe failed");
    LevelCounts result;
    std::thread worker([&result, &consume, rfd = p[0]] { result = consume(rfd); });
    try {
        for (const std::string& r : records_)
            write_all(p[1], r + "\n");
    } catch (...) {
        ::close(p[1]);
        worker.join();
        ::close(p[0]);
        throw;
    }
    worker.join();
    ::close(p[1]);
    ::close(p[0]);
    return result;
}

// Counts records per level ("2024-05-01T10:00:00Z WARN disk 91% full" -> WARN).
static LevelCounts tally_levels(const LogBatch& batch) {
    return batch.run_consumer([](int fd) {
        LevelCounts counts;
        std::string pending;
        char buf[1024];
        for (;;) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            pending.append(buf, static_cast<std::size_t>(n));
            std::size_t nl;
            while ((nl = pending.find('\n')) != std::string::npos) {
                std::string line = pending.substr(0, nl);
                pending.erase(0, nl + 1);
                std::size_t a = line.find(' ');
                std::size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
                if (b != std::string::npos)
                    ++counts[line.substr(a + 1, b - a - 1)];
            }
        }
        return counts;
    });
}

int main(int argc, char** argv) {
    std::string scenario = argc > 1 ? argv[1] : "levels";
    if (scenario != "levels") {
        std::fprintf(stderr, "usage: %s levels\n", argv[0]);
        return 2;
    }
    static const char* levels[] = {"INFO", "INFO", "WARN", "INFO", "ERROR", "DEBUG"};
    std::vector<std::string> records;
    for (unsigned i = 0; i < 300; i++)
        records.push_back("2024-05-01T10:" + std::to_string(10 + i / 60) + ":" +
                          std::to_string(10 + i % 50) + "Z " + levels[i % 6] + " worker" +
                          std::to_string(i % 8) + " request served");
    LogBatch batch(std::move(records));
    LevelCounts counts = tally_levels(batch);
    unsigned total = 0;
    for (const auto& kv : counts) {
        std::printf("%-5s %u\n", kv.first.c_str(), kv.second);
        total += kv.second;
    }
    return total == batch.size() && counts["INFO"] == 150 ? 0 : 1;
}
