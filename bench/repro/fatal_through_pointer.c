/* False positives: gawk 5.2 io.c (two_way_open/gawk_popen). gawk's fatal()
 * is a macro, `(*(set_loc(__FILE__, __LINE__), r_fatal))(...)`: a call
 * through a comma expression whose right side is the function. r_fatal()
 * never returns but is not declared noreturn, and
 * NoReturnFunctions: 'r_fatal' does not help, because the callee is not a
 * plain reference to r_fatal. The path where close() fails and fatal() "returns"
 * then reaches execl() with p[1] open.
 * Second cause, same lines: the classic redirection idiom close(1); dup(p[1])
 * makes the duplicate descriptor 1 (the lowest free one); it is meant to be
 * inherited, like a dup2(p[1], 1), but is reported as "write end 'dup(p[1])'
 * inherited by the child".
 *
 *   clang-tidy-19 --load=build/llvm-19/PipeTidy-llvm19.so -checks='-*,pipe-*' \
 *     --config="{CheckOptions: {NoReturnFunctions: 'r_fatal'}}" bench/repro/fatal_through_pointer.c --
 * expected: no warning */
#include <unistd.h>

extern void set_loc(const char *file, int line);
extern void r_fatal(const char *msg, ...);
#define fatal (*(set_loc(__FILE__, __LINE__), r_fatal))

int gawk_popen(const char *cmd)
{
    int p[2];
    pid_t pid;

    if (pipe(p) < 0)
        fatal("cannot open pipe");
    if ((pid = fork()) == 0) {
        if (close(1) == -1)
            fatal("close of stdout in child failed");
        if (dup(p[1]) != 1)
            fatal("moving pipe to stdout in child failed");
        if (close(p[0]) == -1 || close(p[1]) == -1)
            fatal("close of pipe failed");
        execl("/bin/sh", "sh", "-c", cmd, (char *)0);
        _exit(127);
    }
    if (pid == -1) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    close(p[1]);
    return p[0];
}
