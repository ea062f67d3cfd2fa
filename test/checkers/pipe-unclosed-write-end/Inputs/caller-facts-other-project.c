/* Another project that happens to have a function called xtu_start_job()
 * (the same USR, c:@F@xtu_start_job) whose only caller exits when it
 * fails. Its caller facts must not silence caller-facts.c's. */
#include <stdlib.h>
#include <unistd.h>

int xtu_start_job(int *rfd, const char *name)
{
  int fds[2];

  (void)name;
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  close(fds[1]);
  return 0;
}

int main(void)
{
  int r;

  if (xtu_start_job(&r, "x") < 0)
    exit(1);
  return 0;
}
