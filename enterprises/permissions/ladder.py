"""Who may manage the ladder (梯队) and see its funnel, renewals and the
quarterly monitoring."""

from __future__ import annotations

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
    Certification,
    Enterprise,
    MonitoringReport,
)
from enterprises.permissions.registry import can_read_registry_reports
from enterprises.permissions.roles import _signed_in_as

# --- The ladder ---------------------------------------------------------------


def can_manage_ladder(user: AnyUser) -> bool:
    """Award and revoke tiers."""
    return has_role(user, *BUREAU_WRITERS)


def get_certification_for_user(
    user: AnyUser, enterprise: Enterprise, pk: int | str, *, write: bool = False
) -> Certification:
    """One of `enterprise`'s certifications (already checked visible): 404
    when it is not the enterprise's, 403 on `write` for a non-manager."""
    return get_for_user(
        Certification.objects.select_related("tier", "enterprise"),
        pk=pk,
        enterprise=enterprise,
        allowed=not write or can_manage_ladder(user),
    )


def can_view_funnel(user: AnyUser) -> bool:
    return can_read_registry_reports(user)


def can_view_renewals(user: AnyUser) -> bool:
    """The 重新认定 list of 高企 holders in their expiry year (liaisons:
    their street's)."""
    return can_read_registry_reports(user)


# --- Quarterly monitoring -----------------------------------------------------


def monitoring_reports_visible_to(user: AnyUser) -> QuerySet[MonitoringReport]:
    """Every street's reports for the district's readers, the street's own for
    a liaison; callers check can_view_monitoring first."""
    qs = MonitoringReport.objects.select_related("org_unit")
    if _signed_in_as(user, Role.STREET_LIAISON):
        return qs.filter(org_unit_id=user.org_unit_id)
    if has_role(user, *BUREAU_READERS):
        return qs
    return qs.none()


def can_view_monitoring(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_run_monitoring(user: AnyUser) -> bool:
    """Start a quarter's monitoring from the page and watch it run: staff
    and section heads."""
    return has_role(user, *BUREAU_WRITERS)
