// Talks to a shell co-process that squares numbers: one pipe carries the
// requests to the shell's stdin, another carries its replies back. The
// parent sends a batch of numbers and reads one reply line per request.
// The conversation ends in-band: the parent sends "quit", the shell loop
// exits on it, the parent reads the reply pipe to end-of-file (the shell's
// stdout closes when it exits), and only then hangs up and reaps the child.
// The shell still inherits req[1] (no O_CLOEXEC), but nothing waits for
// end-of-file on the request pipe, so the inherited copy is harmless.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-wait-before-drain
// PROOF: batch exit
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct coproc {
    pid_t pid;
    int to_child;   /* write end of the child's stdin */
    int from_child; /* read end of the child's stdout */
};

static const char square_loop[] =
    "while read -r l; do [ \"$l\" = quit ] && exit 0; echo $((l * l)); done";

static int coproc_start(struct coproc *cp, const char *script)
{
    int req[2], rep[2];
    if (pipe(req) < 0)
        return -1;
    if (pipe(rep) < 0) {
        close(req[0]);
        close(req[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        close(req[0]); close(req[1]); close(rep[0]); close(rep[1]);
        return -1;
    }
    if (pid == 0) {
        if (dup2(req[0], STDIN_FILENO) < 0 || dup2(rep[1], STDOUT_FILENO) < 0)
            _exit(127);
        close(req[0]);
        close(rep[1]);
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    close(req[0]);
    close(rep[1]);
    cp->pid = pid;
    cp->to_child = req[1];
    cp->from_child = rep[0];
    return 0;
}

static int send_line(int fd, const char *text)
{
    size_t len = strlen(text);
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "fd %d: %s\n", fd, strerror(errno));
            return -1;
        }
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads one '\n'-terminated line; returns its length, 0 at EOF, -1 on error. */
static ssize_t recv_line(int fd, char *buf, size_t size)
{
    size_t used = 0;
    while (used + 1 < size) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        if (c == '\n')
            break;
        buf[used++] = c;
    }
    buf[used] = '\0';
    return (ssize_t)used;
}

static int coproc_finish(struct coproc *cp)
{
    int status;
    char rest[64];
    /* the loop exits on "quit" while we still hold our copy of its stdin */
    if (send_line(cp->to_child, "quit\n") < 0)
        fprintf(stderr, "co-process already gone\n");
    while (recv_line(cp->from_child, rest, sizeof rest) > 0)
        fprintf(stderr, "late reply: %s\n", rest);
    close(cp->to_child);
    while (waitpid(cp->pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    close(cp->from_child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_batch(void)
{
    struct coproc cp;
    static const char *const numbers[] = { "2", "7", "12", "31" };
    char reply[64];
    if (coproc_start(&cp, square_loop) < 0)
        return 1;
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char req[32];
        snprintf(req, sizeof req, "%s\n", numbers[i]);
        if (send_line(cp.to_child, req) < 0 ||
            recv_line(cp.from_child, reply, sizeof reply) <= 0) {
            fprintf(stderr, "co-process died\n");
            break;
        }
        printf("%s^2 = %s\n", numbers[i], reply);
    }
    fflush(stdout);
    return coproc_finish(&cp) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "batch") != 0) {
        fprintf(stderr, "usage: %s batch\n", argv[0]);
        return 2;
    }
    return run_batch();
}
