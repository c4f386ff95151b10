"""Two-factor login (issue 11 §4): enrolment at first login, the code step,
recovery codes, the lockout, the token API, the security admin's reset, the
`mfa_enrol` command."""

from __future__ import annotations

import time
from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.mfa import mfa_enrol_scripted
from bureau.models import AuditEvent, LoginThrottle, UserSession
from bureau.sessions import MFA_OK
from bureau.tests.base import CastTestCase
from bureau.views import MFA_PENDING

MFA_ON = override_settings(
    MFA_REQUIRED_ROLES=[
        "bureau_admin",
        "security_admin",
        "auditor",
        "staff",
        "section_head",
        "leader",
    ],
    # django-otp's own back-off (seconds between tries) would refuse the
    # right code right after a wrong one; the lockout is what is tested here.
    OTP_TOTP_THROTTLE_FACTOR=0,
    OTP_STATIC_THROTTLE_FACTOR=0,
)
WRONG_CODE = "000000"


def code_of(device: TOTPDevice, step_ahead: int = 0) -> str:
    """The device's code now (or `step_ahead` 30-second steps later: a code is
    accepted once, and the tolerance admits the next step)."""
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=6, drift=step_ahead
    )
    return f"{value:06d}"


@MFA_ON
class MfaLoginTests(CastTestCase):
    def password_step(self, username: str = "officer", **extra: str):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/login/", {"username": username, "password": self.password, **extra}
        )

    def enrol(self, user=None) -> TOTPDevice:  # type: ignore[no-untyped-def]
        mfa_enrol_scripted(user=user or self.officer)
        return TOTPDevice.objects.get(user=user or self.officer)

    def test_first_login_enrols_with_a_qr_code_and_ten_recovery_codes(self) -> None:
        response = self.password_step()
        self.assertRedirects(response, "/login/enrol/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        page = self.client.get("/login/enrol/")
        self.assertContains(page, "<svg")
        self.assertContains(page, "设置两步验证")
        self.assertNotContains(page, "<script>")
        device = TOTPDevice.objects.get(user=self.officer, confirmed=False)
        wrong = self.client.post("/login/enrol/", {"code": WRONG_CODE})
        self.assertContains(wrong, "验证码错误或已过期")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(LoginThrottle.objects.get(username="officer").failures, 1)
        done = self.client.post("/login/enrol/", {"code": code_of(device)})
        self.assertContains(done, "恢复码")
        codes = StaticToken.objects.filter(device__user=self.officer)
        self.assertEqual(codes.count(), 10)
        for token in codes:
            self.assertContains(done, token.token)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.officer.pk))
        self.assertTrue(self.client.session[MFA_OK])
        self.assertTrue(TOTPDevice.objects.get(pk=device.pk).confirmed)
        self.assertFalse(LoginThrottle.objects.filter(username="officer").exists())
        self.assertTrue(
            AuditEvent.objects.filter(action="mfa.enrol", actor=self.officer).exists()
        )
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_login_asks_for_the_code_before_the_session_is_logged_in(self) -> None:
        device = self.enrol()
        response = self.password_step(next="/notifications/")
        self.assertRedirects(response, "/login/code/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(
            self.client.get("/"), "/login/?next=/", fetch_redirect_response=False
        )
        self.assertContains(self.client.get("/login/code/"), "两步验证")
        wrong = self.client.post("/login/code/", {"code": WRONG_CODE})
        self.assertContains(wrong, "验证码错误或已过期")
        self.assertNotIn("_auth_user_id", self.client.session)
        right = self.client.post("/login/code/", {"code": code_of(device)})
        self.assertRedirects(right, "/notifications/", fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.officer.pk))
        self.assertNotIn(MFA_PENDING, self.client.session)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="login.success", actor=self.officer
            ).exists()
        )
        self.assertTrue(UserSession.objects.filter(user=self.officer).exists())

    def test_the_code_step_needs_the_password_step_first(self) -> None:
        self.enrol()
        self.assertRedirects(
            self.client.get("/login/code/"), "/login/", fetch_redirect_response=False
        )
        self.assertRedirects(
            self.client.post("/login/code/", {"code": "123456"}),
            "/login/",
            fetch_redirect_response=False,
        )

    def test_the_code_step_expires(self) -> None:
        device = self.enrol()
        self.password_step()
        session = self.client.session
        session[MFA_PENDING] = {**session[MFA_PENDING], "at": time.time() - 301}
        session.save()
        response = self.client.post("/login/code/", {"code": code_of(device)})
        self.assertRedirects(response, "/login/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_recovery_code_logs_in_once(self) -> None:
        _uri, codes = mfa_enrol_scripted(user=self.officer)
        self.password_step()
        response = self.client.post("/login/code/", {"code": codes[0].upper()})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(
            StaticToken.objects.filter(device__user=self.officer).count(), 9
        )
        self.assertTrue(AuditEvent.objects.filter(action="mfa.recovery_used").exists())
        self.client.logout()
        self.password_step()
        again = self.client.post("/login/code/", {"code": codes[0]})
        self.assertContains(again, "验证码错误或已过期")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_wrong_codes_count_toward_the_lockout(self) -> None:
        device = self.enrol()
        self.password_step()
        for _n in range(4):
            self.client.post("/login/code/", {"code": WRONG_CODE})
        # The right password again does not wipe the wrong codes.
        self.password_step()
        self.assertEqual(LoginThrottle.objects.get(username="officer").failures, 4)
        locked = self.client.post("/login/code/", {"code": WRONG_CODE}, follow=True)
        self.assertContains(locked, "账户已被锁定")
        self.assertTrue(LoginThrottle.objects.get(username="officer").is_locked())
        # Locked: neither the password nor a right code gets in.
        self.assertContains(self.password_step(), "账户已被锁定")
        self.client.post("/login/code/", {"code": code_of(device)})
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_roles_without_mfa_log_in_with_the_password(self) -> None:
        response = self.client.post(
            "/login/", {"username": "alice", "password": self.password}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.ent_user.pk))

    def test_a_session_without_the_second_factor_is_logged_out(self) -> None:
        # e.g. made before MFA was turned on for the role.
        self.client.force_login(self.officer)
        self.assertRedirects(
            self.client.get("/"), "/login/?next=/", fetch_redirect_response=False
        )
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_admin_login_form_is_replaced_by_the_site_login(self) -> None:
        response = self.client.get("/admin/login/?next=/admin/")
        self.assertRedirects(
            response, "/login/?next=%2Fadmin%2F", fetch_redirect_response=False
        )
        post = self.client.post(
            "/admin/login/", {"username": "admin", "password": self.password}
        )
        self.assertEqual(post.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)


