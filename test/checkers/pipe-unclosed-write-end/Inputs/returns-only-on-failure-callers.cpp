// The callers of returns-only-on-failure.cpp's methods, in another file.
// rof_page() ends the process when page_and_exit() comes back;
// rof_page_throw() catches the exception three times and goes on,
// counting the descriptors the failed tries left open.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "count-fds.h"
#include "returns-only-on-failure.hpp"

int rof_page(const char *program)
{
  Pager p(program);
  if (!p.page_and_exit("hello\n")) {
    std::fprintf(stderr, "could not page\n");
    std::exit(1);
  }
  return 0;
}

int rof_page_throw(const char *program)
{
  int before = open_fds();
  Pager p(program);
  for (int i = 0; i < 3; i++) {
    try {
      p.page_or_throw("hello\n");
    } catch (const std::exception &e) {
      std::fprintf(stderr, "%s\n", e.what());
    }
  }
  return open_fds() - before;
}
