// A word counter run as a forked helper process. spawn_child() is generic:
// it makes the pipes, forks, and in the child calls the spec's after_fork
// hook and then its run hook. wc_after_fork() drops the pipe ends the child
// does not use, including its inherited copy of the input pipe's write end,
// so when the parent has streamed its text (about 200 KiB) and closed its
// own write end, wc_run() sees end-of-file, writes the totals and exits.
// The parent reads the totals to end-of-file before waiting for the child.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-self-deadlock
// PROOF: count exit
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct wc_ctx {
    int in[2];
    int out[2];
};

struct child_spec {
    void *ctx;
    void (*after_fork)(void *ctx);
    int (*run)(void *ctx);
};

static void wc_after_fork(void *arg)
{
    struct wc_ctx *c = arg;
    close(c->in[1]);
    close(c->out[0]);
}

static int wc_run(void *arg)
{
    struct wc_ctx *c = arg;
    char buf[8192];
    long words = 0, lines = 0;
    int in_word = 0;
    ssize_t n;
    while ((n = read(c->in[0], buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (ssize_t i = 0; i < n; i++) {
            int space = buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t';
            words += !space && !in_word;
            in_word = !space;
            lines += buf[i] == '\n';
        }
    }
    dprintf(c->out[1], "%ld %ld\n", lines, words);
    return 0;
}

static pid_t spawn_child(const struct child_spec *spec)
{
    pid_t pid = fork();
    if (pid == 0) {
        spec->after_fork(spec->ctx);
        _exit(spec->run(spec->ctx));
    }
    return pid;
}

static int count_words(int nlines)
{
    struct wc_ctx c;
    if (pipe(c.in) != 0)
        return 1;
    if (pipe(c.out) != 0) {
        close(c.in[0]);
        close(c.in[1]);
        return 1;
    }
    struct child_spec spec = { &c, wc_after_fork, wc_run };
    pid_t pid = spawn_child(&spec);
    close(c.in[0]);
    close(c.out[1]);
    if (pid < 0) {
        close(c.in[1]);
        close(c.out[0]);
        return 1;
    }

    for (int i = 0; i < nlines; i++)
        dprintf(c.in[1], "the quick brown fox %d jumps over the lazy dog\n", i);
    close(c.in[1]);

    char totals[64];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof totals - 1 &&
           (n = read(c.out[0], totals + len, sizeof totals - 1 - len)) > 0)
        len += (size_t)n;
    close(c.out[0]);
    totals[len] = '\0';

    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "word counter failed\n");
        return 1;
    }
    long lines = 0, words = 0;
    if (sscanf(totals, "%ld %ld", &lines, &words) != 2)
        return 1;
    printf("%ld lines, %ld words\n", lines, words);
    return lines == nlines && words == 10L * nlines ? 0 : 1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "count";
    if (strcmp(scenario, "count") == 0)
        return count_words(4000);
    fprintf(stderr, "usage: %s count\n", argv[0]);
    return 2;
}
