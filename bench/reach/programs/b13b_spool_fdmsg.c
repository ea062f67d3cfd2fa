// Record spool: a small in-process queue built on a pipe. Producers append
// newline-terminated records through spool_put(), which goes through a
// write_all() helper that reports failures with the descriptor's number.
// At the end the spool is drained and every record is counted.
// BUG: spool_drain() reads the pipe until end-of-file, but the spool still
// holds its own write end (sp->wfd is only closed in spool_close(), after
// the drain), so read() never returns 0 and the process blocks forever.
// EXPECT: pipe-self-deadlock spool_drain|run_spool drain hang
// CROSSES: the write end lives in a struct filled by spool_open() and is closed only in spool_close(), called after spool_drain() returns; the writes go two calls deep (spool_put -> write_all)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

struct spool {
    int rfd;
    int wfd;
    size_t records;
};

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            char msg[64];
            snprintf(msg, sizeof msg, "cannot write fd %d", fd);
            perror(msg);
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int spool_open(struct spool *sp)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        fprintf(stderr, "pipe: %s\n", strerror(errno));
        return -1;
    }
    sp->rfd = fds[0];
    sp->wfd = fds[1];
    sp->records = 0;
    return 0;
}

static int spool_put(struct spool *sp, const char *rec)
{
    char line[256];
    int len = snprintf(line, sizeof line, "%s\n", rec);
    if (len < 0 || (size_t)len >= sizeof line) {
        fprintf(stderr, "record too long\n");
        return -1;
    }
    if (write_all(sp->wfd, line, (size_t)len) < 0) {
        fprintf(stderr, "fd %d: spool write failed: %s\n", sp->wfd, strerror(errno));
        return -1;
    }
    sp->records++;
    return 0;
}

/* Counts the records in the spool; returns the number of lines read. */
static long spool_drain(struct spool *sp)
{
    char buf[512];
    long lines = 0;
    for (;;) {
        ssize_t n = read(sp->rfd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "fd %d: %s\n", sp->rfd, strerror(errno));
            return -1;
        }
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == '\n')
                lines++;
    }
    return lines;
}

static void spool_close(struct spool *sp)
{
    if (sp->wfd >= 0)
        close(sp->wfd);
    if (sp->rfd >= 0)
        close(sp->rfd);
    sp->rfd = sp->wfd = -1;
}

static int run_spool(void)
{
    struct spool sp;
    static const char *const events[] = { "boot", "mount /", "net up", "login" };
    if (spool_open(&sp) < 0)
        return 1;
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if (spool_put(&sp, events[i]) < 0) {
            spool_close(&sp);
            return 1;
        }
    long n = spool_drain(&sp);
    spool_close(&sp);
    printf("%ld of %zu records\n", n, sp.records);
    return n == (long)sp.records ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s drain\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "drain") == 0)
        return run_spool();
    fprintf(stderr, "unknown scenario %s\n", argv[1]);
    return 2;
}
