/* Tiny unit-test harness: each test case runs in a forked child whose stdout
 * is captured through a pipe, so a crashing test cannot take the harness down
 * and its log can be shown when it fails.
 * BUG: run_one() first reaps the child (test_wait -> waitpid) and only then
 * collects its log (test_collect). A chatty test that prints more than the
 * pipe holds (64 KiB) blocks in write() while the harness blocks in waitpid().
 */
// EXPECT: pipe-wait-before-drain run_one|test_wait verbose hang
// CROSSES: the pipe and the child are made in test_spawn(), which returns a malloc'd struct test_proc; the wait is in test_wait() and the drain in test_collect(), both called from run_one()
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct test_case {
    const char *name;
    int (*fn)(void);
};

struct test_proc {
    const char *name;
    pid_t pid;
    int out_fd;
};

static int test_quick_math(void)
{
    printf("checking 2+2\n");
    return 2 + 2 == 4 ? 0 : 1;
}

static int test_parser_trace(void)
{
    /* a test that traces every token it parses: ~200 KiB of output */
    for (int i = 0; i < 5000; i++)
        printf("token %5d kind=IDENT text=identifier_%05d line=%d\n", i, i, i / 12);
    return 0;
}

static struct test_proc *test_spawn(const struct test_case *tc)
{
    int fds[2];
    if (pipe(fds) < 0)
        return NULL;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return NULL;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        int rc = tc->fn();
        fflush(stdout);
        _exit(rc);
    }
    close(fds[1]);
    struct test_proc *tp = malloc(sizeof *tp);
    if (!tp) {
        close(fds[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return NULL;
    }
    tp->name = tc->name;
    tp->pid = pid;
    tp->out_fd = fds[0];
    return tp;
}

static int test_wait(struct test_proc *tp, int *status)
{
    while (waitpid(tp->pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static char *test_collect(struct test_proc *tp, size_t *len)
{
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf && (n = read(tp->out_fd, buf + used, cap - used)) > 0) {
        used += (size_t)n;
        if (used == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    close(tp->out_fd);
    *len = used;
    return buf;
}

static int run_one(const struct test_case *tc)
{
    struct test_proc *tp = test_spawn(tc);
    if (!tp)
        return -1;
    int status = 0;
    if (test_wait(tp, &status) < 0) {
        free(tp);
        return -1;
    }
    size_t len = 0;
    char *log = test_collect(tp, &len);
    int passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("%-20s %s (%zu bytes of log)\n", tc->name, passed ? "PASS" : "FAIL", len);
    if (!passed && log)
        fwrite(log, 1, len, stdout);
    free(log);
    free(tp);
    return passed ? 0 : 1;
}

static const struct test_case quick_suite[] = {
    {"quick_math", test_quick_math},
};

static const struct test_case verbose_suite[] = {
    {"quick_math", test_quick_math},
    {"parser_trace", test_parser_trace},
};

static int run_suite(const struct test_case *cases, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++)
        failures += run_one(&cases[i]) != 0;
    printf("%d of %zu failed\n", failures, n);
    return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    if (strcmp(scenario, "normal") == 0)
        return run_suite(quick_suite, sizeof quick_suite / sizeof *quick_suite);
    if (strcmp(scenario, "verbose") == 0)
        return run_suite(verbose_suite, sizeof verbose_suite / sizeof *verbose_suite);
    fprintf(stderr, "usage: %s normal|verbose\n", argv[0]);
    return 2;
}
