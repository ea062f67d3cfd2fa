#!/usr/bin/env python3
"""The reach suite: realistic pipe bugs whose trigger crosses a function
boundary, each proven by running it, and the recall of the pipe checks on
them.

  bench/reach/run.py --clang-tidy clang-tidy-22 \\
      --plugin build/llvm-22/PipeTidy-llvm22.so [--report FILE.md] [PROGRAM...]

Every program in bench/reach/programs/ states what it holds in its header:

  // EXPECT: <check> <function|line>[|<function|line>...] <scenario> <hang|abort|exit|leak>
  // EXPECT-NONE: <check>
  // PROOF: <scenario> <hang|abort|exit|leak>
  // CROSSES: <the reason a one-function analysis cannot see it>[; <more>]
  // STD: <language standard>   (optional: c++20 for std::jthread; default
  //                             gnu11 for C, c++17 for C++)

For each program the runner

1. proves it: runs each EXPECT and PROOF scenario through
   test/tools/run_example.py (hang: still running after the timeout; abort:
   SIGABRT; exit and leak: the scenario itself checks the symptom, or its
   absence for a near-miss, and exits 0 only when it saw it);
2. runs clang-tidy with -checks=-*,pipe-* and the plugin on it;
3. gives each expectation a verdict: `found` (a warning of that check in one
   of the named functions or at the named line), `missed`, `correct silence`
   (EXPECT-NONE and no warning of that check) or `false positive` (EXPECT-NONE
   and a warning of that check). Every warning that no EXPECT accounts for is
   counted as a false positive too.

It prints a table, the recall (found / EXPECT lines) and the false-positive
count. Exit status: 0 whatever the recall; 1 when a proof fails (a positive
that does not hang, abort or show its symptom, a near-miss that does not
finish cleanly); 2 when the arguments are wrong or clang-tidy cannot analyse
a program (a compile error, a crash, a plugin that does not load).
"""

import argparse
import datetime
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(HERE, "programs")
RUN_EXAMPLE = os.path.join(REPO, "test", "tools", "run_example.py")

CHECKS = ("pipe-self-deadlock", "pipe-unclosed-write-end", "pipe-leaked-writer",
          "pipe-wait-before-drain", "pipe-self-copy", "pipe-writer-error-ignored")
KINDS = {"hang": "hang", "abort": "abort", "exit": "exit", "leak": "exit"}

WARNING_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
                        r"warning: (?P<msg>.*) \[(?P<check>[\w.,-]+)\]$")
ERROR_RE = re.compile(r"^[^\s:][^:]*:\d+:\d+: (error|fatal error): ")


class HeaderError(Exception):
    pass


class Expect:
    def __init__(self, check: str, where: List[str], scenario: str, kind: str, line: int):
        self.check, self.where, self.scenario, self.kind = check, where, scenario, kind
        self.decl_line = line
        self.verdict = ""
        self.matched: List[int] = []


class Program:
    def __init__(self, path: str):
        self.path = path
        self.name = os.path.basename(path)
        self.expects: List[Expect] = []
        self.nones: List[str] = []
        self.proofs: List[Tuple[str, str]] = []
        self.crosses: List[str] = []
        self.warnings: List[Tuple[int, str, str]] = []  # line, check, message
        self.proof_results: List[Tuple[str, str, bool, str]] = []
        self.none_verdicts: Dict[str, str] = {}
        self.unexpected: List[Tuple[int, str, str]] = []
        self.tool_error = ""
        self.std = ""  # STD: the language standard, when not the default
        self._parse()

    def _parse(self) -> None:
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for no, text in enumerate(lines, 1):
            m = re.match(r"^//\s*(EXPECT|EXPECT-NONE|PROOF|CROSSES|STD):\s*(.*?)\s*$", text)
            if not m:
                continue
            tag, rest = m.group(1), m.group(2)
            fields = rest.split()
            if tag == "EXPECT":
                if len(fields) != 4:
                    raise HeaderError("%s:%d: EXPECT needs <check> <function|line> <scenario> "
                                      "<hang|abort|exit|leak>, got %r" % (self.path, no, rest))
                check, where, scenario, kind = fields
                self._known(check, no)
                if kind not in KINDS:
                    raise HeaderError("%s:%d: unknown kind %r (hang, abort, exit or leak)"
                                      % (self.path, no, kind))
                self.expects.append(Expect(check, where.split("|"), scenario, kind, no))
                if (scenario, kind) not in self.proofs:
                    self.proofs.append((scenario, kind))
            elif tag == "EXPECT-NONE":
                if len(fields) != 1:
                    raise HeaderError("%s:%d: EXPECT-NONE takes one check, got %r"
                                      % (self.path, no, rest))
                self._known(fields[0], no)
                self.nones.append(fields[0])
            elif tag == "PROOF":
                if len(fields) != 2 or fields[1] not in KINDS:
                    raise HeaderError("%s:%d: PROOF needs <scenario> <hang|abort|exit|leak>, got %r"
                                      % (self.path, no, rest))
                if (fields[0], fields[1]) not in self.proofs:
                    self.proofs.append((fields[0], fields[1]))
            elif tag == "STD":
                if len(fields) != 1 or not re.match(r"^(gnu|c)(\+\+)?\d\d$", fields[0]):
                    raise HeaderError("%s:%d: STD takes one standard (c++20, gnu11), got %r"
                                      % (self.path, no, rest))
                self.std = fields[0]
            else:
                self.crosses = [c.strip() for c in rest.split(";") if c.strip()]
        if not self.expects and not self.nones:
            raise HeaderError("%s: no EXPECT or EXPECT-NONE line" % self.path)
        if self.expects and self.nones:
            raise HeaderError("%s: a program is a positive (EXPECT) or a near-miss "
                              "(EXPECT-NONE), not both" % self.path)
        if not self.proofs:
            raise HeaderError("%s: a near-miss needs a PROOF line naming the scenario "
                              "that must finish" % self.path)
        if self.expects and not self.crosses:
            raise HeaderError("%s: a positive needs a CROSSES line" % self.path)
        self.source_lines = lines

    def _known(self, check: str, no: int) -> None:
        if check not in CHECKS:
            raise HeaderError("%s:%d: unknown check %r (one of %s)"
                              % (self.path, no, check, ", ".join(CHECKS)))

    @property
    def positive(self) -> bool:
        return bool(self.expects)


