from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import TestCase

from bureau.models import Role, User


class PasswordPolicyTests(TestCase):
    def assert_refused(self, password: str, role: str, code: str) -> None:
        user = User(username="someone", role=role)
        with self.assertRaises(ValidationError) as ctx:
            validate_password(password, user)
        self.assertIn(code, [e.code for e in ctx.exception.error_list])

    def test_staff_and_admin_roles_need_twelve_characters(self) -> None:
        for role in (Role.STAFF, Role.SECTION_HEAD, Role.BUREAU_ADMIN, Role.AUDITOR):
            self.assert_refused("Ab#4567890x", role, "password_too_short")
            validate_password("Ab#4567890xy", User(username="someone", role=role))

    def test_enterprise_users_need_eight(self) -> None:
        self.assert_refused("Ab#4567", Role.ENTERPRISE, "password_too_short")
        validate_password("Ab#45678", User(username="someone", role=Role.ENTERPRISE))

    def test_three_of_four_character_classes(self) -> None:
        self.assert_refused("abcdefgh1234", Role.STAFF, "password_too_simple")
        self.assert_refused("ABCDEFGH!!!!", Role.STAFF, "password_too_simple")
        validate_password("abcdefgh12!!", User(username="someone", role=Role.STAFF))

    def test_common_passwords_are_refused(self) -> None:
        self.assert_refused("Password1", Role.ENTERPRISE, "password_too_common")
