"""国密 for personal data (SM4-GCM, HMAC-SM3) and the SM3-chained audit trail."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone

from bureau.audit import _event, audit, snapshot
from bureau.audit_chain import append, verify
from bureau.lib import pii
from bureau.models import AuditEvent, User
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Expert
from talent.models import Talent
from talent.selectors import talent_list
from talent.services import talent_create

OLD_KEY = "00112233445566778899aabbccddeeff"
ID_NUMBER = "11010519491231002X"

PG_OFF = "ALTER TABLE bureau_auditevent DISABLE TRIGGER bureau_auditevent_no_change"
PG_ON = "ALTER TABLE bureau_auditevent ENABLE TRIGGER bureau_auditevent_no_change"
SQLITE_OFF = "DROP TRIGGER IF EXISTS bureau_auditevent_no_update"
SQLITE_ON = (
    "CREATE TRIGGER bureau_auditevent_no_update BEFORE UPDATE ON bureau_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
)


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def raw_write(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def as_attacker(sql: str, params: list[object]) -> None:
    """Change the audit table as someone with the database owner's rights."""
    off, on = (
        (PG_OFF, PG_ON)
        if connection.vendor == "postgresql"
        else (SQLITE_OFF, SQLITE_ON)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(off)
        cursor.execute(sql, params)
        cursor.execute(on)


class Sm4Tests(TestCase):
    def test_values_are_sm4_gcm_with_the_key_named(self) -> None:
        stored = pii.encrypt("13812348000")
        kid = pii.key_id(bytes.fromhex(settings.PII_SM4_KEYS[0]))
        self.assertTrue(stored.startswith(f"sm4gcm:{kid}:"), stored)
        self.assertNotIn("13812348000", stored)
        self.assertNotEqual(stored, pii.encrypt("13812348000"))  # fresh nonce
        self.assertEqual(pii.decrypt(stored), "13812348000")

    def test_an_altered_value_is_refused(self) -> None:
        stored = pii.encrypt("13812348000")
        body = stored[-8:]
        flipped = stored[:-8] + ("A" if body[0] != "A" else "B") + body[1:]
        with self.assertRaisesMessage(ValueError, "altered"):
            pii.decrypt(flipped)

    def test_rotation_first_key_encrypts_all_decrypt(self) -> None:
        with override_settings(PII_SM4_KEYS=[OLD_KEY]):
            old = pii.encrypt("0571-88012345")
        with override_settings(PII_SM4_KEYS=[settings.PII_SM4_KEYS[0], OLD_KEY]):
            self.assertEqual(pii.decrypt(old), "0571-88012345")
            self.assertFalse(pii.is_current(old))
            self.assertTrue(pii.is_current(pii.encrypt("x")))
        with self.assertRaisesMessage(ValueError, "not in PII_SM4_KEY"):
            pii.decrypt(old)

    def test_fernet_values_written_before_still_read(self) -> None:
        token = (
            Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).encrypt(b"13900001111").decode()
        )
        self.assertEqual(pii.decrypt(token), "13900001111")

    def test_search_hash_is_hmac_sm3(self) -> None:
        mac = hmac.HMAC(settings.PII_HASH_KEY.encode(), hashes.SM3())
        mac.update(ID_NUMBER.upper().encode())
        self.assertEqual(pii.keyed_hash(ID_NUMBER.lower()), mac.finalize().hex())
        self.assertEqual(len(pii.keyed_hashes(ID_NUMBER)), 2)


class EncryptedColumnTests(TestCase):
    def test_user_enterprise_and_expert_phones_are_ciphertext_in_the_database(
        self,
    ) -> None:
        user = UserFactory(phone="13812348000")
        enterprise = EnterpriseFactory(contact_phone="0571-88012345")
        expert = Expert.objects.create(name="张专家", phone="13700001111")
        for table, column, pk, clear in [
            ("bureau_user", "phone", user.pk, "13812348000"),
            ("enterprises_enterprise", "contact_phone", enterprise.pk, "0571-88012345"),
            ("projects_expert", "phone", expert.pk, "13700001111"),
        ]:
            stored = raw(table, column, pk)
            self.assertTrue(stored.startswith("sm4gcm:"), (table, stored))
            self.assertNotIn(clear, stored)
        self.assertEqual(User.objects.get(pk=user.pk).phone, "13812348000")

    def test_the_audit_trail_holds_phones_masked(self) -> None:
        enterprise = EnterpriseFactory(contact_phone="0571-88012345")
        after = snapshot(enterprise, ["contact_phone"])
        self.assertEqual(after["contact_phone"], "057******2345")

    def test_reencrypt_leaves_no_clear_or_fernet_value(self) -> None:
        fernet = Fernet(settings.FIELD_ENCRYPTION_KEYS[0])
        user = UserFactory()
        enterprise = EnterpriseFactory()
        expert = Expert.objects.create(name="李专家")
        # Rows as an older release wrote them: phones in clear, talent in Fernet
        # with an HMAC-SHA256 search hash.
        raw_write("bureau_user", "phone", user.pk, "13812348000")
        raw_write("enterprises_enterprise", "contact_phone", enterprise.pk, "0571-1")
        raw_write("projects_expert", "phone", expert.pk, "13700001111")
        talent = talent_create(
            by=None, name="王人才", id_number=ID_NUMBER, phone="13600002222"
        )
        Talent.objects.filter(pk=talent.pk).update(
            id_number_encrypted=fernet.encrypt(ID_NUMBER.encode()).decode(),
            id_number_hash=pii.keyed_hashes(ID_NUMBER)[1],
            phone_encrypted=fernet.encrypt(b"13600002222").decode(),
        )
        # Still found by its ID number before the rewrite.
        self.assertEqual(
            list(talent_list(user=UserFactory(role="staff"), id_number=ID_NUMBER)),
            [talent],
        )

        out = StringIO()
        call_command("pii_reencrypt", stdout=out)
        self.assertIn("talent.id_number: 1 rewritten", out.getvalue())

        for table, column, pk in [
            ("bureau_user", "phone", user.pk),
            ("enterprises_enterprise", "contact_phone", enterprise.pk),
            ("projects_expert", "phone", expert.pk),
            ("talent_talent", "id_number_encrypted", talent.pk),
            ("talent_talent", "phone_encrypted", talent.pk),
        ]:
            self.assertTrue(
                raw(table, column, pk).startswith("sm4gcm:"), (table, column)
            )
        talent.refresh_from_db()
        self.assertEqual(talent.id_number_hash, pii.keyed_hash(ID_NUMBER))
        self.assertEqual(pii.decrypt(talent.id_number_encrypted), ID_NUMBER)
        self.assertEqual(User.objects.get(pk=user.pk).phone, "13812348000")
        self.assertTrue(AuditEvent.objects.filter(action="pii.reencrypt").exists())

        out = StringIO()
        call_command("pii_reencrypt", stdout=out)
        self.assertIn("0 values rewritten", out.getvalue())