@MFA_ON
class MfaTokenApiTests(CastTestCase):
    def token(self, **data: str):  # type: ignore[no-untyped-def]
        return self.post_json(
            "/api/v1/auth/token/",
            {"username": "officer", "password": self.password, **data},
        )

    def test_the_token_needs_the_code(self) -> None:
        _uri, codes = mfa_enrol_scripted(user=self.officer)
        device = TOTPDevice.objects.get(user=self.officer)
        missing = self.token()
        self.assertEqual(missing.status_code, 401)
        self.assertEqual(missing.json()["code"], "mfa_required")
        self.assertIn("验证码", missing.json()["detail"])
        self.assertFalse(LoginThrottle.objects.filter(username="officer").exists())
        wrong = self.token(otp=WRONG_CODE)
        self.assertEqual(wrong.status_code, 401)
        self.assertEqual(wrong.json()["code"], "mfa_required")
        self.assertEqual(LoginThrottle.objects.get(username="officer").failures, 1)
        right = self.token(otp=code_of(device))
        self.assertEqual(right.status_code, 200, right.content)
        self.assertFalse(LoginThrottle.objects.filter(username="officer").exists())
        me = self.client.get(
            "/api/v1/me/", HTTP_AUTHORIZATION=f"Token {right.json()['token']}"
        )
        self.assertEqual(me.status_code, 200)
        self.assertEqual(self.token(otp=codes[1]).status_code, 200)
        self.assertEqual(self.token(otp=codes[1]).status_code, 401)
        row = UserSession.objects.filter(user=self.officer, kind="token").first()
        self.assertIsNotNone(row)

    def test_wrong_codes_lock_the_account(self) -> None:
        mfa_enrol_scripted(user=self.officer)
        for _n in range(5):
            self.token(otp=WRONG_CODE)
        locked = self.token(otp=WRONG_CODE)
        self.assertEqual(locked.status_code, 403)
        self.assertEqual(locked.json()["code"], "account_locked")

    def test_roles_without_mfa_need_no_code(self) -> None:
        self.assertEqual(self.token_login("alice").status_code, 200)


