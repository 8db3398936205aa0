#!/usr/bin/env python3
"""Repack Debian python3-* binary packages (.deb) as py3-none-any wheels.

Usage: debs2wheels.py [--jobs N] SELECTED_TSV DEB_DIR OUT_DIR

SELECTED_TSV lines: <deb package>\t<normalised pypi name>\t<rank>

For each .deb: dpkg-deb -x into a temporary directory,
zip the contents of usr/lib/python3/dist-packages (excluding __pycache__ and
*.pyc) into OUT_DIR/<name>-<version>-py3-none-any.whl, with a dist-info whose
RECORD matches the zipped files.  Nothing from the package is executed or
imported; files are only read as bytes.

Symlinks: followed only if they resolve (relative to the extracted tree) to an
existing file/dir inside the extracted tree; links pointing into other
packages (absent) or out of the tree are skipped and counted.
"""
import argparse
import base64
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor

TMP_BASE = tempfile.gettempdir()
DP = 'usr/lib/python3/dist-packages'


def norm(s):
    return re.sub(r'[-_.]+', '-', s).lower()


def wheel_escape(s):
    # PEP 427 file-name component escaping
    return re.sub(r'[^\w\d.+~]+', '_', s, flags=re.UNICODE)


def rec_hash(data):
    d = hashlib.sha256(data).digest()
    return 'sha256=' + base64.urlsafe_b64encode(d).rstrip(b'=').decode()


def deb_field(deb, field):
    return subprocess.run(['dpkg-deb', '-f', deb, field], capture_output=True,
                          text=True, check=True).stdout.strip()


def upstream_version(v):
    if ':' in v:
        v = v.split(':', 1)[1]
    if '-' in v:
        v = v.rsplit('-', 1)[0]
    return v


def resolve_in_root(path, root):
    """Resolve symlink `path` without ever leaving `root`. Returns real path or None."""
    target = os.readlink(path)
    if os.path.isabs(target):
        cand = os.path.join(root, target.lstrip('/'))
    else:
        cand = os.path.join(os.path.dirname(path), target)
    real = os.path.realpath(cand)
    rroot = os.path.realpath(root)
    if real != rroot and not real.startswith(rroot + os.sep):
        return None
    if not os.path.exists(real):
        return None
    return real


def collect(dp, root):
    """Return (list of (arcname, bytes, mode)), skipped_symlinks)."""
    files = []
    skipped = []

    def walk(real_dir, arc_prefix, depth):
        if depth > 20:
            return
        for name in sorted(os.listdir(real_dir)):
            if name == '__pycache__' or name.endswith('.pyc'):
                continue
            p = os.path.join(real_dir, name)
            arc = arc_prefix + name
            if os.path.islink(p):
                r = resolve_in_root(p, root)
                if r is None:
                    skipped.append(arc)
                    continue
                p = r
            if os.path.isdir(p):
                walk(p, arc + '/', depth + 1)
            elif os.path.isfile(p):
                with open(p, 'rb') as fh:
                    data = fh.read()
                files.append((arc, data, os.stat(p).st_mode & 0o777))
    walk(dp, '', 0)
    return files, skipped


META_RE = re.compile(r'^(?P<name>[^/]+?)(?:-(?P<ver>[^/-]+?))?(?:-py\d[\d.]*)?\.(?P<kind>dist-info|egg-info)$')


