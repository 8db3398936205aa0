#!/usr/bin/env python3
"""Compare Safeguard's SBOMs with syft's and osv-scanner's on the same files.

For every dependency format Safeguard reads, the fixture is copied alone
into a temporary directory and each tool writes CycloneDX JSON for it.
The table counts, per tool: PyPI components found, those with a version
(and of those, versions that are really ranges from unpinned lines), hash
values, dependency edges between components (and from the root), and
components with a licence or a non-required scope.

    python3 scripts/compare-peers.py [--safeguard bin/safeguard]
        [--syft syft] [--osv-scanner osv-scanner]

A tool that is not installed is left out. Nothing is fetched: osv-scanner
runs with --offline-vulnerabilities against an empty local database.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T = os.path.join(ROOT, "internal", "deps", "testdata")

# label -> list of (source, name in the fixture directory)
FIXTURES = {
    "requirements.txt": [(f"{T}/reqs/requirements.txt", "requirements.txt"), (f"{T}/reqs/base.txt", "base.txt"),
                         (f"{T}/reqs/constraints.txt", "constraints.txt")],
    "pyproject.toml (PEP 621/735)": [(f"{ROOT}/internal/sbom/testdata/project/pyproject.toml", "pyproject.toml")],
    "setup.cfg": [(f"{T}/project/setup.cfg", "setup.cfg")],
    "uv.lock": [(f"{T}/uv/uv.lock", "uv.lock")],
    "poetry.lock 1.x": [(f"{T}/poetry/poetry-1.lock", "poetry.lock")],
    "poetry.lock 2.x": [(f"{T}/poetry/poetry-2.lock", "poetry.lock")],
    "Pipfile.lock": [(f"{T}/locks/Pipfile.lock", "Pipfile.lock")],
    "pdm.lock": [(f"{T}/locks/pdm.lock", "pdm.lock")],
    "pylock.toml": [(f"{T}/locks/pylock.toml", "pylock.toml")],
}

RANGE_CHARS = set("<>=~!*^,")


def wheel(dist, name, version, requires=(), license_expr=""):
    """Write a minimal pure wheel; returns its path."""
    tag = f"{name}-{version}"
    path = os.path.join(dist, f"{tag}-py3-none-any.whl")
    meta = f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n"
    if license_expr:
        meta += f"License-Expression: {license_expr}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}/__init__.py", "")
        z.writestr(f"{tag}.dist-info/METADATA", meta)
        z.writestr(f"{tag}.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: compare\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{tag}.dist-info/RECORD", "")
    return path


def make_venv(dir):
    """A real virtualenv with two offline wheels, alpha requiring beta."""
    dist = os.path.join(dir, "dist")
    os.makedirs(dist)
    wheel(dist, "alpha", "1.0", ["beta>=2"], "MIT")
    wheel(dist, "beta", "2.1", [], "Apache-2.0")
    venv = os.path.join(dir, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", os.path.join(venv, "bin", "python"), "install", "--quiet",
                    "--no-index", "--find-links", dist, "alpha"], check=True)
    return venv


def run(cmd, timeout=300):
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p, time.monotonic() - start


def tools(args, empty_db):
    """name -> function(target dir or file, output path) -> ok."""
    out = {}
    if shutil.which(args.safeguard) or os.path.exists(args.safeguard):
        def sg(target, dest):
            p, _ = run([args.safeguard, "--data-dir", empty_db, "sbom", "-o", dest, target])
            return p.returncode == 0, p.stderr
        out["safeguard"] = sg
    if shutil.which(args.syft):
        def syft(target, dest):
            kind = "dir:" if os.path.isdir(target) else "file:"
            p, _ = run([args.syft, "scan", kind + target, "-q", "-o", "cyclonedx-json=" + dest])
            return p.returncode == 0, p.stderr
        out["syft"] = syft
    if shutil.which(args.osv_scanner):
        def osv(target, dest):
            env = dict(os.environ, OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=os.path.join(empty_db, "osv"))
            # Its CycloneDX output lists only vulnerable packages; JSON with
            # --all-packages lists every one (name, version, groups).
            cmd = [args.osv_scanner, "scan", "source", "--offline", "--no-resolve", "--format", "json", "--all-packages",
                   "--output", dest, "--allow-no-lockfiles"]
            cmd += ["-r", target] if os.path.isdir(target) else ["-L", target]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
            # exit 1 means vulnerabilities found, 128 no packages; both still write output
            return os.path.exists(dest) and p.returncode in (0, 1, 128), p.stderr
        out["osv-scanner"] = osv
    return out


def metrics(path):
    with open(path) as f:
        bom = json.load(f)
    if "results" in bom:
        return osv_metrics(bom)
    root = (bom.get("metadata") or {}).get("component") or {}
    comps = [c for c in bom.get("components") or [] if (c.get("purl") or "").startswith("pkg:pypi/") and c.get("bom-ref") != root.get("bom-ref")]
    refs = {c.get("bom-ref") for c in comps}
    versioned = [c for c in comps if c.get("version")]
    ranges = [c for c in versioned if RANGE_CHARS & set(c["version"])]
    hashes = sum(len(c.get("hashes") or []) for c in comps)
    edges = root_edges = 0
    for d in bom.get("dependencies") or []:
        on = [r for r in d.get("dependsOn") or [] if r in refs]
        if d.get("ref") in refs:
            edges += len(on)
        elif d.get("ref") == root.get("bom-ref"):
            root_edges += len(on)
    licensed = sum(1 for c in comps if c.get("licenses"))
    optional = sum(1 for c in comps if c.get("scope") in ("optional", "excluded"))
    return dict(packages=len(comps), versions=len(versioned), ranges=len(ranges), hashes=hashes, edges=edges,
                root_edges=root_edges, licences=licensed, optional=optional)


def osv_metrics(out):
    """Counts from osv-scanner's JSON: it records packages, versions and
    dependency groups, not hashes, edges or licences."""
    pkgs = [p for r in out.get("results") or [] for p in r.get("packages") or []
            if (p.get("package") or {}).get("ecosystem") == "PyPI"]
    versioned = [p for p in pkgs if p["package"].get("version")]
    ranges = [p for p in versioned if RANGE_CHARS & set(p["package"]["version"])]
    optional = sum(1 for p in pkgs if p.get("dependency_groups") or p.get("depGroups"))
    return dict(packages=len(pkgs), versions=len(versioned), ranges=len(ranges), hashes=0, edges=0, root_edges=0,
                licences=0, optional=optional)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--safeguard", default=os.path.join(ROOT, "bin", "safeguard"))
    ap.add_argument("--syft", default="syft")
    ap.add_argument("--osv-scanner", default="osv-scanner")
    ap.add_argument("--big", action="store_true", help="also time each tool on a generated 7 MB uv.lock")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty_db = os.path.join(tmp, "data")
        os.makedirs(os.path.join(empty_db, "osv", "osv-scanner", "PyPI"))
        with zipfile.ZipFile(os.path.join(empty_db, "osv", "osv-scanner", "PyPI", "all.zip"), "w"):
            pass
        available = tools(args, empty_db)
        if not available:
            sys.exit("no tool found")
        targets = {}
        for label, files in FIXTURES.items():
            d = os.path.join(tmp, "fx", label.split()[0])
            os.makedirs(d, exist_ok=True)
            for src, name in files:
                shutil.copy(src, os.path.join(d, name))
            targets[label] = d if len(files) > 1 else os.path.join(d, files[0][1])
        try:
            targets["virtualenv (pip-installed)"] = make_venv(os.path.join(tmp, "env"))
        except (subprocess.CalledProcessError, OSError) as e:
            print(f"virtualenv fixture skipped: {e}", file=sys.stderr)
        cols = ["packages", "versions", "ranges", "hashes", "edges", "root_edges", "licences", "optional"]
        print("| format | tool | " + " | ".join(cols) + " |")
        print("|---|---|" + "---|" * len(cols))
        for label, target in targets.items():
            for name, fn in available.items():
                dest = os.path.join(tmp, f"{name}-{abs(hash(label))}.json")
                ok, err = fn(target, dest)
                if not ok or not os.path.exists(dest):
                    why = err.strip().splitlines()[-1] if err.strip() else "?"
                    if "could not determine extractor" in why:
                        why = "format not read"
                    print(f"| {label} | {name} | {why} |")
                    continue
                m = metrics(dest)
                print(f"| {label} | {name} | " + " | ".join(str(m[c]) for c in cols) + " |")
        if args.big:
            timing(available, os.path.join(tmp, "big"), args.runs)


def timing(available, dir, runs):
    """Median wall time of each tool on a generated 7 MB uv.lock."""
    os.makedirs(dir)
    lock = os.path.join(dir, "uv.lock")
    with open(lock, "wb") as f:
        subprocess.run(["go", "run", "./internal/deps/depstest/genuvlock"], cwd=ROOT, stdout=f, check=True)
    print(f"\n{os.path.getsize(lock) / 1e6:.1f} MB uv.lock, median of {runs} runs (wall seconds)\n")
    print("| tool | median | runs | packages | edges | hashes |")
    print("|---|---|---|---|---|---|")
    for name, fn in available.items():
        times = []
        dest = os.path.join(dir, name + ".json")
        for _ in range(runs):
            start = time.monotonic()
            ok, err = fn(lock, dest)
            times.append(time.monotonic() - start)
            if not ok:
                break
        if not ok:
            print(f"| {name} | failed | | | | |")
            continue
        m = metrics(dest)
        print(f"| {name} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} | {m['packages']} | {m['edges']} | {m['hashes']} |")


if __name__ == "__main__":
    main()
