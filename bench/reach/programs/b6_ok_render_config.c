// confgen: render a configuration template with ${NAME} variables. The
// expansion runs in a forked child (spawn_renderer, which returns the pid and
// the read end in a struct by value) so that a hostile template cannot take
// the daemon down; the parent collects the text with slurp(). When the
// template names an undefined variable the child has already written the
// lines before it, reports the name on stderr and exits with status 3. The
// parent sees an ordinary end-of-file, but reap_renderer() returns the
// child's exit status and render_template() fails when it is not 0, so the
// truncated configuration is never taken as complete.
// CROSSES: the writer is a child started in a helper (spawn_renderer) that returns its pid and read end in a struct by value; its exit status is checked in another helper (reap_renderer); the reading is done in slurp
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: undefined exit
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct var {
    const char *name;
    const char *value;
};

struct renderer {
    pid_t pid;
    int out_fd;
};

struct buffer {
    char *data;
    size_t len, cap;
};

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

static const char *lookup(const struct var *vars, const char *name, size_t len)
{
    for (; vars->name; vars++)
        if (strlen(vars->name) == len && memcmp(vars->name, name, len) == 0)
            return vars->value;
    return NULL;
}

/* Expand tpl into fd, one line at a time. */
static int expand(int fd, const char *tpl, const struct var *vars)
{
    char line[512];
    size_t used = 0;

    for (const char *p = tpl; *p; p++) {
        if (p[0] == '$' && p[1] == '{') {
            const char *end = strchr(p + 2, '}');
            if (!end)
                return -1;
            const char *val = lookup(vars, p + 2, (size_t)(end - p - 2));
            if (!val) {
                fprintf(stderr, "confgen: undefined variable %.*s\n", (int)(end - p - 2), p + 2);
                return -1;
            }
            size_t vlen = strlen(val);
            if (used + vlen >= sizeof line)
                return -1;
            memcpy(line + used, val, vlen);
            used += vlen;
            p = end;
            continue;
        }
        if (used + 1 >= sizeof line)
            return -1;
        line[used++] = *p;
        if (*p == '\n') {
            if (write_all(fd, line, used) < 0)
                return -1;
            used = 0;
        }
    }
    return used ? write_all(fd, line, used) : 0;
}

static struct renderer spawn_renderer(const char *tpl, const struct var *vars)
{
    struct renderer r = {-1, -1};
    int p[2];

    if (pipe2(p, O_CLOEXEC) < 0)
        return r;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return r;
    }
    if (pid == 0) {
        close(p[0]);
        int rc = expand(p[1], tpl, vars);
        close(p[1]);
        _exit(rc == 0 ? 0 : 3);
    }
    close(p[1]);
    r.pid = pid;
    r.out_fd = p[0];
    return r;
}

static int reap_renderer(struct renderer *r)
{
    int status = 0;
    while (waitpid(r->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    r->pid = -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int slurp(int fd, struct buffer *b)
{
    for (;;) {
        if (b->cap - b->len < 256) {
            size_t ncap = b->cap ? b->cap * 2 : 1024;
            char *nd = realloc(b->data, ncap);
            if (!nd)
                return -1;
            b->data = nd;
            b->cap = ncap;
        }
        ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        b->len += (size_t)n;
    }
    b->data[b->len] = '\0';
    return 0;
}

static int render_template(const char *tpl, const struct var *vars, struct buffer *out)
{
    struct renderer r = spawn_renderer(tpl, vars);
    if (r.pid < 0)
        return -1;
    int rc = slurp(r.out_fd, out);
    close(r.out_fd);
    if (reap_renderer(&r) < 0)
        rc = -1;
    return rc;
}

static const char *const kTemplate = "listen ${HOST}:${PORT}\n"
                                     "workers ${WORKERS}\n"
                                     "log_dir ${LOG_DIR}\n";

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "complete";
    struct var full[] = {{"HOST", "0.0.0.0"}, {"PORT", "8080"}, {"WORKERS", "4"},
                         {"LOG_DIR", "/var/log/app"}, {NULL, NULL}};
    struct var partial[] = {{"HOST", "0.0.0.0"}, {"PORT", "8080"},
                            {"LOG_DIR", "/var/log/app"}, {NULL, NULL}};
    struct buffer out = {NULL, 0, 0};

    if (strcmp(scenario, "complete") == 0) {
        int rc = render_template(kTemplate, full, &out);
        printf("%s", out.data ? out.data : "");
        return rc == 0 && strstr(out.data, "log_dir /var/log/app\n") ? 0 : 1;
    }
    if (strcmp(scenario, "undefined") == 0) {
        /* WORKERS is missing: the render must fail. */
        int rc = render_template(kTemplate, partial, &out);
        if (rc == 0) {
            printf("render reported success:\n%s", out.data);
            return 1;
        }
        printf("render failed as it should\n");
        return 0;
    }
    fprintf(stderr, "usage: %s complete|undefined\n", argv[0]);
    return 2;
}
