#!/usr/bin/env python3
"""Applies the fix-its of a corpus run and checks that each one fixes.

  bench/lib/fixit_check.py RUN_DIR RESULT.json PLUGIN.so [--report OUT.md]

RUN_DIR is bench/work/runs/<name> of a corpus run (its per-project
caller.facts are used, as the run used them); RESULT.json the run's
bench/results/<name>.json; PLUGIN the plugin to check (the run's, or a
later revision's). For every TU of the run with a finding, on the
prepared source in bench/work/src:

  1. runs the pipe checks and counts the warnings and fix-it lines;
  2. applies every fix-it (clang-tidy --fix --fix-notes, which also applies
     a note's when it is the only one);
  3. compiles the fixed file with the database's own command
     (-fsyntax-only);
  4. runs the checks again: the warnings that carried fix-its must be gone.

The source is restored afterwards (a copy is kept beside it while the TU is
checked). Exit status 1 when a fixed file does not compile or a warning
with a fix-it survives its fix. Not a test and not run by CI: the corpus is
prepared by bench/corpus.sh --prepare-only.
"""
import argparse, json, os, re, shlex, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CT = '/usr/lib/llvm-22/bin/clang-tidy'


def tidy(run, proj, src, plugin, extra=()):
    env = dict(os.environ)
    facts = os.path.join(run, proj, 'caller.facts')
    if os.path.exists(facts):
        env['PIPE_TIDY_CALLER_FACTS'] = facts
    cmd = [CT, '--load=' + plugin, '-checks=-*,pipe-*', '--config={}',
           '--header-filter=.*', '-p', os.path.join(ROOT, 'bench/work/db', proj),
           *extra, src]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return p.stdout + p.stderr


def warnings(out):
    """Each warning with whether its diagnostic block shows a fix-it line."""
    found, cur = [], None
    for line in out.splitlines():
        if ': warning: ' in line and '[pipe-' in line:
            cur = [line, False]
            found.append(cur)
        elif ': note: ' in line or ': warning: ' in line:
            pass
        elif cur and re.match(r'^\s*\|\s+\S', line) and not re.match(r'^\s*\|\s+\^', line):
            cur[1] = True  # the line under the caret: inserted text
    return found


def compile_only(proj, src):
    db = json.load(open(os.path.join(ROOT, 'bench/work/db', proj, 'compile_commands.json')))
    entry = next(e for e in db if os.path.realpath(
        os.path.join(e['directory'], e['file'])) == os.path.realpath(src))
    args = entry.get('arguments') or shlex.split(entry['command'])
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == '-o':
            skip = True
            continue
        if a == '-c':
            continue
        out.append(a)
    return subprocess.run(out + ['-fsyntax-only'], cwd=entry['directory'],
                          capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('run')
    ap.add_argument('result')
    ap.add_argument('plugin')
    ap.add_argument('--report')
    a = ap.parse_args()
    run, plugin = os.path.abspath(a.run), os.path.abspath(a.plugin)
    res = json.load(open(a.result))
    rows, bad = [], 0
    for p in res['projects']:
        for t in p['tus']:
            if not t.get('findings'):
                continue
            src = t['path']
            before = warnings(tidy(run, p['name'], src, plugin))
            with_fix = [w for w, f in before if f]
            if not with_fix:
                rows.append((p['name'], t['file'], len(before), 0, '-', '-', ''))
                continue
            shutil.copy(src, src + '.fixbak')
            try:
                tidy(run, p['name'], src, plugin, ('--fix', '--fix-notes'))
                comp = compile_only(p['name'], src)
                after = [w for w, _ in warnings(tidy(run, p['name'], src, plugin))]
            finally:
                shutil.move(src + '.fixbak', src)
            loc = lambda w: w.split(': warning: ')[0].rsplit('/', 1)[-1]
            # A warning with fix-its survives if it is still there, or if
            # one took its place (the same leak reported at another exit):
            # as many warnings must be gone as carried fix-its.
            survivors = [w for w in with_fix if loc(w) in {loc(x) for x in after}]
            if len(after) > len(before) - len(with_fix) and not survivors:
                survivors = [w for w in after if w not in [x for x, _ in before]]
            ok = comp.returncode == 0 and not survivors
            bad += not ok
            rows.append((p['name'], t['file'], len(before), len(with_fix),
                         'yes' if comp.returncode == 0 else 'NO',
                         'yes' if not survivors else 'NO',
                         '; '.join(loc(w) for w in with_fix)))
    lines = ['| project | TU | warnings | with fix-its | fixed file compiles | '
             'warnings with fix-its gone | where |', '|---|---|---:|---:|---|---|---|']
    lines += ['| %s | `%s` | %d | %d | %s | %s | %s |' % r for r in rows]
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.report:
        with open(a.report, 'w') as f:
            f.write(text)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
