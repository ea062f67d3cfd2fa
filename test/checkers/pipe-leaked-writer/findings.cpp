// Positive findings of pipe-leaked-writer in C++: the reader of a pipe gives
// up early (an error return, an exception, a break out of the read loop)
// while a writer task still holds the pipe. A joinable std::thread destroyed
// on that path calls std::terminate; a std::jthread or the future of
// std::async(std::launch::async, ...) destroyed there joins a writer blocked
// on the full pipe, whose read end is still open; joining or waiting before
// closing the read end does the same; a detached thread is left blocked for
// good. The boost::thread findings are in boost-findings.cpp, so that these
// run whether or not Boost is installed.
//
// The writers write 1 MiB or more, far more than a pipe holds (64 KiB), so
// they are blocked when the reader gives up. Every finding comes with a
// scenario that takes the reported path and aborts or hangs there; the "-ok"
// scenarios take the same functions' normal paths and finish.
//
// The check reports each where the reader leaves: the return, throw or
// break that destroys the handle, or the join that hangs.
//
// std::jthread needs C++20.
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++20
// RUN: %run_example %s thread-early-return abort -- -std=c++20
// RUN: %run_example %s thread-early-return-ok exit -- -std=c++20
// RUN: %run_example %s thread-exception abort -- -std=c++20
// RUN: %run_example %s thread-exception-ok exit -- -std=c++20
// RUN: %run_example %s jthread-early-return hang -- -std=c++20
// RUN: %run_example %s jthread-early-return-ok exit -- -std=c++20
// RUN: %run_example %s jthread-raii-order hang -- -std=c++20
// RUN: %run_example %s async-break hang -- -std=c++20
// RUN: %run_example %s async-break-ok exit -- -std=c++20
// RUN: %run_example %s async-wait-before-close hang -- -std=c++20
// RUN: %run_example %s join-before-close hang -- -std=c++20
// RUN: %run_example %s join-before-close-ok exit -- -std=c++20
// RUN: %run_example %s detached-member hang -- -std=c++20
// RUN: %run_example %s detached-member-ok exit -- -std=c++20

#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

// ---- helpers ---------------------------------------------------------------

// Writes all of buf to fd; -1 on an error (EPIPE once the reader is gone).
static int write_all(int fd, const void *buf, std::size_t len) {
  const char *p = static_cast<const char *>(buf);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0)
      return -1;
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Reads exactly len bytes unless end-of-file or an error comes first.
static ssize_t read_full(int fd, void *buf, std::size_t len) {
  char *p = static_cast<char *>(buf);
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n <= 0)
      return n < 0 ? -1 : static_cast<ssize_t>(got);
    got += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

