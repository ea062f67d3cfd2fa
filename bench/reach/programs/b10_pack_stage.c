/* Packer for a log archiver: each chunk goes through a stage made of two
 * pipes, an input channel and an output channel. Level 1 run-length encodes
 * the input channel into the output channel; level 0 ("store") is meant to
 * move the bytes unchanged with splice().
 * BUG: stage_sink() returns the *input* channel for level 0, so stage_run()
 * splices from in.rd into in.wr, copying the pipe into itself. The kernel
 * refuses that with EINVAL, and every chunk stored at level 0 fails.
 * The "store" scenario exits 0 when it sees that EINVAL.
 */
// EXPECT: pipe-self-copy stage_run|move_bytes store exit
// CROSSES: both channels are returned by value from channel_open() and kept in struct stage; the destination is chosen by stage_sink(), which returns a pointer into the same struct, and the splice is in move_bytes() two calls below pack_chunk()
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A chunk and its encoding (at most twice as large) both fit in a pipe. */
#define CHUNK_MAX (16 * 1024)

struct channel {
    int rd;
    int wr;
};

struct stage {
    struct channel in;
    struct channel out;
    int level;
};

static struct channel channel_open(void)
{
    int fds[2];
    struct channel c = {-1, -1};
    if (pipe2(fds, O_CLOEXEC) == 0) {
        c.rd = fds[0];
        c.wr = fds[1];
    }
    return c;
}

static void channel_close(struct channel *c)
{
    if (c->rd >= 0)
        close(c->rd);
    if (c->wr >= 0)
        close(c->wr);
    c->rd = c->wr = -1;
}

static int stage_init(struct stage *st, int level)
{
    st->level = level;
    st->in = channel_open();
    st->out = channel_open();
    if (st->in.rd < 0 || st->out.rd < 0) {
        channel_close(&st->in);
        channel_close(&st->out);
        return -1;
    }
    return 0;
}

static struct channel *stage_sink(struct stage *st)
{
    /* stored chunks skip the encoder */
    return st->level == 0 ? &st->in : &st->out;
}

static ssize_t move_bytes(int from, int to, size_t len)
{
    size_t moved = 0;
    while (moved < len) {
        ssize_t n = splice(from, NULL, to, NULL, len - moved, 0);
        if (n <= 0)
            return n < 0 ? -1 : (ssize_t)moved;
        moved += (size_t)n;
    }
    return (ssize_t)moved;
}

static ssize_t rle_encode(int from, int to, size_t len)
{
    unsigned char in[4096], out[8192];
    size_t done = 0, produced = 0;
    while (done < len) {
        ssize_t n = read(from, in, sizeof in < len - done ? sizeof in : len - done);
        if (n <= 0)
            return -1;
        size_t o = 0;
        for (ssize_t i = 0; i < n;) {
            ssize_t j = i;
            while (j < n && in[j] == in[i] && j - i < 255)
                j++;
            out[o++] = (unsigned char)(j - i);
            out[o++] = in[i];
            i = j;
        }
        if (write(to, out, o) != (ssize_t)o)
            return -1;
        done += (size_t)n;
        produced += o;
    }
    return (ssize_t)produced;
}

static ssize_t stage_run(struct stage *st, size_t len)
{
    struct channel *sink = stage_sink(st);
    if (st->level == 0)
        return move_bytes(st->in.rd, sink->wr, len);
    return rle_encode(st->in.rd, sink->wr, len);
}

/* Packs one chunk; returns the packed size, or -1 with errno set. */
static ssize_t pack_chunk(int level, const char *data, size_t len, char *out, size_t cap)
{
    struct stage st;
    if (len > CHUNK_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    if (stage_init(&st, level) < 0)
        return -1;
    ssize_t rc = -1;
    if (write(st.in.wr, data, len) == (ssize_t)len && stage_run(&st, len) >= 0) {
        close(st.out.wr);
        st.out.wr = -1;
        size_t got = 0;
        ssize_t n;
        while (got < cap && (n = read(st.out.rd, out + got, cap - got)) > 0)
            got += (size_t)n;
        rc = (ssize_t)got;
    }
    int saved = errno;
    channel_close(&st.in);
    channel_close(&st.out);
    errno = saved;
    return rc;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    char chunk[6000], packed[16384];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = "aaaaaaaaaabbbbbcc\n"[i % 18];

    if (strcmp(scenario, "normal") == 0) {
        ssize_t n = pack_chunk(1, chunk, sizeof chunk, packed, sizeof packed);
        printf("level 1: %zu -> %zd bytes\n", sizeof chunk, n);
        return n > 0 ? 0 : 1;
    }
    if (strcmp(scenario, "store") == 0) {
        errno = 0;
        ssize_t n = pack_chunk(0, chunk, sizeof chunk, packed, sizeof packed);
        int err = errno;
        printf("level 0: %zd bytes (%s)\n", n, n < 0 ? strerror(err) : "ok");
        /* the symptom: the store path copies the input pipe into itself */
        return n < 0 && err == EINVAL ? 0 : 1;
    }
    fprintf(stderr, "usage: %s normal|store\n", argv[0]);
    return 2;
}
