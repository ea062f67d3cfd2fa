// ledger_export: renders ledger entries as CSV on a background writer and
// streams the text back through a pipe, so the caller can compress or
// upload it as it comes. start_export() returns an ExportJob holding the
// std::future of the std::async writer (it yields the number of rows
// written) and the read end of the pipe. export_csv() first makes sure the
// writer succeeded by calling job.rows.get() (it rethrows the writer's
// exception, and gives the row count for the trailer line) and only then
// drains the pipe. A month of ledger entries is far more than 64 KiB: the
// writer blocks in write() on the full pipe and get() blocks forever.
// CROSSES: the future and the read end come back inside a struct returned by value (start_export); the > 64 KiB of writes happen in a lambda run by std::async inside start_export
// EXPECT: pipe-wait-before-drain export_csv month hang
#include <cerrno>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

struct Entry {
    unsigned id;
    std::string account;
    long cents;
};

struct ExportJob {
    std::future<std::size_t> rows;  // rows written, or the writer's exception
    int fd;                         // read end of the CSV stream
};

static void write_all(int fd, const std::string& s) {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw std::runtime_error("ledger export: write failed");
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

static std::string csv_line(const Entry& e) {
    char amount[32];
    std::snprintf(amount, sizeof amount, "%s%ld.%02ld", e.cents < 0 ? "-" : "",
                  (e.cents < 0 ? -e.cents : e.cents) / 100, (e.cents < 0 ? -e.cents : e.cents) % 100);
    return std::to_string(e.id) + "," + e.account + "," + amount + "\n";
}

static ExportJob start_export(std::vector<Entry> entries) {
    int p[2];
    if (::pipe(p) < 0)
        throw std::runtime_error("ledger export: pipe failed");
    int wfd = p[1];
    auto writer = std::async(std::launch::async, [wfd, entries = std::move(entries)] {
        std::size_t n = 0;
        try {
            write_all(wfd, "id,account,amount\n");
            for (const Entry& e : entries) {
                write_all(wfd, csv_line(e));
                ++n;
            }
        } catch (...) {
            ::close(wfd);
            throw;
        }
        ::close(wfd);
        return n;
    });
    return ExportJob{std::move(writer), p[0]};
}

// The CSV text followed by a "# rows=N" trailer.
static std::string export_csv(std::vector<Entry> entries) {
    ExportJob job = start_export(std::move(entries));
    std::size_t rows = job.rows.get();
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(job.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(job.fd);
    out += "# rows=" + std::to_string(rows) + "\n";
    return out;
}

static std::vector<Entry> make_ledger(unsigned count) {
    static const char* accounts[] = {"assets:bank:checking", "expenses:groceries",
                                     "expenses:rent", "income:salary", "liabilities:visa"};
    std::vector<Entry> v;
    v.reserve(count);
    for (unsigned i = 0; i < count; i++)
        v.push_back(Entry{i + 1, accounts[i % 5], static_cast<long>((i * 7919u) % 200000u) - 100000});
    return v;
}

int main(int argc, char** argv) {
    std::string scenario = argc > 1 ? argv[1] : "month";
    unsigned count;
    if (scenario == "day")
        count = 30;
    else if (scenario == "month")
        count = 12000;  // about 400 KiB of CSV
    else {
        std::fprintf(stderr, "usage: %s day|month\n", argv[0]);
        return 2;
    }
    try {
        std::string csv = export_csv(make_ledger(count));
        std::printf("exported %zu bytes\n", csv.size());
        return csv.find("# rows=" + std::to_string(count) + "\n") != std::string::npos ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
