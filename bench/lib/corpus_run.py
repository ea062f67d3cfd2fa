#!/usr/bin/python3
"""The analysis half of bench/corpus.sh: select the TUs, run clang-tidy with
the pipe checks on each, and write the results (Markdown + JSON).

Standard library only. Called by corpus.sh, which prepares the projects and
the plugin; see the usage there.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

# A TU is analysed when its source text (comments and string literals
# removed) calls one of these: it creates a pipe or a process, or plumbs
# descriptors between processes. `close(` alone does not select a file:
# nearly every file of a C project closes something.
SELECT_RE = re.compile(
    r'(?<![\w.>])(pipe2?|socketpair|popen|fork|vfork|clone|posix_spawnp?|'
    r'exec[lv]p?e?|fexecve|mkfifo|dup2|dup3)\s*\(')

# "Pipe call sites", the denominator of the false-positive rate: calls of
# pipe/pipe2/socketpair/popen/pclose/fork/vfork/exec*/posix_spawn*/dup*/close
# in the selected TUs' own source text (not their headers), counted on the
# text with comments and string literals removed. A member call (x.close(),
# p->close()) and a longer name (xclose(), close_fd()) do not count.
CALLSITE_RE = re.compile(
    r'(?<![\w.>])(pipe2?|socketpair|popen|pclose|fork|vfork|exec[lv]p?e?|fexecve|'
    r'posix_spawnp?|dup[23]?|close)\s*\(')
CREATE_RE = re.compile(r'(?<![\w.>])(pipe2?|socketpair|popen)\s*\(')

DIAG_RE = re.compile(
    r'^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>warning|error|note|fatal error): '
    r'(?P<msg>.*?)(?: \[(?P<check>[\w.,-]+)\])?$')
STATS_RE = re.compile(
    r"^pipe-tidy-stats: (?P<loc>.*?) '(?P<fn>[^']*)' ends=(?P<ends>\d+) elements=(?P<el>\d+) "
    r'work=(?P<work>\d+)(?P<over> over-budget)?')
SRC_EXT = ('.c', '.cc', '.cpp', '.cxx', '.C')


def strip_c(text):
    """Remove comments and string/char literals, keep line structure."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '/' and i + 1 < n and text[i + 1] == '/':
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif c == '/' and i + 1 < n and text[i + 1] == '*':
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append('\n' * text.count('\n', i, j))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def load_db(dbdir):
    with open(os.path.join(dbdir, 'compile_commands.json')) as f:
        entries = json.load(f)
    seen = {}
    for e in entries:
        path = os.path.normpath(os.path.join(e['directory'], e['file']))
        if path.endswith(SRC_EXT) and path not in seen and os.path.isfile(path):
            seen[path] = e
    return seen


def record_facts(args, dbdir, path, out, extra=()):
    """The first pass on one TU: its caller facts into `out` (no analysis).
    True when the file was written."""
    cmd = [args.clang_tidy, '--load=' + args.plugin, '-checks=-*,pipe-*', '--config={}',
           '--header-filter=.*'] + list(extra) + ['-p', dbdir, path]
    env = dict(os.environ, PIPE_TIDY_RECORD_CALLER_FACTS=out)
    env.pop('PIPE_TIDY_CALLER_FACTS', None)
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return False
    return os.path.isfile(out)


def project_facts(args, p, db, rundir):
    """The first pass over every TU of the project's database (as
    `pipe-tidy -p` runs it), merged into one facts file; None when a TU left
    none (the project is then analysed one TU at a time, as before)."""
    t0 = time.monotonic()
    paths = [path for path in sorted(db)
             if path.startswith(p['srcdir'] + '/') or path.startswith(p['db'] + '/')]
    fdir = os.path.join(rundir, p['name'], 'facts')
    os.makedirs(fdir, exist_ok=True)
    outs = [os.path.join(fdir, '%04d.facts' % i) for i in range(len(paths))]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        ok = list(ex.map(lambda po: record_facts(args, p['db'], po[0], po[1], p['extra_args']),
                         zip(paths, outs)))
    merged = os.path.join(rundir, p['name'], 'caller.facts')
    missing = [os.path.relpath(path, p['srcdir']) for path, good in zip(paths, ok) if not good]
    if not missing:
        with open(merged, 'w') as f:
            for o in outs:
                f.write(open(o, errors='replace').read())
    p['caller_facts'] = {'tus': len(paths), 'missing': missing[:10], 'missing_count': len(missing),
                         'seconds': round(time.monotonic() - t0, 1), 'used': not missing}
    print('corpus: %s: caller facts of %d TUs in %.1fs%s' % (
        p['name'], len(paths), time.monotonic() - t0,
        '' if not missing else '; %d left none, not used' % len(missing)), file=sys.stderr, flush=True)
    return None if missing else merged


