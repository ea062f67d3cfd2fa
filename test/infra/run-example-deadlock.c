// Runner self-test of run_example.py's deadlock proof: a hang is proved
// before the timeout only when every thread of every process of the example
// is blocked in a call that only another of them could end. Each proof
// runs here, never answered from an earlier run's record (proof-records.c).
//
// A parent that reads its child's pipe to end-of-file while it keeps the
// write end, and waits in a second thread: proved deadlocked at once.
// RUN: env -u PIPE_TIDY_PROOF_RESULTS %run_example %s keeps_write_end hang > %t.1 2>&1
// RUN: FileCheck %s --check-prefix=DEADLOCK --input-file=%t.1
// DEADLOCK: run_example: OK: scenario 'keeps_write_end' of {{.*}} was deadlocked after {{[0-9.]+}} s ({{.*}}read of pipe:[{{[0-9]+}}]{{.*}})
//
// A thread that writes after a sleep ends the read: no deadlock is claimed,
// and the scenario finishes before the timeout.
// RUN: env -u PIPE_TIDY_PROOF_RESULTS not %run_example %s writer_sleeps_first hang --timeout 5 > %t.2 2>&1
// RUN: FileCheck %s --check-prefix=WAKES --input-file=%t.2
// WAKES: was expected to hang {{.*}}, but it exited with status 0
//
// A child that sleeps while it holds the write end: blocked, but not
// deadlocked (a sleep ends by itself), so the timeout is waited for.
// RUN: env -u PIPE_TIDY_PROOF_RESULTS %run_example %s sleeping_holder hang --timeout 1 > %t.3 2>&1
// RUN: FileCheck %s --check-prefix=SLEEPER --input-file=%t.3
// SLEEPER: run_example: OK: scenario 'sleeping_holder' of {{.*}} was still running when the timeout expired
//
// A non-blocking read spinning on EAGAIN is not blocked at all.
// RUN: env -u PIPE_TIDY_PROOF_RESULTS %run_example %s spins hang --timeout 1 > %t.4 2>&1
// RUN: FileCheck %s --check-prefix=SPINS --input-file=%t.4
// SPINS: was still running when the timeout expired
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int fds[2];

static void *drain(void *arg) {
  char buf[64];
  (void)arg;
  while (read(fds[0], buf, sizeof buf) > 0)
    ;
  return NULL;
}

static void *write_later(void *arg) {
  (void)arg;
  sleep(1);
  close(fds[1]);
  return NULL;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  pthread_t t;
  if (pipe(fds))
    return 2;
  if (!strcmp(s, "keeps_write_end")) {
    pid_t pid = fork();
    if (pid == 0) {
      write(fds[1], "hello\n", 6);
      _exit(0);
    }
    pthread_create(&t, NULL, drain, NULL); /* fds[1] is still open here */
    pthread_join(t, NULL);
    waitpid(pid, NULL, 0);
    return 0;
  }
  if (!strcmp(s, "writer_sleeps_first")) {
    pthread_create(&t, NULL, write_later, NULL);
    drain(NULL);
    pthread_join(t, NULL);
    return 0;
  }
  if (!strcmp(s, "sleeping_holder")) {
    if (fork() == 0) {
      sleep(30);
      _exit(0);
    }
    close(fds[1]);
    drain(NULL);
    return 0;
  }
  if (!strcmp(s, "spins")) {
    char c;
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    while (read(fds[0], &c, 1) < 0 && errno == EAGAIN)
      ;
    return 0;
  }
  return 64;
}
