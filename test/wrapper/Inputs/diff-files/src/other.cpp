// A file of the repository that does not include io_util.h: a change to
// the header does not make --diff analyse it.
#include <unistd.h>

int other_pipe(int *out) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  close(fds[1]);
  *out = fds[0];
  return 0;
}
