// reach: a CSV exporter streams rows from a producer thread into a pipe;
// exporter_start() gets both ends from open_pipe() through out-parameters
// and hands the write end to the emit_rows() thread inside struct
// exporter. emit_rows() closes the write end at its normal end, but when
// a field contains a delimiter it cannot quote it records EINVAL and
// returns straight away, leaving the write end open. exporter_collect()
// reads to end-of-file before it joins and looks at the error, so one bad
// row hangs the export.
// CROSSES: thread start routine (the write end reaches emit_rows() in a struct passed through pthread_create()); out-parameter (open_pipe() returns the ends through pointers); struct member (the end is kept in struct exporter)
// EXPECT: pipe-unclosed-write-end emit_rows badrow hang
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct row {
	const char *id;
	const char *name;
	const char *city;
};

struct exporter {
	const struct row *rows;
	size_t nrows;
	int rfd;
	int wfd;
	int error;
	size_t emitted;
	pthread_t tid;
};

static int open_pipe(int *rd, int *wr)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	*rd = p[0];
	*wr = p[1];
	return 0;
}

static int put_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int field_ok(const char *f)
{
	return strpbrk(f, ",\n\"") == NULL;
}

static void *emit_rows(void *arg)
{
	struct exporter *ex = arg;
	char line[512];

	for (size_t i = 0; i < ex->nrows; i++) {
		const struct row *r = &ex->rows[i];
		int n;

		if (!field_ok(r->id) || !field_ok(r->name) || !field_ok(r->city)) {
			ex->error = EINVAL;
			return NULL;
		}
		n = snprintf(line, sizeof line, "%s,%s,%s\n", r->id, r->name, r->city);
		if (n < 0 || (size_t)n >= sizeof line) {
			ex->error = ENAMETOOLONG;
			break;
		}
		if (put_all(ex->wfd, line, (size_t)n) == -1) {
			ex->error = errno;
			break;
		}
		ex->emitted++;
	}
	close(ex->wfd);
	ex->wfd = -1;
	return NULL;
}

static int exporter_start(struct exporter *ex, const struct row *rows, size_t n)
{
	memset(ex, 0, sizeof *ex);
	ex->rows = rows;
	ex->nrows = n;
	if (open_pipe(&ex->rfd, &ex->wfd) == -1)
		return -1;
	if ((errno = pthread_create(&ex->tid, NULL, emit_rows, ex)) != 0) {
		close(ex->rfd);
		close(ex->wfd);
		return -1;
	}
	return 0;
}

/* Returns the number of bytes of CSV collected, or -1 with errno set. */
static long exporter_collect(struct exporter *ex, char *out, size_t cap)
{
	size_t used = 0;
	ssize_t n;

	while ((n = read(ex->rfd, out + used, cap - 1 - used)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		used += (size_t)n;
		if (used == cap - 1)
			break;
	}
	out[used] = '\0';
	pthread_join(ex->tid, NULL);
	close(ex->rfd);
	if (ex->error) {
		errno = ex->error;
		return -1;
	}
	return (long)used;
}

int main(int argc, char **argv)
{
	static const struct row good[] = {
		{ "1", "Ada", "London" }, { "2", "Grace", "Arlington" },
		{ "3", "Edsger", "Nuenen" },
	};
	static const struct row bad[] = {
		{ "1", "Ada", "London" }, { "2", "Hopper, Grace", "Arlington" },
		{ "3", "Edsger", "Nuenen" },
	};
	const char *scenario = argc > 1 ? argv[1] : "good";
	const struct row *rows = strcmp(scenario, "badrow") == 0 ? bad : good;
	struct exporter ex;
	char csv[4096];
	long len;

	if (exporter_start(&ex, rows, 3) == -1) {
		perror("exporter_start");
		return 1;
	}
	len = exporter_collect(&ex, csv, sizeof csv);
	if (len == -1) {
		fprintf(stderr, "export failed after %zu rows: %s\n", ex.emitted,
			strerror(errno));
		return 1;
	}
	fputs(csv, stdout);
	return 0;
}
