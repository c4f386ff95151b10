"""The grouped main menu, the error pages in the site's layout and the icon."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from bureau.context_processors import nav_groups
from bureau.tests.base import CAST_ROLES, CastTestCase

# What each role of the cast finds in the menu: group → items (a group of one
# item is a plain link under the item's name).
EXPECTED_MENU = {
    "officer": [
        ("首页", ["首页"]),
        ("工作督办", ["任务督办", "工作日历"]),
        (
            "企业服务",
            [
                "企业名录",
                "梯队培育",
                "知识产权登记",
                "规上企业认定建议",
                "重新认定",
                "季度监测",
                "账号注册审核",
                "年度报表",
                "季度报表",
                "活动与科普",
                "平台载体",
                "研发机构",
                "合作交流",
            ],
        ),
        ("项目管理", ["项目申报", "政策奖补", "创新券", "向上争取项目"]),
        ("指标考核", ["指标看板", "数据导入", "技术合同", "科技成果", "研发统计"]),
        ("人才工作", ["人才库", "生活补贴", "外国专家", "科技特派员"]),
        ("政策测算", ["研发费用加计扣除", "外国人工作许可分类"]),
    ],
    "leader": [
        ("首页", ["首页"]),
        ("工作督办", ["任务督办", "工作日历"]),
        (
            "企业服务",
            [
                "企业名录",
                "梯队培育",
                "知识产权登记",
                "规上企业认定建议",
                "重新认定",
                "季度监测",
                "年度报表",
                "季度报表",
                "活动与科普",
                "平台载体",
                "研发机构",
                "合作交流",
            ],
        ),
        ("项目管理", ["项目申报", "政策奖补", "创新券", "向上争取项目"]),
        ("指标考核", ["指标看板", "技术合同", "科技成果", "研发统计"]),
        ("人才工作", ["人才库", "生活补贴", "外国专家", "科技特派员"]),
        ("政策测算", ["研发费用加计扣除", "外国人工作许可分类"]),
    ],
    "liaison": [
        ("首页", ["首页"]),
        ("工作督办", ["任务督办", "工作日历"]),
        (
            "企业服务",
            [
                "企业名录",
                "梯队培育",
                "知识产权登记",
                "规上企业认定建议",
                "重新认定",
                "季度监测",
                "账号注册审核",
                "年度报表",
                "季度报表",
                "活动与科普",
                "平台载体",
                "研发机构",
                "合作交流",
            ],
        ),
        ("项目管理", ["向上争取项目"]),
        ("指标考核", ["指标看板", "数据导入", "技术合同", "科技成果", "研发统计"]),
    ],
    "ent_user": [
        ("首页", ["首页"]),
        ("工作督办", ["任务督办"]),
        ("企业服务", ["我的企业", "年度报表", "季度报表"]),
        ("项目管理", ["项目申报", "政策奖补", "创新券"]),
        ("政策测算", ["研发费用加计扣除", "外国人工作许可分类"]),
    ],
    "expert": [("首页", ["首页"]), ("项目管理", ["我的评审"])],
    "admin": [("首页", ["首页"]), ("系统", ["账号管理", "系统管理"])],
    "security": [
        ("首页", ["首页"]),
        ("系统", ["账号管理", "账户锁定", "两步验证", "系统管理"]),
    ],
    "auditor": [("首页", ["首页"]), ("系统", ["账号管理", "审计日志", "系统管理"])],
}
EXPECTED_MENU["head"] = EXPECTED_MENU["officer"]
EXPECTED_MENU["outsider"] = EXPECTED_MENU["ent_user"]

NAV_RE = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
HREF_RE = re.compile(r'href="([^"]+)"')


class MenuTests(CastTestCase):
    def _nav(self, html: str) -> str:
        match = NAV_RE.search(html)
        assert match is not None
        return match.group(0)

    def test_each_role_sees_its_areas_and_items(self) -> None:
        for name in CAST_ROLES:
            user = getattr(self, name)
            groups = [
                (group.label, [item.label for item in group.items])
                for group in nav_groups(user, "/")
            ]
            self.assertEqual(groups, EXPECTED_MENU[name], msg=name)

    def test_a_group_of_one_is_a_plain_link_and_others_drop_down(self) -> None:
        self.client.force_login(self.leader)
        nav = self._nav(self.client.get("/").content.decode())
        self.assertIn('<a href="/" class="active" aria-current="page">首页</a>', nav)
        self.assertNotIn("<summary>首页</summary>", nav)
        self.assertIn("<summary>企业服务</summary>", nav)

    def test_every_link_in_the_menu_opens_for_its_user(self) -> None:
        for name in CAST_ROLES:
            user = getattr(self, name)
            self.client.force_login(user)
            for href in HREF_RE.findall(
                self._nav(self.client.get("/").content.decode())
            ):
                response = self.client.get(href)
                self.assertIn(response.status_code, (200, 302), msg=f"{name} {href}")
                if response.status_code == 302:  # projects home → a role's list
                    self.assertNotIn("login", response["Location"], msg=name)

    def test_the_current_page_is_marked(self) -> None:
        self.client.force_login(self.officer)
        nav = self._nav(self.client.get("/enterprises/").content.decode())
        self.assertIn(
            '<a href="/enterprises/" class="active" aria-current="page">企业名录</a>',
            nav,
        )
        self.assertIn('class="navgroup active"', nav)
        self.assertEqual(nav.count('aria-current="page"'), 1)

    def test_api_docs_are_in_the_footer_not_the_menu(self) -> None:
        for name, shown in (("officer", True), ("admin", True), ("leader", False)):
            self.client.force_login(getattr(self, name))
            html = self.client.get("/").content.decode()
            self.assertNotIn("/api/docs/", self._nav(html), msg=name)
            footer = html[html.index('<footer class="footer">') :]
            self.assertEqual('href="/api/docs/"' in footer, shown, msg=name)

    def test_the_admin_links_to_the_api_docs(self) -> None:
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/admin/"), 'href="/api/docs/"')

    def test_the_menu_folds_behind_a_button_on_a_phone(self) -> None:
        self.client.force_login(self.leader)
        html = self.client.get("/").content.decode()
        self.assertIn('aria-controls="site-menu"', html)
        self.assertIn('id="site-menu"', html)
        self.assertIn("js/nav.js", html)
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")  # no inline JS


class ErrorPageTests(CastTestCase):
    def test_a_forbidden_page_is_the_chinese_403_page_in_the_layout(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/audit/")
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "无权访问此页面", status_code=403)
        self.assertContains(response, 'class="mainnav"', status_code=403)
        self.assertContains(response, 'href="/"', status_code=403)
        self.assertNotContains(response, "Forbidden", status_code=403)

    def test_a_missing_page_is_the_chinese_404_page(self) -> None:
        self.client.force_login(self.officer)
        for debug in (False, True):
            with self.subTest(debug=debug), override_settings(DEBUG=debug):
                for path in ("/no-such-page/", "/enterprises/999999/"):
                    response = self.client.get(path)
                    self.assertContains(response, "页面不存在", status_code=404)
                    self.assertContains(response, 'class="mainnav"', status_code=404)
                    self.assertNotContains(response, "urlpatterns", status_code=404)
                    self.assertNotContains(response, "URLconf", status_code=404)

    @override_settings(DEBUG=True, DEBUG_TECHNICAL_404=True)
    def test_the_technical_404_page_only_when_asked_for(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/no-such-page/")
        self.assertContains(response, "URLconf", status_code=404)

    def test_the_api_keeps_answering_json(self) -> None:
        self.client.force_login(self.officer)
        for debug in (False, True):
            with self.subTest(debug=debug), override_settings(DEBUG=debug):
                response = self.client.get("/api/v1/no-such-thing/")
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["code"], "not_found")

    def test_a_stale_form_is_the_chinese_csrf_page(self) -> None:
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.officer)
        response = client.post("/notifications/1/read/")
        self.assertContains(response, "页面已过期", status_code=403)
        self.assertContains(response, "刷新后重新提交", status_code=403)

    def test_the_server_error_page_is_chinese(self) -> None:
        from django.test import RequestFactory

        from bureau.views import server_error

        request = RequestFactory().get("/somewhere/")
        response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("服务器出错了", response.content.decode())


class FaviconTests(CastTestCase):
    def test_the_icon_is_linked_served_and_valid(self) -> None:
        icon = Path(settings.BASE_DIR) / "static" / "favicon.ico"
        self.assertEqual(icon.read_bytes()[:4], b"\x00\x00\x01\x00")
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("favicon.ico"))
        self.assertContains(self.client.get("/login/"), 'rel="icon"')


class BadRequestPageTests(CastTestCase):
    def test_a_bad_request_is_the_chinese_400_page_or_json_under_the_api(self) -> None:
        from django.core.exceptions import BadRequest
        from django.test import RequestFactory

        from bureau.views import bad_request

        page = bad_request(RequestFactory().get("/x/"), BadRequest())
        self.assertEqual(page.status_code, 400)
        self.assertIn("请求无法处理", page.content.decode())
        api = bad_request(RequestFactory().get("/api/v1/x/"), BadRequest())
        self.assertEqual(api.status_code, 400)
        self.assertIn('"code": "bad_request"', api.content.decode())
