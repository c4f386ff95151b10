"""Which way the arrows point (ARCHITECTURE.md): checked on the source.

- A domain app reads another only through its `selectors`, changes it only
  through its `services`, and may ask its `permissions`; never its models,
  views, admin or other internals. Imports under `if TYPE_CHECKING:` are
  annotations only and do not count.
- enterprises, projects and talent never import indicators: they announce
  changes with `bureau.signals.business_data_changed` and indicators listens.
- bureau imports the domain apps only in its named composition modules.

Tests, migrations and the demo data modules are exempt.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("enterprises", "projects", "indicators", "talent")
PUBLIC = ("selectors", "services", "permissions")
# Apps that must not know indicators at all (not even its selectors).
INDICATOR_BLIND = ("enterprises", "projects", "talent")
# The modules of bureau that compose the domain apps (its tests too).
COMPOSITION = {
    "bureau/home/__init__.py",
    "bureau/home/queue.py",
    "bureau/home/work.py",
    "bureau/home/duties.py",
    "bureau/context_processors.py",
    "bureau/management/commands/seed_demo.py",
    "bureau/management/commands/create_user.py",
}


def _exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "tests" in parts
        or "migrations" in parts
        or "demo" in parts
        or path.name == "demo.py"
    )


def _modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if not _exempt(p))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _package(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] != "__init__" else parts


def _imports(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, under TYPE_CHECKING) for every import in
    `path`. `from a import b` yields `a.b` (b may be a module); relative
    imports are resolved against the module's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for inner in node.body:
                typing_only.update(id(n) for n in ast.walk(inner))
    for node in ast.walk(tree):
        hidden = id(node) in typing_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, hidden
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package(path)
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}", hidden


def _allowed_across(module: str) -> bool:
    """`<app>.selectors[.*]`, `<app>.services[.*]` or `<app>.permissions[.*]`
    (a name imported from one of them included)."""
    parts = module.split(".")
    return len(parts) >= 2 and parts[1] in PUBLIC


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_apps_use_each_other_only_through_selectors_and_services(app):
    wrong = []
    for path in _modules(app):
        for line, module, typing_only in _imports(path):
            other = module.split(".")[0]
            if other == app or other not in DOMAIN_APPS:
                continue
            if app in INDICATOR_BLIND and other == "indicators":
                wrong.append(f"{_where(path, line)} imports {module} (use the signal)")
            elif not typing_only and not _allowed_across(module):
                wrong.append(f"{_where(path, line)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_bureau_composes_the_apps_only_in_named_modules():
    wrong = []
    for path in sorted((ROOT / "bureau").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if rel.as_posix() in COMPOSITION:
            continue
        for line, module, typing_only in _imports(path):
            if module.split(".")[0] in DOMAIN_APPS and not typing_only:
                wrong.append(f"{_where(path, line)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_composition_modules_exist():
    """A renamed composition module must be renamed here too."""
    assert all((ROOT / name).is_file() for name in COMPOSITION)


def test_the_checker_sees_what_it_should(tmp_path, monkeypatch):
    """The checker resolves `from x import y`, relative imports and
    TYPE_CHECKING blocks as the rules above assume."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from enterprises import models\n"
        "from enterprises.selectors import tier_choices\n"
        "from . import selectors\n"
        "from .models import Call\n"
        "import talent.models\n"
        "if TYPE_CHECKING:\n"
        "    from enterprises.models import Tier\n"
    )
    package = tmp_path / "projects" / "apis"
    package.mkdir(parents=True)
    module = package / "example.py"
    module.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = {(m, hidden) for _line, m, hidden in _imports(module)}
    assert found == {
        ("typing.TYPE_CHECKING", False),
        ("enterprises.models", False),
        ("enterprises.selectors.tier_choices", False),
        ("projects.apis.selectors", False),
        ("projects.apis.models.Call", False),
        ("talent.models", False),
        ("enterprises.models.Tier", True),
    }
    assert not _allowed_across("enterprises.models")
    assert not _allowed_across("talent.models")
    assert _allowed_across("enterprises.selectors.tier_choices")
    assert _allowed_across("projects.services.calls.call_create")
    assert _allowed_across("enterprises.permissions")
