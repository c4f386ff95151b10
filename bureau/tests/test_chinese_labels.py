"""Codes never reach a person: periods in words, audit events with labels
and names, people by name, and messages that say what happened to what."""

from __future__ import annotations

from datetime import timedelta

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone, translation

from bureau.audit import audit
from bureau.lib.periods import month_label, period_label, quarter_label, year_label
from bureau.models import LoginThrottle
from bureau.tests.base import CastTestCase


class PeriodTests(SimpleTestCase):
    def test_periods_read_as_a_chinese_report_writes_them(self) -> None:
        with translation.override("zh-hans"):
            self.assertEqual(quarter_label(2025, 3), "2025年第三季度")
            self.assertEqual(month_label(2025, 7), "2025年7月")
            self.assertEqual(year_label(2025), "2025年")
            for code, text in (
                ("2025Q3", "2025年第三季度"),
                ("2025-Q1", "2025年第一季度"),
                ("2025-07", "2025年7月"),
                ("2025", "2025年"),
                ("2025-13", "2025-13"),
                ("本月", "本月"),
                (None, ""),
            ):
                with self.subTest(code=code):
                    self.assertEqual(period_label(code), text)

    def test_templates_have_the_same_formatter(self) -> None:
        template = Template(
            "{% load bureau_format %}{{ code|period }}|{% quarter_label 2026 4 %}"
        )
        with translation.override("zh-hans"):
            self.assertEqual(
                template.render(Context({"code": "2025Q2"})),
                "2025年第二季度|2026年第四季度",
            )

    def test_a_quarterly_report_is_named_by_its_period(self) -> None:
        from enterprises.models import Enterprise, QuarterlyReport

        report = QuarterlyReport(
            enterprise=Enterprise(name="杭州云河科技有限公司"), year=2025, quarter=3
        )
        with translation.override("zh-hans"):
            self.assertEqual(str(report), "杭州云河科技有限公司 2025年第三季度报表")
            self.assertNotIn("Q3", QuarterlyReport.period_label(2025, 3))


class AuditPageTests(CastTestCase):
    def test_the_audit_log_shows_labels_and_the_actors_names(self) -> None:
        self.officer.full_name = "王科员"
        self.officer.save(update_fields=["full_name"])
        audit(by=self.officer, action="enterprise.update", target=self.enterprise_a)
        audit(by=None, action="indicator_value.compute", message="自动计算")
        self.client.force_login(self.auditor)
        html = self.client.get("/audit/").content.decode()
        table = html[html.index('<table class="table">') :]
        self.assertIn('王科员 <span class="muted">officer</span>', table)
        self.assertIn("修改企业信息", table)
        self.assertIn(self.enterprise_a.name, table)
        self.assertIn("<td>系统</td>", table)
        self.assertNotIn("enterprise.update", table)
        self.assertNotIn("indicator_value", table)

    def test_the_audit_log_reads_actors_without_a_query_per_row(self) -> None:
        self.client.force_login(self.auditor)
        for user in (self.officer, self.head, self.liaison):
            audit(by=user, action="enterprise.update", target=self.enterprise_a)
        # session, user, two permission reads, count, page with actors, the
        # audit chain's state
        with self.assertNumQueries(7):
            self.client.get("/audit/")
        for user in (self.leader, self.admin, self.expert) * 5:
            audit(by=user, action="enterprise.update", target=self.enterprise_a)
        # session, user, two permission reads, count, page with actors, the
        # audit chain's state
        with self.assertNumQueries(7):
            self.client.get("/audit/")


class PeopleByNameTests(CastTestCase):
    def test_locked_accounts_show_whose_they_are(self) -> None:
        self.officer.full_name = "王科员"
        self.officer.save(update_fields=["full_name"])
        until = timezone.now() + timedelta(minutes=10)
        for username in ("officer", "nobody-here"):
            LoginThrottle.objects.create(
                username=username,
                failures=5,
                locked_until=until,
                last_failure_at=timezone.now(),
            )
        self.client.force_login(self.security)
        page = self.client.get("/security/lockouts/")
        self.assertContains(page, '王科员 <span class="muted">officer</span>')
        self.assertContains(page, "无此用户")
        done = self.client.post(
            "/security/lockouts/unlock/", {"username": "officer"}, follow=True
        )
        self.assertContains(done, "已解除「王科员（officer）」账户的锁定")


class FeedbackTests(CastTestCase):
    def test_saving_a_profile_names_the_enterprise(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/edit/",
            {
                "contact_phone": "0571-12345678",
                "contact_name": "陈",
                "contact_email": "",
                "address": "",
                "legal_representative": "",
            },
            follow=True,
        )
        self.assertContains(response, f"已保存「{self.enterprise_a.name}」的企业信息")

    def test_a_visit_names_the_enterprise_the_date_and_the_follow_up(self) -> None:
        self.client.force_login(self.officer)
        url = f"/enterprises/{self.enterprise_a.pk}/visits/add/"
        response = self.client.post(
            url,
            {
                "visited_on": "2026-11-02",
                "issues_raised": "用地紧张",
                "follow_up_action": "对接规资分局",
                "follow_up_owner": self.officer.pk,
                "follow_up_due_on": "2026-12-01",
            },
            follow=True,
        )
        self.assertContains(
            response,
            f"已记录 2026-11-02 对「{self.enterprise_a.name}」的走访，"
            f"并交办跟进事项「对接规资分局」（承办人：{self.officer.display_name}，"
            "2026-12-01前办结）",
        )

    def test_a_refused_visit_says_which_field_in_chinese(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/visits/add/",
            {"issues_raised": "x"},
            follow=True,
        )
        html = response.content.decode()
        start = html.index('<ul class="messages">')
        message = html[start : html.index("</ul>", start)]
        self.assertIn("走访未记录：走访日期：", message)
        self.assertIn("必填项。请修改后重新保存", message)
        self.assertNotIn("visited_on", message)


class CatalogueTests(SimpleTestCase):
    """The zh_Hans catalogue defines each message once (msgfmt refuses a
    duplicate; the compiled catalogue would keep only one translation)."""

    def test_no_message_is_defined_twice(self) -> None:
        from collections import Counter

        import polib

        from bureau.lib.catalogs import ROOT

        for path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
            catalogue = polib.pofile(str(path))
            keys = Counter(
                (e.msgctxt or "", e.msgid) for e in catalogue if not e.obsolete
            )
            twice = sorted(key for key, n in keys.items() if n > 1)
            with self.subTest(catalogue=str(path.relative_to(ROOT))):
                self.assertEqual(twice, [])
