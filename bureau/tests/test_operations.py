"""Running on more than one machine and operating it (issue 12 §5–6): object
storage, the read replica, pgbouncer settings, the Celery queues, JSON logs
with a request id, and /metrics."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from bureau.celery import app
from bureau.lib import deploy, logs
from bureau.lib.request_context import current_request_id, request_id_from
from bureau.lib.routers import ReplicaRouter, reading_from_replica
from bureau.models import OrgUnit, Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import OrgUnitFactory, UserFactory


class MediaStorageUrlTests(SimpleTestCase):
    def test_an_oss_url_becomes_private_s3_storage(self) -> None:
        storage = deploy.media_storage(
            "s3://AKID:se%2Fcret@bureau-media?endpoint=https://oss-cn-hangzhou.aliyuncs.com"
            "&region=cn-hangzhou&addressing_style=virtual&querystring_expire=600"
        )
        self.assertEqual(storage["BACKEND"], "storages.backends.s3.S3Storage")
        options = storage["OPTIONS"]
        self.assertEqual(options["bucket_name"], "bureau-media")
        self.assertEqual(options["access_key"], "AKID")
        self.assertEqual(options["secret_key"], "se/cret")
        self.assertEqual(
            options["endpoint_url"], "https://oss-cn-hangzhou.aliyuncs.com"
        )
        self.assertEqual(options["region_name"], "cn-hangzhou")
        self.assertEqual(options["querystring_expire"], 600)
        # Private by default: signed links, no public ACL, nothing overwritten.
        self.assertTrue(options["querystring_auth"])
        self.assertIsNone(options["default_acl"])
        self.assertFalse(options["file_overwrite"])

    def test_a_wrong_url_stops_start_up_naming_the_problem(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "must start with s3://"):
            deploy.media_storage("https://bucket.example.com")
        with self.assertRaisesMessage(
            ImproperlyConfigured, "unknown parameter 'regoin'"
        ):
            deploy.media_storage("s3://k:s@bucket?regoin=cn")
        with self.assertRaisesMessage(ImproperlyConfigured, "names no bucket"):
            deploy.media_storage("s3://")

    def test_files_go_to_the_bucket_and_come_back(self) -> None:
        """A real S3 protocol round trip, against moto's in-process S3."""
        moto = pytest.importorskip("moto")
        import boto3
        from django.core.files.base import ContentFile
        from storages.backends.s3 import S3Storage

        with moto.mock_aws():
            boto3.client("s3", region_name="cn-hangzhou").create_bucket(
                Bucket="bureau-media",
                CreateBucketConfiguration={"LocationConstraint": "cn-hangzhou"},
            )
            options = deploy.media_storage(
                "s3://AKID:SECRET@bureau-media?region=cn-hangzhou"
            )["OPTIONS"]
            storage = S3Storage(**options)
            name = storage.save("attachments/任务书.pdf", ContentFile(b"%PDF-1.7 demo"))
            self.assertTrue(storage.exists(name))
            with storage.open(name) as handle:
                self.assertEqual(handle.read(), b"%PDF-1.7 demo")
            url = storage.url(name)
            self.assertIn("X-Amz-Signature", url)  # a signed, expiring link
            # Never overwritten: a second upload of the same name gets its own.
            other = storage.save("attachments/任务书.pdf", ContentFile(b"second"))
            self.assertNotEqual(other, name)


