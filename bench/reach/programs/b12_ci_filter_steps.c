/* CI step executor: a job is a list of filter steps (sort, uniq, tr, ...) run
 * through /bin/sh. Each step gets its input through a feed pipe on stdin and
 * its stdout is captured through a second pipe; the executor starts every step
 * first (so slow tools start up in parallel), then feeds and collects them in
 * order.
 * BUG: open_pipe() creates the pipes with plain pipe(), without O_CLOEXEC, and
 * exec_step() closes only the child's own descriptors. When run_job() starts
 * the second step, that child inherits the parent's copy of step 1's feed
 * write end (procs[0].feed.wr) across fork+exec. feed_input() writes step 1's
 * input and closes the parent's copy, but "sort" in step 1 never sees
 * end-of-file on its stdin while step 2 is alive, and step 2 waits for its own
 * input, which the parent sends only after collect_output() has read step 1's
 * output to the end: the job hangs. A single-step job works.
 */
// EXPECT: pipe-unclosed-write-end open_pipe|start_step|run_job parallel hang
// CROSSES: the pipe is made in open_pipe() through an out-parameter into a nested struct field, the fork+exec that leaks it happens in start_step()/exec_step() on the next iteration of run_job(), and the reader blocks in collect_output()
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STEPS 8

struct fdpair {
    int rd, wr;
};

struct step_def {
    const char *name;
    const char *cmd;
    const char *input;
};

struct step_proc {
    const char *name;
    pid_t pid;
    struct fdpair feed; /* parent -> step stdin */
    struct fdpair out;  /* step stdout -> parent */
};

static int open_pipe(struct fdpair *p)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    p->rd = fds[0];
    p->wr = fds[1];
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void exec_step(struct step_proc *sp, const char *cmd)
{
    dup2(sp->feed.rd, STDIN_FILENO);
    dup2(sp->out.wr, STDOUT_FILENO);
    close(sp->feed.rd);
    close(sp->feed.wr);
    close(sp->out.rd);
    close(sp->out.wr);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
}

static int start_step(struct step_proc *sp, const struct step_def *def)
{
    sp->name = def->name;
    if (open_pipe(&sp->feed) < 0)
        return -1;
    if (open_pipe(&sp->out) < 0) {
        close_fd(&sp->feed.rd);
        close_fd(&sp->feed.wr);
        return -1;
    }
    fflush(stdout);
    sp->pid = fork();
    if (sp->pid < 0) {
        close_fd(&sp->feed.rd);
        close_fd(&sp->feed.wr);
        close_fd(&sp->out.rd);
        close_fd(&sp->out.wr);
        return -1;
    }
    if (sp->pid == 0)
        exec_step(sp, def->cmd);
    close_fd(&sp->feed.rd);
    close_fd(&sp->out.wr);
    return 0;
}

static int feed_input(struct step_proc *sp, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(sp->feed.wr, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        off += (size_t)n;
    }
    close_fd(&sp->feed.wr);
    return off == len ? 0 : -1;
}

static char *collect_output(struct step_proc *sp)
{
    size_t len = 0, cap = 1024;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf && (n = read(sp->out.rd, buf + len, cap - len - 1)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        len += (size_t)n;
        if (cap - len < 512) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
    }
    close_fd(&sp->out.rd);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static int reap_step(struct step_proc *sp)
{
    int status;
    while (waitpid(sp->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_job(const struct step_def *defs, size_t n, char **results)
{
    struct step_proc procs[MAX_STEPS];
    size_t started = 0;
    int rc = 0;

    for (; started < n && started < MAX_STEPS; started++)
        if (start_step(&procs[started], &defs[started]) < 0)
            return -1;
    for (size_t i = 0; i < started; i++) {
        if (feed_input(&procs[i], defs[i].input) < 0)
            rc = -1;
        results[i] = collect_output(&procs[i]);
        if (reap_step(&procs[i]) != 0 || !results[i])
            rc = -1;
        printf("step %s: %s\n", procs[i].name, rc == 0 ? "ok" : "failed");
    }
    return rc;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "single";
    static const struct step_def steps[] = {
        {"sort-authors", "sort", "zoe\nadam\nmallory\nbob\n"},
        {"dedupe-tags", "sort -u", "v1.2\nv1.0\nv1.2\nv1.1\n"},
    };
    char *results[MAX_STEPS] = {0};
    size_t n;

    if (strcmp(scenario, "single") == 0)
        n = 1;
    else if (strcmp(scenario, "parallel") == 0)
        n = 2;
    else {
        fprintf(stderr, "usage: %s single|parallel\n", argv[0]);
        return 2;
    }
    int rc = run_job(steps, n, results);
    if (rc == 0 && results[0] && strncmp(results[0], "adam\n", 5) == 0)
        printf("job finished\n");
    else
        rc = 1;
    for (size_t i = 0; i < n; i++)
        free(results[i]);
    return rc == 0 ? 0 : 1;
}
