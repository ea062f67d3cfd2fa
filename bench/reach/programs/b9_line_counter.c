// Background word/line counter for an ingest tool: a worker thread reads a
// pipe to end-of-file while the main thread feeds it file contents. The
// counter handle keeps both descriptors; counter_finish() goes through
// close_writer() before it joins the worker, and the error path in
// feed_lines() also finishes the counter, so the worker always sees
// end-of-file. Near-miss of the read-while-holding-the-write-end bug.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: count exit
// CROSSES: the write end is closed in close_writer(), two calls below the join in counter_finish(); the worker's read loop is in count_main(), started by counter_start()
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counter {
    int rfd;
    int wfd;
    pthread_t th;
    long lines;
    long bytes;
};

static void *count_main(void *arg)
{
    struct counter *c = arg;
    char buf[4096];
    ssize_t n;
    while ((n = read(c->rfd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        c->bytes += n;
        for (ssize_t i = 0; i < n; i++)
            c->lines += buf[i] == '\n';
    }
    return NULL;
}

static int counter_start(struct counter *c)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    c->rfd = p[0];
    c->wfd = p[1];
    c->lines = c->bytes = 0;
    if (pthread_create(&c->th, NULL, count_main, c) != 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    return 0;
}

static void close_writer(struct counter *c)
{
    if (c->wfd >= 0) {
        close(c->wfd);
        c->wfd = -1;
    }
}

static long counter_finish(struct counter *c)
{
    close_writer(c);
    pthread_join(c->th, NULL);
    close(c->rfd);
    return c->lines;
}

static long feed_lines(const char **lines, int n)
{
    struct counter c;
    if (counter_start(&c) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (lines[i] == NULL) {
            fprintf(stderr, "input %d missing, aborting feed\n", i);
            counter_finish(&c);
            return -1;
        }
        if (dprintf(c.wfd, "%s\n", lines[i]) < 0)
            break;
    }
    return counter_finish(&c);
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "count";
    const char *ok[] = {"first", "second", "third", "fourth"};
    const char *broken[] = {"first", NULL, "third"};

    signal(SIGPIPE, SIG_IGN);
    if (strcmp(scenario, "count") != 0) {
        fprintf(stderr, "unknown scenario %s\n", scenario);
        return 2;
    }
    long a = feed_lines(ok, 4);
    long b = feed_lines(broken, 3);
    printf("counted %ld lines, broken feed returned %ld\n", a, b);
    return a == 4 && b == -1 ? 0 : 1;
}
