// Log shipper: each batch of records is streamed to a forked compressor
// child over a pipe; the child reads until end-of-file and reports how many
// bytes it packed. shipper_open() makes the pipe and forks, the handle lives
// in a struct, and ship_batch() bails out on the first malformed record
// without shipper_close(), so the write end stays open in the parent. The
// main loop then reaps its children and waits forever for a compressor that
// never sees end-of-file.
// EXPECT: pipe-unclosed-write-end ship_batch badrecord hang
// CROSSES: the pipe and the fork are in shipper_open(), which hands the write end back inside struct shipper; the early return in ship_batch() leaves sh.wfd open, and the hang is the wait() in reap_all(), called from main
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct shipper {
    pid_t pid;
    int wfd;
};

static void compressor_main(int rfd)
{
    char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(rfd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            _exit(1);
        }
        total += n;
    }
    fprintf(stderr, "compressor %d: packed %ld bytes\n", (int)getpid(), total);
    _exit(0);
}

static int shipper_open(struct shipper *sh)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        close(p[1]);
        compressor_main(p[0]);
    }
    close(p[0]);
    sh->pid = pid;
    sh->wfd = p[1];
    return 0;
}

static int shipper_close(struct shipper *sh)
{
    int status = 0;
    close(sh->wfd);
    sh->wfd = -1;
    if (waitpid(sh->pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int valid_record(const char *rec)
{
    return rec[0] != '\0' && strchr(rec, '\n') == NULL;
}

static int ship_batch(const char **recs, int n)
{
    struct shipper sh;
    if (shipper_open(&sh) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (!valid_record(recs[i])) {
            fprintf(stderr, "record %d malformed, dropping batch\n", i);
            return -1;
        }
        if (dprintf(sh.wfd, "%s\n", recs[i]) < 0)
            break;
    }
    return shipper_close(&sh);
}

static void reap_all(void)
{
    while (wait(NULL) > 0 || errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    const char *good[] = {"GET /index 200", "GET /style.css 200", "POST /login 302"};
    const char *bad[] = {"GET /index 200", "", "GET /favicon.ico 404"};
    const char *scenario = argc > 1 ? argv[1] : "good";

    signal(SIGPIPE, SIG_IGN);
    int rc;
    if (strcmp(scenario, "good") == 0)
        rc = ship_batch(good, 3);
    else if (strcmp(scenario, "badrecord") == 0)
        rc = ship_batch(bad, 3);
    else {
        fprintf(stderr, "unknown scenario %s\n", scenario);
        return 2;
    }
    reap_all();
    printf("batch %s\n", rc == 0 ? "shipped" : "dropped");
    return 0;
}
