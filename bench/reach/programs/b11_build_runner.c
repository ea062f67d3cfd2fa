/* Build runner: each build step is a shell command whose stdout and stderr
 * are captured into a pipe; the runner keeps the step's exit status and
 * its log for the build report, and stops at the first failing step.
 * BUG: run_step() calls step_wait() before step_collect_log(), so the
 * parent sits in waitpid() until the step exits and only then starts
 * reading the pipe. A step that prints more than the pipe holds (64 KiB
 * of compiler warnings, say) blocks in write() and never exits, and the
 * runner waits for it forever. Quiet steps happen to work.
 */
// EXPECT: pipe-wait-before-drain run_step|step_wait|run_build noisy hang
// CROSSES: the pipe and the child are made in launch_captured(), called from step_start(), which returns the pid and the read end in a struct step by value; the wait is in step_wait() and the read in step_collect_log(), two helpers run_step() calls in the wrong order
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct captured {
    pid_t pid;
    int out_fd;
};

struct step {
    const char *name;
    const char *cmd;
    struct captured proc;
    int exit_code;
    char *log;
    size_t log_len;
};

static int launch_captured(const char *cmd, struct captured *out)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    out->pid = pid;
    out->out_fd = fds[0];
    return 0;
}

static struct step step_start(const char *name, const char *cmd)
{
    struct step s = {.name = name, .cmd = cmd, .proc = {-1, -1}, .exit_code = -1};
    if (launch_captured(cmd, &s.proc) < 0)
        fprintf(stderr, "%s: cannot start: %s\n", name, strerror(errno));
    return s;
}

static int step_wait(struct step *s)
{
    int st;
    while (waitpid(s->proc.pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    s->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}

static int step_collect_log(struct step *s)
{
    size_t cap = 4096;
    s->log = malloc(cap);
    s->log_len = 0;
    if (!s->log)
        return -1;
    for (;;) {
        if (s->log_len == cap) {
            char *bigger = realloc(s->log, cap * 2);
            if (!bigger)
                return -1;
            s->log = bigger;
            cap *= 2;
        }
        ssize_t n = read(s->proc.out_fd, s->log + s->log_len, cap - s->log_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        s->log_len += (size_t)n;
    }
    close(s->proc.out_fd);
    s->proc.out_fd = -1;
    return 0;
}

static int run_step(struct step *s)
{
    if (s->proc.pid < 0)
        return -1;
    if (step_wait(s) < 0)
        return -1;
    if (step_collect_log(s) < 0)
        return -1;
    printf("[%s] exit %d, %zu bytes of log\n", s->name, s->exit_code, s->log_len);
    return s->exit_code == 0 ? 0 : -1;
}

struct build_step_spec {
    const char *name;
    const char *cmd;
};

static int run_build(const struct build_step_spec *specs, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct step s = step_start(specs[i].name, specs[i].cmd);
        rc = run_step(&s);
        free(s.log);
    }
    return rc;
}

static const struct build_step_spec quiet_build[] = {
    {"configure", "echo 'checking for cc... cc'"},
    {"compile", "echo 'cc -c src/main.c -o obj/main.o'"},
    {"link", "echo 'cc obj/main.o -o app'"},
};

static const struct build_step_spec noisy_build[] = {
    {"configure", "echo 'checking for cc... cc'"},
    {"compile", "seq -f 'src/unit%05g.c:12:5: warning: implicit conversion changes signedness' 1 4000"},
    {"link", "echo 'cc obj/*.o -o app'"},
};

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "quiet";
    if (strcmp(scenario, "quiet") == 0)
        return run_build(quiet_build, sizeof quiet_build / sizeof *quiet_build) == 0 ? 0 : 1;
    if (strcmp(scenario, "noisy") == 0)
        return run_build(noisy_build, sizeof noisy_build / sizeof *noisy_build) == 0 ? 0 : 1;
    fprintf(stderr, "usage: %s quiet|noisy\n", argv[0]);
    return 2;
}
