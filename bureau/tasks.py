"""Thin Celery wrappers: take ids, call the service, own the retry policy."""

from __future__ import annotations

import smtplib

from celery import shared_task

# Shared retry policy for tasks that talk to the outside world.
RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(name="bureau.notification_send_email", **RETRY)
def notification_send_email(notification_id: int) -> str:
    from bureau.services import notification_send_email

    return notification_send_email(notification_id=notification_id)


@shared_task(name="bureau.notifications_send_pending")
def notifications_send_pending() -> int:
    """Sweep: queue e-mail for notifications whose task never ran (e.g. the
    broker was down when they were created)."""
    from bureau.selectors import notification_ids_pending_email

    ids = notification_ids_pending_email()
    for notification_id in ids:
        notification_send_email.delay(notification_id)
    return len(ids)


@shared_task(name="bureau.login_throttles_prune")
def login_throttles_prune() -> int:
    from bureau.services import login_throttles_prune

    return login_throttles_prune()


@shared_task(name="bureau.api_tokens_prune")
def api_tokens_prune() -> int:
    from bureau.services import api_tokens_prune

    return api_tokens_prune()


@shared_task(name="bureau.audit_chain_verify")
def audit_chain_verify() -> dict[str, object]:
    """Walk the SM3 chain of the audit trail; the result is kept for the
    auditor's page (and a broken chain is logged as an error)."""
    import logging

    from bureau.audit_chain import verify

    verdict = verify()
    if not verdict.intact:
        logging.getLogger("bureau.audit").error(
            "audit chain broken at event %s (%s)",
            verdict.broken.pk if verdict.broken else None,
            verdict.reason,
        )
    return {
        "intact": verdict.intact,
        "checked": verdict.checked,
        "broken_event_id": verdict.broken.pk if verdict.broken else None,
    }


@shared_task(name="bureau.accounts_dormant_disable")
def accounts_dormant_disable() -> int:
    from bureau.services import users_dormant_disable

    return users_dormant_disable()


@shared_task(name="bureau.reminders_send")
def reminders_send() -> dict[str, int]:
    """The daily reminders of tasks due soon, today or overdue and of the
    calendar's deadlines; safe to run again (each goes out once)."""
    from bureau.services.deadlines import deadline_reminders_send
    from bureau.services.tasks import task_reminders_send

    return {
        "tasks": task_reminders_send(),
        "deadlines": deadline_reminders_send(),
    }


@shared_task(name="bureau.ping")
def ping(value: str = "pong") -> str:
    """Round trip through the broker and result backend (used by checks)."""
    return value


@shared_task(name="bureau.export_job_run", acks_late=True)
def export_job_run(job_id: int) -> str:
    """A background export or the Word summary (queue "exports")."""
    return _job_run(job_id)


@shared_task(name="bureau.import_job_run", acks_late=True)
def import_job_run(job_id: int) -> str:
    """A background import: checked, then applied (queue "imports")."""
    return _job_run(job_id)


def _job_run(job_id: int) -> str:
    from bureau.services.jobs import job_run

    job = job_run(job_id=job_id)
    return job.status if job is not None else "gone"


@shared_task(name="bureau.jobs_expire")
def jobs_expire() -> int:
    from bureau.services.jobs import jobs_expire

    return jobs_expire()
