// A record counter that runs in a forked worker: the parent streams records
// into the worker's input pipe, closes its write end, and reads one summary
// line back from the worker's output pipe. spawn_worker() forks and the child
// calls child_setup_io(), which is meant to drop every pipe end the child does
// not use, but it only closes the output pipe's read end: the child keeps its
// inherited copy of the input pipe's write end. count_records() then reads
// the input to end-of-file, which never comes because the child itself
// still holds a writer, so the parent blocks forever reading the summary.
// CROSSES: the missing close is in child_setup_io(), called after fork() in spawn_worker(); the read-to-EOF is in count_records(), reached through a function pointer
// EXPECT: pipe-unclosed-write-end child_setup_io|spawn_worker count hang
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct worker {
    int in[2];  /* parent -> child: records */
    int out[2]; /* child -> parent: summary */
    pid_t pid;
};

/* In the child: keep only the input read end and the output write end. */
static void child_setup_io(struct worker *w)
{
    close(w->out[0]);
}

static int count_records(struct worker *w)
{
    char buf[4096];
    long lines = 0;
    ssize_t n;
    while ((n = read(w->in[0], buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    dprintf(w->out[1], "records=%ld\n", lines);
    return 0;
}

static int spawn_worker(struct worker *w, int (*body)(struct worker *))
{
    if (pipe(w->in) != 0)
        return -1;
    if (pipe(w->out) != 0) {
        close(w->in[0]);
        close(w->in[1]);
        return -1;
    }
    w->pid = fork();
    if (w->pid < 0) {
        close(w->in[0]);
        close(w->in[1]);
        close(w->out[0]);
        close(w->out[1]);
        return -1;
    }
    if (w->pid == 0) {
        child_setup_io(w);
        _exit(body(w));
    }
    close(w->in[0]);
    close(w->out[1]);
    return 0;
}

static int run_count(int nrecords)
{
    struct worker w;
    if (spawn_worker(&w, count_records) != 0) {
        perror("spawn_worker");
        return 1;
    }
    for (int i = 0; i < nrecords; i++)
        dprintf(w.in[1], "id=%d name=item%d\n", i, i);
    close(w.in[1]);

    char summary[128];
    ssize_t n = read(w.out[0], summary, sizeof summary - 1);
    close(w.out[0]);
    int status = 0;
    waitpid(w.pid, &status, 0);
    if (n <= 0)
        return 1;
    summary[n] = '\0';
    fputs(summary, stdout);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "count";
    if (strcmp(scenario, "count") == 0)
        return run_count(500);
    fprintf(stderr, "usage: %s count\n", argv[0]);
    return 2;
}
