"""Who may see or change what in the enterprises app.

Pages, the API, exports, the menu and templates (through the context) all ask
these predicates. Lookups by id go through the `get_<x>_for_user` helpers,
which check in one order: not visible → 404, role may never do it → 403.
(A move the object's state forbids is the service's 409.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeGuard, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from bureau.models import Role, User
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
    AnnualReturn,
    Carrier,
    Certification,
    Enterprise,
    Event,
    FollowUp,
    IPItem,
    MonitoringReport,
    QuarterlyReport,
    Registration,
    ScienceBase,
    TechTransfer,
)

FilingT = TypeVar("FilingT", AnnualReturn, QuarterlyReport)


def _signed_in_as(user: AnyUser, *roles: str) -> TypeGuard[User]:
    """has_role, telling mypy that `user` is then a User (whose org unit and
    enterprise the scoped rules read)."""
    return isinstance(user, User) and has_role(user, *roles)


# Who records visits and may own a follow-up: bureau staff and liaisons.
VISITORS: tuple[str, ...] = (*BUREAU_WRITERS, Role.STREET_LIAISON)

# The contact fields an enterprise keeps up to date itself.
_CONTACT_FIELDS = frozenset(
    {
        "legal_representative",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
    }
)
# Fields each role may change on an enterprise (None: every field). A liaison
# keeps the street's enterprises up to date but may not rename one, change its
# credit code or move it to another street: those are the registry's own.
ENTERPRISE_FIELDS_BY_ROLE: dict[str, frozenset[str] | None] = {
    Role.STAFF: None,
    Role.SECTION_HEAD: None,
    Role.STREET_LIAISON: _CONTACT_FIELDS
    | {
        "industry_section",
        "industry_division",
        "high_tech_field",
        "founded_on",
        "is_above_scale",
    },
    Role.ENTERPRISE: _CONTACT_FIELDS,
}


# --- Enterprises --------------------------------------------------------------


def enterprises_visible_to(
    user: AnyUser, queryset: QuerySet[Enterprise] | None = None
) -> QuerySet[Enterprise]:
    """The enterprises `user` may see: the district for bureau roles, their
    street for a liaison, their own for an enterprise user, none otherwise."""
    qs = Enterprise.objects.all() if queryset is None else queryset
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(org_unit_id=user.org_unit_id)
    if _signed_in_as(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def can_view_enterprise(user: AnyUser, enterprise: Enterprise) -> bool:
    if has_role(user, *BUREAU_READERS):
        return True
    if _signed_in_as(user, Role.STREET_LIAISON):
        return bool(enterprise.org_unit_id == user.org_unit_id)
    if _signed_in_as(user, Role.ENTERPRISE):
        return bool(enterprise.pk == user.enterprise_id)
    return False


def can_edit_enterprise(user: AnyUser, enterprise: Enterprise) -> bool:
    """Staff edit any; a liaison their street's; an enterprise its contacts."""
    if not can_view_enterprise(user, enterprise):
        return False
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def enterprise_fields_for(user: AnyUser) -> frozenset[str] | None:
    """The enterprise fields `user` may change; None means every field."""
    return ENTERPRISE_FIELDS_BY_ROLE.get(getattr(user, "role", ""), frozenset())


def enterprise_fields_refused(user: AnyUser, fields: Iterable[str]) -> list[str]:
    """Of `fields` (names), those `user` may not change, sorted."""
    allowed = enterprise_fields_for(user)
    if allowed is None:
        return []
    return sorted(set(fields) - allowed)


def can_create_enterprise(user: AnyUser) -> bool:
    """Register enterprises, one by one or by roster import."""
    return has_role(user, *BUREAU_WRITERS)


def can_export_enterprises(user: AnyUser) -> bool:
    """Download the (filtered) enterprise list: whoever may list it."""
    return can_list_enterprises(user) and not has_role(user, Role.ENTERPRISE)


def get_enterprise_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> Enterprise:
    """The enterprise, or 404 when `user` may not see it, 403 when they may
    see but not change it."""
    return get_for_user(
        enterprises_visible_to(user).select_related("org_unit"),
        pk=pk,
        allowed=lambda enterprise: not write or can_edit_enterprise(user, enterprise),
    )


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


