"""Walk the audit chain and say whether it is intact (exit 1 if not)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bureau.audit_chain import verify

REASONS = {
    "link": "does not link to the event before it (an event was removed or inserted)",
    "content": "was changed after it was written (its content no longer matches its digest)",
    "truncated": "is the last left: later events were removed",
}


class Command(BaseCommand):
    help = (
        "Verify the SM3 chain of the audit trail from its anchor to the newest "
        "event. Exits non-zero naming the first broken event."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify()
        if verdict.intact:
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {verdict.checked} events.")
            )
            return
        event = verdict.broken
        assert event is not None
        raise CommandError(
            f"Audit chain broken at event {event.pk} "
            f"({event.created_at:%Y-%m-%d %H:%M:%S} {event.action} "
            f"{event.object_repr or event.object_type}): it "
            f"{REASONS[verdict.reason]}. {verdict.checked} events before it verified."
        )
