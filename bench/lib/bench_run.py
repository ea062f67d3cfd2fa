#!/usr/bin/python3
"""The measuring half of bench/benchmark.sh. Standard library only.

Three parts, each writing a section of the report:
  tus       per-TU overhead of the pipe checks (interleaved runs, medians)
  scaling   generated functions of growing size: check cost and peak RSS
  analyzer  clang-analyzer-* on the same TUs: time and fd/pipe findings
"""
import argparse
import datetime
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import concurrent.futures

DEP_FLAGS_WITH_ARG = ('-o', '-MF', '-MT', '-MQ')
DEP_FLAGS = ('-c', '-MD', '-MMD', '-MP', '-M', '-MM')


def run(cmd, cwd=None, env=None, timeout=600):
    """Run cmd; return (status, cpu seconds (user+sys), wall seconds, max RSS KiB, stdout, stderr)."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        killed = []

        def kill():
            killed.append(1)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        t = threading.Timer(timeout, kill)
        t.start()
        _, st, ru = os.wait4(p.pid, 0)
        t.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(st)
        fo.seek(0)
        fe.seek(0)
        out = fo.read().decode(errors='replace')
        err = fe.read().decode(errors='replace')
    status = 'timeout' if killed else p.returncode
    return status, ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss, out, err


def syntax_only_cmd(entry, clang):
    """The TU's database command with its outputs removed, as -fsyntax-only."""
    argv = entry.get('arguments') or shlex.split(entry['command'])
    out, skip = [clang], False
    for a in argv[1:]:
        if skip:
            skip = False
            continue
        if a in DEP_FLAGS_WITH_ARG:
            skip = True
            continue
        if a in DEP_FLAGS or (a.startswith('-o') and not a.startswith('-obj')):
            continue
        out.append(a)
    return out + ['-fsyntax-only']


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def relocate(path):
    """A path under another clone's bench/work/ (a committed report names
    the machine it ran on): the same path under this clone's bench/work/."""
    if os.path.exists(path):
        return path
    i = path.find('/bench/work/')
    if i < 0:
        return path
    return os.path.join(REPO, 'bench', 'work', path[i + len('/bench/work/'):])


def load_tus(corpus_json, projects=None):
    doc = json.load(open(corpus_json))
    tus = []
    for p in doc['projects']:
        if projects and p['name'] not in projects:
            continue
        p['db'] = relocate(p['db'])
        p['srcdir'] = relocate(p['srcdir'])
        ccj = os.path.join(p['db'], 'compile_commands.json')
        if not os.path.exists(ccj):
            print('[bench] %s: no compilation database here (%s); run bench/corpus.sh '
                  '--projects %s first; skipped' % (p['name'], ccj, p['name']), flush=True)
            continue
        db = {}
        for e in json.load(open(ccj)):
            db[os.path.normpath(os.path.join(e['directory'], e['file']))] = e
        for r in p['tus']:
            if r['status'] not in ('ok',):
                continue
            path = relocate(r['path'])
            if path not in db:
                continue
            tus.append({'project': p['name'], 'file': r['file'], 'path': path, 'db': p['db'],
                        'extra': p.get('extra_args', []),
                        'srcdir': p['srcdir'], 'entry': db[path]})
    return doc, tus


