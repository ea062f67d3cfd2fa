/* False positive, new at c9e3cc8 (not reported at e8b82c2): an end that
 * pipe() created is a descriptor >= 0, so on a path where the pipe exists
 * the false branch of `if (fds[1] != -1) close(fds[1]);` cannot happen.
 * Reduced from util-linux 2.38 libblkid/src/topology/dm.c probe_dm_tp() (and
 * lvm.c probe_lvm_tp(), the same shape); sudo 1.9.13 exec_pty.c:1346
 * (`if (intercept_sv[0] != -1) intercept_setup(intercept_sv[0], ...)`) looks
 * like the same cause. Both the loop and the early `goto nothing` (a path on
 * which the array still holds -1, joining the cleanup) are needed: without
 * either, no warning.
 *
 *   clang-tidy-19 --load=build/llvm-19/PipeTidy-llvm19.so -checks='-*,pipe-*' bench/repro/created_end_is_not_minus_one.c --
 * expected: no warning */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int probe_dm_tp(int devno)
{
    const char *paths[] = { "/usr/local/sbin/dmsetup", "/usr/sbin/dmsetup", "/sbin/dmsetup" };
    int dmpipe[] = { -1, -1 }, stripes = 0;
    const char *cmd = NULL;
    FILE *stream = NULL;
    unsigned i;

    if (!devno)
        goto nothing;
    for (i = 0; i < 3; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0) {
            cmd = paths[i];
            break;
        }
    }
    if (!cmd)
        goto nothing;

    if (pipe(dmpipe) < 0)
        goto nothing;

    switch (fork()) {
    case 0:
        close(dmpipe[0]);
        if (dmpipe[1] != STDOUT_FILENO)
            dup2(dmpipe[1], STDOUT_FILENO);
        execl(cmd, cmd, (char *)NULL);
        exit(1);
    case -1:
        goto nothing;
    default:
        break;
    }

    stream = fdopen(dmpipe[0], "r");
    if (!stream)
        goto nothing;
    if (fscanf(stream, "%d", &stripes) != 1)
        goto nothing;
    fclose(stream);
    close(dmpipe[1]);
    return 0;

nothing:
    if (stream)
        fclose(stream);
    else if (dmpipe[0] != -1)
        close(dmpipe[0]);
    if (dmpipe[1] != -1)
        close(dmpipe[1]);
    return 1;
}
