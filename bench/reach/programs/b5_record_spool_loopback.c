// reach: a search indexer batches postings through an in-process spool: a
// pipe used as a byte FIFO. fifo_pair() makes the pipe and hands both ends
// back through an out-parameter into struct spool; spool_put() appends
// length-prefixed records and spool_replay() decodes records until
// end-of-file. index_batch() queues a small batch and replays it, but the
// write end is only dropped by spool_close() afterwards (spool_seal() is
// never called on this path), so the replay drains the batch and then
// blocks in read() on a pipe its own thread still holds open for writing.
// CROSSES: out-parameter (fifo_pair() returns both ends through an array, spool_open() stores them in struct spool); struct member (the write end lives in struct spool, closed only in spool_close()); call chain (the read to end-of-file is in spool_replay() -> read_full())
// EXPECT: pipe-self-deadlock index_batch|spool_replay batch hang
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REC_MAX 256

struct spool {
	int rd;
	int wr;
	size_t queued;
};

typedef int (*record_fn)(const char *rec, uint16_t len, void *ctx);

static int fifo_pair(int ends[2])
{
	if (pipe2(ends, O_CLOEXEC) < 0)
		return -errno;
	return 0;
}

static int spool_open(struct spool *sp)
{
	int ends[2];
	int rc = fifo_pair(ends);

	if (rc < 0)
		return rc;
	sp->rd = ends[0];
	sp->wr = ends[1];
	sp->queued = 0;
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1 = got len bytes, 0 = clean end-of-file, <0 = error or torn record */
static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return got == 0 ? 0 : -EPIPE;
		got += (size_t)n;
	}
	return 1;
}

static int spool_put(struct spool *sp, const char *rec)
{
	size_t len = strlen(rec);
	uint16_t hdr;
	int rc;

	if (len > REC_MAX)
		return -EMSGSIZE;
	hdr = (uint16_t)len;
	if ((rc = write_full(sp->wr, &hdr, sizeof hdr)) < 0)
		return rc;
	if ((rc = write_full(sp->wr, rec, len)) < 0)
		return rc;
	sp->queued++;
	return 0;
}

static void spool_seal(struct spool *sp)
{
	if (sp->wr >= 0) {
		close(sp->wr);
		sp->wr = -1;
	}
}

static int spool_replay(struct spool *sp, record_fn fn, void *ctx)
{
	char buf[REC_MAX + 1];
	uint16_t hdr;
	int rc;

	while ((rc = read_full(sp->rd, &hdr, sizeof hdr)) > 0) {
		if (hdr > REC_MAX)
			return -EPROTO;
		if ((rc = read_full(sp->rd, buf, hdr)) <= 0)
			return rc < 0 ? rc : -EPIPE;
		buf[hdr] = '\0';
		if ((rc = fn(buf, hdr, ctx)) < 0)
			return rc;
	}
	return rc;
}

static void spool_close(struct spool *sp)
{
	spool_seal(sp);
	if (sp->rd >= 0)
		close(sp->rd);
	sp->rd = -1;
}

struct term_stats {
	size_t terms;
	size_t bytes;
};

static int count_term(const char *rec, uint16_t len, void *ctx)
{
	struct term_stats *st = ctx;

	(void)rec;
	st->terms++;
	st->bytes += len;
	return 0;
}

static int index_batch(const char *const *terms, size_t n, struct term_stats *st)
{
	struct spool sp;
	int rc;

	if ((rc = spool_open(&sp)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = spool_put(&sp, terms[i])) < 0)
			goto out;
	}
	rc = spool_replay(&sp, count_term, st);
out:
	spool_close(&sp);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const terms[] = {
		"pipe", "deadlock", "reader", "writer", "eof", "spool", "posting",
	};
	struct term_stats st = { 0, 0 };
	const char *scenario = argc > 1 ? argv[1] : "batch";
	int rc;

	if (strcmp(scenario, "batch") != 0) {
		fprintf(stderr, "usage: %s batch\n", argv[0]);
		return 2;
	}
	rc = index_batch(terms, sizeof terms / sizeof terms[0], &st);
	if (rc < 0) {
		fprintf(stderr, "index: %s\n", strerror(-rc));
		return 1;
	}
	printf("indexed %zu terms, %zu bytes\n", st.terms, st.bytes);
	return 0;
}
