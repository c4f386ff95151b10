"""Reminders of the renewal calendar (enterprises.renewals), sent by a daily
Celery beat task (enterprises.tasks.ladder_reminders_send) through the
bureau notifications, each at most once per enterprise and year (a
LadderReminder row records it):

- 科小: before the yearly update deadline (LADDER "tech_sme_update_deadline",
  Art. 12 of 115号), to last year's 科小 and to every holder of a valid 高企
  certificate, who may enter by the direct route (§3.3) — unless already
  entered this year;
- 高企: from the configured days before the renewal's application window
  until the certificate ends, to holders not yet re-recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.models import Role, User
from enterprises.models import Certification, Enterprise, LadderReminder, Tier
from enterprises.renewals import renewal_window, tech_sme_reminder_due, warning_from


@dataclass
class RemindersSent:
    tech_sme: int = 0
    hnte_renewal: int = 0


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _tech_sme_due(today: date) -> dict[int, bool]:
    """{enterprise id: holds a valid 高企 (direct route)} of those to remind
    of this year's 科小 update."""
    entered = Certification.objects.filter(
        enterprise=OuterRef("pk"), tier__code=Tier.TECH_SME, year=today.year
    ).exclude(status=Certification.Status.REVOKED)
    last_year = set(
        Certification.objects.filter(tier__code=Tier.TECH_SME, year=today.year - 1)
        .exclude(status=Certification.Status.REVOKED)
        .values_list("enterprise_id", flat=True)
    )
    hnte = set(
        Certification.objects.current(today)
        .filter(tier__code=Tier.HNTE)
        .values_list("enterprise_id", flat=True)
    )
    due = set(
        Enterprise.objects.filter(pk__in=last_year | hnte)
        .filter(~Exists(entered))
        .values_list("pk", flat=True)
    )
    return {pk: pk in hnte for pk in due}


def _hnte_due(today: date) -> dict[int, Certification]:
    """{enterprise id: its 高企 certificate} of holders in their renewal
    warning period today and not re-recognised since."""
    later = Certification.objects.filter(
        enterprise=OuterRef("enterprise"),
        tier=OuterRef("tier"),
        issued_on__gt=OuterRef("issued_on"),
    ).exclude(status=Certification.Status.REVOKED)
    due: dict[int, Certification] = {}
    for certification in (
        Certification.objects.current(today)
        .filter(tier__code=Tier.HNTE, expires_on__isnull=False)
        .filter(~Exists(later))
        .select_related("enterprise")
        .order_by("expires_on", "pk")
    ):
        assert certification.expires_on is not None  # filtered above
        if warning_from(certification.expires_on) <= today:
            due.setdefault(certification.enterprise_id, certification)
    return due


def _send(
    *,
    enterprise: Enterprise,
    kind: str,
    year: int,
    users: list[User],
    subject: str,
    body: str,
    url: str,
) -> None:
    from bureau.services import notification_create

    LadderReminder.objects.create(enterprise=enterprise, kind=kind, year=year)
    for user in users:
        notification_create(
            recipient=user, subject=subject, body=body, url=url, send_email=True
        )
    audit(
        by=None,
        action="ladder_reminder.send",
        target=enterprise,
        after={
            "reminder": str(LadderReminder.Kind(kind).label),
            "year": year,
            "recipients": len(users),
        },
        message=subject,
    )


@transaction.atomic
def ladder_reminders_send(*, today: date | None = None) -> RemindersSent:
    """Send the reminders due on `today`. Idempotent: a reminder already sent
    for the enterprise and year is not sent again."""
    today = today or timezone.localdate()
    sent = RemindersSent()
    tech_sme_deadline = tech_sme_reminder_due(today)
    tech_sme = _tech_sme_due(today) if tech_sme_deadline else {}
    hnte = _hnte_due(today)
    wanted = set(tech_sme) | set(hnte)
    if not wanted:
        return sent
    done = set(
        LadderReminder.objects.filter(enterprise_id__in=wanted)
        .filter(year__in=[today.year, today.year + 1, today.year - 1])
        .values_list("enterprise_id", "kind", "year")
    )
    users: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=Role.ENTERPRISE, is_active=True, enterprise_id__in=wanted
    ).order_by("pk"):
        assert user.enterprise_id is not None  # the role requires it
        users.setdefault(user.enterprise_id, []).append(user)
    enterprises = Enterprise.objects.in_bulk(wanted)
    kind = LadderReminder.Kind.TECH_SME_UPDATE
    for enterprise_id, direct in sorted(tech_sme.items()):
        if (enterprise_id, kind, today.year) in done:
            continue
        assert tech_sme_deadline is not None  # tech_sme is empty otherwise
        body = _(
            "Update the 科技型中小企业 information sheet and self-evaluation on "
            "the platform by %(deadline)s; an update not made on time is a "
            "ground for revocation."
        ) % {"deadline": _day(tech_sme_deadline)}
        if direct:
            body += _(
                " Your valid 高新技术企业 certificate lets you enter by the direct "
                "route (直接确认), without scoring."
            )
        _send(
            enterprise=enterprises[enterprise_id],
            kind=kind,
            year=today.year,
            users=users.get(enterprise_id, []),
            subject=_("%(year)s 科技型中小企业 registration due by %(deadline)s")
            % {"year": today.year, "deadline": _day(tech_sme_deadline)},
            body=body,
            url=reverse("enterprise-detail", args=[enterprise_id]),
        )
        sent.tech_sme += 1
    kind = LadderReminder.Kind.HNTE_RENEWAL
    for enterprise_id, certification in sorted(hnte.items()):
        assert certification.expires_on is not None  # _hnte_due filters them
        window = renewal_window(certification.expires_on)
        if (enterprise_id, kind, window.year) in done:
            continue
        _send(
            enterprise=enterprises[enterprise_id],
            kind=kind,
            year=window.year,
            users=users.get(enterprise_id, []),
            subject=_("高新技术企业 certificate ends on %(expires)s: apply again")
            % {"expires": _day(certification.expires_on)},
            body=_(
                "Your 高新技术企业 certificate %(number)s ends on %(expires)s. "
                "To keep the status, apply for re-recognition (重新认定) in "
                "the %(year)s application window, %(opens)s to %(closes)s."
            )
            % {
                "number": certification.number or "",
                "expires": _day(certification.expires_on),
                "year": window.year,
                "opens": _day(window.opens),
                "closes": _day(window.closes),
            },
            url=reverse("enterprise-detail", args=[enterprise_id]),
        )
        sent.hnte_renewal += 1
    return sent
