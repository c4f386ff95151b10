"""Writes of the registry and the ladder. Every one is atomic and audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audit_many, audited_save, snapshot
from bureau.lib.concurrency import conflict_on_integrity_error, lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from bureau.signals import business_data_changed
from enterprises.models import (
    Certification,
    Enterprise,
    HighTechAnnualReport,
    Tier,
)
from enterprises.permissions import enterprise_fields_for, enterprise_fields_refused
from enterprises.services.current_tier import enterprise_tier_refresh

ENTERPRISE_FIELDS = (
    "credit_code",
    "name",
    "kind",
    "org_unit",
    "industry_section",
    "industry_division",
    "high_tech_field",
    "founded_on",
    "is_above_scale",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)
CERTIFICATION_FIELDS = (
    "enterprise",
    "tier",
    "echelon",
    "number",
    "year",
    "first_time",
    "issued_on",
    "expires_on",
    "status",
    "revoked_on",
    "revocation_reason",
    "source_document",
)


def ladder_setting(name: str) -> Any:
    """One of settings.LADDER (whose values are of several types)."""
    return settings.LADDER[name]


def echelon_count() -> int:
    """How many echelons a tier with echelons has (1 is the top)."""
    return int(ladder_setting("echelon_count"))


def reaward_barred(tier: Tier) -> bool:
    """Whether `tier` may not be awarded again in the year an award of it was
    cancelled: 高企 (195号 §五(六)3) and 科小 by the listed codes, local
    tiers by LADDER["reaward_bar_local_tiers"] (our reading, RULES [I])."""
    if tier.code in ladder_setting("reaward_bar_tiers"):
        return True
    return tier.is_local and bool(ladder_setting("reaward_bar_local_tiers"))


# --- Registry ---------------------------------------------------------------


@transaction.atomic
def enterprise_create(*, by: User | None, **fields: Any) -> Enterprise:
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValueError(f"enterprise_create cannot set {sorted(unknown)}")
    enterprise = Enterprise(**fields)
    with conflict_on_integrity_error(enterprise):  # same 400 as the sequential path
        return audited_save(
            enterprise, by=by, action="enterprise.create", fields=ENTERPRISE_FIELDS
        )


@transaction.atomic
def enterprises_bulk_create(
    *, rows: list[dict[str, Any]], by: User | None
) -> list[Enterprise]:
    """Create many enterprises at once (roster imports): each row validated as
    enterprise_create would, then one insert per thousand rows and one audit
    event per enterprise, written in bulk. `org_unit` must be an OrgUnit
    instance. A bad row raises ValidationError keyed "<index>.<field>"."""
    enterprises, errors = [], {}
    for index, fields in enumerate(rows):
        unknown = set(fields) - set(ENTERPRISE_FIELDS)
        if unknown:
            raise ValueError(f"enterprises_bulk_create cannot set {sorted(unknown)}")
        enterprise = Enterprise(**fields)
        try:
            # Foreign keys and uniqueness are checked once for all rows below.
            enterprise.full_clean(
                exclude=["org_unit"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{index}.{field}"] = messages
        enterprises.append(enterprise)
    codes = [e.credit_code for e in enterprises]
    taken = set(
        Enterprise.objects.filter(credit_code__in=codes).values_list(
            "credit_code", flat=True
        )
    )
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in taken or code in seen:
            errors[f"{index}.credit_code"] = [
                _("An enterprise with this code already exists.")
            ]
        seen.add(code)
    if errors:
        raise ValidationError(errors)
    created = Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    audit_many(
        {
            "by": by,
            "action": "enterprise.create",
            "target": e,
            "after": {
                k: v
                for k, v in snapshot(e, ENTERPRISE_FIELDS).items()
                if v not in (None, "", False)
            },
        }
        for e in created
    )
    return created


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, by: User, **fields: Any) -> Enterprise:
    """Change registry fields, those `by`'s role may change
    (enterprises.permissions.ENTERPRISE_FIELDS_BY_ROLE)."""
    refused = enterprise_fields_refused(by, fields)
    if refused:
        raise PermissionDenied(f"{by.role} may not change {refused}")
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValueError(f"enterprise_update cannot set {sorted(unknown)}")
    before = snapshot(enterprise, ENTERPRISE_FIELDS)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    if enterprise.needs_completion and enterprise_fields_for(by) is None:
        enterprise.needs_completion = False  # staff completed a registered entry
    audited_save(
        enterprise,
        by=by,
        action="enterprise.update",
        fields=ENTERPRISE_FIELDS,
        before=before,
        only_if_changed=True,
    )
    if any(
        before[name] != getattr(enterprise, name) for name in ("is_above_scale", "kind")
    ):
        # 规上企业研发机构覆盖率 counts 规上 enterprises proper.
        business_data_changed.send(
            sender=Enterprise, year=timezone.localdate().year, subject="enterprise"
        )
    return enterprise


# --- The ladder -------------------------------------------------------------


def certification_expiry(tier: Tier, *, issued_on: date, year: int) -> date | None:
    """The last day a certification of `tier` is valid (RULES §2.7, §3.5)."""
    if tier.validity == Tier.Validity.EVALUATION_YEAR:
        return date(year, 12, 31)
    if tier.validity == Tier.Validity.YEARS and tier.validity_years:
        try:
            end = issued_on.replace(year=issued_on.year + tier.validity_years)
        except ValueError:  # 29 February
            end = issued_on.replace(year=issued_on.year + tier.validity_years, day=28)
        if ladder_setting("certificate_end_minus_one_day"):
            end -= timedelta(days=1)
        return end
    return None


@transaction.atomic
def certification_create(
    *,
    by: User | None,
    enterprise: Enterprise,
    tier: Tier,
    year: int,
    issued_on: date,
    number: str = "",
    echelon: int | None = None,
    source_document: str = "",
    expires_on: date | None = None,
) -> Certification:
    """Record a tier award. The expiry follows the tier's rule unless given.
    Only enterprises climb the ladder: a university or an institute
    registered as itself is refused (409)."""
    if not enterprise.is_enterprise:
        raise ApplicationError(
            _("%(name)s is a %(kind)s, not an enterprise: it has no tier ladder.")
            % {"name": enterprise.name, "kind": enterprise.get_kind_display()},
            code="not_an_enterprise",
        )
    if tier.has_echelons and echelon is None:
        raise ValidationError({"echelon": _("Choose the echelon for this tier.")})
    if not tier.has_echelons and echelon is not None:
        raise ValidationError({"echelon": _("This tier has no echelons.")})
    if echelon is not None and not 1 <= echelon <= echelon_count():
        raise ValidationError(
            {"echelon": _("This tier has %(n)s echelons.") % {"n": echelon_count()}}
        )
    # 195号 §五(六)3: no new award in the year the same status was cancelled.
    if (
        reaward_barred(tier)
        and Certification.objects.filter(
            enterprise=enterprise,
            tier=tier,
            status=Certification.Status.REVOKED,
            revoked_on__year=issued_on.year,
        ).exists()
    ):
        raise ApplicationError(
            _(
                "%(tier)s was revoked for this enterprise in %(year)s; it cannot be awarded again that year."
            )
            % {"tier": tier.name, "year": issued_on.year},
            code="revoked_this_year",
        )
    # First award of the tier ever, by issue date. An older award recorded
    # late makes the one thought first a renewal.
    earlier = Certification.objects.filter(enterprise=enterprise, tier=tier)
    first_time = not earlier.filter(issued_on__lte=issued_on).exists()
    if first_time:
        for later in earlier.filter(first_time=True).select_for_update():
            later.first_time = False
            later.save(update_fields=["first_time"])
            audit(
                by=by,
                action="certification.renewal_marked",
                target=later,
                before={"first_time": True},
                after={"first_time": False},
                message=str(enterprise),
            )
    certification = Certification(
        enterprise=enterprise,
        tier=tier,
        year=year,
        first_time=first_time,
        issued_on=issued_on,
        expires_on=expires_on
        or certification_expiry(tier, issued_on=issued_on, year=year),
        number=number,
        echelon=echelon,
        source_document=source_document,
        created_by=by,
    )
    audited_save(
        certification,
        by=by,
        action="certification.create",
        fields=CERTIFICATION_FIELDS,
        message=str(enterprise),
    )
    enterprise_tier_refresh(enterprise)
    _recompute_indicators(certification.issued_on.year)
    return certification


@transaction.atomic
def certification_revoke(
    *,
    certification: Certification,
    by: User | None,
    reason: str,
    on: date | None = None,
) -> Certification:
    lock_for_update(certification)
    if certification.status == Certification.Status.REVOKED:
        raise ApplicationError(
            _("This certification is already revoked."), code="already_revoked"
        )
    if not reason.strip():
        raise ValidationError({"revocation_reason": _("Give the reason for revoking.")})
    before = snapshot(certification, CERTIFICATION_FIELDS)
    certification.status = Certification.Status.REVOKED
    certification.revoked_on = on or timezone.localdate()
    certification.revocation_reason = reason.strip()
    audited_save(
        certification,
        by=by,
        action=certification.tier.cancel_action,
        fields=CERTIFICATION_FIELDS,
        before=before,
        message=str(certification.enterprise),
        validate=False,
        update_fields=["status", "revoked_on", "revocation_reason"],
    )
    enterprise_tier_refresh(certification.enterprise)
    _recompute_indicators(certification.revoked_on.year)
    return certification


def _recompute_indicators(year: int) -> None:
    """The ladder feeds computed indicators (新认定高企, 科小 in force)."""
    business_data_changed.send(sender=Certification, year=year, subject="certification")


@transaction.atomic
def certifications_expire(*, today: date | None = None) -> int:
    """Mark active certifications past their expiry date as expired (daily;
    queries never rely on it, they compare dates themselves)."""
    today = today or timezone.localdate()
    stale = list(
        Certification.objects.select_for_update().filter(
            status=Certification.Status.ACTIVE, expires_on__lt=today
        )
    )
    for certification in stale:
        certification.status = Certification.Status.EXPIRED
        certification.save(update_fields=["status"])
        audit(
            by=None,
            action="certification.expire",
            target=certification,
            before={"status": "active"},
            after={"status": "expired"},
        )
    return len(stale)


def hnte_report_due(year: int) -> date:
    """The 年度发展情况报表 for `year` is due on this day of the next year."""
    month, day = (int(x) for x in ladder_setting("hnte_report_deadline").split("-"))
    return date(year + 1, month, day)


def hnte_missed_reports(certification: Certification, *, today: date) -> list[int]:
    """Years whose report was due within the validity period, is past due and
    was not submitted by its deadline (RULES §2.7)."""
    on_time = {
        r.year
        for r in certification.annual_reports.all()
        if r.submitted_on <= hnte_report_due(r.year)
    }
    end = certification.expires_on or today
    missed = []
    for year in range(certification.issued_on.year, end.year + 1):
        due = hnte_report_due(year)
        if due > end or due >= today:
            continue
        if year not in on_time:
            missed.append(year)
    return missed


@transaction.atomic
def hnte_annual_report_record(
    *, certification: Certification, year: int, submitted_on: date, by: User | None
) -> HighTechAnnualReport:
    if certification.tier.code != Tier.HNTE:
        raise ValidationError(
            {"certification": _("Only 高企 file this annual report.")}
        )
    report, created = HighTechAnnualReport.objects.update_or_create(
        certification=certification, year=year, defaults={"submitted_on": submitted_on}
    )
    audit(
        by=by,
        action="hnte_report.record",
        target=report,
        after={"year": year, "submitted_on": submitted_on.isoformat()},
    )
    return report


@transaction.atomic
def hnte_missed_reports_revoke(*, today: date | None = None) -> list[Certification]:
    """Revoke the 高企 status of holders with too many missed annual reports
    within one validity period (32号 Art. 19(3)). Idempotent."""
    today = today or timezone.localdate()
    limit = ladder_setting("hnte_missed_reports_to_revoke")
    revoked = []
    current = (
        Certification.objects.current(today)
        .filter(tier__code=Tier.HNTE)
        .select_related("enterprise")
        .prefetch_related("annual_reports")
    )
    for certification in current:
        missed = hnte_missed_reports(certification, today=today)
        if len(missed) >= limit:
            years = "、".join(str(y) for y in missed)
            revoked.append(
                certification_revoke(
                    certification=certification,
                    by=None,
                    reason=_("Annual reports for %(years)s were not filed on time.")
                    % {"years": years},
                    on=today,
                )
            )
    return revoked


# --- Eligibility snapshots ---------------------------------------------------


@transaction.atomic
def eligibility_snapshots_refresh(*, today: date | None = None) -> int:
    """Assess every enterprise with a return on file against its next tier
    up (and the side tiers such as 新雏鹰 above it) and replace the
    snapshots. Idempotent; a fixed number of queries."""
    from decimal import Decimal

    from enterprises.eligibility import policy_from_settings
    from enterprises.models import EligibilitySnapshot
    from enterprises.selectors import (
        eligibility_inputs_all,
        eligibility_with_inputs,
        precheck_tiers,
    )

    today = today or timezone.localdate()
    policy = policy_from_settings()
    tiers = list(Tier.objects.filter(is_active=True).order_by("rank"))
    inputs = eligibility_inputs_all(on=today)

    rows = []
    for enterprise in (
        Enterprise.objects.enterprises()
        .only("id", "kind", "founded_on", "high_tech_field")
        .iterator(chunk_size=5000)
    ):
        given = inputs.get(enterprise.pk)
        # Nothing to judge without a single return in the window.
        if given is None or not given.returns:
            continue
        for tier in precheck_tiers(tiers, max(given.held_ranks, default=None)):
            result = eligibility_with_inputs(
                enterprise, tier, given, on=today, policy=policy
            )
            if result.result is None:
                continue
            gap = result.gap_score
            rows.append(
                EligibilitySnapshot(
                    enterprise_id=enterprise.pk,
                    tier=tier,
                    computed_on=today,
                    eligible=result.eligible,
                    failed_count=len(result.failed),
                    pending_count=len(result.pending),
                    gap_score=(
                        Decimal(gap.numerator) / Decimal(gap.denominator)
                    ).quantize(Decimal("0.0001")),
                    failed=[
                        {
                            "code": c["code"],
                            "status": c["status"],
                            "message": c["message"],
                            "missing": c.get("missing", []),
                        }
                        for c in result.failed + result.pending
                    ],
                )
            )
    EligibilitySnapshot.objects.all().delete()
    EligibilitySnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
