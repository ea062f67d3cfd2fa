#!/usr/bin/python3
"""retriage.py CORPUS.json [triage.md]: apply the verdicts of triage.md to a
corpus run's results and rewrite its .json and .md (the counts, actionable
rate and duplicates included), without re-running the analysis: for the
run's report after its findings were triaged.

    /usr/bin/python3 bench/lib/retriage.py bench/results/corpus-DATE.json bench/triage.md
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_run import finding_key, load_triage, render_md, summarise  # noqa: E402

path = sys.argv[1]
triage = load_triage(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', 'triage.md'))
doc = json.load(open(path))
for p in doc['projects']:
    for r in p['tus']:
        for f in r['findings']:
            t = triage.get(finding_key(p['name'], f), {})
            f['verdict'] = t.get('verdict', 'untriaged')
            f['actionable'] = t.get('actionable')
            f['defect'] = t.get('defect', '')
            f['reason'] = t.get('reason', '')
doc['summary'] = summarise(doc['projects'])
with open(path + '.tmp', 'w') as f:
    json.dump(doc, f, indent=1)
os.replace(path + '.tmp', path)
md = path[:-len('.json')] + '.md'
with open(md + '.tmp', 'w') as f:
    f.write(render_md(doc, os.path.basename(path)))
os.replace(md + '.tmp', md)
t = doc['summary']['total']
print('%s: %d findings, %d untriaged, actionable %s of %s (%s%%), %d distinct defects' % (
    md, t['unique_findings'], t['untriaged'], t['actionable'], t['actionable'] + t['not_actionable'],
    t['actionable_rate'], t['defects']))
