"""The searchable picker: a page form's choice of one object among hundreds
(an enterprise among the district's). A text box to type part of the name,
a hidden input with the chosen id; static/js/autocomplete.js asks a search
URL that answers {"results": [{"id", "name"}]} scoped to the user (e.g.
enterprises' /enterprises/search/) and fills both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SearchPicker(forms.Widget):
    """For a ModelChoiceField: `source` names the URL of the search. The
    label's `for` points at the text box (the field's id); the id travels
    in a hidden input."""

    class Media:
        js = (forms.Script("js/autocomplete.js", defer=True),)

    def __init__(
        self,
        source: str,
        *,
        placeholder: StrOrPromise = "",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.source = source
        self.placeholder = placeholder

    def format_value(self, value: Any) -> str:
        return "" if value in (None, "") else str(value)

    def _name_of(self, value: str) -> str:
        """The chosen object's name, looked up among the field's own
        choices (so it never names one the field would refuse)."""
        choices = getattr(self, "choices", None)
        queryset = getattr(choices, "queryset", None)
        if not value or queryset is None or not value.isdigit():
            return ""
        found = queryset.filter(pk=value).values_list("name", flat=True).first()
        return found or ""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        attrs = {**self.attrs, **(attrs or {})}
        field_id = attrs.get("id", f"id_{name}")
        chosen = self.format_value(value)
        return format_html(
            '<span class="picker" data-autocomplete="{url}">'
            '<input type="search" id="{id}" value="{text}" autocomplete="off"'
            ' placeholder="{placeholder}" role="combobox" aria-autocomplete="list"'
            ' aria-expanded="false" data-autocomplete-input{required}>'
            '<input type="hidden" name="{name}" value="{value}"'
            " data-autocomplete-value>"
            '<span class="muted" data-autocomplete-empty hidden>{empty}</span>'
            "</span>",
            url=reverse(self.source),
            id=field_id,
            text=self._name_of(chosen),
            placeholder=self.placeholder or _("Type to search"),
            required=" required" if attrs.get("required") else "",
            name=name,
            value=chosen,
            empty=_("Nothing matches."),
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data
