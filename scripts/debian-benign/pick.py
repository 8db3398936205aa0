#!/usr/bin/env python3
"""Select Debian python3-* binary packages to repack as benign wheels.

Usage: pick.py [--unranked SEED] TOP_PYPI_CSV N [CORPUS_WHEEL_DIR ...] > selected.tsv

Ranks the python3-* packages apt knows by the PyPI download ranking in
TOP_PYPI_CSV (../shared/data/top-pypi-packages.csv: download_count,project),
drops -dbg and -doc packages and projects already in the given wheel
directories, and prints the N most popular as
<deb package>\t<normalised name>\t<rank>.

With --unranked SEED it prints N packages whose names are *not* in the
ranking instead, drawn at random with SEED (rank 0): less popular code
that a set built from the ranking never held, for a held-out check.
"""
import csv
import os
import random
import re
import subprocess
import sys


def norm(s):
    return re.sub(r'[-_.]+', '-', s).lower()


def main():
    args = sys.argv[1:]
    seed = None
    if args[:1] == ['--unranked']:
        seed, args = int(args[1]), args[2:]
    top, n, dirs = args[0], int(args[1]), args[2:]
    rank = {}
    with open(top) as f:
        for i, row in enumerate(csv.DictReader(f)):
            rank.setdefault(norm(row['project']), i + 1)
    existing = set()
    for d in dirs:
        for fn in os.listdir(d):
            if fn.endswith('.whl'):
                m = re.match(r'^(.*?)-(?=\d|[0-9a-f]{8,})', fn[:-4])
                existing.add(norm(m.group(1) if m else fn[:-4]))
        mf = os.path.join(d, 'MANIFEST.csv')
        if os.path.exists(mf):
            with open(mf) as f:
                for row in csv.DictReader(f):
                    for k in ('pypi_name', 'dist_name'):
                        if row.get(k):
                            existing.add(norm(row[k]))
    out = subprocess.run(['apt-cache', 'search', '--names-only', '^python3-'], capture_output=True, text=True, check=True).stdout
    cands = []
    for line in out.splitlines():
        pkg = line.split(' - ')[0].strip()
        if not pkg.startswith('python3-') or pkg.endswith(('-dbg', '-doc')):
            continue
        name = norm(pkg[len('python3-'):])
        if name in existing:
            continue
        if seed is None and name in rank:
            cands.append((rank[name], pkg, name))
        elif seed is not None and name not in rank:
            cands.append((0, pkg, name))
    cands.sort()
    if seed is not None:
        random.Random(seed).shuffle(cands)
    for r, pkg, name in cands[:n]:
        print(f'{pkg}\t{name}\t{r}')


if __name__ == '__main__':
    main()
