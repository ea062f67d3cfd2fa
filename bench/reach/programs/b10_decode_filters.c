/* Message decoder: the header and the body of a message each go through an
 * external filter process (here /bin/cat stands in for the real decoders).
 * Both filters are started before either is fed, so each child could inherit
 * the other filter's pipe ends.
 * CORRECT (near-miss): the pipes are made with O_CLOEXEC by
 * make_pipe_cloexec(), so neither exec'd child keeps the other's write end
 * (only the dup2'ed copies survive exec); the parent closes the child's ends
 * right after fork; and the early return on a rejected header goes through
 * filter_abort(), which closes the write end before it drains and reaps.
 */
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-wait-before-drain
// PROOF: reject exit
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct filter {
    const char *name;
    pid_t pid;
    int to_child;
    int from_child;
};

static int make_pipe_cloexec(int fds[2])
{
    return pipe2(fds, O_CLOEXEC);
}

static int filter_start(struct filter *f, const char *name, char *const argv[])
{
    int in[2], out[2];
    if (make_pipe_cloexec(in) < 0)
        return -1;
    if (make_pipe_cloexec(out) < 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    f->name = name;
    f->pid = pid;
    f->to_child = in[1];
    f->from_child = out[0];
    return 0;
}

static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Gives up on a filter: no more input, discard its output, reap it. */
static int filter_abort(struct filter *f)
{
    char sink[1024];
    close(f->to_child);
    f->to_child = -1;
    while (read(f->from_child, sink, sizeof sink) > 0)
        ;
    close(f->from_child);
    f->from_child = -1;
    reap(f->pid);
    return -1;
}

/* Sends the input, ends it, and collects the whole output. */
static int filter_run(struct filter *f, const char *input, char *out, size_t cap)
{
    size_t len = strlen(input), used = 0;
    if (write(f->to_child, input, len) != (ssize_t)len)
        return filter_abort(f);
    close(f->to_child);
    f->to_child = -1;
    ssize_t n;
    while (used + 1 < cap && (n = read(f->from_child, out + used, cap - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(f->from_child);
    f->from_child = -1;
    return reap(f->pid);
}

static int decode_message(const char *header, const char *body, char *out, size_t cap)
{
    static char *const cat_argv[] = {"/bin/cat", NULL};
    struct filter hf, bf;
    char hdr[256];

    if (filter_start(&hf, "header", cat_argv) < 0)
        return -1;
    if (filter_start(&bf, "body", cat_argv) < 0)
        return filter_abort(&hf);
    if (filter_run(&hf, header, hdr, sizeof hdr) < 0)
        return filter_abort(&bf);
    if (strncmp(hdr, "MSG/1 ", 6) != 0) {
        fprintf(stderr, "rejected header: %s", hdr);
        return filter_abort(&bf);
    }
    return filter_run(&bf, body, out, cap);
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "normal";
    char out[1024];
    if (strcmp(scenario, "normal") == 0) {
        int rc = decode_message("MSG/1 len=27\n", "hello from the decoder box\n", out, sizeof out);
        printf("decode: %s, body: %s", rc == 0 ? "ok" : "failed", rc == 0 ? out : "-\n");
        return rc == 0 && strcmp(out, "hello from the decoder box\n") == 0 ? 0 : 1;
    }
    if (strcmp(scenario, "reject") == 0) {
        int rc = decode_message("HTTP/1.1 200\n", "not for us\n", out, sizeof out);
        printf("decode: %s\n", rc == 0 ? "ok" : "rejected");
        return rc < 0 ? 0 : 1;
    }
    fprintf(stderr, "usage: %s normal|reject\n", argv[0]);
    return 2;
}
