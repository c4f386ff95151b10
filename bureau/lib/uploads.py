"""Checking uploads by what they are, not what they are called."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

# Leading bytes of the accepted formats. Office files are zip containers: a
# .docx/.xlsx is accepted as such; a renamed .exe (MZ…) never is.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
OFFICE_SIGNATURE = b"PK\x03\x04"
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def checked_content_type(upload: Any, *, allow_office: bool = False) -> str:
    """The content type of `upload` judged by its first bytes and its size;
    ValidationError on "file" when it is too large or of another kind."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(mb)d MB.")
                    % {"mb": limit // (1024 * 1024)}
                ]
            }
        )
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    if allow_office and head.startswith(OFFICE_SIGNATURE):
        name = getattr(upload, "name", "").lower()
        for suffix, content_type in OFFICE_TYPES.items():
            if name.endswith(suffix):
                return content_type
    raise ValidationError(
        {
            "file": [
                _("Only PDF, PNG, JPEG, Word or Excel files are accepted.")
                if allow_office
                else _("Only PDF, PNG or JPEG files are accepted.")
            ]
        }
    )


def upload_fields(upload: Any, *, allow_office: bool = False) -> dict[str, Any]:
    """What a stored upload records of `upload`: its content type (checked as
    checked_content_type does), its original name and its size."""
    return {
        "content_type": checked_content_type(upload, allow_office=allow_office),
        "original_name": getattr(upload, "name", "")[:200],
        "size": upload.size,
    }


def download_response(file: FieldFile, *, content_type: str, name: str) -> FileResponse:
    """A stored upload sent back as a download named `name` (never shown
    inline: the browser saves it)."""
    return FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=True, filename=name
    )
