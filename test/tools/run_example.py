#!/usr/bin/env python3
"""Compiles a test file and runs one of its scenarios, to prove that code the
checks call a hang really hangs (and that the fixed code really finishes).

  // RUN: %run_example %s <scenario> <expect> [--timeout SECONDS] [-- CFLAGS...]

The file has an `int main(int argc, char **argv)` that runs the scenario
named by argv[1]. It is compiled with `cc -std=gnu11` (.c) or
`c++ -std=c++17` (.cpp), with -pthread -D_GNU_SOURCE -O0 -w (CC and CXX
replace the compilers), and the binary is cached by a hash of the
preprocessed source (headers included), the compiler's version and the
command line (in $PIPE_TIDY_EXAMPLE_CACHE, else a directory under the
system's temporary directory).

`<binary> <scenario>` runs in a new session and process group, with stdin
from /dev/null; when it has finished, or the time is up, the whole process
group is killed with SIGKILL, and so is any orphaned descendant, so that no
leaked child outlives the test. <expect> is one of:

  hang   still running when the timeout (default 2 s) expires, or found
         deadlocked before it (below)
  abort  killed by SIGABRT (abort(), std::terminate) within the timeout
         (default 20 s)
  exit   exited with status 0 within the timeout (default 20 s)

Exit status: 0 when the expectation holds, 1 when it does not, 2 when the
file cannot be compiled or the arguments are wrong.

A hang is also proved, without waiting for the timeout, when the example
is deadlocked: on Linux (x86_64 or aarch64), two looks at /proc 0.1 s apart
find every thread of every process descended from this script asleep in
the same call, using no CPU between them, and each call is one that only
another of those threads could end: a blocking read or write of a pipe, a
wait for a child without WNOHANG, or a futex wait with no timeout (a
mutex, a condition variable or a join). Stdin is /dev/null and the output
goes to a file, so every pipe they touch was made among them. A source that
mentions alarm(), setitimer(), timer_create() or timerfd (a timer could
still wake it) always waits for the timeout.

Within a test run ($PIPE_TIDY_PROOF_RESULTS set), the binary a source
built is also remembered with the size and time of every file the
preprocessor read, so that its other scenarios, and the next LLVM major,
find it without preprocessing it again; a file changed since is a miss.

When $PIPE_TIDY_PROOF_RESULTS names a directory, a scenario that held is
recorded there (keyed by the binary's hash, the scenario, the expectation
and the timeout), and the same proof asked again is answered from the
record. scripts/run-tests.sh sets it to a fresh directory for one
invocation, so each proof runs once per test run however many LLVM majors
the run covers (the program does not depend on the checker's LLVM); it is
removed when the run ends. Failures are never recorded.
"""

import argparse
import ctypes
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import List, Optional

DEFAULT_TIMEOUT = {"hang": 2.0, "abort": 20.0, "exit": 20.0}
PR_SET_CHILD_SUBREAPER = 36


