// writer_thread.cpp - stream records as CSV through a pipe: a writer thread
// encodes them into the write end while the calling thread copies the read
// end to a file descriptor.
//
// Bug: the writer lambda owns the write end (it closes 'wfd' when it has
// written every record), but when a record fails to encode it returns early
// without closing it.  The copy loop in export_csv() then never sees
// end-of-file: read() blocks forever and writer.join() is never reached.
//
// pipe-unclosed-write-end reports the early 'return;' in the lambda.  Because
// 'wfd' is a capture (not a pipe the lambda creates), the message says that
// the end is closed on another path.

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

struct Record {
  std::string name;
  double amount;
};

// Formats one record as a CSV line. Fails on names that would need quoting.
static bool encode(const Record &r, std::string &line) {
  if (r.name.find_first_of(",\"\n") != std::string::npos)
    return false;
  line = r.name + "," + std::to_string(r.amount) + "\n";
  return true;
}

// Writes the records to 'out' as CSV. Returns false on a read or write error.
bool export_csv(const std::vector<Record> &records, int out) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;

  std::thread writer([wfd = fds[1], &records] {
    for (const Record &r : records) {
      std::string line;
      if (!encode(r, line))
        return; // the write end stays open: the reader below never sees EOF
      // A blocking write to a pipe is complete unless a signal interrupts it.
      if (write(wfd, line.data(), line.size()) !=
          static_cast<ssize_t>(line.size()))
        break;
    }
    close(wfd);
  });

  bool ok = true;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    if (write(out, buf, static_cast<size_t>(n)) != n) {
      ok = false;
      break;
    }
  }
  if (n < 0)
    ok = false;
  close(fds[0]);
  writer.join();
  return ok;
}
