// logroute: a daemon's log router. Components post lines into named
// channels (each one a pipe used as a kernel buffer); at shutdown
// router_flush() closes the inputs and forwards every channel into its sink
// with pump(). route_add() resolves a route's two channels; a route without
// a destination goes to the router's default sink. The stock configuration
// routes every channel, the default sink ("audit") included, so route_add()
// makes a route from "audit" to "audit": router_flush() then pumps the audit
// pipe's read end into its own write end. The pump reads back what it has
// just written, forever, and never sees end-of-file because the write end it
// copies into is the one that would have to close.
// CROSSES: the two ends reach the copy through route members (struct channel pointers) resolved by router_find in route_add; the copy loop is a helper (pump); the pipes are made in channel_open and kept in an array of structs
// EXPECT: pipe-self-copy route_add|router_flush defaults hang
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHANNELS 8

struct channel {
    char name[24];
    int rd, wr;
    int is_sink; /* receives forwarded lines: its write end stays open until the flush */
};

struct route {
    struct channel *from, *to;
};

struct router {
    struct channel ch[MAX_CHANNELS];
    int nch;
    struct route routes[MAX_CHANNELS];
    int nroutes;
    const char *default_sink;
};

static struct channel *router_find(struct router *r, const char *name)
{
    for (int i = 0; i < r->nch; i++)
        if (strcmp(r->ch[i].name, name) == 0)
            return &r->ch[i];
    return NULL;
}

static struct channel *channel_open(struct router *r, const char *name)
{
    int p[2];
    if (r->nch == MAX_CHANNELS || pipe2(p, O_CLOEXEC) < 0)
        return NULL;
    struct channel *c = &r->ch[r->nch++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->rd = p[0];
    c->wr = p[1];
    c->is_sink = 0;
    return c;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int channel_post(struct router *r, const char *name, const char *line)
{
    struct channel *c = router_find(r, name);
    char buf[256];
    if (!c)
        return -1;
    int len = snprintf(buf, sizeof buf, "[%s] %s\n", name, line);
    return write_all(c->wr, buf, (size_t)len);
}

/* A null destination means the default sink. */
static int route_add(struct router *r, const char *from, const char *to)
{
    struct channel *src = router_find(r, from);
    struct channel *dst = router_find(r, to ? to : r->default_sink);
    if (!src || !dst || r->nroutes == MAX_CHANNELS)
        return -1;
    dst->is_sink = 1;
    r->routes[r->nroutes].from = src;
    r->routes[r->nroutes].to = dst;
    r->nroutes++;
    return 0;
}

/* Copy from_fd into to_fd until from_fd reaches end-of-file. */
static long pump(int from_fd, int to_fd)
{
    char buf[4096];
    long total = 0;
    for (;;) {
        ssize_t n = read(from_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -1 : total;
        if (write_all(to_fd, buf, (size_t)n) < 0)
            return -1;
        total += n;
    }
}

static int router_flush(struct router *r)
{
    /* The producers are done: close every input nobody forwards into. */
    for (int i = 0; i < r->nch; i++)
        if (!r->ch[i].is_sink) {
            close(r->ch[i].wr);
            r->ch[i].wr = -1;
        }
    for (int i = 0; i < r->nroutes; i++)
        if (pump(r->routes[i].from->rd, r->routes[i].to->wr) < 0)
            return -1;
    for (int i = 0; i < r->nch; i++)
        if (r->ch[i].wr >= 0) {
            close(r->ch[i].wr);
            r->ch[i].wr = -1;
        }
    return 0;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "explicit";
    struct router r = {.nch = 0, .nroutes = 0, .default_sink = "audit"};
    static const char *const names[] = {"app", "auth", "audit"};

    for (int i = 0; i < 3; i++)
        if (!channel_open(&r, names[i]))
            return 1;
    channel_post(&r, "app", "listening on :8080");
    channel_post(&r, "auth", "user alice logged in");
    channel_post(&r, "audit", "config reloaded by root");
    channel_post(&r, "app", "shutting down");

    if (strcmp(scenario, "defaults") == 0) {
        /* Stock configuration: every channel goes to the default sink. */
        for (int i = 0; i < 3; i++)
            route_add(&r, names[i], NULL);
    } else if (strcmp(scenario, "explicit") == 0) {
        route_add(&r, "app", "audit");
        route_add(&r, "auth", "audit");
    } else {
        fprintf(stderr, "usage: %s defaults|explicit\n", argv[0]);
        return 2;
    }
    if (router_flush(&r) < 0) {
        perror("router_flush");
        return 1;
    }
    char out[4096];
    size_t used = 0;
    int sink = router_find(&r, "audit")->rd;
    for (ssize_t n; used + 1 < sizeof out; used += (size_t)n)
        if ((n = read(sink, out + used, sizeof out - 1 - used)) <= 0)
            break;
    out[used] = '\0';
    fputs(out, stdout);
    return strstr(out, "[app] shutting down") && strstr(out, "[audit] config") ? 0 : 1;
}
