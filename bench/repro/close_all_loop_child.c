/* Was a false positive (fixed, see pipe-leaked-writer/close-all-loop*):
 * a child that closes every descriptor but two in a loop, and a fork
 * tested inside a negated && chain. From smartmontools 7.3
 * popen_as_ugid.cpp: pipe-leaked-writer said on the chain's failure branch
 * (line 30) that the child keeps its copy of sd[0]; that branch has no
 * child (fork() failed or never ran), and the child closes sd[0] in the
 * getdtablesize() loop. The same warning at the last return came from the
 * loop alone.
 *
 *   clang-tidy-22 --load=build/llvm-22/PipeTidy-llvm22.so -checks='-*,pipe-*' bench/repro/close_all_loop_child.c --
 * expected: no warning (at d2b0f75: two, lines 30 and 46; none since the
 * close-all loop and the operands of && kept as values) */
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
FILE *f(const char *cmd)
{
  int pd[2] = {-1, -1};
  int sd[2] = {-1, -1};
  FILE *fp = 0;
  pid_t pid;
  if (!(!pipe(pd) && !pipe(sd) && !!(fp = fdopen(pd[0], "r")) &&
        (pid = fork()) != (pid_t)-1)) {
    if (fp) {
      fclose(fp); close(pd[1]);
    } else if (pd[0] >= 0) {
      close(pd[0]); close(pd[1]);
    }
    if (sd[0] >= 0) {
      close(sd[0]); close(sd[1]);
    }
    return 0;
  }
  if (!pid) {
    fclose(fp);
    for (int i = 0; i < getdtablesize(); i++) {
      if (i == pd[1] || i == sd[1])
        continue;
      close(i);
    }
    char big[100000];
    write(sd[1], big, sizeof big);
    _exit(0);
  }
  close(pd[1]);
  close(sd[1]);
  close(sd[0]);
  return fp;
}
