// A CSV exporter that renders a report on a worker thread and hands the bytes
// to the caller through a pipe. ReportExporter::start() launches the worker
// (a std::thread member) which writes every row into the pipe's write end and
// closes it; finish() joins the worker; collect() then reads the pipe to
// end-of-file. export_report() calls finish() before collect(): for the
// "big" report (6000 rows, about 250 KiB) the worker blocks in write() once
// the 64 KiB pipe is full, nothing reads it yet, and join() never returns.
// The "small" report fits in the pipe and completes.
// CROSSES: the join is in finish() and the read is in collect(), two methods the caller invokes in the wrong order; the amount written depends on the row count passed to the constructor
// EXPECT: pipe-wait-before-drain finish|export_report big hang
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

class ReportExporter {
public:
    explicit ReportExporter(int rows) : rows_(rows) {}
    ~ReportExporter() {
        if (rd_ >= 0)
            close(rd_);
        if (worker_.joinable())
            worker_.join();
    }

    bool start() {
        int fds[2];
        if (pipe(fds) != 0)
            return false;
        rd_ = fds[0];
        int wr = fds[1];
        worker_ = std::thread([this, wr] { render(wr); });
        return true;
    }

    // Wait until the report is fully rendered.
    void finish() {
        if (worker_.joinable())
            worker_.join();
    }

    // Everything the worker wrote.
    std::string collect() {
        std::string out;
        char buf[8192];
        for (;;) {
            ssize_t n = read(rd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            out.append(buf, static_cast<size_t>(n));
        }
        return out;
    }

private:
    void render(int wr) {
        dprintf(wr, "id,region,amount,currency,comment\n");
        for (int i = 0; i < rows_; ++i)
            dprintf(wr, "%d,region-%02d,%d.%02d,EUR,\"quarterly figure\"\n",
                    i, i % 17, i * 13, i % 100);
        close(wr);
    }

    int rows_;
    int rd_ = -1;
    std::thread worker_;
};

static int export_report(int rows) {
    ReportExporter exporter(rows);
    if (!exporter.start())
        return 1;
    exporter.finish();
    std::string csv = exporter.collect();
    size_t lines = 0;
    for (char c : csv)
        lines += c == '\n';
    printf("exported %zu bytes, %zu lines\n", csv.size(), lines);
    return lines == static_cast<size_t>(rows) + 1 ? 0 : 1;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "big";
    if (strcmp(scenario, "small") == 0)
        return export_report(50);
    if (strcmp(scenario, "big") == 0)
        return export_report(6000);
    fprintf(stderr, "usage: %s small|big\n", argv[0]);
    return 2;
}
