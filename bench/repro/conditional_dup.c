/* False positive: a dup() inside a conditional expression is not followed
 * into the variable it initialises. From util-linux 2.38
 * login-utils/sulogin-consoles.c detect_consoles() (16 findings in the corpus,
 * one per return): 'fd' is closed on every path, but every return is reported
 * with the end named 'dup(fallback)', i.e. held by no variable. Also, the
 * duplicate of an arbitrary descriptor parameter is called a "write end of
 * the pipe" although nothing says 'fallback' is a pipe; g() below, the same
 * without '?:', is (rightly) not reported.
 *
 *   clang-tidy-19 --load=build/llvm-19/PipeTidy-llvm19.so -checks='-*,pipe-*' bench/repro/conditional_dup.c --
 * expected: no warning */
#include <unistd.h>

int f(int fallback, int x)
{
    int fd = fallback >= 0 ? dup(fallback) : -1;
    if (fd >= 0)
        close(fd);
    if (x)
        return 1;
    return 0;
}

int g(int fallback, int x)
{
    int fd = dup(fallback);
    if (fd >= 0)
        close(fd);
    if (x)
        return 1;
    return 0;
}
