"""Writes of the indicator import (DESIGN §5): store an upload as a batch,
apply it (at once, or in a Celery task when it is large), roll it back.
Reading and checking the upload is indicators.imports."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audit_many
from bureau.lib.exceptions import ApplicationError
from bureau.models import BackgroundJob, User
from indicators.calc import period_text
from indicators.imports import ImportRefused, Row, read_rows
from indicators.models import DataValue, ImportBatch, ReplacedValue
from indicators.services.values import plain_number, values_lock
from indicators.signals import indicator_data_changed

if TYPE_CHECKING:
    from bureau.services.jobs import JobOutcome, Progress

__all__ = [
    "IMPORT_JOB",
    "ImportRefused",
    "import_apply",
    "import_job_run",
    "import_queue",
    "import_rollback",
    "import_start",
]

# The background job kind of an import from the page (indicators/apps.py).
IMPORT_JOB = "indicators.import"


def import_start(*, file: Any, by: User) -> ImportBatch:
    """Validate the upload and store it as a batch; apply it at once, or in
    a Celery task when it is large. Raises ImportRefused, storing nothing.
    (The API's import: its answer says at once what was refused.)

    Applied at once, the batch is stored and applied in one transaction that
    takes values_lock() before the upload's audit event: when another writer
    holds the lock too long, nothing is stored and the client is told to try
    again (a 409), rather than left with a batch that never runs."""
    rows = read_rows(file, by=by)
    file.seek(0)
    if len(rows) > settings.INDICATOR_IMPORT_ASYNC_ROWS:
        from bureau.lib.tasks import enqueue_on_commit
        from indicators.tasks import indicator_import_apply

        batch = _batch_store(file=file, rows=rows, by=by)
        enqueue_on_commit(indicator_import_apply, batch.pk)
        return batch
    with transaction.atomic():
        values_lock()
        batch = _batch_store(file=file, rows=rows, by=by)
        return import_apply(batch_id=batch.pk, rows=rows)


def _batch_store(*, file: Any, rows: list[Row], by: User) -> ImportBatch:
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
    return batch


def import_queue(*, file: Any, by: User) -> BackgroundJob:
    """The import page's upload: a background job (queue "imports") checks
    every row and, when none is refused, applies them; the job's page shows
    the progress, then the counts or every refused cell."""
    from bureau.services.jobs import job_start

    name = getattr(file, "name", "import.xlsx")[:200]
    return job_start(
        kind=IMPORT_JOB,
        by=by,
        title=_("Import of “%(file)s”") % {"file": name},
        params={"name": name},
        upload=file,
    )


def import_job_run(job: BackgroundJob, progress: Progress) -> JobOutcome:
    """The job's body: check the upload (nothing stored when a cell is
    refused), store the batch and apply it, reporting progress."""
    from bureau.services.jobs import JobOutcome

    with job.upload.open("rb") as handle:
        content = io.BytesIO(handle.read())
    try:
        rows = read_rows(content, by=job.owner)
    except ImportRefused as exc:
        return JobOutcome(result={"errors": exc.errors}, refused=True)
    progress(0, len(rows))
    content.seek(0)
    content.name = job.params.get("name", "import.xlsx")  # type: ignore[attr-defined]
    with transaction.atomic():
        # Before the upload's audit event: see values_lock().
        values_lock(in_request=False)
        batch = _batch_store(file=content, rows=rows, by=job.owner)
        batch = import_apply(
            batch_id=batch.pk, rows=rows, progress=progress, in_request=False
        )
    return JobOutcome(
        result={
            "batch_id": batch.pk,
            "rows": batch.rows,
            "created": batch.created,
            "replaced": batch.replaced,
        }
    )


@transaction.atomic
def import_apply(
    *,
    batch_id: int,
    rows: list[Row] | None = None,
    progress: Progress | None = None,
    in_request: bool = True,
) -> ImportBatch:
    """Write a stored batch: its checked `rows` (re-read from its file when
    not given: it was valid), each value replaced or created, what was
    replaced remembered, every change audited. Idempotent: a batch that is
    not waiting is left alone. A background task passes `in_request=False`
    (values_lock: it waits for another writer as long as it takes).

    The cost does not grow with how many values already exist: one read of
    the existing values, one bulk insert of the new ones, one bulk update of
    the changed ones, one bulk insert of their old values and of the audit
    events."""
    values_lock(in_request=in_request)
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    if rows is None:
        with batch.file.open("rb") as handle:
            rows = read_rows(io.BytesIO(handle.read()), by=batch.uploaded_by)
    existing = _existing_values(rows)
    now = timezone.now()
    created: list[DataValue] = []
    replaced: list[DataValue] = []
    changes: list[ReplacedValue] = []
    audits: list[tuple[Decimal | None, Decimal, str]] = []
    for row in rows:
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
    total = len(rows)
    DataValue.objects.bulk_create(created, batch_size=2000)
    if progress is not None:
        progress(len(created), total)
    _values_update(replaced)
    if progress is not None:
        progress(len(created) + len(replaced), total)
    ReplacedValue.objects.bulk_create(changes, batch_size=2000)
    actor = batch.uploaded_by
    audit_many(
        {
            "by": actor,
            "action": "indicator_value.import",
            "target": batch,
            "before": {"value": plain_number(before) if before is not None else None},
            "after": {"value": plain_number(after)},
            "message": label,
        }
        for before, after, label in audits
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


def _existing_values(rows: list[Row]) -> dict[tuple[Any, ...], DataValue]:
    """The values the rows name that exist already, in one read."""
    existing = DataValue.objects.filter(
        indicator_id__in={r.indicator.pk for r in rows},
        org_unit_id__in={r.unit.pk for r in rows},
        year__in={r.year for r in rows},
    ).only(
        "id",
        "indicator_id",
        "org_unit_id",
        "year",
        "period_type",
        "period",
        "value",
        "source",
        "batch_id",
    )
    return {
        (v.indicator_id, v.org_unit_id, v.year, (v.period_type, v.period)): v
        for v in existing
    }


UPDATED_FIELDS = ["value", "source", "batch", "entered_by", "entered_at"]


def _values_update(values: list[DataValue]) -> None:
    """Write the changed values. Django's bulk_update sends one CASE WHEN per
    field and row, which PostgreSQL evaluates row by row against the whole
    list (quadratic: 10,000 rows took four times an insert); on PostgreSQL
    the rows go as one VALUES list joined on the id instead."""
    if not values:
        return
    if connection.vendor != "postgresql":
        DataValue.objects.bulk_update(values, UPDATED_FIELDS, batch_size=500)
        return
    table = DataValue._meta.db_table
    for start in range(0, len(values), 2000):
        chunk = values[start : start + 2000]
        placeholders = ", ".join(
            ["(%s, %s::numeric, %s, %s, %s, %s::timestamptz)"] * len(chunk)
        )
        params: list[Any] = []
        for v in chunk:
            params += [
                v.pk,
                v.value,
                v.source,
                v.batch_id,
                v.entered_by_id,
                v.entered_at,
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS d SET value = v.value, source = v.source, "
                "batch_id = v.batch_id, entered_by_id = v.entered_by_id, "
                "entered_at = v.entered_at "
                f"FROM (VALUES {placeholders}) "
                "AS v(id, value, source, batch_id, entered_by_id, entered_at) "
                "WHERE d.id = v.id",
                params,
            )


@transaction.atomic
def import_rollback(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Undo a batch: values it created are deleted, values it replaced get
    their old value back. Refused when a later import replaced its values."""
    values_lock()
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
