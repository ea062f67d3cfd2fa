// reach: a metrics endpoint renders the Prometheus text exposition of its
// registry in a background thread so that the render can be time-boxed.
// render_begin() makes the pipe, keeps the read end in struct render_job
// and starts render_thread() on the write end. render_end() first calls
// job_finish(), which joins the thread and decodes its status, and only
// then buf_slurp()s the read end. With a realistic registry (2000 series,
// about 120 KiB of text) the renderer blocks in write() once the pipe is
// full and the join never returns: the scrape hangs.
// CROSSES: struct member (the read end and the thread id live in struct render_job); call chain (the join is in job_finish(), the drain in buf_slurp(), both called from render_end())
// EXPECT: pipe-wait-before-drain render_end|job_finish scrape hang
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct series {
	char name[32];
	char labels[64];
	double value;
};

struct registry {
	struct series *s;
	size_t n;
};

struct buf {
	char *data;
	size_t len, cap;
};

struct render_job {
	const struct registry *reg;
	pthread_t thread;
	int rd;
	int wr;
};

static void *render_thread(void *arg)
{
	struct render_job *job = arg;
	FILE *out = fdopen(job->wr, "w");
	intptr_t rc = 0;

	if (!out) {
		close(job->wr);
		return (void *)(intptr_t)errno;
	}
	for (size_t i = 0; i < job->reg->n; i++) {
		const struct series *s = &job->reg->s[i];
		if (fprintf(out, "%s{%s} %.3f\n", s->name, s->labels, s->value) < 0) {
			rc = errno;
			break;
		}
	}
	if (fclose(out) != 0 && rc == 0)
		rc = errno;
	return (void *)rc;
}

static int render_begin(struct render_job *job, const struct registry *reg)
{
	int p[2];
	int err;

	job->reg = reg;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	job->rd = p[0];
	job->wr = p[1];
	err = pthread_create(&job->thread, NULL, render_thread, job);
	if (err) {
		close(p[0]);
		close(p[1]);
		return -err;
	}
	return 0;
}

static int job_finish(struct render_job *job)
{
	void *ret = NULL;
	int err = pthread_join(job->thread, &ret);

	if (err)
		return -err;
	return ret ? -(int)(intptr_t)ret : 0;
}

static int buf_slurp(struct buf *b, int fd)
{
	for (;;) {
		ssize_t n;

		if (b->cap - b->len < 4096) {
			size_t ncap = b->cap ? b->cap * 2 : 16384;
			char *nd = realloc(b->data, ncap);
			if (!nd)
				return -ENOMEM;
			b->data = nd;
			b->cap = ncap;
		}
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
	}
}

static int render_end(struct render_job *job, struct buf *out)
{
	int rc = job_finish(job);

	if (rc == 0)
		rc = buf_slurp(out, job->rd);
	close(job->rd);
	return rc;
}

static void registry_fill(struct registry *reg, size_t n)
{
	reg->s = calloc(n, sizeof *reg->s);
	reg->n = reg->s ? n : 0;
	for (size_t i = 0; i < reg->n; i++) {
		snprintf(reg->s[i].name, sizeof reg->s[i].name, "http_requests_total");
		snprintf(reg->s[i].labels, sizeof reg->s[i].labels,
			 "route=\"/api/v1/item/%zu\",code=\"200\"", i);
		reg->s[i].value = (double)(i * 7 % 1000);
	}
}

int main(int argc, char **argv)
{
	const char *scenario = argc > 1 ? argv[1] : "scrape";
	struct registry reg;
	struct render_job job;
	struct buf out = { NULL, 0, 0 };
	int rc;

	if (strcmp(scenario, "scrape") != 0) {
		fprintf(stderr, "usage: %s scrape\n", argv[0]);
		return 2;
	}
	registry_fill(&reg, 2000);
	if ((rc = render_begin(&job, &reg)) < 0 || (rc = render_end(&job, &out)) < 0) {
		fprintf(stderr, "render: %s\n", strerror(-rc));
		return 1;
	}
	printf("rendered %zu series, %zu bytes\n", reg.n, out.len);
	free(out.data);
	free(reg.s);
	return 0;
}
