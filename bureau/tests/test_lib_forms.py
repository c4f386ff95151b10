"""Money typed in 万元 reaches the services in 元; the confirmation step
restates the amount in figures and 大写 and re-posts what was sent."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.utils import translation

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.forms import WanField


class AmountForm(forms.Form):
    amount = WanField(label="批准金额", min_wan="0.000001", max_yuan_digits=14)


class WanFieldTests(SimpleTestCase):
    def test_sixty_means_six_hundred_thousand_yuan(self) -> None:
        form = AmountForm({"amount": "60"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["amount"], Decimal("600000.00"))

    def test_separators_and_six_decimals_reach_the_fen(self) -> None:
        form = AmountForm({"amount": "1,234.567891"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["amount"], Decimal("12345678.91"))

    def test_seven_decimals_are_refused_in_chinese(self) -> None:
        with translation.override("zh-hans"):
            form = AmountForm({"amount": "1.1234567"})
            self.assertFalse(form.is_valid())
            self.assertIn("六位小数", form.errors["amount"][0])

    def test_bad_input_is_shown_back_as_typed(self) -> None:
        form = AmountForm({"amount": "六十"})
        self.assertFalse(form.is_valid())
        self.assertEqual(form["amount"].value(), "六十")

    def test_initial_in_yuan_is_shown_in_wan(self) -> None:
        form = AmountForm(initial={"amount": Decimal("600000.00")})
        self.assertEqual(form["amount"].value(), "60")
        form = AmountForm(initial={"amount": Decimal("12345678.91")})
        self.assertEqual(form["amount"].value(), "1,234.567891")

    def test_bounds_are_in_wan(self) -> None:
        self.assertFalse(AmountForm({"amount": "0"}).is_valid())

    def test_unit_is_said_beside_the_field(self) -> None:
        with translation.override("zh-hans"):
            self.assertEqual(str(AmountForm().fields["amount"].unit), "万元")  # type: ignore[attr-defined]


@override_settings(ROOT_URLCONF="bureau.urls")
class ConfirmationTests(SimpleTestCase):
    def test_first_post_asks_and_restates_amount_in_words(self) -> None:
        request = RequestFactory().post(
            "/x/", {"approved_amount": "60", "note": ["a", "b"]}
        )
        request.user = type("U", (), {"is_authenticated": False})()  # type: ignore[attr-defined]
        self.assertTrue(needs_confirmation(request))
        with translation.override("zh-hans"):
            response = confirmation_page(
                request,
                title="批准立项",
                subject="《智能传感器研发》",
                amount_yuan=Decimal("600000"),
                cancel_url="/back/",
            )
        html = response.content.decode()
        self.assertIn("人民币陆拾万元整", html)
        self.assertIn("60万元", html)
        self.assertIn("600,000.00", html)
        self.assertIn('name="approved_amount" value="60"', html)
        self.assertEqual(html.count('name="note"'), 2)
        self.assertIn('name="confirmed" value="1"', html)

    def test_second_post_goes_ahead(self) -> None:
        request = RequestFactory().post("/x/", {"confirmed": "1"})
        self.assertFalse(needs_confirmation(request))


class WanFieldChangeTests(SimpleTestCase):
    def test_a_blank_box_without_initial_is_unchanged(self) -> None:
        field = AmountForm().fields["amount"]
        self.assertFalse(field.has_changed(None, ""))
        self.assertFalse(field.has_changed(Decimal("600000.00"), "60"))
        self.assertTrue(field.has_changed(Decimal("600000.00"), "61"))
        self.assertTrue(field.has_changed(None, "abc"))
