"""The mainland resident ID number (GB 11643-1999)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return ID_CHECK[
        sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11
    ]


def id_birth_date(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def validate_id_number(value: str) -> None:
    """18 characters, a real birth date in the past, the right check
    character; each failure says which."""
    if len(value) != 18:
        raise ValidationError(
            f"身份证号码应为18位，当前为{len(value)}位。", code="id_length"
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError(
            "身份证号码前17位应为数字，最后一位为数字或X。", code="id_alphabet"
        )
    try:
        born = id_birth_date(value)
    except ValueError:
        raise ValidationError(
            f"身份证号码中的出生日期{value[6:14]}不是有效日期。", code="id_birth_date"
        ) from None
    if born > timezone.localdate() or born.year < 1900:
        raise ValidationError(
            f"身份证号码中的出生日期{born.isoformat()}不合理。", code="id_birth_date"
        )
    expected = id_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            f"身份证号码校验码错误：应为{expected}，而不是{value[17]}。",
            code="id_check",
        )
