"""The tamper-evident audit trail (等保 2.0 安全审计; GM/T 0054 integrity).

Every audit event stores `digest` = SM3(previous digest ‖ its canonical
content) and the previous digest it links to. Events are added under a lock
on the one AuditChain row, so the chain follows the order of the ids; a row
changed, inserted or removed in the database breaks the chain at that row,
which `verify()` (and `manage.py audit_verify`) names.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bureau.lib.pii import sm3_hex
from bureau.models import AuditChain, AuditEvent

GENESIS = "0" * 64
CHAIN_PK = 1


def canonical(event: AuditEvent) -> bytes:
    """The event's content as the digest covers it: every field but the id
    and the digests, in a fixed form that reads the same after a round trip
    through either database."""
    ip = event.ip_address
    content = {
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "message": event.message,
        "ip_address": ipaddress.ip_address(ip).compressed if ip else None,
        "created_at": event.created_at.astimezone(UTC).isoformat(
            timespec="microseconds"
        ),
    }
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def digest_of(event: AuditEvent, prev_digest: str) -> str:
    return sm3_hex(prev_digest.encode() + b"|" + canonical(event))


def _locked_head() -> AuditChain:
    head, _ = AuditChain.objects.select_for_update().get_or_create(
        pk=CHAIN_PK, defaults={"last_digest": GENESIS, "anchor_digest": GENESIS}
    )
    return head


def append(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Save `events` (new, unsaved) at the end of the chain, in order."""
    if not events:
        return []
    # No savepoint of its own: an event belongs to the business transaction
    # around it, and a failure here rolls that back anyway.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        prev = head.last_digest or GENESIS
        for event in events:
            # What the database will return: microseconds, no tz surprises.
            if event.created_at is None:
                event.created_at = timezone.now()
            event.prev_digest = prev
            event.digest = prev = digest_of(event, prev)
        if len(events) == 1:
            events[0].save()
            saved = list(events)
        else:
            saved = AuditEvent.objects.bulk_create(events, batch_size=500)
        head.last_digest = prev
        head.last_event_id = saved[-1].pk
        head.save(update_fields=["last_digest", "last_event_id"])
    return saved


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: AuditEvent | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken is None


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def verify(*, record: bool = True) -> Verdict:
    """Walk the whole chain from its anchor; the first event that does not
    link or whose content no longer matches its digest is `broken`. The
    result is kept on the chain row for the auditor's page."""
    head = AuditChain.objects.filter(pk=CHAIN_PK).first()
    prev = (head.anchor_digest if head else "") or GENESIS
    checked = 0
    verdict: Verdict | None = None
    last: AuditEvent | None = None
    for event in _events():
        if event.prev_digest != prev:
            verdict = Verdict(checked, event, "link")
            break
        if event.digest != digest_of(event, prev):
            verdict = Verdict(checked, event, "content")
            break
        prev = event.digest
        checked += 1
        last = event
    if verdict is None and head is not None and head.last_digest not in ("", prev):
        # The newest events were removed: the head remembers a later digest.
        verdict = Verdict(checked, last, "truncated")
    verdict = verdict or Verdict(checked)
    if record:
        AuditChain.objects.update_or_create(
            pk=CHAIN_PK,
            defaults={
                "verified_at": timezone.now(),
                "verified_count": verdict.checked,
                "broken_event_id": verdict.broken.pk if verdict.broken else None,
                "broken_reason": verdict.reason,
            },
            create_defaults={
                "last_digest": prev,
                "anchor_digest": GENESIS,
                "verified_at": timezone.now(),
                "verified_count": verdict.checked,
            },
        )
    return verdict


def chain_state() -> AuditChain | None:
    """What the last verification found (for the auditor's page)."""
    return AuditChain.objects.filter(pk=CHAIN_PK).first()


def archive_before(cutoff: datetime, stream: IO[str]) -> int:
    """Move the chain's oldest events — every one before the first event at
    or after `cutoff` — out of the table into `stream` (JSON lines, digests
    included), and anchor the chain at the last one moved. Refuses a cutoff
    inside the retention period or a chain that does not verify."""
    floor = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if cutoff > floor:
        raise ValueError(
            f"events are kept {settings.AUDIT_RETENTION_DAYS} days: "
            f"the cutoff must be on or before {floor:%Y-%m-%d}"
        )
    verdict = verify()
    if not verdict.intact:
        raise ValueError("the audit chain does not verify; archive nothing")
    with transaction.atomic():
        head = _locked_head()
        first_kept = (
            AuditEvent.objects.filter(created_at__gte=cutoff).order_by("id").first()
        )
        moving = AuditEvent.objects.order_by("id")
        if first_kept is not None:
            moving = moving.filter(id__lt=first_kept.pk)
        count, last = 0, None
        for event in moving.iterator(chunk_size=2000):
            record = json.loads(canonical(event))
            record.update(
                id=event.pk, prev_digest=event.prev_digest, digest=event.digest
            )
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count, last = count + 1, event
        if last is None:
            return 0
        _remove_through(last.pk)
        head.anchor_event_id = last.pk
        head.anchor_digest = last.digest
        head.save(update_fields=["anchor_event_id", "anchor_digest"])
    return count


def _remove_through(last_id: int) -> None:
    """Delete the archived events past the append-only triggers (0003)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE bureau_auditevent DISABLE TRIGGER bureau_auditevent_no_change"
            )
        cursor.execute("DELETE FROM bureau_auditevent WHERE id <= %s", [last_id])
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE bureau_auditevent ENABLE TRIGGER bureau_auditevent_no_change"
            )
