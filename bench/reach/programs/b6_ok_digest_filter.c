// sumtool: checksum a stream of records in a sandboxed worker process.
// filter_start() forks the worker, which runs digest_main() on the read end
// of an input pipe and prints one summary line (hash, lines, bytes) once its
// input reaches end-of-file; the parent feeds records through struct
// filter's to_child and reads the summary from from_child. In the child
// branch filter_start() closes both ends the worker does not use, including
// in[1], the write end of its own input pipe inherited from the parent, so
// the worker sees end-of-file as soon as filter_finish() closes the parent's
// copy, and prints its summary.
// CROSSES: the child is started in a helper (filter_start) and its work runs in another (digest_main through a function pointer); the pipes are made in a wrapper (make_pipe_pair); the parent's ends are kept in struct members (struct filter) and closed in filter_finish
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: digest exit
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct filter {
    pid_t pid;
    int to_child;   /* parent writes records here */
    int from_child; /* parent reads the worker's summary here */
};

typedef void (*filter_body)(int in_fd, int out_fd);

static int make_pipe_pair(int in[2], int out[2])
{
    if (pipe(in) < 0)
        return -1;
    if (pipe(out) < 0) {
        int saved = errno;
        close(in[0]);
        close(in[1]);
        errno = saved;
        return -1;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static uint32_t fnv1a(uint32_t h, const unsigned char *p, size_t n)
{
    while (n--) {
        h ^= *p++;
        h *= 16777619u;
    }
    return h;
}

static int format_summary(char *out, size_t cap, uint32_t h, unsigned long lines,
                          unsigned long bytes)
{
    return snprintf(out, cap, "%08x %lu %lu\n", h, lines, bytes);
}

/* The worker: hash the whole input and count its lines. */
static void digest_main(int in_fd, int out_fd)
{
    unsigned char buf[4096];
    uint32_t h = 2166136261u;
    unsigned long lines = 0, bytes = 0;

    for (;;) {
        ssize_t n = read(in_fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            _exit(2);
        }
        if (n == 0)
            break;
        h = fnv1a(h, buf, (size_t)n);
        bytes += (unsigned long)n;
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    char line[64];
    int len = format_summary(line, sizeof line, h, lines, bytes);
    if (write_all(out_fd, line, (size_t)len) < 0)
        _exit(2);
}

static int filter_start(struct filter *f, filter_body body)
{
    int in[2], out[2];

    if (make_pipe_pair(in, out) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pid == 0) {
        close(in[1]);
        close(out[0]);
        body(in[0], out[1]);
        _exit(0);
    }
    close(in[0]);
    close(out[1]);
    f->pid = pid;
    f->to_child = in[1];
    f->from_child = out[0];
    return 0;
}

static int filter_feed(struct filter *f, const char *data, size_t len)
{
    return write_all(f->to_child, data, len);
}

static int filter_finish(struct filter *f, char *summary, size_t cap)
{
    size_t used = 0;
    int status;

    close(f->to_child);
    f->to_child = -1;
    while (used + 1 < cap) {
        ssize_t n = read(f->from_child, summary + used, cap - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    summary[used] = '\0';
    close(f->from_child);
    f->from_child = -1;
    if (waitpid(f->pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "digest";
    if (strcmp(scenario, "digest") != 0) {
        fprintf(stderr, "usage: %s digest\n", argv[0]);
        return 2;
    }

    struct filter f;
    char record[128], expected[64], summary[64];
    uint32_t h = 2166136261u;
    unsigned long lines = 0, bytes = 0;

    if (filter_start(&f, digest_main) < 0) {
        perror("filter_start");
        return 1;
    }
    for (int i = 0; i < 200; i++) {
        int len = snprintf(record, sizeof record, "%04d,sensor-%02d,%d.%02d\n", i, i % 17,
                           (i * 37) % 100, (i * 13) % 100);
        h = fnv1a(h, (const unsigned char *)record, (size_t)len);
        bytes += (unsigned long)len;
        lines++;
        if (filter_feed(&f, record, (size_t)len) < 0) {
            perror("filter_feed");
            return 1;
        }
    }
    format_summary(expected, sizeof expected, h, lines, bytes);
    if (filter_finish(&f, summary, sizeof summary) < 0) {
        fprintf(stderr, "worker failed\n");
        return 1;
    }
    printf("%s", summary);
    return strcmp(summary, expected) == 0 ? 0 : 1;
}
