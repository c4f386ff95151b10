from __future__ import annotations

import os

import pytest


def require_service(available: bool, what: str) -> None:
    """Skip when a service is absent on a developer's machine; fail in CI
    (CI=true), where a missing service is a broken run, not a skip."""
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available")