@MFA_ON
class MfaResetTests(CastTestCase):
    def login_security(self) -> None:
        self.client.force_login(self.security)
        session = self.client.session
        session[MFA_OK] = True
        session.save()

    def test_the_security_admin_lists_and_resets_a_device(self) -> None:
        mfa_enrol_scripted(user=self.officer)
        mfa_enrol_scripted(user=self.head)
        self.login_security()
        # session, user, count, the menu's two permission queries, the page
        # of users (with their enrolment): not one more per user.
        with self.assertNumQueries(6):
            page = self.client.get("/security/mfa/")
        self.assertContains(page, "officer")
        self.assertContains(page, "已设置")
        self.assertNotContains(page, "alice")
        first = self.client.post(f"/security/mfa/{self.officer.pk}/reset/")
        self.assertContains(first, "确认")
        self.assertTrue(TOTPDevice.objects.filter(user=self.officer).exists())
        done = self.client.post(
            f"/security/mfa/{self.officer.pk}/reset/", {"confirmed": "1"}, follow=True
        )
        self.assertContains(done, f"已重置{self.officer.display_name}的两步验证")
        self.assertFalse(TOTPDevice.objects.filter(user=self.officer).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.officer).exists())
        self.assertTrue(TOTPDevice.objects.filter(user=self.head).exists())
        event = AuditEvent.objects.get(action="mfa.reset")
        self.assertEqual(event.actor, self.security)
        self.assertEqual(event.object_id, str(self.officer.pk))
        # The user enrols again at the next login.
        self.client.logout()
        response = self.client.post(
            "/login/", {"username": "officer", "password": self.password}
        )
        self.assertRedirects(response, "/login/enrol/", fetch_redirect_response=False)

    def test_the_reset_ends_the_users_sessions(self) -> None:
        mfa_enrol_scripted(user=self.officer)
        other = self.client_class()
        other.force_login(self.officer)
        session = other.session
        session[MFA_OK] = True
        session.save()
        self.assertEqual(other.get("/").status_code, 200)
        self.login_security()
        self.client.post(f"/security/mfa/{self.officer.pk}/reset/", {"confirmed": "1"})
        self.assertEqual(other.get("/").status_code, 302)

    def test_the_security_admin_cannot_reset_their_own(self) -> None:
        mfa_enrol_scripted(user=self.security)
        self.login_security()
        response = self.client.post(
            f"/security/mfa/{self.security.pk}/reset/", {"confirmed": "1"}, follow=True
        )
        self.assertContains(response, "不能重置自己的两步验证")
        self.assertTrue(TOTPDevice.objects.filter(user=self.security).exists())

    def test_only_the_security_admin_may(self) -> None:
        for user in (self.admin, self.auditor):
            self.client.force_login(user)
            session = self.client.session
            session[MFA_OK] = True
            session.save()
            self.assertEqual(self.client.get("/security/mfa/").status_code, 403)
            self.assertEqual(
                self.client.post(
                    f"/security/mfa/{self.officer.pk}/reset/", {"confirmed": "1"}
                ).status_code,
                403,
            )


@MFA_ON
class RecoveryCodesRenewTests(CastTestCase):
    def test_a_user_issues_new_recovery_codes(self) -> None:
        _uri, old_codes = mfa_enrol_scripted(user=self.officer)
        self.client.force_login(self.officer)
        session = self.client.session
        session[MFA_OK] = True
        session.save()
        self.assertContains(self.client.get("/account/"), "重新生成恢复码")
        first = self.client.post("/account/recovery-codes/")
        self.assertContains(first, "确认")
        done = self.client.post("/account/recovery-codes/", {"confirmed": "1"})
        new_codes = set(
            StaticToken.objects.filter(device__user=self.officer).values_list(
                "token", flat=True
            )
        )
        self.assertEqual(len(new_codes), 10)
        self.assertFalse(new_codes & set(old_codes))
        for code in new_codes:
            self.assertContains(done, code)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="mfa.recovery_renew", actor=self.officer
            ).exists()
        )

    def test_not_without_an_authenticator(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            "/account/recovery-codes/", {"confirmed": "1"}, follow=True
        )
        self.assertContains(response, "请先设置两步验证")
        self.assertFalse(StaticDevice.objects.filter(user=self.ent_user).exists())


class MfaCommandTests(CastTestCase):
    def test_it_prints_an_otpauth_uri(self) -> None:
        out = StringIO()
        call_command("mfa_enrol", "officer", "--recovery-codes", stdout=out)
        lines = out.getvalue().split()
        self.assertTrue(lines[0].startswith("otpauth://totp/"))
        self.assertIn("secret=", lines[0])
        self.assertEqual(len(lines), 11)
        self.assertTrue(TOTPDevice.objects.get(user=self.officer).confirmed)
        self.assertTrue(AuditEvent.objects.filter(action="mfa.enrol").exists())

    def test_mfa_is_off_in_the_test_settings(self) -> None:
        from django.conf import settings

        self.assertEqual(settings.MFA_REQUIRED_ROLES, [])
