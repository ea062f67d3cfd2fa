/* Backup uploader: a reader thread walks the blocks of a volume snapshot
 * and streams them into a pipe; the uploader reads the stream, checksums
 * it and would push it to the backup server, within a byte quota.
 * CORRECT (near-miss): the reader thread records a failure (an unreadable
 * block, a failed write) in its struct stream_writer, and stream_finish()
 * returns it after pthread_join(), so upload_snapshot() reports a backup
 * with a bad block as failed instead of uploading it as complete. When the
 * quota runs out, upload_snapshot() stops reading early, but
 * stream_finish() closes the read end before it joins: the blocked writer
 * gets EPIPE (SIGPIPE is ignored), closes its end and returns.
 */
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-leaked-writer
// PROOF: badblock exit
// PROOF: quota exit
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SIZE 4096

struct block_source {
    size_t nblocks;
    long bad_block; /* -1: every block reads fine */
};

struct stream_writer {
    pthread_t tid;
    int wfd;
    struct block_source src;
    int err;
    size_t blocks_sent;
};

struct upload {
    int rfd;
    struct stream_writer w;
    uint32_t sum;
    size_t bytes;
};

static int read_block(const struct block_source *src, size_t i, unsigned char *buf)
{
    if ((long)i == src->bad_block) {
        errno = EIO;
        return -1;
    }
    for (size_t k = 0; k < BLOCK_SIZE; k++)
        buf[k] = (unsigned char)(i * 31 + k);
    return 0;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void *writer_main(void *arg)
{
    struct stream_writer *w = arg;
    unsigned char block[BLOCK_SIZE];
    for (size_t i = 0; i < w->src.nblocks; i++) {
        if (read_block(&w->src, i, block) < 0 || write_all(w->wfd, block, sizeof block) < 0) {
            w->err = errno;
            break;
        }
        w->blocks_sent++;
    }
    close(w->wfd);
    return NULL;
}

static int stream_start(struct upload *u, const struct block_source *src)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    u->rfd = fds[0];
    u->w.wfd = fds[1];
    u->w.src = *src;
    u->w.err = 0;
    u->w.blocks_sent = 0;
    if (pthread_create(&u->w.tid, NULL, writer_main, &u->w) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return 0;
}

static int stream_finish(struct upload *u)
{
    close(u->rfd);
    u->rfd = -1;
    pthread_join(u->w.tid, NULL);
    return u->w.err;
}

static int upload_snapshot(const struct block_source *src, size_t quota, size_t *uploaded)
{
    struct upload u;
    memset(&u, 0, sizeof u);
    if (stream_start(&u, src) < 0)
        return errno;
    unsigned char buf[8192];
    ssize_t n;
    while ((n = read(u.rfd, buf, sizeof buf)) > 0) {
        if (u.bytes + (size_t)n > quota) {
            stream_finish(&u);
            *uploaded = u.bytes;
            return EDQUOT;
        }
        for (ssize_t i = 0; i < n; i++)
            u.sum = u.sum * 33 + buf[i];
        u.bytes += (size_t)n;
    }
    int err = stream_finish(&u);
    *uploaded = u.bytes;
    if (err) {
        fprintf(stderr, "snapshot read failed after %zu blocks: %s\n", u.w.blocks_sent,
                strerror(err));
        return err;
    }
    printf("uploaded %zu bytes, checksum %08x\n", u.bytes, u.sum);
    return 0;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "clean";
    size_t bytes = 0;
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(scenario, "clean") == 0) {
        struct block_source src = {64, -1};
        return upload_snapshot(&src, 1 << 20, &bytes) == 0 && bytes == 64 * BLOCK_SIZE ? 0 : 1;
    }
    if (strcmp(scenario, "badblock") == 0) {
        struct block_source src = {64, 40};
        int err = upload_snapshot(&src, 1 << 20, &bytes);
        printf("backup %s (%zu bytes streamed)\n", err ? "rejected" : "accepted", bytes);
        return err == EIO ? 0 : 1;
    }
    if (strcmp(scenario, "quota") == 0) {
        struct block_source src = {4096, -1}; /* 16 MiB against a 256 KiB quota */
        int err = upload_snapshot(&src, 256 * 1024, &bytes);
        printf("stopped at %zu bytes: %s\n", bytes, strerror(err));
        return err == EDQUOT ? 0 : 1;
    }
    fprintf(stderr, "usage: %s clean|badblock|quota\n", argv[0]);
    return 2;
}
