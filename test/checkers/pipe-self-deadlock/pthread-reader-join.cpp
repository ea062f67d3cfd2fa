// pthread-reader-join.c in C++: the start routine is a static member
// function that converts its argument back with reinterpret_cast and
// static_cast; send() gives it the read end as `std::intptr_t{fds[0]}`,
// finish() with a static_cast. send() joins the collector while it still
// holds the write end: the join never returns. Near miss: finish() closes
// the write end first.
//
// RUN: %check_pipe_tidy --require-analysed -std=c++17 %s pipe-self-deadlock %t -- -- -pthread
// RUN: %run_example %s send hang -- -std=c++17 -pthread
// RUN: %run_example %s finish exit -- -std=c++17 -pthread

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <unistd.h>

class Collector {
public:
  static void *run(void *arg) {
    int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(arg));
    char buf[256];
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
      total += n;
    std::printf("%ld bytes\n", total);
    return nullptr;
  }
};

static int send(const char *msg) {
  int fds[2];
  pthread_t t;
  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, nullptr, &Collector::run,
                     reinterpret_cast<void *>(std::intptr_t{fds[0]})) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, std::strlen(msg)) < 0)
    std::perror("write");
  pthread_join(t, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: thread 't' running 'run' is joined here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so thread 't' running 'run' never finishes and this join never returns; close 'fds[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: thread 't' running 'run' starts here; it reads 'fds[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here; its write end 'fds[1]' is still open at the join
  close(fds[1]);
  close(fds[0]);
  return 0;
}

static int finish(const char *msg) {
  int fds[2];
  pthread_t t;
  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, nullptr, &Collector::run,
                     reinterpret_cast<void *>(static_cast<std::intptr_t>(fds[0]))) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, std::strlen(msg)) < 0)
    std::perror("write");
  close(fds[1]);
  pthread_join(t, nullptr);
  close(fds[0]);
  return 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "send") == 0)
    return send("hello\n");
  if (std::strcmp(s, "finish") == 0)
    return finish("hello\n");
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}
