/* Log shipper for a supervised service: the service's stdout goes into a
 * pipe; the shipper duplicates every chunk with tee(2) into a second pipe that
 * an alert-scanner thread reads, and moves the chunk with splice(2) into the
 * archive file, without copying through user space.
 * CORRECT (near-miss): ship_chunk() tees from the service pipe into the
 * separate mirror pipe and splices the service pipe into the archive; source
 * and destination are never the same pipe. The pipes are made with O_CLOEXEC
 * so the spawned service only keeps the end it is given, the parent closes
 * its copy of the service's write end in start_service(), and
 * shipper_finish() closes the mirror's write end before it joins the scanner.
 */
// EXPECT-NONE: pipe-self-copy
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: normal exit
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct link {
    int rd, wr;
};

struct shipper {
    pid_t service;
    struct link src;    /* service stdout */
    struct link mirror; /* copy for the alert scanner */
    pthread_t scanner;
    FILE *archive;
    size_t alerts, scanned;
};

static int make_link(struct link *l)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    l->rd = fds[0];
    l->wr = fds[1];
    return 0;
}

static void *scanner_main(void *arg)
{
    struct shipper *s = arg;
    char buf[4096], prev[5] = "";
    ssize_t n;
    while ((n = read(s->mirror.rd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            memmove(prev, prev + 1, 3);
            prev[3] = buf[i];
            if (memcmp(prev, "ERRO", 4) == 0)
                s->alerts++;
        }
        s->scanned += (size_t)n;
    }
    close(s->mirror.rd);
    return NULL;
}

static int start_service(struct shipper *s, const char *cmd)
{
    posix_spawn_file_actions_t fa;
    char *argv[] = {"sh", "-c", (char *)cmd, NULL};
    if (make_link(&s->src) < 0)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, s->src.wr, STDOUT_FILENO);
    int err = posix_spawn(&s->service, "/bin/sh", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(s->src.wr);
    s->src.wr = -1;
    if (err != 0) {
        close(s->src.rd);
        return -1;
    }
    return 0;
}

/* moves one chunk from `from` to the archive, with a copy into `mirror_wr`;
 * returns the chunk size, 0 at end of stream, -1 on error */
static ssize_t ship_chunk(int from, int mirror_wr, int archive_fd)
{
    ssize_t n = tee(from, mirror_wr, 65536, 0);
    if (n <= 0)
        return n;
    for (ssize_t left = n; left > 0;) {
        ssize_t m = splice(from, NULL, archive_fd, NULL, (size_t)left, SPLICE_F_MOVE);
        if (m < 0 && errno == EINTR)
            continue;
        if (m <= 0)
            return -1;
        left -= m;
    }
    return n;
}

static int shipper_finish(struct shipper *s)
{
    int status;
    close(s->mirror.wr);
    pthread_join(s->scanner, NULL);
    close(s->src.rd);
    while (waitpid(s->service, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int ship_logs(struct shipper *s, const char *cmd, size_t *shipped)
{
    ssize_t n;
    int rc = 0;
    *shipped = 0;
    if (!(s->archive = tmpfile()) || make_link(&s->mirror) < 0)
        return -1;
    if (pthread_create(&s->scanner, NULL, scanner_main, s) != 0) {
        close(s->mirror.rd);
        close(s->mirror.wr);
        return -1;
    }
    if (start_service(s, cmd) < 0) {
        close(s->mirror.wr);
        pthread_join(s->scanner, NULL);
        return -1;
    }
    while ((n = ship_chunk(s->src.rd, s->mirror.wr, fileno(s->archive))) > 0)
        *shipped += (size_t)n;
    if (n < 0)
        rc = -1;
    if (shipper_finish(s) < 0)
        rc = -1;
    return rc;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    struct shipper s = {0};
    struct stat st;
    size_t shipped;

    if (strcmp(scenario, "normal") != 0) {
        fprintf(stderr, "usage: %s normal\n", argv[0]);
        return 2;
    }
    int rc = ship_logs(&s, "seq -f 'INFO request %g served in 3ms' 1 20000; echo 'ERROR disk almost full'", &shipped);
    if (rc == 0 && fstat(fileno(s.archive), &st) == 0 && (size_t)st.st_size == shipped &&
        s.scanned == shipped && s.alerts == 1)
        printf("shipped %zu bytes, %zu alert(s)\n", shipped, s.alerts);
    else
        rc = 1;
    if (s.archive)
        fclose(s.archive);
    return rc == 0 ? 0 : 1;
}
