// A diagnostics dumper that captures what a formatting callback writes into a
// string buffer. capture_output() makes a pipe, hands its write end to the
// callback, closes it, and then reads the pipe back to end-of-file. All of
// this happens in one thread: the pipe holds 64 KiB, so when the callback
// (dump_table with 5000 rows, about 250 KiB in the "big" scenario) writes
// more than that, its write() blocks on a pipe that only this same thread
// would drain afterwards. The "small" scenario (40 rows) completes.
// CROSSES: the writes happen in dump_table(), called through a function pointer from capture_output(); how much it writes depends on the row count main() puts in the struct
// EXPECT: pipe-self-deadlock capture_output|dump_table big hang
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct table {
    const char *name;
    int rows;
};

typedef void (*emit_fn)(int fd, void *arg);

static void dump_table(int fd, void *arg)
{
    const struct table *t = arg;
    dprintf(fd, "table %s (%d rows)\n", t->name, t->rows);
    for (int i = 0; i < t->rows; i++)
        dprintf(fd, "  row %6d | key=%08x | value=%-12d|\n", i, i * 2654435761u, i * 7);
}

/* Run emit() and return everything it wrote as a malloc'd string. */
static char *capture_output(emit_fn emit, void *arg, size_t *len_out)
{
    int p[2];
    if (pipe(p) != 0)
        return NULL;

    emit(p[1], arg);
    close(p[1]);

    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 1024 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t n = read(p[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(p[0]);
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

static int report(int rows)
{
    struct table t = { "sessions", rows };
    size_t len = 0;
    char *text = capture_output(dump_table, &t, &len);
    if (!text)
        return 1;
    printf("captured %zu bytes, first line: %.*s\n", len,
           (int)strcspn(text, "\n"), text);
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "big";
    if (strcmp(scenario, "small") == 0)
        return report(40);
    if (strcmp(scenario, "big") == 0)
        return report(5000);
    fprintf(stderr, "usage: %s small|big\n", argv[0]);
    return 2;
}
