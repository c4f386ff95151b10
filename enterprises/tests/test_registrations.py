"""Enterprise self-registration: the anonymous request (page and API), the
rate limit, no enumeration, and the decisions (who may approve or refuse,
what approval creates, what refusal records)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from bureau.models import AuditEvent, Role, User
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from enterprises.models import Enterprise, Registration
from enterprises.services import registration_submit
from enterprises.validators import credit_code_for_serial

NEW_CODE = credit_code_for_serial(880001)
CHOSEN = "Qiye#Zhuce-2026"


class RegistrationCase(CastTestCase):
    def setUp(self) -> None:
        cache.clear()

    def form(self, **changes: Any) -> dict[str, Any]:
        data = {
            "credit_code": NEW_CODE,
            "enterprise_name": "杭州新来科技有限公司",
            "org_unit": self.street_a.pk,
            "contact_name": "张联系",
            "contact_mobile": "13900139000",
            "contact_email": "",
            "username": "xinlai",
            "password1": CHOSEN,
            "password2": CHOSEN,
        }
        data.update(changes)
        return data

    def api_body(self, **changes: Any) -> dict[str, Any]:
        data = self.form(**changes)
        data["org_unit"] = self.street_a.code
        data["password"] = data.pop("password1")
        data.pop("password2")
        return data

    def submit(self, **changes: Any) -> Registration:
        fields: dict[str, Any] = {
            "credit_code": NEW_CODE,
            "enterprise_name": "杭州新来科技有限公司",
            "org_unit": self.street_a,
            "contact_name": "张联系",
            "contact_mobile": "13900139000",
            "username": "xinlai",
            "password": CHOSEN,
        }
        fields.update(changes)
        return registration_submit(**fields)


class SubmitTests(RegistrationCase):
    def test_the_page_is_public_and_linked_from_the_login_page(self) -> None:
        self.assertContains(self.client.get("/login/"), 'href="/register/"')
        page = self.client.get("/register/")
        self.assertContains(page, "企业账号注册")
        self.assertContains(page, 'for="id_credit_code"')

    def test_a_request_is_pending_and_keeps_only_a_password_hash(self) -> None:
        response = self.client.post("/register/", self.form())
        self.assertRedirects(
            response, "/register/?sent=1", fetch_redirect_response=False
        )
        registration = Registration.objects.get()
        self.assertEqual(registration.status, Registration.Status.PENDING)
        self.assertNotIn(CHOSEN, registration.password_hash)
        self.assertTrue(registration.password_hash.startswith(("md5$", "pbkdf2")))
        self.assertFalse(User.objects.filter(username="xinlai").exists())
        event = AuditEvent.objects.get(action="registration.submit")
        self.assertEqual(event.actor_username, "xinlai")
        self.assertNotIn(CHOSEN, str(event.changes))
        self.assertContains(self.client.get("/register/?sent=1"), "注册申请已收到")

    def test_the_answer_is_the_same_for_a_known_code_and_a_taken_username(self) -> None:
        unknown = self.client.post("/register/", self.form())
        known = self.client.post(
            "/register/",
            self.form(
                credit_code=self.enterprise_a.credit_code,
                username=self.ent_user.username,
            ),
        )
        self.assertEqual(
            (unknown.status_code, unknown.url), (known.status_code, known.url)
        )
        api_unknown = self.post_json("/api/v1/registrations/", self.api_body())
        api_known = self.post_json(
            "/api/v1/registrations/",
            self.api_body(credit_code=self.enterprise_a.credit_code, username="alice"),
        )
        self.assertEqual(api_unknown.status_code, 202, api_unknown.content)
        self.assertEqual(api_unknown.json(), api_known.json())
        self.assertEqual(Registration.objects.count(), 4)

    def test_bad_input_is_shown_beside_the_fields_and_kept(self) -> None:
        response = self.client.post(
            "/register/",
            self.form(
                credit_code=NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1"),
                contact_mobile="12345",
                password1="short",
                password2="short",
            ),
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("credit_code", errors)
        self.assertIn("contact_mobile", errors)
        self.assertIn("password1", errors)
        self.assertContains(response, "校验码错误")
        self.assertContains(response, 'value="杭州新来科技有限公司"')
        self.assertFalse(Registration.objects.exists())

    def test_the_api_refuses_bad_input_with_400(self) -> None:
        response = self.post_json(
            "/api/v1/registrations/", self.api_body(credit_code="123")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("credit_code", response.json()["errors"])

    @override_settings(REGISTRATION_RATE="2/hour")
    def test_requests_are_rate_limited_per_address(self) -> None:
        for n in range(2):
            response = self.client.post("/register/", self.form(username=f"u{n}"))
            self.assertEqual(response.status_code, 302)
        refused = self.client.post("/register/", self.form(username="u3"))
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "注册申请过多")
        api = self.post_json("/api/v1/registrations/", self.api_body(username="u4"))
        self.assertEqual(api.status_code, 429)
        self.assertEqual(api.json()["code"], "throttled")
        # Another address is not affected.
        other = self.client.post(
            "/register/", self.form(username="u5"), REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(other.status_code, 302)
        self.assertEqual(Registration.objects.count(), 3)


class ApproveTests(RegistrationCase):
    def test_staff_approve_a_new_enterprise_through_the_confirmation(self) -> None:
        registration = self.submit()
        self.client.force_login(self.officer)
        url = f"/accounts/registrations/{registration.pk}/approve/"
        asked = self.client.post(url)
        self.assertContains(asked, "请确认")
        self.assertContains(asked, "新建该企业")
        registration.refresh_from_db()
        self.assertTrue(registration.is_pending)

        done = self.client.post(url, {"confirmed": "1"}, follow=True)
        self.assertContains(done, "已批准杭州新来科技有限公司的注册申请")
        registration.refresh_from_db()
        self.assertEqual(registration.status, Registration.Status.APPROVED)
        self.assertEqual(registration.password_hash, "")
        enterprise = Enterprise.objects.get(credit_code=NEW_CODE)
        self.assertTrue(enterprise.needs_completion)
        self.assertEqual(enterprise.org_unit, self.street_a)
        user = User.objects.get(username="xinlai")
        self.assertEqual(
            (user.role, user.enterprise, registration.user),
            (Role.ENTERPRISE, enterprise, user),
        )
        self.assertTrue(user.check_password(CHOSEN))
        self.assertTrue(user.password_change_required)
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertLessEqual(
            {"registration.approve", "enterprise.create", "user.create"}, actions
        )

    def test_an_enterprise_in_the_registry_is_bound_not_created(self) -> None:
        registration = self.submit(credit_code=self.enterprise_b.credit_code)
        self.client.force_login(self.officer)
        response = self.post_json(f"/api/v1/registrations/{registration.pk}/approve/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "approved")
        self.assertEqual(
            User.objects.get(username="xinlai").enterprise, self.enterprise_b
        )
        self.assertEqual(Enterprise.objects.count(), 2)

    def test_a_username_taken_since_is_reported_to_the_approver(self) -> None:
        registration = self.submit()
        UserFactory(username="XinLai", role=Role.STAFF)
        self.client.force_login(self.officer)
        api = self.post_json(f"/api/v1/registrations/{registration.pk}/approve/")
        self.assertEqual(api.status_code, 409)
        self.assertEqual(api.json()["code"], "username_taken")
        page = self.client.post(
            f"/accounts/registrations/{registration.pk}/approve/",
            {"confirmed": "1"},
            follow=True,
        )
        self.assertContains(page, "用户名 xinlai 已被占用")
        registration.refresh_from_db()
        self.assertTrue(registration.is_pending)

    def test_a_decided_request_cannot_be_decided_again(self) -> None:
        registration = self.submit()
        self.client.force_login(self.officer)
        self.post_json(f"/api/v1/registrations/{registration.pk}/approve/")
        again = self.post_json(
            f"/api/v1/registrations/{registration.pk}/refuse/", {"reason": "重复"}
        )
        self.assertEqual(again.status_code, 409)
        self.assertEqual(again.json()["code"], "not_pending")

    def test_the_liaison_of_the_street_decides_a_new_enterprise(self) -> None:
        mine = self.submit()
        other = self.submit(username="other", org_unit=self.street_b)
        self.client.force_login(self.liaison)
        self.assertEqual(
            self.post_json(f"/api/v1/registrations/{other.pk}/approve/").status_code,
            404,
        )
        response = self.post_json(f"/api/v1/registrations/{mine.pk}/approve/")
        self.assertEqual(response.status_code, 200, response.content)

    def test_a_second_account_needs_the_holder_or_staff(self) -> None:
        # enterprise_a (street A) has alice's active account.
        second = self.submit(credit_code=self.enterprise_a.credit_code)
        url = f"/api/v1/registrations/{second.pk}/approve/"
        self.client.force_login(self.liaison)
        self.assertEqual(self.post_json(url).status_code, 403)
        detail = self.client.get(f"/accounts/registrations/{second.pk}/")
        self.assertFalse(detail.context["can_approve"])
        self.assertContains(detail, "只能由现有账号持有人或科技局批准")
        self.client.force_login(self.outsider)  # another enterprise's holder
        self.assertEqual(self.post_json(url).status_code, 404)
        self.client.force_login(self.ent_user)  # the holder
        self.assertEqual(self.post_json(url).status_code, 200)
        self.assertEqual(
            User.objects.filter(enterprise=self.enterprise_a, is_active=True).count(), 2
        )

    def test_staff_may_approve_a_second_account_too(self) -> None:
        second = self.submit(credit_code=self.enterprise_a.credit_code)
        self.client.force_login(self.head)
        response = self.post_json(f"/api/v1/registrations/{second.pk}/approve/")
        self.assertEqual(response.status_code, 200)

    def test_roles_that_never_decide_are_refused(self) -> None:
        registration = self.submit()
        for user in (self.admin, self.expert, self.leader, self.auditor):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get("/accounts/registrations/").status_code, 403
            )
            self.assertEqual(
                self.post_json(
                    f"/api/v1/registrations/{registration.pk}/approve/"
                ).status_code,
                404,
            )
        self.client.logout()
        self.assertEqual(self.client.get("/api/v1/registrations/").status_code, 401)


class RefuseTests(RegistrationCase):
    def test_a_refusal_needs_a_reason_and_is_recorded_for_the_contact(self) -> None:
        registration = self.submit(contact_email="zhang@example.com")
        self.client.force_login(self.officer)
        url = f"/accounts/registrations/{registration.pk}/refuse/"
        empty = self.client.post(url, {"reason": ""}, follow=True)
        self.assertContains(empty, "请填写驳回理由")
        asked = self.client.post(url, {"reason": "营业执照信息不符"})
        self.assertContains(asked, "营业执照信息不符")
        with self.captureOnCommitCallbacks(execute=True):
            done = self.client.post(
                url, {"reason": "营业执照信息不符", "confirmed": "1"}, follow=True
            )
        self.assertContains(done, "已驳回杭州新来科技有限公司的注册申请")
        registration.refresh_from_db()
        self.assertEqual(registration.status, Registration.Status.REFUSED)
        self.assertEqual(registration.notified_to, "zhang@example.com")
        self.assertIn("营业执照信息不符", registration.notice)
        self.assertEqual(registration.password_hash, "")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("营业执照信息不符", mail.outbox[0].body)
        self.assertTrue(
            AuditEvent.objects.filter(action="registration.refuse").exists()
        )
        self.assertFalse(User.objects.filter(username="xinlai").exists())

    def test_without_an_e_mail_the_mobile_is_recorded(self) -> None:
        registration = self.submit()
        self.client.force_login(self.officer)
        response = self.post_json(
            f"/api/v1/registrations/{registration.pk}/refuse/", {"reason": "非本区企业"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json()["notified_to"], "139****9000"
        )  # masked: the mobile is personal data
        self.assertEqual(len(mail.outbox), 0)


@override_settings(REGISTRATION_RATE="100/hour")
class ListTests(RegistrationCase):
    def test_the_list_shows_pending_first_with_filters_and_the_count(self) -> None:
        pending = self.submit()
        refused = self.submit(username="other")
        refused.status = Registration.Status.REFUSED
        refused.save()
        in_b = self.submit(username="third", org_unit=self.street_b)
        self.client.force_login(self.officer)
        with self.assertNumQueries(6):
            page = self.client.get("/accounts/registrations/")
        self.assertEqual(
            [r.pk for r in page.context["page"].object_list], [in_b.pk, pending.pk]
        )
        self.assertEqual(page.context["pending_count"], 2)
        self.assertContains(page, "2 个申请待审核")
        every = self.client.get("/accounts/registrations/?status=")
        self.assertEqual(every.context["page"].paginator.count, 3)
        street = self.client.get(
            f"/accounts/registrations/?status=&org_unit={self.street_b.code}"
        )
        self.assertEqual([r.pk for r in street.context["page"].object_list], [in_b.pk])
        api = self.client.get("/api/v1/registrations/?status=pending&q=third")
        self.assertEqual([row["id"] for row in api.json()["results"]], [in_b.pk])

    def test_the_query_count_does_not_grow_with_the_rows(self) -> None:
        for n in range(12):
            code = self.enterprise_b.credit_code if n % 3 else NEW_CODE
            self.submit(username=f"user{n}", credit_code=code, org_unit=self.street_a)
        self.client.force_login(self.officer)
        with self.assertNumQueries(6):
            self.client.get("/accounts/registrations/")
        with self.assertNumQueries(4):
            self.client.get("/api/v1/registrations/")

    def test_a_liaison_and_a_holder_see_only_their_own(self) -> None:
        mine = self.submit()
        self.submit(username="other", org_unit=self.street_b)
        for_a = self.submit(
            username="second", credit_code=self.enterprise_a.credit_code
        )
        self.client.force_login(self.liaison)
        page = self.client.get("/accounts/registrations/")
        self.assertEqual(
            {r.pk for r in page.context["page"].object_list}, {mine.pk, for_a.pk}
        )
        self.client.force_login(self.ent_user)
        page = self.client.get("/accounts/registrations/")
        self.assertEqual([r.pk for r in page.context["page"].object_list], [for_a.pk])


class CompletionTests(RegistrationCase):
    def test_staff_saving_the_profile_complete_a_registered_entry(self) -> None:
        from enterprises.services import enterprise_update, registration_approve

        registration_approve(registration=self.submit(), by=self.officer)
        enterprise = Enterprise.objects.get(credit_code=NEW_CODE)
        enterprise_update(enterprise=enterprise, by=self.liaison, address="某路1号")
        enterprise.refresh_from_db()
        self.assertTrue(enterprise.needs_completion)  # a liaison's edit is partial
        enterprise_update(enterprise=enterprise, by=self.officer, founded_on=None)
        enterprise.refresh_from_db()
        self.assertFalse(enterprise.needs_completion)


class ApproveRaceTests(RegistrationCase):
    def test_a_second_approval_creating_the_same_enterprise_is_a_409(self) -> None:
        """Two requests for the same new credit code, approved at the same
        moment: the loser's INSERT fails; it answers 409, never 500."""
        from unittest import mock

        from bureau.lib.exceptions import ApplicationError
        from enterprises.models import Enterprise
        from enterprises.services.registrations import registration_approve

        first = self.submit()
        second = self.submit(username="second_user")
        registration_approve(registration=first, by=self.officer)
        # The second approval read the registry before the first committed.
        unseen = mock.Mock()
        unseen.first.return_value = None
        # ...and validated the new row before the first committed, so only
        # the INSERT itself finds the duplicate.
        with (
            mock.patch.object(Enterprise.objects, "filter", return_value=unseen),
            mock.patch.object(Enterprise, "validate_unique"),
            mock.patch.object(Enterprise, "validate_constraints"),
        ):
            with self.assertRaises(ApplicationError) as refused:
                registration_approve(registration=second, by=self.officer)
        self.assertEqual(refused.exception.code, "conflict")
        second.refresh_from_db()
        self.assertEqual(second.status, Registration.Status.PENDING)
