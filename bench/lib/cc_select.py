#!/usr/bin/python3
"""cc_select.py: the compiler shim that makes the corpus's compilation
databases without compiling every file of a project.

    DIR/clang-19 -> cc_select.py        (a symbolic link named as the compiler,
                                         DIR first in PATH during the build)
    cc_select.py COMPILER ARGS...       (or as a launcher)
    cc_select.py --to-db LOG.jsonl OUT.json

Called through a link named clang-NN or clang++-NN, it runs /usr/bin/<that
name>; as a launcher, the compiler given. With PIPE_TIDY_CC_LOG set
(bench/corpus.sh sets it for the build step only, never for configure):
every compile of one source file
(`-c` and one .c/.cc/.cpp/.cxx argument) is appended to that log as a
compilation-database entry, with the arguments unchanged. Then, if the
source is one the corpus analyses (its text calls a pipe-, process- or
descriptor-plumbing function: SELECT_RE of corpus_run.py, the same test the
analysis applies) or defines main() (a program the build may run to
generate sources or headers), the real compiler compiles it; any other
source is
replaced by an empty file of the same language and the same arguments
(-o, -MD/-MF and every flag kept), so the build goes on: generated headers,
libraries and objects are all made, only the code of files that the corpus
never analyses is not compiled. A link (no -c, an -o output) that then
fails, on undefined symbols of those empty objects, is reported on stderr
and leaves an empty output file with status 0, so that builds whose
recursive make stops at the first failing directory (a shell loop over
SUBDIRS, which -k does not reach) still reach the rest of the project.
Everything else (configure checks, preprocessing, any run without
PIPE_TIDY_CC_LOG) runs the compiler unchanged.

--to-db turns the log into a JSON compilation database
(raw/compile_commands.json), one entry per distinct command.
"""
import json
import re
import subprocess
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_run import SELECT_RE, strip_c  # noqa: E402

SRC_EXT = ('.c', '.cc', '.cpp', '.cxx', '.c++', '.C')
# Options whose value is the next argument (never a source file).
WITH_VALUE = {'-o', '-MF', '-MT', '-MQ', '-include', '-imacros', '-I', '-isystem', '-iquote',
              '-idirafter', '-D', '-U', '-x', '-Xclang', '-mllvm', '--param', '-target', '-arch',
              '-Xlinker', '-Xpreprocessor', '-Xassembler', '-L', '-l', '-isysroot', '--sysroot'}


MAIN_RE = re.compile(r'^[ \t]*(?:(?:static|extern|int|void)\s+)*main\s*\(', re.M)


def to_db(log, out):
    entries, seen = [], set()
    for line in open(log, errors='replace'):
        line = line.strip()
        if not line:
            continue
        try:
            e = json.loads(line)
        except ValueError:
            continue  # a line cut by an interrupted build
        key = (e['directory'], tuple(e['arguments']))
        if key not in seen:
            seen.add(key)
            entries.append(e)
    with open(out + '.tmp', 'w') as f:
        json.dump(entries, f, indent=1)
    os.replace(out + '.tmp', out)


def is_configure_probe(path):
    # A make rule that re-runs configure, or CMake/Meson checks at build time.
    base = os.path.basename(path)
    return (base.startswith('conftest') or 'CMakeScratch' in path or 'CMakeTmp' in path
            or 'meson-private' in path or base.startswith('cmTC_'))


def empty_source(ext):
    d = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'pipe-tidy-cc-select')
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, 'empty' + ext)
    if not os.path.exists(path):
        tmp = '%s.%d' % (path, os.getpid())
        with open(tmp, 'w') as f:
            # One declaration: an empty file is an error under -pedantic -Werror.
            f.write('typedef int pipe_tidy_cc_select_empty;\n')
        os.replace(tmp, path)
    return path


def main():
    if len(sys.argv) == 4 and sys.argv[1] == '--to-db':
        to_db(sys.argv[2], sys.argv[3])
        return
    name = os.path.basename(sys.argv[0])
    if name.startswith('clang'):
        # Through a link named as the compiler: the database records that
        # name; /usr/bin/<name> runs.
        argv, real = [name] + sys.argv[1:], '/usr/bin/' + name
    else:
        argv = sys.argv[1:]
        if not argv:
            sys.exit('usage: cc_select.py COMPILER ARGS...')
        real = argv[0]
    log = os.environ.get('PIPE_TIDY_CC_LOG')
    src = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in WITH_VALUE:
            i += 2
            continue
        if not a.startswith('-') and a.endswith(SRC_EXT):
            src.append(i)
        i += 1
    out = argv[argv.index('-o') + 1] if '-o' in argv[:-1] else None
    if log and '-c' not in argv and out and not src and not is_configure_probe(os.path.abspath(out)) \
            and not set(argv) & {'-E', '-S', '-M', '-MM', '-fsyntax-only'}:
        # A link.
        rc = subprocess.call(argv, executable=real)
        if rc != 0:
            sys.stderr.write('cc_select.py: the link of %s failed (objects of files the corpus does not '
                             'analyse are empty); an empty %s stands in for it\n' % (out, out))
            open(out, 'w').close()
            os.chmod(out, 0o755)
        sys.exit(0)
    if log and '-c' in argv and len(src) == 1 and os.path.isfile(argv[src[0]]) \
            and not is_configure_probe(os.path.abspath(argv[src[0]])):
        path = argv[src[0]]
        entry = {'directory': os.getcwd(), 'arguments': argv, 'file': path}
        with open(log, 'a') as f:
            f.write(json.dumps(entry) + '\n')
        text = strip_c(open(path, errors='replace').read())
        if not SELECT_RE.search(text) and not MAIN_RE.search(text):
            argv = list(argv)
            argv[src[0]] = empty_source(os.path.splitext(path)[1])
    try:
        os.execvp(real, [argv[0]] + argv[1:])
    except OSError as e:
        sys.exit('cc_select.py: cannot run %s: %s' % (real, e))


if __name__ == '__main__':
    main()
