// C++: a member that does not exist, in a member function.
#include <unistd.h>

struct Config {
  int size = 0;
#ifdef FIXED
  int retries = 0;
#endif
};

int intact_leaks() {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; // INTACT-LEAK: p[1] stays open
}

struct Spawner {
  Config cfg;
  int broken_leaks(int *out) {
    int p[2];
    if (pipe(p) < 0)
      return -1;
    *out = p[0];
    return cfg.retries; // BROKEN-LEAK: p[1] stays open
  }
};

int use(Spawner &s, int *out) { return s.broken_leaks(out); }
