"""统一社会信用代码 (unified social credit code) per GB 32100-2015."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 31 characters: digits and capitals without I, O, Z, S, V.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the given first 17 characters."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_for_serial(serial: int, *, division: str = "330105") -> str:
    """A valid code for an enterprise (类别 91) registered in `division`, made
    from a number: for demo data and tests, never for real enterprises."""
    body = ""
    for _position in range(9):
        body += CREDIT_CODE_ALPHABET[serial % 31]
        serial //= 31
    first17 = "91" + division + body
    return first17 + credit_code_check_char(first17)


def validate_credit_code(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters, not %(n)d.")
            % {"n": len(value)},
            code="credit_code_length",
        )
    bad = sorted({char for char in value if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "The code contains characters that are not allowed: %(chars)s "
                "(only digits and capital letters other than I, O, Z, S, V)."
            )
            % {"chars": " ".join(bad)},
            code="credit_code_alphabet",
        )
    if not value[2:8].isdigit():
        raise ValidationError(
            _("Characters 3–8 must be the six-digit administrative division code."),
            code="credit_code_division",
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character is wrong: it should be %(expected)s, not %(got)s.")
            % {"expected": expected, "got": value[17]},
            code="credit_code_check",
        )
