"""The load test's database: the three benchmark data sets in one database
(5,000 + 50,000 enterprises, 99,804 applications, 945,000 indicator values),
plus one account per role for locust. Run by bench/loadtest.py with
DATABASE_URL set; reuses what is already there.

Prints one JSON line: the ids locust needs (an enterprise user's enterprise,
a liaison's street, API tokens)."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bench.django_setup  # noqa: E402, F401  (settings, then django.setup())

# isort: split

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from bench import enterprises as bench_enterprises  # noqa: E402
from bench import indicators as bench_indicators  # noqa: E402
from bench import projects as bench_projects  # noqa: E402
from bench.django_setup import analyze, home_district  # noqa: E402
from bureau.models import OrgUnit, Role, User  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from indicators.models import DataValue  # noqa: E402
from projects.models import Application  # noqa: E402

PASSWORD = "Load#Test2026"
SESSIONS_PER_ROLE = 50


def _account(username: str, role: str, **extra: object) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=PASSWORD, role=role, **extra)
        group = Group.objects.filter(name=role).first()
        if group is not None:
            user.groups.set([group])
    user.set_password(PASSWORD)
    user.password_change_required = False
    user.password_changed_at = timezone.now()
    user.save()
    return user


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not Application.objects.exists():
        bench_projects.build(calls=500, per_call=196, big_call=2000, reviews=5)
    if Enterprise.objects.count() < 50_000:
        bench_enterprises.build_city(50_000, random.Random(4))
    if not DataValue.objects.exists():
        bench_indicators.build(15, 20, 36, 5, home=home_district())
    built = time.perf_counter() - started
    analyze()
    home = home_district()
    street = OrgUnit.objects.filter(parent=home).order_by("code").first()
    enterprise = Enterprise.objects.filter(org_unit=street).order_by("pk").first()
    users = {
        "staff": _account("load_staff", Role.STAFF),
        "leader": _account("load_leader", Role.LEADER),
        "liaison": _account("load_liaison", Role.STREET_LIAISON, org_unit=street),
        "enterprise": _account(
            "load_enterprise", Role.ENTERPRISE, enterprise=enterprise
        ),
    }
    tokens = [AuthToken.objects.create(user=users["staff"])[1] for _ in range(5)]
    # Signed-in sessions, one per simulated person: a day's work starts long
    # after the morning's login, and the login form's deliberately slow
    # password hashing would otherwise be most of what is measured.
    sessions: dict[str, list[str]] = {}
    for role, user in users.items():
        sessions[role] = []
        for _ in range(SESSIONS_PER_ROLE):
            client = Client()
            client.force_login(user)
            sessions[role].append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    print(
        json.dumps(
            {
                "password": PASSWORD,
                "users": {role: user.username for role, user in users.items()},
                "enterprise_id": enterprise.pk if enterprise else None,
                "enterprises": Enterprise.objects.count(),
                "applications": Application.objects.count(),
                "values": DataValue.objects.count(),
                "tokens": tokens,
                "sessions": sessions,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "build_seconds": round(built, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