def can_read_registry_reports(user: AnyUser) -> bool:
    """The funnel, the closest-to-qualifying list and the carriers: the
    district's readers and the liaisons (scoped to their street)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


# --- Filings ------------------------------------------------------------------


def filings_visible_to(user: AnyUser, model: type[FilingT]) -> QuerySet[FilingT]:
    """The annual returns or quarterly reports of the enterprises `user` sees:
    the district's for bureau readers (the leader read-only), the street's for
    a liaison (read-only: never file or review), its own for an enterprise."""
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


# --- Visits, follow-ups, institutions, loans, carriers ------------------------


def can_record_visit(user: AnyUser) -> bool:
    return has_role(user, *VISITORS)


def can_record_support(user: AnyUser) -> bool:
    """Record R&D institutions, loans and carriers."""
    return has_role(user, *BUREAU_WRITERS)


def get_follow_up_for_user(user: AnyUser, pk: int | str) -> FollowUp:
    """A follow-up to close: 404 unless its enterprise is visible, 403 unless
    `user` owns it or manages the ladder."""
    return get_for_user(
        FollowUp.objects.select_related("visit"),
        pk=pk,
        visit__enterprise__in=enterprises_visible_to(user),
        allowed=lambda follow_up: (
            follow_up.owner_id == user.pk or can_manage_ladder(user)
        ),
    )


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


# --- What the menu offers (bureau/context_processors.py asks these) ------------


def can_list_enterprises(user: AnyUser) -> bool:
    """The registry list: the district, a street, or one's own enterprise."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def can_view_funnel(user: AnyUser) -> bool:
    return can_read_registry_reports(user)


def can_view_renewals(user: AnyUser) -> bool:
    """The 重新认定 list of 高企 holders in their expiry year (liaisons:
    their street's)."""
    return can_read_registry_reports(user)


