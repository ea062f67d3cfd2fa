// A sync job that serialises customer records on a worker thread and streams
// them to the uploader through a pipe. The writer is a lambda run by the
// ExportJob's std::thread member; when encode() rejects a record (a name with
// an embedded newline) it sets failed_, closes its write end and stops. The
// reader sees a clean end-of-file, wait() joins the thread, and nobody ever
// calls failed(): sync_records() uploads the truncated batch as if it were
// complete. The "truncated" scenario exits 0 when the partial batch was
// accepted as a full one.
// CROSSES: the failure is recorded inside the lambda started by ExportJob::start(); the flag lives in a member read only by failed(), which sync_records() never calls after read_lines() and wait()
// EXPECT: pipe-writer-error-ignored sync_records|start truncated exit
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

struct Customer {
    int id;
    std::string name;
};

static bool encode(const Customer &c, std::string &out) {
    if (c.name.find('\n') != std::string::npos)
        return false;
    out = std::to_string(c.id) + "\t" + c.name + "\n";
    return true;
}

class ExportJob {
public:
    ~ExportJob() {
        if (rd_ >= 0)
            close(rd_);
        if (worker_.joinable())
            worker_.join();
    }

    bool start(const std::vector<Customer> &batch) {
        int fds[2];
        if (pipe(fds) != 0)
            return false;
        rd_ = fds[0];
        int wr = fds[1];
        worker_ = std::thread([this, &batch, wr] {
            std::string line;
            for (const Customer &c : batch) {
                if (!encode(c, line)) {
                    failed_ = true;
                    break;
                }
                if (write(wr, line.data(), line.size()) < 0) {
                    failed_ = true;
                    break;
                }
            }
            close(wr);
        });
        return true;
    }

    std::vector<std::string> read_lines() {
        std::vector<std::string> lines;
        std::string pending;
        char buf[4096];
        ssize_t n;
        while ((n = read(rd_, buf, sizeof buf)) != 0) {
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            pending.append(buf, static_cast<size_t>(n));
            size_t nl;
            while ((nl = pending.find('\n')) != std::string::npos) {
                lines.push_back(pending.substr(0, nl));
                pending.erase(0, nl + 1);
            }
        }
        return lines;
    }

    void wait() {
        if (worker_.joinable())
            worker_.join();
    }

    bool failed() const { return failed_; }

private:
    int rd_ = -1;
    std::atomic<bool> failed_{false};
    std::thread worker_;
};

// Upload one batch; returns how many records were sent.
static size_t sync_records(const std::vector<Customer> &batch) {
    ExportJob job;
    if (!job.start(batch))
        return 0;
    std::vector<std::string> lines = job.read_lines();
    job.wait();
    printf("uploaded batch of %zu records, marked complete\n", lines.size());
    return lines.size();
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "truncated";
    if (strcmp(scenario, "truncated") != 0) {
        fprintf(stderr, "usage: %s truncated\n", argv[0]);
        return 2;
    }
    std::vector<Customer> batch;
    for (int i = 0; i < 300; ++i)
        batch.push_back({i, "customer " + std::to_string(i)});
    batch[120].name = "ACME\nCorp";
    size_t sent = sync_records(batch);
    if (sent < batch.size()) {
        printf("symptom: %zu of %zu records uploaded without an error\n", sent, batch.size());
        return 0;
    }
    return 1;
}
