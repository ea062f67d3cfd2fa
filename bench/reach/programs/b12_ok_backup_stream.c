/* Backup tool: a forked worker (no exec) walks the file list and streams a
 * simple archive (a header line per file, then its contents) into a pipe;
 * the parent reads the stream, checksums it and enforces the destination
 * quota.
 * CORRECT (near-miss): stream_open() closes the parent's copy of the write
 * end right after fork() and the worker closes its read end, so end-of-file
 * arrives when the worker is done. When the quota is exceeded, run_backup()
 * stops reading but calls stream_abort(), which closes the read end BEFORE
 * stream_wait() reaps the worker: the worker's next write fails (SIGPIPE), so
 * waitpid() returns promptly and the backup is reported as rejected.
 */
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-wait-before-drain
// PROOF: quota exit
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct entry {
    const char *path;
    size_t size;
};

struct stream {
    pid_t worker;
    int rd;
};

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int archive_entries(int fd, const struct entry *e, size_t n)
{
    char block[4096];
    for (size_t i = 0; i < n; i++) {
        int hl = snprintf(block, sizeof block, "FILE %s %zu\n", e[i].path, e[i].size);
        if (write_all(fd, block, (size_t)hl) < 0)
            return -1;
        for (size_t off = 0; off < e[i].size; off += sizeof block) {
            size_t chunk = e[i].size - off < sizeof block ? e[i].size - off : sizeof block;
            memset(block, 'a' + (int)(i % 26), chunk); /* stand-in for file data */
            if (write_all(fd, block, chunk) < 0)
                return -1;
        }
    }
    return 0;
}

static int stream_open(struct stream *s, const struct entry *e, size_t n)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    fflush(stdout);
    s->worker = fork();
    if (s->worker < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (s->worker == 0) {
        close(fds[0]);
        int rc = archive_entries(fds[1], e, n);
        close(fds[1]);
        _exit(rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    s->rd = fds[0];
    return 0;
}

static void stream_abort(struct stream *s)
{
    close(s->rd); /* wakes a worker blocked in write() */
    s->rd = -1;
}

static int stream_wait(struct stream *s)
{
    int status;
    if (s->rd >= 0) {
        close(s->rd);
        s->rd = -1;
    }
    while (waitpid(s->worker, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGPIPE ? 1 : -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* 0 = stored, 1 = rejected (over quota), -1 = error */
static int run_backup(const struct entry *e, size_t n, size_t quota, unsigned long *sum)
{
    struct stream s;
    char buf[8192];
    size_t total = 0;
    ssize_t r;
    int over = 0;

    if (stream_open(&s, e, n) < 0)
        return -1;
    *sum = 0;
    while ((r = read(s.rd, buf, sizeof buf)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (ssize_t i = 0; i < r; i++)
            *sum = *sum * 31 + (unsigned char)buf[i];
        total += (size_t)r;
        if (total > quota) {
            over = 1;
            stream_abort(&s);
            break;
        }
    }
    int st = stream_wait(&s);
    if (over)
        return st < 0 ? -1 : 1;
    return r == 0 && st == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    static const struct entry files[] = {
        {"etc/hosts", 220},
        {"home/ana/thesis.tex", 180000},
        {"home/ana/photos.tar", 2000000},
        {"var/lib/app/state.db", 90000},
    };
    unsigned long sum;
    int rc;

    if (strcmp(scenario, "normal") == 0)
        rc = run_backup(files, 4, 8u << 20, &sum) == 0 ? 0 : 1;
    else if (strcmp(scenario, "quota") == 0)
        rc = run_backup(files, 4, 256u << 10, &sum) == 1 ? 0 : 1;
    else {
        fprintf(stderr, "usage: %s normal|quota\n", argv[0]);
        return 2;
    }
    printf("%s: backup %s\n", scenario, rc == 0 ? "behaved as expected" : "UNEXPECTED");
    return rc;
}
