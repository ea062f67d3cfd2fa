#!/usr/bin/env python3
"""Runs a command and succeeds only when it exits with exactly the expected
status.

  %expect_exit STATUS COMMAND [ARGS...]

lit's `not` turns any failure into success, a crash included (a process
killed by a signal has a non-zero status too), so `not clang-tidy ...` passes
when clang-tidy dies with a stack dump. This runs COMMAND with the same
standard input, output and error, and exits 0 when COMMAND exited normally
with STATUS; otherwise it says what happened on stderr and exits 1.
"""

import signal
import subprocess
import sys


def main(argv):
    if len(argv) < 2 or not argv[0].lstrip("-").isdigit():
        sys.stderr.write("usage: expect_exit.py STATUS COMMAND [ARGS...]\n")
        return 2
    want = int(argv[0])
    try:
        code = subprocess.call(argv[1:])
    except OSError as e:
        sys.stderr.write("expect_exit: cannot run %s: %s\n" % (argv[1], e))
        return 1
    if code == want:
        return 0
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "signal %d" % -code
        sys.stderr.write("expect_exit: %s was killed by %s (expected exit status %d)\n"
                         % (argv[1], name, want))
    else:
        sys.stderr.write("expect_exit: %s exited with status %d (expected %d)\n"
                         % (argv[1], code, want))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
