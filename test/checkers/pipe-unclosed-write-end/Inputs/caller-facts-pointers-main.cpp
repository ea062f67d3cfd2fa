// The second file of the caller-facts-pointers.cpp program. A table of
// member-function pointers whose dispatcher ends the process with the
// tool's result (as ninja's tools are run), a table of hooks whose caller
// exits when one fails, and the same hook held by a std::function, whose
// call this program does not make itself, and whose failure it survives.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <unistd.h>

#include "caller-facts-pointers.hpp"

namespace {
struct Tool {
  const char *name;
  int (Shell::*run)(int *, const char *);
};

const Tool tools[] = {
    {"browse", &Shell::browse},
    {"query", &Shell::query},
};
} // namespace

long drain_fd(int fd) {
  char buf[512];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

void run_tool(const char *tool, const char *name) {
  Shell sh;
  int r = -1;
  for (const Tool &t : tools)
    if (std::strcmp(t.name, tool) == 0)
      std::exit((sh.*t.run)(&r, name));
  std::exit(2);
}

using Hook = int (*)(int *, const char *);
static const Hook hooks[] = {hook_notify};

void run_hook_table(const char *name) {
  int r;
  if (hooks[0](&r, name) != 0)
    std::exit(1);
  drain_fd(r);
}

void run_hook_function(const char *name) {
  std::function<int(int *, const char *)> hook = hook_notify;
  int r = -1;
  if (hook(&r, name) != 0)
    std::fprintf(stderr, "hook failed, reading what it wrote\n");
  if (r >= 0)
    std::printf("%ld\n", drain_fd(r));
}
