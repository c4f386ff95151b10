"""Who may file, review, list and export annual returns and quarterly
reports."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet

from bureau.models import Role
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    AnnualReturn,
    Enterprise,
    QuarterlyReport,
)
from enterprises.permissions.registry import enterprises_visible_to
from enterprises.permissions.roles import _signed_in_as

FilingT = TypeVar("FilingT", AnnualReturn, QuarterlyReport)


# --- Filings ------------------------------------------------------------------


def filings_visible_to(user: AnyUser, model: type[FilingT]) -> QuerySet[FilingT]:
    """The annual returns or quarterly reports of the enterprises `user` sees:
    the district's for bureau readers (the leader read-only), the street's for
    a liaison (read-only: never file or review), its own for an enterprise."""
    if has_role(user, *BUREAU_READERS):
        # The whole district: no "enterprise IN (every enterprise)" for the
        # database to join (it cost a home page's queues a scan of both).
        return model.objects.select_related("enterprise")
    return model.objects.filter(
        enterprise__in=enterprises_visible_to(user)
    ).select_related("enterprise")


def get_filing_for_user(
    user: AnyUser, model: type[FilingT], pk: int | str, *, write: bool = False
) -> FilingT:
    """A filing, or 404 when `user` may not see it, 403 on `write` when they
    may not enter it."""
    return get_for_user(
        filings_visible_to(user, model),
        pk=pk,
        allowed=lambda filing: not write or can_file_for(user, filing.enterprise),
    )


def can_file_for(user: AnyUser, enterprise: Enterprise) -> bool:
    """Enter or submit an enterprise's returns: the enterprise itself, or
    bureau staff entering on its behalf."""
    if _signed_in_as(user, Role.ENTERPRISE):
        return bool(enterprise.pk == user.enterprise_id)
    return has_role(user, *BUREAU_WRITERS)


def can_file_filings(user: AnyUser) -> bool:
    """Whether `user`'s role ever enters returns (for some enterprise)."""
    return has_role(user, *BUREAU_WRITERS, Role.ENTERPRISE)


def can_start_filing(user: AnyUser) -> bool:
    """The "new filing" button of the lists: an enterprise files for itself
    (staff start one from the enterprise's page)."""
    return _signed_in_as(user, Role.ENTERPRISE) and bool(user.enterprise_id)


def can_review_filings(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


def can_list_filings(user: AnyUser) -> bool:
    """Annual returns and quarterly reports lists: staff review them; the
    leader and a street liaison (their street's) read them, as they read the
    enterprises that link to them; an enterprise lists its own."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def can_export_filings(user: AnyUser) -> bool:
    """Download the (filtered) filing list: whoever lists the district's or a
    street's filings."""
    return can_list_filings(user) and not has_role(user, Role.ENTERPRISE)
