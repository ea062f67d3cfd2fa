/* Regression case (fixed in d55deb0 "branches teach values and remembered
 * conditions"; reported before it): a pipe created under a condition and
 * closed under the same condition. From git 2.39 run-command.c
 * start_command() (need_in/need_out/need_err, 7 findings) and tmux 3.3a
 * job.c job_run() (flags & JOB_PTY vs ~flags & JOB_PTY, 2 findings).
 *
 *   clang-tidy-19 --load=build/llvm-19/PipeTidy-llvm19.so -checks='-*,pipe-*' bench/repro/correlated_conditions.c --
 * expected: no warning */
#include <unistd.h>

int same_local(int want)
{
    int fd[2];
    int need = want > 0;
    if (need) {
        if (pipe(fd) < 0)
            return -1;
    }
    if (need)
        close(fd[1]);
    return 0;
}

int complementary_bits(int flags)
{
    int fd[2];
    if (flags & 4) {
    } else if (pipe(fd) < 0) {
        return -1;
    }
    if (~flags & 4)
        close(fd[1]);
    return 0;
}