def med(xs):
    return statistics.median(xs) if xs else float('nan')


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float('nan')
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# ------------------------------------------------------------------ tus
def part_tus(a, tus):
    base_check = a.baseline_check
    res = []
    t_start = time.monotonic()
    for i, tu in enumerate(tus, 1):
        cmds = {
            'pipe': [a.clang_tidy, '--load=' + a.plugin, '-checks=-*,pipe-*', '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']],
            'tidy': [a.clang_tidy, '-checks=-*,' + base_check, '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']],
            'tidy2': [a.clang_tidy, '-checks=-*,' + a.traversing_check, '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']],
            'syntax': syntax_only_cmd(tu['entry'], a.clang),
        }
        samples = {k: [] for k in cmds}
        walls = {k: [] for k in cmds}
        bad = None
        for rnd in range(a.runs + 1):            # round 0 is a warm-up, discarded
            for k, c in cmds.items():
                st, cpu, wall, rss, out, err = run(c, cwd=tu['entry']['directory'], timeout=a.timeout)
                if st not in (0, 1):
                    bad = '%s exit %s' % (k, st)
                if rnd:
                    samples[k].append(cpu)
                    walls[k].append(wall)
        r = {'project': tu['project'], 'file': tu['file']}
        for k in cmds:
            r[k + '_cpu'] = round(med(samples[k]), 4)
            r[k + '_wall'] = round(med(walls[k]), 4)
        r['overhead'] = r['pipe_cpu'] / r['tidy_cpu'] - 1 if r['tidy_cpu'] > 0 else float('nan')
        r['overhead_wall'] = r['pipe_wall'] / r['tidy_wall'] - 1 if r['tidy_wall'] > 0 else float('nan')
        r['overhead2'] = r['pipe_cpu'] / r['tidy2_cpu'] - 1 if r['tidy2_cpu'] > 0 else float('nan')
        r['tidy_vs_syntax'] = r['tidy_cpu'] / r['syntax_cpu'] if r['syntax_cpu'] > 0 else float('nan')
        # The spread of the two runs being compared, to tell noise from cost.
        r['pipe_spread'] = round((max(samples['pipe']) - min(samples['pipe'])) / r['pipe_cpu'], 3)
        r['tidy_spread'] = round((max(samples['tidy']) - min(samples['tidy'])) / r['tidy_cpu'], 3)
        if bad:
            r['error'] = bad
        res.append(r)
        eta = (time.monotonic() - t_start) / i * (len(tus) - i)
        print('[tus %d/%d] %s %s pipe %.3fs tidy %.3fs tidy2 %.3fs syntax %.3fs overhead %+.1f%% / %+.1f%% '
              '(eta %.0fs)%s' % (
                  i, len(tus), tu['project'], tu['file'], r['pipe_cpu'], r['tidy_cpu'], r['tidy2_cpu'],
                  r['syntax_cpu'], 100 * r['overhead'], 100 * r['overhead2'], eta, ('  ** ' + bad) if bad else ''),
              file=sys.stderr, flush=True)
    return res


def callgrind_instr(cmd, cwd, outdir, tag):
    """Instructions executed (Ir) by cmd under callgrind: deterministic."""
    outfile = os.path.join(outdir, 'callgrind.%s.out' % tag)
    st, cpu, wall, rss, out, err = run(['valgrind', '--tool=callgrind', '--callgrind-out-file=' + outfile] + cmd,
                                       cwd=cwd, timeout=3600)
    m = re.search(r'Collected : (\d+)', err)
    if not m:
        m = re.search(r'^summary: (\d+)', open(outfile).read() if os.path.exists(outfile) else '', re.M)
    try:
        os.unlink(outfile)
    except OSError:
        pass
    return int(m.group(1)) if m else None


def part_instr(a, tus, tu_res):
    """Callgrind instruction counts for the pipe and the baseline run of a
    subset of TUs (the ones with the highest measured overhead and an even
    spread over the rest), 2 at a time: counts do not depend on load."""
    if a.instr_tus <= 0:
        return []
    by_file = {(t['project'], t['file']): t for t in tus}
    if not tu_res:   # --parts instr alone: no timings to rank by
        tu_res = [{'project': t['project'], 'file': t['file'], 'overhead': float('nan')} for t in tus]
    ranked = sorted(tu_res, key=lambda r: -r['overhead'] if r['overhead'] == r['overhead'] else 0)
    pick = ranked[:a.instr_tus // 2]
    rest = [r for r in tu_res if r not in pick]
    n = a.instr_tus - len(pick)
    if rest and n > 0:
        step = max(1, len(rest) // n)
        pick += rest[::step][:n]
    os.makedirs(a.workdir, exist_ok=True)
    # valgrind 3.19 (Debian 12) gives up on the DWARF 5 debug info of a
    # clang-19-built plugin ("Possibly corrupted debuginfo file. I can't
    # recover."): count with a copy without debug info (same code).
    plugin = os.path.join(a.workdir, 'plugin-nodebug.so')
    subprocess.run([os.path.join(os.path.dirname(a.clang_tidy), 'llvm-strip'), '--strip-debug', '-o', plugin,
                    a.plugin], check=True)

    def one(r):
        tu = by_file[(r['project'], r['file'])]
        base = [a.clang_tidy, '-checks=-*,' + a.baseline_check, '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']]
        pipe = [a.clang_tidy, '--load=' + plugin, '-checks=-*,pipe-*', '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']]
        tag = '%s-%s' % (r['project'], os.path.basename(r['file']))
        loaded = [a.clang_tidy, '--load=' + plugin, '-checks=-*,' + a.baseline_check, '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']]
        ip = callgrind_instr(pipe, tu['entry']['directory'], a.workdir, tag + '.pipe')
        ib = callgrind_instr(base, tu['entry']['directory'], a.workdir, tag + '.tidy')
        il = callgrind_instr(loaded, tu['entry']['directory'], a.workdir, tag + '.loaded')
        out = {'project': r['project'], 'file': r['file'], 'pipe_instr': ip, 'tidy_instr': ib,
               'loaded_instr': il,
               'overhead': (ip / ib - 1) if ip and ib else None,
               'load_share': (il / ib - 1) if il and ib else None,
               'time_overhead': r['overhead']}
        print('[instr] %s %s %s' % (r['project'], r['file'],
                                    '%+.2f%%' % (100 * out['overhead']) if out['overhead'] is not None else 'FAILED'),
              file=sys.stderr, flush=True)
        return out
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        return list(ex.map(one, pick))


