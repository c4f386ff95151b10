from __future__ import annotations

from bureau.models import Role
from bureau.tests.base import CastTestCase


class PageTests(CastTestCase):
    def test_anonymous_visitors_are_sent_to_the_login_page(self) -> None:
        for path in ("/", "/audit/", "/notifications/", "/security/lockouts/"):
            response = self.client.get(path)
            self.assertRedirects(
                response, f"/login/?next={path}", fetch_redirect_response=False
            )

    def test_the_login_page_speaks_chinese_by_default(self) -> None:
        response = self.client.get("/login/")
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "区县科技局业务平台")
        self.assertContains(response, "用户名")

    def test_english_is_available(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
        self.assertContains(self.client.get("/login/"), "<h1>Log in</h1>")

    def test_a_right_login_lands_on_the_home_page(self) -> None:
        response = self.client.post(
            "/login/", {"username": "officer", "password": self.password}
        )
        self.assertRedirects(response, "/")

    def test_each_role_has_its_own_home(self) -> None:
        expected = {
            Role.BUREAU_ADMIN: "用户与角色",
            Role.SECURITY_ADMIN: "被锁定的账户",
            Role.AUDITOR: "最新审计事件",
            Role.STAFF: "待形式审查的申报",
            Role.SECTION_HEAD: "待您决定的事项",
            Role.LEADER: "核心指标",
            Role.STREET_LIAISON: "本街道/园区企业",
            Role.ENTERPRISE: self.enterprise_a.name,
            Role.EXPERT: "分配给我的评审",
        }
        users = [
            self.admin,
            self.security,
            self.auditor,
            self.officer,
            self.head,
            self.leader,
            self.liaison,
            self.ent_user,
            self.expert,
        ]
        for user in users:
            self.client.force_login(user)
            response = self.client.get("/")
            self.assertContains(response, expected[user.role], msg_prefix=user.role)
            self.assertContains(response, user.get_role_display())

    def test_navigation_follows_the_role(self) -> None:
        self.client.force_login(self.auditor)
        self.assertContains(self.client.get("/"), 'href="/audit/"')
        self.client.force_login(self.ent_user)
        response = self.client.get("/")
        self.assertNotContains(response, 'href="/audit/"')
        self.assertNotContains(response, 'href="/admin/"')

    def test_logout_needs_post_and_ends_the_session(self) -> None:
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get("/logout/").status_code, 405)
        self.assertRedirects(self.client.post("/logout/"), "/login/")
        self.assertRedirects(self.client.get("/"), "/login/?next=/")

    def test_the_admin_is_in_chinese_and_open_to_admin_roles_only(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get("/admin/")
        self.assertContains(response, "用户")
        self.client.force_login(self.officer)
        self.assertRedirects(
            self.client.get("/admin/"),
            "/admin/login/?next=/admin/",
            fetch_redirect_response=False,
        )

    def test_unknown_pages_are_a_404_page(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)

    def test_notifications_are_private_to_their_recipient(self) -> None:
        from bureau.services import notification_create

        note = notification_create(recipient=self.ent_user, subject="材料已退回")
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get("/notifications/"), "材料已退回")
        self.assertEqual(
            self.client.post(f"/notifications/{note.pk}/read/").status_code, 404
        )
        self.client.force_login(self.ent_user)
        self.assertContains(self.client.get("/"), "材料已退回")
        self.client.post(f"/notifications/{note.pk}/read/")
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)
