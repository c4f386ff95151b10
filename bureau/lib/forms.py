"""Form parts every page shares: money typed in 万元 and stored in 元.

A page shows money in 万元, so its form takes 万元 (DESIGN §5 keeps 元 for the
API and the database). `WanField` accepts up to six decimals — any amount to
the fen — with thousands separators, says its unit beside the box (see
templates/_form_fields.html, which renders `field.field.unit`), and hands the
service 元. A value given to the form as `initial` (from the database) is in 元
and shown in 万元; what the user typed is shown back exactly as typed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bureau.lib.money import YUAN_PER_WAN, to_decimal

WAN_PLACES = 6
FEN = Decimal("0.01")


def _typed(value: Any) -> str:
    """What the user typed, without thousands separators or blanks."""
    return str(value).replace(",", "").replace("，", "").replace(" ", "").strip()


class WanField(forms.DecimalField):
    """An amount typed in 万元, cleaned to 元 (a Decimal to the fen).

    `max_yuan_digits` is the model field's max_digits in 元 (two of them
    decimals); bounds (`min_wan`, `max_wan`) are given in 万元 as the user
    reads them."""

    unit = _("10k yuan")
    default_error_messages = {
        "invalid": _("Enter an amount in 10k yuan, for example 60 or 12.5."),
        "max_decimal_places": _(
            "At most six decimal places in 10k yuan (the amount is kept to the fen)."
        ),
    }

    def __init__(
        self,
        *,
        max_yuan_digits: int = 16,
        min_wan: Decimal | int | str | None = None,
        max_wan: Decimal | int | str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("localize", False)
        super().__init__(
            max_digits=max_yuan_digits,  # 元: D-2 whole digits; 万元: D-6 whole + 6
            decimal_places=WAN_PLACES,
            min_value=None if min_wan is None else Decimal(str(min_wan)),
            max_value=None if max_wan is None else Decimal(str(max_wan)),
            **kwargs,
        )
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "class": "money"}
        )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A text box, not a number spinner: separators and 6 decimals allowed.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        return super().to_python(_typed(value))

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        wan = super().clean(value)
        if wan is None:
            return None
        return (wan * YUAN_PER_WAN).quantize(FEN, rounding=ROUND_HALF_UP)

    def prepare_value(self, value: Any) -> Any:
        """元 from the database → 万元 for the box; typed text stays as typed."""
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            figure = to_decimal(value)
            if figure is None:
                return value
            wan = figure / YUAN_PER_WAN
            text = f"{wan:,.{WAN_PLACES}f}".rstrip("0").rstrip(".")
            return text
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compares in 元 without the required check, so a blank extra row of
        a table (formset) counts as unchanged."""
        try:
            wan = self.to_python(data)
        except ValidationError:
            return True
        yuan = None if wan is None else (wan * YUAN_PER_WAN).quantize(FEN)
        return yuan != to_decimal(initial)


class WanInput(forms.TextInput):
    """The widget WanField uses (a plain text box; the unit is rendered
    beside it by the shared field template)."""


WanField.widget = WanInput


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Django's choices of a model field, read as a plain query: Django reads
    them with .iterator(), which on PostgreSQL is a server-side cursor (DECLARE
    … WITH HOLD, FETCH, CLOSE) for a few dozen rows, on every render."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for short lists (tiers, the bureau's staff)."""

    iterator = ListedChoiceIterator
