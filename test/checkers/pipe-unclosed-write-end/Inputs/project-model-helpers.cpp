// The helpers of project-model.cpp, in a file of their own: fatal() ends
// the process although it is not declared [[noreturn]]; warn() does not.
#include <cstdio>
#include <cstdlib>

#include "project-model.hpp"

void fatal(const char *msg) {
  std::fprintf(stderr, "fatal: %s\n", msg);
  std::exit(1);
}

void warn(const char *msg) { std::fprintf(stderr, "warning: %s\n", msg); }
