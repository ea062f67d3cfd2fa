// The classes and functions of caller-facts.cpp that the other file of that
// program calls, in a header.
#ifndef CALLER_FACTS_HPP
#define CALLER_FACTS_HPP

namespace jobs {

class Launcher {
public:
  int start(int *rfd, const char *name);
  int restart(int *rfd, const char *name);
};

bool open_channel(int *rfd, const char *name);

} // namespace jobs

long xtu_drain_fd(int fd);
int setup_channel(int *rfd, const char *name);
void run_launcher(const char *name);
void run_channel(const char *name);
void run_restart(const char *name);

#endif
