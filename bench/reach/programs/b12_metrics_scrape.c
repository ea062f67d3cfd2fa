/* Metrics exporter: a collector thread renders every registered metric
 * source into Prometheus text format and writes it into a pipe; the scrape
 * handler reads the pipe line by line into the response, up to the configured
 * series limit.
 * BUG: when the series limit is reached, scrape() stops reading and returns;
 * export_metrics() then calls collector_stop(), which joins the collector
 * thread before it closes the read end. With a large registry the collector
 * is blocked in write() on the full pipe and is never woken: pthread_join()
 * waits forever. A registry below the limit works.
 */
// EXPECT: pipe-leaked-writer export_metrics|collector_stop|scrape limit hang
// CROSSES: the pthread_t and both pipe ends live in struct collector, filled by collector_start(); the early return is in scrape(), the join-before-close in collector_stop(), both called from export_metrics()
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct source {
    const char *name;
    const char *help;
    int series;
};

struct collector {
    pthread_t thread;
    int fds[2];
    const struct source *sources;
    size_t nsources;
};

struct line_reader {
    int fd;
    char buf[4096];
    size_t start, end;
};

static int write_all(int fd, const char *p, size_t n)
{
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

static void *collector_main(void *arg)
{
    struct collector *c = arg;
    char line[256];
    for (size_t i = 0; i < c->nsources; i++) {
        const struct source *s = &c->sources[i];
        int n = snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s gauge\n", s->name, s->help, s->name);
        if (write_all(c->fds[1], line, (size_t)n) < 0)
            goto out;
        for (int k = 0; k < s->series; k++) {
            n = snprintf(line, sizeof line, "%s{shard=\"%d\",region=\"eu-west-1\"} %d\n", s->name, k, (k * 37) % 1000);
            if (write_all(c->fds[1], line, (size_t)n) < 0)
                goto out;
        }
    }
out:
    close(c->fds[1]);
    return NULL;
}

static int collector_start(struct collector *c, const struct source *src, size_t n)
{
    c->sources = src;
    c->nsources = n;
    if (pipe(c->fds) < 0)
        return -1;
    if (pthread_create(&c->thread, NULL, collector_main, c) != 0) {
        close(c->fds[0]);
        close(c->fds[1]);
        return -1;
    }
    return 0;
}

static void collector_stop(struct collector *c)
{
    pthread_join(c->thread, NULL);
    close(c->fds[0]);
}

/* returns the line length, 0 at end of stream */
static size_t read_line(struct line_reader *r, char *out, size_t cap)
{
    size_t len = 0;
    for (;;) {
        if (r->start == r->end) {
            ssize_t n = read(r->fd, r->buf, sizeof r->buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            r->start = 0;
            r->end = (size_t)n;
        }
        char ch = r->buf[r->start++];
        if (len + 1 < cap)
            out[len++] = ch;
        if (ch == '\n')
            break;
    }
    out[len] = '\0';
    return len;
}

static int scrape(struct collector *c, FILE *resp, size_t max_series, size_t *emitted)
{
    struct line_reader r = {.fd = c->fds[0]};
    char line[512];
    *emitted = 0;
    while (read_line(&r, line, sizeof line) > 0) {
        if (line[0] != '#' && *emitted == max_series) {
            fprintf(resp, "# exporter: series limit %zu reached, response truncated\n", max_series);
            return 1;
        }
        fputs(line, resp);
        if (line[0] != '#')
            (*emitted)++;
    }
    return 0;
}

static int export_metrics(const struct source *src, size_t n, size_t limit, FILE *resp)
{
    struct collector c;
    size_t emitted;
    if (collector_start(&c, src, n) < 0)
        return -1;
    int truncated = scrape(&c, resp, limit, &emitted);
    collector_stop(&c);
    fprintf(stderr, "scrape: %zu series%s\n", emitted, truncated ? " (truncated)" : "");
    return truncated;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "small";
    struct source small[] = {
        {"http_requests_inflight", "Requests being served", 4},
        {"queue_depth", "Jobs waiting per shard", 8},
    };
    struct source large[] = {
        {"http_requests_inflight", "Requests being served", 4},
        {"cache_entries", "Entries per cache shard", 6000},
    };
    FILE *resp = fopen("/dev/null", "w");
    int rc;
    if (!resp)
        return 1;
    if (strcmp(scenario, "small") == 0)
        rc = export_metrics(small, 2, 1000, resp);
    else if (strcmp(scenario, "limit") == 0)
        rc = export_metrics(large, 2, 1000, resp);
    else {
        fprintf(stderr, "usage: %s small|limit\n", argv[0]);
        return 2;
    }
    fclose(resp);
    printf("%s: scrape %s\n", scenario, rc < 0 ? "failed" : rc ? "truncated" : "complete");
    return rc < 0 ? 1 : 0;
}
