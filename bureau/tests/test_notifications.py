from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.utils import timezone

from bureau.models import Notification
from bureau.services import notification_create, notification_send_email
from bureau.tasks import notifications_send_pending
from bureau.tests.base import CastTestCase


class NotificationEmailTests(CastTestCase):
    def setUp(self) -> None:
        self.ent_user.email = "alice@example.com"
        self.ent_user.save(update_fields=["email"])

    def test_it_mails_once_the_transaction_commits(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            note = notification_create(
                recipient=self.ent_user,
                subject="申报已受理",
                body="请留意",
                send_email=True,
            )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["alice@example.com"])
        note.refresh_from_db()
        self.assertIsNotNone(note.emailed_at)

    def test_sending_twice_mails_once(self) -> None:
        note = notification_create(
            recipient=self.ent_user, subject="x", send_email=True
        )
        self.assertEqual(notification_send_email(notification_id=note.pk), "sent")
        self.assertEqual(notification_send_email(notification_id=note.pk), "skipped")
        self.assertEqual(notification_send_email(notification_id=0), "missing")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_user_without_email_gets_only_the_in_app_message(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            note = notification_create(
                recipient=self.officer, subject="x", send_email=True
            )
        self.assertFalse(note.send_email)
        self.assertEqual(mail.outbox, [])

    def test_a_broker_outage_does_not_lose_the_notification(self) -> None:
        with (
            self.settings(CELERY_TASK_ALWAYS_EAGER=False),
            mock.patch(
                "bureau.tasks.notification_send_email.delay",
                side_effect=OSError("redis down"),
            ),
            self.captureOnCommitCallbacks(execute=True),
        ):
            note = notification_create(
                recipient=self.ent_user, subject="x", send_email=True
            )
        self.assertTrue(Notification.objects.filter(pk=note.pk).exists())
        self.assertEqual(mail.outbox, [])
        # The sweep picks it up later.
        Notification.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - timedelta(minutes=10)
        )
        self.assertEqual(notifications_send_pending(), 1)
        self.assertEqual(len(mail.outbox), 1)
