// reach (near-miss): the indexer spool of b5_record_spool_loopback.c in its
// reusable form. The pipe still comes from fifo_pair() through an
// out-parameter and the write end stays open in struct spool across
// batches, but spool_replay() decodes exactly the number of records
// spool_put() queued (sp->queued) instead of reading to end-of-file, so
// it never waits on the write end its own thread holds. Two batches go
// through the same spool before spool_close() drops both ends.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: reuse exit
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

/* 1 = got len bytes, <0 = error or unexpected end-of-file */
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
			return -EPIPE;
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

/* Decode what is queued right now; the spool stays open for more. */
static int spool_replay(struct spool *sp, record_fn fn, void *ctx)
{
	char buf[REC_MAX + 1];
	uint16_t hdr;
	int rc;

	for (; sp->queued > 0; sp->queued--) {
		if ((rc = read_full(sp->rd, &hdr, sizeof hdr)) < 0)
			return rc;
		if (hdr > REC_MAX)
			return -EPROTO;
		if ((rc = read_full(sp->rd, buf, hdr)) < 0)
			return rc;
		buf[hdr] = '\0';
		if ((rc = fn(buf, hdr, ctx)) < 0)
			return rc;
	}
	return 0;
}

static void spool_close(struct spool *sp)
{
	if (sp->wr >= 0)
		close(sp->wr);
	if (sp->rd >= 0)
		close(sp->rd);
	sp->rd = sp->wr = -1;
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

static int index_batch(struct spool *sp, const char *const *terms, size_t n,
		       struct term_stats *st)
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		if ((rc = spool_put(sp, terms[i])) < 0)
			return rc;
	}
	return spool_replay(sp, count_term, st);
}

int main(int argc, char **argv)
{
	static const char *const first[] = { "pipe", "deadlock", "reader", "writer" };
	static const char *const second[] = { "eof", "spool", "posting" };
	struct term_stats st = { 0, 0 };
	const char *scenario = argc > 1 ? argv[1] : "reuse";
	struct spool sp;
	int rc;

	if (strcmp(scenario, "reuse") != 0) {
		fprintf(stderr, "usage: %s reuse\n", argv[0]);
		return 2;
	}
	if ((rc = spool_open(&sp)) < 0) {
		fprintf(stderr, "spool: %s\n", strerror(-rc));
		return 1;
	}
	rc = index_batch(&sp, first, 4, &st);
	if (rc == 0)
		rc = index_batch(&sp, second, 3, &st);
	spool_close(&sp);
	if (rc < 0) {
		fprintf(stderr, "index: %s\n", strerror(-rc));
		return 1;
	}
	printf("indexed %zu terms, %zu bytes\n", st.terms, st.bytes);
	return st.terms == 7 ? 0 : 1;
}
