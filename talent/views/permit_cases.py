"""Pages of foreign experts' work-permit cases and their private documents."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.uploads import download_response
from talent.permissions import (
    get_case_document_for_user,
    get_permit_case_for_user,
    require_talent_reader,
)
from talent.selectors import permit_case_list
from talent.services import case_document_add


def permit_cases_view(request: AuthedRequest) -> HttpResponse:
    require_talent_reader(request.user)
    return render(request, "talent/cases.html", {"cases": permit_case_list()})


@require_POST
@sensitive_post_parameters()
def case_document_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_permit_case_for_user(request.user, pk, write=True)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(
            request,
            _("Choose a file (PDF or image) to upload to %(name)s's permit case.")
            % {"name": case.talent.name},
        )
    else:
        title = request.POST.get("title") or upload.name or ""
        with reported(
            request,
            _("“%(title)s” is stored with %(name)s's work-permit case.")
            % {"title": title, "name": case.talent.name},
        ):
            case_document_add(by=request.user, case=case, title=title, upload=upload)
    return redirect("talent-detail", pk=case.talent_id)


def case_document_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    """Documents are private: served only to bureau roles, never by URL."""
    document = get_case_document_for_user(request.user, pk)
    return download_response(
        document.file,
        content_type=document.content_type,
        name=document.original_name or "document",
    )
