#!/usr/bin/env bash
# Build a benign check set from Debian's python3-* packages and scan it:
# run.sh OUT_DIR [N [SEED]]. With SEED it takes N random packages whose
# names are not in the PyPI ranking (a held-out set) instead of the N most
# popular. Needs apt (Debian), dpkg-deb and python3; nothing from the
# packages is run or imported. See README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: run.sh OUT_DIR [N [SEED]]}
n=${2:-700}
pick=()
if [ -n "${3:-}" ]; then pick=(--unranked "$3"); fi
shared=${SAFEGUARD_SHARED:-$root/../shared}
mkdir -p "$out/debs" "$out/wheels"
python3 "$here/pick.py" "${pick[@]}" "$shared/data/top-pypi-packages.csv" "$n" \
  "$shared/corpus/benign-wheel-dev" "$shared/corpus/benign-wheel-dev-extra" > "$out/selected.tsv"
cut -f1 "$out/selected.tsv" | xargs -n 50 sh -c 'cd "$0" && apt-get download "$@" > /dev/null 2>&1 || for p in "$@"; do apt-get download "$p" > /dev/null 2>&1 || echo "not downloaded: $p" >&2; done' "$out/debs"
python3 "$here/debs2wheels.py" --manifest "$out/wheels_manifest.csv" "$out/selected.tsv" "$out/debs" "$out/wheels"
(cd "$root" && go build -o bin/safeguard ./cmd/safeguard)
"$root/bin/safeguard" eval --benign "$out/wheels" --verdicts "$out/verdicts.tsv"
