"""Password policy: length by role, and three of four character classes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bureau.models import Role, User

ENTERPRISE_MIN_LENGTH = 8
STAFF_MIN_LENGTH = 12


def _min_length_for(user: User | None) -> int:
    role = getattr(user, "role", None)
    if role in (Role.ENTERPRISE, Role.EXPERT):
        return ENTERPRISE_MIN_LENGTH
    return STAFF_MIN_LENGTH


class RoleMinimumLengthValidator:
    """At least 8 characters for enterprise and expert users, 12 for bureau
    staff and administrators (and when the role is not known yet)."""

    def validate(self, password: str, user: User | None = None) -> None:
        minimum = _min_length_for(user)
        if len(password) < minimum:
            raise ValidationError(
                _("The password must have at least %(min)d characters.")
                % {"min": minimum},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _(
            "At least %(ent)d characters for enterprise users and %(staff)d for "
            "bureau staff and administrators."
        ) % {"ent": ENTERPRISE_MIN_LENGTH, "staff": STAFF_MIN_LENGTH}


class CharacterClassesValidator:
    """Three of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: User | None = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: lower-case letters, "
                    "capital letters, digits, other symbols."
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Mix at least %(n)d of: lower-case letters, capital letters, digits, "
            "other symbols."
        ) % {"n": self.min_classes}