// Reads fd to end-of-file; returns the number of bytes.
static long drain(int fd) {
  char buf[8192];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

// Owns a descriptor and closes it when destroyed.
class UniqueFd {
public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() {
    if (fd_ >= 0)
      close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

// The detached workers still running. A server waits for it to drop to zero
// at shutdown so that no task is cut off half-way; a worker left blocked on
// a pipe forever makes that wait hang, which is how the detached scenarios
// below make the leak visible.
class WorkerCount {
public:
  void enter() {
    std::lock_guard<std::mutex> lock(m_);
    ++n_;
  }
  void leave() {
    std::lock_guard<std::mutex> lock(m_);
    if (--n_ == 0)
      idle_.notify_all();
  }
  void wait_idle() {
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [this] { return n_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable idle_;
  int n_ = 0;
};

static WorkerCount g_workers;

constexpr std::size_t kMiB = 1024 * 1024;

// ---- std::thread destroyed on an early return: std::terminate -------------

struct FrameHeader {
  std::uint32_t magic;
  std::uint32_t length;
};
constexpr std::uint32_t kFrameMagic = 0x31465a50; // "PZF1"

// Compresses 'input' on a worker thread (the stand-in for a codec copies
// it) and reads the frame back; returns its length. Frames longer than
// 'limit' are refused before their payload is read.
static long compress_to_reader(const std::string &input, std::size_t limit) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::thread compressor([w = fds[1], &input] {
    FrameHeader h{kFrameMagic, static_cast<std::uint32_t>(input.size())};
    if (write_all(w, &h, sizeof h) == 0)
      write_all(w, input.data(), input.size());
    close(w);
  });
  FrameHeader h;
  if (read_full(fds[0], &h, sizeof h) != sizeof h || h.magic != kFrameMagic ||
      h.length > limit) {
    close(fds[0]);
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'compressor' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-11]]:15: note: std::thread 'compressor' starts here
    // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  compressor.join();
  return n;
}

// ---- std::thread destroyed on the exception path: std::terminate ----------

// Lists the entries of an archive index that a producer thread prints, one
// name a line; a name with a '/' in it is malformed and throws.
static std::vector<std::string> read_index_entries(const std::vector<std::string> &names) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::runtime_error("pipe");
  std::thread producer([&fds, &names] {
    for (const std::string &name : names)
      if (dprintf(fds[1], "%s\n", name.c_str()) < 0)
        break;
    close(fds[1]);
  });
  std::vector<std::string> entries;
  std::string pending;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t eol;
    while ((eol = pending.find('\n')) != std::string::npos) {
      std::string name = pending.substr(0, eol);
      pending.erase(0, eol + 1);
      if (name.find('/') != std::string::npos)
        // CHECK-MESSAGES: :[[@LINE+4]]:9: warning: std::thread 'producer' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
        // CHECK-MESSAGES: :[[@LINE-18]]:15: note: std::thread 'producer' starts here
        // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
        // CHECK-MESSAGES: :[[@LINE-4]]:11: note: taking the true branch
        throw std::runtime_error("malformed index entry: " + name);
      entries.push_back(name);
    }
  }
  close(fds[0]);
  producer.join();
  return entries;
}

// ---- std::jthread destroyed on an early return: hang ----------------------

static const char kCsvHeader[] = "id,name,value\n";

// Encodes 'rows' CSV rows after the header line; the fd comes in as an
// argument.
static void encode_rows(int out, std::size_t rows) {
  if (write_all(out, kCsvHeader, sizeof kCsvHeader - 1) == 0) {
    for (std::size_t i = 0; i < rows; ++i)
      if (dprintf(out, "%zu,item-%zu,%zu\n", i, i, i * 7) < 0)
        break;
  }
  close(out);
}

// Counts the rows of the CSV the encoder thread writes; gives up when the
// header is not the one the caller expects.
static std::optional<std::size_t> count_csv_rows(std::size_t rows, const char *expected_header) {
  int fds[2];
  if (pipe(fds) < 0)
    return std::nullopt;
  std::jthread encoder(encode_rows, fds[1], rows);
  char header[sizeof kCsvHeader - 1];
  if (read_full(fds[0], header, sizeof header) != sizeof header ||
      std::memcmp(header, expected_header, sizeof header) != 0)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::jthread 'encoder' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before std::jthread 'encoder' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:16: note: std::jthread 'encoder' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    return std::nullopt;
  std::size_t lines = 0;
  char buf[8192];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i)
      lines += buf[i] == '\n';
  close(fds[0]);
  return lines;
}

// ---- std::jthread destroyed before the RAII read end: hang -----------------

struct SnapshotJob {
  int out_fd;
  std::size_t bytes;
};

// Writes a snapshot of 'job.bytes' bytes, a version byte first; the fd comes
// in as a member of the struct.
static void write_snapshot(SnapshotJob job) {
  char block[4096];
  std::memset(block, 'S', sizeof block);
  block[0] = 3; // version
  std::size_t left = job.bytes;
  while (left > 0) {
    std::size_t k = left < sizeof block ? left : sizeof block;
    if (write_all(job.out_fd, block, k) < 0)
      break;
    block[0] = 'S';
    left -= k;
  }
  close(job.out_fd);
}

