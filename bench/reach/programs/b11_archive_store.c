/* Archiver: each entry's data arrives on an input pipe, filled by a loader
 * thread that fetches it from a blob store in chunks, and leaves on an output pipe that a packer thread appends to the
 * archive. Text entries go through normalize_entry(), which turns CRLF into
 * LF on the way; entries that are already compressed (.png, .gz, .zip) are
 * stored as they are with store_entry(), which moves the bytes with
 * splice() instead of copying them through user space.
 * BUG: archive_entry() passes j->in.wr instead of j->out.wr to
 * store_entry() (the two nested pipe_pair members look alike), so stored
 * entries are spliced from the input pipe back into the input pipe. The
 * kernel refuses a splice between the two ends of one pipe with EINVAL, and
 * every stored entry fails. The "store" scenario exits 0 when it sees it.
 */
// EXPECT: pipe-self-copy archive_entry|store_entry store exit
// CROSSES: the two pipes are nested struct members filled by pipe_pair_open(); archive_entry() hands j->in.rd and j->in.wr to store_entry() as plain ints, and the splice() that copies one into the other is in that helper
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct pipe_pair {
    int rd;
    int wr;
};

struct entry_job {
    const char *name;
    const char *data;
    size_t size;
    struct pipe_pair in;  /* loader thread -> archiver */
    struct pipe_pair out; /* archiver -> packer thread */
    size_t packed;
};

static int pipe_pair_open(struct pipe_pair *p)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    p->rd = fds[0];
    p->wr = fds[1];
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Stands in for a ranged GET against the blob store: a round trip per chunk. */
static size_t fetch_chunk(const struct entry_job *j, size_t off, char *buf, size_t cap)
{
    size_t n = j->size - off < cap ? j->size - off : cap;
    usleep(20000);
    memcpy(buf, j->data + off, n);
    return n;
}

static void *loader_main(void *arg)
{
    struct entry_job *j = arg;
    char buf[16];
    size_t off = 0;
    while (off < j->size) {
        size_t n = fetch_chunk(j, off, buf, sizeof buf);
        if (write(j->in.wr, buf, n) != (ssize_t)n)
            break;
        off += n;
    }
    close_fd(&j->in.wr);
    return NULL;
}

static void *packer_main(void *arg)
{
    struct entry_job *j = arg;
    char buf[4096];
    ssize_t n;
    while ((n = read(j->out.rd, buf, sizeof buf)) > 0)
        j->packed += (size_t)n; /* a real packer would append to the archive file */
    return NULL;
}

static ssize_t store_entry(int from, int to)
{
    ssize_t total = 0;
    for (;;) {
        ssize_t n = splice(from, NULL, to, NULL, 65536, SPLICE_F_MOVE);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return total;
        total += n;
    }
}

static ssize_t normalize_entry(int from, int to)
{
    char in[4096], out[4097];
    ssize_t n, total = 0;
    int held_cr = 0; /* a '\r' at the end of the last read */
    while ((n = read(from, in, sizeof in)) > 0) {
        size_t k = 0;
        for (ssize_t i = 0; i < n; i++) {
            if (held_cr && in[i] != '\n')
                out[k++] = '\r';
            held_cr = in[i] == '\r';
            if (!held_cr)
                out[k++] = in[i];
        }
        if (write(to, out, k) != (ssize_t)k)
            return -1;
        total += (ssize_t)k;
    }
    if (held_cr && write(to, "\r", 1) == 1)
        total++;
    return n < 0 ? -1 : total;
}

static int is_precompressed(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcmp(dot, ".png") || !strcmp(dot, ".gz") || !strcmp(dot, ".zip"));
}

static int archive_entry(struct entry_job *j)
{
    pthread_t loader, packer;
    if (pipe_pair_open(&j->in) < 0)
        return -1;
    if (pipe_pair_open(&j->out) < 0) {
        close_fd(&j->in.rd);
        close_fd(&j->in.wr);
        return -1;
    }
    j->packed = 0;
    pthread_create(&loader, NULL, loader_main, j);
    pthread_create(&packer, NULL, packer_main, j);

    ssize_t n;
    if (is_precompressed(j->name))
        n = store_entry(j->in.rd, j->in.wr);
    else
        n = normalize_entry(j->in.rd, j->out.wr);
    int saved = errno;

    close_fd(&j->out.wr);
    close_fd(&j->in.rd); /* unblocks the loader if we stopped early */
    pthread_join(loader, NULL);
    pthread_join(packer, NULL);
    close_fd(&j->out.rd);
    errno = saved;
    return n < 0 ? -1 : 0;
}

static const char readme[] = "Project readme\r\nBuild with make\r\n";
static const char logo[] = "\x89PNG\r\n\x1a\n....IHDR....pixels....IEND";

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "text";
    struct entry_job j;
    memset(&j, 0, sizeof j);
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(scenario, "text") == 0) {
        j.name = "README.txt";
        j.data = readme;
        j.size = sizeof readme - 1;
        int rc = archive_entry(&j);
        printf("%s: rc=%d, %zu bytes packed\n", j.name, rc, j.packed);
        return rc == 0 && j.packed == j.size - 2 ? 0 : 1;
    }
    if (strcmp(scenario, "store") == 0) {
        j.name = "logo.png";
        j.data = logo;
        j.size = sizeof logo - 1;
        int rc = archive_entry(&j);
        int err = errno;
        printf("%s: rc=%d (%s), %zu of %zu bytes packed\n", j.name, rc, rc ? strerror(err) : "ok",
               j.packed, j.size);
        return rc < 0 && err == EINVAL ? 0 : 1;
    }
    fprintf(stderr, "usage: %s text|store\n", argv[0]);
    return 2;
}
