/*
 * spawn_capture.c - a popen(3)-like helper: run a program with its standard
 * output connected to a pipe and return a stream that reads that output.
 *
 * Bug: the parent marks its read end close-on-exec (the code avoids
 * pipe2() for portability).  When that fcntl() fails, the helper stops the
 * child and returns NULL, but it never closes its write end of the pipe.
 * Each such failure leaks one descriptor, and because the write end has no
 * FD_CLOEXEC, every program this process starts afterwards inherits it.
 *
 * pipe-unclosed-write-end reports the 'return NULL' in the fcntl() error
 * branch and offers the fix-it 'close(fds[1]); '.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

FILE *spawn_capture(const char *path, char *const argv[], pid_t *child)
{
    int fds[2];
    pid_t pid;
    FILE *out;

    if (pipe(fds) < 0)
        return NULL;

    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return NULL;
    }
    if (pid == 0) {
        /* Child: standard output becomes the write end. */
        close(fds[0]);
        if (fds[1] != STDOUT_FILENO) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[1]);
        }
        execv(path, argv);
        _exit(127);
    }

    /* Parent: keep the read end out of programs started later. */
    if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0) {
        close(fds[0]);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return NULL; /* fds[1] is still open here */
    }
    close(fds[1]);

    out = fdopen(fds[0], "r");
    if (out == NULL) {
        close(fds[0]);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return NULL;
    }
    *child = pid;
    return out;
}

/* Closes the stream and returns the child's wait status, or -1. */
int spawn_capture_close(FILE *out, pid_t child)
{
    int status;

    fclose(out);
    if (waitpid(child, &status, 0) < 0)
        return -1;
    return status;
}