def log(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def cache_dir() -> str:
    d = os.environ.get("PIPE_TIDY_EXAMPLE_CACHE")
    if not d:
        d = os.path.join(tempfile.gettempdir(), "pipe-tidy-run-example-%d" % os.getuid())
    os.makedirs(d, exist_ok=True)
    return d


def preprocessed(compiler: List[str], flags: List[str], source: str,
                 deps: Optional[List[str]] = None) -> bytes:
    """The source after the preprocessor, so that the cache key covers every
    header it includes. A file the preprocessor rejects is keyed on its own
    text (the compile step then reports the error). \p deps, when given,
    receives the files the preprocessor read."""
    depfile = None
    extra: List[str] = []
    if deps is not None:
        fd, depfile = tempfile.mkstemp(suffix=".d")
        os.close(fd)
        extra = ["-MD", "-MF", depfile]
    try:
        proc = subprocess.run(compiler + flags + extra + ["-E", "-P", source],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
        if proc.returncode == 0:
            if depfile and deps is not None:
                with open(depfile, errors="replace") as f:
                    text = f.read().replace("\\\n", " ")
                deps.extend(text.split(":", 1)[1].split() if ":" in text else [])
            return proc.stdout
    finally:
        if depfile:
            try:
                os.unlink(depfile)
            except OSError:
                pass
    with open(source, "rb") as f:
        return f.read()


def run_memo(compiler: List[str], flags: List[str], source: str) -> Optional[str]:
    """Where this test run remembers which binary the source built, keyed by
    its text, the compiler's command and the flags, or None outside a test
    run ($PIPE_TIDY_PROOF_RESULTS). The memo lists every file the
    preprocessor read with its size and time: a header changed since is a
    miss, so the key stays what the compiler really reads, without running
    the preprocessor again for each scenario of the same file."""
    d = os.environ.get("PIPE_TIDY_PROOF_RESULTS")
    if not d or not os.path.isdir(d):
        return None
    h = hashlib.sha256()
    with open(source, "rb") as f:
        h.update(f.read())
    h.update(b"\0".join(a.encode() for a in [os.path.abspath(source)] + compiler + flags))
    return os.path.join(d, "binary-" + h.hexdigest()[:32])


def memo_binary(memo: str) -> Optional[str]:
    try:
        with open(memo) as f:
            data = json.load(f)
        for path, mtime, size in data["deps"]:
            st = os.stat(path)
            if st.st_mtime_ns != mtime or st.st_size != size:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    binary = data.get("binary")
    return binary if binary and os.access(binary, os.X_OK) else None


def remember_binary(memo: str, binary: str, deps: List[str]) -> None:
    entries = []
    try:
        for path in deps:
            st = os.stat(path)
            entries.append([os.path.abspath(path), st.st_mtime_ns, st.st_size])
    except OSError:
        return
    tmp = "%s.%d.tmp" % (memo, os.getpid())
    with open(tmp, "w") as f:
        json.dump({"binary": binary, "deps": entries}, f)
    os.replace(tmp, memo)


def compiler_identity(compiler: List[str]) -> bytes:
    """`cc --version` and the resolved path of the compiler: a different
    compiler (or an upgraded one) builds a new binary."""
    path = shutil.which(compiler[0]) or compiler[0]
    proc = subprocess.run(compiler + ["--version"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return os.path.realpath(path).encode() + b"\0" + proc.stdout


def compile_source(source: str, extra_flags: List[str]) -> str:
    is_c = source.endswith(".c")
    if is_c:
        compiler = shlex.split(os.environ.get("CC") or "cc")
        flags = ["-x", "c", "-std=gnu11"]
    else:
        compiler = shlex.split(os.environ.get("CXX") or "c++")
        flags = ["-x", "c++", "-std=c++17"]
    flags += ["-pthread", "-D_GNU_SOURCE", "-O0", "-w"] + extra_flags
    # Built earlier in this test run, from the same files: no preprocessing.
    memo = run_memo(compiler, flags, source)
    if memo:
        known = memo_binary(memo)
        if known:
            return known
    h = hashlib.sha256()
    # The key is what the compiler really reads and which compiler reads
    # it: the preprocessed source (so a changed header is a new binary) and
    # the compiler's version, as well as the command line.
    deps: List[str] = []
    h.update(preprocessed(compiler, flags, source, deps if memo else None))
    h.update(compiler_identity(compiler))
    h.update(b"\0".join(a.encode() for a in compiler + flags))
    digest = h.hexdigest()[:24]
    stem = os.path.splitext(os.path.basename(source))[0]
    binary = os.path.join(cache_dir(), "%s-%s" % (stem, digest))
    if os.access(binary, os.X_OK):
        if memo and deps:
            remember_binary(memo, binary, deps)
        return binary
    tmp = "%s.%d.tmp" % (binary, os.getpid())
    cmd = compiler + flags + [source, "-o", tmp]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        log("run_example: cannot compile %s:" % source)
        log("  " + " ".join(shlex.quote(c) for c in cmd))
        log(proc.stdout.decode("utf-8", errors="replace"))
        try:
            os.unlink(tmp)
        except OSError:
            pass
        sys.exit(2)
    os.replace(tmp, binary)  # atomic: parallel tests never see half a file
    if memo and deps:
        remember_binary(memo, binary, deps)
    return binary


def proof_record(binary: str, scenario: str, expect: str, timeout: float) -> Optional[str]:
    """Where a proof that held in this test run is recorded, or None when
    $PIPE_TIDY_PROOF_RESULTS is not set."""
    d = os.environ.get("PIPE_TIDY_PROOF_RESULTS")
    if not d or not os.path.isdir(d):
        return None
    key = hashlib.sha256(("%s\0%s\0%s\0%r" % (os.path.basename(binary), scenario,
                                               expect, timeout)).encode()).hexdigest()[:32]
    return os.path.join(d, key)


def become_subreaper() -> bool:
    """Orphans of the example are re-parented to us, so we can kill them."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def stat_fields(path: str) -> List[str]:
    """The fields of a /proc stat file after the command's name: state,
    ppid, ... (the name may contain spaces and parentheses)."""
    with open(path) as f:
        stat = f.read()
    return stat[stat.rfind(")") + 2:].split()


def parents() -> dict:
    """Every process's parent, by pid, from /proc."""
    parent = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = stat_fields("/proc/%s/stat" % entry)
        except OSError:
            continue
        if len(fields) > 1:
            parent[int(entry)] = int(fields[1])
    return parent


def our_children() -> List[int]:
    """The processes whose parent is this script (the example and the
    orphans re-parented to us)."""
    me = os.getpid()
    return [pid for pid, ppid in parents().items() if ppid == me]


def reap_everything(pgid: int) -> None:
    """SIGKILLs the example's process group and every orphan re-parented to
    us, then reaps them."""
    for _ in range(100):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        kids = our_children()
        for pid in kids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reaped = False
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            reaped = True
        if not kids and not reaped:
            # Nothing of ours is left, unless something in the group escaped
            # to another parent; one more killpg above covered that.
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                return
        time.sleep(0.02)


def describe(status: Optional[int]) -> str:
    if status is None:
        return "was still running when the timeout expired"
    if status < 0:
        sig = -status
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "signal %d" % sig
        return "was killed by %s" % name
    return "exited with status %d" % status


def wait_exit_without_reaping(pid: int, deadline: float,
                              numbers: Optional[dict] = None) -> tuple:
    """Waits for the leader to exit but leaves it a zombie, so its process
    group id cannot be reused before we kill the group. Returns the status
    in subprocess's convention (negative = signal), or None on timeout or
    deadlock, and when numbers (the machine's SYSCALLS) are given and the
    example deadlocked, what each thread was blocked in."""
    last: Optional[tuple] = None
    next_look = time.monotonic() + 0.1
    while True:
        try:
            info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return None
        if info is not None and info.si_pid == pid:
            if info.si_code == os.CLD_EXITED:
                return info.si_status, None
            return -info.si_status, None
        now = time.monotonic()
        remaining = deadline - now
        if remaining <= 0:
            return None, None
        if numbers is not None and now >= next_look:
            snapshot = deadlock_snapshot(numbers)
            if snapshot is not None and snapshot == last:
                return None, snapshot
            last = snapshot
            next_look = now + 0.1
        time.sleep(min(0.01, remaining))


# Per machine: syscall numbers of the calls a deadlock is made of.
SYSCALLS = {
    "x86_64": {"read": (0, 19), "write": (1, 20), "wait4": (61,), "waitid": (247,),
               "futex": (202,)},
    "aarch64": {"read": (63, 65), "write": (64, 66), "wait4": (260,), "waitid": (95,),
                "futex": (98,)},
}
TIMER_WORDS = ("alarm(", "setitimer", "timer_create", "timerfd")


def descendants() -> List[int]:
    """Every process below this script (the example, its children and
    threads' processes, and orphans re-parented to us)."""
    parent = parents()
    below = {os.getpid()}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if ppid in below and pid not in below:
                below.add(pid)
                grew = True
    below.discard(os.getpid())
    return sorted(below)


def blocked_for_good(pid: int, tid: int, state: str,
                     numbers: dict) -> Optional[str]:
    """What task tid of pid, in \p state, is asleep in, when only another
    thread of the example could end it; None when it could wake by itself
    (or is not asleep in a system call at all)."""
    base = "/proc/%d/task/%d" % (pid, tid)
    if state == "Z":
        return "exited"
    if state != "S":
        return None
    with open(base + "/syscall") as f:
        fields = f.read().split()
    if len(fields) < 7 or not fields[0].isdigit():
        return None
    nr = int(fields[0])
    args = [int(x, 16) for x in fields[1:7]]
    if nr in numbers["read"] + numbers["write"]:
        fd = args[0]
        try:
            target = os.readlink("%s/fd/%d" % (base, fd))
            with open("%s/fdinfo/%d" % (base, fd)) as f:
                flags = next(int(l.split()[1], 8) for l in f if l.startswith("flags:"))
        except (OSError, StopIteration, ValueError):
            return None
        if not target.startswith("pipe:") or flags & os.O_NONBLOCK:
            return None
        return "%s of %s" % ("read" if nr in numbers["read"] else "write", target)
    if nr in numbers["wait4"] and not args[2] & os.WNOHANG:
        return "wait for a child"
    if nr in numbers["waitid"] and not args[3] & os.WNOHANG:
        return "wait for a child"
    if nr in numbers["futex"] and args[1] & 0x7f in (0, 9) and args[3] == 0:
        return "futex wait with no timeout"
    return None


def deadlock_snapshot(numbers: dict) -> Optional[tuple]:
    """What every thread below us is blocked in, with its CPU time; None
    when some thread could still make progress by itself."""
    seen = []
    for pid in descendants():
        try:
            tids = sorted(int(t) for t in os.listdir("/proc/%d/task" % pid))
            for tid in tids:
                fields = stat_fields("/proc/%d/task/%d/stat" % (pid, tid))
                what = blocked_for_good(pid, tid, fields[0], numbers)
                if what is None:
                    return None
                seen.append((pid, tid, what, tuple(fields[11:13])))
        except (OSError, ValueError):
            return None
    if not any(what != "exited" for _, _, what, _ in seen):
        return None
    return tuple(seen)


def describe_deadlock(snapshot: tuple) -> str:
    parts = ["pid %d%s: %s" % (pid, "" if pid == tid else " thread %d" % tid, what)
             for pid, tid, what, _ in snapshot if what != "exited"]
    return "; ".join(parts)


def main(argv: List[str]) -> int:
    extra_flags: List[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra_flags = argv[:i], argv[i + 1:]
    parser = argparse.ArgumentParser(
        prog="run_example.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("scenario")
    parser.add_argument("expect", choices=sorted(DEFAULT_TIMEOUT))
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds (default: 2 for hang, 20 otherwise)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT[args.expect]

    binary = compile_source(os.path.abspath(args.source), extra_flags)
    record = proof_record(binary, args.scenario, args.expect, timeout)
    if record and os.path.exists(record):
        with open(record) as f:
            log("run_example: OK (proved earlier in this test run): %s" % f.read().strip())
        return 0
    become_subreaper()

    out = tempfile.TemporaryFile()
    cmd = [binary, args.scenario]
    log("run_example: %s (expect %s, timeout %g s)"
        % (" ".join(shlex.quote(c) for c in cmd), args.expect, timeout))

    def no_core_dumps() -> None:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        except (ImportError, ValueError, OSError):
            pass

    numbers = None
    if args.expect == "hang" and sys.platform.startswith("linux"):
        with open(args.source, errors="replace") as f:
            text = f.read()
        if not any(word in text for word in TIMER_WORDS):
            numbers = SYSCALLS.get(os.uname().machine)

    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                            start_new_session=True, preexec_fn=no_core_dumps)
    try:
        status, deadlock = wait_exit_without_reaping(proc.pid, start + timeout, numbers)
        elapsed = time.monotonic() - start
    finally:
        reap_everything(proc.pid)
        proc.returncode = None
        try:
            proc.wait(timeout=5)
        except (subprocess.TimeoutExpired, ChildProcessError):
            pass
    out.seek(0)
    output = out.read().decode("utf-8", errors="replace")

    what = describe(status)
    if status is not None:
        what += " after %.2f s" % elapsed
    elif deadlock is not None:
        what = "was deadlocked after %.2f s (%s)" % (elapsed, describe_deadlock(deadlock))
    if args.expect == "hang":
        ok = status is None
    elif args.expect == "abort":
        ok = status == -signal.SIGABRT
    else:
        ok = status == 0
    if ok:
        line = "scenario '%s' of %s %s" % (args.scenario, os.path.basename(binary), what)
        log("run_example: OK: " + line)
        if record:
            tmp = "%s.%d.tmp" % (record, os.getpid())
            with open(tmp, "w") as f:
                f.write(line + "\n")
            os.replace(tmp, record)
        return 0
    log("run_example: FAIL: scenario '%s' was expected to %s, but it %s"
        % (args.scenario,
           {"hang": "hang (still be running after %g s)" % timeout,
            "abort": "abort (SIGABRT) within %g s" % timeout,
            "exit": "exit with status 0 within %g s" % timeout}[args.expect],
           what))
    if output:
        log("----- output of the scenario -----")
        log(output.rstrip("\n"))
        log("----------------------------------")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