# ------------------------------------------------------------------ scaling
def gen_function(blocks):
    """One C function of about 10*blocks statements: every block creates two
    pipes, forks a writer child, branches, loops, switches, reads, closes
    both pipes and may return early with nothing open. The function ends
    with a pipe whose write end is still open at the return: the one finding
    expected, proof that the function was analysed to the end."""
    L = ['#include <unistd.h>', '#include <stdlib.h>', '',
         'int big(int n, const int *a)', '{',
         '    int p[2], q[2], leak[2], x = 0, i;', '    pid_t pid;', '    char buf[64];']
    for k in range(blocks):
        L += [
            '    if (pipe(p) < 0) return -1;',
            '    if (pipe(q) < 0) { close(p[0]); close(p[1]); return -1; }',
            '    if (a[%d] > %d) { x += %d; } else { x ^= %d; }' % (k % 8, k, k, k + 1),
            '    pid = fork();',
            '    if (pid == 0) { close(p[0]); close(q[1]); if (write(p[1], "x", 1) < 0) _exit(1); _exit(0); }',
            '    close(p[1]); close(q[0]);',
            '    for (i = 0; i < n; i++) { x += i * %d; if (x > 100000) break; }' % (k % 13 + 1),
            '    while (read(p[0], buf, sizeof buf) > 0) x++;',
            '    close(p[0]); close(q[1]);',
            '    if (x == %d) return x;' % (k * 7 + 3),
            '    switch (x & 3) { case 0: x++; break; case 1: x--; break; default: break; }',
        ]
    L += ['    if (pipe(leak) < 0) return -1;',
          '    close(leak[0]);',
          '    return x;   /* leak[1] is still open: the expected finding */',
          '}', '']
    return '\n'.join(L)


