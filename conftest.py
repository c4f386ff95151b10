"""The suite's order, for `make test`'s parallel run (pytest-xdist,
`--dist loadscope --no-loadscope-reorder`).

pytest-django runs TestCase classes first, then transactional ones (their
flush empties the tables the data migrations filled), then tests without the
database. Within each of those groups this moves the few slowest classes and
modules to the front: the workers take scopes in order, and a two-minute
class handed out last would leave the other workers idle at the end."""

from __future__ import annotations

import pytest

# The slowest scopes (seconds on the 2-core CI machine), by node id prefix.
SLOW_FIRST = (
    # TestCase classes
    "tests/test_openapi_conformance.py",  # seed_demo twice, schemathesis
    "enterprises/tests/test_access_agreement.py",
    "talent/tests/test_access_agreement.py",
    "projects/tests/test_access_agreement.py",
    "talent/tests/test_api_shapes.py",
    # transactional: live server and Chromium, migrations
    "tests/test_browser_journeys.py",
    "tests/test_browser_registers.py",
    "tests/test_browser_menu.py",
    "projects/tests/test_professional_fields.py",
    "tests/test_browser_registration.py",
)


def _slow_rank(item: pytest.Item) -> int:
    for rank, prefix in enumerate(SLOW_FIRST):
        if item.nodeid.startswith(prefix):
            return rank
    return len(SLOW_FIRST)


def _django_group(item: pytest.Item) -> int:
    """pytest-django's own order: 0 TestCase, 1 transactional, 2 no database
    (pytest_django.plugin.pytest_collection_modifyitems)."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return 0 if issubclass(cls, TestCase) else 1
    fixtures = getattr(item, "fixturenames", [])
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
        )
    if transactional:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A stable sort: the order inside each (group, rank) stays as collected.
    items.sort(key=lambda item: (_django_group(item), _slow_rank(item)))
