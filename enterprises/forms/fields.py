"""Helpers every enterprises form uses: a typed field lookup and a
service's ValidationError shown beside the fields it names."""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

FieldT = TypeVar("FieldT", bound=forms.Field)


def _field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of field `name`, typed as the `kind` it is."""
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is not a {kind.__name__}"
    return field


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on `form`, field by field where the
    form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
