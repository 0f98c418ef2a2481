"""Autosave under load (issue 13): N managers, each on their own draft of the current month, save
open-loop at a target rate against gunicorn, one request in flight per manager; afterwards every
manager's last acknowledged value is looked up in the database (0 lost saves).

How the editor calls the server (templates/reporting/report_edit.html, static/js/reporting.js): htmx
posts the whole form `#report-form` (every field, `version`, `csrfmiddlewaretoken`) to
`reporting:report_autosave` (`/laporan/<pk>/simpan/`) with `HX-Request: true`, 1.2 s after the last
keystroke, with `hx-sync="this:queue last"`: while a save is in flight, newer edits wait and only the
latest is sent when it returns. The answer is the status fragment (reporting/_save_status.html):
`id="saved-at" data-version="N"` on success, and the new version in an out-of-band `id_version` input
that the next save carries; a save carrying an older version is refused with 409.

The client here does the same: each manager's page is fetched once (GET of the edit page, as the
browser does: the form's fields, the version and the CSRF cookie), then each tick of its schedule
types a new unique value into `notes` and posts the whole form. A tick that comes while the previous
save is in flight is folded into the next request, as htmx's "queue last" does ("superseded"); the
next request then leaves as soon as the answer is in, and its latency counts from the tick it carries
(what the person waits for). Two runs: at the target rate, then saturated (every manager posts again
as soon as its answer is in) for the capacity, compared with the floor page of the same run.
"""

from __future__ import annotations

import asyncio
import html.parser
import os
import re
import resource
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
MANAGERS = int(os.environ.get("BENCH_AUTOSAVE_MANAGERS", "60"))
RATE = float(os.environ.get("BENCH_AUTOSAVE_RATE", "140"))  # saves per second, all managers together
TIMEOUT = 10.0
SAMPLES: list[str] = []  # the first answers that were not "saved", for the results
USER_PREFIX = "bench-manager-"
SAVED = re.compile(rb'id="saved-at" data-version="(\d+)"')
# The targets: ≥ 140 saves/s at p95 ≤ 300 ms, no error and no lost save; on a machine that
# cannot, autosave's capacity at least half the floor page's throughput in the same run.
TARGET_RATE, TARGET_P95_MS, TARGET_FLOOR_SHARE = 140, 300, 0.5


# --- Managers and their drafts (Django) ---------------------------------------------------------


def prepare(n: int) -> list[dict]:
    """N manager users `bench-manager-001…`, each the only manager role of one centre, each with a
    draft of that centre's current month that can be edited now, and a session cookie each.
    Centres whose current month already has an editable draft come first (no new reports); then
    centres without a report for the month get a draft through the service."""
    from django.utils import timezone

    from blkportal.core import months, outbox
    from blkportal.core.models import OutboxTask
    from blkportal.registry.models import Centre, Role, RoleAssignment, User
    from reporting import services
    from reporting.deadlines import is_expected
    from reporting.models import Report
    from reporting.policy import edit_block_reason

    from .steps import session_cookie

    started = timezone.now()
    centres = list(Centre.objects.select_related("province").order_by("pk"))
    periods = {c.pk: months.current_period(c) for c in centres}
    reports = {
        (r.centre_id, r.period): r
        for r in Report.objects.filter(period__in=set(periods.values())).select_related("centre__province")
    }
    editable, missing = [], []
    for centre in centres:
        period = periods[centre.pk]
        if not is_expected(centre, period):
            continue
        report = reports.get((centre.pk, period))
        if report is None:
            missing.append((centre, None))
        elif edit_block_reason(report) is None:
            editable.append((centre, report))
    managers = []
    for i, (centre, report) in enumerate((editable + missing)[:n], start=1):
        user, _ = User.objects.get_or_create(
            username=f"{USER_PREFIX}{i:03d}",
            defaults={"full_name": f"Pengelola Benchmark {i:03d}", "email": f"{USER_PREFIX}{i:03d}@demo.blk.local"},
        )
        RoleAssignment.objects.filter(user=user).exclude(role=Role.MANAGER, centre=centre).delete()
        RoleAssignment.objects.get_or_create(user=user, role=Role.MANAGER, centre=centre)
        if report is None:
            report = services.report_get_or_create_draft(centre=centre, period=periods[centre.pk], by=user)
        managers.append({"username": user.username, "report": report.pk, "cookie": session_cookie(user=user)})
    # A new draft asks for its centre-month's fact refresh; no worker runs during this step, so run
    # it here (as the worker would): a pending outbox row older than HEALTH_OUTBOX_MAX_AGE would make
    # /sehat/ answer 503 and the next run's gunicorn look unhealthy.
    for pk in OutboxTask.objects.filter(created_at__gte=started, key__isnull=False).values_list("pk", flat=True):
        outbox.run(pk)
    return managers


