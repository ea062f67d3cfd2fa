// table_dump: exports a table as tab-separated rows by forking a dumper
// child (it decodes the stored pages and prints one row per line) and
// collecting its output. start_dump() returns a struct dumper with the
// child's pid and the read end of its output pipe. The dumper stops with
// exit status 3 at the first page whose checksum does not match, after
// having printed the rows before it. export_table() reads to end-of-file,
// then reap() returns the dumper's exit code and export_table() rejects the
// export when it is not 0, so a truncated dump is reported as a failure.
// The "corrupt" scenario exits 0 when the failure is reported (no lie).
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: corrupt exit
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS_PER_PAGE 16

struct table {
    const char *name;
    unsigned rows;
    int bad_page; /* -1: all pages verify */
};

struct dumper {
    pid_t pid;
    int out;
};

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int dump_pages(const struct table *t, int fd)
{
    char row[96];
    for (unsigned r = 0; r < t->rows; r++) {
        if (r % ROWS_PER_PAGE == 0 && (int)(r / ROWS_PER_PAGE) == t->bad_page) {
            fprintf(stderr, "dump: %s: page %u: checksum mismatch\n", t->name,
                    r / ROWS_PER_PAGE);
            return 3;
        }
        int n = snprintf(row, sizeof row, "%u\tuser%04u\t%u\n", r, r, (r * 7919u) % 1000u);
        if (write_all(fd, row, (size_t)n) < 0)
            return 2;
    }
    return 0;
}

static struct dumper start_dump(const struct table *t)
{
    struct dumper d = { -1, -1 };
    int p[2];
    if (pipe(p) < 0)
        return d;
    d.pid = fork();
    if (d.pid < 0) {
        close(p[0]);
        close(p[1]);
        return d;
    }
    if (d.pid == 0) {
        close(p[0]);
        _exit(dump_pages(t, p[1]));
    }
    close(p[1]);
    d.out = p[0];
    return d;
}

/* The dumper's exit code, 128 + the signal that killed it, or -1. */
static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* Returns the number of rows exported into *out, or -1. */
static long export_table(const struct table *t, char **out)
{
    struct dumper d = start_dump(t);
    size_t len = 0, cap = 8192;
    long rows = 0;
    char *buf;

    if (d.pid < 0)
        return -1;
    buf = malloc(cap);
    for (;;) {
        if (buf && len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
                cap *= 2;
            }
        }
        if (!buf) {
            close(d.out);
            reap(d.pid);
            return -1;
        }
        ssize_t n = read(d.out, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            rows += buf[len + (size_t)i] == '\n';
        len += (size_t)n;
    }
    close(d.out);
    int rc = reap(d.pid);
    if (rc != 0) {
        fprintf(stderr, "export: dumper of %s exited with %d\n", t->name, rc);
        free(buf);
        return -1;
    }
    *out = buf;
    return rows;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "corrupt";
    struct table t = { "accounts", 500, -1 };
    char *data = NULL;

    if (strcmp(scenario, "corrupt") == 0)
        t.bad_page = 11; /* rows 176 and up are unreadable */
    else if (strcmp(scenario, "clean") != 0) {
        fprintf(stderr, "usage: %s clean|corrupt\n", argv[0]);
        return 2;
    }
    long rows = export_table(&t, &data);
    free(data);
    if (rows < 0) {
        printf("export of %s failed\n", t.name);
        /* The corrupt table must fail to export: that is the right answer. */
        return strcmp(scenario, "corrupt") == 0 ? 0 : 2;
    }
    printf("exported %ld rows of %s\n", rows, t.name);
    if (strcmp(scenario, "corrupt") == 0) {
        /* The table holds t.rows rows: a "successful" export of fewer is a lie. */
        if ((unsigned long)rows < t.rows) {
            printf("symptom: truncated export (%ld of %u rows) reported as success\n",
                   rows, t.rows);
        }
        return 1;
    }
    return (unsigned long)rows == t.rows ? 0 : 1;
}
