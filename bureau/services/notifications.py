"""Notifications and their e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from bureau.lib.tasks import enqueue_on_commit
from bureau.models import (
    Notification,
    User,
)

if TYPE_CHECKING:
    pass


# --- Notifications ----------------------------------------------------------


@transaction.atomic
def notification_create(
    *,
    recipient: User,
    subject: str,
    body: str = "",
    url: str = "",
    send_email: bool = False,
) -> Notification:
    """An in-app notification; with `send_email` also mailed by a Celery task
    once the surrounding transaction commits."""
    notification = Notification.objects.create(
        recipient=recipient,
        subject=subject,
        body=body,
        url=url,
        send_email=send_email and bool(recipient.email),
    )
    if notification.send_email:
        from bureau.tasks import notification_send_email as notification_send_email_task

        enqueue_on_commit(notification_send_email_task, notification.pk)
    return notification


def notification_create_once(
    *,
    reminders: type[models.Model],
    key: dict[str, Any],
    users: Iterable[User],
    subject: str,
    body: str = "",
    url: str = "",
) -> int:
    """Notify each of `users` once for the reminder `key` (the fields of a
    `reminders` row besides its user: the task and kind, the deadline and
    day …), however often a beat task asks: a person who has a row already
    is skipped, and of two concurrent runs only the one that creates the row
    notifies. Returns how many were notified."""
    manager = reminders._default_manager
    done = set(manager.filter(**key).values_list("user_id", flat=True))
    sent = 0
    for user in users:
        if user.pk in done:
            continue
        with transaction.atomic():
            _row, created = manager.get_or_create(user=user, **key)
            if not created:  # a concurrent run got there first
                continue
            notification_create(recipient=user, subject=subject, body=body, url=url)
        sent += 1
    return sent


def notification_send_email(*, notification_id: int) -> str:
    """Mail one notification unless it was mailed already; safe to repeat."""
    from django.core.mail import send_mail

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "missing"
        if notification.emailed_at is not None or not notification.send_email:
            return "skipped"
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return "sent"


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