def can_view_monitoring(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_run_monitoring(user: AnyUser) -> bool:
    """Start a quarter's monitoring from the page and watch it run: staff
    and section heads."""
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


# --- Account registrations (enterprises/services/registrations.py) -------------


def can_list_registrations(user: AnyUser) -> bool:
    """The registrations page: staff (all), a liaison (their street's), an
    enterprise user (requests for a second account of their enterprise)."""
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def registrations_visible_to(user: AnyUser) -> QuerySet[Registration]:
    """Staff see every request; a liaison those of their street (an
    enterprise already registered by its own street, a new one by the street
    the applicant chose); an enterprise user those for its own credit code."""
    qs = Registration.objects.select_related(
        "org_unit", "enterprise__org_unit", "decided_by"
    )
    if has_role(user, *BUREAU_WRITERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(
            Q(enterprise__org_unit_id=user.org_unit_id)
            | Q(enterprise__isnull=True, org_unit_id=user.org_unit_id)
        )
    if _signed_in_as(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(
            credit_code__in=Enterprise.objects.filter(pk=user.enterprise_id).values(
                "credit_code"
            )
        )
    return qs.none()


def registration_account_holders(registration: Registration) -> QuerySet[User]:
    """The active enterprise accounts already bound to the request's credit
    code: with one, only its holder or staff may approve another."""
    return User.objects.filter(
        role=Role.ENTERPRISE,
        is_active=True,
        enterprise__credit_code=registration.credit_code,
    )


def can_approve_registration(user: AnyUser, registration: Registration) -> bool:
    """Staff always; otherwise, while the credit code has an active account,
    only its holder; else the liaison of the enterprise's street."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    holders = registration_account_holders(registration)
    if _signed_in_as(user, Role.ENTERPRISE):
        return holders.filter(pk=user.pk).exists()
    if _signed_in_as(user, Role.STREET_LIAISON):
        return not holders.exists() and _liaison_of(user, registration)
    return False


def can_refuse_registration(user: AnyUser, registration: Registration) -> bool:
    """Whoever sees the request and decides on some: staff, the street's
    liaison, the holder of the enterprise's account."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    if _signed_in_as(user, Role.STREET_LIAISON):
        return _liaison_of(user, registration)
    if _signed_in_as(user, Role.ENTERPRISE):
        return registration_account_holders(registration).filter(pk=user.pk).exists()
    return False


def _liaison_of(user: User, registration: Registration) -> bool:
    street = (
        registration.enterprise.org_unit_id
        if registration.enterprise is not None
        else registration.org_unit_id
    )
    return bool(user.org_unit_id and street == user.org_unit_id)


def get_registration_for_user(
    user: AnyUser, pk: int | str, *, action: str = ""
) -> Registration:
    """A request, or 404 when `user` may not see it, 403 when they may not
    `action` ("approve" or "refuse") it."""
    rules = {"approve": can_approve_registration, "refuse": can_refuse_registration}
    rule = rules.get(action)
    return get_for_user(
        registrations_visible_to(user),
        pk=pk,
        allowed=lambda registration: rule is None or rule(user, registration),
    )


def can_issue_enterprise_accounts(user: AnyUser) -> bool:
    """Create accounts for the roster's enterprises in bulk."""
    return has_role(user, *BUREAU_WRITERS)


# --- Events and 科普 bases (enterprises/models/events.py) ---------------------


def can_view_events(user: AnyUser) -> bool:
    """The events and 科普 bases pages and API: the district's readers and a
    liaison (their street's)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_record_events(user: AnyUser) -> bool:
    """Record events: staff for the district, a liaison for their street."""
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON)


def can_manage_science_bases(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    """Every event for the district's readers; for a liaison the events
    their street held or enterprises of their street attended; for an
    enterprise user those its enterprise attended."""
    qs = Event.objects.all()
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        attended = Event.enterprises.through.objects.filter(
            enterprise__org_unit_id=user.org_unit_id
        ).values("event_id")
        return qs.filter(Q(org_unit_id=user.org_unit_id) | Q(pk__in=attended))
    if _signed_in_as(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(
            pk__in=Event.enterprises.through.objects.filter(
                enterprise_id=user.enterprise_id
            ).values("event_id")
        )
    return qs.none()


def can_edit_event(user: AnyUser, event: Event) -> bool:
    """Staff change any event; a liaison those their street held."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    return _signed_in_as(user, Role.STREET_LIAISON) and bool(
        user.org_unit_id and event.org_unit_id == user.org_unit_id
    )


def get_event_for_user(user: AnyUser, pk: int | str, *, write: bool = False) -> Event:
    """404 when `user` may not see the event, 403 on `write` when they may
    not change it."""
    return get_for_user(
        events_visible_to(user).select_related("org_unit"),
        pk=pk,
        allowed=lambda event: not write or can_edit_event(user, event),
    )


def science_bases_visible_to(user: AnyUser) -> QuerySet[ScienceBase]:
    qs = ScienceBase.objects.select_related("org_unit")
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(org_unit_id=user.org_unit_id)
    return qs.none()


def get_science_base_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> ScienceBase:
    return get_for_user(
        science_bases_visible_to(user),
        pk=pk,
        allowed=not write or can_manage_science_bases(user),
    )


# --- The IP, transfer and staff registers (RULES §2.3, §2.5, §3.4) -------------


def can_list_ip_items(user: AnyUser) -> bool:
    """The district's IP list: whoever lists enterprises, scoped the same way."""
    return can_list_enterprises(user)


def can_edit_registers(user: AnyUser, enterprise: Enterprise) -> bool:
    """Add or change an enterprise's IP items, transfers and staff roster:
    bureau staff, or the enterprise itself."""
    if _signed_in_as(user, Role.ENTERPRISE):
        return bool(enterprise.pk == user.enterprise_id)
    return has_role(user, *BUREAU_WRITERS)


def can_edit_any_registers(user: AnyUser) -> bool:
    """Whether `user`'s role ever changes registers (for some enterprise)."""
    return has_role(user, *BUREAU_WRITERS, Role.ENTERPRISE)


def can_view_roster(user: AnyUser, enterprise: Enterprise) -> bool:
    """The people on a staff roster (personal data): bureau staff and the
    enterprise itself; other readers see only the annual figures."""
    return can_edit_registers(user, enterprise)


def ip_items_visible_to(user: AnyUser) -> QuerySet[IPItem]:
    return IPItem.objects.filter(
        enterprise__in=enterprises_visible_to(user)
    ).select_related("enterprise")


def get_ip_item_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> IPItem:
    """An IP item, or 404 when its enterprise is not visible to `user`, 403
    on `write` when `user` may not change the enterprise's registers."""
    return get_for_user(
        ip_items_visible_to(user),
        pk=pk,
        allowed=lambda item: not write or can_edit_registers(user, item.enterprise),
    )


def get_transfer_for_user(
    user: AnyUser, enterprise: Enterprise, pk: int | str, *, write: bool = False
) -> TechTransfer:
    """One of `enterprise`'s transfers (already checked visible)."""
    return get_for_user(
        TechTransfer.objects.all(),
        pk=pk,
        enterprise=enterprise,
        allowed=not write or can_edit_registers(user, enterprise),
    )


def can_view_above_scale(user: AnyUser) -> bool:
    """The 规上 proposals list: the district's readers, a liaison (street)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_confirm_above_scale(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


# --- Facts recorded for the pre-check -------------------------------------------


def can_record_facts(user: AnyUser) -> bool:
    """Checks and judgements the figures cannot give (credit, incidents, the
    core-technology field …) are recorded by bureau staff and section heads."""
    return has_role(user, *BUREAU_WRITERS)


def get_enterprise_for_facts(user: AnyUser, pk: int | str) -> Enterprise:
    """The enterprise whose facts `user` records: 404 when they may not see
    it, 403 when their role may never record one."""
    return get_for_user(
        enterprises_visible_to(user).select_related("org_unit"),
        pk=pk,
        allowed=lambda enterprise: can_record_facts(user),
    )


def can_use_calculators(user: AnyUser) -> bool:
    """The policy calculators (政策测算) store nothing and show no one's data:
    any signed-in user may use them."""
    return bool(getattr(user, "is_authenticated", False))


def calculators_in_menu(user: AnyUser) -> bool:
    """The menu offers them to the users they are for: enterprise users and
    bureau staff (others may still open the address)."""
    return has_role(user, Role.ENTERPRISE, *BUREAU_READERS)


def require_calculator_user(user: AnyUser) -> None:
    if not can_use_calculators(user):
        raise PermissionDenied
