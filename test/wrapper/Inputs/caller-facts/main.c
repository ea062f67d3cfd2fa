/* start_job()'s only caller exits when it fails; start_worker()'s carries
 * on and reads the pipe. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib.h"

int main(int argc, char **argv)
{
  char buf[64];
  int r, w = -1;

  if (start_job(&r, argc > 1 ? argv[1] : "job") < 0) {
    perror("start_job");
    exit(1);
  }
  if (start_worker(&w, argc > 2 ? argv[2] : "worker") < 0)
    fputs("no worker\n", stderr);
  while (w >= 0 && read(w, buf, sizeof buf) > 0)
    ;
  return 0;
}
