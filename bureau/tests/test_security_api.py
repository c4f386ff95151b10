"""Issue 14 findings on the API's edges: the token limit, deeply nested and
over-size bodies, error answers outside the views, Office uploads."""

from __future__ import annotations

import io
import zipfile
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from knox.models import AuthToken

from bureau.lib.parsers import json_depth
from bureau.lib.uploads import checked_content_type
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" '
    b'ContentType="application/xml"/></Types>'
)


def office(name: str, parts: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for part, data in parts.items():
            package.writestr(part, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def docx(**extra: bytes) -> SimpleUploadedFile:
    return office(
        "申报书.docx",
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<w:document/>",
            **extra,
        },
    )


class TokenLimitTests(CastTestCase):
    @override_settings(REST_KNOX={"TOKEN_LIMIT_PER_USER": 10})
    def test_thirteen_logins_leave_ten_live_tokens(self) -> None:
        from knox.settings import knox_settings

        knox_settings.reload()
        self.addCleanup(knox_settings.reload)
        first = self.api_token(self.officer)
        for _ in range(12):
            last = self.api_token(self.officer)
        self.assertEqual(AuthToken.objects.filter(user=self.officer).count(), 10)
        # The oldest went first; the newest works.
        old = {"HTTP_AUTHORIZATION": f"Token {first}"}
        self.assertEqual(self.client.get("/api/v1/me/", **old).status_code, 401)
        new = {"HTTP_AUTHORIZATION": f"Token {last}"}
        self.assertEqual(self.client.get("/api/v1/me/", **new).status_code, 200)
        self.assertTrue(
            AuditEvent.objects.filter(action="api_token.revoke_oldest").exists()
        )


class JsonBodyTests(CastTestCase):
    def setUp(self) -> None:
        self.auth = {"HTTP_AUTHORIZATION": f"Token {self.api_token(self.officer)}"}

    def test_deeply_nested_json_is_a_400_in_the_error_format(self) -> None:
        for depth in (40, 5000):
            body = "[" * depth + "]" * depth
            response = self.client.post(
                "/api/v1/enterprises/",
                body,
                content_type="application/json",
                **self.auth,
            )
            self.assertEqual(response.status_code, 400, depth)
            self.assertEqual(response.json()["code"], "too_deep")

    def test_ordinary_nesting_is_accepted_by_the_parser(self) -> None:
        self.assertEqual(json_depth({"a": [{"b": [1, 2]}], "c": 1}), 4)
        response = self.client.post(
            "/api/v1/enterprises/",
            {"name": [[["x"]]]},
            content_type="application/json",
            **self.auth,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "invalid")

    def test_an_over_size_body_is_a_json_413(self) -> None:
        big = '{"name": "' + "x" * (3 * 1024 * 1024) + '"}'
        for content_type in ("application/json", "application/x-www-form-urlencoded"):
            response = self.client.post(
                "/api/v1/enterprises/", big, content_type=content_type, **self.auth
            )
            self.assertEqual(response.status_code, 413, content_type)
            self.assertEqual(response["Content-Type"], "application/json")
            self.assertEqual(response.json()["code"], "too_large")


@override_settings(ALLOWED_HOSTS=["*"])
class ApiErrorsAreJsonTests(CastTestCase):
    def test_a_csrf_refusal_under_api_is_json(self) -> None:
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.officer)
        response = client.post(
            "/api/v1/enterprises/", "{}", content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], "permission_denied")

    def test_a_server_error_under_api_is_json(self) -> None:
        self.client.raise_request_exception = False
        self.client.force_login(self.officer)
        with (
            mock.patch("bureau.apis.MeApi.get", side_effect=RuntimeError("boom")),
            self.assertLogs("django.request", "ERROR"),
        ):
            response = self.client.get("/api/v1/me/")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], "server_error")

    def test_a_bad_host_under_api_is_json(self) -> None:
        with (
            override_settings(ALLOWED_HOSTS=["example.org"]),
            self.assertLogs("django.security", "ERROR"),
        ):
            response = self.client.get("/api/v1/me/", HTTP_HOST="evil.test")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "bad_request")

    def test_pages_keep_their_html_errors(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("text/html", response["Content-Type"])


class OfficeUploadTests(SimpleTestCase):
    def test_a_real_docx_is_accepted(self) -> None:
        self.assertIn(
            "wordprocessingml", checked_content_type(docx(), allow_office=True)
        )

    def test_a_real_xlsx_is_accepted(self) -> None:
        upload = office(
            "表.xlsx",
            {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"},
        )
        self.assertIn("spreadsheetml", checked_content_type(upload, allow_office=True))

    def _refused(self, upload: SimpleUploadedFile) -> str:
        with self.assertRaises(ValidationError) as caught:
            checked_content_type(upload, allow_office=True)
        return caught.exception.message_dict["file"][0]

    def test_any_zip_named_docx_is_refused(self) -> None:
        self._refused(office("a.docx", {"readme.txt": b"hello"}))
        self._refused(office("a.docx", {"[Content_Types].xml": CONTENT_TYPES}))
        # The other kind's main part does not make a .docx.
        self._refused(
            office(
                "a.docx",
                {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<w/>"},
            )
        )
        self._refused(SimpleUploadedFile("a.docx", b"PK\x03\x04broken"))

    def test_a_program_inside_is_refused(self) -> None:
        for part in (
            "word/media/setup.exe",
            "payload.DLL",
            "run.bat",
            "x/evil.js",
            "a.vbs",
            "word/vbaProject.bin",
            "word/embeddings/oleObject1.bin",
            "word/activeX/activeX1.xml",
        ):
            message = self._refused(docx(**{part: b"MZ"}))
            self.assertIn(part.rsplit("/", 1)[-1], message, part)

    def test_a_macro_content_type_is_refused(self) -> None:
        types = CONTENT_TYPES.replace(
            b"</Types>",
            b'<Override PartName="/word/document.xml" ContentType="application/'
            b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        upload = office(
            "a.docx",
            {"[Content_Types].xml": types, "word/document.xml": b"<w:document/>"},
        )
        self._refused(upload)

    def test_the_upload_is_rewound_for_storing(self) -> None:
        upload = docx()
        checked_content_type(upload, allow_office=True)
        self.assertEqual(upload.read(4), b"PK\x03\x04")


class AttachmentQuotaTests(CastTestCase):
    def setUp(self) -> None:
        from decimal import Decimal

        from projects.services.applications import application_create
        from projects.tests.factories import make_call

        call = make_call(self.officer)
        self.app = application_create(
            by=self.ent_user,
            call=call,
            title="附件上限测试",
            summary="测试",
            requested_amount=Decimal("100000"),
            field="电子信息",
        )

    @override_settings(APPLICATION_MAX_ATTACHMENTS=2)
    def test_the_count_is_capped(self) -> None:
        from projects.services.applications import attachment_add

        for _ in range(2):
            attachment_add(
                application=self.app, by=self.ent_user, kind="附件", upload=docx()
            )
        with self.assertRaises(ValidationError) as caught:
            attachment_add(
                application=self.app, by=self.ent_user, kind="附件", upload=docx()
            )
        self.assertIn("2", caught.exception.message_dict["file"][0])

    @override_settings(APPLICATION_MAX_ATTACHMENTS_MB=1)
    def test_the_total_size_is_capped(self) -> None:
        from projects.services.applications import attachment_add

        big = docx(**{"word/media/image1.png": b"\x89PNG" + b"0" * 700_000})
        attachment_add(application=self.app, by=self.ent_user, kind="附件", upload=big)
        big = docx(**{"word/media/image1.png": b"\x89PNG" + b"1" * 700_000})
        with self.assertRaises(ValidationError):
            attachment_add(
                application=self.app, by=self.ent_user, kind="附件", upload=big
            )

    def test_the_api_answers_a_disguised_zip_with_a_400(self) -> None:
        token = self.api_token(self.ent_user)
        response = self.client.post(
            f"/api/v1/applications/{self.app.pk}/attachments/",
            {"kind": "附件", "file": office("a.docx", {"setup.exe": b"MZ"})},
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json()["errors"])
