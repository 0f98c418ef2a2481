"""The read replica, for real: a PostgreSQL streaming standby of the test database.

`scripts/replica.sh` starts a primary and its standby; with DATABASE_URL on the primary and
DATABASE_REPLICA_URL on the standby, the test database pytest creates on the primary streams to the
standby, and the "replica" alias reads it there (settings: TEST MIRROR copies only the database
name; host and port stay the standby's). Pausing WAL replay on the standby holds it behind the
primary, so a page that shows the old state was read from the replica, and one that shows the new
state right after a write was read from the primary.

Skipped without a replica, except in CI (REQUIRE_REPLICA=1), where a missing replica fails.
"""

import datetime as dt
import json
import os
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.db import OperationalError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from blkportal.api import services as api_services
from blkportal.core import dbrouting
from blkportal.core import months as clock
from blkportal.core.months import add_months
from blkportal.registry.models import Regency
from monitoring import services, services_exports
from monitoring.models import ExportJob, ExportStatus
from tests.factories import CentreFactory
from tests.monitoring.conftest import batch, report

REQUIRED = os.environ.get("REQUIRE_REPLICA") == "1"
if "replica" not in settings.DATABASES:
    if REQUIRED:
        raise RuntimeError("REQUIRE_REPLICA=1 but DATABASE_REPLICA_URL is not set (scripts/replica.sh starts one)")
    pytest.skip("no read replica: set DATABASE_REPLICA_URL (scripts/replica.sh starts one)", allow_module_level=True)

