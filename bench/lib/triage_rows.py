#!/usr/bin/python3
"""triage_rows.py CORPUS.json [triage.md]: print a bench/triage.md table row
for every finding of a corpus run that triage.md does not list yet, with the
verdict and the reason left to fill in ("?").

    /usr/bin/python3 bench/lib/triage_rows.py bench/results/corpus-DATE.json bench/triage.md
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_run import END_RE, finding_key, load_triage, unique_findings  # noqa: E402

doc = json.load(open(sys.argv[1]))
known = load_triage(sys.argv[2] if len(sys.argv) > 2 else '')
n = 0
for p in doc['projects']:
    for f in unique_findings(p):
        key = finding_key(p['name'], f)
        if key in known:
            continue
        n += 1
        msg = f['message'].split(';')[0].replace('|', '\\|')
        print('| %d | %s | `%s` | %s | `%s` | %s | ? | ? |' % (n, p['name'], f['loc'], f['check'], key[3], msg))
