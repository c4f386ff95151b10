"""The project's form renderer: Django's, except that a <select> is drawn in
Python. Django's own select template includes a template per <option>; a
filter form with the district's 300 streets and parks spent about 100 ms in
those includes on every list page. The markup is the same as Django's (each
option's attributes, optgroups, `selected`), escaped the same way."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _attrs(attrs: dict[str, Any]) -> str:
    """` name="value"` pairs as django/forms/widgets/attrs.html writes them:
    False left out, True as a bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> SafeString:
    """The HTML of a select widget's context (`widget` as get_context gives it)."""
    out = [
        f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            out.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above


class FormRenderer(DjangoTemplates):
    """FORM_RENDERER: selects in Python, everything else by Django's templates."""

    def render(
        self, template_name: str, context: dict[str, Any], request: Any = None
    ) -> str:
        if template_name == SELECT_TEMPLATE:
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)
