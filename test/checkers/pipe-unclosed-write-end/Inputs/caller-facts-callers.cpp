// The other file of the caller-facts.cpp program: Launcher::start()'s
// caller ends the process when it fails (depth 1); open_channel()'s caller
// returns -1 to a lambda that ends the process (depth 2); restart()'s
// caller carries on and reads the pipe.
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "caller-facts.hpp"

long xtu_drain_fd(int fd)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

void run_launcher(const char *name)
{
  jobs::Launcher l;
  int r;

  if (l.start(&r, name) < 0)
    std::exit(1);
  xtu_drain_fd(r);
}

int setup_channel(int *rfd, const char *name)
{
  if (!jobs::open_channel(rfd, name))
    return -1;
  return 0;
}

void run_channel(const char *name)
{
  auto go = [&]() {
    int r;
    if (setup_channel(&r, name) != 0)
      std::_Exit(1);
    xtu_drain_fd(r);
  };
  go();
}

void run_restart(const char *name)
{
  jobs::Launcher l;
  int r = -1;

  if (l.restart(&r, name) < 0)
    std::fputs("restart failed; reading what it wrote\n", stderr);
  if (r >= 0)
    xtu_drain_fd(r);
}