// Loads a snapshot written by a producer thread; only version 2 is known.
// The read end is a UniqueFd, but it is declared before the jthread, so on
// the early return the jthread is destroyed (and joins) first.
static long load_snapshot(std::size_t bytes) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  UniqueFd in(fds[0]);
  std::jthread producer(write_snapshot, SnapshotJob{fds[1], bytes});
  char version;
  if (read_full(in.get(), &version, 1) != 1 || version != 2)
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: std::jthread 'producer' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before std::jthread 'producer' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:16: note: std::jthread 'producer' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-7]]:12: note: 'in' closes the read end only when it is destroyed, after std::jthread 'producer'
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    return -1;
  return 1 + drain(in.get());
}

// ---- std::async future destroyed on a break: hang -------------------------

// Renders 'lines' lines of a server log; line 'error_at' is an error.
static void render_log(int out, std::size_t lines, std::size_t error_at) {
  for (std::size_t i = 0; i < lines; ++i) {
    const char *level = i == error_at ? "ERROR" : "INFO";
    if (dprintf(out, "%s request %zu served in %zu ms\n", level, i, i % 97) < 0)
      break;
  }
  close(out);
}

// Returns the first line with 'needle' in the log a producer task renders.
// The block is there to have the producer finished before the descriptor is
// closed; on the break it is not finished, it is blocked on the full pipe.
static std::string find_first_error(std::size_t lines, std::size_t error_at,
                                    const char *needle) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  std::string found;
  {
    std::future<void> producer = std::async(std::launch::async, [w = fds[1], lines, error_at] {
      render_log(w, lines, error_at);
    });
    std::string pending;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
      pending.append(buf, static_cast<std::size_t>(n));
      std::size_t pos = pending.find(needle);
      if (pos != std::string::npos) {
        std::size_t start = pending.rfind('\n', pos);
        start = start == std::string::npos ? 0 : start + 1;
        found = pending.substr(start, pending.find('\n', pos) - start);
        // CHECK-MESSAGES: :[[@LINE+5]]:9: warning: the future 'producer' of std::async waits for its task when it is destroyed at the end of its scope, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before the future 'producer' of std::async is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
        // CHECK-MESSAGES: :[[@LINE+10]]:3: note: the future 'producer' of std::async is destroyed here
        // CHECK-MESSAGES: :[[@LINE-15]]:34: note: the future 'producer' of std::async starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
        // CHECK-MESSAGES: :[[@LINE-20]]:7: note: pipe created here
        // CHECK-MESSAGES: :[[@LINE-8]]:11: note: taking the true branch
        break;
      }
      std::size_t eol = pending.rfind('\n');
      if (eol != std::string::npos)
        pending.erase(0, eol + 1);
    }
  }
  close(fds[0]);
  return found;
}

// ---- std::async future waited for before the close: hang ------------------

// Reads the magic number of a file that a loader task streams; the rest is
// not needed. The task is waited for before the read end is closed.
static bool has_elf_magic(std::size_t bytes) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  std::future<void> loader = std::async(std::launch::async, [w = fds[1], bytes] {
    std::vector<char> data(bytes, 0);
    std::memcpy(data.data(), "\177ELF", 4);
    write_all(w, data.data(), data.size());
    close(w);
  });
  char magic[4];
  bool ok = read_full(fds[0], magic, sizeof magic) == sizeof magic &&
            std::memcmp(magic, "\177ELF", 4) == 0;
  // CHECK-MESSAGES: :[[@LINE+3]]:3: warning: the future 'loader' of std::async is waited for here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-10]]:30: note: the future 'loader' of std::async starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
  loader.wait();
  close(fds[0]);
  return ok;
}

// ---- std::thread joined before the close: hang ----------------------------

struct ExportJob {
  int out_fd;
  std::uint64_t records;
};

// Announces the number of records, then writes them, 64 bytes each.
static void export_records(ExportJob job) {
  char record[64];
  std::memset(record, 'r', sizeof record);
  if (write_all(job.out_fd, &job.records, sizeof job.records) == 0)
    for (std::uint64_t i = 0; i < job.records; ++i)
      if (write_all(job.out_fd, record, sizeof record) < 0)
        break;
  close(job.out_fd);
}

