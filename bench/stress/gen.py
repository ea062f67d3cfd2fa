#!/usr/bin/env python3
"""Generates one C (or C++: CXX_SHAPES) translation unit of a stress shape
at a chosen size.

    bench/stress/gen.py SHAPE SIZE > file.c
    bench/stress/gen.py --list

SIZE is the number of statements of the generated function (roughly: each
shape rounds it to whole units of its pattern). Every shape plants the same
defect in the same function: a pipe `pl` whose read end a forked child
reads, whose write end the function never closes. pipe-unclosed-write-end
must report it once, at the function's only return:

    write end 'pl[1]' of the pipe is still open when 'stress_SHAPE' returns here

Everything else the shapes do is correct (every other end is closed on every
path), so any other finding is a false positive. The helper-chain shapes
(`chain_forward`, `chain_backward`) are the same chain of helpers (SIZE of
them, at least five) and two callers in two orders; the planted leak is in
`leaky` (`h1(pl[1])` borrows the end through the chain and does not close
it).

Python 3 standard library only.
"""
import sys

PROLOGUE = """\
#include <unistd.h>
int reader(int fd);
int cond(int i);
void use(int x);
"""

PLANT_OPEN = """\
  int rc = 0;
  int pl[2];
  if (pipe(pl) < 0)
    return -1;
  if (fork() == 0)
    _exit(reader(pl[0]));
  close(pl[0]);
"""

PLANT_RETURN = "  return rc;\n"


def fn(shape, decls, body, tail=""):
    return (PROLOGUE + "int stress_%s(void)\n{\n" % shape + PLANT_OPEN + decls
            + body + tail + PLANT_RETURN + "}\n")


