"""Start-up and deployment checks (issue 14): a weak SECRET_KEY is refused
with DEBUG off, `check --deploy` is clean with the documented production
settings, and every answer carries the security headers."""

from __future__ import annotations

import os
from unittest import mock

from django.test import SimpleTestCase, TestCase

from bureau.lib.keys import secret_key_weakness
from bureau.tests.test_commands import STRONG_KEY, run_manage

# The production environment the README documents (with stand-in secrets).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "FIELD_ENCRYPTION_KEY": "dGVzdC1vbmx5LWtleS1ub3Qtc2VjcmV0LTMyYnl0ZXM=",
    "PII_SM4_KEY": "3f8a1c9e5b7d2046a1e8c3b5d7f90214",  # for the 国密 settings
    "ALLOWED_HOSTS": "keji.example.gov.cn",
    "BEHIND_HTTPS_PROXY": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "true",
}


class SecretKeyTests(SimpleTestCase):
    def test_weak_keys_are_named(self) -> None:
        self.assertIn("3 characters", secret_key_weakness("abc") or "")
        self.assertIn("different", secret_key_weakness("x" * 60) or "")
        self.assertIn(
            "prefix", secret_key_weakness("django-insecure-" + "a1b2c3" * 9) or ""
        )
        self.assertIsNone(secret_key_weakness(STRONG_KEY))

    def test_a_three_character_key_is_refused_at_start_up(self) -> None:
        result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": "abc"})
        self.assertNotEqual(result.returncode, 0)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("SECRET_KEY has 3 characters", lines[0])

    def test_a_weak_key_is_allowed_in_development(self) -> None:
        result = run_manage("check", env={"DEBUG": "true", "SECRET_KEY": "abc"})
        self.assertEqual(result.returncode, 0, result.stderr)


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_is_clean_with_the_production_settings(self) -> None:
        # The browser tests set this in-process; a deployment never does.
        environ = {
            k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        self.enterContext(mock.patch.dict(os.environ, environ, clear=True))
        result = run_manage(
            "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)


class HeaderTests(TestCase):
    def test_pages_and_the_api_carry_the_security_headers(self) -> None:
        for path in ("/login/", "/api/v1/me/", "/api/docs/"):
            response = self.client.get(path)
            with self.subTest(path=path):
                policy = response["Content-Security-Policy"]
                self.assertIn("script-src 'self'", policy)
                self.assertIn("style-src 'self'", policy)
                self.assertNotIn("unsafe-inline", policy)
                self.assertIn("frame-ancestors 'none'", policy)
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_no_template_has_inline_script_or_style(self) -> None:
        import re
        from pathlib import Path

        from django.conf import settings

        inline = re.compile(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
            r"|\son[a-z]+=\"|\sstyle=\"|<style\b"
        )
        found = [
            f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
            for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
            for match in inline.finditer(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(found, [])
