"""First award vs renewal, the renewal calendar and its reminders, the
重新认定 list, the cancellation terms and the ladder rules moved to settings
(issue 10 §3–5, §9–10)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from bureau.audit import action_label
from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent, Notification
from bureau.tests.base import CastTestCase
from enterprises.echelons import Outcome, outcome
from enterprises.models import Certification, LadderReminder, Tier
from enterprises.renewals import (
    application_window,
    renewal_window,
    tech_sme_reminder_due,
    warning_from,
    warning_until,
)
from enterprises.services import (
    certification_create,
    certification_revoke,
    ladder_reminders_send,
)
from enterprises.tests.factories import EnterpriseFactory, award
from indicators.models import DataValue
from indicators.services import indicators_recompute

LADDER_TEST = {
    "certificate_end_minus_one_day": True,
    "hnte_report_deadline": "05-31",
    "hnte_missed_reports_to_revoke": 2,
    "tech_sme_update_deadline": "03-31",
    "tech_sme_reminder_days": 30,
    "quarterly_filing_days": 20,
    "expiry_warning_days_before_window": 30,
    "monitored_tiers": None,
    "reaward_bar_tiers": ["hnte", "tech_sme"],
    "reaward_bar_local_tiers": True,
    "echelon_count": 3,
    "echelon_drop": "leave",
    "decline_threshold": "-0.10",
    "assessment_promote_score": 80,
    "assessment_keep_score": 50,
}
WINDOWS = {2026: ("2026-05-01", "2026-09-30")}


def ladder(**changes: object) -> dict[str, object]:
    return {**LADDER_TEST, **changes}


class FirstTimeTests(CastTestCase):
    def setUp(self) -> None:
        self.hnte = Tier.objects.get(code=Tier.HNTE)
        self.sme = Tier.objects.get(code=Tier.TECH_SME)

    def test_the_first_award_of_a_tier_is_first_and_a_re_recognition_is_not(
        self,
    ) -> None:
        first = award(self.enterprise_a, self.hnte, date(2022, 11, 20))
        again = award(self.enterprise_a, self.hnte, date(2025, 11, 20))
        other_tier = award(self.enterprise_a, self.sme, date(2025, 7, 1))
        other_firm = award(self.enterprise_b, self.hnte, date(2025, 11, 20))
        self.assertTrue(first.first_time)
        self.assertFalse(again.first_time)
        self.assertTrue(other_tier.first_time)
        self.assertTrue(other_firm.first_time)
        self.assertEqual(again.award_kind_display, "重新认定")
        self.assertEqual(first.award_kind_display, "首次认定")

    def test_each_yearly_registration_after_the_first_is_a_re_registration(
        self,
    ) -> None:
        years = [
            award(self.enterprise_a, self.sme, date(y, 7, 1)) for y in (2024, 2025)
        ]
        self.assertEqual([c.first_time for c in years], [True, False])
        self.assertEqual(years[1].award_kind_display, "重新入库")

    def test_a_revoked_award_still_makes_the_next_one_a_renewal(self) -> None:
        old = award(self.enterprise_a, self.hnte, date(2019, 11, 20))
        certification_revoke(
            certification=old, by=None, reason="重大质量事故", on=date(2020, 3, 1)
        )
        self.assertFalse(
            award(self.enterprise_a, self.hnte, date(2023, 12, 1)).first_time
        )

    def test_an_older_award_recorded_late_makes_the_later_one_a_renewal(self) -> None:
        later = award(self.enterprise_a, self.hnte, date(2025, 11, 20))
        self.assertTrue(later.first_time)
        earlier = award(self.enterprise_a, self.hnte, date(2022, 11, 20))
        later.refresh_from_db()
        self.assertTrue(earlier.first_time)
        self.assertFalse(later.first_time)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="certification.renewal_marked", object_id=str(later.pk)
            ).exists()
        )

    def test_the_api_shows_first_time(self) -> None:
        award(self.enterprise_a, self.hnte, date(2022, 11, 20))
        award(self.enterprise_a, self.hnte, date(2025, 11, 20))
        self.client.force_login(self.officer)
        body = self.client.get(
            f"/api/v1/enterprises/{self.enterprise_a.pk}/certifications/"
        ).json()
        rows = {r["year"]: r for r in body["results"]}
        self.assertIs(rows[2022]["first_time"], True)
        self.assertIs(rows[2025]["first_time"], False)
        self.assertEqual(rows[2025]["award_kind"], "重新认定")

    def test_the_enterprise_page_says_first_or_renewal(self) -> None:
        award(self.enterprise_a, self.hnte, date(2022, 11, 20))
        award(self.enterprise_a, self.hnte, date(2025, 11, 20))
        self.client.force_login(self.officer)
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, "首次认定")
        self.assertContains(page, "重新认定")

    def test_a_re_recognised_hnte_is_not_counted_as_new(self) -> None:
        award(self.enterprise_a, self.hnte, date(2022, 11, 20))
        award(self.enterprise_a, self.hnte, date(2025, 11, 20))  # 重新认定
        award(self.enterprise_b, self.hnte, date(2025, 11, 20))  # first
        indicators_recompute(year=2025)
        value = DataValue.objects.get(
            indicator__code="new_hnte", org_unit=self.district, year=2025
        ).value
        self.assertEqual(value, 1)
        self.assertFalse(
            DataValue.objects.filter(
                indicator__code="new_hnte", org_unit=self.street_a, year=2025
            )
            .exclude(value=0)
            .exists()
        )

    def test_the_funnel_counts_first_awards_and_starts_cohorts_only_with_them(
        self,
    ) -> None:
        award(self.enterprise_a, self.sme, date(2023, 7, 1))
        award(self.enterprise_a, self.sme, date(2024, 7, 1))
        self.client.force_login(self.leader)
        body = self.client.get(
            "/api/v1/ladder/funnel/?first_year=2023&last_year=2024"
        ).json()
        self.assertEqual(body["counts"]["tech_sme"]["2024"]["awarded"], 1)
        self.assertEqual(body["counts"]["tech_sme"]["2024"]["first"], 0)
        cohorts = {(c["tier"], c["year"]) for c in body["conversion"]}
        self.assertIn(("tech_sme", 2023), cohorts)
        self.assertNotIn(("tech_sme", 2024), cohorts)


class FirstTimeBackfillTests(CastTestCase):
    def test_the_migration_marks_all_but_each_enterprises_earliest_award(
        self,
    ) -> None:
        from importlib import import_module

        hnte = Tier.objects.get(code=Tier.HNTE)
        sme = Tier.objects.get(code=Tier.TECH_SME)
        rows = [
            (self.enterprise_a, hnte, date(2025, 11, 20)),
            (self.enterprise_a, hnte, date(2019, 11, 20)),
            (self.enterprise_a, hnte, date(2022, 11, 20)),
            (self.enterprise_a, sme, date(2024, 7, 1)),
            (self.enterprise_b, hnte, date(2025, 11, 20)),
            # Two of the same day: the lower id is the first.
            (self.enterprise_b, sme, date(2024, 7, 1)),
            (self.enterprise_b, sme, date(2024, 7, 1)),
        ]
        made = [
            Certification.objects.create(
                enterprise=e, tier=t, year=d.year, issued_on=d, first_time=True
            )
            for e, t, d in rows
        ]
        migration = import_module(
            "enterprises.migrations.0013_certification_first_time_and_reminders"
        )
        migration.first_time_backfill(global_apps, None)
        flags = {
            c.pk: c.first_time
            for c in Certification.objects.filter(pk__in=[m.pk for m in made])
        }
        self.assertEqual(
            [flags[m.pk] for m in made], [False, True, False, True, True, True, False]
        )


@override_settings(
    HNTE_APPLICATION_WINDOWS=WINDOWS,
    HNTE_APPLICATION_WINDOW_DEFAULT=("06-01", "09-15"),
    LADDER=LADDER_TEST,
)
class RenewalCalendarTests(SimpleTestCase):
    def test_a_listed_year_and_the_default_rule(self) -> None:
        self.assertEqual(application_window(2026).opens, date(2026, 5, 1))
        self.assertEqual(application_window(2026).closes, date(2026, 9, 30))
        self.assertEqual(application_window(2027).opens, date(2027, 6, 1))
        self.assertEqual(application_window(2027).closes, date(2027, 9, 15))

    def test_a_window_closing_before_it_opens_is_refused(self) -> None:
        with override_settings(
            HNTE_APPLICATION_WINDOWS={2026: ("2026-09-30", "2026-05-01")}
        ):
            with self.assertRaises(ValueError):
                application_window(2026)

    def test_the_renewal_window_is_the_expiry_years_unless_it_opens_after(
        self,
    ) -> None:
        self.assertEqual(renewal_window(date(2026, 5, 1)).year, 2026)  # opens that day
        self.assertEqual(renewal_window(date(2026, 4, 30)).year, 2025)
        self.assertEqual(renewal_window(date(2026, 12, 7)).year, 2026)

    def test_the_warning_starts_back_from_the_window_not_the_expiry(self) -> None:
        # A certificate ending on 7 December 2026 is renewed in the window of
        # 1 May 2026: flagged from 1 April, 250 days before the expiry (the
        # old 183 days from expiry would come after the window closed).
        self.assertEqual(warning_from(date(2026, 12, 7)), date(2026, 4, 1))
        self.assertEqual(warning_until(date(2026, 3, 31)), date(2026, 4, 30))
        self.assertEqual(warning_until(date(2026, 4, 1)), date(2027, 5, 31))
        with override_settings(LADDER=ladder(expiry_warning_days_before_window=0)):
            self.assertEqual(warning_from(date(2026, 12, 7)), date(2026, 5, 1))
            self.assertEqual(warning_until(date(2026, 4, 30)), date(2026, 4, 30))
            self.assertEqual(warning_until(date(2026, 5, 1)), date(2027, 5, 31))

    def test_warning_until_agrees_with_warning_from(self) -> None:
        start = date(2025, 1, 1)
        expiries = [start + timedelta(days=n) for n in range(0, 1100, 7)]
        for today in (start + timedelta(days=n) for n in range(0, 800, 11)):
            bound = warning_until(today)
            for expires in expiries:
                if expires < today:
                    continue
                self.assertEqual(
                    warning_from(expires) <= today, expires <= bound, (today, expires)
                )

    def test_the_tech_sme_reminder_runs_the_set_days_to_the_deadline(self) -> None:
        self.assertIsNone(tech_sme_reminder_due(date(2026, 2, 28)))
        self.assertEqual(tech_sme_reminder_due(date(2026, 3, 1)), date(2026, 3, 31))
        self.assertEqual(tech_sme_reminder_due(date(2026, 3, 31)), date(2026, 3, 31))
        self.assertIsNone(tech_sme_reminder_due(date(2026, 4, 1)))
        with override_settings(LADDER=ladder(tech_sme_update_deadline="04-30")):
            self.assertEqual(
                tech_sme_reminder_due(date(2026, 4, 30)), date(2026, 4, 30)
            )


@override_settings(HNTE_APPLICATION_WINDOWS=WINDOWS, LADDER=LADDER_TEST)
class RemindersTests(CastTestCase):
    def setUp(self) -> None:
        self.hnte = Tier.objects.get(code=Tier.HNTE)
        self.sme = Tier.objects.get(code=Tier.TECH_SME)

    def notes(self, user):  # type: ignore[no-untyped-def]
        return list(Notification.objects.filter(recipient=user))

    def test_tech_sme_holders_are_reminded_once_before_the_deadline(self) -> None:
        award(self.enterprise_a, self.sme, date(2025, 7, 1))
        self.assertEqual(ladder_reminders_send(today=date(2026, 2, 28)).tech_sme, 0)
        sent = ladder_reminders_send(today=date(2026, 3, 1))
        self.assertEqual(sent.tech_sme, 1)
        again = ladder_reminders_send(today=date(2026, 3, 2))
        self.assertEqual(again.tech_sme, 0)
        notes = self.notes(self.ent_user)
        self.assertEqual(len(notes), 1)
        self.assertIn("2026年3月31日", notes[0].subject)
        self.assertNotIn("直接确认", notes[0].body)
        self.assertEqual(self.notes(self.outsider), [])
        self.assertEqual(
            LadderReminder.objects.filter(enterprise=self.enterprise_a).count(), 1
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="ladder_reminder.send").exists()
        )

    def test_a_hnte_holder_is_told_of_the_direct_route(self) -> None:
        award(self.enterprise_b, self.hnte, date(2025, 11, 20))
        ladder_reminders_send(today=date(2026, 3, 20))
        notes = self.notes(self.outsider)
        self.assertEqual(len(notes), 1)
        self.assertIn("直接确认", notes[0].body)

    def test_an_enterprise_already_entered_this_year_is_not_reminded(self) -> None:
        award(self.enterprise_a, self.sme, date(2025, 7, 1))
        award(self.enterprise_a, self.sme, date(2026, 2, 1))
        self.assertEqual(ladder_reminders_send(today=date(2026, 3, 10)).tech_sme, 0)

    def test_hnte_holders_are_reminded_of_re_recognition_from_the_warning(
        self,
    ) -> None:
        # Ends 2026-11-19: window opens 2026-05-01, warning from 2026-04-01.
        award(self.enterprise_a, self.hnte, date(2023, 11, 20))
        self.assertEqual(ladder_reminders_send(today=date(2026, 3, 31)).hnte_renewal, 0)
        self.assertEqual(ladder_reminders_send(today=date(2026, 4, 1)).hnte_renewal, 1)
        self.assertEqual(ladder_reminders_send(today=date(2026, 6, 1)).hnte_renewal, 0)
        notes = [n for n in self.notes(self.ent_user) if "重新认定" in n.subject]
        self.assertEqual(len(notes), 1)
        self.assertIn("2026年5月1日至2026年9月30日", notes[0].body)

    def test_a_re_recognised_holder_is_not_reminded(self) -> None:
        award(self.enterprise_a, self.hnte, date(2023, 11, 20))
        award(self.enterprise_a, self.hnte, date(2026, 10, 20))
        self.assertEqual(
            ladder_reminders_send(today=date(2026, 10, 25)).hnte_renewal, 0
        )

    def test_the_task_is_scheduled_daily(self) -> None:
        from bureau.schedules import SCHEDULES

        item = next(
            s for s in SCHEDULES if s.task == "enterprises.ladder_reminders_send"
        )
        self.assertEqual((item.day_of_month, item.month_of_year), ("*", "*"))


@override_settings(HNTE_APPLICATION_WINDOWS=WINDOWS, LADDER=LADDER_TEST)
class RenewalsPageTests(CastTestCase):
    def setUp(self) -> None:
        hnte = Tier.objects.get(code=Tier.HNTE)
        self.year = timezone.localdate().year
        issued = date(self.year - 3, 12, 1)
        self.cert_a = award(self.enterprise_a, hnte, issued)
        self.cert_b = award(self.enterprise_b, hnte, issued)
        # Not in its expiry year: not listed.
        award(
            EnterpriseFactory(org_unit=self.street_a), hnte, date(self.year - 1, 12, 1)
        )

    def test_staff_see_the_holders_with_the_window_and_the_pre_check(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/enterprises/renewals/")
        self.assertEqual(page.status_code, 200)
        names = [r.certification.enterprise.name for r, _v in page.context["rows"]]
        self.assertEqual(
            sorted(names), sorted([self.enterprise_a.name, self.enterprise_b.name])
        )
        window = application_window(self.year)
        self.assertContains(page, window.opens.isoformat())
        for row, verdict in page.context["rows"]:
            self.assertIsNotNone(row.assessment)
            self.assertTrue(verdict)
        self.assertContains(page, "重新认定")

    def test_a_liaison_sees_their_street_only_and_an_enterprise_user_none(
        self,
    ) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get("/enterprises/renewals/")
        names = [r.certification.enterprise.name for r, _v in page.context["rows"]]
        self.assertEqual(names, [self.enterprise_a.name])
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/enterprises/renewals/").status_code, 403)

    def test_filters_and_the_excel_export(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get(f"/enterprises/renewals/?org_unit={self.street_b.code}")
        self.assertEqual(len(page.context["rows"]), 1)
        response = self.client.get("/enterprises/renewals/?export=xlsx")
        self.assertIn("spreadsheetml", response["Content-Type"])
        sheet = load_workbook(BytesIO(response.content))["重新认定"]
        header = [c.value for c in sheet[1]]
        self.assertEqual(header[:3], ["企业名称", "统一社会信用代码", "街道（园区）"])
        self.assertEqual(sheet.max_row, 3)

    def test_the_api_gives_the_window_and_the_pre_check(self) -> None:
        self.client.force_login(self.officer)
        body = self.client.get(f"/api/v1/ladder/renewals/?year={self.year}").json()
        self.assertEqual(body["count"], 2)
        row = next(r for r in body["results"] if r["id"] == self.cert_a.pk)
        window = application_window(self.year)
        self.assertEqual(row["window_opens"], window.opens.isoformat())
        self.assertEqual(row["window_closes"], window.closes.isoformat())
        self.assertIs(row["renewed"], False)
        self.assertIs(row["first_time"], True)
        # No return on file: nothing is passed on data the platform lacks.
        self.assertIn(row["eligible"], (False, None))
        self.assertTrue(row["failed"] or row["pending"] or row["eligible"] is None)

    def test_the_list_reads_a_fixed_number_of_queries_before_the_pre_checks(
        self,
    ) -> None:
        from enterprises.selectors import hnte_expiring

        with self.assertNumQueries(1):
            rows = list(hnte_expiring(user=self.officer, year=self.year))
        self.assertEqual(len(rows), 2)


class CancellationTermsTests(CastTestCase):
    def test_hnte_is_disqualified_an_echelon_tier_left_others_revoked(self) -> None:
        cases = (
            ("hnte", None, "certification.disqualify", "已取消资格"),
            ("xuri", 1, "certification.leave_echelons", "退出梯队"),
            ("chuying", None, "certification.revoke", "已撤销"),
        )
        for code, echelon, action, label in cases:
            with self.subTest(code):
                tier = Tier.objects.get(code=code)
                c = award(self.enterprise_a, tier, date(2024, 3, 1), echelon=echelon)
                certification_revoke(certification=c, by=None, reason="测试")
                c.refresh_from_db()
                self.assertEqual(c.effective_status_display, label)
                self.assertTrue(
                    AuditEvent.objects.filter(
                        action=action, object_id=str(c.pk)
                    ).exists()
                )
                self.assertNotEqual(action_label(action), action)

    def test_the_revoke_button_and_confirmation_use_the_tiers_term(self) -> None:
        c = award(self.enterprise_a, Tier.objects.get(code="hnte"), date(2024, 3, 1))
        self.client.force_login(self.officer)
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, ">取消资格</button>")
        asked = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/certifications/{c.pk}/revoke/",
            {"reason": "重大安全事故"},
        )
        self.assertContains(asked, "取消高新技术企业资格")


class LadderSettingsTests(CastTestCase):
    def test_the_same_year_re_award_bar_for_local_tiers_is_a_setting(self) -> None:
        chuying = Tier.objects.get(code="chuying")
        c = award(self.enterprise_a, chuying, date(2025, 3, 1))
        certification_revoke(
            certification=c, by=None, reason="测试", on=date(2025, 6, 1)
        )
        with self.assertRaises(ApplicationError):
            award(self.enterprise_a, chuying, date(2025, 9, 1))
        with override_settings(LADDER=ladder(reaward_bar_local_tiers=False)):
            self.assertFalse(
                award(self.enterprise_a, chuying, date(2025, 9, 1)).first_time
            )

    def test_the_hnte_bar_holds_whatever_the_local_setting(self) -> None:
        hnte = Tier.objects.get(code="hnte")
        c = award(self.enterprise_a, hnte, date(2022, 3, 1))
        certification_revoke(
            certification=c, by=None, reason="测试", on=date(2025, 6, 1)
        )
        with override_settings(LADDER=ladder(reaward_bar_local_tiers=False)):
            with self.assertRaises(ApplicationError):
                award(self.enterprise_a, hnte, date(2025, 11, 1))

    def test_the_echelon_count_bounds_the_award(self) -> None:
        xuri = Tier.objects.get(code="xuri")
        with override_settings(LADDER=ladder(echelon_count=2)):
            with self.assertRaises(ValidationError):
                certification_create(
                    by=None,
                    enterprise=self.enterprise_a,
                    tier=xuri,
                    year=2025,
                    issued_on=date(2025, 3, 1),
                    echelon=3,
                )

    def test_monitoring_covers_the_configured_tiers(self) -> None:
        from enterprises.services import quarterly_monitoring_run

        award(self.enterprise_a, Tier.objects.get(code="hnte"), date(2024, 12, 1))
        award(
            self.enterprise_b,
            Tier.objects.get(code="xuri"),
            date(2024, 3, 1),
            echelon=2,
        )
        today = date(2025, 5, 1)
        everyone = quarterly_monitoring_run(year=2025, quarter=1, today=today)
        self.assertEqual(everyone.monitored, 2)
        with override_settings(LADDER=ladder(monitored_tiers=["xuri"])):
            local = quarterly_monitoring_run(year=2025, quarter=1, today=today)
        self.assertEqual(local.monitored, 1)


class EchelonOutcomeTests(SimpleTestCase):
    def test_the_count_and_the_drop_semantics(self) -> None:
        rules = {"promote_at": 80, "keep_at": 50}
        self.assertEqual(outcome(10, 3, **rules), (Outcome.DROP, None))
        self.assertEqual(outcome(10, 2, **rules, count=2), (Outcome.DROP, None))
        self.assertEqual(outcome(10, 1, **rules, count=2), (Outcome.DEMOTE, 2))
        self.assertEqual(outcome(10, 3, **rules, drop_leaves=False), (Outcome.KEEP, 3))
        self.assertEqual(outcome(90, 4, **rules, count=4), (Outcome.PROMOTE, 3))
