// CSV export of an in-memory table: a forked dumper child writes the rows to
// a pipe while the parent collects them. When the dumper meets a corrupt row
// it stops and exits with status 3, but reap_child() throws the status away
// and collect_export() reports success, so the caller saves a truncated
// export as if it were complete. The "corrupt" scenario exits 0 when that
// truncated export is accepted.
// EXPECT: pipe-writer-error-ignored collect_export|reap_child corrupt exit
// CROSSES: the child's failure is an _exit() status produced by dump_table() through start_export(); the status is discarded inside reap_child(), and collect_export() returns success from what read_rows() saw, so no single function holds both the failing writer and the reader's verdict
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NROWS 50

struct row {
    int id;
    char name[16];
    int qty;
};

struct exporter {
    pid_t pid;
    int fd;
};

static int dump_table(const struct row *rows, int n, int fd)
{
    for (int i = 0; i < n; i++) {
        if (rows[i].qty < 0) {
            fprintf(stderr, "dumper: row %d corrupt (qty %d)\n", rows[i].id, rows[i].qty);
            return 3;
        }
        if (dprintf(fd, "%d,%s,%d\n", rows[i].id, rows[i].name, rows[i].qty) < 0)
            return 4;
    }
    return 0;
}

static int start_export(const struct row *rows, int n, struct exporter *ex)
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
        int rc = dump_table(rows, n, p[1]);
        close(p[1]);
        _exit(rc);
    }
    close(p[1]);
    ex->pid = pid;
    ex->fd = p[0];
    return 0;
}

static int read_rows(int fd, char *buf, size_t cap, int *nrows)
{
    size_t used = 0;
    ssize_t n;
    while ((n = read(fd, buf + used, cap - 1 - used)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        used += (size_t)n;
        if (used == cap - 1)
            return -1;
    }
    buf[used] = '\0';
    *nrows = 0;
    for (size_t i = 0; i < used; i++)
        *nrows += buf[i] == '\n';
    return 0;
}

static void reap_child(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

static int collect_export(struct exporter *ex, char *buf, size_t cap, int *nrows)
{
    int rc = read_rows(ex->fd, buf, cap, nrows);
    close(ex->fd);
    reap_child(ex->pid);
    return rc;
}

int main(int argc, char **argv)
{
    static struct row table[NROWS];
    static char csv[1 << 16];
    const char *scenario = argc > 1 ? argv[1] : "clean";
    struct exporter ex;
    int nrows = 0;

    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < NROWS; i++) {
        table[i].id = 1000 + i;
        snprintf(table[i].name, sizeof table[i].name, "item%02d", i);
        table[i].qty = i * 3;
    }
    if (strcmp(scenario, "corrupt") == 0)
        table[20].qty = -1;
    else if (strcmp(scenario, "clean") != 0) {
        fprintf(stderr, "unknown scenario %s\n", scenario);
        return 2;
    }
    if (start_export(table, NROWS, &ex) != 0)
        return 1;
    if (collect_export(&ex, csv, sizeof csv, &nrows) != 0) {
        printf("export failed, nothing saved\n");
        return 1;
    }
    printf("export saved: %d of %d rows\n", nrows, NROWS);
    if (strcmp(scenario, "corrupt") == 0)
        return nrows < NROWS ? 0 : 1; /* 0: truncated export accepted */
    return nrows == NROWS ? 0 : 1;
}
