// csvexport: the reporting service streams a table out as CSV. start_export()
// makes a pipe, starts the CSV writer with std::async (a lambda that owns the
// write end and closes it when done) and returns the read end with the
// writer's std::future<size_t> (the row count) in an ExportJob struct.
// export_table() drains the pipe to end-of-file first and only then takes
// the row count with rows.get(), so a CSV larger than the pipe's 64 KiB
// buffer flows through while the writer runs, and get() returns at once.
// CROSSES: the writer thread is started in a helper (start_export) running a lambda; the read end and the writer's future are returned in a struct (ExportJob); the wait is std::future::get; the drain is in a helper (read_all)
// EXPECT-NONE: pipe-wait-before-drain
// PROOF: large exit
#include <cerrno>
#include <cstdio>
#include <future>
#include <string>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

struct Row {
    int id;
    std::string customer;
    long amount_cents;
};
using Table = std::vector<Row>;

struct ExportJob {
    int fd = -1;                     // read end of the CSV stream
    std::future<std::size_t> rows;   // rows written, once the writer is done
};

static Table make_table(std::size_t n) {
    static const char *const kNames[] = {"Acme Corp", "Globex", "Initech", "Umbrella",
                                         "Stark Industries", "Wayne Enterprises"};
    Table t;
    t.reserve(n);
    for (std::size_t i = 0; i < n; i++)
        t.push_back({static_cast<int>(1000 + i), kNames[i % 6],
                     static_cast<long>((i * 7919) % 1000000)});
    return t;
}

static bool write_all(int fd, const char *p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

static std::size_t write_csv(int fd, const Table &t) {
    const std::string header = "id,customer,amount\n";
    if (!write_all(fd, header.data(), header.size()))
        return 0;
    std::size_t rows = 0;
    char line[128];
    for (const Row &r : t) {
        int len = std::snprintf(line, sizeof line, "%d,\"%s\",%ld.%02ld\n", r.id,
                                r.customer.c_str(), r.amount_cents / 100, r.amount_cents % 100);
        if (!write_all(fd, line, static_cast<std::size_t>(len)))
            break;
        ++rows;
    }
    return rows;
}

static ExportJob start_export(const Table &t) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    ExportJob job;
    job.fd = p[0];
    const int wr = p[1];
    job.rows = std::async(std::launch::async, [wr, &t] {
        std::size_t n = write_csv(wr, t);
        ::close(wr);
        return n;
    });
    return job;
}

static std::string read_all(int fd) {
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

static std::string export_table(const Table &t, std::size_t &rows_out) {
    ExportJob job = start_export(t);
    std::string csv = read_all(job.fd);
    ::close(job.fd);
    rows_out = job.rows.get();
    return csv;
}

int main(int argc, char **argv) {
    std::string scenario = argc > 1 ? argv[1] : "small";
    std::size_t n;
    if (scenario == "small")
        n = 25;
    else if (scenario == "large")
        n = 6000; // about 155 KiB of CSV
    else {
        std::fprintf(stderr, "usage: %s small|large\n", argv[0]);
        return 2;
    }
    Table t = make_table(n);
    std::size_t rows = 0;
    std::string csv = export_table(t, rows);
    std::size_t lines = 0;
    for (char c : csv)
        lines += c == '\n';
    std::printf("exported %zu rows, %zu bytes, %zu lines\n", rows, csv.size(), lines);
    return rows == n && lines == n + 1 ? 0 : 1;
}
