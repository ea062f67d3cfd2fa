// A read of a pipe whose write end a thread of this process was given and
// writes: the thread may write, so "this thread holds the only write end and
// has written nothing" is false, and nothing is reported. The end given by
// value to a function, to a member function, and through pthread_create()'s
// `void *` as the one `int` it points to; each thread writes the answer and
// the read returns it.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s value exit
// RUN: %run_example %s member exit
// RUN: %run_example %s pointer exit

#include <cstring>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace {

void answer(int out) {
  int v = 42;
  (void)write(out, &v, sizeof v);
}

struct Oracle {
  int value = 42;
  void tell(int out) { (void)write(out, &value, sizeof value); }
};

void *answer_through_pointer(void *arg) {
  int fd = *static_cast<int *>(arg);
  int v = 42;
  (void)write(fd, &v, sizeof v);
  return nullptr;
}

int by_value() {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::thread t(answer, fds[1]);
  int v = 0;
  (void)read(fds[0], &v, sizeof v);
  t.join();
  close(fds[0]);
  close(fds[1]);
  return v;
}

int by_member() {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Oracle o;
  std::thread t(&Oracle::tell, &o, fds[1]);
  int v = 0;
  (void)read(fds[0], &v, sizeof v);
  t.join();
  close(fds[0]);
  close(fds[1]);
  return v;
}

int by_pointer() {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pthread_t t;
  if (pthread_create(&t, nullptr, answer_through_pointer, &fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  int v = 0;
  (void)read(fds[0], &v, sizeof v);
  pthread_join(t, nullptr);
  close(fds[0]);
  close(fds[1]);
  return v;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!std::strcmp(argv[1], "value"))
    return by_value() == 42 ? 0 : 1;
  if (!std::strcmp(argv[1], "member"))
    return by_member() == 42 ? 0 : 1;
  if (!std::strcmp(argv[1], "pointer"))
    return by_pointer() == 42 ? 0 : 1;
  return 2;
}
