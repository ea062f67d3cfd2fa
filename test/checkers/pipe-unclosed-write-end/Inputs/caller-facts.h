/* The functions of caller-facts.c that the other files of that program
 * call: a header, so that each file's own analysis cannot know every
 * caller. */
#ifndef CALLER_FACTS_H
#define CALLER_FACTS_H

int xtu_start_job(int *rfd, const char *name);
int xtu_open_relay(int *rfd, const char *name);
int xtu_start_worker(int *rfd, const char *name);
int xtu_relay_setup(const char *name, int *rfd);

long xtu_drain(int fd);
void xtu_run_job(const char *name);
void xtu_run_relay(const char *name);
void xtu_run_worker_checked(const char *name);
void xtu_run_worker_anyway(const char *name);

#endif
