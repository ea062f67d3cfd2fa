// Runner self-test of run_example.py with C++: the file is compiled as
// C++17 with -pthread, and std::terminate counts as an abort.
//
// RUN: %run_example %s joins exit
// RUN: %run_example %s terminates abort
// RUN: %run_example %s reader_waits_for_writer_that_keeps_the_end hang
// RUN: not %run_example %s terminates exit > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out
// CHECK: but it was killed by SIGABRT
#include <cstring>
#include <thread>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!std::strcmp(s, "joins")) {
    std::thread t([] {});
    t.join();
    return 0;
  }
  if (!std::strcmp(s, "terminates")) {
    std::thread t([] {});
    return 0; // a joinable std::thread is destroyed: std::terminate()
  }
  if (!std::strcmp(s, "reader_waits_for_writer_that_keeps_the_end")) {
    int fds[2];
    if (pipe(fds))
      return 1;
    std::thread writer([&] { (void)!write(fds[1], "x", 1); /* no close */ });
    char buf[8];
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    writer.join();
    return 0;
  }
  return 64;
}
