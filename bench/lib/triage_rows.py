#!/usr/bin/python3
"""triage_rows.py [--all] CORPUS.json [triage.md]: print a bench/triage.md table
row for every finding of a corpus run that triage.md does not list yet (with
--all: every finding, for a new run's table), with the verdict, actionable,
defect and reason cells left to fill in ("?"; with --all, a verdict an
earlier table gave is shown as a hint).

    /usr/bin/python3 bench/lib/triage_rows.py bench/results/corpus-DATE.json bench/triage.md
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_run import finding_key, load_triage, unique_findings  # noqa: E402

args = sys.argv[1:]
every = '--all' in args
args = [a for a in args if a != '--all']
doc = json.load(open(args[0]))
known = load_triage(args[1] if len(args) > 1 else '')
n = 0
for p in doc['projects']:
    for f in unique_findings(p):
        key = finding_key(p['name'], f)
        if key in known and not every:
            continue
        n += 1
        msg = f['message'].split(';')[0].replace('|', '\\|')
        hint = ('? (was: %s)' % known[key]['verdict']) if key in known else '?'
        print('| %d | %s | `%s` | %s | `%s` | %s | %s | ? | ? | ? |' % (
            n, p['name'], f['loc'], f['check'], key[3], msg, hint))
