// A zero-copy relay between a producer pipe and a consumer pipe, the kind of
// plumbing a log shipper uses. struct relay owns two pipes; session_open()
// initialises them through relay_init() and then picks the session's source
// and sink with bind_ends(). bind_ends() was copy-pasted from the source
// line and takes the sink from r->in as well, so forward() ends up splicing
// the input pipe into itself; the kernel refuses that with EINVAL and the
// relay moves nothing. The "forward" scenario exits 0 when it sees EINVAL
// from splice() on the relay's own pipe.
// CROSSES: the two ends are chosen in bind_ends(), two calls below session_open(), and used in forward() through a struct session pointer; no single function both selects and splices them
// EXPECT: pipe-self-copy forward|bind_ends forward exit
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct relay {
    int in[2];  /* producer writes in[1], relay reads in[0] */
    int out[2]; /* relay writes out[1], consumer reads out[0] */
};

struct session {
    struct relay *r;
    int source;
    int sink;
    size_t moved;
};

static int relay_init(struct relay *r)
{
    if (pipe(r->in) != 0)
        return -1;
    if (pipe(r->out) != 0) {
        close(r->in[0]);
        close(r->in[1]);
        return -1;
    }
    return 0;
}

static void relay_close(struct relay *r)
{
    close(r->in[0]);
    close(r->in[1]);
    close(r->out[0]);
    close(r->out[1]);
}

static void bind_ends(struct session *s)
{
    s->source = s->r->in[0];
    s->sink = s->r->in[1];
}

static int session_open(struct session *s, struct relay *r)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    if (relay_init(r) != 0)
        return -1;
    bind_ends(s);
    return 0;
}

/* Move whatever is buffered in the source pipe to the sink pipe. */
static ssize_t forward(struct session *s, size_t len)
{
    ssize_t n = splice(s->source, NULL, s->sink, NULL, len, SPLICE_F_NONBLOCK);
    if (n > 0)
        s->moved += (size_t)n;
    return n;
}

static int run_forward(void)
{
    struct relay r;
    struct session s;
    if (session_open(&s, &r) != 0) {
        perror("session_open");
        return 1;
    }
    const char msg[] = "2024-05-01T12:00:00Z host=web1 level=info msg=\"started\"\n";
    if (write(r.in[1], msg, sizeof msg - 1) < 0) {
        relay_close(&r);
        return 1;
    }
    ssize_t n = forward(&s, sizeof msg - 1);
    int err = errno;
    relay_close(&r);
    if (n < 0 && err == EINVAL) {
        fprintf(stderr, "relay: splice: %s (moved %zu bytes)\n", strerror(err), s.moved);
        return 0;
    }
    printf("relay moved %zd bytes\n", n);
    return 1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "forward";
    if (strcmp(scenario, "forward") == 0)
        return run_forward();
    fprintf(stderr, "usage: %s forward\n", argv[0]);
    return 2;
}
