// pipe-wait-before-drain in C++ when a helper starts the writer and
// returns its handle and the read end of its pipe in a record by value:
// a struct built in the return statement (`return {pid, p[0]};`), a
// std::pair bound with a structured binding, a static member function
// that fills the object it returns (`t.pid = pid; ... return t;`), a
// lambda, and a struct whose std::future member gets a std::async writer
// (`job.done = std::async(...); return job;`: the future moves out with
// the struct, running), or a std::thread variable moved into the braced
// list it returns (`return Worker{std::move(t), p[0]};`). The caller waits for the writer (waitpid(), get())
// before it reads the output; the writer writes 1 MiB, so it blocks on the
// full pipe (64 KiB) and the wait never returns. The near misses read the
// output to end-of-file first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s braced hang
// RUN: %run_example %s pair hang
// RUN: %run_example %s factory hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s future hang
// RUN: %run_example %s moved-thread hang
// RUN: %run_example %s moved-thread-drain-first exit
// RUN: %run_example %s braced-drain-first exit
// RUN: %run_example %s future-drain-first exit

#include <cstdio>
#include <cstring>
#include <future>
#include <thread>
#include <utility>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct Child {
  pid_t pid;
  int out;
};

static void produce(int fd) {
  char block[4096];
  std::memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      _exit(1);
  _exit(0);
}
static Child spawnBraced() {
  int p[2];
  if (pipe(p) < 0)
    return {-1, -1};
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    produce(p[1]);
  }
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    return {-1, -1};
  }
  return {pid, p[0]};
}

static std::pair<pid_t, int> spawnPair() {
  int p[2];
  if (pipe(p) < 0)
    return {-1, -1};
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    produce(p[1]);
  }
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    return {-1, -1};
  }
  return {pid, p[0]};
}

struct Tool {
  pid_t pid = -1;
  int out = -1;
  static Tool start() {
    Tool t;
    int p[2];
    if (pipe(p) < 0)
      return t;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      produce(p[1]);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      return t;
    }
    t.pid = pid;
    t.out = p[0];
    return t;
  }
};

struct Job {
  int fd = -1;
  std::future<long> done;
};

static long produceAndClose(int fd) {
  char block[4096];
  std::memset(block, 'x', sizeof block);
  long n = 0;
  for (int i = 0; i < 256; i++) {
    if (write(fd, block, sizeof block) < 0)
      break;
    n += sizeof block;
  }
  close(fd);
  return n;
}

static Job startJob() {
  int p[2];
  if (pipe(p) < 0)
    return Job{};
  Job job;
  job.fd = p[0];
  int wr = p[1];
  job.done = std::async(std::launch::async, [wr] { return produceAndClose(wr); });
  return job;
}

static long drain(int fd) {
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

int bracedWaitFirst() {
  Child c = spawnBraced();
  int st;
  if (c.pid < 0)
    return -1;
  waitpid(c.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'c.pid' before its output pipe 'c.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: child process 'c.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'c.out' is read only here, after the wait
  long n = drain(c.out);
  close(c.out);
  return n == 1 << 20 ? 0 : 1;
}

int pairWaitFirst() {
  auto [pid, fd] = spawnPair();
  int st;
  if (pid < 0)
    return -1;
  waitpid(pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'fd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:20: note: child process 'pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:20: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'fd' is read only here, after the wait
  long n = drain(fd);
  close(fd);
  return n == 1 << 20 ? 0 : 1;
}

int toolWaitFirst() {
  Tool t = Tool::start();
  int st;
  if (t.pid < 0)
    return -1;
  waitpid(t.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 't.pid' before its output pipe 't.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 't.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:12: note: child process 't.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:12: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 't.out' is read only here, after the wait
  long n = drain(t.out);
  close(t.out);
  return n == 1 << 20 ? 0 : 1;
}

int lambdaWaitFirst() {
  auto spawn = []() -> Child {
    int p[2];
    if (pipe(p) < 0)
      return {-1, -1};
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      produce(p[1]);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      return {-1, -1};
    }
    return Child{pid, p[0]};
  };
  Child c = spawn();
  int st;
  if (c.pid < 0)
    return -1;
  waitpid(c.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'c.pid' before its output pipe 'c.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: child process 'c.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'c.out' is read only here, after the wait
  long n = drain(c.out);
  close(c.out);
  return n == 1 << 20 ? 0 : 1;
}

struct Worker {
  std::thread t;
  int fd;
};

static Worker startWorker() {
  int p[2];
  if (pipe(p) < 0)
    return Worker{std::thread(), -1};
  std::thread t(produceAndClose, p[1]);
  return Worker{std::move(t), p[0]};
}

int movedThreadJoinFirst() {
  Worker w = startWorker();
  if (w.fd < 0)
    return -1;
  w.t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: join() waits for std::thread 'w.t' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this join() never returns; read 'w.fd' to end-of-file before the join(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: std::thread 'w.t' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'w.fd' is read only here, after the wait
  long r = drain(w.fd);
  close(w.fd);
  return r == 1 << 20 ? 0 : 1;
}

int movedThreadDrainFirst() {
  Worker w = startWorker();
  if (w.fd < 0)
    return -1;
  long r = drain(w.fd);
  close(w.fd);
  w.t.join();
  return r == 1 << 20 ? 0 : 1;
}

int futureGetFirst() {
  Job job = startJob();
  if (job.fd < 0)
    return -1;
  long w = job.done.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: get() waits for the future 'job.done' of std::async before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this get() never returns; read 'job.fd' to end-of-file before the get(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: the future 'job.done' of std::async starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'job.fd' is read only here, after the wait
  long r = drain(job.fd);
  close(job.fd);
  return w == r ? 0 : 1;
}

int bracedDrainFirst() {
  Child c = spawnBraced();
  int st;
  if (c.pid < 0)
    return -1;
  long n = drain(c.out);
  close(c.out);
  waitpid(c.pid, &st, 0);
  return n == 1 << 20 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

int futureDrainFirst() {
  Job job = startJob();
  if (job.fd < 0)
    return -1;
  long r = drain(job.fd);
  close(job.fd);
  long w = job.done.get();
  return w == r && r == 1 << 20 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!std::strcmp(s, "braced"))
    return bracedWaitFirst();
  if (!std::strcmp(s, "pair"))
    return pairWaitFirst();
  if (!std::strcmp(s, "factory"))
    return toolWaitFirst();
  if (!std::strcmp(s, "lambda"))
    return lambdaWaitFirst();
  if (!std::strcmp(s, "future"))
    return futureGetFirst();
  if (!std::strcmp(s, "moved-thread"))
    return movedThreadJoinFirst();
  if (!std::strcmp(s, "moved-thread-drain-first"))
    return movedThreadDrainFirst();
  if (!std::strcmp(s, "braced-drain-first"))
    return bracedDrainFirst();
  if (!std::strcmp(s, "future-drain-first"))
    return futureDrainFirst();
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}