def strip_code(lines: List[str]) -> List[str]:
    """The source with comments, string and character literals blanked, so
    that braces and names in them do not count. Keeps line lengths."""
    out = []
    in_block = False
    for text in lines:
        res = []
        i = 0
        while i < len(text):
            if in_block:
                end = text.find("*/", i)
                if end < 0:
                    res.append(" " * (len(text) - i))
                    i = len(text)
                else:
                    res.append(" " * (end + 2 - i))
                    i = end + 2
                    in_block = False
                continue
            c = text[i]
            if text.startswith("//", i):
                res.append(" " * (len(text) - i))
                break
            if text.startswith("/*", i):
                in_block = True
                continue
            if c in "\"'":
                j = i + 1
                while j < len(text) and text[j] != c:
                    j += 2 if text[j] == "\\" else 1
                res.append(c + " " * (min(j, len(text)) - i - 1) + (c if j < len(text) else ""))
                i = j + 1
                continue
            res.append(c)
            i += 1
        out.append("".join(res))
    return out


def function_ranges(lines: List[str], name: str) -> List[Tuple[int, int]]:
    """The (first, last) lines of each definition of `name` (a function, a
    method, a constructor, `~Class` for a destructor): the name, then a
    parenthesised list, then a body in braces before any `;`."""
    code = strip_code(lines)
    text = "\n".join(code)
    starts = [0]
    for ln in code:
        starts.append(starts[-1] + len(ln) + 1)

    def line_of(pos: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    ranges = []
    pat = re.compile(r"(?<![\w~.>])" + re.escape(name) + r"\s*\(")
    for m in pat.finditer(text):
        i = m.end() - 1
        depth = 0
        while i < len(text):  # the parameter list
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        j = i + 1
        while j < len(text) and text[j] not in "{;":
            j += 1
        if j >= len(text) or text[j] != "{":
            continue
        # A call followed by a block (`if (f(a)) {`, `x = f(a) {...`) is
        # not a definition: a definition's name starts a declaration.
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()].rstrip()
        if re.match(r"^\s*(if|while|for|switch|return|else|case)\b", before):
            continue
        if re.search(r"([=(,!|?+\-/<]|[^:]:)$", before):
            continue
        depth = 0
        k = j
        while k < len(text):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        ranges.append((line_of(m.start()), line_of(k)))
    return ranges


def run_proofs(prog: Program, timeout: Optional[float]) -> None:
    for scenario, kind in prog.proofs:
        cmd = [sys.executable, RUN_EXAMPLE, prog.path, scenario, KINDS[kind]]
        if timeout is not None and KINDS[kind] == "hang":
            cmd += ["--timeout", str(timeout)]
        if prog.std:
            cmd += ["--", "-std=" + prog.std]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        out = proc.stdout.decode("utf-8", errors="replace")
        ok = proc.returncode == 0
        if proc.returncode == 2:
            out = "cannot compile or run:\n" + out
        prog.proof_results.append((scenario, kind, ok, out))


