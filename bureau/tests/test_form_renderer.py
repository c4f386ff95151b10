"""The project's form renderer draws <select> in Python with the markup of
Django's templates (bureau.lib.renderers)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase, TestCase

from bureau.lib.renderers import FormRenderer
from bureau.models import OrgUnit


class Sample(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "—"), ("x<y", "A & <B>"), ("y", "乙")],
        required=False,
        initial="y",
    )
    grouped = forms.MultipleChoiceField(
        choices=[("组一", [("1", "一"), ("2", "二")]), ("3", "三")],
        initial=["2", "3"],
    )
    yes_no = forms.NullBooleanField()
    attributes = forms.ChoiceField(
        choices=[("1", "x")],
        widget=forms.Select(
            attrs={"class": 'a"b', "disabled": True, "data-off": False}
        ),
    )


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


class FormRendererTests(SimpleTestCase):
    def test_the_project_uses_it(self) -> None:
        self.assertEqual(settings.FORM_RENDERER, "bureau.lib.renderers.FormRenderer")

    def test_selects_match_djangos_templates(self) -> None:
        for name in Sample.base_fields:
            with self.subTest(field=name):
                ours = Sample(renderer=FormRenderer())[name].as_widget()
                django = Sample(renderer=DjangoTemplates())[name].as_widget()
                self.assertEqual(_normal(ours), _normal(django))

    def test_bound_choice_is_selected_and_text_escaped(self) -> None:
        html = str(Sample({"plain": "x<y"}, renderer=FormRenderer())["plain"])
        self.assertIn(
            '<option value="x&lt;y" selected>A &amp; &lt;B&gt;</option>', html
        )
        self.assertNotIn("<B>", html)

    def test_other_widgets_still_use_templates(self) -> None:
        class Text(forms.Form):
            name = forms.CharField()

        html = str(Text(renderer=FormRenderer())["name"])
        self.assertIn('<input type="text" name="name"', html)


class Everything(forms.Form):
    """Every widget and layout case the Python templates draw, and some they
    leave to Django's (a fieldset, a textarea)."""

    required_css_class = "required"
    error_css_class = "error"

    name = forms.CharField(
        label="名称 <b>", help_text="至少 <i>两</i> 个字", min_length=2
    )
    amount = forms.DecimalField(label="金额（万元）", initial=12.5, required=False)
    count = forms.IntegerField(min_value=0, label="数量?", required=False)
    email = forms.EmailField(required=False)
    when = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date", "x": 'a"b'})
    )
    agree = forms.BooleanField(required=False, label="")
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    upload = forms.FileField(required=False)
    kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
    many = forms.MultipleChoiceField(
        choices=[("1", "一"), ("2", "二")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(widget=forms.Textarea, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False, initial="t&k")
    page = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("name") == "全部错":
            raise forms.ValidationError("整张表 <错>")
        return data


class NoVisibleFields(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, initial="x")


class LayoutMatchesDjangoTests(SimpleTestCase):
    """The Python templates write what Django's templates write, byte for
    byte: unbound, bound and valid, bound with field, form and hidden-field
    errors; label suffixes; forms with only hidden fields."""

    def assertSameHtml(self, make) -> None:  # noqa: N802 - unittest style
        ours = str(make(FormRenderer()).as_div())
        django = str(make(DjangoTemplates()).as_div())
        self.assertEqual(ours, django)

    def test_every_case(self) -> None:
        cases = {
            "unbound": lambda r: Everything(renderer=r),
            "suffix": lambda r: Everything(renderer=r, label_suffix="："),
            "prefix": lambda r: Everything(renderer=r, prefix="f", auto_id="x_%s"),
            "no ids": lambda r: Everything(renderer=r, auto_id=False),
            "valid": lambda r: Everything(
                {"name": "张三", "kind": "a", "many": ["2"], "page": "3"}, renderer=r
            ),
            "field errors": lambda r: Everything(
                {"name": "张", "count": "-1", "email": "x", "page": "x"}, renderer=r
            ),
            "form error": lambda r: Everything(
                {"name": "全部错", "kind": "b", "agree": "on"}, renderer=r
            ),
            "only hidden": lambda r: NoVisibleFields(renderer=r),
            "only hidden, bound with an error": lambda r: NoVisibleFields(
                {"token": ""}, renderer=r
            ),
        }
        for label, make in cases.items():
            with self.subTest(case=label):
                self.assertSameHtml(make)


class ProjectFormsMatchDjangoTests(TestCase):
    assertSameHtml = LayoutMatchesDjangoTests.assertSameHtml  # noqa: N815

    def test_the_projects_forms(self) -> None:
        from bureau.forms import LoginForm
        from enterprises.forms.registers import IPFilterForm
        from enterprises.forms.registry import EnterpriseFilterForm

        OrgUnit.objects.create(code="330105001", name="米市巷<街道>", level="street")
        for form_class, kwargs in (
            (EnterpriseFilterForm, {"data": {"q": "<x>", "expiring_within": "-3"}}),
            (EnterpriseFilterForm, {}),
            (LoginForm, {"data": {"username": "a"}}),
            (IPFilterForm, {"data": {"q": "专利"}}),
        ):
            with self.subTest(form=form_class.__name__):
                self.assertSameHtml(
                    lambda r, c=form_class, k=kwargs: c(renderer=r, **k)  # type: ignore[misc]
                )