def verify(managers: list[dict]) -> dict:
    """Each manager's last acknowledged value and version against the report row and its latest
    history row: a save answered "saved" and not in the database is a lost save."""
    from reporting.models import Report

    acked = [m for m in managers if m.get("acked_value") is not None]
    rows = {r.pk: r for r in Report.objects.filter(pk__in=[m["report"] for m in acked])}
    history = Report.history.model
    lost, newer, history_behind = [], [], []
    for m in acked:
        row = rows.get(m["report"])
        if row is None or row.version < m["acked_version"]:
            lost.append(m["username"])
        elif row.notes != m["acked_value"]:
            # A later save went through without its answer arriving (a timeout): not lost, but counted.
            (newer if row.version > m["acked_version"] else lost).append(m["username"])
        latest = history.objects.filter(id=m["report"]).order_by("-history_date", "-history_id").first()
        if row is not None and (latest is None or latest.notes != row.notes or latest.version != row.version):
            history_behind.append(m["username"])
    # Every answer carried a new version: two answers with the same version would be a lost update.
    repeated = [m["username"] for m in managers if len(set(m["acked_versions"])) != len(m["acked_versions"])]
    return {
        "managers_checked": len(acked),
        "answers_checked": sum(len(m["acked_versions"]) for m in managers),
        "repeated_versions": len(repeated),
        "lost_saves": len(lost),
        "lost_managers": lost[:10],
        "saved_after_last_answer": len(newer),
        "history_behind": len(history_behind),
    }


def queries_per_save(manager: dict) -> dict:
    """One save through the full Django stack in this process, its SQL statements counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reporting.models import Report

    report = Report.objects.get(pk=manager["report"])
    name, _, value = manager["cookie"].partition("=")
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[name] = value
    url = reverse("reporting:report_autosave", args=[report.pk])
    version = report.version
    for attempt in range(2):  # the second save is counted (the first fills per-process caches)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"version": version, "notes": f"queries {attempt}"}, HTTP_HX_REQUEST="true")
        version += 1
    sqls = [q["sql"] for q in captured.captured_queries]
    control = [s for s in sqls if s.split(" ", 1)[0] in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")]
    return {
        "status": response.status_code,
        "statements": len(sqls) - len(control),
        "transaction_control": len(control),
        "report_reads": sum(1 for s in sqls if s.startswith("SELECT") and 'FROM "reporting_report"' in s),
        "history_inserts": sum(1 for s in sqls if s.startswith('INSERT INTO "reporting_historicalreport"')),
        "outbox_writes": sum(1 for s in sqls if "core_outboxtask" in s and not s.startswith("SELECT")),
    }


# --- CPU of the web workers and of the database backends ---------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _children(ppid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == ppid:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def _backends() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _db_counters() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit, tup_inserted, tup_updated, tup_fetched FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    return dict(zip(("commits", "tuples_inserted", "tuples_updated", "tuples_fetched"), row, strict=True))


class CpuMeter:
    """CPU seconds of gunicorn's workers (children of BENCH_GUNICORN_PID) and of this database's
    PostgreSQL backends between start() and stop(). A thread samples them twice a second, so a
    backend recycled during the run (CONN_MAX_AGE) keeps the CPU it had at its last sample; what it
    used after that (under half a second) is missed."""

    def __init__(self, master: int | None = None):
        self.master = master or int(os.environ.get("BENCH_GUNICORN_PID", "0") or 0)

    def _sample(self) -> None:
        for pid in _children(self.master) if self.master else []:
            self.web[pid] = _cpu_of(pid) or self.web.get(pid, 0.0)
        for pid in _backends():
            self.db[pid] = _cpu_of(pid) or self.db.get(pid, 0.0)

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self.done.wait(0.5):
                self._sample()
        finally:
            connection.close()  # this thread's own connection

    def start(self) -> None:
        self.web, self.db = {}, {}
        self._sample()
        self.web0, self.db0 = dict(self.web), dict(self.db)
        self.counters0 = _db_counters()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> dict:
        self.done.set()
        self.thread.join()
        self._sample()
        counters1 = _db_counters()

        def delta(before, after):
            return sum(after[p] - before.get(p, 0.0) for p in after)

        return {
            "web_cpu_seconds": round(delta(self.web0, self.web), 2) if self.master else None,
            "db_cpu_seconds": round(delta(self.db0, self.db), 2),
            "db": {k: counters1[k] - self.counters0[k] for k in counters1},
        }


# --- The HTTP client (asyncio, one connection per request as gunicorn's sync workers close them) --


class FormFields(html.parser.HTMLParser):
    """The fields a browser would post from `<form id="report-form">`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "report-form":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


