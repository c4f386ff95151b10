"""Re-importing values that exist costs the same queries however many there
are: one read of the existing values, one bulk write of each kind, the audit
events in one insert; and the events join the audit trail's chain."""

from __future__ import annotations

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.audit_chain import verify
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from indicators.models import DataValue, ImportBatch, ReplacedValue
from indicators.services import import_start
from indicators.tests.test_import_api import workbook


class ReimportTests(CastTestCase):
    def rows(self, months: int, value: int) -> list[tuple[str, str, str, int]]:
        return [
            (code, street.code, f"2025-{m:02d}", value + m)
            for code in ("tech_contracts", "invention_patents")
            for street in (self.street_a, self.street_b)
            for m in range(1, months + 1)
        ][: months * 4]

    def reimport_queries(self, months: int) -> int:
        """Import `months`×4 values new, then again with every value changed;
        the second import's query count."""
        import_start(file=workbook(*self.rows(months, 100)), by=self.officer)
        with CaptureQueriesContext(connection) as queries:
            batch = import_start(
                file=workbook(*self.rows(months, 500)), by=self.officer
            )
        self.assertEqual((batch.created, batch.replaced), (0, months * 4))
        return len(queries)

    def test_the_queries_do_not_grow_with_the_existing_values(self) -> None:
        few = self.reimport_queries(1)  # 4 existing values
        DataValue.objects.all().delete()
        many = self.reimport_queries(12)  # 48 existing values
        self.assertEqual(few, many)

    def test_a_reimport_replaces_remembers_and_audits_each_value(self) -> None:
        first = import_start(file=workbook(*self.rows(2, 100)), by=self.officer)
        second = import_start(file=workbook(*self.rows(2, 500)), by=self.officer)
        values = DataValue.objects.filter(org_unit=self.street_a, period=2)
        self.assertEqual({v.value for v in values}, {D(502)})
        self.assertEqual({v.batch_id for v in values}, {second.pk})
        self.assertEqual(
            ReplacedValue.objects.filter(batch=second).count(), second.replaced
        )
        self.assertEqual(
            set(
                ReplacedValue.objects.filter(batch=second).values_list(
                    "old_batch_id", flat=True
                )
            ),
            {first.pk},
        )
        events = AuditEvent.objects.filter(
            action="indicator_value.import", object_id=str(second.pk)
        )
        self.assertEqual(events.count(), 8)
        self.assertIn(["101", "501"], [e.changes["value"] for e in events])
        self.assertTrue(verify(record=False).intact)
        self.assertEqual(
            ImportBatch.objects.get(pk=second.pk).status, ImportBatch.Status.DONE
        )
