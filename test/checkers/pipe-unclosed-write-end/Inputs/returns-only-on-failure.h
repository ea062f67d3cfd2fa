/* The functions of returns-only-on-failure.c and their callers in
 * Inputs/returns-only-on-failure-callers.c. */
#ifndef RETURNS_ONLY_ON_FAILURE_H
#define RETURNS_ONLY_ON_FAILURE_H

#include <sys/types.h>

void show_in_viewer(const char *viewer, const char *text);
int run_monitored(const char *prog, const char *arg);
pid_t start_viewer(const char *viewer, const char *text);
void start_viewer_v(const char *viewer, const char *text, pid_t *pid);
void exec_or_report(const char *prog);
void start_viewer_r(const char *viewer, const char *text, pid_t *pid);
void start_viewer_p(const char *viewer, const char *text);
void start_viewer_f(const char *viewer, const char *text);

int rof_show(const char *viewer);
int rof_monitor(const char *prog);
int rof_start(const char *viewer);
int rof_start_v(const char *viewer);
int rof_start_r(const char *viewer);
int rof_start_p(const char *viewer);
int rof_start_f(const char *viewer);

#endif