async def request(method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{PORT}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    header_blob, _, payload = raw.partition(b"\r\n\r\n")
    lines = header_blob.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    response_headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        response_headers.setdefault(key.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(response_headers.get("transfer-encoding", [])):
        payload = _unchunk(payload)
    return status, response_headers, payload


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


class Manager:
    def __init__(self, info: dict, edit_path: str, save_path: str):
        self.info = info
        self.edit_path, self.save_path = edit_path, save_path
        self.cookies = {k: v for k, _, v in [info["cookie"].partition("=")]}
        self.fields: dict[str, str] = {}
        self.seq = 0
        self.acked_value = self.acked_version = None
        self.acked_versions: list[int] = []

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def open_page(self) -> None:
        status, headers, body = await request("GET", self.edit_path, {"Cookie": self.cookie_header()})
        if status != 200:
            raise RuntimeError(f"{self.info['username']}: the edit page answered {status}")
        for header in headers.get("set-cookie", []):
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        parser = FormFields()
        parser.feed(body.decode("utf-8", "replace"))
        if "version" not in parser.fields or "csrfmiddlewaretoken" not in parser.fields:
            raise RuntimeError(f"{self.info['username']}: no report form on the edit page")
        self.fields = parser.fields

    async def save(self, run: str) -> tuple[bool, str]:
        """Post the whole form with a new unique value in `notes`; (saved?, what went wrong)."""
        self.seq += 1
        value = f"autosave {run} {self.info['username']} #{self.seq}"
        body = urllib.parse.urlencode({**self.fields, "notes": value}).encode()
        headers = {
            "Cookie": self.cookie_header(),
            "HX-Request": "true",
            "HX-Target": "save-status",
            "HX-Trigger": "report-form",
            "HX-Current-URL": f"http://127.0.0.1:{PORT}{self.edit_path}",
        }
        try:
            status, _h, answer = await asyncio.wait_for(request("POST", self.save_path, headers, body), TIMEOUT)
        except (TimeoutError, OSError, ValueError, IndexError) as exc:
            return False, type(exc).__name__
        match = SAVED.search(answer) if status == 200 else None
        if match is None:
            if len(SAMPLES) < 5:
                SAMPLES.append(f"{self.info['username']} HTTP {status}: {answer[:400].decode('utf-8', 'replace')}")
            return False, f"HTTP {status}" if status != 200 else "answer without 'saved'"
        self.acked_value, self.acked_version = value, int(match.group(1))
        self.acked_versions.append(self.acked_version)
        self.fields["version"] = match.group(1).decode()
        return True, ""


async def drive(managers: list[Manager], *, rate: float | None, seconds: float, run: str) -> dict:
    """Every manager on its own schedule (evenly spread phases); rate None: saturated (no pause)."""
    loop = asyncio.get_running_loop()
    interval = len(managers) / rate if rate else 0.0
    start = loop.time() + 0.2
    end = start + seconds
    latencies, service, errors, superseded = [], [], {}, 0
    acked = in_window = 0  # answers, and those that arrived within the run's seconds

    async def one(index: int, manager: Manager):
        nonlocal superseded, acked, in_window
        tick = start + (index / len(managers)) * interval
        while True:
            now = loop.time()
            if tick >= end or now >= end:
                return
            if interval and now < tick:
                await asyncio.sleep(tick - now)
                now = loop.time()
            if interval:
                # Ticks that passed while the last save was in flight: htmx sends only the latest.
                passed = int((now - tick) // interval)
                superseded += passed
                tick += passed * interval
            else:
                tick = now
            sent = loop.time()
            ok, why = await manager.save(run)
            done = loop.time()
            if ok:
                acked += 1
                in_window += done <= end
                latencies.append(done - tick)
                service.append(done - sent)
            else:
                errors[why] = errors.get(why, 0) + 1
                if why.startswith("HTTP 409"):
                    await manager.open_page()  # a stale page: reload it, as the person would
            tick += interval

    started = time.monotonic()
    await asyncio.gather(*(one(i, m) for i, m in enumerate(managers)))
    elapsed = time.monotonic() - started - 0.2

    def ms(values, p):
        v = percentile(values, p)
        return None if v is None else round(v * 1000, 1)

    return {
        "target_rate": rate,
        "seconds": round(elapsed, 2),  # until the last answer
        "saves": acked,
        # Throughput. Open loop: every tick of the window answered counts, so a run that kept up
        # with the offered rate reads as that rate (the last ticks' answers land a few ms after the
        # window closes). Saturated: only answers within the window (its last answers arrive
        # seconds later and would dilute it).
        "rate": round((acked if rate else in_window) / seconds, 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "superseded": superseded,
        "p50_ms": ms(latencies, 50),
        "p95_ms": ms(latencies, 95),
        "p99_ms": ms(latencies, 99),
        "max_ms": ms(latencies, 100),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "service_p50_ms": ms(service, 50),
        "service_p95_ms": ms(service, 95),
    }


async def _gather(coroutines) -> list:
    return await asyncio.gather(*coroutines)


def _history_rows(report_ids: list[int]) -> int:
    from reporting.models import Report

    return Report.history.model.objects.filter(id__in=report_ids).count()


async def _open_all(managers: list[Manager]) -> None:
    # A few at a time: this is set-up, not load.
    for i in range(0, len(managers), 8):
        await asyncio.gather(*(m.open_page() for m in managers[i : i + 8]))


def measure() -> dict:
    from django.urls import reverse

    started = time.monotonic()
    infos = prepare(MANAGERS)
    if not infos:
        return {"skipped": "no centre with an editable report for the current month"}
    managers = [
        Manager(
            info,
            reverse("reporting:report_edit", args=[info["report"]]),
            reverse("reporting:report_autosave", args=[info["report"]]),
        )
        for info in infos
    ]
    result: dict = {"managers": len(managers), "prepare_seconds": round(time.monotonic() - started, 1)}
    result["queries"] = queries_per_save(infos[0])

    history = _history_rows([m["report"] for m in infos])
    asyncio.run(_open_all(managers))
    # Warm-up: one save each (workers' connections, caches), not counted.
    asyncio.run(_gather(m.save("warmup") for m in managers))
    for run, rate in (("target", RATE), ("saturated", None)):
        meter = CpuMeter()
        rows_before = _history_rows([m["report"] for m in infos])
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        meter.start()
        out = asyncio.run(drive(managers, rate=rate, seconds=SECONDS, run=run))
        out.update(meter.stop())
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        out["client_cpu_seconds"] = round(usage1.ru_utime + usage1.ru_stime - usage0.ru_utime - usage0.ru_stime, 2)
        saves = out["saves"] or 1
        for key in ("web", "db"):
            cpu = out.get(f"{key}_cpu_seconds")
            out[f"{key}_cpu_ms_per_save"] = None if cpu is None else round(1000 * cpu / saves, 2)
        out["db_per_save"] = {k: round(v / saves, 2) for k, v in out.pop("db").items()}
        out["history_rows_added"] = _history_rows([m["report"] for m in infos]) - rows_before
        result[run] = out
    result["history_rows"] = {"before": history, "after": _history_rows([m["report"] for m in infos])}
    for m in managers:
        m.info.update(acked_value=m.acked_value, acked_version=m.acked_version, acked_versions=m.acked_versions)
    result["check"] = verify(infos)
    result["error_samples"] = SAMPLES
    result["targets"] = {"rate": TARGET_RATE, "p95_ms": TARGET_P95_MS, "floor_share": TARGET_FLOOR_SHARE}
    return result
