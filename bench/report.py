"""Writes docs/benchmarks.md (SCALE=national) or docs/benchmarks-large.md (SCALE=large) from one
run's results (bench/harness.py). Each scale has its own file, so neither run overwrites the other."""

from __future__ import annotations

import re
from pathlib import Path


def _verdict(ok: bool | None) -> str:
    if ok is None:
        return "—"
    return "met" if ok else "**MISSED**"


def _ms(value) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def page_rows(results: dict) -> list[str]:
    pages = results.get("pages", [])
    floor = floor_rps(results)
    lines = [
        "| page | req/s | % of floor | p50 | p95 | p99 | non-2xx | target | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for p in pages:
        if "rps" not in p:
            lines.append(
                f"| {p['label']} | — | — | — | — | — | — | {p.get('target', '')} | skipped: {p.get('skipped')} |"
            )
            continue
        share = p["rps"] / floor if floor else None
        verdicts = []
        if p.get("floor_share_min") is not None and share is not None:
            verdicts.append(f"throughput {_verdict(share >= p['floor_share_min'])}")
        if p.get("p95_max") is not None:
            verdicts.append(f"p95 {_verdict(p['p95_ms'] <= p['p95_max'] and p['non_2xx'] == 0)}")
        result = "; ".join(verdicts) or "—"
        lines.append(
            f"| {p['label']} | {p['rps']:.1f} | {'—' if share is None else f'{100 * share:.0f} %'} | "
            f"{_ms(p['p50_ms'])} | {_ms(p['p95_ms'])} | {_ms(p['p99_ms'])} | {p['non_2xx']} | {p.get('target', '')} | "
            f"{result} |"
        )
    return lines


def step_rows(results: dict) -> list[str]:
    lines = ["| step | measured | target | result |", "|---|---|---|---|"]
    facts = results.get("facts", {})
    if "seconds" in facts and "rows" in facts:
        lines.append(
            f"| facts full rebuild | {facts['rows']:,} centre-months in {facts['seconds']:.1f} s "
            f"(peak memory {facts.get('peak_rss_mb')} MB) | ≤ 20 s | {_verdict(facts['seconds'] <= 20)} |"
        )
    else:
        lines.append(f"| facts full rebuild | {facts.get('error') or facts.get('skipped')} | ≤ 20 s | — |")
    if "expected_centre_months" in facts:
        exact = facts["expected_missing"] == 0 and facts["fact_rows_expected"] == facts["expected_centre_months"]
        lines.append(
            f"| facts coverage | {facts['expected_centre_months']:,} expected centre-months counted from the "
            f"registry in SQL; {facts['fact_rows_expected']:,} fact rows marked expected, "
            f"{facts['expected_missing']:,} missing; {facts['fact_rows']:,} fact rows in all (the rest: "
            f"centre-months with data but not expected) | one row per expected centre-month | "
            f"{_verdict(exact)} |"
        )
    ranking = results.get("ranking", {})
    if "seconds" in ranking and "entries" in ranking:
        lines.append(
            f"| ranking recompute ({ranking['version']}, {ranking['period']}) | {ranking['entries']:,} centres "
            f"({ranking['ranked']:,} ranked) in {ranking['seconds']:.2f} s | ≤ 5 s | "
            f"{_verdict(ranking['seconds'] <= 5)} |"
        )
    else:
        lines.append(f"| ranking recompute | {ranking.get('error') or ranking.get('skipped')} | ≤ 5 s | — |")
    export, bare = results.get("export", {}), results.get("bare", {})
    if export.get("seconds") and bare.get("seconds") and export.get("status") == "done":
        ratio = export["seconds"] / bare["seconds"]
        cpu_ratio = ""
        if export.get("cpu_seconds") and bare.get("cpu_seconds"):
            cpu_ratio = (
                f", {export['cpu_seconds'] / bare['cpu_seconds']:.2f}× CPU time "
                f"({export['cpu_seconds']:.1f} s vs {bare['cpu_seconds']:.1f} s)"
            )
        ok = ratio <= 1.3 and export["peak_rss_mb"] <= 200
        lines.append(
            f"| full export of all reports (XLSX) | {export['rows']:,} rows × {export['columns']} columns "
            f"{_main_sheets(export)} (+ {export.get('section_rows', 0):,} rows on the section sheets) in "
            f"{export['seconds']:.1f} s, {export['file_mb']} MB, peak memory {export['peak_rss_mb']} MB; "
            f"bare openpyxl loop {bare['seconds']:.1f} s ({bare['peak_rss_mb']} MB) → **{ratio:.2f}×** wall time"
            f"{cpu_ratio} | "
            f"≤ 1.3 × bare loop; ≤ 200 MB | {_verdict(ok)} |"
        )
    else:
        lines.append(f"| full export of all reports | {export.get('error') or export} | ≤ 1.3 ×; ≤ 200 MB | — |")
    split = results.get("export_split")
    if split and split.get("status") == "done":
        sheets = _main_sheet_names(split)
        lines.append(
            f"| the same export split by year (per-sheet limit lowered to {split['sheet_max_rows']:,} rows) | "
            f"{split['rows']:,} rows {_main_sheets(split)} in {split['seconds']:.1f} s, peak memory "
            f"{split['peak_rss_mb']} MB; the split is said on the Metodologi sheet and in the job's message | "
            f"every sheet ≤ the limit, by year; said in the file and the message | "
            f"{_verdict(len(sheets) > 1 and bool(split.get('note')))} |"
        )
    elif split:
        lines.append(f"| export split by year | {split.get('error') or split} | — | — |")
    fresh = results.get("freshness", {})
    if "seconds_to_page" in fresh:
        lines.append(
            f"| freshness: approval → dashboard (real worker) | fact {fresh['seconds_to_fact']:.2f} s, "
            f"page {fresh['seconds_to_page']:.2f} s ({fresh.get('where', '')}) | ≤ 5 s | "
            f"{_verdict(fresh['seconds_to_page'] <= 5)} |"
        )
    else:
        lines.append(f"| freshness | {fresh.get('error') or fresh.get('skipped')} | ≤ 5 s | — |")
    imp = results.get("import", {})
    if "dry_run_seconds" in imp and "apply_seconds" in imp:
        rejected = imp.get("dry_run_summary", {}).get("rejected")
        lines.append(
            f"| registry import, {imp['rows']:,} centres | dry run {imp['dry_run_seconds']:.1f} s "
            f"({rejected} of {imp['bad_rows']} bad rows rejected); check + apply {imp['apply_seconds']:.1f} s "
            f"({imp.get('apply_status')}); peak memory {imp.get('peak_rss_mb')} MB | ≤ 10 s; ≤ 20 s | "
            f"{_verdict(imp['dry_run_seconds'] <= 10 and imp['apply_seconds'] <= 20)} |"
        )
    else:
        lines.append(f"| registry import | {imp.get('error') or imp.get('skipped')} | ≤ 10 s; ≤ 20 s | — |")
    return lines


def floor_rps(results: dict) -> float | None:
    floors = [p["rps"] for p in results.get("pages", []) if p.get("key", "").startswith("floor") and "rps" in p]
    return sum(floors) / len(floors) if floors else None


def autosave_rows(results: dict) -> list[str]:
    a = results.get("autosave", {})
    if "target" not in a:
        return [f"Not measured: {a.get('error') or a.get('skipped') or 'no result'}."]
    t, sat, check, q = a["target"], a["saturated"], a.get("check", {}), a.get("queries", {})
    targets = a.get("targets", {"rate": 140, "p95_ms": 300, "floor_share": 0.5})
    lines = [
        "| run | offered | achieved | p50 | p95 | p99 | max | errors | superseded (queue last) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in (("at the target rate", t), ("saturated (no pause)", sat)):
        offered = f"{r['target_rate']:.0f}/s" if r.get("target_rate") else "as fast as answered"
        errors = f"{r['errors']}" + (
            f" ({', '.join(f'{k}: {v}' for k, v in r['error_kinds'].items())})" if r["errors"] else ""
        )
        lines.append(
            f"| {label} | {offered} | **{r['rate']:.1f} saves/s** | {_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | "
            f"{_ms(r['p99_ms'])} | {_ms(r['max_ms'])} | {errors} | {r['superseded']} |"
        )
    floor = floor_rps(results)
    share = sat["rate"] / floor if floor else None
    floors = [
        p for p in results.get("pages", []) if p.get("key", "").startswith("floor") and "web_cpu_ms_per_request" in p
    ]
    floor_cpu = (
        sum(p["web_cpu_ms_per_request"] + p.get("db_cpu_ms_per_request", 0) for p in floors) / len(floors)
        if floors
        else None
    )
    save_cpu = (t.get("web_cpu_ms_per_save") or 0) + (t.get("db_cpu_ms_per_save") or 0)
    lost = check.get("lost_saves")
    clean = lost == 0 and check.get("repeated_versions") == 0 and t["errors"] == 0 and sat["errors"] == 0
    direct = t["rate"] >= targets["rate"] and (t["p95_ms"] or 1e9) <= targets["p95_ms"] and clean
    by_share = share is not None and share >= targets["floor_share"] and clean
    per_save = t.get("db_per_save", {})
    lines += [
        "",
        f"- **Managers**: {a['managers']}, each on their own draft of the current month; latency counts from "
        "the moment the value was typed (the schedule's tick) to the answer, so waiting behind the "
        "manager's previous save is included.",
        f"- **Lost saves**: {lost} of {check.get('managers_checked')} managers' last acknowledged values "
        f"missing from the database ({check.get('answers_checked')} answers, {check.get('repeated_versions')} "
        f"with a repeated version); {check.get('saved_after_last_answer', 0)} saved after their last answer "
        f"(a timed-out request that committed); history behind the report row: {check.get('history_behind')}.",
        f"- **Capacity against the floor page**: {sat['rate']:.1f} saves/s against the floor's "
        + (f"{floor:.1f} req/s = **{share:.2f}×**" if floor else "— (floor not measured)")
        + (
            f"; by CPU per request (web + PostgreSQL), floor {floor_cpu:.1f} ms against a save's "
            f"{save_cpu:.1f} ms = {floor_cpu / save_cpu:.2f}× (steadier than throughput when other work "
            "shares the machine)."
            if floor_cpu and save_cpu
            else "."
        ),
        f"- **Per save** (target run): {q.get('statements')} SQL statements (+ {q.get('transaction_control')} "
        f"BEGIN/COMMIT), {q.get('report_reads')} reads of the report, {q.get('history_inserts')} history "
        f"inserts and {q.get('outbox_writes')} outbox writes in the counted save; CPU "
        f"{t.get('web_cpu_ms_per_save')} ms in gunicorn, {t.get('db_cpu_ms_per_save')} ms in PostgreSQL "
        f"backends, {1000 * t.get('client_cpu_seconds', 0) / max(t['saves'], 1):.1f} ms in the load client; "
        f"{t.get('history_rows_added')} history rows added in {t['saves']} saves; PostgreSQL counted "
        f"{per_save.get('commits')} commits, {per_save.get('tuples_updated')} rows updated and "
        f"{per_save.get('tuples_inserted')} inserted per save (statistics flushed up to a second late).",
        f"- **Target**: ≥ {targets['rate']} saves/s at p95 ≤ {targets['p95_ms']} ms, no error, no lost save: "
        f"{_verdict(direct)}; otherwise capacity ≥ {targets['floor_share']}× the floor page: "
        f"{_verdict(by_share) if not direct else 'not needed'}.",
    ]
    return lines


SCALES = {
    "national": {
        "path": "docs/benchmarks.md",
        "title": "Benchmark",
        "command": "make bench",
        "database": "blk_bench",
        "centres": 2127,
        "months": 60,
        "other": "The same measurements at ten years and five times today's size (`make bench SCALE=large`, "
        "10,000 centres × 120 months): [benchmarks-large.md](benchmarks-large.md).",
    },
    "large": {
        "path": "docs/benchmarks-large.md",
        "title": "Benchmark: ten years at five times today's size",
        "command": "make bench SCALE=large",
        "database": "blk_bench_large",
        "centres": 10000,
        "months": 120,
        "other": "Today's national scale (2,127 centres × 60 months, `make bench`), against the same targets: "
        "[benchmarks.md](benchmarks.md).",
    },
}


def report_path(scale: str) -> str:
    return SCALES[scale]["path"]


def _main_sheet_names(export: dict) -> list[str]:
    """The sheets of the main table ("Laporan bulanan", or "Laporan bulanan 2019", … when split)."""
    names = export.get("sheets") or []
    return [n for n in names if n.startswith(names[0].split(" 20")[0])] if names else []


def _main_sheets(export: dict) -> str:
    names = _main_sheet_names(export)
    if not names:
        return ""
    if len(names) == 1:
        return "on one sheet"
    return f"on {len(names)} sheets ({names[0]} … {names[-1]})"


INTRO = """# {title}

Output of `{command}` (bench/run.sh → bench/harness.py), one run, written by bench/report.py. The
raw numbers of every run are in `bench/results/*.json` (not committed). Never part of the test suite.
{other}

How it measures:

- **Data**: a dedicated PostgreSQL database (`{database}`) seeded with
  `seed_demo --centres {centres} --months {months}` (skipped when present; the monitoring start is the
  seed's first month), then a full facts rebuild.
- **Pages**: gunicorn with 2 workers on 127.0.0.1, `wrk` with 16 connections (2 threads) for
  {{seconds}} s per page, one page after the other in the same run, logged in as a national
  directorate user through a session made with the session engine. The **floor** is a bare view
  rendering a 38-row table (the provinces) from the database in the site layout
  (`monitoring:bench_floor`, mounted only while the benchmark runs: `BENCH_FLOOR_PAGE=1`); it runs
  first and again last, and the shares use the mean of both.
  Load generator, web server and PostgreSQL share the same machine.
- **Steps** (each in a fresh process; memory is that process's peak RSS, Python and Django included):
  facts full rebuild (`monitoring.services.facts_rebuild`), ranking recompute
  (`monitoring.services.ranking_compute`, default scheme, last month), the full export of all
  reports exactly as the worker runs it (`services_exports.export_run`: exporter, styled write-only
  workbook, progress every 2,000 rows) against a bare openpyxl write-only loop over the same query
  and rows (no styles, labels or progress; only tzinfo dropped and JSON as text, which openpyxl
  requires), and freshness: a real Celery worker
  running, a verified report approved through `report_approve`, time until the fact row and then
  the dashboard page show it. At `SCALE=large` also the same export with the per-sheet row limit
  (`EXPORT_SHEET_MAX_ROWS`, Excel's 1,048,575 data rows) lowered to `BENCH_SPLIT_ROWS` (100,000), so
  the split of a too-large table over one sheet per year runs on the large data.
- **Autosave** (bench/autosave.py, after the pages, same gunicorn): `BENCH_AUTOSAVE_MANAGERS`
  (default 60) manager users `bench-manager-NNN`, each the manager of one centre with a draft of the
  current month (existing drafts first, else one is opened through the service), logged in with
  session-engine cookies. Each opens its edit page once (form fields, version, CSRF cookie), then
  posts the whole form as htmx does (`HX-Request`, to `reporting:report_autosave`) with a new value
  in `notes` at each tick of its own schedule: open-loop at `BENCH_AUTOSAVE_RATE` saves/s in total
  (default 140), one request in flight per manager (a tick during a save is folded into the next
  request, as htmx's `hx-sync="this:queue last"` does), for {{seconds}} s; then saturated (each manager
  posts again as soon as answered) for the capacity, compared with the floor page. Afterwards every
  manager's last acknowledged value and version are looked up in the report row and its latest
  history row. CPU per save is read from /proc for gunicorn's workers and this database's PostgreSQL
  backends, and so is every page's CPU per request: a save's CPU against the floor's is a second
  ratio, steadier than the throughputs when other work shares the machine.

Only the autosave step, against an already seeded database (no seeding, no ANALYZE; the floor page
is still measured first and last as its reference):

    BENCH_ONLY=autosave ./bench/run.sh
    BENCH_ONLY=autosave BENCH_DB=blk_mine BENCH_REDIS_URL=redis://127.0.0.1:6379/6 BENCH_PORT=8106 \\
        BENCH_AUTOSAVE_MANAGERS=60 BENCH_AUTOSAVE_RATE=140 BENCH_SECONDS=20 ./bench/run.sh

`BENCH_SKIP=facts,export` skips steps instead. A partial run (either variable set) writes its
report beside its JSON (`bench/results/<stamp>.md`), not over this file.
"""


ANALYSIS_MARKER = "<!-- analysis: written by hand, kept by bench/report.py -->"


def _short(machine: dict) -> dict:
    """Version banners cut to the version."""
    m = dict(machine)
    redis = re.search(r"v=(\S+)", m.get("redis", ""))
    m["redis"] = f"Redis {redis.group(1)}" if redis else m.get("redis")
    wrk = re.search(r"wrk (\S+)", m.get("wrk", ""))
    m["wrk"] = f"wrk {wrk.group(1)}" if wrk else m.get("wrk")
    gunicorn = re.search(r"version (\S+?)\)", m.get("gunicorn", ""))
    m["gunicorn"] = f"gunicorn {gunicorn.group(1)}" if gunicorn else m.get("gunicorn")
    return m


def write_report(results: dict, path: Path) -> None:
    m = _short(results.get("machine", {}))
    d = results.get("data", {})
    scale = SCALES[results.get("scale", "national")]
    intro = INTRO.format(**scale).format(seconds=results.get("seconds_per_load_run"))
    seed = results.get("seed_seconds")
    lines = [intro.rstrip(), ""]
    lines += [
        f"## Run of {results.get('started')} ({results.get('total_seconds')} s in total)",
        "",
        "Machine: "
        + f"{m.get('nproc')} CPU ({m.get('cpu')}), {m.get('memory_gb')} GB RAM, {m.get('os')}, "
        + f"kernel {m.get('kernel')}; Python {m.get('python')}, Django {m.get('django')}, "
        + f"{m.get('postgresql')}, {m.get('redis')}, {m.get('gunicorn')}, {m.get('wrk')}, "
        + f"openpyxl {m.get('openpyxl')}.",
        "",
        "Load average (1, 5, 15 min) at the start "
        + f"{results.get('load_average_start', '?')}, at the end {results.get('load_average_end', '?')}: "
        + "other work on the machine during the run counts against every number below.",
        "",
        "Data: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in d.items()) + ".",
        "",
        (
            f"Seeding (`seed_demo`, every app, facts and rankings included): {seed:,} s."
            if seed and seed > 60
            else "Seeding: the data was present from an earlier run (see the analysis for its time)."
        ),
        "",
        "### Pages (HTTP, 16 concurrent clients)",
        "",
        *page_rows(results),
        "",
        "### Autosave under load (issue 13)",
        "",
        *autosave_rows(results),
        "",
        "### Background work",
        "",
        *step_rows(results),
        "",
    ]
    notes = results.get("notes")
    if notes:
        lines += ["### Notes", "", *[f"- {n}" for n in notes], ""]
    # Hand-written analysis below the marker survives a new run (update it when the numbers move).
    kept = ""
    if path.exists() and ANALYSIS_MARKER in path.read_text():
        kept = path.read_text().split(ANALYSIS_MARKER, 1)[1]
    lines += [ANALYSIS_MARKER + kept.rstrip("\n")]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
