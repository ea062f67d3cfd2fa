/* Unit-test harness: every test case runs in a forked child (no exec) with
 * its stdout and stderr captured into a pipe, so a crashing or noisy test
 * cannot disturb the harness; the harness keeps each case's log and exit
 * status for the summary.
 * CORRECT (near-miss): fork_test() hands the child side of the capture to
 * capture_child_side(), which closes both pipe descriptors after the
 * dup2()s, and the parent side to capture_parent_side(), which closes the
 * write end right after fork(). finish_test() drains the pipe to
 * end-of-file with capture_drain() before it reaps the child with
 * proc_reap(), so a test that prints far more than 64 KiB does not block.
 */
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: verbose exit
// PROOF: quick exit
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct test_case {
    const char *name;
    int (*fn)(void);
};

struct proc {
    pid_t pid;
    int status;
};

struct capture {
    int rd;
    int wr;
    char *buf;
    size_t len;
    size_t cap;
};

struct test_run {
    const struct test_case *tc;
    struct proc proc;
    struct capture out;
};

static int capture_open(struct capture *c)
{
    int fds[2];
    memset(c, 0, sizeof *c);
    if (pipe(fds) < 0)
        return -1;
    c->rd = fds[0];
    c->wr = fds[1];
    return 0;
}

static void capture_child_side(struct capture *c)
{
    dup2(c->wr, STDOUT_FILENO);
    dup2(c->wr, STDERR_FILENO);
    close(c->rd);
    close(c->wr);
}

static void capture_parent_side(struct capture *c)
{
    close(c->wr);
    c->wr = -1;
}

static int capture_drain(struct capture *c)
{
    for (;;) {
        if (c->len == c->cap) {
            size_t ncap = c->cap ? c->cap * 2 : 8192;
            char *nbuf = realloc(c->buf, ncap);
            if (!nbuf)
                break;
            c->buf = nbuf;
            c->cap = ncap;
        }
        ssize_t n = read(c->rd, c->buf + c->len, c->cap - c->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        c->len += (size_t)n;
    }
    close(c->rd);
    c->rd = -1;
    return 0;
}

static int proc_reap(struct proc *p)
{
    while (waitpid(p->pid, &p->status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int fork_test(struct test_run *r)
{
    if (capture_open(&r->out) < 0)
        return -1;
    fflush(NULL);
    r->proc.pid = fork();
    if (r->proc.pid < 0) {
        close(r->out.rd);
        close(r->out.wr);
        return -1;
    }
    if (r->proc.pid == 0) {
        capture_child_side(&r->out);
        int rc = r->tc->fn();
        fflush(NULL);
        _exit(rc);
    }
    capture_parent_side(&r->out);
    return 0;
}

static int finish_test(struct test_run *r)
{
    capture_drain(&r->out);
    if (proc_reap(&r->proc) < 0)
        return -1;
    return WIFEXITED(r->proc.status) && WEXITSTATUS(r->proc.status) == 0 ? 0 : 1;
}

static int test_parse_header(void)
{
    printf("parsing 'Content-Length: 12'\n");
    return strtol("12", NULL, 10) == 12 ? 0 : 1;
}

static int test_fuzz_tokenizer(void)
{
    for (int i = 0; i < 5000; i++)
        printf("fuzz iteration %05d: input=%08x tokens=%d ok\n", i, (unsigned)i * 2654435761u, i % 13);
    return 0;
}

static int test_utf8_length(void)
{
    const char *word = "h\xc3\xa9llo";
    size_t n = strlen(word);
    fprintf(stderr, "expected 5 characters, counted %zu\n", n);
    return n == 5 ? 0 : 1; /* known failure: counts bytes, not characters */
}

static int run_suite(const struct test_case *cases, size_t n, size_t *log_bytes)
{
    int failures = 0;
    *log_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        struct test_run r = {.tc = &cases[i]};
        if (fork_test(&r) < 0)
            return -1;
        int rc = finish_test(&r);
        printf("%-24s %s (%zu bytes of output)\n", cases[i].name, rc ? "FAIL" : "ok", r.out.len);
        *log_bytes += r.out.len;
        free(r.out.buf);
        failures += rc != 0;
    }
    return failures;
}

static const struct test_case quick[] = {
    {"parse_header", test_parse_header},
    {"utf8_length", test_utf8_length},
};

static const struct test_case verbose[] = {
    {"parse_header", test_parse_header},
    {"fuzz_tokenizer", test_fuzz_tokenizer},
    {"utf8_length", test_utf8_length},
};

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "quick";
    size_t bytes;
    if (strcmp(scenario, "quick") == 0)
        return run_suite(quick, 2, &bytes) == 1 ? 0 : 1;
    if (strcmp(scenario, "verbose") == 0)
        return run_suite(verbose, 3, &bytes) == 1 && bytes > 65536 ? 0 : 1;
    fprintf(stderr, "usage: %s quick|verbose\n", argv[0]);
    return 2;
}