def part_scaling(a):
    sizes = [int(s) for s in a.scaling_sizes.split(',')]
    os.makedirs(a.workdir, exist_ok=True)
    rows = []
    for stmts in sizes:
        blocks = max(1, stmts // 11)
        src = os.path.join(a.workdir, 'scale_%d.c' % stmts)
        with open(src, 'w') as f:
            f.write(gen_function(blocks))
        nstmts = blocks * 11 + 3
        cmds = {
            'pipe': [a.clang_tidy, '--load=' + a.plugin, '-checks=-*,pipe-*', '--config={}', src, '--', '-std=gnu11'],
            'tidy': [a.clang_tidy, '-checks=-*,' + a.baseline_check, '--config={}', src, '--', '-std=gnu11'],
        }
        cpu = {k: [] for k in cmds}
        rss = {k: [] for k in cmds}
        found, stats = False, ''
        env = dict(os.environ, PIPE_TIDY_STATS='1')
        for rnd in range(a.scaling_runs + 1):
            for k, c in cmds.items():
                st, c_s, w, r, out, err = run(c, env=env, timeout=a.timeout * 4)
                if st == 'timeout':
                    cpu[k].append(float('inf'))
                    continue
                if rnd:
                    cpu[k].append(c_s)
                    rss[k].append(r)
                if k == 'pipe':
                    found = "'leak[1]'" in out and 'pipe-unclosed-write-end' in out
                    m = re.search(r'pipe-tidy-stats: .*$', err, re.M)
                    stats = m.group(0) if m else ''
        m = re.search(r'elements=(\d+) work=(\d+)( over-budget)?', stats)
        row = {'statements': nstmts, 'lines': gen_function(blocks).count('\n'),
               'pipe_cpu': med(cpu['pipe']), 'tidy_cpu': med(cpu['tidy']),
               'pipe_rss_mb': med(rss['pipe']) / 1024, 'tidy_rss_mb': med(rss['tidy']) / 1024,
               'finding': found, 'elements': int(m.group(1)) if m else None,
               'work': int(m.group(2)) if m else None, 'over_budget': bool(m and m.group(3))}
        row['check_cpu'] = row['pipe_cpu'] - row['tidy_cpu']
        rows.append(row)
        print('[scaling] %d statements: pipe %.2fs tidy %.2fs check %.2fs, RSS %.0f/%.0f MiB, work=%s, '
              'finding %s' % (nstmts, row['pipe_cpu'], row['tidy_cpu'], row['check_cpu'], row['pipe_rss_mb'],
                              row['tidy_rss_mb'], row['work'], 'yes' if found else 'NO'),
              file=sys.stderr, flush=True)
    return rows


# ------------------------------------------------------------------ analyzer
FD_RE = re.compile(r'descriptor|\bpipe|socketpair|\bfork|\bexec|\bfd\b|file handle|leak|opened|not closed|'
                   r'unix\.|Stream|Vfork|StdCLibraryFunctions|Errno', re.I)
DIAG_RE = re.compile(r'^(?P<loc>[^:\n]+:\d+:\d+): warning: (?P<msg>.*?) \[(?P<check>[\w.,-]+)\]$', re.M)


def analyzer_kind(f):
    """Which analyzer findings concern streams, vfork() or descriptors."""
    if 'unix.Stream' in f['check']:
        return 'stream'
    if 'Vfork' in f['check'] or 'insecureAPI.vfork' in f['check']:
        return 'vfork'
    if 'fuchsia.Handle' in f['check'] or re.search(
            r'file descriptor|\bpipe\b|socketpair|\bfork\(|\bdup2?\(', f['message'], re.I):
        return 'fd'
    return None


def slim_analyzer(r):
    """Keep the counts per check and only the related findings (the JSON
    would otherwise carry every buffer-handling warning of the corpus)."""
    if 'findings_by_check' not in r:
        by = {}
        for f in r['findings']:
            by[f['check']] = by.get(f['check'], 0) + 1
        r['findings_by_check'] = by
        r['findings'] = [f for f in r['findings'] if analyzer_kind(f)]
    return r


def part_analyzer(a, tus):
    def one(tu):
        cmd = [a.clang_tidy, '-checks=-*,clang-analyzer-*', '--config={}'] + tu['extra'] + ['-p', tu['db'], tu['path']]
        st, cpu, wall, rss, out, err = run(cmd, cwd=tu['entry']['directory'], timeout=a.timeout)
        finds = []
        for m in DIAG_RE.finditer(out):
            loc = os.path.normpath(m['loc'])
            if loc.startswith(tu['srcdir'] + '/'):
                loc = os.path.relpath(loc, tu['srcdir'])
            finds.append({'loc': loc, 'check': m['check'], 'message': m['msg']})
        r = {'project': tu['project'], 'file': tu['file'], 'status': st, 'cpu': round(cpu, 3),
             'wall': round(wall, 3), 'findings': finds}
        nall = len(finds)
        slim_analyzer(r)
        print('[analyzer] %s %s %.1fs %d findings%s' % (tu['project'], tu['file'], cpu, nall,
                                                        '' if st in (0, 1) else '  ** exit %s' % st),
              file=sys.stderr, flush=True)
        return r
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        return list(ex.map(one, tus))


# ------------------------------------------------------------------ report
def render(a, doc, tu_res, instr, scaling, analyzer, elapsed):
    L = []
    date = datetime.date.today().isoformat()
    L.append('# pipe-tidy benchmark, %s\n' % date)
    L.append('Produced by `bench/benchmark.sh%s`; machine-readable: [`%s`](%s).\n' % (
        ' ' + a.args_line if a.args_line else '', os.path.basename(a.out_json), os.path.basename(a.out_json)))
    L.append('- Machine: %s' % a.machine)
    L.append('- clang-tidy: `%s`; plugin from revision `%s`' % (a.clang_tidy, a.plugin_rev))
    L.append('- TUs: the %d TUs that the corpus run `%s` analysed without error' % (
        len(tu_res), os.path.basename(a.corpus)))
    L.append('- Took %.0f s\n' % elapsed)
    if tu_res:
        ov = [r['overhead'] for r in tu_res]
        ovw = [r['overhead_wall'] for r in tu_res]
        worst = max(tu_res, key=lambda r: r['overhead'])
        sum_pipe = sum(r['pipe_cpu'] for r in tu_res)
        sum_tidy = sum(r['tidy_cpu'] for r in tu_res)
        sum_syn = sum(r['syntax_cpu'] for r in tu_res)
        L.append('## Per-TU overhead of the pipe checks\n')
        L.append('Four commands per TU, run in turn (round-robin, so drift hits all of them alike), one warm-up '
                 'round and %d measured rounds; the figure per command is the median CPU time (user+sys, '
                 'from `wait4`) of its %d runs. `--config={}` keeps every `.clang-tidy` file out:\n' % (a.runs, a.runs))
        L.append('- **pipe**: `clang-tidy --load=<plugin> -checks=-*,pipe-* --config={} -p <db> <file>`')
        L.append('- **tidy**: `clang-tidy -checks=-*,%s --config={} -p <db> <file>` (clang-tidy without the pipe checks: '
                 'the plugin not loaded, one near-zero-cost stock check, since clang-tidy refuses an empty '
                 'check set)' % a.baseline_check)
        L.append('- **tidy2**: `clang-tidy -checks=-*,%s --config={} -p <db> <file>`: clang-tidy with one cheap stock check '
                 'that, unlike the one above, makes clang-tidy walk the whole AST with its matchers' % a.traversing_check)
        L.append('- **syntax**: `clang -fsyntax-only` with the database flags of the TU\n')
        L.append('Overhead = pipe / tidy - 1, per TU (the target\'s figure). `%s` registers no matcher for a C '
                 'file, so for C the tidy command is clang-tidy parsing the file and nothing else, exactly what '
                 'an empty check set would be (clang-tidy refuses `-checks=-*`: "no checks enabled"). Any check '
                 'that uses AST matchers makes clang-tidy traverse the whole AST, system headers included, once, '
                 'and the pipe checks pay that traversal in the first figure. In a real run with other checks the '
                 'traversal is shared, so the **marginal** cost of the pipe checks is overhead2 = pipe / tidy2 - 1.\n'
                 % a.baseline_check)
        L.append('| figure | value |')
        L.append('|---|---:|')
        L.append('| TUs | %d |' % len(tu_res))
        L.append('| **median overhead over TUs** | **%+.1f%%** |' % (100 * med(ov)))
        L.append('| 90th percentile | %+.1f%% |' % (100 * pct(ov, 0.9)))
        L.append('| **worst TU** | **%s `%s`: %+.1f%%** (pipe %.3f s, tidy %.3f s) |' % (
            worst['project'], worst['file'], 100 * worst['overhead'], worst['pipe_cpu'], worst['tidy_cpu']))
        L.append('| best TU | %+.1f%% |' % (100 * min(ov)))
        L.append('| TUs over +5%% / over +50%% | %d / %d |' % (sum(o > 0.05 for o in ov), sum(o > 0.5 for o in ov)))
        ov2 = [r['overhead2'] for r in tu_res]
        worst2 = max(tu_res, key=lambda r: r['overhead2'])
        L.append('| median overhead, wall time | %+.1f%% |' % (100 * med(ovw)))
        L.append('| **median marginal overhead (pipe / tidy2 - 1)** | **%+.1f%%** |' % (100 * med(ov2)))
        L.append('| worst TU, marginal | %s `%s`: %+.1f%% |' % (worst2['project'], worst2['file'], 100 * worst2['overhead2']))
        L.append('| TUs over +5%% / over +50%%, marginal | %d / %d |' % (sum(o > 0.05 for o in ov2), sum(o > 0.5 for o in ov2)))
        L.append('| total CPU: pipe / tidy / syntax | %.1f s / %.1f s / %.1f s |' % (sum_pipe, sum_tidy, sum_syn))
        L.append('| total overhead (sum pipe / sum tidy - 1) | %+.1f%% |' % (100 * (sum_pipe / sum_tidy - 1)))
        L.append('| median tidy / syntax (clang-tidy\'s own cost over parsing) | %.2fx |' % med(
            [r['tidy_vs_syntax'] for r in tu_res]))
        L.append('| median spread of the pipe runs (max-min)/median | %.1f%% |\n' % (
            100 * med([r['pipe_spread'] for r in tu_res])))
        L.append('Per project:\n')
        L.append('| project | TUs | median overhead | median marginal | worst TU | worst overhead | CPU pipe s | CPU tidy s | CPU syntax s |')
        L.append('|---|---:|---:|---:|---|---:|---:|---:|---:|')
        for proj in dict.fromkeys(r['project'] for r in tu_res):
            rs = [r for r in tu_res if r['project'] == proj]
            w = max(rs, key=lambda r: r['overhead'])
            L.append('| %s | %d | %+.1f%% | %+.1f%% | `%s` | %+.1f%% | %.2f | %.2f | %.2f |' % (
                proj, len(rs), 100 * med([r['overhead'] for r in rs]), 100 * med([r['overhead2'] for r in rs]), w['file'], 100 * w['overhead'],
                sum(r['pipe_cpu'] for r in rs), sum(r['tidy_cpu'] for r in rs), sum(r['syntax_cpu'] for r in rs)))
        L.append('\nThe 10 TUs with the highest overhead:\n')
        L.append('| project | TU | pipe s | tidy s | tidy2 s | syntax s | overhead | marginal overhead | spread pipe / tidy |')
        L.append('|---|---|---:|---:|---:|---:|---:|---:|---:|')
        for r in sorted(tu_res, key=lambda r: -r['overhead'])[:10]:
            L.append('| %s | `%s` | %.3f | %.3f | %.3f | %.3f | %+.1f%% | %+.1f%% | %.0f%% / %.0f%% |' % (
                r['project'], r['file'], r['pipe_cpu'], r['tidy_cpu'], r['tidy2_cpu'], r['syntax_cpu'],
                100 * r['overhead'], 100 * r['overhead2'], 100 * r['pipe_spread'], 100 * r['tidy_spread']))
        L.append('')
    if instr:
        L.append('## Instruction counts (callgrind)\n')
        L.append('The machine has no hardware counters (`perf stat -e instructions` is not supported in this '
                 'VM), so instructions are counted with `valgrind --tool=callgrind` for the pipe and the tidy '
                 'command of %d TUs: the %d with the highest time overhead above and an even spread of the '
                 'rest. The counts are deterministic: they repeat exactly and do not depend on machine load.\n'
                 % (len(instr), a.instr_tus // 2))
        L.append('A third count, **loaded**, is the tidy command with the plugin loaded but no pipe check '
                 'enabled (`--load=<plugin> -checks=-*,%s`): it splits the overhead into the cost of loading '
                 'the plugin (a fixed cost per clang-tidy process) and the cost of the checks.\n' % a.baseline_check)
        L.append('| project | TU | instructions pipe | instructions tidy | overhead (instructions) | of which loading the plugin | overhead (time) |')
        L.append('|---|---|---:|---:|---:|---:|---:|')
        fmt = lambda v: '%+.2f%%' % (100 * v) if v is not None else '-'
        for r in sorted(instr, key=lambda r: -(r['overhead'] or 0)):
            L.append('| %s | `%s` | %s | %s | %s | %s | %+.1f%% |' % (
                r['project'], r['file'], '{:,}'.format(r['pipe_instr']) if r['pipe_instr'] else '-',
                '{:,}'.format(r['tidy_instr']) if r['tidy_instr'] else '-',
                fmt(r['overhead']), fmt(r.get('load_share')), 100 * r['time_overhead']))
        ok = [r['overhead'] for r in instr if r['overhead'] is not None]
        if ok:
            ls = [r['load_share'] for r in instr if r.get('load_share') is not None]
            L.append('\nMedian instruction overhead of these TUs: %+.2f%%, maximum %+.2f%%; median share of loading '
                     'the plugin: %+.2f%%.\n' % (100 * med(ok), 100 * max(ok), 100 * med(ls) if ls else float('nan')))
    if scaling:
        L.append('## Scaling: one generated function of growing size\n')
        L.append('`gen_function()` in `bench/lib/bench_run.py` writes one C function of N statements: blocks of '
                 '11 statements that each create two pipes, fork a writer child that `_exit`s, branch, loop, '
                 'switch, read, close both pipes and may return early with nothing open; the function ends '
                 'with a pipe whose write end is open at the `return`, the one expected finding. CPU time is '
                 'the median of %d runs after a warm-up; RSS is the peak (`ru_maxrss`, the figure '
                 '`/usr/bin/time -f %%M` prints). check = pipe - tidy, the cost of the pipe checks alone.\n'
                 % a.scaling_runs)
        L.append('| statements | lines | pipe CPU s | tidy CPU s | check CPU s | check ratio vs previous | size ratio '
                 '| peak RSS pipe / tidy MiB | CFG elements | work | finding at the end |')
        L.append('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
        prev = None
        for r in scaling:
            ratio = (r['check_cpu'] / prev['check_cpu']) if prev and prev['check_cpu'] > 0 else None
            L.append('| %d | %d | %.2f | %.2f | %.2f | %s | %s | %.0f / %.0f | %s | %s | %s |' % (
                r['statements'], r['lines'], r['pipe_cpu'], r['tidy_cpu'], r['check_cpu'],
                '%.2fx' % ratio if ratio else '-',
                '%.1fx' % (r['statements'] / prev['statements']) if prev else '-',
                r['pipe_rss_mb'], r['tidy_rss_mb'], r['elements'], r['work'],
                'yes' if r['finding'] else ('**no (over budget)**' if r['over_budget'] else '**no**')))
            prev = r
        ten = [(x, y) for x in scaling for y in scaling if abs(y['statements'] / x['statements'] - 10) < 0.5]
        if ten:
            L.append('\nTen times the code:\n')
            for x, y in ten:
                L.append('- %d -> %d statements: check CPU %.3f s -> %.3f s = **%.2fx**; work units %s -> %s = %s; '
                         'whole clang-tidy run %.2fx' % (
                             x['statements'], y['statements'], x['check_cpu'], y['check_cpu'],
                             y['check_cpu'] / x['check_cpu'] if x['check_cpu'] > 0 else float('nan'),
                             x['work'], y['work'],
                             '%.2fx' % (y['work'] / x['work']) if x['work'] and y['work'] else '-',
                             y['pipe_cpu'] / x['pipe_cpu']))
            L.append('')
    if analyzer:
        L.append('## clang-analyzer-* on the same TUs\n')
        L.append('`clang-tidy -checks=-*,clang-analyzer-* --config={} -p <db> <file>`, one run per TU, %d in parallel '
                 '(CPU time per process).\n' % a.jobs)
        tot = sum(r['cpu'] for r in analyzer)
        cpu_pipe = {(r['project'], r['file']): r['pipe_cpu'] for r in tu_res}
        both = [(r, cpu_pipe[(r['project'], r['file'])]) for r in analyzer if (r['project'], r['file']) in cpu_pipe]
        L.append('| figure | value |')
        L.append('|---|---:|')
        L.append('| TUs | %d |' % len(analyzer))
        L.append('| total CPU, clang-analyzer-* | %.1f s |' % tot)
        if both:
            L.append('| total CPU, pipe checks (same TUs) | %.1f s |' % sum(p for _, p in both))
            L.append('| median analyzer / pipe-checks time per TU | %.1fx |' % med(
                [r['cpu'] / p for r, p in both if p > 0]))
        L.append('| TUs the analyzer did not finish (timeout %ds) or crashed on | %d |' % (
            a.timeout, sum(r['status'] not in (0, 1) for r in analyzer)))
        analyzer = [slim_analyzer(r) for r in analyzer]
        L.append('| findings, all | %d |' % sum(sum(r['findings_by_check'].values()) for r in analyzer))
        kind = analyzer_kind
        analyzer = [slim_analyzer(r) for r in analyzer]
        rel = [(r, f, kind(f)) for r in analyzer for f in r['findings'] if kind(f)]
        L.append('| findings about `FILE *` streams (unix.Stream) | %d |' % sum(k == 'stream' for _, _, k in rel))
        L.append('| findings about vfork() (unix.Vfork, insecureAPI.vfork) | %d |' % sum(k == 'vfork' for _, _, k in rel))
        L.append('| findings about plain descriptors, pipes, socket pairs, fork/dup | %d |' % sum(k == 'fd' for _, _, k in rel))
        bad = [r for r in analyzer if r['status'] not in (0, 1)]
        for r in bad:
            L.append('| did not finish: %s `%s` | %s |' % (r['project'], r['file'],
                     'killed by signal %d' % -r['status'] if isinstance(r['status'], int) and r['status'] < 0
                     else 'exit %s' % r['status']))
        L.append('')
        by = {}
        for r in analyzer:
            for k, v in r['findings_by_check'].items():
                by[k] = by.get(k, 0) + v
        if by:
            L.append('All analyzer findings by check: ' + ', '.join(
                '`%s` %d' % (k, v) for k, v in sorted(by.items(), key=lambda kv: -kv[1])) + '\n')
        streams = [(r, f) for r, f, k in rel if k != 'vfork']
        if streams:
            L.append('The stream and descriptor findings (the vfork ones only say that vfork() is discouraged or '
                     'that the child does more than exec/_exit):\n')
            for r, f in streams:
                L.append('- %s `%s` %s: %s' % (r['project'], f['loc'], f['check'], f['message']))
            L.append('')
        if not any(k == 'fd' for _, _, k in rel):
            L.append('None is about a descriptor from `pipe()`/`socketpair()`/`dup()`: the analyzer has no checker '
                     'that tracks plain descriptors (`unix.Stream` tracks `FILE *` only), so it cannot report a '
                     'write end left open.\n')
    return '\n'.join(L)


def main():
    ap = argparse.ArgumentParser()
    for k in ('clang-tidy', 'clang', 'plugin', 'plugin-rev', 'corpus', 'machine', 'workdir', 'out-md',
              'out-json'):
        ap.add_argument('--' + k, required=True)
    ap.add_argument('--args-line', default='')
    ap.add_argument('--baseline-check', default='misc-definitions-in-headers')
    ap.add_argument('--traversing-check', default='bugprone-terminating-continue')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--timeout', type=float, default=300)
    ap.add_argument('--projects', default='')
    ap.add_argument('--max-tus', type=int, default=0)
    ap.add_argument('--instr-tus', type=int, default=10)
    ap.add_argument('--scaling-sizes', default='1000,10000,50000,100000')
    ap.add_argument('--scaling-runs', type=int, default=3)
    ap.add_argument('--parts', default='tus,instr,scaling,analyzer')
    ap.add_argument('--render-only', action='store_true',
                    help='re-write the Markdown from --out-json without measuring again')
    a = ap.parse_args()
    if a.render_only:
        out = json.load(open(a.out_json))
        doc = json.load(open(a.corpus))
        for k in ('runs', 'clang_tidy', 'plugin_rev', 'machine', 'args_line', 'instr_tus', 'scaling_runs', 'jobs', 'timeout',
                  'baseline_check', 'traversing_check'):
            if k in out:
                setattr(a, k, out[k])
        out['analyzer'] = [slim_analyzer(r) for r in out['analyzer']]
        with open(a.out_json + '.tmp', 'w') as f:
            json.dump(out, f, indent=1, default=str)
        os.replace(a.out_json + '.tmp', a.out_json)
        with open(a.out_md + '.tmp', 'w') as f:
            f.write(render(a, doc, out['tus'], out['instructions'], out['scaling'], out['analyzer'],
                           out['elapsed_s']))
        os.replace(a.out_md + '.tmp', a.out_md)
        return
    parts = a.parts.split(',')
    doc, tus = load_tus(a.corpus, a.projects.split() or None)
    if a.max_tus and len(tus) > a.max_tus:
        step = len(tus) / a.max_tus
        tus = [tus[int(i * step)] for i in range(a.max_tus)]
    t0 = time.monotonic()
    tu_res = part_tus(a, tus) if 'tus' in parts else []
    instr = part_instr(a, tus, tu_res) if 'instr' in parts else []
    scaling = part_scaling(a) if 'scaling' in parts else []
    analyzer = part_analyzer(a, tus) if 'analyzer' in parts else []
    elapsed = time.monotonic() - t0
    out = {'date': datetime.datetime.now().isoformat(timespec='seconds'), 'machine': a.machine,
           'clang_tidy': a.clang_tidy, 'plugin_rev': a.plugin_rev, 'corpus': os.path.basename(a.corpus),
           'runs': a.runs, 'baseline_check': a.baseline_check, 'elapsed_s': round(elapsed, 1),
           'args_line': a.args_line, 'instr_tus': a.instr_tus, 'scaling_runs': a.scaling_runs, 'jobs': a.jobs,
           'timeout': a.timeout, 'traversing_check': a.traversing_check,
           'tus': tu_res, 'instructions': instr, 'scaling': scaling, 'analyzer': analyzer}
    with open(a.out_json + '.tmp', 'w') as f:
        json.dump(out, f, indent=1, default=str)
    os.replace(a.out_json + '.tmp', a.out_json)
    with open(a.out_md + '.tmp', 'w') as f:
        f.write(render(a, doc, tu_res, instr, scaling, analyzer, elapsed))
    os.replace(a.out_md + '.tmp', a.out_md)
    print('benchmark: %s' % a.out_md, file=sys.stderr)


if __name__ == '__main__':
    main()