pytestmark = [
    pytest.mark.replica,
    # One worker runs them all: they pause the one standby's replay.
    pytest.mark.xdist_group("replica"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

MONTH = dt.date(2024, 3, 1)
BATCHES = "/api/v1/batches/"
DASHBOARD = "/monitoring/?month=2024-03"


class Standby:
    """The standby behind the "replica" alias: hold its replay back, let it catch up."""

    def sql(self, query, params=()):
        with connections["replica"].cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()[0]

    def pause(self):
        self.sql("SELECT pg_wal_replay_pause()::text")

    def resume(self):
        if self.sql("SELECT pg_is_wal_replay_paused()"):
            self.sql("SELECT pg_wal_replay_resume()::text")

    def catch_up(self, timeout=15.0):
        """Wait until the standby has replayed everything the primary has committed."""
        lsn = dbrouting.primary_lsn()
        deadline = time.monotonic() + timeout
        while not self.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.02)


@pytest.fixture(autouse=True)
def standby(settings):
    settings.MONITORING_FIRST_MONTH = "2024-01"
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0  # probe the lag on every scope, not every 2 s
    dbrouting.reset_health()
    node = Standby()
    try:
        in_recovery = node.sql("SELECT pg_is_in_recovery()")
        system = node.sql("SELECT system_identifier FROM pg_control_system()")
    except OperationalError as exc:
        reason = f"the read replica does not answer ({exc}); it must stream from DATABASE_URL's server"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    assert in_recovery, "DATABASE_REPLICA_URL must name a standby (pg_is_in_recovery() is false)"
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT system_identifier FROM pg_control_system()")
        assert cursor.fetchone()[0] == system, "DATABASE_REPLICA_URL must be a streaming replica of DATABASE_URL"
    assert connections["replica"].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    yield node
    node.resume()
    dbrouting.reset_health()


def queried(captured, table) -> bool:
    return any(table in q["sql"] for q in captured.captured_queries)


def body(response) -> str:
    """The page without what differs on every render (CSRF tokens)."""
    assert response.status_code == 200, response.status_code
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", response.content.decode())
    return re.sub(r"\s+", " ", text)


def on_primary_only(settings, fn):
    """fn() with the router removed: every read from the primary, as without a replica."""
    routers = settings.DATABASE_ROUTERS
    settings.DATABASE_ROUTERS = []
    try:
        return fn()
    finally:
        settings.DATABASE_ROUTERS = routers


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_client(user) -> Client:
    _, raw = api_services.token_create(by=user, name="replika")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def new_batch(client, world, name):
    start = add_months(clock.current_month(), -1) + dt.timedelta(days=2)  # last month: still open
    data = {
        "centre": world.centre_a.pk,
        "kejuruan": "teknik-las",
        "program_name": name,
        "funding_source": "apbn",
        "start_date": f"{start}",
        "end_date": f"{start + dt.timedelta(days=20)}",
        "hours_jp": 200,
        "enrolled_male": 10,
        "enrolled_female": 6,
    }
    response = client.post(BATCHES, json.dumps(data), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def listed(client) -> set[int]:
    response = client.get(BATCHES)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_lists_read_the_replica_and_a_writer_reads_their_own_write_at_once(world, standby):
    reviewer, manager, script = logged_in(world.reviewer), logged_in(world.manager_a), token_client(world.manager_a)
    standby.catch_up()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert listed(reviewer) == set()
    # The list was read on the standby; the user and their roles on the primary.
    assert queried(on_replica, "reporting_trainingbatch") and not queried(on_primary, "reporting_trainingbatch")
    assert queried(on_primary, "registry_roleassignment") and not queried(on_replica, "registry_roleassignment")

    standby.pause()
    # A manager saves a batch on the page's session and another through a token: each sees their
    # own at once (from the primary), while the reviewer's list comes from the replica held behind.
    first = new_batch(manager, world, "Las listrik dasar")
    assert listed(manager) == {first}
    second = new_batch(script, world, "Las argon")
    assert listed(script) == {first, second}
    assert listed(reviewer) == set()
    # Past the pin the writer reads the replica again (still behind here, so their write is missing:
    # in service the replica is at most DATABASE_REPLICA_MAX_LAG behind, less than the pin).
    later = clock.now() + dt.timedelta(seconds=settings.DATABASE_REPLICA_PIN_SECONDS + 2)
    with time_machine.travel(later, tick=False):
        assert listed(manager) == set()

    standby.resume()
    standby.catch_up()
    assert listed(reviewer) == {first, second}


def test_dashboards_from_the_replica_equal_the_primary_and_never_fail_when_it_lags(world, standby, settings):
    report(world.centre_a, MONTH, "approved", alumni_bekerja=3, alumni_belum_bekerja=1)
    report(world.centre_b, MONTH, "submitted")
    batch(world.centre_a, dt.date(2024, 3, 1), dt.date(2024, 3, 20))
    services.facts_rebuild()
    standby.catch_up()
    directorate = logged_in(world.directorate)
    pages = [
        DASHBOARD,
        "/monitoring/provinsi/32/?month=2024-03",
        "/monitoring/kabupaten/32.04/?month=2024-03",
        f"/monitoring/blk/{world.centre_a.pk}/?month=2024-03",
        "/monitoring/peringkat/",
        "/",
    ]
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        from_replica = {url: body(directorate.get(url)) for url in pages}
    assert queried(on_replica, "monitoring_centremonth")
    assert from_replica == on_primary_only(settings, lambda: {url: body(directorate.get(url)) for url in pages})
    assert "2/3" in from_replica[DASHBOARD]  # 2 of the 3 centres reported

    standby.pause()
    late = CentreFactory(regency=Regency.objects.get(code="32.04"), name="BLK Komunitas Baru Saja")
    report(late, MONTH, "approved")
    services.facts_rebuild()
    # The new centre and its facts are on the primary only. Its page (the centre is read from the
    # primary, its figures from the replica) and the national page answer, with the replica's state.
    assert "BLK Komunitas Baru Saja" in body(directorate.get(f"/monitoring/blk/{late.pk}/?month=2024-03"))
    assert body(directorate.get(DASHBOARD)) == from_replica[DASHBOARD]
    assert "3/4" in on_primary_only(settings, lambda: body(directorate.get(DASHBOARD)))

    standby.resume()
    standby.catch_up()
    assert "3/4" in body(directorate.get(DASHBOARD))


def test_a_cached_dashboard_is_never_built_from_a_replica_behind_its_facts(world, standby, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 600
    report(world.centre_a, MONTH, "approved")
    services.facts_rebuild()
    standby.catch_up()
    directorate = logged_in(world.directorate)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert "1/3" in body(directorate.get(DASHBOARD))
    assert queried(on_replica, "monitoring_centremonth")

    standby.pause()
    report(world.centre_b, MONTH, "approved")
    services.facts_rebuild()  # a new facts version, made after the new facts were committed
    # The replica has not replayed the facts of this version: the body is built from the primary
    # (and kept under the version), not from the replica's older rows.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert "2/3" in body(directorate.get(DASHBOARD))
    assert not queried(on_replica, "monitoring_centremonth")
    standby.resume()
    standby.catch_up()
    assert "2/3" in body(directorate.get(DASHBOARD))


def run_export(user):
    """As the task runs it: the job row is written first, the run gets its id."""
    job = ExportJob.objects.create(owner=user, kind="reports", parameters={"period_from": "2024-03"})
    return services_exports.export_run(job_id=job.pk)


def test_exports_read_the_replica_once_it_holds_everything_and_keep_job_state_on_the_primary(world, standby, settings):
    report(world.centre_a, MONTH, "approved")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        job = run_export(world.directorate)  # waits for the replica to replay the report just written
    assert job.status == ExportStatus.DONE, job.error_message
    assert job.row_count == 1
    assert queried(on_replica, "reporting_report") and not queried(on_replica, "monitoring_exportjob")

    # A replica held behind longer than DATABASE_REPLICA_EXPORT_WAIT: the export reads the primary.
    settings.DATABASE_REPLICA_EXPORT_WAIT = 0.2
    standby.pause()
    report(world.centre_b, MONTH, "approved")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        job = run_export(world.directorate)
    assert job.status == ExportStatus.DONE, job.error_message
    assert job.row_count == 2
    assert not queried(on_replica, "reporting_report")


def test_an_unreachable_replica_leaves_pages_and_lists_to_the_primary(world, standby, settings):
    report(world.centre_a, MONTH, "approved")
    services.facts_rebuild()
    mine = new_batch(logged_in(world.manager_a), world, "Las listrik dasar")
    standby.catch_up()
    directorate, reviewer = logged_in(world.directorate), logged_in(world.reviewer)
    expected = body(directorate.get(DASHBOARD))
    replica = connections["replica"]
    port = replica.settings_dict["PORT"]

    def dies_midway(execute, sql, params, many, context):
        # The replica answers the lag probe, then goes away in the middle of the page: the query
        # fails, the connection is gone and reconnecting is refused.
        if "pg_is_in_recovery" in sql:
            return execute(sql, params, many, context)
        replica.connection.close()
        replica.settings_dict["PORT"] = 1
        raise OperationalError("server closed the connection unexpectedly")

    def back():
        replica.close()
        replica.settings_dict["PORT"] = port
        dbrouting.reset_health()

    cancelled = []

    def cancelled_once(execute, sql, params, many, context):
        # The replica cancels the page's first query, as it does on a conflict with recovery.
        if "pg_is_in_recovery" in sql or cancelled:
            return execute(sql, params, many, context)
        cancelled.append(sql)
        execute("SET statement_timeout = 1", None, False, context)
        try:
            return execute("SELECT pg_sleep(1)", None, False, context)
        finally:
            execute("SET statement_timeout = 0", None, False, context)

    with replica.execute_wrapper(cancelled_once):
        assert body(directorate.get(DASHBOARD)) == expected  # the page again, from the primary
    assert cancelled
    # A cancelled query does not mean the replica is gone: the next list reads it.
    with CaptureQueriesContext(replica) as on_replica:
        assert listed(reviewer) == {mine}
    assert queried(on_replica, "reporting_trainingbatch")

    try:
        with replica.execute_wrapper(dies_midway):
            assert body(directorate.get(DASHBOARD)) == expected  # the page again, from the primary
            back()
            assert listed(reviewer) == {mine}  # the list again, from the primary
            back()
        # Unreachable from the start (connection refused): the primary answers, and the replica is
        # left alone for DATABASE_REPLICA_RETRY_SECONDS.
        replica.settings_dict["PORT"] = 1
        with CaptureQueriesContext(connections["default"]) as on_primary:
            assert body(directorate.get(DASHBOARD)) == expected
        assert queried(on_primary, "monitoring_centremonth")
        assert listed(reviewer) == {mine}
    finally:
        back()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert listed(reviewer) == {mine}
    assert queried(on_replica, "reporting_trainingbatch")