class AuditChainTests(TestCase):
    def setUp(self) -> None:
        self.user = UserFactory(full_name="王科员")
        self.events = [
            audit(by=self.user, action="enterprise.update", message=f"第{n}次")
            for n in range(5)
        ]

    def test_each_event_links_to_the_one_before(self) -> None:
        self.assertEqual(self.events[1].prev_digest, self.events[0].digest)
        self.assertEqual(len(self.events[0].digest), 64)
        verdict = verify()
        self.assertTrue(verdict.intact)
        call_command("audit_verify", stdout=StringIO())

    def test_a_changed_row_is_named(self) -> None:
        victim = self.events[2]
        as_attacker(
            "UPDATE bureau_auditevent SET message = %s WHERE id = %s",
            ["改过了", victim.pk],
        )
        with self.assertRaisesMessage(CommandError, f"event {victim.pk} "):
            call_command("audit_verify", stdout=StringIO())
        self.assertEqual(verify().broken, victim)

    def test_a_removed_row_breaks_the_next_link(self) -> None:
        as_attacker("DELETE FROM bureau_auditevent WHERE id = %s", [self.events[1].pk])
        verdict = verify()
        self.assertEqual(verdict.broken, self.events[2])
        self.assertEqual(verdict.reason, "link")

    def test_removing_the_newest_is_noticed(self) -> None:
        as_attacker("DELETE FROM bureau_auditevent WHERE id = %s", [self.events[4].pk])
        verdict = verify()
        self.assertFalse(verdict.intact)
        self.assertEqual(verdict.reason, "truncated")

    def test_bulk_events_are_chained_too(self) -> None:
        from bureau.audit import audit_many

        audit_many(
            [{"by": self.user, "action": "x.bulk", "message": str(n)} for n in range(3)]
        )
        self.assertTrue(verify().intact)


class AuditorPageTests(TestCase):
    def setUp(self) -> None:
        self.auditor = UserFactory(role="auditor", full_name="审计员")
        self.staff = UserFactory(role="staff")
        audit(by=self.staff, action="user.update", target=self.staff)

    def test_the_auditor_sees_the_chain_state_and_verifies_it(self) -> None:
        self.client.force_login(self.auditor)
        page = self.client.get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(page, 'data-chain-state="unverified"')
        done = self.client.post("/audit/verify/", follow=True)
        self.assertContains(done, 'data-chain-state="intact"')
        self.assertContains(done, "审计日志完整")

    def test_the_export_carries_digests_and_is_audited(self) -> None:
        from openpyxl import load_workbook

        self.client.force_login(self.auditor)
        response = self.client.get("/audit/export/?action=user.update")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        self.assertIn("SM3摘要", header)
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 1)
        self.assertEqual(len(rows[0][header.index("SM3摘要")]), 64)
        self.assertTrue(AuditEvent.objects.filter(action="audit.export").exists())

    def test_others_may_not_export_or_verify(self) -> None:
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get("/audit/export/").status_code, 403)
        self.assertEqual(self.client.post("/audit/verify/").status_code, 403)


class AuditArchiveTests(TestCase):
    def test_events_inside_the_retention_period_are_never_archived(self) -> None:
        audit(by=None, action="user.update")
        with self.assertRaisesMessage(CommandError, "kept 186 days"):
            call_command(
                "audit_archive",
                before=timezone.localdate().isoformat(),
                output=str(Path(self.tmp()) / "a.jsonl"),
            )

    def test_old_events_move_to_a_file_and_the_chain_still_verifies(self) -> None:
        old = timezone.now() - timedelta(days=400)
        for n in range(3):
            event = _event({"by": None, "action": "user.update", "message": str(n)})
            event.created_at = old + timedelta(minutes=n)
            append([event])
        audit(by=None, action="user.update", message="recent")
        target = Path(self.tmp()) / "archive.jsonl"
        before = (timezone.localdate() - timedelta(days=200)).isoformat()
        call_command(
            "audit_archive", before=before, output=str(target), stdout=StringIO()
        )
        lines = target.read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 3)
        self.assertEqual(len(json.loads(lines[0])["digest"]), 64)
        self.assertEqual(
            list(AuditEvent.objects.values_list("action", flat=True).order_by("id")),
            ["user.update", "audit.archive"],
        )
        self.assertTrue(verify().intact)

    def tmp(self) -> str:
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        return directory
