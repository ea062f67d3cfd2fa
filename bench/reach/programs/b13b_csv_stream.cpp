// CsvExporter turns a table of rows into CSV text. Formatting runs on a
// std::thread that writes the lines into a pipe while the calling thread
// reads the other end, checksums the text and collects it; the two sides
// only share the pipe and a reference capture ([&]) of the exporter.
// BUG: the producer lambda writes every row to fds[1] but never closes it,
// and export_all() does not close it either, so export_all()'s read loop
// never sees end-of-file once the producer has finished: it blocks in
// read() forever and the join() after the loop is never reached.
// EXPECT: pipe-unclosed-write-end export_all|37 rows hang
// CROSSES: the write end is written only inside the thread's lambda, which captures fds by reference; the read to end-of-file is in the function that started the thread
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

struct Row {
    int id;
    std::string name;
    double amount;
};

class CsvExporter {
public:
    explicit CsvExporter(std::vector<Row> rows) : rows_(std::move(rows)) {}

    std::string export_all(unsigned *checksum_out) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) < 0)
            throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));

        bool failed = false;
        std::thread producer([&] {
            std::string line;
            for (const Row &r : rows_) {
                line = format(r);
                if (!write_all(fds[1], line)) {
                    std::fprintf(stderr, "csv: write failed: %s\n", std::strerror(errno));
                    failed = true;
                    return;
                }
                ++written_;
            }
        });

        std::string text;
        unsigned sum = 0;
        char buf[4096];
        for (;;) {
            ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            if (n == 0)
                break;
            for (ssize_t i = 0; i < n; ++i)
                sum = sum * 31u + static_cast<unsigned char>(buf[i]);
            text.append(buf, static_cast<std::size_t>(n));
        }
        producer.join();
        ::close(fds[0]);
        if (failed)
            throw std::runtime_error("csv producer failed");
        *checksum_out = sum;
        return text;
    }

    std::size_t written() const { return written_; }

private:
    static std::string format(const Row &r) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%d,\"%s\",%.2f\n", r.id, r.name.c_str(), r.amount);
        return buf;
    }

    static bool write_all(int fd, const std::string &s) {
        const char *p = s.data();
        std::size_t left = s.size();
        while (left > 0) {
            ssize_t n = ::write(fd, p, left);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return false;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        return true;
    }

    std::vector<Row> rows_;
    std::size_t written_ = 0;
};

int main(int argc, char **argv) {
    if (argc < 2 || std::strcmp(argv[1], "rows") != 0) {
        std::fprintf(stderr, "usage: %s rows\n", argv[0]);
        return 2;
    }
    std::vector<Row> rows;
    for (int i = 0; i < 2000; ++i)
        rows.push_back({i, "item-" + std::to_string(i), i * 1.25});
    CsvExporter exp(std::move(rows));
    try {
        unsigned sum = 0;
        std::string csv = exp.export_all(&sum);
        std::printf("%zu rows, %zu bytes, checksum %08x\n", exp.written(), csv.size(), sum);
        return exp.written() == 2000 ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