def convert(deb, pypi_name, outdir):
    info = {'deb': os.path.basename(deb), 'pypi_name': pypi_name}
    pkg = deb_field(deb, 'Package')
    debver = deb_field(deb, 'Version')
    info.update(deb_package=pkg, deb_version=debver)
    os.makedirs(TMP_BASE, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=pkg + '.', dir=TMP_BASE)
    try:
        subprocess.run(['dpkg-deb', '-x', deb, tmp], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dp = os.path.join(tmp, DP)
        if not os.path.isdir(dp):
            info['status'] = 'skip:no-dist-packages'
            return info
        files, skipped = collect(dp, tmp)
        info['skipped_symlinks'] = len(skipped)
        if not files:
            info['status'] = 'skip:empty-dist-packages'
            return info

        # metadata dirs (top level only)
        tops = sorted({f[0].split('/', 1)[0] for f in files})
        metas = []
        for t in tops:
            m = META_RE.match(t)
            if m:
                metas.append((t, m.group('name'), m.group('ver'), m.group('kind')))
        dists = [m for m in metas if m[3] == 'dist-info']
        eggs = [m for m in metas if m[3] == 'egg-info']

        def pick(lst):
            for m in lst:
                if norm(m[1]) == pypi_name:
                    return m
            return lst[0] if len(lst) == 1 else (lst[0] if lst else None)

        main_dist = pick(dists) if dists else None
        main_egg = pick(eggs) if eggs else None
        src = main_dist or main_egg
        dist_name = src[1] if src else pypi_name
        version = (src[2] if src and src[2] else None) or upstream_version(debver)
        info['version_from'] = (src[3] if src and src[2] else 'deb')
        wname = wheel_escape(norm(dist_name).replace('-', '_')) if src else pypi_name.replace('-', '_')
        wver = wheel_escape(version)
        whl = f'{wname}-{wver}-py3-none-any.whl'
        info.update(dist_name=dist_name, version=version, file=whl)

        if main_dist:
            di = main_dist[0]
            # drop stale RECORDs of the main dist-info and any other dist-info dirs
            files = [f for f in files
                     if not (f[0].endswith('.dist-info/RECORD') and f[0].split('/', 1)[0] in [d[0] for d in dists])]
            have = {f[0] for f in files}
            if f'{di}/WHEEL' not in have:
                files.append((f'{di}/WHEEL', wheel_file(), 0o644))
                info['added'] = 'WHEEL'
            if f'{di}/METADATA' not in have:
                files.append((f'{di}/METADATA', metadata_file(dist_name, version), 0o644))
                info['added'] = info.get('added', '') + '+METADATA'
            info['dist_info'] = 'existing'
        else:
            di = f'{wname}-{wver}.dist-info'
            files.append((f'{di}/METADATA', metadata_file(dist_name, version), 0o644))
            files.append((f'{di}/WHEEL', wheel_file(), 0o644))
            info['dist_info'] = 'created' + ('(egg-info kept)' if main_egg else '')

        # ordering: everything else, then dist-info contents (RECORD last)
        files.sort(key=lambda f: (f[0].startswith(di + '/'), f[0]))
        rec = io.StringIO()
        w = csv.writer(rec, lineterminator='\n')
        for arc, data, _ in files:
            w.writerow([arc, rec_hash(data), len(data)])
        w.writerow([f'{di}/RECORD', '', ''])
        files.append((f'{di}/RECORD', rec.getvalue().encode(), 0o644))

        out = os.path.join(outdir, whl)
        part = out + '.part'
        with zipfile.ZipFile(part, 'w', zipfile.ZIP_DEFLATED) as zf:
            for arc, data, mode in files:
                zi = zipfile.ZipInfo(arc, date_time=(2023, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = ((0o100000 | (mode or 0o644)) << 16)
                zf.writestr(zi, data)
        os.replace(part, out)
        info['n_files'] = len(files)
        info['n_py_files'] = sum(1 for f in files if f[0].endswith('.py'))
        info['py_bytes'] = sum(len(f[1]) for f in files if f[0].endswith('.py'))
        info['has_pth'] = 'yes' if any(f[0].endswith('.pth') and '/' not in f[0] for f in files) else 'no'
        info['has_so'] = 'yes' if any(re.search(r'\.so(\.|$)', f[0]) for f in files) else 'no'
        info['bytes'] = os.path.getsize(out)
        info['status'] = 'ok'
        return info
    except Exception as e:  # noqa
        info['status'] = f'error:{type(e).__name__}:{e}'
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def wheel_file():
    return (b'Wheel-Version: 1.0\nGenerator: debian-repack\n'
            b'Root-Is-Purelib: true\nTag: py3-none-any\n')


def metadata_file(name, version):
    return f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n'.encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('selected')
    ap.add_argument('debdir')
    ap.add_argument('outdir')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--manifest', default='wheels_manifest.csv')
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    debs = {}
    for fn in os.listdir(a.debdir):
        if fn.endswith('.deb'):
            debs.setdefault(fn.split('_', 1)[0], os.path.join(a.debdir, fn))
    jobs = []
    with open(a.selected) as f:
        for line in f:
            pkg, name, rank = line.rstrip('\n').split('\t')
            if pkg in debs:
                jobs.append((pkg, name, int(rank)))
            else:
                print(f'missing deb: {pkg}', file=sys.stderr)
    results = []
    with ProcessPoolExecutor(a.jobs) as ex:
        futs = [(j, ex.submit(convert, debs[j[0]], j[1], a.outdir)) for j in jobs]
        for (pkg, name, rank), fu in futs:
            r = fu.result()
            r['rank'] = rank
            results.append(r)
            print(f"{r['status']:30} {pkg} -> {r.get('file', '')}", flush=True)
    # duplicate wheel file names: keep first (higher-ranked), mark others
    seen = set()
    for r in results:
        if r['status'] == 'ok':
            if r['file'] in seen:
                r['status'] = 'dup-filename(overwritten)'
            seen.add(r['file'])
    cols = ['file', 'deb_package', 'deb_version', 'pypi_name', 'rank', 'dist_name', 'version',
            'version_from', 'dist_info', 'n_files', 'n_py_files', 'py_bytes', 'has_pth', 'has_so',
            'skipped_symlinks', 'bytes', 'status']
    with open(a.manifest, 'w', newline='') as f:
        w = csv.DictWriter(f, cols, extrasaction='ignore')
        w.writeheader()
        for r in results:
            w.writerow(r)


if __name__ == '__main__':
    main()
