#!/usr/bin/env python3
"""Runs clang-tidy with the pipe-tidy plugin on a test file and checks its
diagnostics and fixes with FileCheck, in the manner of LLVM's
clang-tools-extra/test/clang-tidy/check_clang_tidy.py.

In a lit test (lit.cfg.py supplies --clang-tidy, --plugin and --filecheck):

  // RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
  // RUN: %check_pipe_tidy -check-suffix=OPT %s pipe-unclosed-write-end %t \\
  // RUN:   -- -config="{CheckOptions: {...}}" -- -DWITH_OPT

  usage: check_pipe_tidy.py [options] INPUT CHECKS TEMP
                            [-- CLANG_TIDY_ARGS... [-- COMPILER_ARGS...]]

The input is copied unchanged to TEMP.<ext> (.c stays .c, anything else
becomes .cpp), and clang-tidy runs on the copy with --load=PLUGIN and
-checks=-*,CHECKS and --header-filter=.* (unless the test gives its own; the
default differs between majors), plus -fix when the file has CHECK-FIXES
lines. Then, for
each suffix S given with -check-suffix(es) (none by default):

  // CHECK-MESSAGES[-S]: ...  are matched against clang-tidy's output; every
                              warning, error or note that no CHECK line
                              matches fails the test (stricter than
                              upstream, where notes need not be matched).
  // CHECK-NOTES[-S]: ...     are matched against warnings, errors and notes;
                              every unmatched one fails the test.
  // CHECK-FIXES[-S]: ...     are matched (whole lines) against the fixed file.

FileCheck reads the CHECK lines from the original file, so [[@LINE-1]] is a
line of the test file. A file with none of these lines must produce no
diagnostic at all. The test also fails when clang-tidy crashes, exits with a
non-zero status, or reports a compiler error (clang-diagnostic-error), unless
-expect-clang-tidy-error is given.

--run-fixed SCENARIO:EXPECT (repeatable; needs CHECK-FIXES lines) proves a
fix-it by running it: after the CHECK-FIXES lines matched, the file that
clang-tidy -fix wrote (TEMP.<ext>) is compiled and SCENARIO is run with
run_example.py, which must see EXPECT (exit, hang or abort). A scenario that
hung before the fix must now exit; one without a fix-it may be required to
still hang. The test file's directory and the -I/-D/-U/-include compiler
arguments are given to the compiler, so its includes resolve as before.

--require-analysed proves that the checks looked at every function: it runs
clang-tidy with PIPE_TIDY_STATS=1 and fails when a function of the test file
that calls pipe(), pipe2(), socketpair(), close() or close_range() or makes
a Boost pipe (what the checks analyse) has no statistics line in any of the
runs (it was not analysed), or when a function of the test file went
over-budget (its analysis was abandoned, so silence proves nothing). A
lambda counts on its own (the checks analyse it apart from the function
around it). The functions are found by a light scan of the text, so one
under #if need only be analysed for one of the -std= standards. The
statistics lines are removed from the output before the CHECK lines are
matched.

Compiler arguments default to -std=gnu11 (C) or -std=c++17 (C++) plus
-D_GNU_SOURCE; -std=STD (or a -std= among the compiler arguments) replaces
the standard. -std=a,b runs the test once per standard, and
-std=c++17-or-later / -std=c11-or-later expand to that standard and every
later one that the clang-tidy under test accepts (c++23 from LLVM 17 on,
c23 from 18, c++26 from 19).
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
from typing import List, Optional, Tuple

CPP_STANDARDS = ["c++98", "c++11", "c++14", "c++17", "c++20", "c++23", "c++26"]
C_STANDARDS = ["c99", "c11", "c17", "c23"]
GNU_C_STANDARDS = ["gnu99", "gnu11", "gnu17", "gnu23"]
GNU_CPP_STANDARDS = ["gnu++98", "gnu++11", "gnu++14", "gnu++17", "gnu++20", "gnu++23"]

# A diagnostic line as clang and clang-tidy print it.
DIAG_RE = re.compile(
    r"^(?:(?P<loc>.*?):(?P<line>\d+):(?P<col>\d+): )?"
    r"(?P<sev>warning|error|fatal error|note|remark): (?P<msg>.*)$"
)
# The text of a CHECK line, wherever it appears in the fixed file or in a
# source snippet of clang-tidy's output; blanked so that a CHECK line can never
# match itself (the file clang-tidy analyses keeps it unchanged).
CHECK_COMMENT_RE = re.compile(r"//\s*CHECK-[A-Z0-9\-]*:[^\r\n]*")
# A source line or a caret / fix-it line of a snippet: "  12 | code", "     | ^".
SNIPPET_RE = re.compile(r"^\s*\d*\s\|")
CRASH_MARKERS = (
    "Stack dump:",
    "PLEASE submit a bug report",
    "LLVM ERROR:",
    "Assertion `",
    "UNREACHABLE executed",
)
RUN_EXPECTATIONS = ("exit", "hang", "abort")
RUN_EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_example.py")
# PIPE_TIDY_STATS=1: one line per analysed function (checker/engine/FunctionAnalysis.cpp).
STATS_RE = re.compile(r"^pipe-tidy-stats: (?P<file>.*?):(?P<line>\d+):(?P<col>\d+) (?P<rest>.*)$")
# What makes the checks analyse a function (mentionsPipeApi in
# checker/checks/PipeCheckBase.cpp): a call that makes a pipe or closes a
# descriptor, or a Boost pipe object.
PIPE_API_RE = re.compile(
    r"(?<![\w.>:])(?:::)?(?:pipe|pipe2|socketpair|close|close_range)\s*\("
    r"|\b(?:connect_pipe|async_pipe|ipstream|opstream|pstream)\b"
    r"|\b(?:bp|process)::pipe\b"
)
# The start of a lambda's body: "] {", "](int x) mutable -> int {".
LAMBDA_RE = re.compile(
    r"\]\s*(?:\((?:[^()]|\([^()]*\))*\)\s*)?"
    r"(?:(?:mutable|constexpr|noexcept|static)\s*)*(?:->\s*[\w:<>,\s\*&]+?\s*)?\{"
)
DIRECTIVES = r"(?:-NEXT|-SAME|-NOT|-DAG|-LABEL|-EMPTY|-COUNT-\d+)?"


class Failure(Exception):
    pass


def log(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def write_file(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def csv(value: str) -> List[str]:
    return [v for v in value.split(",")]


# The first LLVM major that takes each standard's final name (older ones
# know it by a draft name, or not at all): an -or-later expansion stops at
# the standards the clang-tidy under test accepts.
STANDARD_SINCE = {"c++23": 17, "c++26": 19, "gnu++23": 17, "c23": 18, "gnu23": 18}


def clang_tidy_major(clang_tidy: str) -> int:
    try:
        out = subprocess.run([clang_tidy, "--version"], capture_output=True,
                             text=True, check=False).stdout
    except OSError:
        return 0
    m = re.search(r"LLVM version (\d+)", out)
    return int(m.group(1)) if m else 0


def expand_std(std: str, major: int = 0) -> List[str]:
    base, or_later, _ = std.partition("-or-later")
    if not or_later:
        return [std]
    for family in (CPP_STANDARDS, C_STANDARDS, GNU_C_STANDARDS, GNU_CPP_STANDARDS):
        if base in family:
            return [s for s in family[family.index(base):]
                    if not major or STANDARD_SINCE.get(s, 0) <= major]
    raise Failure("unknown standard in -std=%s" % std)


def has_directive(prefix: str, text: str) -> bool:
    return (
        re.search(
            r"(?<![A-Za-z0-9_\-])" + re.escape(prefix) + DIRECTIVES + ":", text
        )
        is not None
    )


def split_extra_args(argv: List[str]) -> Tuple[List[str], List[str], List[str]]:
    """Splits [own args] -- [clang-tidy args] -- [compiler args]."""
    if "--" not in argv:
        return argv, [], []
    i = argv.index("--")
    own, rest = argv[:i], argv[i + 1:]
    if "--" not in rest:
        return own, rest, []
    j = rest.index("--")
    return own, rest[:j], rest[j + 1:]


def parse_arguments(argv: List[str]):
    own, tidy_args, compiler_args = split_extra_args(argv)
    parser = argparse.ArgumentParser(
        prog="check_pipe_tidy.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--clang-tidy", required=True, help="clang-tidy to run")
    parser.add_argument(
        "--plugin", default="", help="plugin for --load= (empty: load none)"
    )
    parser.add_argument("--filecheck", default="FileCheck", help="FileCheck to run")
    parser.add_argument(
        "-check-suffix",
        "-check-suffixes",
        "--check-suffix",
        "--check-suffixes",
        dest="check_suffixes",
        type=csv,
        default=[""],
        help="comma-separated FileCheck prefix suffixes",
    )
    parser.add_argument(
        "-std", "--std", dest="std", type=csv, default=None,
        help="language standard(s); -or-later expands",
    )
    parser.add_argument(
        "-expect-clang-tidy-error",
        "--expect-clang-tidy-error",
        dest="expect_error",
        action="store_true",
        help="clang-tidy is expected to fail (compiler errors are allowed)",
    )
    parser.add_argument(
        "-match-partial-fixes",
        "--match-partial-fixes",
        dest="match_partial_fixes",
        action="store_true",
        help="CHECK-FIXES may match part of a line",
    )
    parser.add_argument(
        "--run-fixed",
        dest="run_fixed",
        action="append",
        default=[],
        metavar="SCENARIO:EXPECT",
        help="compile the fixed file and run SCENARIO, which must EXPECT "
        "(exit, hang or abort); repeatable",
    )
    parser.add_argument(
        "--require-analysed",
        dest="require_analysed",
        action="store_true",
        help="fail when a pipe function of the test file was not analysed "
        "or went over budget (runs with PIPE_TIDY_STATS=1)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=float(os.environ.get("PIPE_TIDY_TEST_TIMEOUT", "300")),
        help="seconds clang-tidy may run (default 300)",
    )
    parser.add_argument("input_file")
    parser.add_argument("check_names")
    parser.add_argument("temp_file")
    args, unknown = parser.parse_known_args(own)
    # Unknown options before the first -- go to clang-tidy, like upstream.
    for u in unknown:
        if not u.startswith("-"):
            parser.error("unexpected argument %r" % u)
    tidy_args = unknown + tidy_args
    runs = []
    for spec in args.run_fixed:
        scenario, sep, expect = spec.rpartition(":")
        if not sep or not scenario or expect not in RUN_EXPECTATIONS:
            parser.error(
                "--run-fixed %r: give SCENARIO:EXPECT, where EXPECT is one of %s"
                % (spec, ", ".join(RUN_EXPECTATIONS)))
        runs.append((scenario, expect))
    args.run_fixed = runs
    return args, tidy_args, compiler_args


_wrapper = None


def load_wrapper():
    """tools/pipe-tidy as a module: its lexical function finder is the one
    that names a finding's function (--baseline, --suppressions, --diff),
    and the one that finds this test file's functions."""
    global _wrapper
    if _wrapper is not None:
        return _wrapper
    import importlib.machinery
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "pipe-tidy")
    loader = importlib.machinery.SourceFileLoader("pipe_tidy_wrapper", path)
    spec = importlib.util.spec_from_loader("pipe_tidy_wrapper", loader)
    module = importlib.util.module_from_spec(spec)
    dont_write, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = dont_write
    _wrapper = module
    return module