def run_clang_tidy(prog: Program, clang_tidy: List[str], plugin: str) -> None:
    if prog.name.endswith(".c"):
        flags = ["-x", "c", "-std=gnu11"]
    else:
        flags = ["-x", "c++", "-std=c++17"]
    if prog.std:
        flags[2] = "-std=" + prog.std
    flags += ["-pthread", "-D_GNU_SOURCE"]
    cmd = clang_tidy + ["-load=" + plugin, "-checks=-*,pipe-*", "--quiet", prog.path, "--"] + flags
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    out = proc.stdout.decode("utf-8", errors="replace")
    err = proc.stderr.decode("utf-8", errors="replace")
    errors = [l for l in (out + "\n" + err).split("\n") if ERROR_RE.match(l)]
    if proc.returncode < 0:
        prog.tool_error = "clang-tidy was killed by signal %d" % -proc.returncode
    elif errors:
        prog.tool_error = "clang-tidy reported errors: " + errors[0]
    elif proc.returncode != 0:
        prog.tool_error = "clang-tidy exited with status %d: %s" % (
            proc.returncode, (err.strip() or out.strip())[:400])
    me = os.path.realpath(prog.path)
    for line in out.split("\n"):
        m = WARNING_RE.match(line)
        if not m:
            continue
        if os.path.realpath(m.group("file")) != me:
            continue
        for check in m.group("check").split(","):
            if check.startswith("pipe-"):
                prog.warnings.append((int(m.group("line")), check, m.group("msg")))


def judge(prog: Program) -> None:
    used = set()
    for e in prog.expects:
        lines = set()
        for w in e.where:
            if w.isdigit():
                lines.add(int(w))
            else:
                rs = function_ranges(prog.source_lines, w)
                if not rs:
                    raise HeaderError("%s:%d: no definition of %r found"
                                      % (prog.path, e.decl_line, w))
                for a, b in rs:
                    lines.update(range(a, b + 1))
        for idx, (line, check, _) in enumerate(prog.warnings):
            if check == e.check and line in lines:
                e.matched.append(line)
                used.add(idx)
        e.verdict = "found" if e.matched else "missed"
    for check in prog.nones:
        hit = [w for w in prog.warnings if w[1] == check]
        prog.none_verdicts[check] = "false positive" if hit else "correct silence"
    prog.unexpected = [w for idx, w in enumerate(prog.warnings) if idx not in used]


