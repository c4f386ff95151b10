"""Audit the runtime dependencies (requirements.txt and everything they pull
in, at the versions installed in .venv) for known vulnerabilities.

Fails on a vulnerability not listed, with a reason, in .ci/pip-audit-ignore.txt.
Skips, saying so, when no advisory service answers (pip-audit asks PyPI's
JSON API; a machine that reaches only a package mirror gets no answer).

    .venv/bin/python .ci/pip_audit.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / ".ci" / "pip-audit-ignore.txt"


def runtime_pins() -> list[str]:
    """name==version of requirements.txt and its dependencies, as installed."""
    wanted = [
        Requirement(line.split("#", 1)[0].strip())
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]
    seen: dict[str, str] = {}
    queue = list(wanted)
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            sys.exit(
                f"pip-audit: {requirement.name} is not installed; run make dev-deps"
            )
        seen[name] = dist.version
        for spec in dist.requires or []:
            child = Requirement(spec)
            extras = set(requirement.extras) or {""}
            if child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in extras
            ):
                queue.append(child)
    return [f"{name}=={version}" for name, version in sorted(seen.items())]


def ignored() -> list[str]:
    ids = []
    for number, line in enumerate(IGNORE_FILE.read_text().splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        vuln, _, reason = text.partition("#")
        if not reason.strip():
            sys.exit(f"{IGNORE_FILE.name}:{number}: give the reason after '#'")
        ids.append(vuln.strip())
    return ids


def main() -> int:
    pins = runtime_pins()
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "runtime.txt"
        requirements.write_text("\n".join(pins) + "\n")
        report = Path(tmp) / "report.json"
        command = [
            sys.executable, "-m", "pip_audit",
            "-r", str(requirements), "--no-deps", "--disable-pip",
            "--progress-spinner", "off", "--timeout", "20",
            "-f", "json", "-o", str(report),
        ]  # fmt: skip
        for vuln in ignored():
            command += ["--ignore-vuln", vuln]
        run = subprocess.run(command, capture_output=True, text=True)
        if not report.exists():
            if re.search(r"ConnectionError|NameResolution|timed out", run.stderr):
                print("pip-audit: SKIPPED — no vulnerability service answered:")
                print("  " + run.stderr.strip().splitlines()[-1][:300])
                return 0
            sys.stderr.write(run.stderr)
            return run.returncode or 1
        dependencies = json.loads(report.read_text())["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = [(d, v) for d in audited for v in d.get("vulns", [])]
    if not audited:
        print(
            f"pip-audit: SKIPPED — the advisory service knew none of the "
            f"{len(dependencies)} runtime packages (e.g. "
            f"{dependencies[0].get('skip_reason', '?')}); nothing was checked."
        )
        return 0
    skipped = len(dependencies) - len(audited)
    if skipped:
        print(f"pip-audit: {skipped} package(s) could not be looked up (skipped).")
    for dependency, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
        print(f"  {dependency['name']} {dependency['version']}: {vuln['id']} ({fixes})")
    if found:
        print(
            f"pip-audit: {len(found)} known vulnerabilities; upgrade, or list the "
            f"ID with a reason in .ci/{IGNORE_FILE.name}"
        )
        return 1
    print(f"pip-audit: {len(audited)} runtime packages, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
