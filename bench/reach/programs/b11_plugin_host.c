/* Log shipper plugin host: every configured output plugin is an external
 * filter that reads newline-separated records on its stdin. host_start()
 * spawns the plugins through plugin_spawn() -> spawn_filter(), the shipper
 * fans each record out to all of them, and host_stop() closes each
 * plugin's input and reaps it, one plugin after the other.
 * BUG: spawn_filter() makes the stdin pipe with a plain pipe() and the
 * child only closes its own two descriptors before execv(). The second
 * plugin therefore inherits the write end of the first plugin's pipe
 * across exec. When host_stop() closes plugin 0's input and waits for it,
 * plugin 0 never sees end-of-file (plugin 1 still holds a write end, and
 * plugin 1 itself is waiting for its own input, which host_stop() has not
 * closed yet): waitpid() blocks forever. With a single plugin it works.
 */
// EXPECT: pipe-unclosed-write-end spawn_filter|plugin_spawn|host_start two hang
// CROSSES: the pipe is made in spawn_filter(), two calls below host_start(), and its write end goes back through an out-parameter into a nested struct in an array of plugins; it only leaks into the next plugin spawned by a later call of the same helper, and the close and the wait are in host_stop()
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PLUGINS 4

struct plugin_proc {
    pid_t pid;
    int in_fd;
};

struct plugin {
    const char *name;
    const char *const *argv;
    struct plugin_proc proc;
    unsigned long sent;
    int status;
};

struct host {
    struct plugin plugins[MAX_PLUGINS];
    size_t count;
};

static pid_t spawn_filter(const char *const *argv, int *in_fd)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        if (dup2(fds[0], STDIN_FILENO) < 0)
            _exit(126);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[0]);
    *in_fd = fds[1];
    return pid;
}

static int plugin_spawn(struct plugin *p)
{
    p->proc.in_fd = -1;
    p->sent = 0;
    p->status = -1;
    p->proc.pid = spawn_filter(p->argv, &p->proc.in_fd);
    if (p->proc.pid < 0) {
        fprintf(stderr, "plugin %s: cannot start: %s\n", p->name, strerror(errno));
        return -1;
    }
    return 0;
}

static int host_stop(struct host *h)
{
    int failed = 0;
    for (size_t i = 0; i < h->count; i++) {
        struct plugin *p = &h->plugins[i];
        if (p->proc.in_fd >= 0) {
            close(p->proc.in_fd);
            p->proc.in_fd = -1;
        }
        int st;
        while (waitpid(p->proc.pid, &st, 0) < 0) {
            if (errno != EINTR) {
                st = -1;
                break;
            }
        }
        p->status = st;
        if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "plugin %s failed\n", p->name);
            failed = 1;
        }
    }
    return failed ? -1 : 0;
}

static int host_start(struct host *h)
{
    for (size_t i = 0; i < h->count; i++) {
        if (plugin_spawn(&h->plugins[i]) < 0) {
            h->count = i;
            host_stop(h);
            return -1;
        }
    }
    return 0;
}

static int host_ship(struct host *h, const char *record)
{
    char line[256];
    int n = snprintf(line, sizeof line, "%s\n", record);
    if (n < 0 || (size_t)n >= sizeof line)
        return -1;
    for (size_t i = 0; i < h->count; i++) {
        struct plugin *p = &h->plugins[i];
        if (write(p->proc.in_fd, line, (size_t)n) != n) {
            fprintf(stderr, "plugin %s: write: %s\n", p->name, strerror(errno));
            return -1;
        }
        p->sent++;
    }
    return 0;
}

static const char *const counter_argv[] = {"/usr/bin/wc", "-l", NULL};
static const char *const bytes_argv[] = {"/usr/bin/wc", "-c", NULL};

static int ship_logs(size_t nplugins)
{
    struct host h;
    memset(&h, 0, sizeof h);
    h.plugins[0].name = "line-counter";
    h.plugins[0].argv = counter_argv;
    h.plugins[1].name = "byte-counter";
    h.plugins[1].argv = bytes_argv;
    h.count = nplugins;
    if (host_start(&h) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < 50 && rc == 0; i++) {
        char rec[128];
        snprintf(rec, sizeof rec, "ts=%d level=%s msg=\"request %d served\"", 1700000000 + i,
                 i % 7 == 0 ? "warn" : "info", i);
        rc = host_ship(&h, rec);
    }
    if (host_stop(&h) < 0)
        rc = -1;
    return rc;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "single";
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(scenario, "single") == 0)
        return ship_logs(1) == 0 ? 0 : 1;
    if (strcmp(scenario, "two") == 0)
        return ship_logs(2) == 0 ? 0 : 1;
    fprintf(stderr, "usage: %s single|two\n", argv[0]);
    return 2;
}
