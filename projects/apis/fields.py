"""Serializer fields the projects API shares."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import ProfessionalField

# The largest value a database integer column holds (SQLite's INTEGER and
# PostgreSQL's bigint): a larger one in a filter would overflow in the
# database driver (a 500) instead of being refused as bad input.
MAX_INTEGER = 2**63 - 1


class IntegerFilter(serializers.IntegerField):
    """An optional whole number in a query string (an id or a year), from 1
    up to what the database holds; out of range is a 400 naming the field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_INTEGER, **kwargs)


class OptionalBooleanField(serializers.BooleanField):
    """A filter that is None when left out of the query string (DRF reads a
    missing boolean in form data as False, as for an unticked checkbox)."""

    default_empty_html = serializers.empty

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, default=None, **kwargs)


class ProfessionalFieldField(serializers.RelatedField[ProfessionalField, str, str]):
    """A professional field (专业领域) by its code ("0101"); its name ("软件")
    is accepted too, as the free text the API took before the list existed.
    Empty or null is no field. Out: the code (the name is `field_name`)."""

    default_error_messages = {
        "unknown": _("“{value}” is not a professional field of the list.")
    }

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", ProfessionalField.objects.active())
            kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> ProfessionalField:
        text = str(data or "").strip()
        queryset = ProfessionalField.objects.active()
        found = (
            queryset.filter(code=text).first()
            or queryset.filter(name=text).order_by("code").first()
        )
        if found is None:
            self.fail("unknown", value=text[:50])
        return found

    def to_representation(self, value: Any) -> str:
        return str(value.code)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data == "" or data is None:
            return None  # no field
        return super().run_validation(data)
