from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from bureau.demo import seed_tasks
from bureau.models import OrgUnit, Role, User
from bureau.services import org_unit_save, user_create, user_set_password, user_update
from enterprises.demo import seed_enterprises
from enterprises.models import Enterprise
from enterprises.services import certifications_expire, eligibility_snapshots_refresh
from enterprises.validators import credit_code_for_serial
from indicators.demo import seed_indicators
from projects.demo import seed_projects, seed_rewards, seed_upward
from projects.models import Expert, ProfessionalField
from talent.demo import seed_talent

DEMO_PASSWORD = "Keji#Demo2026"

CITY = ("330100", "杭州市")
HOME_DISTRICT = ("330105", "拱墅区")
PEER_DISTRICTS = [
    ("330102", "上城区"),
    ("330106", "西湖区"),
    ("330108", "滨江区"),
    ("330109", "萧山区"),
    ("330110", "余杭区"),
    ("330113", "临平区"),
    ("330114", "钱塘区"),
]
STREETS = [
    "米市巷街道",
    "湖墅街道",
    "小河街道",
    "和睦街道",
    "拱宸桥街道",
    "大关街道",
    "上塘街道",
    "祥符街道",
    "康桥街道",
    "半山街道",
    "石桥街道",
    "东新街道",
    "文晖街道",
    "朝晖街道",
    "潮鸣街道",
    "长庆街道",
    "武林街道",
    "天水街道",
]
PARKS = ["智慧网谷小镇", "运河财富小镇", "北部软件园"]

DEMO_ENTERPRISES = [
    ("杭州云河智能科技有限公司", 0),
    ("杭州拱宸生物医药有限公司", 4),
    ("浙江运河新材料股份有限公司", 7),
]

# (username, role, full name); the liaison and enterprise get their links below.
DEMO_USERS = [
    ("demo_admin", Role.BUREAU_ADMIN, "刘洋"),
    ("demo_security", Role.SECURITY_ADMIN, "陈静"),
    ("demo_auditor", Role.AUDITOR, "黄敏"),
    ("demo_staff", Role.STAFF, "王科员"),
    ("demo_head", Role.SECTION_HEAD, "李科长"),
    ("demo_leader", Role.LEADER, "张局长"),
    ("demo_liaison", Role.STREET_LIAISON, "赵联络员"),
    ("demo_enterprise", Role.ENTERPRISE, "陈专员"),
    ("demo_expert", Role.EXPERT, "周教授"),
]


class Command(BaseCommand):
    help = (
        "Build the demo district: city, our district with its streets and parks, "
        "peer districts, demo enterprises and one user per role (password reset "
        "to the demo password). Safe to run again: it updates, never duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even with DEBUG off (demo users have a published password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: demo users have a published password. "
                "Pass --allow-production to seed anyway."
            )
        with transaction.atomic():
            home, units = self._org_units()
            enterprises = self._enterprises(units)
            users = self._users(units, enterprises)
            staff = [u for u in users if u.role in (Role.STAFF, Role.SECTION_HEAD)]
            created = seed_enterprises(staff=staff, featured=enterprises)
            certifications_expire()
            snapshots = eligibility_snapshots_refresh()
            people = seed_talent(by=staff[0])
            head = next(u for u in users if u.role == Role.SECTION_HEAD)
            applications = seed_projects(
                staff=staff[0], head=head, featured=enterprises[0]
            )
            seed_upward(staff=staff[0], head=head)
            seed_indicators(by=staff[0])
            # After the indicators' technology contracts: a reward rule
            # reads the contracts the enterprises bought.
            seed_rewards(by=staff[0])
            seed_tasks(users=users, streets=units, enterprises=enterprises)
        self.stdout.write(
            f"Enterprises: {created} created ({Enterprise.objects.count()} in all), "
            f"{snapshots} eligibility pre-checks; "
            f"{people or 'no new'} talent records; "
            f"{applications or 'no new'} applications."
        )
        call_command("setup_periodic_tasks", stdout=self.stdout)
        self._print_summary(home, units, enterprises, users)

    def _unit(
        self, code: str, name: str, level: str, parent: OrgUnit | None, **extra: Any
    ) -> OrgUnit:
        unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
        wanted = {"name": name, "level": level, "parent": parent, **extra}
        if unit.pk and all(getattr(unit, k) == v for k, v in wanted.items()):
            return unit
        for key, value in wanted.items():
            setattr(unit, key, value)
        return org_unit_save(unit=unit, by=None)

    def _org_units(self) -> tuple[OrgUnit, list[OrgUnit]]:
        city = self._unit(*CITY, OrgUnit.Level.CITY, None)
        home = self._unit(*HOME_DISTRICT, OrgUnit.Level.DISTRICT, city, is_home=True)
        for order, (code, name) in enumerate(PEER_DISTRICTS, start=1):
            self._unit(code, name, OrgUnit.Level.DISTRICT, city, sort_order=order)
        units = []
        for order, name in enumerate(STREETS, start=1):
            code = f"{HOME_DISTRICT[0]}{order:03d}"
            units.append(
                self._unit(code, name, OrgUnit.Level.STREET, home, sort_order=order)
            )
        for order, name in enumerate(PARKS, start=1):
            code = f"{HOME_DISTRICT[0]}P{order:02d}"
            units.append(
                self._unit(code, name, OrgUnit.Level.PARK, home, sort_order=100 + order)
            )
        return home, units

    def _enterprises(self, units: list[OrgUnit]) -> list[Enterprise]:
        result = []
        for serial, (name, unit_index) in enumerate(DEMO_ENTERPRISES, start=1):
            enterprise, _ = Enterprise.objects.get_or_create(
                credit_code=credit_code_for_serial(serial * 7919 + 104729),
                defaults={"name": name, "org_unit": units[unit_index]},
            )
            result.append(enterprise)
        return result

    def _users(self, units: list[OrgUnit], enterprises: list[Enterprise]) -> list[User]:
        links: dict[str, dict[str, Any]] = {
            Role.STREET_LIAISON: {"org_unit": units[0]},
            Role.ENTERPRISE: {"enterprise": enterprises[0]},
        }
        users = []
        for username, role, full_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    role=role,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    by=None,
                    **links.get(role, {}),
                )
            else:
                if user.role != role or not user.is_active:
                    user = user_update(
                        user=user,
                        by=None,
                        role=role,
                        is_active=True,
                        **links.get(role, {}),
                    )
                if not user.check_password(DEMO_PASSWORD):
                    user_set_password(
                        user=user, password=DEMO_PASSWORD, by=None, temporary=False
                    )
            if role == Role.EXPERT:
                expert, created = Expert.objects.get_or_create(
                    user=user,
                    defaults={"name": full_name, "organisation": "浙江工业大学"},
                )
                if created:
                    expert.fields.set(
                        ProfessionalField.objects.named(
                            ["电子信息", "先进制造与自动化"]
                        )
                    )
            users.append(user)
        return users

    def _print_summary(
        self,
        home: OrgUnit,
        units: list[OrgUnit],
        enterprises: list[Enterprise],
        users: list[User],
    ) -> None:
        out = self.stdout
        out.write(
            f"Demo district {home.parent.name if home.parent else ''}{home.name}: {len(units)} streets and parks, "
            f"{len(PEER_DISTRICTS)} peer districts, {len(enterprises)} enterprises."
        )
        out.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            out.write(f"  {user.username:<16} {user.get_role_display()}")
