from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from enterprises.validators import credit_code_check_char, validate_credit_code


class CreditCodeTests(SimpleTestCase):
    # Published codes of real companies (GB 32100-2015 check characters).
    VALID = [
        "91330106673959654P",
        "91110000802100433B",
        "91440300708461136T",
        "91350100M000100Y43",  # the example of the standard
    ]

    def test_real_codes_pass(self) -> None:
        for code in self.VALID:
            with self.subTest(code=code):
                validate_credit_code(code)
                self.assertEqual(credit_code_check_char(code[:17]), code[17])

    def test_a_wrong_check_character_says_which_it_should_be(self) -> None:
        with self.assertRaisesMessage(ValidationError, "P") as ctx:
            validate_credit_code("91330106673959654Q")
        self.assertEqual(ctx.exception.code, "credit_code_check")

    def test_wrong_length_and_alphabet_are_explained(self) -> None:
        cases = {
            "9133010667395965": "credit_code_length",
            "91330106673959654PX": "credit_code_length",
            "91330106673959654I": "credit_code_alphabet",
            "9133010667395965o4": "credit_code_alphabet",
            "91A30106673959654P": "credit_code_division",
        }
        for code, error in cases.items():
            with self.subTest(code=code), self.assertRaises(ValidationError) as ctx:
                validate_credit_code(code)
            self.assertEqual(ctx.exception.code, error)
