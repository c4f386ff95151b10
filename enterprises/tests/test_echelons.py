from __future__ import annotations

from datetime import date
from decimal import Decimal

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    AnnualReturn,
    Certification,
    EchelonAssessment,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.services import echelon_assessment_run
from enterprises.tests.factories import EnterpriseFactory, award


def returns(enterprise, sales_2024, sales_2025, rd_2024, rd_2025):  # type: ignore[no-untyped-def]
    for year, sales, rd in ((2024, sales_2024, rd_2024), (2025, sales_2025, rd_2025)):
        AnnualReturn.objects.create(
            enterprise=enterprise,
            year=year,
            status=FilingStatus.ACCEPTED,
            main_business_revenue=Decimal(sales),
            rd_personnel=Decimal(rd),
        )


class EchelonAssessmentTests(CastTestCase):
    def test_scores_keep_promote_demote_and_drop_with_reasons(self) -> None:
        xuri = Tier.objects.get(code="xuri")
        strong = EnterpriseFactory(org_unit=self.street_a, name="强")
        middling = EnterpriseFactory(org_unit=self.street_a, name="中")
        weak = EnterpriseFactory(org_unit=self.street_a, name="弱")
        weakest = EnterpriseFactory(org_unit=self.street_a, name="末")
        certs = {}
        for e, echelon in ((strong, 2), (middling, 2), (weak, 2), (weakest, 3)):
            certs[e.name] = award(e, xuri, date(2023, 4, 1), echelon=echelon)
        returns(strong, 1000, 1200, 40, 50)  # growth 20%, R&D 4.2%, R&D +25% → 80
        for q in (1, 2, 3, 4):
            QuarterlyReport.objects.create(
                enterprise=strong, year=2025, quarter=q, status=FilingStatus.ACCEPTED
            )
        returns(middling, 1000, 1050, 40, 40)  # growth 5%, R&D 3.8% (met), +0% → 30
        returns(weak, 1000, 900, 10, 10)  # nothing met → 0
        summary = echelon_assessment_run(year=2025, by=self.head)
        self.assertEqual(
            (summary.promoted, summary.kept, summary.demoted, summary.dropped),
            (1, 0, 2, 1),
        )
        for name in certs:
            certs[name].refresh_from_db()
        self.assertEqual(certs["强"].echelon, 1)
        self.assertEqual(certs["中"].echelon, 3)  # 30 points < 50
        self.assertEqual(certs["末"].status, Certification.Status.REVOKED)
        strong_row = EchelonAssessment.objects.get(certification=certs["强"])
        self.assertEqual(strong_row.score, 100)
        self.assertIn("营业收入增长率20.0%≥10.0%（+30）", strong_row.reason)
        self.assertTrue(AuditEvent.objects.filter(action="echelon.assess").exists())
        # A second run changes nothing.
        again = echelon_assessment_run(year=2025, by=self.head)
        self.assertEqual(again.assessed, 0)
        self.assertEqual(EchelonAssessment.objects.count(), 4)
