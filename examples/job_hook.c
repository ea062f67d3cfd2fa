/*
 * job_hook.c - run a job's shell command while a logger child timestamps
 * the progress messages that the job runner writes into a pipe.
 *
 * Bug: the pipe is made with pipe(), not pipe2(..., O_CLOEXEC), so the
 * shell that system() starts inherits the write end, and so does anything
 * that shell leaves running in the background (a daemon started by the
 * job, 'cmd &').  The runner closes its own write end and waits for the
 * logger, but the logger's read() does not return end-of-file while any
 * process still holds a write end, so waitpid() blocks for as long as that
 * background process lives.
 *
 * pipe-unclosed-write-end reports the system() call.  The fix is
 * pipe2(fds, O_CLOEXEC): dup2() in the logger child clears the flag on
 * its standard input, so the logger itself is unaffected.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs 'command' with sh -c; returns its wait status, or -1. */
int run_job(const char *name, const char *command)
{
    int fds[2];
    pid_t logger;
    int status;

    if (pipe(fds) < 0)
        return -1;

    logger = fork();
    if (logger < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (logger == 0) {
        /* Child: ts(1) prefixes every line of its standard input with the
         * time of day. */
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("ts", "ts", "%H:%M:%S", (char *)NULL);
        _exit(127);
    }

    close(fds[0]);
    dprintf(fds[1], "job %s: starting\n", name);
    status = system(command);
    dprintf(fds[1], "job %s: finished with status %d\n", name, status);
    close(fds[1]);

    waitpid(logger, NULL, 0);
    return status;
}
