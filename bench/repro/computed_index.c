/* False positive: ends taken from the pipe array through a computed index.
 * From bash 5.2 subst.c process_substitute(): which end the parent keeps is
 * chosen by a parameter, so both ends are read as fildes[rd] and
 * fildes[1 - rd]. The write end is either handed off (parent_fd) or closed
 * (child_fd) on every path, but the finding says 'fildes[1]' is still open.
 *
 *   clang-tidy-19 --load=build/llvm-19/PipeTidy-llvm19.so -checks='-*,pipe-*' bench/repro/computed_index.c --
 * expected: no warning */
#include <unistd.h>

extern int move_to_high_fd(int fd);

int process_substitute(int open_for_read_in_child)
{
    int fildes[2], parent_fd, child_fd;

    if (pipe(fildes) < 0)
        return -1;
    parent_fd = fildes[open_for_read_in_child];
    child_fd = fildes[1 - open_for_read_in_child];
    parent_fd = move_to_high_fd(parent_fd);   /* unknown function: handed off */
    close(child_fd);
    return parent_fd;
}
