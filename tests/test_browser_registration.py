"""Headless Chromium walks an enterprise's way in: it registers on the
public page, a staff member approves the request (with the confirmation
step), and the applicant's first login is sent to choose a new password
before the home page (test-artifacts/registration-*.png)."""

from __future__ import annotations

from bureau.models import Role, User
from bureau.tests.factories import UserFactory
from enterprises.models import Enterprise
from enterprises.validators import credit_code_for_serial
from tests.browser import BrowserTestCase, home_district, street

CHOSEN = "Qiye#Zhuce-2026"
MINE = "Wode!Mima-2027"


class BrowserRegistrationTests(BrowserTestCase):
    def test_register_approve_first_login_with_a_forced_change(self) -> None:
        mishixiang = street(home_district())
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)
        code = credit_code_for_serial(990001)
        base = self.live_server_url

        page = self.open_page()
        # 1. The applicant registers from the login page.
        page.goto(f"{base}/login/")
        page.click("text=注册账号")
        page.wait_for_url(f"{base}/register/")
        page.fill("#id_credit_code", code)
        page.fill("#id_enterprise_name", "杭州浏览器科技有限公司")
        page.select_option("#id_org_unit", str(mishixiang.pk))
        page.fill("#id_contact_name", "赵联系")
        page.fill("#id_contact_mobile", "13700137000")
        page.fill("#id_username", "zhaoqiye")
        page.fill("#id_password1", CHOSEN)
        page.fill("#id_password2", CHOSEN)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/register/?sent=1")
        assert "注册申请已收到" in page.locator("main").inner_text()
        self.shot(page, "registration-sent")
        assert not User.objects.filter(username="zhaoqiye").exists()

        # 2. Staff approve it, confirming once more.
        self.log_in(page, "wangkeyuan")
        page.goto(f"{base}/accounts/registrations/")
        assert "1 个申请待审核" in page.locator("main").inner_text()
        page.click("text=杭州浏览器科技有限公司")
        page.click("main button:has-text('批准')")
        assert "请确认" in page.locator("h1").inner_text()
        self.shot(page, "registration-confirm")
        page.click("main button:has-text('确认')")
        page.wait_for_load_state()
        assert (
            "已批准杭州浏览器科技有限公司的注册申请"
            in page.locator("main").inner_text()
        )
        enterprise = Enterprise.objects.get(credit_code=code)
        assert enterprise.needs_completion
        page.click("header button:has-text('退出登录')")
        page.wait_for_url(f"{base}/login/")

        # 3. The applicant's first login: choose a new password, then home.
        self.log_in(page, "zhaoqiye", CHOSEN, lands_on="/account/password/")
        assert "初始密码" in page.locator("main").inner_text()
        self.shot(page, "registration-forced-change")
        page.goto(f"{base}/enterprises/")  # anything else leads back
        assert page.url.startswith(f"{base}/account/password/")
        page.fill("#id_old_password", CHOSEN)
        page.fill("#id_new_password1", MINE)
        page.fill("#id_new_password2", MINE)
        page.click("main button[type=submit]")
        # Back where it was going: its own enterprise's page.
        page.wait_for_url(f"{base}/enterprises/{enterprise.pk}/")
        page.goto(f"{base}/")
        assert page.locator("h1").inner_text().startswith("您好"), page.locator(
            "h1"
        ).inner_text()
        self.shot(page, "registration-home")
        user = User.objects.get(username="zhaoqiye")
        assert user.check_password(MINE) and not user.password_change_required
        page.close()
