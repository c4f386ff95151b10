from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bureau.mfa import mfa_enrol_scripted
from bureau.models import User


class Command(BaseCommand):
    help = (
        "Give USERNAME a new, confirmed TOTP authenticator (replacing any) and "
        "print its otpauth:// URI, for scripted set-ups and tests. With "
        "--recovery-codes also print ten new recovery codes. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--recovery-codes",
            action="store_true",
            help="also print the new recovery codes, one a line",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        uri, codes = mfa_enrol_scripted(user=user)
        self.stdout.write(uri)
        if options["recovery_codes"]:
            for code in codes:
                self.stdout.write(code)
