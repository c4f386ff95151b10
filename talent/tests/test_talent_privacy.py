"""ID numbers and phones: validated, encrypted at rest, masked everywhere."""

from __future__ import annotations

import logging

from django.db import connection

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from talent.models import Talent
from talent.services import talent_create
from talent.validators import id_check_char

# A valid ID number (check character computed) and a phone.
FIRST17 = "11010519900307123"
ID_NUMBER = FIRST17 + id_check_char(FIRST17)
PHONE = "13812348000"


class TalentPrivacyTests(CastTestCase):
    url = "/api/v1/talents/"

    def create(self, **payload):  # type: ignore[no-untyped-def]
        body = {"name": "张伟", "id_number": ID_NUMBER, "phone": PHONE, **payload}
        return self.post_json(self.url, body)

    def test_staff_create_with_name_id_and_phone_and_get_them_masked(self) -> None:
        self.client.force_login(self.officer)
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("probe").debug("start")
            response = self.create()
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["id_number"], ID_NUMBER[:6] + "********" + ID_NUMBER[-4:])
        self.assertEqual(body["phone"], "138****8000")
        self.assertEqual(body["birth_year"], 1990)
        self.assertEqual(body["gender"], "M")  # 17th digit odd
        self.assertNotIn(ID_NUMBER, str(response.content))
        self.assertNotIn(PHONE, str(response.content))
        for line in logs.output:
            self.assertNotIn(ID_NUMBER, line)
            self.assertNotIn(PHONE, line)

    def test_the_database_holds_neither_in_clear(self) -> None:
        talent = talent_create(
            by=self.officer, name="李娜", id_number=ID_NUMBER, phone=PHONE
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM talent_talent WHERE id = %s", [talent.pk])
            row = " ".join(str(v) for v in cursor.fetchone())
            cursor.execute(
                "SELECT changes, message, object_repr FROM bureau_auditevent"
            )
            audit_text = " ".join(str(v) for r in cursor.fetchall() for v in r)
        for secret in (ID_NUMBER, PHONE):
            self.assertNotIn(secret, row)
            self.assertNotIn(secret, audit_text)
        self.assertTrue(AuditEvent.objects.filter(action="talent.create").exists())
        from bureau.lib.pii import decrypt

        self.assertEqual(decrypt(talent.id_number_encrypted), ID_NUMBER)
        self.assertEqual(decrypt(talent.phone_encrypted), PHONE)

    def test_an_invalid_id_is_a_400_saying_why(self) -> None:
        self.client.force_login(self.officer)
        wrong_check = FIRST17 + ("0" if ID_NUMBER[-1] != "0" else "1")
        cases = {
            ID_NUMBER[:17]: "18位",
            wrong_check: "校验码",
            "110105199002301234": "出生日期",
            "11010519900307A234": "数字",
        }
        for value, reason in cases.items():
            with self.subTest(value=value):
                response = self.create(id_number=value)
                self.assertEqual(response.status_code, 400)
                message = response.json()["errors"]["id_number"][0]
                self.assertIn(reason, message)
                self.assertNotIn(value, response.content.decode())
        self.assertFalse(Talent.objects.exists())

    def test_searching_by_id_number_works_through_the_hash(self) -> None:
        talent_create(by=self.officer, name="王芳", id_number=ID_NUMBER, phone=PHONE)
        talent_create(by=self.officer, name="赵敏")
        self.client.force_login(self.leader)
        found = self.post_json(
            f"{self.url}search/", {"id_number": ID_NUMBER.lower()}
        ).json()
        self.assertEqual([t["name"] for t in found["results"]], ["王芳"])
        none = self.post_json(f"{self.url}search/", {"id_number": "1"})
        self.assertEqual(none.json()["count"], 0)
        # The page searches by POST too: the number is in no URL and not echoed.
        page = self.client.post("/talent/", {"id_number": ID_NUMBER})
        self.assertContains(page, "王芳")
        self.assertNotContains(page, "赵敏")
        self.assertNotContains(page, ID_NUMBER)

    def test_a_person_is_registered_once(self) -> None:
        self.client.force_login(self.officer)
        self.create()
        again = self.create(name="张伟（重复）")
        self.assertEqual(again.status_code, 400)
        self.assertIn("id_number", again.json()["errors"])

    def test_pages_and_exports_show_masks_only(self) -> None:
        talent = talent_create(
            by=self.officer,
            name="陈静",
            id_number=ID_NUMBER,
            phone=PHONE,
            employer=self.enterprise_a,
        )
        self.client.force_login(self.officer)
        for path in ("/talent/", f"/talent/{talent.pk}/"):
            page = self.client.get(path).content.decode()
            self.assertIn("陈静", page)
            self.assertNotIn(ID_NUMBER, page)
            self.assertNotIn(PHONE, page)
            self.assertIn("138****8000", page)

    def test_enterprise_users_see_only_their_own_employees(self) -> None:
        mine = talent_create(by=self.officer, name="甲", employer=self.enterprise_a)
        theirs = talent_create(by=self.officer, name="乙", employer=self.enterprise_b)
        self.client.force_login(self.ent_user)
        listed = self.client.get(self.url).json()
        self.assertEqual([t["id"] for t in listed["results"]], [mine.pk])
        self.assertEqual(self.client.get(f"{self.url}{theirs.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/talent/{theirs.pk}/").status_code, 404)
        self.assertEqual(
            self.post_json(self.url, {"name": "x"}).status_code,
            403,
        )
        # Roles that see nobody are refused the list, by the API as by the
        # page (the API used to answer them an empty list).
        for user in (self.expert, self.liaison, self.admin):
            self.client.force_login(user)
            with self.subTest(role=user.role):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.client.get("/talent/").status_code, 403)


class TalentCreatePageTests(CastTestCase):
    def test_staff_add_a_person_and_a_bad_id_is_not_echoed(self) -> None:
        self.client.force_login(self.officer)
        bad = FIRST17 + ("0" if ID_NUMBER[-1] != "0" else "1")
        page = self.client.post(
            "/talent/new/",
            {"name": "测试", "id_number": bad, "phone": PHONE, "nationality": "CN"},
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "校验码")
        self.assertNotContains(page, bad)
        self.assertNotContains(page, PHONE)
        response = self.client.post(
            "/talent/new/",
            {
                "name": "测试",
                "id_number": ID_NUMBER,
                "phone": PHONE,
                "nationality": "cn",
            },
        )
        talent = Talent.objects.get()
        self.assertRedirects(response, f"/talent/{talent.pk}/")
        self.assertEqual(talent.phone_masked, "138****8000")
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get("/talent/new/").status_code, 403)