// Imports the records an exporter thread writes, unless it announces more
// than 'max_records'.
static long import_records(std::uint64_t records, std::uint64_t max_records) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::thread exporter(export_records, ExportJob{fds[1], records});
  std::uint64_t announced = 0;
  if (read_full(fds[0], &announced, sizeof announced) != sizeof announced ||
      announced > max_records) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'exporter' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: std::thread 'exporter' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    exporter.join();
    close(fds[0]);
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  exporter.join();
  return n / 64;
}

// ---- detached std::thread running a member function: leak -----------------

// Renders a report on a detached thread that runs a member function; the
// write end is a member, reached through 'this'.
class ReportRenderer {
public:
  explicit ReportRenderer(std::size_t rows) : rows_(rows) {}

  // Returns the title line of the report, or "" when it is not a report of
  // the expected kind (the rest of it is then of no interest).
  std::string read_title(const char *kind) {
    int fds[2];
    if (pipe(fds) < 0)
      return {};
    out_fd_ = fds[1];
    g_workers.enter();
    std::thread(&ReportRenderer::render, this).detach();
    std::string title;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n')
      title += c;
    if (title.compare(0, std::strlen(kind), kind) != 0)
      // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: the thread running 'render' is detached on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE [pipe-leaked-writer]
      // CHECK-MESSAGES: :[[@LINE-7]]:5: note: the thread running 'render' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
      // CHECK-MESSAGES: :[[@LINE-12]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
      return {};
    drain(fds[0]);
    close(fds[0]);
    return title;
  }

private:
  void render() {
    dprintf(out_fd_, "Quarterly report\n");
    for (std::size_t i = 0; i < rows_; ++i)
      if (dprintf(out_fd_, "| %8zu | %-40s |\n", i, "widgets") < 0)
        break;
    close(out_fd_);
    g_workers.leave();
  }

  int out_fd_ = -1;
  std::size_t rows_;
};

// ---- scenarios -------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  // A write to a pipe whose read end is closed then fails with EPIPE instead
  // of killing the process, as in any program that pipes between threads.
  std::signal(SIGPIPE, SIG_IGN);

  if (s == "thread-early-return")
    return compress_to_reader(std::string(kMiB, 'x'), 64 * 1024) != -1;
  if (s == "thread-early-return-ok")
    return compress_to_reader(std::string(kMiB, 'x'), 2 * kMiB) != static_cast<long>(kMiB);
  if (s == "thread-exception" || s == "thread-exception-ok") {
    // A malformed name first, then 1.2 MiB of good ones.
    std::vector<std::string> names;
    if (s == "thread-exception")
      names.push_back("../etc/passwd");
    for (int i = 0; i < 20000; ++i)
      names.push_back("entry-" + std::to_string(i) + std::string(50, 'n'));
    try {
      return read_index_entries(names).size() != 20000;
    } catch (const std::exception &e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 1;
    }
  }
  if (s == "jthread-early-return")
    return count_csv_rows(100000, "id,name,price\n").has_value();
  if (s == "jthread-early-return-ok")
    return count_csv_rows(100000, kCsvHeader) != 100000;
  if (s == "jthread-raii-order")
    return load_snapshot(kMiB) != -1;
  if (s == "async-break")
    return find_first_error(50000, 10, "ERROR").empty();
  if (s == "async-break-ok")
    return !find_first_error(50000, 50000, "ERROR").empty();
  if (s == "async-wait-before-close")
    return !has_elf_magic(kMiB);
  if (s == "join-before-close")
    return import_records(20000, 1000) != -1;
  if (s == "join-before-close-ok")
    return import_records(20000, 100000) != 20000;
  if (s == "detached-member" || s == "detached-member-ok") {
    // The renderer outlives the call: its thread uses it after read_title
    // returns.
    static ReportRenderer renderer(20000);
    std::string title = renderer.read_title(s == "detached-member" ? "Annual" : "Quarterly");
    // Shutdown: wait for the detached workers to finish.
    g_workers.wait_idle();
    return title.empty() == (s == "detached-member-ok");
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}
