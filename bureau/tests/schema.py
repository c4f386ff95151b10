"""The OpenAPI schema for tests that read it, built once per test process
(generating it takes seconds, and half a dozen test classes look things up
in it). Each call hands back a fresh copy, so a test may change its own."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any
from unittest import mock

from django.test import Client


@cache
def _generated() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    # Its warnings (unresolvable fields, enum names) are not these tests' concern.
    with mock.patch("drf_spectacular.drainage.warn"):
        return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def generated_schema() -> dict[str, Any]:
    """What drf-spectacular generates (SchemaGenerator, public)."""
    return copy.deepcopy(_generated())


_served: list[bytes] = []


def served_schema(client: Client) -> dict[str, Any] | None:
    """/api/schema/?format=json as the view serves it to `client`, or None
    when it does not answer 200."""
    if not _served:
        response = client.get("/api/schema/?format=json")
        if response.status_code != 200:
            return None
        _served.append(response.content)
    return json.loads(_served[0])  # type: ignore[no-any-return]
