"""The project's form renderer draws <select> in Python with the markup of
Django's templates (bureau.lib.renderers)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase

from bureau.lib.renderers import FormRenderer


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
