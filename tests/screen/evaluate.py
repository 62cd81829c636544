#!/usr/bin/python3
"""Precision and recall of name screening on tests/screen/pairs.tsv (docs/screening.md).
usage: evaluate.py PAIRS SCREEN_JSONL LIST_JSONL... [--min-precision P] [--min-recall R]
A pair counts as found when a candidate at or above the match threshold with the best score
is the expected entry (entries the lists give the same name tie), or a list entry that is
one party with it (the same id, or an identifier shared across list files, as sanx merges
them). Prints the figures per kind of pair; exits 1
when a floor is not met."""
import json, sys
from collections import defaultdict

args = sys.argv[1:]
floors = {}
for flag in ('--min-precision', '--min-recall'):
    if flag in args:
        i = args.index(flag)
        floors[flag] = float(args[i + 1])
        del args[i:i + 2]
pairs_path, screened_path, lists = args[0], args[1], args[2:]

parent = {}
def find(x):
    parent.setdefault(x, x)
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
holders = defaultdict(set)
for path in lists:
    with open(path, encoding='utf-8') as f:
        for line in f:
            e = json.loads(line)
            find(e['id'])
            ids = e.get('identifiers', []) + e.get('attributes', {}).get('identifiers', [])
            for i in ids:
                if i.get('type') != 'kpp':
                    holders[(i['type'], i['value'].replace(' ', '').upper())].add((path, e['id']))
for held in holders.values():
    files = {p for p, _ in held}
    if len(held) > 1 and len(files) == len(held):
        ids = [i for _, i in held]
        for i in ids[1:]:
            parent[find(i)] = find(ids[0])

pairs = []
with open(pairs_path, encoding='utf-8') as f:
    for line in f:
        if line.startswith('#') or not line.strip():
            continue
        pairs.append(line.rstrip('\n').split('\t'))
best = {}
possible = set()
with open(screened_path, encoding='utf-8') as f:
    for line in f:
        p = json.loads(line)
        matches = [c for c in p['candidates'] if c['decision'] == 'match']
        top = [c['list_id'] for c in matches if c['score'] == matches[0]['score']]
        best[p['entity']] = top
        if any(c['decision'] == 'possible' for c in p['candidates']) and not matches:
            possible.add(p['entity'])

stats = defaultdict(lambda: [0, 0, 0, 0])  # tp, fp, fn, possible
misses = []
for n, (query, expected, kind, *_rest) in enumerate(pairs):
    top = best.get('p%d' % n) or []
    hit = [g for g in top if expected != '-' and find(g) == find(expected)]
    got = hit[0] if hit else (top[0] if top else None)
    s = stats[kind]
    if ('p%d' % n) in possible:
        s[3] += 1
    if expected == '-':
        if got:
            s[1] += 1
            misses.append('false match  %-28s %s -> %s' % (kind, query, got))
    elif got and find(got) == find(expected):
        s[0] += 1
    else:
        s[2] += 1
        if got:
            s[1] += 1
        misses.append('%s %-28s %s -> %s (expected %s)' % (
            'wrong match ' if got else 'not found   ', kind, query, got, expected))
tp = sum(s[0] for s in stats.values())
fp = sum(s[1] for s in stats.values())
fn = sum(s[2] for s in stats.values())
print('%-28s %5s %5s %5s %9s' % ('kind', 'found', 'false', 'missed', 'possible'))
for kind in sorted(stats):
    s = stats[kind]
    print('%-28s %5d %5d %5d %9d' % (kind, s[0], s[1], s[2], s[3]))
precision = tp / (tp + fp) if tp + fp else 1.0
recall = tp / (tp + fn) if tp + fn else 1.0
print('%d pairs: precision %.4f, recall %.4f' % (len(pairs), precision, recall))
for m in misses:
    print('  ' + m)
ok = precision >= floors.get('--min-precision', 0) and recall >= floors.get('--min-recall', 0)
if not ok:
    print('FAIL below the floors (precision >= %.2f, recall >= %.2f)' % (
        floors.get('--min-precision', 0), floors.get('--min-recall', 0)))
sys.exit(0 if ok else 1)
