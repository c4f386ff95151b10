"""Checking uploads by what they are, not what they are called."""

from __future__ import annotations

import posixpath
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
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
# The part every real package of the kind has, besides [Content_Types].xml.
OFFICE_MAIN_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# Nothing that runs: programs and scripts, macros, OLE packages (which can
# carry a program), ActiveX controls.
EXECUTABLE_SUFFIXES = (
    ".exe", ".dll", ".bat", ".cmd", ".com", ".scr", ".msi", ".pif", ".cpl",
    ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".jar",
    ".sh", ".lnk",
)  # fmt: skip
EXECUTABLE_PARTS = ("vbaproject.bin", "vbadata.xml")
EXECUTABLE_FOLDERS = ("activex/",)
MACRO_CONTENT_TYPES = (b"vbaproject", b"macroenabled", b"activex", b"oleobject")
OFFICE_MAX_PARTS = 2000


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
                _check_office_package(upload, suffix)
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


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _check_office_package(upload: Any, suffix: str) -> None:
    """`upload` (a zip named .docx or .xlsx) is a real package of that kind:
    it has [Content_Types].xml and the kind's main part, no program, script,
    macro, OLE package or ActiveX control inside, and does not unpack past
    XLSX_MAX_UNPACKED_MB. Only the zip directory and [Content_Types].xml are
    read."""
    not_office = _("The file is not a genuine Word or Excel document.")
    try:
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            if len(entries) > OFFICE_MAX_PARTS:
                raise _refuse(not_office)
            names = {entry.filename for entry in entries}
            if not {"[Content_Types].xml", OFFICE_MAIN_PARTS[suffix]} <= names:
                raise _refuse(not_office)
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > settings.XLSX_MAX_UNPACKED_MB * 1024 * 1024:
                raise _refuse(not_office)
            for entry in entries:
                lowered = entry.filename.lower()
                base = posixpath.basename(lowered)
                if (
                    lowered.endswith(EXECUTABLE_SUFFIXES)
                    or base in EXECUTABLE_PARTS
                    or base.startswith("oleobject")
                    or any(
                        f"/{folder}" in f"/{lowered}" for folder in EXECUTABLE_FOLDERS
                    )
                ):
                    raise _refuse(
                        _(
                            "The document contains a program, a macro or an "
                            "embedded object (%(part)s); save it without them "
                            "and upload it again."
                        )
                        % {"part": posixpath.basename(entry.filename)}
                    )
            types = package.read("[Content_Types].xml").lower()
            if any(marker in types for marker in MACRO_CONTENT_TYPES):
                raise _refuse(
                    _(
                        "The document contains macros; save it as a plain .docx "
                        "or .xlsx and upload it again."
                    )
                )
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        raise _refuse(not_office) from None
    finally:
        upload.seek(0)


def check_attachment_quota(stored: QuerySet[Any], *, adding: int) -> None:
    """Refuse one more attachment of `adding` bytes beside the `stored` ones
    (rows with a `size`): at most APPLICATION_MAX_ATTACHMENTS files and
    APPLICATION_MAX_ATTACHMENTS_MB in all per application."""
    totals = stored.aggregate(count=Count("pk"), total_bytes=Sum("size"))
    count, total_bytes = totals["count"], totals["total_bytes"] or 0
    if count + 1 > settings.APPLICATION_MAX_ATTACHMENTS:
        raise _refuse(
            _("An application holds at most %(count)d attachments.")
            % {"count": settings.APPLICATION_MAX_ATTACHMENTS}
        )
    limit = settings.APPLICATION_MAX_ATTACHMENTS_MB * 1024 * 1024
    if total_bytes + adding > limit:
        raise _refuse(
            _("The attachments of an application add up to at most %(mb)d MB.")
            % {"mb": settings.APPLICATION_MAX_ATTACHMENTS_MB}
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