def git_state(repo: str) -> List[str]:
    """The checkout's HEAD, whether its tracked files are clean, and the last
    commit that changed checker/ (to compare with the plugin's time)."""
    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", repo] + list(a), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=True).stdout.decode().strip()
    try:
        rev = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
        last = git("log", "-1", "--format=%h %ci", "--", "checker")
    except (OSError, subprocess.CalledProcessError):
        return ["checker: unknown (%s is not a git checkout)" % repo]
    return ["checker: %s (%s)" % (rev, "tree clean" if not dirty else
                                 "tree has uncommitted changes to tracked files"),
            "last commit changing checker/: %s" % (last or "none")]


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def render(progs: List[Program], args, tool_version: str) -> Tuple[str, int, int, int, int]:
    rows = []
    found = total = fp = silent = 0
    for p in progs:
        def got(check: str) -> str:
            return ", ".join("%s:%d" % (c, l) for l, c, _ in p.warnings if c == check) or "-"
        for e in p.expects:
            total += 1
            found += e.verdict == "found"
            rows.append((p.name, "%s in %s (%s)" % (e.check, "|".join(e.where), e.kind),
                         got(e.check), e.verdict, p.crosses[0] if e.verdict == "missed" else ""))
        for check in p.nones:
            v = p.none_verdicts[check]
            fp += v == "false positive"
            silent += v == "correct silence"
            rows.append((p.name, "none of %s" % check, got(check), v, ""))
        extra = [w for w in p.unexpected if w[1] not in p.nones]
        for line, check, msg in extra:
            fp += 1
            rows.append((p.name, "(no expectation)", "%s:%d" % (check, line),
                         "false positive", msg[:80]))
    head = ("program", "expected", "reported (check:line)", "verdict", "missed because")
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        out.append("| " + " | ".join(x.replace("|", "\\|") for x in r) + " |")
    return "\n".join(out), found, total, fp, silent


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(prog="run.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clang-tidy", default="clang-tidy",
                    help="the clang-tidy to run (a command, split like a shell would)")
    ap.add_argument("--plugin", required=True, help="PipeTidy-llvmNN.so built for that clang-tidy")
    ap.add_argument("--checker-repo", default=None,
                    help="git checkout the plugin was built from, for the report "
                         "(default: the plugin's ../..)")
    ap.add_argument("--report", default=None, help="also write the results as Markdown here")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds a 'hang' scenario must stay blocked (run_example's default: 2)")
    ap.add_argument("--no-proof", action="store_true",
                    help="skip running the programs (the recall only; the exit status "
                         "then says nothing about the proofs)")
    ap.add_argument("programs", nargs="*", help="programs to run (default: all in programs/)")
    args = ap.parse_args(argv)

    plugin = os.path.abspath(args.plugin)
    if not os.path.isfile(plugin):
        sys.stderr.write("run.py: --plugin %s: no such file\n" % args.plugin)
        return 2
    checker_repo = args.checker_repo or os.path.dirname(os.path.dirname(os.path.dirname(plugin)))
    checker = git_state(checker_repo)
    # Run a copy: a rebuild of the plugin during the run (another checkout's
    # build) must not mix two checkers in one report.
    plugin_mtime = datetime.datetime.fromtimestamp(
        os.stat(plugin).st_mtime, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    snapshot_dir = tempfile.mkdtemp(prefix="reach-plugin-")
    snapshot = os.path.join(snapshot_dir, os.path.basename(plugin))
    shutil.copy2(plugin, snapshot)
    plugin_sha = sha256(snapshot)
    try:
        return run_all(args, argv, plugin, snapshot, plugin_sha, plugin_mtime, checker)
    finally:
        shutil.rmtree(snapshot_dir, ignore_errors=True)


def run_all(args, argv: List[str], plugin: str, snapshot: str, plugin_sha: str,
            plugin_mtime: str, checker: List[str]) -> int:
    clang_tidy = shlex.split(args.clang_tidy)
    try:
        ver = subprocess.run(clang_tidy + ["--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write("run.py: --clang-tidy %s does not run: %s\n" % (args.clang_tidy, e))
        return 2
    m = re.search(r"version (\S+)", ver)
    tool_version = m.group(1) if m else ver.strip().split("\n")[0]

    paths = args.programs or sorted(os.path.join(PROGRAMS, f) for f in os.listdir(PROGRAMS)
                                    if f.endswith((".c", ".cpp")))
    try:
        progs = [Program(os.path.abspath(p)) for p in paths]
    except (HeaderError, OSError) as e:
        sys.stderr.write("run.py: %s\n" % e)
        return 2

    for p in progs:
        sys.stderr.write("run.py: %s\n" % p.name)
        if not args.no_proof:
            run_proofs(p, args.timeout)
        run_clang_tidy(p, clang_tidy, snapshot)
        try:
            judge(p)
        except HeaderError as e:
            sys.stderr.write("run.py: %s\n" % e)
            return 2

    table, found, total, fp, silent = render(progs, args, tool_version)
    failed_proofs = [(p, s, k, out) for p in progs for s, k, ok, out in p.proof_results if not ok]
    tool_errors = [p for p in progs if p.tool_error]
    npos = sum(p.positive for p in progs)
    nneg = len(progs) - npos
    recall = found / total if total else 0.0
    summary = [
        "programs: %d (%d with a bug, %d near-misses)" % (len(progs), npos, nneg),
        "proofs: %s" % ("skipped (--no-proof)" if args.no_proof else
                        "%d run, %d failed" % (sum(len(p.proof_results) for p in progs),
                                               len(failed_proofs))),
        "recall: %d of %d expected reports found (%.0f%%)" % (found, total, 100 * recall),
        "false positives: %d (near-miss expectations silent: %d)" % (fp, silent),
    ]
    print(table)
    print()
    for s in summary:
        print(s)
    for p, s, k, out in failed_proofs:
        print("\nPROOF FAILED: %s scenario '%s' (expected %s):\n%s" % (p.name, s, k, out.rstrip()))
    for p in tool_errors:
        print("\nCLANG-TIDY FAILED on %s: %s" % (p.name, p.tool_error))

    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write("# Reach suite, %s\n\n" % datetime.date.today().isoformat())
            for line in checker:
                f.write("- %s\n" % line)
            f.write("- plugin: `%s`, modified %s, sha256 %s (the run used a copy taken "
                    "at its start)\n" % (plugin, plugin_mtime, plugin_sha))
            f.write("- clang-tidy: `%s` (LLVM %s)\n" % (args.clang_tidy, tool_version))
            f.write("- command: `bench/reach/run.py %s`\n\n"
                    % " ".join(shlex.quote(a) for a in argv))
            for s in summary:
                f.write("- %s\n" % s)
            reasons: Dict[str, List[str]] = {}
            for p in progs:
                for e in p.expects:
                    if e.verdict == "missed":
                        key = p.crosses[0].split(" (")[0]
                        reasons.setdefault(key, []).append("%s (%s)" % (p.name, e.check))
            if reasons:
                f.write("\n## Misses by reason\n\nThe first item of each program's "
                        "`CROSSES` line: what takes the bug out of one function.\n\n")
                f.write("| reason | misses | programs |\n|---|---:|---|\n")
                for key, items in sorted(reasons.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                    f.write("| %s | %d | %s |\n" % (key, len(items), ", ".join(items)))
            f.write("\n## Every expectation\n\n" + table + "\n")

    if tool_errors:
        return 2
    return 1 if failed_proofs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