def split_lambdas(body: str, first_line: int) -> Tuple[str, List[Tuple[int, int, str]]]:
    """The body without its lambdas' bodies (the checks analyse a lambda on
    its own), and (first line, last line, body) of each lambda."""
    lambdas = []
    out = []
    i = 0
    while True:
        m = LAMBDA_RE.search(body, i)
        if not m:
            out.append(body[i:])
            break
        open_at = m.end() - 1
        depth, j = 0, open_at
        while j < len(body):
            if body[j] == "{":
                depth += 1
            elif body[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        out.append(body[i:open_at])
        out.append(re.sub(r"[^\n]", " ", body[open_at:j + 1]))
        start = first_line + body.count("\n", 0, m.start())
        lambdas.append((start, first_line + body.count("\n", 0, j), body[open_at:j + 1]))
        i = j + 1
    return "".join(out), lambdas


def function_definitions(text: str) -> List[Tuple[str, int, str, int]]:
    """(name, line of the name, body, line of the body's brace) of each function defined at file,
    namespace or class scope of a C or C++ source (tools/pipe-tidy's
    scan_functions(); the body with comments and literals blanked)."""
    code, functions = load_wrapper().scan_functions(text)
    return [(f.short, f.name_line, code[f.open:f.close + 1], f.first)
            for f in sorted(functions, key=lambda f: f.open)]


class Prefixes:
    def __init__(self, label: str):
        self.label = label
        self.prefixes: List[str] = []

    def present(self) -> bool:
        return bool(self.prefixes)


class CheckRunner:
    def __init__(self, args, tidy_args: List[str], compiler_args: List[str],
                 std: Optional[str]):
        self.args = args
        self.input_file = os.path.abspath(args.input_file)
        ext = os.path.splitext(self.input_file)[1]
        if ext not in (".c", ".cpp"):
            ext = ".cpp"
        self.is_c = ext == ".c"
        self.temp_file = args.temp_file + ext
        self.tidy_args = list(tidy_args)
        if not any(re.match(r"^--?config(-file)?=", a) for a in self.tidy_args) and \
                "--config" not in self.tidy_args and "-config" not in self.tidy_args:
            # An empty configuration, so that no .clang-tidy above the test
            # (such as the repository's own) changes the result.
            self.tidy_args.append("--config={}")
        self.compiler_args = list(compiler_args)
        if std is None and not any(a.startswith("-std=") for a in compiler_args):
            std = "gnu11" if self.is_c else "c++17"
        self.std = std
        defaults = ["-D_GNU_SOURCE"]
        if std is not None:
            defaults.insert(0, "-std=" + std)
        self.compiler_args = defaults + self.compiler_args
        self.messages = Prefixes("CHECK-MESSAGES")
        self.notes = Prefixes("CHECK-NOTES")
        self.fixes = Prefixes("CHECK-FIXES")
        self.expect_no_diagnosis = False
        self.command: List[str] = []
        self.stats: List[re.Match] = []
        self.output = ""
        self.returncode = 0

    # -- setup ---------------------------------------------------------------
    def read_input(self) -> None:
        with open(self.input_file, "r", encoding="utf-8", newline="") as f:
            self.input_text = f.read()

    def find_prefixes(self) -> None:
        missing = []
        for suffix in self.args.check_suffixes:
            if suffix and not re.fullmatch(r"[A-Z0-9\-]+", suffix):
                raise Failure(
                    'only A..Z, 0..9 and "-" are allowed in check suffixes, '
                    'but "%s" was given' % suffix
                )
            tail = "-" + suffix if suffix else ""
            found = []
            for p in (self.messages, self.notes, self.fixes):
                prefix = p.label + tail
                if has_directive(prefix, self.input_text):
                    p.prefixes.append(prefix)
                    found.append(prefix)
            if ("CHECK-MESSAGES" + tail) in found and ("CHECK-NOTES" + tail) in found:
                raise Failure(
                    "use either CHECK-MESSAGES%s or CHECK-NOTES%s, not both"
                    % (tail, tail)
                )
            if not found:
                missing.append(tail)
        any_found = self.messages.present() or self.notes.present() or self.fixes.present()
        if missing and any_found:
            raise Failure(
                "no CHECK-MESSAGES%s, CHECK-NOTES%s or CHECK-FIXES%s lines in %s"
                % (missing[0], missing[0], missing[0], self.input_file)
            )
        self.expect_no_diagnosis = not any_found

    def prepare_input(self) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(self.temp_file)) or ".", exist_ok=True)
        # The copy is byte for byte the test file: nothing is stripped, so
        # every line and column is the test file's.
        write_file(self.temp_file, self.input_text)

    # -- running -------------------------------------------------------------
    def run_clang_tidy(self) -> None:
        cmd = [self.args.clang_tidy, self.temp_file]
        if self.fixes.present():
            cmd.append("-fix")
        cmd.append("--checks=-*," + self.args.check_names)
        if self.args.plugin:
            cmd.append("--load=" + self.args.plugin)
        # One header filter on every major: LLVM 14-20 report nothing in
        # headers by default, later majors every non-system header, so a
        # finding in a test's local header would be checked on some majors
        # only. A test can give its own.
        if not any(re.match(r"--?header-filter(=|$)", a) for a in self.tidy_args):
            cmd.append("--header-filter=.*")
        cmd += self.tidy_args + ["--"] + self.compiler_args
        self.command = cmd
        log("Running: " + " ".join(shlex.quote(c) for c in cmd))
        try:
            env = None
            if self.args.require_analysed:
                env = dict(os.environ, PIPE_TIDY_STATS="1")
            proc = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=self.args.timeout,
                env=env,
            )
        except subprocess.TimeoutExpired as e:
            self.output = (e.output or b"").decode("utf-8", errors="replace")
            self.show_output()
            raise Failure("clang-tidy did not finish within %g s" % self.args.timeout)
        except OSError as e:
            raise Failure("cannot run %s: %s" % (cmd[0], e))
        self.returncode = proc.returncode
        self.output = proc.stdout.decode("utf-8", errors="replace")
        self.show_output()
        # The statistics are for --require-analysed, not findings.
        kept = []
        for line in self.output.splitlines(keepends=True):
            m = STATS_RE.match(line.rstrip("\r\n"))
            if m:
                self.stats.append(m)
            else:
                kept.append(line)
        self.output = "".join(kept)

    def show_output(self) -> None:
        log("------------------------ clang-tidy output -----------------------")
        log(self.output.rstrip("\n"))
        log("------------------------ exit status: %s ---------------------------"
            % self.returncode)

    def diagnostics(self, text: str) -> List[Tuple[str, re.Match]]:
        result = []
        for line in text.splitlines():
            m = DIAG_RE.match(line)
            if m:
                result.append((line, m))
        return result

    def check_health(self) -> None:
        crashed = self.returncode < 0 or any(m in self.output for m in CRASH_MARKERS)
        if crashed:
            raise Failure(
                "clang-tidy crashed (exit status %d)" % self.returncode
            )
        if self.args.expect_error:
            if self.returncode == 0:
                raise Failure(
                    "-expect-clang-tidy-error was given, but clang-tidy exited with status 0"
                )
            return
        compiler_errors = [
            line for line, m in self.diagnostics(self.output)
            if m.group("sev") in ("error", "fatal error")
            and ("clang-diagnostic-error" in line or m.group("sev") == "fatal error"
                 or not m.group("loc"))
        ]
        if compiler_errors:
            raise Failure(
                "clang-tidy reported errors, so its findings cannot be trusted "
                "(use -expect-clang-tidy-error if this is intended):\n  "
                + "\n  ".join(compiler_errors)
            )
        if self.returncode != 0:
            raise Failure("clang-tidy exited with status %d" % self.returncode)

    # -- checking ------------------------------------------------------------
    def blank_check_comments(self, text: str) -> str:
        out = []
        for line in text.splitlines(keepends=True):
            if not DIAG_RE.match(line.rstrip("\r\n")):
                line = CHECK_COMMENT_RE.sub("//", line)
            out.append(line)
        return "".join(out)

    def without_fixit_notes(self, text: str) -> str:
        """Drops the 'FIX-IT applied' notes of -fix and their snippets."""
        out = []
        in_fixit = False
        for line in text.splitlines(keepends=True):
            m = DIAG_RE.match(line.rstrip("\r\n"))
            if m:
                in_fixit = (m.group("sev") == "note" and
                            m.group("msg").startswith("FIX-IT applied"))
            elif in_fixit and not SNIPPET_RE.match(line):
                in_fixit = False
            if not in_fixit:
                out.append(line)
        return "".join(out)

    def filecheck(self, input_path: str, prefixes: List[str], extra: List[str]) -> None:
        cmd = [
            self.args.filecheck,
            "--input-file=" + input_path,
            self.input_file,
            "--check-prefixes=" + ",".join(prefixes),
        ] + extra
        log("Running: " + " ".join(shlex.quote(c) for c in cmd))
        proc = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        text = proc.stdout.decode("utf-8", errors="replace")
        if text:
            log(text.rstrip("\n"))
        if proc.returncode != 0:
            raise Failure(
                "FileCheck failed for %s (exit status %d)"
                % (",".join(prefixes), proc.returncode)
            )

    def check_no_diagnosis(self) -> None:
        found = [line for line, m in self.diagnostics(self.output)]
        if found:
            raise Failure(
                "the test file has no CHECK-MESSAGES, CHECK-NOTES or CHECK-FIXES "
                "lines, so no diagnostic was expected, but clang-tidy printed:\n  "
                + "\n  ".join(found)
            )

    def check_fixes(self) -> None:
        if not self.fixes.present():
            return
        with open(self.temp_file, "r", encoding="utf-8", newline="") as f:
            fixed = f.read()
        if fixed == self.input_text:
            log("(clang-tidy changed nothing in %s)" % self.temp_file)
        fixed_path = self.temp_file + ".fixed"
        write_file(fixed_path, self.blank_check_comments(fixed))
        self.filecheck(
            fixed_path,
            self.fixes.prefixes,
            ["--strict-whitespace"] if self.args.match_partial_fixes
            else ["--match-full-lines"],
        )

    def check_messages(self) -> None:
        if not self.messages.present():
            return
        path = self.temp_file + ".msg"
        write_file(path, self.blank_check_comments(self.without_fixit_notes(self.output)))
        # Every note must be matched too: a note is part of the finding
        # (where the pipe was made, which branch was taken), and one that no
        # line asserts could move or vanish unnoticed.
        self.filecheck(path, self.messages.prefixes,
                       ["--implicit-check-not={{note|warning|error}}:"])

    def check_notes(self) -> None:
        if not self.notes.present():
            return
        path = self.temp_file + ".notes"
        write_file(path, self.blank_check_comments(self.without_fixit_notes(self.output)))
        self.filecheck(path, self.notes.prefixes,
                       ["--implicit-check-not={{note|warning|error}}:"])

    def analysed_lines(self) -> dict:
        """Line of the test file -> the statistics of what was analysed there."""
        main_file = os.path.realpath(self.temp_file)
        analysed: dict = {}
        for m in self.stats:
            if os.path.realpath(m.group("file")) == main_file:
                analysed.setdefault(int(m.group("line")), []).append(m.group("rest"))
        return analysed

    def check_budget(self) -> None:
        """--require-analysed: no function of the test file went over budget."""
        if not self.args.require_analysed:
            return
        analysed = self.analysed_lines()
        log("--require-analysed: %d statistics line(s) for %s"
            % (sum(len(v) for v in analysed.values()), self.temp_file))
        over = ["%s:%d %s" % (self.input_file, line, rest)
                for line, rests in sorted(analysed.items())
                for rest in rests if re.search(r"(?:^| )over-budget(?: |$)", rest)]
        if over:
            raise Failure(
                "--require-analysed: the analysis of these functions went "
                "over budget, so their silence proves nothing:\n  "
                + "\n  ".join(over))

    def compile_flags_for_fixed(self) -> List[str]:
        """The test file's directory (its "..." includes resolve as before)
        and the compiler arguments that change what the file means."""
        flags = ["-I" + os.path.dirname(self.input_file)]
        args = self.compiler_args
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("-I", "-D", "-U", "-include", "-isystem", "-iquote") and i + 1 < len(args):
                flags += [a, args[i + 1]]
                i += 2
                continue
            if re.match(r"-(?:I|D|U|isystem|iquote|include)\S", a) and a != "-D_GNU_SOURCE":
                flags.append(a)
            i += 1
        return flags

    def run_fixed(self) -> None:
        """--run-fixed: compile the fixed file and run its scenarios."""
        if not self.args.run_fixed:
            return
        failed = []
        for scenario, expect in self.args.run_fixed:
            cmd = [sys.executable or "python3", RUN_EXAMPLE, self.temp_file,
                   scenario, expect, "--"] + self.compile_flags_for_fixed()
            log("Running: " + " ".join(shlex.quote(c) for c in cmd))
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            text = proc.stdout.decode("utf-8", errors="replace")
            if text:
                log(text.rstrip("\n"))
            if proc.returncode != 0:
                failed.append("%s:%s (run_example exit status %d)"
                              % (scenario, expect, proc.returncode))
        if failed:
            raise Failure("--run-fixed: the fixed file %s does not behave as "
                          "expected: %s" % (self.temp_file, ", ".join(failed)))

    def run(self) -> None:
        self.read_input()
        self.find_prefixes()
        if self.args.run_fixed and not self.fixes.present():
            raise Failure("--run-fixed needs CHECK-FIXES lines (clang-tidy "
                          "runs with -fix only then)")
        self.prepare_input()
        self.run_clang_tidy()
        self.check_health()
        if self.expect_no_diagnosis:
            self.check_no_diagnosis()
        else:
            self.check_fixes()
            self.check_messages()
            self.check_notes()
        self.check_budget()
        self.run_fixed()


