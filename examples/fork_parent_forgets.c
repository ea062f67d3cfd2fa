/*
 * fork_parent_forgets.c - sort lines with sort(1) by feeding them to its
 * standard input through a pipe.
 *
 * Bug: after fork() there are two copies of the write end, one in the
 * parent and one in the child.  The child closes its copy before exec, but
 * the parent only closes its copy on the error path.  After the last line
 * sort(1) keeps waiting for end-of-file, which never comes because the
 * parent still holds a write end, while the parent waits in waitpid() for
 * sort(1) to exit.  Neither process makes progress.
 *
 * pipe-unclosed-write-end reports the final 'return rc;'.  It offers no
 * fix-it there: a close() at the function's last statement would come too
 * late for the hang; the close belongs after the loop, before waitpid().
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Writes lines[0..n) to sort(1), which prints them sorted on our stdout.
 * Returns sort's exit status, or -1. */
int sort_lines(const char *const lines[], size_t n)
{
    int fds[2];
    pid_t pid;
    size_t i;
    int status;
    int rc = -1;

    if (pipe(fds) < 0)
        return -1;

    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        /* Child: standard input becomes the read end. */
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("sort", "sort", (char *)NULL);
        _exit(127);
    }

    /* Parent: only writes. */
    close(fds[0]);
    for (i = 0; i < n; i++) {
        if (dprintf(fds[1], "%s\n", lines[i]) < 0) {
            close(fds[1]);
            waitpid(pid, NULL, 0);
            return -1;
        }
    }

    /* Missing: close(fds[1]); */
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        rc = WEXITSTATUS(status);
    return rc;
}
