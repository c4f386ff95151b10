"""Enterprise accounts issued by the bureau from the roster, in bulk.

Each enterprise without an active account gets one user (username: its
credit code) with a one-time password that must be changed at the first
login. The passwords exist only in the returned rows, written once into the
Excel file the bureau hands out (enterprises.exports); neither the database
nor the audit log keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from bureau.lib.exceptions import ApplicationError
from bureau.models import Role, User
from bureau.passwords import one_time_password
from bureau.services import user_create
from enterprises.models import Enterprise


@dataclass(frozen=True)
class IssuedAccount:
    enterprise: Enterprise
    username: str
    password: str


def enterprises_without_account(qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Of `qs`, the enterprises no active enterprise user is bound to."""
    accounts = User.objects.filter(
        enterprise=OuterRef("pk"), role=Role.ENTERPRISE, is_active=True
    )
    return qs.filter(~Exists(accounts))


def _free_username(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` … when someone holds it already (a
    registration that chose the credit code as username)."""
    name, n = base, 1
    while name.lower() in taken or (
        n > 1 and User.objects.filter(username__iexact=name).exists()
    ):
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return name


@transaction.atomic
def enterprise_accounts_issue(
    *, enterprises: Iterable[Enterprise], by: User
) -> list[IssuedAccount]:
    """Create one enterprise user per enterprise of `enterprises` that has no
    active account yet (the others are skipped), each with a one-time
    password. At most BULK_ACCOUNTS_MAX at once: each password is hashed,
    which takes time. One audit event (`user.create`) per account."""
    pks = [e.pk for e in enterprises]
    targets = list(
        enterprises_without_account(Enterprise.objects.filter(pk__in=pks))
        .select_for_update()
        .order_by("name", "id")
    )
    if len(targets) > settings.BULK_ACCOUNTS_MAX:
        raise ApplicationError(
            _(
                "%(n)d enterprises at once is too many: narrow the filter to at "
                "most %(max)d."
            )
            % {"n": len(targets), "max": settings.BULK_ACCOUNTS_MAX},
            code="too_many",
        )
    taken = {
        name.lower()
        for name in User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=[e.credit_code.lower() for e in targets])
        .values_list("username", flat=True)
    }
    issued = []
    for enterprise in targets:
        password = one_time_password()
        user = user_create(
            username=_free_username(enterprise.credit_code, taken),
            role=Role.ENTERPRISE,
            password=password,
            enterprise=enterprise,
            full_name=enterprise.contact_name,
            email=enterprise.contact_email,
            temporary=True,
            by=by,
        )
        issued.append(IssuedAccount(enterprise, user.username, password))
    return issued


def issued_accounts_workbook(issued: Iterable[IssuedAccount]) -> bytes:
    """The Excel file of issued accounts the bureau hands out: one row per
    enterprise with its username and one-time password (written as text, so
    nothing in it can become a formula)."""
    from bureau.lib.xlsx import Column, Sheet, write_xlsx

    columns = [
        Column(_("Enterprise"), width=36),
        Column(_("Unified social credit code"), width=24),
        Column(_("Street or park"), width=16),
        Column(_("Contact person"), width=12),
        Column(_("Username"), width=24),
        Column(_("One-time password"), width=20),
        Column(_("Note"), width=40),
    ]
    note = _("Change this password at the first login.")
    rows = [
        (
            account.enterprise.name,
            account.enterprise.credit_code,
            account.enterprise.org_unit.name,
            account.enterprise.contact_name,
            account.username,
            account.password,
            note,
        )
        for account in issued
    ]
    return write_xlsx([Sheet(str(_("Accounts")), columns, rows)])
