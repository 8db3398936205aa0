"""Writes golden.json: how Python's `packaging` (the copy vendored in pip)
parses PEP 508 requirements, evaluates markers and matches specifiers.
The Go tests compare against it. Legacy (non-PEP 440) specifiers, which
this older copy accepts and packaging 22+ refuses, are recorded as errors. Run: python3 gen_golden.py > golden.json
"""
import json
from pip._vendor.packaging.requirements import Requirement, InvalidRequirement
from pip._vendor.packaging.markers import Marker, InvalidMarker, UndefinedComparison
from pip._vendor.packaging.specifiers import SpecifierSet, InvalidSpecifier, LegacySpecifier

REQS = [
    "requests", "Requests>=2.8.1", "requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"",
    "name>=3", "name>=3,<2", "name@http://foo.com", "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
    "name[quux, strange];python_version<'2.7' and platform_version=='2'", "name; os_name=='a' or os_name=='b'",
    "name; os_name=='a' and os_name=='b' or os_name=='c'", "name; os_name=='a' and (os_name=='b' or os_name=='c')",
    "name; os_name=='a' or os_name=='b' and os_name=='c'", "name; (os_name=='a' or os_name=='b') and os_name=='c'",
    "A.B-C_D", "aa", "name (>= 1.0)", "name (==1.0.*)", "zope.interface>=4.0; extra == 'testing'",
    "pkg ~= 1.4.2", "pkg === foobar", "pkg!=1.0,!=1.1", "pkg<1.7", "pkg>1.7", "pkg<=1.7.post1", "pkg>=1.7.dev0",
    "foo @ file:///tmp/foo.whl", "foo @ git+https://github.com/a/b.git@v1#egg=foo", "foo[]", "foo[bar]==1; extra == 'Bar-Baz'",
    "foo; python_full_version >= '3.11.0rc1'", "foo; platform_machine in 'x86_64 aarch64'", "foo; 'linux' in sys_platform",
    "foo; sys_platform not in 'win32 cygwin'", "foo; implementation_name == \"cpython\"", "foo ; platform_system != 'Windows'",
    # invalid
    "", "-foo", "foo bar", "foo==", "foo>=1.0;", "foo; python_version", "foo[", "foo==1.0 @ http://x", "foo; os_name = 'a'",
    "foo==1.*.1", "foo~=1", "foo<1.0.*", "foo; nonsense == 'x'", "foo @", "1foo", "foo-", "foo[bar baz]", "foo>=1.0)",
    "foo (>=1.0", "foo==1.0+local.1", "foo~=1.0+local", "foo; (os_name == 'a'",
]

ENVS = [
    {"implementation_name": "cpython", "implementation_version": "3.11.7", "os_name": "posix", "platform_machine": "x86_64",
     "platform_release": "6.1.0", "platform_system": "Linux", "platform_version": "#1 SMP", "python_full_version": "3.11.7",
     "platform_python_implementation": "CPython", "python_version": "3.11", "sys_platform": "linux", "extra": ""},
    {"implementation_name": "cpython", "implementation_version": "2.7.18", "os_name": "nt", "platform_machine": "AMD64",
     "platform_release": "10", "platform_system": "Windows", "platform_version": "10.0.19041", "python_full_version": "2.7.18",
     "platform_python_implementation": "CPython", "python_version": "2.7", "sys_platform": "win32", "extra": "testing"},
]

MARKERS = [
    "python_version < '3'", "python_version >= '3.8'", "python_full_version >= '3.11.0rc1'", "os_name == 'posix'",
    "sys_platform == 'win32' or sys_platform == 'cygwin'", "platform_machine in 'x86_64 aarch64'", "'linux' in sys_platform",
    "sys_platform not in 'win32 cygwin'", "extra == 'testing'", "extra == 'Testing'", "python_version == '2.7.*'",
    "python_version ~= '3.6'", "platform_release >= '5'", "implementation_version >= '3.10'",
    "os_name == 'posix' and (python_version < '3.9' or platform_system == 'Linux')", "platform_version == '#1 SMP'",
    "python_version > '3.11'", "python_version != '3.11'", "'3.11' == python_version", "python_version === '3.11'",
]

SPECS = ["<1.7", ">1.7", "<=1.7", ">=1.7", "==1.7", "!=1.7", "~=1.7", "~=1.7.0", "==1.7.*", "!=1.7.*", "==1.*", ">=1.7.dev0",
         "<1.7.post1", ">1.7.post1", "==1.7+local", "==1.7.0", "<2,>=1", ">=1.0rc1", "===1.7", "~=2.2.post3", "<1.7rc2", ">1!0"]
VERSIONS = ["1.6", "1.7", "1.7.0", "1.7rc1", "1.7.dev0", "1.7.post1", "1.7+local", "1.7.1", "1.8", "2.0", "1.0", "1.0rc1",
            "2.2.post3", "2.3", "3.0", "1!1.0", "1.7a1.post2.dev3"]

out = {"requirements": [], "markers": [], "specifiers": []}
for r in REQS:
    try:
        q = Requirement(r)
        if any(isinstance(s, LegacySpecifier) for s in q.specifier._specs):
            # packaging 22 and later (modern pip) refuse legacy specifiers;
            # this copy still takes them.
            out["requirements"].append({"in": r, "error": True, "legacy": True})
            continue
        out["requirements"].append({"in": r, "name": q.name, "extras": sorted(q.extras), "specifier": str(q.specifier),
                                    "url": q.url or "", "marker": str(q.marker) if q.marker else ""})
    except InvalidRequirement:
        out["requirements"].append({"in": r, "error": True})
for m in MARKERS:
    row = {"in": m, "results": []}
    for env in ENVS:
        try:
            row["results"].append(Marker(m).evaluate(env))
        except (InvalidMarker, UndefinedComparison):
            row["results"].append(None)
    out["markers"].append(row)
for s in SPECS:
    ss = SpecifierSet(s)
    out["specifiers"].append({"in": s, "default": [v for v in VERSIONS if ss.contains(v)],
                              "prereleases": [v for v in VERSIONS if ss.contains(v, prereleases=True)]})
out["environments"] = ENVS
out["versions"] = VERSIONS
print(json.dumps(out, indent=1, sort_keys=True))
