"""The project's form renderer: Django's, except that the templates every
form renders many times — a <select>, the plain <input> widgets, the field
group, its label and error list, and the <div> form layout — are drawn in
Python. Django's own templates include a template per <option>, and a field
costs five to seven template renders: a list page's filter form (the
district's streets and parks, ten fields) spent 25–100 ms in them on every
request. The markup is Django's, character for character (each option's and
input's attributes, optgroups, `selected`, labels and their suffix, help
texts, error lists), escaped the same way; bureau/tests/test_form_renderer.py
compares the two. Anything else (fieldsets, radio and checkbox lists,
textareas, widgets with their own templates) still goes through Django's
templates."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
# Django's widget templates that are nothing but an include of input.html.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
)
LABEL_TEMPLATE = "django/forms/label.html"
ERROR_LIST_TEMPLATES = frozenset(
    ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")
)
FIELD_TEMPLATE = "django/forms/field.html"
DIV_TEMPLATE = "django/forms/div.html"


def _attrs(attrs: dict[str, Any] | None) -> str:
    """` name="value"` pairs as django/forms/widgets/attrs.html writes them:
    False left out, True as a bare name."""
    if not attrs:
        return ""
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
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above


def render_input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def render_label(context: dict[str, Any]) -> str:
    """django/forms/label.html."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return str(label)
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context.get('attrs'))}>{label}</{tag}>"


def render_errors(errors: Any, error_class: Any) -> str:
    """django/forms/errors/list/ul.html (and default.html, which includes it)."""
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    named = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(error_class)}"{named}>{items}</ul>'


def render_field(field: Any) -> str:
    """django/forms/field.html for a field that is not a fieldset."""
    label = conditional_escape(field.label_tag()) if field.label else ""
    help_text = ""
    if field.help_text:
        auto_id = field.auto_id
        named = f' id="{conditional_escape(auto_id)}_helptext"' if auto_id else ""
        help_text = f'<div class="helptext"{named}>{field.help_text}</div>'
    return (
        f"\n  {label}\n\n{help_text}\n"
        f"{conditional_escape(field.errors)}\n{conditional_escape(field)}\n"
    )


def render_div(context: dict[str, Any]) -> str:
    """django/forms/div.html."""
    errors = context["errors"]
    fields = context["fields"]
    hidden = "".join(str(conditional_escape(f)) for f in context["hidden_fields"])
    out = [f"{conditional_escape(errors)}\n"]
    if errors and not fields:
        out.append(f"\n  <div>{hidden}</div>\n")
    out.append("\n")
    last = len(fields) - 1
    for index, (field, _errors) in enumerate(fields):
        classes = field.css_classes()
        named = f' class="{conditional_escape(classes)}"' if classes else ""
        out.append(
            f"\n  <div{named}>\n    {conditional_escape(field.as_field_group())}\n    "
        )
        if index == last:
            out.append(f"\n      {hidden}\n    ")
        out.append("\n</div>\n")
    out.append("\n")
    if not fields and not errors:
        out.append(f"\n  {hidden}\n")
    out.append("\n")
    return "".join(out)


class FormRenderer(DjangoTemplates):
    """FORM_RENDERER: the templates above in Python, everything else by
    Django's templates."""

    def render(
        self, template_name: str, context: dict[str, Any], request: Any = None
    ) -> str:
        # Stripped, as Django's renderer strips what a template writes.
        if template_name == SELECT_TEMPLATE:
            return render_select(context["widget"])
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name == LABEL_TEMPLATE:
            return render_label(context)
        if template_name in ERROR_LIST_TEMPLATES:
            return render_errors(context["errors"], context["error_class"])
        if template_name == FIELD_TEMPLATE and not context["field"].use_fieldset:
            return render_field(context["field"]).strip()
        if template_name == DIV_TEMPLATE:
            return render_div(context).strip()
        return super().render(template_name, context, request=request)
