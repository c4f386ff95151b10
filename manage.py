#!/usr/bin/env python
"""Django's command-line utility for the bureau platform."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    if not any(
        os.environ.get(name)
        for name in ("DEBUG", "DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE")
    ):
        # Nothing configured at all: this is a developer's checkout on the
        # embedded default (SQLite), so commands such as makemigrations work
        # as they are. A deployment sets DATABASE_URL and SECRET_KEY, and an
        # explicit DEBUG=false still refuses to start without a key.
        os.environ["DEBUG"] = "true"
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings to surface errors early
    except ImproperlyConfigured as exc:
        sys.exit(f"Configuration error: {exc}")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
