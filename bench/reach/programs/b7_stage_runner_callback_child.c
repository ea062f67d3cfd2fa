// stage_runner: a tiny text pipeline where each stage is a callback run in
// a forked child, isolated from the parent's memory. run_stage() feeds the
// stage its input through one pipe and collects its result through another.
// The child closes the read end of the result pipe but forgets the write end
// of the input pipe it inherited; the wordcount stage given at the call site
// reads its input to end-of-file, which never comes because the child
// itself still holds a write end. The child never writes its result, the
// parent blocks reading it (and would block in waitpid() after that).
// CROSSES: the read to end-of-file is in a callback (count_words) called through a function pointer inside run_stage's child; the write end is inherited across fork in run_stage
// EXPECT: pipe-unclosed-write-end run_stage|count_words wordcount hang
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*stage_fn)(int in_fd, int out_fd, void *ctx);

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
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

/* Runs fn(in, out, ctx) in a child; input goes in, at most cap-1 bytes of
 * its output come back in result. Returns the child's exit code or -1. */
static int run_stage(stage_fn fn, void *ctx, const char *input, size_t len,
                     char *result, size_t cap)
{
    int in[2], out[2];
    size_t got = 0;
    int status;

    if (pipe(in) < 0)
        return -1;
    if (pipe(out) < 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pid == 0) {
        close(out[0]);
        _exit(fn(in[0], out[1], ctx));
    }
    close(in[0]);
    close(out[1]);
    if (write_all(in[1], input, len) < 0)
        perror("run_stage: feeding stage");
    close(in[1]);

    for (;;) {
        ssize_t n = read(out[0], result + got, cap - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == cap - 1)
            break;
    }
    result[got] = '\0';
    close(out[0]);
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct wc_options {
    int count_lines;
};

static int count_words(int in_fd, int out_fd, void *ctx)
{
    const struct wc_options *opt = ctx;
    unsigned long words = 0, lines = 0;
    int in_word = 0;
    char buf[1024];
    ssize_t n;

    while ((n = read(in_fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            lines += c == '\n';
            if (isspace(c))
                in_word = 0;
            else if (!in_word) {
                in_word = 1;
                words++;
            }
        }
    }
    char line[64];
    int len = opt->count_lines ? snprintf(line, sizeof line, "%lu %lu\n", lines, words)
                               : snprintf(line, sizeof line, "%lu\n", words);
    return write_all(out_fd, line, (size_t)len) < 0 ? 1 : 0;
}

static const char sample[] =
    "the quick brown fox jumps over the lazy dog\n"
    "pack my box with five dozen liquor jugs\n"
    "how vexingly quick daft zebras jump\n";

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "wordcount";
    char result[128];

    if (strcmp(scenario, "wordcount") != 0) {
        fprintf(stderr, "usage: %s wordcount\n", argv[0]);
        return 2;
    }
    struct wc_options opt = { 1 };
    int rc = run_stage(count_words, &opt, sample, strlen(sample), result, sizeof result);
    if (rc != 0) {
        fprintf(stderr, "wordcount stage failed (%d)\n", rc);
        return 1;
    }
    printf("lines words: %s", result);
    return strcmp(result, "3 23\n") == 0 ? 0 : 1;
}
