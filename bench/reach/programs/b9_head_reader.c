// "head" over a generated report: a forked producer child writes a long
// report into a pipe, and the parent keeps only the first few lines.
// stop_producer() closes the read end before it waits, so the producer's
// next write fails with EPIPE (SIGPIPE is ignored), it exits, and the wait
// returns. Near-miss of the leaked-writer bug: the reader stops early but
// releases the writer first.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-wait-before-drain
// PROOF: head exit
// CROSSES: the pipe and fork are in start_producer(), which returns the handle through an out-parameter; the early stop is in read_head(), and the close-then-wait order is inside stop_producer()
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct producer {
    pid_t pid;
    int rfd;
};

static int write_report(int fd, int lines)
{
    for (int i = 0; i < lines; i++)
        if (dprintf(fd, "report line %06d: disk=%d%% load=%d.%02d\n", i, i % 100, i % 8, i % 100) < 0)
            return errno == EPIPE ? 0 : 1; /* reader went away: not an error */
    return 0;
}

static int start_producer(int lines, struct producer *out)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        _exit(write_report(p[1], lines));
    }
    close(p[1]);
    out->pid = pid;
    out->rfd = p[0];
    return 0;
}

/* Reads until `want` newlines have been seen; returns how many were kept. */
static int read_head(int fd, int want, char *buf, size_t cap)
{
    size_t used = 0;
    int seen = 0;
    while (seen < want && used < cap - 1) {
        ssize_t n = read(fd, buf + used, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (buf[used++] == '\n')
            seen++;
    }
    buf[used] = '\0';
    return seen;
}

static int stop_producer(struct producer *pr)
{
    int status;
    close(pr->rfd);
    pr->rfd = -1;
    while (waitpid(pr->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "head";
    char head[4096];
    struct producer pr;

    signal(SIGPIPE, SIG_IGN);
    if (strcmp(scenario, "head") != 0) {
        fprintf(stderr, "unknown scenario %s\n", scenario);
        return 2;
    }
    if (start_producer(200000, &pr) != 0)
        return 1;
    int got = read_head(pr.rfd, 10, head, sizeof head);
    int rc = stop_producer(&pr);
    fputs(head, stdout);
    printf("kept %d lines, producer exited with %d\n", got, rc);
    return got == 10 && rc == 0 ? 0 : 1;
}
