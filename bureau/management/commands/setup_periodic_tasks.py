from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from bureau.schedules import SCHEDULES


class Command(BaseCommand):
    help = (
        "Write the periodic tasks of bureau/schedules.py into django-celery-beat. "
        "Creates missing entries only; --reset also overwrites entries changed in "
        "the admin. Deletes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        created = updated = kept = 0
        for item in SCHEDULES:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=item.minute,
                hour=item.hour,
                day_of_week=item.day_of_week,
                day_of_month=item.day_of_month,
                month_of_year=item.month_of_year,
                timezone=settings.TIME_ZONE,
            )
            task = PeriodicTask.objects.filter(name=item.name).first()
            if task is None:
                PeriodicTask.objects.create(
                    name=item.name,
                    task=item.task,
                    crontab=crontab,
                    description=item.description,
                )
                created += 1
            elif options["reset"]:
                task.task, task.crontab, task.interval = item.task, crontab, None
                task.description, task.enabled = item.description, True
                task.save()
                updated += 1
            else:
                kept += 1
        self.stdout.write(
            f"Periodic tasks: {created} created, {updated} reset, {kept} kept as they were."
        )
