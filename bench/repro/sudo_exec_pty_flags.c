/* False positive: sudo 1.9.13p3 src/exec_pty.c exec_pty(), finding at
 * exec_pty.c:1346:5 "end 'intercept_sv[0]' of the socket pair is still open
 * when 'exec_pty' returns". intercept_sv is created only when
 * ISSET(details->flags, CD_INTERCEPT|CD_LOG_SUBCMDS), and the same test
 * later hands intercept_sv[0] to intercept_setup(), so no real path leaks
 * it. Between the two tests sudo retries
 * `while (send(sv[0], cstat, sizeof(*cstat), 0) == -1)`. Each turn adds
 * sizeof(*cstat) to the amount written to sv[0] (EndState::Written), so the
 * states at the loop head never repeat. After MaxVisitsPerBlock visits the
 * engine widens the block and joins all of its states into one: the
 * "created" state and the "not created" one. join() keeps only the facts
 * both states share (intersectFacts), so the remembered truth of
 * `flags & CD_INTERCEPT` is dropped, and intercept_sv[0] becomes "created or
 * not". After that, the second test can go either way, and on its false
 * branch the end reaches the return still open. With one send() and no
 * loop, or a size of 0, there is no finding.
 * Reduced from the preprocessed translation unit and rewritten; this is not
 * sudo's code. In sudo the parent also never closes intercept_sv[1] (a real
 * defect, reported separately at the same line); here that end goes to
 * give_to_child(), so the correct result is no finding at all.
 *
 *   clang-tidy-19 --load=build/llvm-19/PipeTidy-llvm19.so -checks='-*,pipe-*' bench/repro/sudo_exec_pty_flags.c --
 * expected: no warning. Still one warning at 0dc0772; none since widening
 * and the state cap keep apart states that created different ends and
 * remember a condition differently (FlowEngineImpl::keptApart(); the run-
 * proven test is test/checkers/pipe-unclosed-write-end/widened-flags.c).
 * The real function kept naming intercept_sv[0] (at 1346) for a second
 * reason this reduction lacks: sudo makes the pair under a nested test
 * (CD_INTERCEPT, then !CD_USE_PTRACE), so "flag clear" and "flag set, but
 * ptrace" both leave it unmade; joined, they remember nothing about the
 * flag, and keptApart() then joined them with the state that made it. A
 * fact one state lacks now keeps them apart too (test
 * test/checkers/pipe-unclosed-write-end/nested-flag-join.c and .cpp). */
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define CD_INTERCEPT 0x20

struct details { int flags; };
extern void give_to_child(int fd);
extern void *intercept_setup(int fd);

int exec_pty(struct details *details, int *status)
{
    int sv[2], intercept_sv[2] = { -1, -1 };

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
        abort();
    if (details->flags & CD_INTERCEPT) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, intercept_sv) == -1)
            abort();
        give_to_child(intercept_sv[1]);
    }

    /* Retry until the monitor has it. The amount written to sv[0] grows on
     * every turn, so the loop head is only left after widening. */
    while (send(sv[0], status, sizeof(*status), 0) == -1)
        continue;
    close(sv[0]);
    close(sv[1]);

    if (details->flags & CD_INTERCEPT)
        intercept_setup(intercept_sv[0]); /* a hand-off */
    return 0;
}
