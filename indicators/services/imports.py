"""Writes of the indicator import (DESIGN §5): store an upload as a batch,
apply it (at once, or in a Celery task when it is large), roll it back.
Reading and checking the upload is indicators.imports."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent, User
from indicators.calc import period_text
from indicators.imports import ImportRefused, read_rows
from indicators.models import DataValue, ImportBatch, ReplacedValue
from indicators.services.values import plain_number
from indicators.signals import indicator_data_changed

__all__ = ["ImportRefused", "import_apply", "import_rollback", "import_start"]


def import_start(*, file: Any, by: User) -> ImportBatch:
    """Validate the upload and store it as a batch; apply it at once, or in
    a Celery task when it is large. Raises ImportRefused, storing nothing."""
    rows = read_rows(file, by=by)
    file.seek(0)
    batch = ImportBatch(
        original_name=getattr(file, "name", "import.xlsx")[:200],
        uploaded_by=by,
        rows=len(rows),
    )
    batch.file.save("upload.xlsx", file, save=False)
    batch.save()
    audit(
        by=by, action="indicator_import.upload", target=batch, message=f"{len(rows)}行"
    )
    if len(rows) > settings.INDICATOR_IMPORT_ASYNC_ROWS:
        from bureau.lib.tasks import enqueue_on_commit
        from indicators.tasks import indicator_import_apply

        enqueue_on_commit(indicator_import_apply, batch.pk)
        return batch
    return import_apply(batch_id=batch.pk)


@transaction.atomic
def import_apply(*, batch_id: int) -> ImportBatch:
    """Write a stored batch: re-read it (it was valid), replace or create each
    value, remember what was replaced, and audit each change. Idempotent: a
    batch that is not waiting is left alone."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    with batch.file.open("rb") as handle:
        rows = read_rows(io.BytesIO(handle.read()), by=batch.uploaded_by)
    existing = {
        (v.indicator_id, v.org_unit_id, v.year, (v.period_type, v.period)): v
        for v in DataValue.objects.filter(
            indicator_id__in={r.indicator.pk for r in rows},
            org_unit_id__in={r.unit.pk for r in rows},
            year__in={r.year for r in rows},
        )
    }
    now = timezone.now()
    created: list[DataValue] = []
    replaced: list[DataValue] = []
    changes: list[ReplacedValue] = []
    audits: list[tuple[Decimal | None, Decimal, str]] = []
    for index, row in enumerate(rows, start=1):
        key = (row.indicator.pk, row.unit.pk, row.year, row.period)
        current = existing.get(key)
        label = (
            f"{row.indicator.code} {row.unit.code} {period_text(row.year, row.period)}"
        )
        if current is None:
            created.append(
                DataValue(
                    indicator=row.indicator,
                    org_unit=row.unit,
                    period_type=row.period[0],
                    year=row.year,
                    period=row.period[1],
                    value=row.value,
                    source=DataValue.Source.IMPORT,
                    batch=batch,
                    entered_by=batch.uploaded_by,
                )
            )
            audits.append((None, row.value, label))
        elif current.value != row.value or current.batch_id != batch.pk:
            changes.append(
                ReplacedValue(
                    batch=batch,
                    data_value=current,
                    old_value=current.value,
                    old_source=current.source,
                    old_batch_id=current.batch_id,
                )
            )
            audits.append((current.value, row.value, label))
            current.value, current.source, current.batch = (
                row.value,
                DataValue.Source.IMPORT,
                batch,
            )
            current.entered_by, current.entered_at = batch.uploaded_by, now
            replaced.append(current)
        if index % 1000 == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed=index)
    DataValue.objects.bulk_create(created, batch_size=2000)
    DataValue.objects.bulk_update(
        replaced,
        ["value", "source", "batch", "entered_by", "entered_at"],
        batch_size=2000,
    )
    ReplacedValue.objects.bulk_create(changes, batch_size=2000)
    actor = batch.uploaded_by
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                actor_username=actor.get_username(),
                action="indicator_value.import",
                object_type="indicators.importbatch",
                object_id=str(batch.pk),
                object_repr=label[:200],
                changes={
                    "value": [
                        plain_number(before) if before is not None else None,
                        plain_number(after),
                    ]
                },
            )
            for before, after, label in audits
        ],
        batch_size=2000,
    )
    batch.status = ImportBatch.Status.DONE
    batch.processed = len(rows)
    batch.created, batch.replaced = len(created), len(replaced)
    batch.finished_at = timezone.now()
    batch.save()
    years = {r.year for r in rows}
    audit(
        by=actor,
        action="indicator_import.apply",
        target=batch,
        message=f"新增{len(created)}个，替换{len(replaced)}个（{'、'.join(map(str, sorted(years)))}年）",
    )
    indicator_data_changed.send(sender=DataValue)
    return batch


@transaction.atomic
def import_rollback(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Undo a batch: values it created are deleted, values it replaced get
    their old value back. Refused when a later import replaced its values."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.DONE:
        raise ApplicationError(
            _("Only an imported batch can be rolled back (this one: %(status)s).")
            % {"status": batch.get_status_display()},
            code="not_done",
        )
    if ReplacedValue.objects.filter(old_batch=batch).exists():
        raise ApplicationError(
            _(
                "A later import replaced some of this batch's values; roll that one back first."
            ),
            code="superseded",
        )
    restored = 0
    for change in ReplacedValue.objects.filter(batch=batch).select_related(
        "data_value"
    ):
        value = change.data_value
        value.value, value.source = change.old_value, change.old_source
        value.batch_id = change.old_batch_id
        value.save(update_fields=["value", "source", "batch"])
        restored += 1
    replaced_ids = set(
        ReplacedValue.objects.filter(batch=batch).values_list(
            "data_value_id", flat=True
        )
    )
    deleted, _by_model = (
        DataValue.objects.filter(batch=batch).exclude(pk__in=replaced_ids).delete()
    )
    indicator_data_changed.send(sender=DataValue)
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.save(update_fields=["status", "rolled_back_at"])
    audit(
        by=by,
        action="indicator_import.rollback",
        target=batch,
        message=f"删除{deleted}个，恢复{restored}个",
    )
    return batch
