from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bureau.models import OrgUnit, Role
from bureau.services import user_create
from enterprises.models import Enterprise


class Command(BaseCommand):
    help = (
        "Create one user with a role. The password comes from BUREAU_NEW_PASSWORD "
        "or is prompted for. Creates nothing if any argument is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument(
            "--enterprise", metavar="CREDIT_CODE", help="for --role enterprise"
        )
        parser.add_argument(
            "--org-unit", metavar="CODE", help="for --role street_liaison"
        )
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--temporary",
            action="store_true",
            help="the user must change this password at the first login",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if role not in Role.values:
            raise CommandError(
                f"Unknown role {role!r}. Roles: {', '.join(Role.values)}"
            )
        enterprise = None
        if options["enterprise"]:
            enterprise = Enterprise.objects.filter(
                credit_code=options["enterprise"]
            ).first()
            if enterprise is None:
                raise CommandError(
                    f"No enterprise has credit code {options['enterprise']!r}"
                )
        org_unit = None
        if options["org_unit"]:
            org_unit = OrgUnit.objects.filter(code=options["org_unit"]).first()
            if org_unit is None:
                raise CommandError(f"No org unit has code {options['org_unit']!r}")
        if role == Role.ENTERPRISE and enterprise is None:
            raise CommandError("--role enterprise needs --enterprise CREDIT_CODE")
        if role == Role.STREET_LIAISON and org_unit is None:
            raise CommandError("--role street_liaison needs --org-unit CODE")

        password = os.environ.get("BUREAU_NEW_PASSWORD")
        if not password:
            if not options.get("interactive", True) or not self.stdin_is_tty():
                raise CommandError(
                    "Set BUREAU_NEW_PASSWORD or run in a terminal to be prompted"
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match")
        try:
            user = user_create(
                username=options["username"],
                role=role,
                password=password,
                enterprise=enterprise,
                org_unit=org_unit,
                full_name=options["full_name"],
                email=options["email"],
                temporary=options["temporary"],
                by=None,
            )
        except ValidationError as exc:
            errors = (
                exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            )
            lines = [
                f"{field}: {message}" if field else message
                for field, messages in errors.items()
                for message in messages
            ]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.username} ({user.get_role_display()})")
        )

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()
