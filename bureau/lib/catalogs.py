"""Compile the gettext catalogs (locale/*/LC_MESSAGES/*.po → .mo) with polib,
so a fresh machine needs no GNU gettext. Run: python -m bureau.lib.catalogs"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def compile_catalogs(root: Path = ROOT) -> list[Path]:
    compiled = []
    for po_path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        catalog = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalog.save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    done = compile_catalogs()
    for path in done:
        print(f"compiled {path.relative_to(ROOT)}")
    sys.exit(0)
