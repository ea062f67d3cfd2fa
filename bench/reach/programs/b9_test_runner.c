// Minimal fork-per-test runner: every test body runs in a child whose stdout
// is captured through a pipe, and the runner records the exit status and the
// output. run_case() asks wait_exit() for the status before it slurps the
// output, so a chatty test that prints more than the pipe holds blocks in
// write() while the runner blocks in waitpid().
// EXPECT: pipe-wait-before-drain run_case verbose hang
// CROSSES: the pipe and fork are in spawn_captured(), which returns the read end through struct child_proc; the waitpid() is inside wait_exit() and the read loop inside slurp_fd(), so only their order in run_case() shows the bug; the amount written is decided by the test body passed as a function pointer
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct child_proc {
    pid_t pid;
    int out_fd;
};

struct case_result {
    int status;
    char *output;
    size_t len;
};

static int spawn_captured(void (*body)(void), struct child_proc *cp)
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
        dup2(p[1], STDOUT_FILENO);
        close(p[1]);
        body();
        fflush(stdout);
        _exit(0);
    }
    close(p[1]);
    cp->pid = pid;
    cp->out_fd = p[0];
    return 0;
}

static int wait_exit(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp_fd(int fd, size_t *len)
{
    size_t cap = 8192, used = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (used == cap)
            buf = realloc(buf, cap *= 2);
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    *len = used;
    return buf;
}

static int run_case(void (*body)(void), struct case_result *res)
{
    struct child_proc cp;
    if (spawn_captured(body, &cp) != 0)
        return -1;
    res->status = wait_exit(cp.pid);
    res->output = slurp_fd(cp.out_fd, &res->len);
    close(cp.out_fd);
    return 0;
}

static void test_quiet(void)
{
    printf("checking arithmetic\n");
    printf("ok\n");
}

static void test_verbose(void)
{
    for (int i = 0; i < 4000; i++)
        printf("iteration %04d: state vector = [%08x %08x %08x %08x]\n",
               i, i * 3, i * 5, i * 7, i * 11);
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "quiet";
    void (*body)(void);

    signal(SIGPIPE, SIG_IGN);
    if (strcmp(scenario, "quiet") == 0)
        body = test_quiet;
    else if (strcmp(scenario, "verbose") == 0)
        body = test_verbose;
    else {
        fprintf(stderr, "unknown scenario %s\n", scenario);
        return 2;
    }
    struct case_result res;
    if (run_case(body, &res) != 0)
        return 1;
    printf("%s: status %d, %zu bytes of output\n", scenario, res.status, res.len);
    free(res.output);
    return res.status == 0 ? 0 : 1;
}
