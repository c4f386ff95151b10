"""Background jobs (bureau.models.BackgroundJob): starting one, running it in
the Celery worker, and deleting it with its file once it expires.

An app registers each kind of job it offers with `register_job_kind` in its
AppConfig.ready(). An export kind gives a `plan(user, params)` that the list
view also uses for a small export, so the same function writes the bytes in
the request (below EXPORT_ASYNC_ROWS rows) and in the worker (above it).
Other kinds (an import) give a `run(job, progress)` that returns what the
finished job shows.

Progress lives in the cache while the job runs (the work may sit inside one
database transaction, invisible to the page until it commits); the row holds
the outcome.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib import xlsx
from bureau.lib.routers import reading_from_replica
from bureau.models import BackgroundJob, User

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# (done so far, in all): a job's way of telling the page how far it is.
Progress = Callable[[int, int], None]


@dataclass
class ExportPlan:
    """One export as a list view would download it: its file name, how many
    rows it holds (to choose between the request and the worker) and the
    function that writes the bytes."""

    filename: str
    rows: int
    write: Callable[[], bytes]
    content_type: str = XLSX_TYPE


@dataclass
class JobOutcome:
    """What a `run` function returns: a file to download, and/or a result
    for the page; `refused` marks a job that ended without doing its work
    (an import whose cells were refused), with the reasons in `result`."""

    filename: str = ""
    content: bytes | None = None
    content_type: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    refused: bool = False


@dataclass(frozen=True)
class JobKind:
    name: str
    # What the user sees, e.g. 企业名录 (a lazy translation).
    title: Any
    # The task that runs it decides the Celery queue: "export" or "import".
    queue: str
    plan: Callable[[User, QueryDict], ExportPlan] | None = None
    run: Callable[[BackgroundJob, Progress], JobOutcome] | None = None
    # The template that shows a finished job's result (besides its file).
    result_template: str = ""


JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    if (kind.plan is None) == (kind.run is None):
        raise ValueError(f"job kind {kind.name} needs exactly one of plan and run")
    if kind.queue not in ("export", "import"):
        raise ValueError(f"job kind {kind.name}: queue must be export or import")
    JOB_KINDS[kind.name] = kind


def job_kind(name: str) -> JobKind:
    return JOB_KINDS[name]


def plan_at(path: str) -> Callable[[User, QueryDict], ExportPlan]:
    """A plan given by its dotted path, imported when first called (an app
    registers its kinds in ready(), before its views can be imported)."""

    def plan(user: User, query: QueryDict) -> ExportPlan:
        function: Callable[[User, QueryDict], ExportPlan] = import_string(path)
        return function(user, query)

    return plan


def params_of(query: QueryDict) -> dict[str, list[str]]:
    """A list page's query string as a job keeps it, without the page
    number and the export switch."""
    return {
        key: query.getlist(key)
        for key in sorted(query)
        if key not in ("page", "export")
    }


def query_of(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(v) for v in values])
    return query


def export_plan(name: str, *, user: User, params: dict[str, list[str]]) -> ExportPlan:
    kind = job_kind(name)
    if kind.plan is None:
        raise ValueError(f"job kind {name} is not an export")
    return kind.plan(user, query_of(params))


# --- Progress ---------------------------------------------------------------

PROGRESS_TTL = 24 * 3600


def _progress_key(job_id: int) -> str:
    return f"bureau:job-progress:{job_id}"


def job_progress_set(job_id: int, done: int, total: int) -> None:
    cache.set(_progress_key(job_id), (done, total), PROGRESS_TTL)


def job_progress(job: BackgroundJob) -> tuple[int, int, int]:
    """(done, total, percent) of `job` as the page shows it: 100 once done;
    a running job never shows 100 before it has finished."""
    if job.status == BackgroundJob.Status.DONE:
        return job.total, job.total, 100
    done, total = cache.get(_progress_key(job.pk)) or (0, job.total)
    total = total or job.total
    if job.status == BackgroundJob.Status.QUEUED or not total:
        return done, total, 0
    return done, total, min(99, round(100 * done / total))


# --- Starting and running ---------------------------------------------------


def _task_for(kind: JobKind) -> Any:
    from bureau.tasks import export_job_run, import_job_run

    return export_job_run if kind.queue == "export" else import_job_run


@transaction.atomic
def job_start(
    *,
    kind: str,
    by: User,
    title: str = "",
    params: dict[str, Any] | None = None,
    total: int = 0,
    upload: Any = None,
) -> BackgroundJob:
    """Record a job for `by` and queue it once the transaction commits (at
    once under `make run`, where tasks run eagerly). The same export asked
    for again while the first is still waiting or running is that job, not
    a second one (a double click, a reload)."""
    spec = job_kind(kind)
    title = title or str(spec.title)
    params = params or {}
    if upload is None:
        running = (
            BackgroundJob.objects.filter(
                owner=by,
                kind=kind,
                status__in=(BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING),
                created_at__gte=timezone.now() - timedelta(hours=1),
            )
            .order_by("-created_at")
            .first()
        )
        if running is not None and running.params == params:
            return running
    job = BackgroundJob(
        owner=by, kind=kind, title=title[:200], params=params, total=total
    )
    if upload is not None:
        upload.seek(0)
        job.upload.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    audit(by=by, action="job.start", target=job, message=title[:500])
    from bureau.lib.tasks import enqueue_on_commit

    enqueue_on_commit(_task_for(spec), job.pk)
    return job


def _finish(job: BackgroundJob, outcome: JobOutcome, now: datetime) -> None:
    if outcome.content is not None:
        job.file.save(
            f"{uuid.uuid4().hex}{_suffix(outcome.filename)}",
            ContentFile(outcome.content),
            save=False,
        )
        job.filename = outcome.filename[:200]
        job.content_type = outcome.content_type
    job.result = outcome.result
    job.status = (
        BackgroundJob.Status.FAILED if outcome.refused else BackgroundJob.Status.DONE
    )
    job.finished_at = now
    job.expires_at = now + timedelta(hours=settings.JOB_KEEP_HOURS)
    job.save()


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:] if dot > 0 else ""


def job_run(*, job_id: int) -> BackgroundJob | None:
    """The worker's body: run a queued job, report its progress, store its
    file or result. Idempotent: a job that is not waiting (already run, or
    deleted) is left alone. A failure is recorded for the page and logged,
    never raised, so an eager run never breaks the request that started it."""
    claimed = BackgroundJob.objects.filter(
        pk=job_id, status=BackgroundJob.Status.QUEUED
    ).update(status=BackgroundJob.Status.RUNNING)
    if not claimed:
        return BackgroundJob.objects.filter(pk=job_id).first()
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    spec = job_kind(job.kind)

    def progress(done: int, total: int) -> None:
        job_progress_set(job.pk, done, total)

    try:
        if spec.plan is not None:
            outcome = _export(job, spec, progress)
        else:
            assert spec.run is not None
            outcome = spec.run(job, progress)
    except Exception as exc:  # the page shows the failure; the log keeps it
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        job.status = BackgroundJob.Status.FAILED
        job.error = str(exc)[:500]
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + timedelta(hours=settings.JOB_KEEP_HOURS)
        job.save(update_fields=["status", "error", "finished_at", "expires_at"])
        return job
    _finish(job, outcome, timezone.now())
    if job.upload:
        job.upload.delete(save=True)
    return job


def _export(job: BackgroundJob, spec: JobKind, progress: Progress) -> JobOutcome:
    """An export in the worker: the list read from the replica when there is
    one, written by the same function as a small export in the request."""
    assert spec.plan is not None
    with reading_from_replica():
        plan = spec.plan(job.owner, query_of(job.params))
        total = plan.rows
        progress(0, total)
        with xlsx.reporting_rows(lambda done: progress(done, total)):
            content = plan.write()
    if total != job.total:
        job.total = total
    return JobOutcome(
        filename=plan.filename, content=content, content_type=plan.content_type
    )


def jobs_expire(*, now: datetime | None = None) -> int:
    """Delete the jobs past their keeping time, and their files; a job left
    waiting or running for a day (a worker lost) is deleted too. Returns how
    many were deleted."""
    now = now or timezone.now()
    stale = now - timedelta(days=1)
    jobs = BackgroundJob.objects.filter(
        expires_at__lt=now
    ) | BackgroundJob.objects.filter(expires_at__isnull=True, created_at__lt=stale)
    deleted = 0
    for job in jobs.iterator():
        for stored in (job.file, job.upload):
            if stored:
                stored.delete(save=False)
        job.delete()
        deleted += 1
    return deleted


def job_failure_text(job: BackgroundJob) -> str:
    """What the page says of a failed job (the cause stays in the log)."""
    if job.result.get("errors"):
        return _("The file was checked and refused; nothing was imported.")
    return _(
        "The job failed; nothing was changed. Try again, or tell the system "
        "administrator."
    )
