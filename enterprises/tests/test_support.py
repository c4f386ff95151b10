from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import FollowUp, Visit


class VisitApiTests(CastTestCase):
    def url(self, enterprise) -> str:  # type: ignore[no-untyped-def]
        return f"/api/v1/enterprises/{enterprise.pk}/visits/"

    def test_a_liaison_records_a_visit_with_a_follow_up(self) -> None:
        self.client.force_login(self.liaison)
        today = timezone.localdate()
        response = self.post_json(
            self.url(self.enterprise_a),
            {
                "visited_on": str(today - timedelta(days=2)),
                "issues_raised": "需要用地",
                "follow_ups": [
                    {
                        "action": "对接规资分局",
                        "owner": "officer",
                        "due_on": str(today - timedelta(days=1)),
                    }
                ],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["follow_ups"][0]["owner"], "officer")
        self.assertIs(body["follow_ups"][0]["is_overdue"], True)
        self.assertTrue(AuditEvent.objects.filter(action="visit.record").exists())
        # The overdue follow-up is on its owner's home page, and closes there.
        self.client.force_login(self.officer)
        self.assertContains(self.client.get("/"), "对接规资分局")
        follow_up = FollowUp.objects.get()
        closed = self.client.post(
            f"/follow-ups/{follow_up.pk}/close/",
            {"result": "已对接", "next": "/"},
            follow=True,
        )
        self.assertContains(closed, "的跟进事项「对接规资分局」：已对接")
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, "done")
        self.assertNotContains(self.client.get("/"), "对接规资分局")

    def test_bad_visits_are_refused_and_scoped(self) -> None:
        self.client.force_login(self.liaison)
        future = str(timezone.localdate() + timedelta(days=3))
        response = self.post_json(self.url(self.enterprise_a), {"visited_on": future})
        self.assertEqual(response.status_code, 400)
        self.assertIn("visited_on", response.json()["errors"])
        # Another street's enterprise is invisible to the liaison.
        response = self.post_json(
            self.url(self.enterprise_b), {"visited_on": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.ent_user)
        response = self.post_json(
            self.url(self.enterprise_a), {"visited_on": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Visit.objects.exists())

    def test_institutions_loans_and_carriers(self) -> None:
        self.client.force_login(self.officer)
        base = f"/api/v1/enterprises/{self.enterprise_a.pk}"
        inst = self.post_json(
            f"{base}/rd-institutions/",
            {
                "name": "云河研发中心",
                "kind": "rd_centre",
                "level": "provincial",
                "recognised_on": "2024-11-15",
            },
        )
        self.assertEqual(inst.status_code, 201, inst.content)
        loan = self.post_json(
            f"{base}/loans/",
            {
                "bank": "杭州银行",
                "amount": "0",
                "granted_on": "2025-03-01",
                "kind": "credit",
            },
        )
        self.assertEqual(loan.status_code, 400)
        self.assertIn("amount", loan.json()["errors"])
        carrier = self.post_json(
            "/api/v1/carriers/",
            {
                "name": "运河孵化器",
                "kind": "incubator",
                "level": "municipal",
                "org_unit": "330105001",
                "residents": [self.enterprise_a.pk],
            },
        )
        self.assertEqual(carrier.status_code, 201, carrier.content)
        self.client.force_login(self.liaison)
        self.assertEqual(self.client.get("/api/v1/carriers/").json()["count"], 1)
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/api/v1/carriers/").status_code, 403)
        self.assertEqual(self.client.get(f"{base}/rd-institutions/").json()["count"], 1)
