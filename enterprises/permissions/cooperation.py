"""Who may see and manage carriers, cooperation agreements and alliances."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bureau.models import Role
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    Agreement,
    Alliance,
    Carrier,
    Enterprise,
    RDInstitution,
)
from enterprises.permissions.registry import can_read_registry_reports
from enterprises.permissions.roles import _signed_in_as
from enterprises.permissions.support import can_record_support


def carriers_visible_to(user: AnyUser) -> QuerySet[Carrier]:
    """Every carrier for the district's readers, the street's for a liaison;
    callers check can_read_registry_reports first."""
    qs = Carrier.objects.select_related("org_unit", "type", "host").prefetch_related(
        "residents"
    )
    if _signed_in_as(user, Role.STREET_LIAISON):
        return qs.filter(org_unit_id=user.org_unit_id)
    if has_role(user, *BUREAU_READERS):
        return qs
    return qs.none()


def get_carrier_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> Carrier:
    """A carrier, or 404 when `user` may not see it (another street's for a
    liaison), 403 on `write` unless `user` records carriers."""
    return get_for_user(
        carriers_visible_to(user)
        if can_read_registry_reports(user)
        else Carrier.objects.none(),
        pk=pk,
        allowed=not write or can_record_support(user),
    )


def rd_institutions_visible_to(user: AnyUser) -> QuerySet[RDInstitution]:
    """The R&D institutions register: every institution for the district's
    readers, those hosted in their street for a liaison, none otherwise."""
    qs = RDInstitution.objects.select_related("enterprise__org_unit", "type")
    if _signed_in_as(user, Role.STREET_LIAISON):
        if not user.org_unit_id:
            return qs.none()
        return qs.filter(enterprise__org_unit_id=user.org_unit_id)
    if has_role(user, *BUREAU_READERS):
        return qs
    return qs.none()


def get_rd_institution_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> RDInstitution:
    """An R&D institution, or 404 when `user` may not see it (another
    street's for a liaison), 403 on `write` unless `user` records them."""
    return get_for_user(
        rd_institutions_visible_to(user)
        if can_read_registry_reports(user)
        else RDInstitution.objects.none(),
        pk=pk,
        allowed=not write or can_record_support(user),
    )


# --- Cooperation and alliances --------------------------------------------------


def can_list_cooperation(user: AnyUser) -> bool:
    """Agreements and alliances: the district's readers, a liaison those
    that involve an organisation of their street."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_manage_cooperation(user: AnyUser) -> bool:
    """Record and change agreements, their follow-up visits and alliances."""
    return has_role(user, *BUREAU_WRITERS)


def agreements_visible_to(user: AnyUser) -> QuerySet[Agreement]:
    """Every agreement for the district's readers; for a liaison those where
    a party or the registered partner is of their street; none otherwise."""
    qs = Agreement.objects.all()
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        street = Enterprise.objects.filter(org_unit_id=user.org_unit_id)
        return qs.filter(
            Q(
                pk__in=Agreement.parties.through.objects.filter(
                    enterprise__in=street
                ).values("agreement_id")
            )
            | Q(partner__in=street)
        )
    return qs.none()


def get_agreement_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> Agreement:
    return get_for_user(
        agreements_visible_to(user).select_related("partner"),
        pk=pk,
        allowed=not write or can_manage_cooperation(user),
    )


def alliances_visible_to(user: AnyUser) -> QuerySet[Alliance]:
    """Every alliance for the district's readers; for a liaison those whose
    lead or a member is of their street."""
    qs = Alliance.objects.all()
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        street = Enterprise.objects.filter(org_unit_id=user.org_unit_id)
        return qs.filter(
            Q(
                pk__in=Alliance.members.through.objects.filter(
                    enterprise__in=street
                ).values("alliance_id")
            )
            | Q(lead__in=street)
        )
    return qs.none()


def get_alliance_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> Alliance:
    return get_for_user(
        alliances_visible_to(user).select_related("lead"),
        pk=pk,
        allowed=not write or can_manage_cooperation(user),
    )