class DatabaseSettingsTests(SimpleTestCase):
    def test_pgbouncer_transaction_mode_turns_off_session_features(self) -> None:
        db = deploy.behind_pgbouncer(
            {"ENGINE": "django.db.backends.postgresql", "NAME": "bureau"}
        )
        self.assertTrue(db["DISABLE_SERVER_SIDE_CURSORS"])
        self.assertIsNone(db["OPTIONS"]["prepare_threshold"])
        with self.assertRaises(ImproperlyConfigured):
            deploy.behind_pgbouncer({"ENGINE": "django.db.backends.sqlite3"})

    def test_the_replica_takes_the_primary_options_and_mirrors_it_in_tests(
        self,
    ) -> None:
        primary = {
            "ENGINE": "django.db.backends.postgresql",
            "OPTIONS": {"connect_timeout": 3},
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
        replica = deploy.replica_database("postgres://ro@10.0.0.2:5432/bureau", primary)
        self.assertEqual(replica["HOST"], "10.0.0.2")
        self.assertEqual(replica["OPTIONS"], {"connect_timeout": 3})
        self.assertEqual(replica["TEST"], {"MIRROR": "default"})
        with self.assertRaises(ImproperlyConfigured):
            deploy.replica_database("sqlite:///x.db", primary)


class ReplicaRouterTests(SimpleTestCase):
    databases = {"default"}

    def test_reads_stay_on_the_primary_unless_asked(self) -> None:
        router = ReplicaRouter()
        with override_settings(REPLICA_READS=True):
            self.assertEqual(router.db_for_read(None), "default")
            with reading_from_replica():
                self.assertEqual(router.db_for_read(None), "replica")
            self.assertEqual(router.db_for_write(None), "default")
        with override_settings(REPLICA_READS=False), reading_from_replica():
            self.assertEqual(router.db_for_read(None), "default")
        self.assertTrue(router.allow_migrate("default", "bureau"))
        self.assertFalse(router.allow_migrate("replica", "bureau"))


@override_settings(REPLICA_READS=True)
class ReplicaReadsTests(TransactionTestCase):
    """The second alias mirrors the test database (bureau/settings_test.py)."""

    databases = {"default", "replica"}

    def setUp(self) -> None:
        district = OrgUnitFactory(
            code="330105", name="拱墅区", level=OrgUnit.Level.DISTRICT, is_home=True
        )
        self.leader = UserFactory(
            username="leader", role=Role.LEADER, org_unit=district
        )
        self.client.force_login(self.leader)

    def test_the_dashboard_reads_from_the_replica(self) -> None:
        with CaptureQueriesContext(connections["replica"]) as replica:
            response = self.client.get("/dashboard/")
        self.assertEqual(response.status_code, 200)
        tables = " ".join(q["sql"] for q in replica.captured_queries)
        self.assertIn("indicators_", tables)

    def test_ordinary_pages_and_writes_use_the_primary(self) -> None:
        with CaptureQueriesContext(connections["replica"]) as replica:
            self.assertEqual(self.client.get("/").status_code, 200)
        self.assertEqual(replica.captured_queries, [])

    def test_reads_inside_a_write_see_the_primary(self) -> None:
        """The audit chain reads its head before it writes: never from a
        replica that may lag."""
        from bureau.audit import audit

        with (
            reading_from_replica(),
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            with transaction.atomic():
                audit(by=self.leader, action="ops.test", obj=self.leader)
        self.assertEqual(replica.captured_queries, [])


class CeleryQueueTests(SimpleTestCase):
    def _queue(self, name: str) -> str:
        route = app.amqp.router.route({}, name, args=(), kwargs={})
        return route["queue"].name

    def test_each_kind_of_work_has_its_queue(self) -> None:
        self.assertEqual(self._queue("bureau.notification_send_email"), "mail")
        self.assertEqual(self._queue("indicators.indicator_import_apply"), "imports")
        self.assertEqual(self._queue("enterprises.quarterly_monitoring"), "monitoring")
        self.assertEqual(self._queue("indicators.indicators_recompute"), "monitoring")
        self.assertEqual(self._queue("bureau.ping"), "default")
        self.assertEqual(self._queue("bureau.audit_chain_verify"), "default")
        self.assertEqual(
            set(deploy.CELERY_QUEUES),
            {"default", "imports", "exports", "mail", "monitoring"},
        )


class RequestIdTests(CastTestCase):
    def test_every_answer_carries_a_request_id(self) -> None:
        response = self.client.get("/healthz")
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
        again = self.client.get("/healthz")
        self.assertNotEqual(again["X-Request-ID"], response["X-Request-ID"])

    def test_the_proxys_id_is_kept_when_it_is_a_plain_token(self) -> None:
        response = self.client.get(
            "/healthz", HTTP_X_REQUEST_ID="9f1c2e3d4b5a69788796a5b4c3d2e1f0"
        )
        self.assertEqual(response["X-Request-ID"], "9f1c2e3d4b5a69788796a5b4c3d2e1f0")
        forged = self.client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\nline')
        self.assertNotIn("injected", forged["X-Request-ID"])
        self.assertEqual(request_id_from("a" * 65) != "a" * 65, True)

    def test_json_log_lines_carry_the_request_id(self) -> None:
        config = logs.logging_config(fmt="json", level="INFO")
        formatter_spec = dict(config["formatters"]["json"])
        factory = formatter_spec.pop("()")
        module, _, name = factory.rpartition(".")
        formatter = getattr(__import__(module, fromlist=[name]), name)(**formatter_spec)
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handler.addFilter(logs.RequestIdFilter())
        logger = logging.getLogger("bureau.test.json")
        logger.addHandler(handler)
        logger.propagate = False
        token = current_request_id.set("req-42")
        try:
            logger.warning("导出完成", extra={"rows": 50000})
        finally:
            current_request_id.reset(token)
            logger.removeHandler(handler)
        line = json.loads(stream.getvalue())
        self.assertEqual(line["request_id"], "req-42")
        self.assertEqual(line["level"], "WARNING")
        self.assertEqual(line["message"], "导出完成")
        self.assertEqual(line["rows"], 50000)
        self.assertIn("time", line)

    def test_the_id_travels_with_a_task_and_back(self) -> None:
        headers: dict[str, str] = {}
        token = current_request_id.set("req-7")
        try:
            logs.stamp_task_headers(headers=headers)
        finally:
            current_request_id.reset(token)
        self.assertEqual(headers, {"request_id": "req-7"})
        task = SimpleNamespace(request=SimpleNamespace(id="task-1", request_id="req-7"))
        logs.adopt_task_request_id(task=task)
        self.assertEqual(current_request_id.get(), "req-7")
        logs.drop_task_request_id(task=task)
        self.assertIsNone(current_request_id.get())
        # A task nobody queued from a request logs under its own id.
        beat = SimpleNamespace(request=SimpleNamespace(id="task-2"))
        logs.adopt_task_request_id(task=beat)
        self.assertEqual(current_request_id.get(), "task-2")
        logs.drop_task_request_id(task=beat)


class MetricsTests(CastTestCase):
    def setUp(self) -> None:
        cache.clear()

    def _token(self, user: object) -> str:
        return AuthToken.objects.create(user=user)[1]

    def test_only_the_security_administrator_may_scrape(self) -> None:
        self.assertEqual(self.client.get("/metrics").status_code, 401)
        staff = self.client.get(
            "/metrics", HTTP_AUTHORIZATION=f"Token {self._token(self.officer)}"
        )
        self.assertEqual(staff.status_code, 403)
        self.client.force_login(self.auditor)
        self.assertEqual(self.client.get("/metrics").status_code, 403)

    def test_latency_tasks_and_queues_are_exposed(self) -> None:
        from bureau.tasks import ping

        self.client.get("/healthz")
        ping.delay("x")  # eager in tests: the signals still fire
        response = self.client.get(
            "/metrics", HTTP_AUTHORIZATION=f"Token {self._token(self.security)}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        body = response.content.decode()
        self.assertIn(
            'bureau_http_request_duration_seconds_bucket{le="0.025",method="GET",status="2xx",view="healthz"}',
            body,
        )
        self.assertIn('bureau_task_runs_total{task="bureau.ping"} 1.0', body)
        self.assertIn('bureau_task_failures_total{task="bureau.ping"} 0.0', body)
        self.assertIn(
            'bureau_task_last_success_timestamp_seconds{task="bureau.ping"}', body
        )
        self.assertIn("bureau_queue_length", body)


@pytest.mark.skipif(
    __import__("os").environ.get("DATABASE_POOLER") != "pgbouncer",
    reason="only in .ci/run's pass through pgbouncer",
)
class PgbouncerTests(TransactionTestCase):
    def test_queries_go_through_the_pooler_in_transaction_mode(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT inet_server_port()")
            server_port = cursor.fetchone()[0]
        # The app talks to pgbouncer; PostgreSQL itself listens elsewhere.
        self.assertNotEqual(str(server_port), str(connection.settings_dict["PORT"]))
        self.assertTrue(connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"])
        ids = [unit.pk for unit in OrgUnitFactory.create_batch(5)]
        # .iterator() without a server-side cursor, across pooled connections.
        rows = OrgUnit.objects.filter(pk__in=ids).iterator(chunk_size=2)
        self.assertEqual(sum(1 for _ in rows), 5)
