/* Log processor: validates access-log records and pipes them through
 * /usr/bin/sort (started by sorter_start) so the report comes out ordered.
 * BUG: when feed_records() meets a malformed record it fails, and
 * sort_records() takes its error path without closing the write end of the
 * pipe that feeds sort's stdin. sort never sees end-of-file, so
 * sorter_finish()'s waitpid() and the sort child wait for each other forever.
 */
// EXPECT: pipe-unclosed-write-end sort_records|feed_records malformed hang
// CROSSES: the pipe is made in the wrapper open_pipe() inside sorter_start(), which hands the write end back through the struct sorter out-parameter; the failure comes from feed_records() and the wait from sorter_finish()
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct sorter {
    pid_t pid;
    int in_fd;
};

static int open_pipe(int fds[2])
{
    if (pipe(fds) < 0) {
        perror("pipe");
        return -1;
    }
    return 0;
}

static int sorter_start(struct sorter *s, int out_fd)
{
    int fds[2];
    if (open_pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[0], STDIN_FILENO);
        if (out_fd != STDOUT_FILENO)
            dup2(out_fd, STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl("/usr/bin/sort", "sort", "-k1,1", (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    s->pid = pid;
    s->in_fd = fds[1];
    return 0;
}

static int sorter_finish(struct sorter *s)
{
    int status;
    while (waitpid(s->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int valid_record(const char *rec)
{
    /* "<client-ip> <status> <path>" */
    const char *sp = strchr(rec, ' ');
    return sp && sp != rec && sp[1] >= '1' && sp[1] <= '5' && strchr(sp + 1, ' ');
}

static int write_line(int fd, const char *line)
{
    size_t len = strlen(line);
    char buf[512];
    if (len + 1 > sizeof buf)
        return -1;
    memcpy(buf, line, len);
    buf[len] = '\n';
    return write(fd, buf, len + 1) == (ssize_t)(len + 1) ? 0 : -1;
}

static int feed_records(int fd, const char *const *recs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!valid_record(recs[i])) {
            fprintf(stderr, "record %zu is malformed: '%s'\n", i, recs[i]);
            return -1;
        }
        if (write_line(fd, recs[i]) < 0)
            return -1;
    }
    return 0;
}

static int sort_records(const char *const *recs, size_t n, int out_fd)
{
    struct sorter s;
    if (sorter_start(&s, out_fd) < 0)
        return -1;
    if (feed_records(s.in_fd, recs, n) < 0) {
        sorter_finish(&s);
        return -1;
    }
    close(s.in_fd);
    return sorter_finish(&s);
}

static const char *const good_log[] = {
    "10.0.0.7 200 /index.html",
    "10.0.0.3 404 /favicon.ico",
    "10.0.0.9 200 /api/items",
    "10.0.0.1 500 /api/orders",
};

static const char *const bad_log[] = {
    "10.0.0.7 200 /index.html",
    "10.0.0.3 404 /favicon.ico",
    "garbage-without-fields",
    "10.0.0.1 500 /api/orders",
};

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    if (strcmp(scenario, "normal") == 0) {
        int rc = sort_records(good_log, sizeof good_log / sizeof *good_log, STDOUT_FILENO);
        printf("sorted: %s\n", rc == 0 ? "ok" : "failed");
        return rc == 0 ? 0 : 1;
    }
    if (strcmp(scenario, "malformed") == 0) {
        int rc = sort_records(bad_log, sizeof bad_log / sizeof *bad_log, STDOUT_FILENO);
        printf("sorted: %s\n", rc == 0 ? "ok" : "rejected");
        return rc == 0 ? 1 : 0;
    }
    fprintf(stderr, "usage: %s normal|malformed\n", argv[0]);
    return 2;
}
