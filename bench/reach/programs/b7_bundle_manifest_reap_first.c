// bundle_manifest: builds the manifest of a release bundle by forking a
// lister child that walks the bundle's catalogue and prints one line per
// object. spawn_lister() hands its caller the child's pid and the read end
// of the child's stdout pipe inside a struct lister returned by value.
// collect_manifest() reaps the child first, to learn whether the listing
// succeeded, and only then reads the pipe to end-of-file. A toolchain
// bundle lists a few thousand objects (well over 64 KiB): the child blocks
// in write() on the full pipe and the parent blocks in waitpid() forever.
// CROSSES: pid and read end come back inside a struct returned by value (spawn_lister); the > 64 KiB of writes happen in another function (run_lister)
// EXPECT: pipe-wait-before-drain collect_manifest manifest hang
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

struct catalogue {
    const char *prefix;
    unsigned objects;
};

struct lister {
    pid_t pid;
    int out; /* read end of the lister's stdout */
};

struct manifest {
    char *text;
    size_t len, cap;
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

static void run_lister(const struct catalogue *cat, int fd)
{
    char line[160];
    for (unsigned i = 0; i < cat->objects; i++) {
        unsigned h = i * 2654435761u;
        int n = snprintf(line, sizeof line, "%s/obj/%06u.o sha256=%08x%08x size=%u\n",
                         cat->prefix, i, h, ~h, 512u + (h % 65521u));
        if (write_all(fd, line, (size_t)n) < 0)
            _exit(2);
    }
    _exit(0);
}

static struct lister spawn_lister(const struct catalogue *cat)
{
    struct lister l = { -1, -1 };
    int p[2];

    if (pipe(p) < 0)
        return l;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return l;
    }
    if (pid == 0) {
        close(p[0]);
        run_lister(cat, p[1]);
    }
    close(p[1]);
    l.pid = pid;
    l.out = p[0];
    return l;
}

static int manifest_append(struct manifest *m, const char *buf, size_t n)
{
    if (m->len + n + 1 > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + n + 1)
            cap *= 2;
        char *t = realloc(m->text, cap);
        if (!t)
            return -1;
        m->text = t;
        m->cap = cap;
    }
    memcpy(m->text + m->len, buf, n);
    m->len += n;
    m->text[m->len] = '\0';
    return 0;
}

static int collect_manifest(const struct catalogue *cat, struct manifest *m)
{
    struct lister l = spawn_lister(cat);
    int status;
    char buf[4096];

    if (l.pid < 0)
        return -1;
    /* Do not bother reading the listing of a lister that failed. */
    while (waitpid(l.pid, &status, 0) < 0) {
        if (errno != EINTR) {
            close(l.out);
            return -1;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        close(l.out);
        return -1;
    }
    for (;;) {
        ssize_t n = read(l.out, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || manifest_append(m, buf, (size_t)n) < 0) {
            close(l.out);
            return n == 0 ? 0 : -1;
        }
    }
}

static unsigned count_lines(const struct manifest *m)
{
    unsigned lines = 0;
    for (size_t i = 0; i < m->len; i++)
        lines += m->text[i] == '\n';
    return lines;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "manifest";
    struct catalogue cat;
    struct manifest m = { NULL, 0, 0 };

    if (strcmp(scenario, "small") == 0) {
        cat.prefix = "libfmt";
        cat.objects = 40; /* a few KiB: fits in the pipe */
    } else if (strcmp(scenario, "manifest") == 0) {
        cat.prefix = "toolchain-x86_64";
        cat.objects = 6000; /* about 400 KiB */
    } else {
        fprintf(stderr, "usage: %s small|manifest\n", argv[0]);
        return 2;
    }
    if (collect_manifest(&cat, &m) < 0) {
        fprintf(stderr, "manifest: lister failed\n");
        return 1;
    }
    unsigned lines = count_lines(&m);
    printf("manifest: %u objects, %zu bytes\n", lines, m.len);
    free(m.text);
    return lines == cat.objects ? 0 : 1;
}