def goto_cascade(n):
    """Kernel-style: K pipes, each failure jumps to the cleanup of the ones
    made so far; the labels fall through to one return."""
    k = max(1, n // 6)
    decls = "".join("  int p%d[2];\n" % i for i in range(k))
    body = ""
    for i in range(k):
        body += "  if (pipe(p%d) < 0) {\n    rc = -1;\n    goto out%d;\n  }\n" % (i, i)
        body += "  use(p%d[0]);\n" % i
    tail = "  rc = 0;\n"
    for i in reversed(range(k)):
        tail += "  close(p%d[0]);\n  close(p%d[1]);\nout%d:\n" % (i, i, i)
    tail += "  ;\n"
    return fn("goto_cascade", decls, body, tail)


def loop_pipes(n):
    """Loops that each create, use and close a pipe per iteration."""
    k = max(1, n // 8)
    body = "  int i;\n"
    for j in range(k):
        body += ("  for (i = 0; i < 4; i++) {\n    int q%d[2];\n"
                 "    if (pipe(q%d) < 0)\n      continue;\n"
                 "    write(q%d[1], \"x\", 1);\n    close(q%d[0]);\n"
                 "    close(q%d[1]);\n  }\n") % (j, j, j, j, j)
    return fn("loop_pipes", "", body)


def straight_open(n):
    """Long straight-line code: K pipes open at once, all closed at the end."""
    k = max(1, n // 5)
    decls = "".join("  int s%d[2];\n" % i for i in range(k))
    body = ""
    for i in range(k):
        body += "  if (pipe(s%d) < 0)\n    s%d[0] = s%d[1] = -1;\n" % (i, i, i)
    for i in range(k):
        body += "  if (s%d[0] >= 0) {\n    close(s%d[0]);\n    close(s%d[1]);\n  }\n" % (i, i, i)
    return fn("straight_open", decls, body)


def cascade_create(n):
    """Pipes created in a cascade: each only when the one before succeeded
    (nests of 8, one after the other)."""
    units = max(1, n // 40)
    decls, body = "", ""
    for u in range(units):
        names = ["c%d_%d" % (u, d) for d in range(8)]
        decls += "".join("  int %s[2];\n" % c for c in names)
        for d, c in enumerate(names):
            body += "  " * (d + 1) + "if (pipe(%s) == 0) {\n" % c
        for d, c in reversed(list(enumerate(names))):
            ind = "  " * (d + 2)
            body += ind + "use(%s[0]);\n" % c
            body += ind + "close(%s[0]);\n" % c + ind + "close(%s[1]);\n" % c
            body += "  " * (d + 1) + "}\n"
    return fn("cascade_create", decls, body)


def fds_array(n):
    """Ends in `fds[K][2]`, created and closed by constant index."""
    k = max(1, n // 6)
    decls = "  int fds[%d][2];\n" % k
    body = ""
    for i in range(k):
        body += "  if (pipe(fds[%d]) < 0)\n    fds[%d][0] = fds[%d][1] = -1;\n" % (i, i, i)
    for i in range(k):
        body += "  if (fds[%d][0] >= 0) {\n    close(fds[%d][0]);\n    close(fds[%d][1]);\n  }\n" % (i, i, i)
    return fn("fds_array", decls, body)


def struct_fd(n):
    """Ends in `ps[i].fd`, created and closed by constant index."""
    k = max(1, n // 6)
    decls = "  struct pp { int fd[2]; } ps[%d];\n" % k
    body = ""
    for i in range(k):
        body += "  if (pipe(ps[%d].fd) < 0)\n    ps[%d].fd[0] = ps[%d].fd[1] = -1;\n" % (i, i, i)
    for i in range(k):
        body += ("  if (ps[%d].fd[0] >= 0) {\n    close(ps[%d].fd[0]);\n"
                 "    close(ps[%d].fd[1]);\n  }\n") % (i, i, i)
    return fn("struct_fd", decls, body)


def and_chain(n):
    """One long `&&` chain of N terms in a function with a pipe."""
    terms = " &&\n      ".join("cond(%d)" % i for i in range(max(2, n)))
    body = "  if (%s)\n    rc = 1;\n" % terms
    return fn("and_chain", "", body)


def deep_places(n):
    """pipe() into places three selectors deep: `d[i].b.c.fd`."""
    k = max(1, n // 6)
    decls = "  struct { struct { struct { int fd[2]; } c; } b; } d[%d];\n" % k
    body = ""
    for i in range(k):
        body += "  if (pipe(d[%d].b.c.fd) < 0)\n    d[%d].b.c.fd[0] = d[%d].b.c.fd[1] = -1;\n" % (i, i, i)
    for i in range(k):
        body += ("  if (d[%d].b.c.fd[0] >= 0) {\n    close(d[%d].b.c.fd[0]);\n"
                 "    close(d[%d].b.c.fd[1]);\n  }\n") % (i, i, i)
    return fn("deep_places", decls, body)


def try_calls(n):
    """C++: K pipes, each written between calls of a helper that throws,
    in a try block whose handler surely catches what it throws (exception
    paths to the handler at every call; none leaves the function)."""
    k = max(1, n // 8)
    decls = ""
    body = ""
    for i in range(k):
        body += ("  {\n    int p%d[2];\n    if (pipe(p%d) < 0) {\n      rc = -1;\n    } else {\n"
                 "      try {\n        check(%d);\n        use(p%d[1]);\n      } catch (const Bad &) {\n"
                 "        rc = -1;\n      }\n      close(p%d[0]);\n      close(p%d[1]);\n    }\n  }\n") % (i, i, i, i, i, i)
    return (PROLOGUE + CXX_PROLOGUE + "int stress_try_calls(void)\n{\n" + PLANT_OPEN
            + decls + body + PLANT_RETURN + "}\n")


CXX_PROLOGUE = """\
struct Bad {};
static void check(int i) { if (cond(i)) throw Bad(); }
"""

# Shapes generated as C++ (the others are C).
CXX_SHAPES = {"try_calls"}


def helpers(n):
    """h1 -> h2 -> ... -> hN, the last of which writes to the end."""
    out = ['static int h%d(int fd) { return (int)write(fd, "x", 1); }\n' % n]
    for i in range(n - 1, 0, -1):
        out.append("static int h%d(int fd) { return h%d(fd); }\n" % (i, i + 1))
    return "".join(out)


LEAKY = """\
int leaky(void)
{
  int pl[2];
  if (pipe(pl) < 0)
    return -1;
  if (fork() == 0)
    _exit(reader(pl[0]));
  close(pl[0]);
  h1(pl[1]);
  return 0;
}
"""


def uses(k):
    """A correct caller that asks for h<k>'s summary directly."""
    return """\
int uses_h%d(void)
{
  int q[2];
  if (pipe(q) < 0)
    return -1;
  if (fork() == 0)
    _exit(reader(q[0]));
  close(q[0]);
  h%d(q[1]);
  close(q[1]);
  return 0;
}
""" % (k, k)


def chain_forward(n):
    """The leaky caller before the one that summarises h<N-1> first, with
    N helpers (N = SIZE, at least 5)."""
    n = max(n, 5)
    return PROLOGUE + helpers(n) + LEAKY + uses(n - 1)


def chain_backward(n):
    """The caller that summarises h<N-1> first, then the leaky one."""
    n = max(n, 5)
    return PROLOGUE + helpers(n) + uses(n - 1) + LEAKY


SHAPES = {
    "goto_cascade": goto_cascade,
    "loop_pipes": loop_pipes,
    "straight_open": straight_open,
    "cascade_create": cascade_create,
    "fds_array": fds_array,
    "struct_fd": struct_fd,
    "and_chain": and_chain,
    "deep_places": deep_places,
    "chain_forward": chain_forward,
    "chain_backward": chain_backward,
    "try_calls": try_calls,
}


def expected(shape):
    """(function, end) of the one planted finding."""
    if shape.startswith("chain_"):
        return ("leaky", "pl[1]")
    return ("stress_" + shape, "pl[1]")


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(SHAPES))
        return 0
    if len(argv) != 3 or argv[1] not in SHAPES:
        sys.stderr.write("usage: gen.py SHAPE SIZE | --list\nshapes: %s\n"
                         % ", ".join(SHAPES))
        return 2
    try:
        size = int(argv[2])
    except ValueError:
        sys.stderr.write("gen.py: SIZE must be a number, not %r\n" % argv[2])
        return 2
    if size < 1:
        sys.stderr.write("gen.py: SIZE must be positive\n")
        return 2
    sys.stdout.write(SHAPES[argv[1]](size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
