"""Shared by the benchmark scripts (`python bench/<app>.py`). Importing it
starts Django: the project's settings with throwaway secrets, quiet logs,
the test client's host allowed. Import it before any model."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
os.environ.setdefault(
    "SECRET_KEY", "bench-only-Hs7JcFy1UeBg6AQm8vT2xZr5LwK0pN4dLp3-Qe8Rw2"
)
os.environ.setdefault("PII_SM4_KEY", "62656e63682d6f6e6c792d6b65792d21")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The benchmark users sign in with force_login: no second factor to enter.
os.environ.setdefault("MFA_REQUIRED_ROLES", "")

django.setup()


if TYPE_CHECKING:
    from bureau.models import OrgUnit


def home_district() -> OrgUnit:
    """The home district (拱墅区) under its city, created if missing."""
    from bureau.models import OrgUnit

    city, _ = OrgUnit.objects.get_or_create(
        code="330100", defaults={"name": "杭州市", "level": "city"}
    )
    home, _ = OrgUnit.objects.get_or_create(
        code="330105",
        defaults={
            "name": "拱墅区",
            "level": "district",
            "parent": city,
            "is_home": True,
        },
    )
    return home


def analyze() -> None:
    """Fresh planner statistics (PostgreSQL's ANALYZE). A database built a
    moment ago has none until autovacuum comes round, and the planner then
    takes 55,000 enterprises for 23: text search scanned the whole table
    (61 ms instead of 7) and a liaison's home page once ran for 79 s. Every
    benchmark runs it before it measures."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
