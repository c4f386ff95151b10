"""Background jobs on the page: a list view's export that answers at once or
becomes a job, the job's progress (polled by htmx), its download, and the
user's own recent jobs. A job is its owner's alone: anyone else's is a 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bureau.lib.types import AuthedRequest
from bureau.models import BackgroundJob
from bureau.permissions import get_job_for_user
from bureau.services.jobs import (
    JOB_KINDS,
    export_plan,
    job_failure_text,
    job_progress,
    job_start,
    params_of,
)


def export_response(
    request: AuthedRequest,
    kind: str,
    *,
    params: dict[str, list[str]] | None = None,
    title: str = "",
    background: bool = False,
) -> HttpResponse:
    """The list's export as the page asked for it (`request.GET`, or
    `params`; access already checked by the view): the file at once when it
    holds at most EXPORT_ASYNC_ROWS rows, else (or always, `background`) a
    background job whose page the browser is sent to. The registered plan of
    `kind` writes the bytes either way."""
    params = params_of(request.GET) if params is None else params
    if background:
        return job_redirect(
            job_start(kind=kind, by=request.user, params=params, title=title)
        )
    plan = export_plan(kind, user=request.user, params=params)
    if plan.rows <= settings.EXPORT_ASYNC_ROWS:
        response = HttpResponse(plan.write(), content_type=plan.content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, plan.filename
        )
        return response
    return job_redirect(
        job_start(
            kind=kind, by=request.user, params=params, title=title, total=plan.rows
        )
    )


def job_redirect(job: BackgroundJob) -> HttpResponse:
    return redirect("job-page", pk=job.pk)


def _context(job: BackgroundJob) -> dict[str, Any]:
    done, total, percent = job_progress(job)
    kind = JOB_KINDS.get(job.kind)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": percent,
        "working": job.working,
        "result_template": kind.result_template if kind else "",
        "failure": job_failure_text(job)
        if job.status == BackgroundJob.Status.FAILED
        else "",
    }


@require_safe
def job_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A job's progress until it is done, then its download link or result;
    htmx asks for the status block alone every second."""
    job = get_job_for_user(request.user, pk)
    context = _context(job)
    if request.headers.get("HX-Request"):
        return render(request, "bureau/_job_status.html", context)
    return render(request, "bureau/job.html", context)


@require_safe
def job_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    job = get_job_for_user(request.user, pk)
    if job.working:
        return HttpResponse(
            _("The file is not ready yet; wait until the job is done."), status=409
        )
    if not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type or "application/octet-stream",
    )
    return response


@require_safe
def job_list(request: AuthedRequest) -> HttpResponse:
    """The user's own jobs, newest first (kept JOB_KEEP_HOURS once done)."""
    jobs = BackgroundJob.objects.filter(owner=request.user).order_by(
        "-created_at", "-id"
    )
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bureau/jobs.html",
        {"page": page, "keep_hours": settings.JOB_KEEP_HOURS},
    )