def run_tu(args, proj, srcdir, dbdir, path, outbase, extra=(), cdir=None, facts=None):
    cmd = [args.clang_tidy, '--load=' + args.plugin, '-checks=-*,pipe-*', '--config={}',
           '--header-filter=.*'] + list(extra) + ['-p', dbdir, path]
    env = dict(os.environ, PIPE_TIDY_STATS='1')
    if facts:
        env['PIPE_TIDY_CALLER_FACTS'] = facts
    t0 = time.monotonic()
    with open(outbase + '.out', 'wb') as fo, open(outbase + '.err', 'wb') as fe:
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                             env=env, start_new_session=True)
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(args.timeout, kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    out = open(outbase + '.out', errors='replace').read()
    err = open(outbase + '.err', errors='replace').read()
    rc = p.returncode
    res = {'file': os.path.relpath(path, srcdir), 'path': path, 'rc': rc,
           'wall_s': round(wall, 3), 'cpu_s': round(ru.ru_utime + ru.ru_stime, 3),
           'maxrss_kb': ru.ru_maxrss, 'command': shlex.join(cmd), 'log': outbase}
    if timed_out:
        res['status'] = 'timeout'
    elif rc < 0 or 'Stack dump' in err or 'Stack dump' in out or 'PLEASE submit a bug report' in err:
        res['status'] = 'crash'
        res['signal'] = -rc if rc < 0 else None
        m = re.search(r'Stack dump:\n(?:.*\n){0,40}', err)
        res['stack'] = m.group(0) if m else err[-4000:]
    elif rc not in (0, 1):
        res['status'] = 'failed'
    else:
        res['status'] = 'ok'
    findings, errors, cur = [], [], None
    for line in out.splitlines():
        m = DIAG_RE.match(line)
        if not m:
            continue
        d = m.groupdict()
        file = os.path.normpath(os.path.join(cdir or os.path.dirname(path), d['file']))
        loc = '%s:%s:%s' % (os.path.relpath(file, srcdir) if file.startswith(srcdir + '/') else file,
                            d['line'], d['col'])
        if d['sev'] == 'note':
            if cur is not None:
                cur['notes'].append('%s: %s' % (loc, d['msg']))
            continue
        cur = None
        if d['check'] and d['check'].startswith('pipe-'):
            cur = {'loc': loc, 'check': d['check'], 'message': d['msg'], 'notes': []}
            findings.append(cur)
        elif d['sev'] in ('error', 'fatal error'):
            errors.append('%s: %s' % (loc, d['msg']))
    if res['status'] == 'ok' and errors:
        res['status'] = 'clang-error'
    if 'Error while processing' in err and not errors and res['status'] == 'ok':
        res['status'] = 'clang-error'
        errors.append(err.strip().splitlines()[-1])
    res['findings'] = findings
    res['errors'] = errors
    fns, seen_fns = [], set()
    for line in err.splitlines():
        m = STATS_RE.match(line)
        # One line per analysed function and check that analysed it: a
        # plugin where each check runs its own analysis prints each twice.
        if m and (m['loc'], m['fn']) not in seen_fns:
            seen_fns.add((m['loc'], m['fn']))
            fns.append({'loc': m['loc'], 'fn': m['fn'], 'ends': int(m['ends']),
                        'elements': int(m['el']), 'work': int(m['work']), 'over_budget': bool(m['over'])})
    res['functions'] = len(fns)
    res['work'] = sum(f['work'] for f in fns)
    res['max_work'] = max((f['work'] for f in fns), default=0)
    res['over_budget'] = [f for f in fns if f['over_budget']]
    return res


def preprocess_repro(entry, path, dest, clang):
    """For a crash: the TU preprocessed with its own flags, a standalone
    reproducer (`clang-tidy ... dest.i -- <flags>`)."""
    argv = entry.get('arguments') or shlex.split(entry['command'])
    keep, skip = [], False
    for a in argv[1:]:
        if skip:
            skip = False
            continue
        if a in ('-o', '-MF', '-MT', '-MQ'):
            skip = True
            continue
        if a in ('-c', '-MD', '-MMD') or os.path.normpath(os.path.join(entry['directory'], a)) == path:
            continue
        keep.append(a)
    subprocess.run([clang] + keep + ['-E', path, '-o', dest], cwd=entry['directory'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lang = [a for a in keep if a.startswith('-std=')]
    return lang


def main():
    ap = argparse.ArgumentParser()
    for a in ('manifest', 'rundir', 'clang-tidy', 'plugin', 'plugin-rev', 'checks', 'llvm',
              'machine', 'out-md', 'out-json'):
        ap.add_argument('--' + a, required=True)
    ap.add_argument('--timeout', type=float, default=300)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--max-tus', type=int, default=0)
    ap.add_argument('--args-line', default='')
    ap.add_argument('--triage', default='')
    ap.add_argument('--no-caller-facts', action='store_true',
                    help='skip the first pass (caller facts of every TU of each database)')
    args = ap.parse_args()

    ver = subprocess.run([args.clang_tidy, '--version'], capture_output=True, text=True).stdout
    ver = ' '.join(l.strip() for l in ver.splitlines() if 'version' in l.lower())
    projects = []
    jobs = []
    for line in open(args.manifest):
        proj, srcdir, dbdir, version, extra = (line.rstrip('\n').split('\t') + [''])[:5]
        # The database names files by their real paths: bench/work may be a
        # symlink to a work area shared between checkouts.
        srcdir, dbdir = os.path.realpath(srcdir), os.path.realpath(dbdir)
        db = load_db(dbdir)
        sel = []
        for path in sorted(db):
            if not (path.startswith(srcdir + '/') or path.startswith(dbdir + '/')):
                continue
            text = strip_c(open(path, errors='replace').read())
            if not SELECT_RE.search(text):
                continue
            sites = CALLSITE_RE.findall(text)
            sel.append({'path': path, 'callsites': len(sites),
                        'creations': len(CREATE_RE.findall(text))})
        total_selected = len(sel)
        if args.max_tus and len(sel) > args.max_tus:
            # --quick: the TUs with the most pipe creations first.
            sel = sorted(sel, key=lambda s: (-s['creations'], -s['callsites'], s['path']))[:args.max_tus]
            sel.sort(key=lambda s: s['path'])
        try:
            # Wall time of the one-time preparation (fetch, build-deps, build).
            prep = int(open(os.path.join(dbdir, 'prepare-seconds')).read())
        except (OSError, ValueError):
            prep = None
        p = {'name': proj, 'version': version, 'srcdir': srcdir, 'db': dbdir, 'extra_args': extra.split(),
             'tus_in_db': len(db), 'tus_selected': total_selected, 'prepare_s': prep, 'tus': []}
        projects.append(p)
        # The first pass, as `pipe-tidy -p` runs it: the callers of every
        # TU, for the selected TUs' leaks on failure returns.
        p['facts'] = None if args.no_caller_facts else project_facts(args, p, db, args.rundir)
        os.makedirs(os.path.join(args.rundir, proj), exist_ok=True)
        for i, s in enumerate(sel):
            base = os.path.join(args.rundir, proj, '%03d-%s' % (i, os.path.basename(s['path'])))
            jobs.append((p, s, base, db[s['path']]))

    print('corpus: %d TUs to analyse in %s' % (len(jobs), ', '.join(
        '%s (%d of %d in the db)' % (p['name'], sum(1 for j in jobs if j[0] is p), p['tus_in_db'])
        for p in projects)), file=sys.stderr, flush=True)
    t0 = time.monotonic()
    done = [0]
    lock = threading.Lock()

    def work(job):
        p, s, base, entry = job
        r = run_tu(args, p['name'], p['srcdir'], p['db'], s['path'], base, p['extra_args'], entry['directory'],
                   p.get('facts'))
        r['callsites'] = s['callsites']
        r['creations'] = s['creations']
        if r['status'] == 'crash':
            dest = base + '.repro.i'
            r['repro_flags'] = preprocess_repro(entry, s['path'], dest, args.clang_tidy.replace('clang-tidy', 'clang'))
            r['repro'] = dest
        with lock:
            done[0] += 1
            mark = '' if r['status'] == 'ok' else '  ** ' + r['status']
            print('[%d/%d] %s %s %.1fs findings=%d%s' % (done[0], len(jobs), p['name'], r['file'],
                                                        r['wall_s'], len(r['findings']), mark),
                  file=sys.stderr, flush=True)
        return p, r

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for p, r in ex.map(work, jobs):
            p['tus'].append(r)
    elapsed = time.monotonic() - t0

    triage = load_triage(args.triage)
    for p in projects:
        for r in p['tus']:
            for f in r['findings']:
                t = triage.get(finding_key(p['name'], f), {})
                f['verdict'] = t.get('verdict', 'untriaged')
                f['actionable'] = t.get('actionable')
                f['defect'] = t.get('defect', '')
                f['reason'] = t.get('reason', '')
    summary = summarise(projects)
    doc = {'date': datetime.datetime.now().isoformat(timespec='seconds'),
           'machine': args.machine, 'clang_tidy': args.clang_tidy, 'clang_tidy_version': ver,
           'llvm': args.llvm, 'plugin_rev': args.plugin_rev, 'checks': args.checks.split(','),
           'timeout_s': args.timeout, 'jobs': args.jobs, 'max_tus': args.max_tus,
           'args_line': args.args_line,
           'elapsed_s': round(elapsed, 1),
           'command': "PIPE_TIDY_STATS=1 %s --load=<plugin> -checks='-*,pipe-*' --config={} "
                      "--header-filter='.*' -p <db dir> <file>" % args.clang_tidy,
           'selection_regex': SELECT_RE.pattern, 'callsite_regex': CALLSITE_RE.pattern,
           'summary': summary, 'projects': projects}
    with open(args.out_json + '.tmp', 'w') as f:
        json.dump(doc, f, indent=1)
    os.replace(args.out_json + '.tmp', args.out_json)
    with open(args.out_md + '.tmp', 'w') as f:
        f.write(render_md(doc, os.path.basename(args.out_json)))
    os.replace(args.out_md + '.tmp', args.out_md)
    t = summary['total']
    print('corpus: %d TUs, %d pipe call sites, %d findings (%d unique), %d crashes, %d timeouts, '
          '%d with clang errors, %.0fs; %s' % (t['tus'], t['callsites'], t['findings'], t['unique_findings'],
                                              t['crashes'], t['timeouts'], t['clang_errors'], elapsed,
                                              args.out_md), file=sys.stderr)


END_RE = re.compile(r"'([^']*)'")
# "true but harmless" was called "defensible" before 2026-12-03; both spellings
# are read.
VERDICTS = ('real defect', 'true but harmless', 'false positive')
VERDICT_ALIASES = {'defensible': 'true but harmless'}


def finding_key(project, f):
    m = END_RE.search(f['message'])
    return (project, f['loc'], f['check'], m.group(1) if m else '')


def load_triage(path):
    """Verdicts from bench/triage.md: every table row whose cells are
    | # | project | `file:line:col` | check | end | summary | verdict | actionable | defect | reason |
    (or, in the tables of runs before 2026-12-03, without the actionable and
    defect cells). A later row for the same finding replaces an earlier one:
    the newest run's table comes last. Returns {key: {'verdict', 'actionable'
    (True, False or None when not judged), 'defect', 'reason'}}."""
    verdicts = {}
    if not path or not os.path.exists(path):
        return verdicts
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 8 or not cells[0].isdigit():
            continue
        verdict = cells[6].strip('* ').lower()
        verdict = VERDICT_ALIASES.get(verdict, verdict)
        verdict = next((v for v in VERDICTS if verdict.startswith(v)), None)
        if not verdict:
            continue
        t = {'verdict': verdict, 'actionable': None, 'defect': '', 'reason': cells[-1]}
        if len(cells) >= 10:
            a = cells[7].strip('* ').lower()
            t['actionable'] = True if a.startswith('yes') else False if a.startswith('no') else None
            t['defect'] = cells[8].strip('`')
        verdicts[(cells[1], cells[2].strip('`'), cells[3], cells[4].strip('`'))] = t
    return verdicts


def unique_findings(p):
    seen = {}
    for r in p['tus']:
        for f in r['findings']:
            key = (f['loc'], f['check'], f['message'])
            if key not in seen:
                seen[key] = dict(f, tu=r['file'])
    return sorted(seen.values(), key=lambda f: (f['loc'].split(':')[0], int(f['loc'].split(':')[1])))


def summarise(projects):
    rows = {}
    keys = ('tus', 'callsites', 'creations', 'findings', 'unique_findings', 'crashes', 'timeouts',
            'failed', 'clang_errors', 'functions', 'over_budget', 'wall_s', 'cpu_s')
    keys = keys + VERDICTS + ('untriaged', 'actionable', 'not_actionable', 'actionable_unjudged', 'defects')
    tot = dict.fromkeys(keys, 0)
    for p in projects:
        tus = p['tus']
        row = {
            'tus': len(tus),
            'callsites': sum(r['callsites'] for r in tus),
            'creations': sum(r['creations'] for r in tus),
            'findings': sum(len(r['findings']) for r in tus),
            'unique_findings': len(unique_findings(p)),
            'crashes': sum(r['status'] == 'crash' for r in tus),
            'timeouts': sum(r['status'] == 'timeout' for r in tus),
            'failed': sum(r['status'] == 'failed' for r in tus),
            'clang_errors': sum(bool(r['errors']) for r in tus),
            'functions': sum(r['functions'] for r in tus),
            'over_budget': sum(len(r['over_budget']) for r in tus),
            'wall_s': round(sum(r['wall_s'] for r in tus), 1),
            'cpu_s': round(sum(r['cpu_s'] for r in tus), 1),
        }
        uf = unique_findings(p)
        for v in VERDICTS + ('untriaged',):
            row[v] = sum(f['verdict'] == v for f in uf)
        row['actionable'] = sum(f.get('actionable') is True for f in uf)
        row['not_actionable'] = sum(f.get('actionable') is False for f in uf)
        row['actionable_unjudged'] = sum(f.get('actionable') is None for f in uf)
        # Distinct defects (or causes, for false positives): the triage's
        # defect cell; a finding without one counts as its own.
        row['defects'] = len({f.get('defect') or (f['loc'], f['check'], f['message']) for f in uf})
        p['summary'] = row
        rows[p['name']] = row
        for k in keys:
            tot[k] = round(tot[k] + row[k], 1)
    tot['fp_per_100_callsites'] = round(100.0 * tot['false positive'] / tot['callsites'], 2) if tot['callsites'] else None
    judged = tot['actionable'] + tot['not_actionable']
    tot['actionable_rate'] = round(100.0 * tot['actionable'] / judged, 1) if judged else None
    return {'projects': rows, 'total': tot}


def render_md(doc, jsonname):
    s = doc['summary']
    L = []
    L.append('# pipe-tidy precision corpus, %s\n' % doc['date'][:10])
    L.append('Produced by `bench/corpus.sh%s`; machine-readable: [`%s`](%s).\n' % (
        (' ' + doc['args_line']) if doc.get('args_line') else '', jsonname, jsonname))
    L.append('- Date: %s' % doc['date'])
    L.append('- Machine: %s' % doc['machine'])
    L.append('- clang-tidy: `%s` (%s)' % (doc['clang_tidy'], doc['clang_tidy_version']))
    L.append('- Plugin: built from revision `%s`; checks run: %s' % (
        doc['plugin_rev'], ', '.join('`%s`' % c for c in doc['checks'])))
    L.append('- Command per TU: `%s`%s' % (doc['command'], ''.join(
        '; for %s also `%s` (reason in `bench/corpus.sh`, `tidy_extra_args`)' % (p['name'], ' '.join(p['extra_args']))
        for p in doc['projects'] if p.get('extra_args'))))
    L.append('- Per-TU timeout %ds, %d in parallel; analysis took %.0f s of wall time%s' % (
        doc['timeout_s'], doc['jobs'], doc['elapsed_s'],
        ('; at most %d TUs per project (those with the most pipe creations)' % doc['max_tus'])
        if doc['max_tus'] else ''))
    facts = [p for p in doc['projects'] if p.get('caller_facts')]
    if facts:
        L.append('- Caller facts: a first pass over every TU of each database (`PIPE_TIDY_RECORD_CALLER_FACTS`, '
                 'no analysis), given to each analysed TU as `PIPE_TIDY_CALLER_FACTS`, as `pipe-tidy -p` does: %s' %
                 ', '.join('%s %d TUs in %.0f s%s' % (
                     p['name'], p['caller_facts']['tus'], p['caller_facts']['seconds'],
                     '' if p['caller_facts']['used'] else
                     ' (not used: %d left none)' % p['caller_facts']['missing_count']) for p in facts))
    else:
        L.append('- Caller facts: none (`--no-caller-facts`): each TU\'s own callers only')
    L.append('- TUs analysed: those whose own text calls `%s` (comments and strings removed)' %
             'pipe pipe2 socketpair popen fork vfork clone posix_spawn* exec* fexecve mkfifo dup2 dup3')
    L.append('- Pipe call sites: calls of pipe/pipe2/socketpair/popen/pclose/fork/vfork/exec*/fexecve/'
             'posix_spawn*/dup/dup2/dup3/close in those TUs\' own text (not headers; comments, strings, '
             'member calls and longer names excluded); "creations" counts pipe/pipe2/socketpair/popen only\n')
    L.append('## Summary\n')
    L.append('| project | version | TUs in db | TUs analysed | pipe call sites | creations | findings (unique) '
             '| crashes | timeouts | TUs with clang errors | functions analysed | over budget | CPU s | preparation s |')
    L.append('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for p in doc['projects']:
        r = p['summary']
        L.append('| %s | %s | %d | %d%s | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %s |' % (
            p['name'], p['version'], p['tus_in_db'], r['tus'],
            '' if r['tus'] == p['tus_selected'] else ' of %d' % p['tus_selected'],
            r['callsites'], r['creations'], r['unique_findings'], r['crashes'], r['timeouts'],
            r['clang_errors'], r['functions'], r['over_budget'], r['cpu_s'],
            '' if p.get('prepare_s') is None else p['prepare_s']))
    t = s['total']
    L.append('| **total** | | | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %s |\n' % (
        t['tus'], t['callsites'], t['creations'], t['unique_findings'], t['crashes'], t['timeouts'],
        t['clang_errors'], t['functions'], t['over_budget'], t['cpu_s'],
        sum(p.get('prepare_s') or 0 for p in doc['projects'])))
    L.append('"preparation s": wall time of the one-time `apt-get source`, build dependencies and build of the '
             'compilation database (`bench/corpus.sh --prepare-only`; only the analysed TUs are compiled, see '
             '`bench/lib/cc_select.py`), on a machine shared with other jobs, under `nice -n 19`. Later runs '
             'reuse it.\n')
    L.append('### Verdicts\n')
    L.append('From [`../triage.md`](../triage.md) (matched on project, location, check and end; a finding '
             'that the triage does not list yet is "untriaged"):\n')
    L.append('| project | findings | distinct defects | real defect | true but harmless | false positive | untriaged '
             '| actionable | not actionable | pipe call sites |')
    L.append('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for p in doc['projects']:
        r = p['summary']
        L.append('| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d |' % (
            p['name'], r['unique_findings'], r['defects'], r['real defect'], r['true but harmless'],
            r['false positive'], r['untriaged'], r['actionable'], r['not_actionable'], r['callsites']))
    L.append('| **total** | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n' % (
        t['unique_findings'], t['defects'], t['real defect'], t['true but harmless'], t['false positive'],
        t['untriaged'], t['actionable'], t['not_actionable'], t['callsites']))
    L.append('**Actionable: %d of %d warnings (%s%%)**: a maintainer would act on the warning and take the fix upstream '
             '(target: at least 80%%)%s. **Distinct defects or causes: %d** for %d warnings (%d duplicates). '
             '**False positives per 100 pipe call sites: %s** (target: at most 1)%s.\n' % (
                 t['actionable'], t['actionable'] + t['not_actionable'],
                 'n/a ' if t['actionable_rate'] is None else t['actionable_rate'],
                 '; %d warnings not judged yet' % t['actionable_unjudged'] if t['actionable_unjudged'] else '',
                 t['defects'], t['unique_findings'], t['unique_findings'] - t['defects'],
                 t['fp_per_100_callsites'],
                 '; untriaged findings are not counted, triage them first' if t['untriaged'] else ''))

    L.append('## Findings\n')
    any_f = False
    for p in doc['projects']:
        uf = unique_findings(p)
        if not uf:
            continue
        any_f = True
        L.append('### %s\n' % p['name'])
        L.append('| # | location | check | message | notes | verdict | actionable | defect | reason |')
        L.append('|---:|---|---|---|---|---|---|---|---|')
        for i, f in enumerate(uf, 1):
            notes = '<br>'.join(n.replace('|', '\\|') for n in f['notes'][:6])
            if len(f['notes']) > 6:
                notes += '<br>(+%d more)' % (len(f['notes']) - 6)
            a = f.get('actionable')
            L.append('| %d | `%s` | %s | %s | %s | %s | %s | %s | %s |' % (
                i, f['loc'], f['check'], f['message'].replace('|', '\\|'), notes, f['verdict'],
                'yes' if a is True else 'no' if a is False else '?', f.get('defect', ''),
                f.get('reason', '').replace('|', '\\|')))
        L.append('')
    if not any_f:
        L.append('None.\n')

    L.append('## Crashes, timeouts and failures\n')
    bad = [(p, r) for p in doc['projects'] for r in p['tus'] if r['status'] in ('crash', 'timeout', 'failed')]
    if not bad:
        L.append('None.\n')
    for p, r in bad:
        L.append('- **%s** %s `%s`: exit %s, %.1f s; reproduce: `%s`%s' % (
            r['status'], p['name'], r['file'], r['rc'], r['wall_s'], r['command'],
            ('; preprocessed: `%s`' % r['repro']) if r.get('repro') else ''))
        if r.get('stack'):
            L.append('\n```\n%s\n```' % '\n'.join(r['stack'].splitlines()[:25]))
    L.append('')

    L.append('## Clang errors (`clang-diagnostic-error`)\n')
    errs = [(p, r) for p in doc['projects'] for r in p['tus'] if r['errors']]
    if not errs:
        L.append('None: every analysed TU compiled cleanly with its database flags.\n')
    for p, r in errs:
        L.append('- %s `%s`: %d error(s), first: %s' % (p['name'], r['file'], len(r['errors']),
                                                         r['errors'][0].replace('|', '\\|')))
    L.append('')

    L.append('## Functions over the analysis budget\n')
    ob = [(p, r, f) for p in doc['projects'] for r in p['tus'] for f in r['over_budget']]
    if not ob:
        L.append('None.\n')
    seen = set()
    for p, r, f in ob:
        if (f['loc'], f['fn']) in seen:
            continue
        seen.add((f['loc'], f['fn']))
        L.append('- %s `%s` `%s`: ends=%d elements=%d work=%d' % (
            p['name'], os.path.relpath(f['loc'], p['srcdir']) if f['loc'].startswith('/') else f['loc'],
            f['fn'], f['ends'], f['elements'], f['work']))
    L.append('')

    L.append('## Slowest TUs\n')
    L.append('| project | TU | wall s | CPU s | max RSS MiB | functions analysed | total work | max work |')
    L.append('|---|---|---:|---:|---:|---:|---:|---:|')
    allr = sorted(((p, r) for p in doc['projects'] for r in p['tus']), key=lambda x: -x[1]['wall_s'])
    for p, r in allr[:10]:
        L.append('| %s | `%s` | %.2f | %.2f | %.0f | %d | %d | %d |' % (
            p['name'], r['file'], r['wall_s'], r['cpu_s'], r['maxrss_kb'] / 1024, r['functions'],
            r['work'], r['max_work']))
    L.append('')
    return '\n'.join(L)


if __name__ == '__main__':
    main()
