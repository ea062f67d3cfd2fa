/* Build runner: runs each build step through /bin/sh with stdout and stderr
 * captured in a pipe, keeps the log, and stops the build on a failing step.
 * CORRECT (near-miss): run_step() drains the step's whole output
 * (job_capture, to end-of-file) before it reaps the child (job_reap), so a
 * step printing far more than the pipe holds cannot block; and job_reap()
 * decodes the wait status, so a failing step fails the build even though it
 * produced output.
 */
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: big exit
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
    pid_t pid;
    int out_fd;
};

struct buffer {
    char *data;
    size_t len, cap;
};

static int open_capture_pipe(int fds[2])
{
    if (pipe(fds) < 0) {
        perror("pipe");
        return -1;
    }
    return 0;
}

static int job_start(struct job *j, const char *cmd)
{
    int fds[2];
    if (open_capture_pipe(fds) < 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    j->pid = pid;
    j->out_fd = fds[0];
    return 0;
}

static int buffer_append(struct buffer *b, const char *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static int job_capture(struct job *j, struct buffer *log)
{
    char chunk[8192];
    ssize_t n;
    int rc = 0;
    while ((n = read(j->out_fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        if (rc == 0 && buffer_append(log, chunk, (size_t)n) < 0)
            rc = -1;  /* keep draining so the step can finish */
    }
    close(j->out_fd);
    j->out_fd = -1;
    return rc;
}

static int job_reap(struct job *j, int *exit_code)
{
    int status;
    while (waitpid(j->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;
}

static int run_step(const char *cmd, struct buffer *log)
{
    struct job j;
    int code = -1;
    if (job_start(&j, cmd) < 0)
        return -1;
    int captured = job_capture(&j, log);
    if (job_reap(&j, &code) < 0)
        return -1;
    if (code != 0)
        fprintf(stderr, "step failed with status %d: %s\n", code, cmd);
    return captured == 0 && code == 0 ? 0 : -1;
}

static int run_build(const char *const *steps, size_t n, struct buffer *log)
{
    for (size_t i = 0; i < n; i++)
        if (run_step(steps[i], log) < 0)
            return -1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    static const char *const normal[] = {"echo 'cc -c main.c'", "echo 'ld -o app main.o'"};
    static const char *const big[] = {
        "yes 'cc -Wall -O2 -c src/module.c -o build/module.o' | head -n 8000",
        "echo 'ld -o app build/*.o'"};
    static const char *const failing[] = {
        "echo 'cc -c broken.c'; echo 'broken.c:3: error: expected ;' >&2; exit 3",
        "echo 'ld -o app broken.o'"};
    struct buffer log = {0};
    int rc;

    if (strcmp(scenario, "normal") == 0)
        rc = run_build(normal, 2, &log) == 0 && log.len > 0 ? 0 : 1;
    else if (strcmp(scenario, "big") == 0)
        rc = run_build(big, 2, &log) == 0 && log.len > 300000 ? 0 : 1;
    else if (strcmp(scenario, "fail") == 0)
        rc = run_build(failing, 2, &log) < 0 ? 0 : 1;  /* must be reported */
    else {
        fprintf(stderr, "usage: %s normal|big|fail\n", argv[0]);
        return 2;
    }
    printf("%s: build log %zu bytes, %s\n", scenario, log.len, rc == 0 ? "as expected" : "UNEXPECTED");
    free(log.data);
    return rc;
}
