// reach (near-miss): the ledger exporter of b5_ledger_export_failed_flag.cpp
// with the worker's failure carried to the reader: LedgerStream::drain()
// still reads to end-of-file and joins the lambda thread, but then returns
// std::nullopt when the member failed_ is set, and export_ledger() passes
// that on as an empty std::optional<ExportResult>. The ledger with a bad
// entry is refused instead of being exported short.
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: badentry exit
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

struct Entry {
    std::string account;
    long cents;
    std::string memo;
};

static std::optional<std::string> encode(const Entry& e) {
    if (e.cents < 0 || e.memo.find('\t') != std::string::npos ||
        e.account.find('\t') != std::string::npos)
        return std::nullopt;
    char amount[32];
    std::snprintf(amount, sizeof amount, "%ld.%02ld", e.cents / 100, e.cents % 100);
    return e.account + '\t' + amount + '\t' + e.memo + '\n';
}

class LedgerStream {
public:
    explicit LedgerStream(std::vector<Entry> entries) : entries_(std::move(entries)) {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
        rd_ = p[0];
        wr_ = p[1];
    }
    ~LedgerStream() {
        if (worker_.joinable())
            worker_.join();
        if (rd_ >= 0)
            ::close(rd_);
        if (wr_ >= 0)
            ::close(wr_);
    }
    LedgerStream(const LedgerStream&) = delete;
    LedgerStream& operator=(const LedgerStream&) = delete;

    void start() {
        worker_ = std::thread([this] {
            for (const Entry& e : entries_) {
                auto line = encode(e);
                if (!line || !write_all(*line)) {
                    failed_ = true;
                    break;
                }
            }
            ::close(wr_);
            wr_ = -1;
        });
    }

    std::optional<std::string> drain() {
        std::string out;
        char buf[8192];
        for (;;) {
            ssize_t n = ::read(rd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            out.append(buf, static_cast<size_t>(n));
        }
        worker_.join();
        if (failed_)
            return std::nullopt;  // the worker stopped early: what we read is partial
        return out;
    }

    bool failed() const { return failed_; }

private:
    bool write_all(const std::string& s) {
        size_t off = 0;
        while (off < s.size()) {
            ssize_t n = ::write(wr_, s.data() + off, s.size() - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return false;
            off += static_cast<size_t>(n);
        }
        return true;
    }

    std::vector<Entry> entries_;
    int rd_ = -1;
    int wr_ = -1;
    std::thread worker_;
    std::atomic<bool> failed_{false};
};

struct ExportResult {
    std::string tsv;
    size_t lines = 0;
};

static std::optional<ExportResult> export_ledger(const std::vector<Entry>& entries) {
    LedgerStream stream(entries);
    stream.start();
    std::optional<std::string> tsv = stream.drain();
    if (!tsv)
        return std::nullopt;
    ExportResult r;
    r.tsv = std::move(*tsv);
    for (char c : r.tsv)
        r.lines += c == '\n';
    return r;
}

int main(int argc, char** argv) {
    std::string scenario = argc > 1 ? argv[1] : "clean";
    std::vector<Entry> ledger = {
        {"assets:bank", 125000, "salary"},
        {"expenses:rent", 90000, "december"},
        {"expenses:food", 4250, "market\tsaturday"},
        {"assets:savings", 20000, "transfer"},
        {"expenses:power", 6110, "utility"},
    };
    if (scenario == "clean")
        ledger[2].memo = "market saturday";
    else if (scenario != "badentry") {
        std::fprintf(stderr, "usage: %s clean|badentry\n", argv[0]);
        return 2;
    }
    std::optional<ExportResult> r = export_ledger(ledger);
    if (!r) {
        std::fprintf(stderr, "export refused: an entry could not be encoded\n");
        return scenario == "badentry" ? 0 : 1;
    }
    std::printf("exported %zu entries (%zu bytes)\n", r->lines, r->tsv.size());
    return scenario == "clean" && r->lines == ledger.size() ? 0 : 1;
}
