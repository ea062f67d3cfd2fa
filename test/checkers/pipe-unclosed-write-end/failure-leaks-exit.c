// pipe-unclosed-write-end: a function that stores a pipe through a pointer
// parameter and returns a failure with it open, whose only caller ends the
// process on that failure (`if (open_pipes(&pp) < 0) exit(1);`). As for
// every leak right before the process ends, it is not reported by default;
// ReportLeaksBeforeExit reports it. The scenario runs the caller in a
// child limited to room for one pipe, and exits 0 when the child failed
// and exited with status 1 (the leak lasted until the process ended).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" --
// RUN: %run_example %s exits exit

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

struct pipes {
  int in[2];
  int out[2];
};

static int open_pipes(struct pipes *pp)
{
  if (pipe(pp->in) < 0)
    return -1;
  if (pipe(pp->out) < 0)
    // CHECK-MESSAGES-ON: :[[@LINE+2]]:5: warning: write end 'pp->in[1]' (and the read end 'pp->in[0]') of the pipe that 'open_pipes' stores through its parameter 'pp' are still open when 'open_pipes' returns -1 here; {{.*}}
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: pipe created here
    return -1;
  return 0;
}

static void run_worker(void)
{
  struct pipes pp;
  // CHECK-MESSAGES-ON: :[[@LINE+1]]:7: note: the caller gets the failure here
  if (open_pipes(&pp) < 0)
    exit(1);
  close(pp.in[0]);
  close(pp.in[1]);
  close(pp.out[0]);
  close(pp.out[1]);
}

int main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "exits") != 0)
    return 2;
  pid_t pid = fork();
  if (pid == 0) {
    int maxfd = 0;
    for (int fd = 0; fd < 1024; fd++)
      if (fcntl(fd, F_GETFD) >= 0)
        maxfd = fd;
    struct rlimit rl = { (rlim_t)maxfd + 3, (rlim_t)maxfd + 3 };
    setrlimit(RLIMIT_NOFILE, &rl);
    run_worker();
    _exit(0);
  }
  int st;
  if (waitpid(pid, &st, 0) < 0)
    return 1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 1 ? 0 : 1;
}
