// The member functions and functions of caller-facts-pointers.cpp that the
// program reaches only through pointers, and the dispatchers of
// Inputs/caller-facts-pointers-main.cpp that call them.
#ifndef CALLER_FACTS_POINTERS_HPP
#define CALLER_FACTS_POINTERS_HPP

class Shell {
public:
  int browse(int *rfd, const char *name);
  int query(int *rfd, const char *name);
};

int hook_notify(int *rfd, const char *name);

long drain_fd(int fd);
[[noreturn]] void run_tool(const char *tool, const char *name);
void run_hook_table(const char *name);
void run_hook_function(const char *name);

#endif
