/*
 * correct.c - the patterns of the other examples, written so that every
 * write end is closed on every path.  pipe-tidy reports nothing here.
 *
 *  - command_output(): fork + exec with the child's stdout on a pipe.  The
 *    parent closes its write end before it reads, so read() returns 0 when
 *    the child exits, and every error path closes what it opened.
 *  - write_report(): owns the descriptor it is given and closes it on the
 *    early return as well as at the end.
 *  - run_with_progress(): the pipe is made with O_CLOEXEC, so the shell that
 *    system() starts does not inherit the write end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs argv and stores up to size-1 bytes of its standard output in buf.
 * Returns the number of bytes stored, or -1. */
ssize_t command_output(char *const argv[], char *buf, size_t size)
{
    int fds[2];
    pid_t pid;
    size_t used = 0;
    ssize_t n = 0;

    if (size == 0)
        return -1;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;

    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        /* dup2() clears O_CLOEXEC on the new standard output. */
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }

    /* Parent: drop the write end first, then read until end-of-file. */
    close(fds[1]);
    while (used + 1 < size) {
        n = read(fds[0], buf + used, size - 1 - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return n < 0 ? -1 : (ssize_t)used;
}

/* Writes a report to fd and closes it; fd belongs to this function. */
int write_report(int fd, const char *title, const int *values, size_t count)
{
    size_t i;

    if (dprintf(fd, "# %s\n", title) < 0) {
        close(fd);
        return -1;
    }
    for (i = 0; i < count; i++)
        dprintf(fd, "%zu %d\n", i, values[i]);
    close(fd);
    return 0;
}

/* Runs command while a reader child copies progress messages to stderr. */
int run_with_progress(const char *command)
{
    int fds[2];
    pid_t reader;
    int status;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;

    reader = fork();
    if (reader < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (reader == 0) {
        char buf[512];
        ssize_t n;

        close(fds[1]);
        while ((n = read(fds[0], buf, sizeof buf)) > 0)
            if (write(STDERR_FILENO, buf, (size_t)n) < 0)
                break;
        _exit(0);
    }

    close(fds[0]);
    dprintf(fds[1], "running: %s\n", command);
    status = system(command); /* the shell does not inherit fds[1] */
    dprintf(fds[1], "status: %d\n", status);
    close(fds[1]);
    waitpid(reader, NULL, 0);
    return status;
}
