/* The functions of caller-any-result-xtu.c that
 * Inputs/caller-any-result-callers.c calls, and its callers. */
#ifndef CALLER_ANY_RESULT_H
#define CALLER_ANY_RESULT_H
#include <sys/types.h>

int xany_start(pid_t *pid, const char *name);
void xany_start_v(pid_t *pid, const char *name);
int xany_start_w(pid_t *pid, const char *name);

void xany_run_ignored(const char *name);
void xany_setup(pid_t *pid, const char *name);
void xany_run_void(const char *name);
void xany_run_waits(const char *name);
#endif
