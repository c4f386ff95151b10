from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from bureau.models import AuditEvent, Role, User
from bureau.tests.base import CastTestCase

ROOT = Path(__file__).resolve().parents[2]
STRONG = "Strong#Pass2026x"
STRONG_KEY = "test-only-Qm8vT2xZr5LwK0pN4dHs7JcFy1UeBg6A-not-secret"


class CreateUserCommandTests(CastTestCase):
    def run_command(self, *args: str, password: str = STRONG) -> str:
        out = StringIO()
        with mock.patch.dict(os.environ, {"BUREAU_NEW_PASSWORD": password}):
            call_command("create_user", *args, stdout=out)
        return out.getvalue()

    def test_it_creates_a_staff_user_in_the_role_group(self) -> None:
        self.run_command("wang", "--role", "staff")
        user = User.objects.get(username="wang")
        self.assertEqual(user.role, Role.STAFF)
        self.assertTrue(user.check_password(STRONG))
        self.assertEqual([g.name for g in user.groups.all()], ["staff"])
        self.assertTrue(user.has_perm("enterprises.view_enterprise"))
        self.assertFalse(user.is_staff)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="user.create", object_id=str(user.pk)
            ).exists()
        )

    def test_it_links_an_enterprise_user_by_credit_code(self) -> None:
        self.run_command(
            "clerk",
            "--role",
            "enterprise",
            "--enterprise",
            self.enterprise_a.credit_code,
            password="Clerk#2026",
        )
        self.assertEqual(
            User.objects.get(username="clerk").enterprise, self.enterprise_a
        )

    def test_it_links_a_liaison_to_a_street(self) -> None:
        self.run_command("zhao", "--role", "street_liaison", "--org-unit", "330105002")
        self.assertEqual(User.objects.get(username="zhao").org_unit, self.street_b)

    def test_bad_arguments_are_clear_errors_that_create_nothing(self) -> None:
        cases = [
            (["x1", "--role", "king"], "Unknown role"),
            (
                ["x2", "--role", "enterprise", "--enterprise", "91330105MA00000000"],
                "No enterprise",
            ),
            (["x3", "--role", "street_liaison", "--org-unit", "999"], "No org unit"),
            (["x4", "--role", "enterprise"], "needs --enterprise"),
            (
                ["x5", "--role", "street_liaison", "--org-unit", "330105"],
                "org_unit",
            ),
            (["officer", "--role", "staff"], "username"),
        ]
        before = User.objects.count()
        for args, message in cases:
            with (
                self.subTest(args=args),
                self.assertRaisesMessage(CommandError, message),
            ):
                self.run_command(*args)
        self.assertEqual(User.objects.count(), before)

    def test_the_password_policy_depends_on_the_role(self) -> None:
        with self.assertRaisesMessage(CommandError, "12"):
            self.run_command("short", "--role", "staff", password="Abc#12345")
        with self.assertRaisesMessage(CommandError, "3"):
            self.run_command("simple", "--role", "staff", password="abcdefghijklmnop")
        with self.assertRaisesMessage(CommandError, "password"):
            self.run_command(
                "common",
                "--role",
                "enterprise",
                "--enterprise",
                self.enterprise_b.credit_code,
                password="Password1",
            )
        self.assertFalse(
            User.objects.filter(username__in=["short", "simple", "common"]).exists()
        )
        # 8 characters are enough for an enterprise clerk.
        self.run_command(
            "ok",
            "--role",
            "enterprise",
            "--enterprise",
            self.enterprise_b.credit_code,
            password="Qx7#kLm2",
        )

    def test_a_password_like_the_username_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "password"):
            self.run_command(
                "zhangsanfeng", "--role", "staff", password="Zhangsanfeng1!"
            )

    def test_without_the_variable_or_a_terminal_it_refuses(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "BUREAU_NEW_PASSWORD"}
        with (
            mock.patch.dict(os.environ, env, clear=True),
            mock.patch("sys.stdin.isatty", return_value=False),
        ):
            with self.assertRaisesMessage(CommandError, "BUREAU_NEW_PASSWORD"):
                call_command("create_user", "nopass", "--role", "staff")


class SeedDemoTests(TestCase):
    # That seed_demo builds the demo district and is idempotent is tested on
    # the demo data the API conformance run needs anyway, seeded once:
    # tests/test_openapi_conformance.py (DemoDataTests).

    @override_settings(DEBUG=False)
    def test_it_refuses_to_run_in_production_by_accident(self) -> None:
        with self.assertRaisesMessage(CommandError, "--allow-production"):
            call_command("seed_demo", stdout=StringIO())


def run_manage(
    *args: str, env: dict[str, str], timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class StartupConfigurationTests(TestCase):
    def test_it_refuses_to_start_without_secret_key_when_debug_is_off(self) -> None:
        result = run_manage("check", env={"DEBUG": "false"})
        self.assertNotEqual(result.returncode, 0)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("SECRET_KEY", lines[0])

    def test_an_unconfigured_checkout_runs_commands_in_development_mode(
        self,
    ) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "DATABASE_URL")
            and k != "DJANGO_SETTINGS_MODULE"
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("No changes detected", result.stdout)

    def test_an_invalid_value_names_its_variable(self) -> None:
        cases = {
            "DEBUG": "maybe",
            "TIME_ZONE": "Mars/Olympus",
            "LANGUAGE_CODE": "fr",
            "LOGIN_FAILURE_LIMIT": "five",
            "REDIS_URL": "http://localhost",
            "DATABASE_URL": "nosuchdb://x",
        }
        for name, value in cases.items():
            with self.subTest(name=name):
                result = run_manage(
                    "check", env={"SECRET_KEY": STRONG_KEY, name: value}
                )
                self.assertNotEqual(result.returncode, 0)
                self.assertEqual(
                    len(result.stderr.strip().splitlines()), 1, result.stderr
                )
                self.assertIn(name, result.stderr)

    def test_healthz_names_an_unreachable_database_within_seconds(self) -> None:
        code = (
            "from django.test import Client; r = Client().get('/healthz'); "
            "print(r.status_code, r.json()['database'])"
        )
        result = run_manage(
            "shell",
            "-c",
            code,
            env={
                "SECRET_KEY": STRONG_KEY,
                "ALLOWED_HOSTS": "testserver",
                "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            },
            timeout=30,
        )
        self.assertEqual(
            result.stdout.strip().splitlines()[-1], "503 error", result.stderr
        )
