/* Functions of caller-context.c that another file may call: this header is
 * how it does (Inputs/caller-context-other.c). */
#ifndef CALLER_CONTEXT_H
#define CALLER_CONTEXT_H

/* Starts a job that reports through a pipe; *rfd gets the read end.
 * Returns 0, or -1 when it cannot. */
int start_job_api(int *rfd, const char *name);

/* What the other file does: start a job, ignore the failure, and return
 * the read end it got. */
int api_ignoring_failure(const char *name);
int exported_ignoring_failure(const char *name);

#endif