def check_all_analysed(input_file: str, input_text: str, analysed: set) -> None:
    """--require-analysed: every function (and lambda) of the test file that
    makes a pipe or closes a descriptor was analysed in at least one run (a
    function under #if may exist for some standards only)."""
    required = []
    for name, line, body, body_line in function_definitions(input_text):
        own, lambdas = split_lambdas(body, body_line)
        if PIPE_API_RE.search(own):
            required.append(("'%s'" % name, line, line))
        for first, last, lbody in lambdas:
            if PIPE_API_RE.search(lbody):
                required.append(("a lambda in '%s'" % name, first, last))
    if not required:
        raise Failure(
            "--require-analysed: found no function in %s that makes a pipe "
            "or closes a descriptor" % input_file)
    missing = ["%s:%d %s" % (input_file, first, what)
               for what, first, last in required
               if not any(first <= l <= last for l in analysed)]
    if missing:
        raise Failure(
            "--require-analysed: these functions make a pipe or close a "
            "descriptor, but no check analysed them (no PIPE_TIDY_STATS "
            "line):\n  " + "\n  ".join(missing))
    log("--require-analysed: all %d pipe function(s) and lambda(s) analysed, "
        "none over budget" % len(required))


def main(argv: List[str]) -> int:
    try:
        args, tidy_args, compiler_args = parse_arguments(argv)
        stds: List[Optional[str]] = [None]
        if args.std:
            major = clang_tidy_major(args.clang_tidy)
            stds = [s for std in args.std for s in expand_std(std, major)]
        analysed: set = set()
        runner = None
        for std in stds:
            runner = CheckRunner(args, tidy_args, compiler_args, std)
            try:
                runner.run()
            except Failure:
                if runner.command:
                    log("clang-tidy command: "
                        + " ".join(shlex.quote(c) for c in runner.command))
                raise
            analysed.update(runner.analysed_lines())
        if args.require_analysed and runner is not None:
            check_all_analysed(runner.input_file, runner.input_text, analysed)
    except Failure as e:
        log("check_pipe_tidy: FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
