// Writers started by std::async and kept in a container of futures, waited
// for by a range-for. wait() neither returns a task's result nor rethrows
// its exception: a writer that failed part-way ends the stream like one
// that finished, and the caller takes the short output as complete. get()
// in the same loop passes the failure on.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t
// RUN: %run_example %s only-waited exit
// RUN: %run_example %s got exit

#include <cstring>
#include <future>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

void emit(int fd, int lines) {
  if (lines < 0) {
    ::close(fd);
    throw std::runtime_error("cannot open shard");
  }
  for (int i = 0; i < lines; ++i)
    if (::write(fd, "line\n", 5) != 5)
      break;
  ::close(fd);
}

bool merge_waited(const std::vector<int> &shards, std::string &out) {
  int p[2];
  if (::pipe(p) != 0)
    return false;
  std::vector<std::future<void>> jobs;
  for (int lines : shards)
    jobs.push_back(std::async(std::launch::async, emit, ::dup(p[1]), lines));
  ::close(p[1]);
  char buf[4096];
  ssize_t n;
  while ((n = ::read(p[0], buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  ::close(p[0]);
  for (auto &job : jobs)
    job.wait();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'job.wait()' waits for the std::async task but neither returns its result nor rethrows its exception: if the task fails part-way, the reader of 'p[0]' sees a clean end-of-file and uses the output as if complete; call 'job.get()' after reading to end-of-file [pipe-writer-error-ignored]
// CHECK-MESSAGES: :[[@LINE-10]]:20: note: the tasks in 'jobs' start here
// CHECK-MESSAGES: :[[@LINE-7]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
// CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-9]]:10: note: the loop condition is false: leaving the loop
  return n == 0;
}

// Near-miss: get() rethrows the first failure.
bool merge_got(const std::vector<int> &shards, std::string &out) {
  int p[2];
  if (::pipe(p) != 0)
    return false;
  std::vector<std::future<void>> jobs;
  for (int lines : shards)
    jobs.push_back(std::async(std::launch::async, emit, ::dup(p[1]), lines));
  ::close(p[1]);
  char buf[4096];
  ssize_t n;
  while ((n = ::read(p[0], buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  ::close(p[0]);
  for (auto &job : jobs)
    job.get();
  return n == 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::vector<int> shards = {100, -1, 100};
  std::string out;
  if (s == "only-waited")
    // The lie: a missing shard, and success.
    return merge_waited(shards, out) && out.size() == 200 * 5 ? 0 : 1;
  if (s == "got") {
    try {
      merge_got(shards, out);
    } catch (const std::runtime_error &) {
      return 0; // the failure reached the caller
    }
    return 1;
  }
  return 2;
}
