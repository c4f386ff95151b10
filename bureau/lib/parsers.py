"""The API's JSON parser (its own module: bureau.lib.drf imports DRF's views,
which read DEFAULT_PARSER_CLASSES, which names this)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser as DrfJSONParser


def json_depth(value: Any) -> int:
    """How deeply `value` (parsed JSON) nests lists and objects; iterative,
    so it cannot itself run out of stack."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(DrfJSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than JSON_MAX_DEPTH
    (no request needs more; Python's decoder would overflow its stack near
    1,000 levels and answer 500) with the usual 400 error body."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = json_depth(data) > settings.JSON_MAX_DEPTH
        if too_deep:
            raise exceptions.ParseError(
                _("The JSON body is nested more than %(depth)d levels deep.")
                % {"depth": settings.JSON_MAX_DEPTH},
                code="too_deep",
            )
        return data
