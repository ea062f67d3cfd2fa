// A framed-record importer: a producer thread writes length-prefixed records
// (1000 records, about 200 KiB) into a pipe and the importer reads them with
// `while (next_record(&rd, ...))`. read_full() returns -1 on a read error and
// next_record() also gives up on a record larger than the importer's buffer,
// so the loop can stop long before the producer is done. import_feed() then
// closes the read end before it joins the producer: a producer blocked on
// the full pipe gets EPIPE (SIGPIPE is ignored), returns its errno, and the
// join returns. The join's result and the producer's status are both
// checked; EPIPE after an intentional early stop is the only one tolerated.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: oversize exit
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct feed {
    int fds[2];
    int nrecords;
    int oversize_at; /* index of a record too big for the importer, or -1 */
};

struct reader {
    int fd;
    int err;
};

static void *produce(void *arg)
{
    struct feed *f = arg;
    static char payload[10000];
    memset(payload, 'x', sizeof payload);
    int err = 0;
    for (int i = 0; i < f->nrecords && !err; i++) {
        uint32_t len = i == f->oversize_at ? sizeof payload : 200;
        if (write(f->fds[1], &len, sizeof len) != sizeof len ||
            write(f->fds[1], payload, len) != (ssize_t)len)
            err = errno ? errno : EIO;
    }
    close(f->fds[1]);
    return (void *)(intptr_t)err;
}

/* Read exactly n bytes unless end-of-file comes first; -1 on a read error. */
static ssize_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static bool next_record(struct reader *rd, char *buf, size_t cap, size_t *len)
{
    uint32_t hdr;
    ssize_t n = read_full(rd->fd, &hdr, sizeof hdr);
    if (n != sizeof hdr) {
        rd->err = n < 0 ? errno : 0;
        return false;
    }
    if (hdr > cap) {
        rd->err = EMSGSIZE;
        return false;
    }
    if (read_full(rd->fd, buf, hdr) != (ssize_t)hdr) {
        rd->err = EIO;
        return false;
    }
    *len = hdr;
    return true;
}

static int import_feed(int nrecords, int oversize_at)
{
    struct feed f = { .nrecords = nrecords, .oversize_at = oversize_at };
    pthread_t producer;
    if (pipe(f.fds) != 0)
        return 1;
    if (pthread_create(&producer, NULL, produce, &f) != 0) {
        close(f.fds[0]);
        close(f.fds[1]);
        return 1;
    }

    struct reader rd = { .fd = f.fds[0], .err = 0 };
    char buf[4096];
    size_t len, imported = 0;
    while (next_record(&rd, buf, sizeof buf, &len))
        imported++;
    close(f.fds[0]);

    void *ret;
    int rc = pthread_join(producer, &ret);
    if (rc != 0) {
        fprintf(stderr, "join: %s\n", strerror(rc));
        return 1;
    }
    int werr = (int)(intptr_t)ret;
    if (werr && !(rd.err != 0 && werr == EPIPE)) {
        fprintf(stderr, "producer failed: %s\n", strerror(werr));
        return 1;
    }
    if (rd.err) {
        printf("imported %zu records, stopped: %s\n", imported, strerror(rd.err));
        return rd.err == EMSGSIZE ? 0 : 1;
    }
    printf("imported %zu records\n", imported);
    return imported == (size_t)nrecords ? 0 : 1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *scenario = argc > 1 ? argv[1] : "oversize";
    if (strcmp(scenario, "oversize") == 0)
        return import_feed(1000, 30);
    if (strcmp(scenario, "clean") == 0)
        return import_feed(1000, -1);
    fprintf(stderr, "usage: %s oversize|clean\n", argv[0]);
    return 2;
}
