"""The benchmark proper (called by bench/run.sh after migrate and seed_demo).

    python bench/harness.py            run everything, write bench/results/<stamp>.json and docs/benchmarks.md
                                     (BENCH_SCALE=large: bench/results/large-<stamp>.json and
                                     docs/benchmarks-large.md)
    python bench/harness.py STEP       run one in-process step and print its JSON (used by the above, so
                                     each step runs in a fresh process and its peak memory is its own)

Steps: facts, ranking, pages, freshness, autosave, bare, export, import. The pages are measured over
HTTP with wrk against gunicorn (2 workers) with 16 connections, floor first and last, in one run;
autosave (bench/autosave.py) runs against the same gunicorn after them.

    BENCH_SKIP=facts,export        skip those steps (for trying the harness out; a real run skips none)
    BENCH_ONLY=autosave            run only those steps; the floor page is still measured (first and
                                   last) whenever the pages are not, as the reference for autosave
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blkportal.settings")
os.environ.setdefault("BENCH_FLOOR_PAGE", "1")  # mounts the floor page (monitoring:bench_floor)
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CONNECTIONS = 16
BENCH_USER = "bench-direktorat"
# For trying the harness out: BENCH_SKIP=facts,export skips those steps (a real run skips none);
# BENCH_ONLY=autosave runs only the steps listed.
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))


def wanted(name: str) -> bool:
    return name not in SKIP and (not ONLY or name in ONLY)


# national (docs/benchmarks.md) or large (docs/benchmarks-large.md); set by bench/run.sh from SCALE.
SCALE = os.environ.get("BENCH_SCALE", "national")

import django  # noqa: E402

django.setup()

from bench import steps  # noqa: E402
from bench.autosave import CpuMeter  # noqa: E402
from bench.report import report_path, write_report  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_step(name: str, timeout: int = 600, env: dict | None = None) -> dict:
    """Run one step in a fresh interpreter; its peak RSS is measured there."""
    if not wanted(name):
        return {"skipped": "BENCH_SKIP" if name in SKIP else "BENCH_ONLY"}
    started = time.monotonic()
    proc = subprocess.run(
        [str(BIN / "python"), str(ROOT / "bench" / "harness.py"), name],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    if proc.returncode != 0:
        log(f"step {name} failed:\n{proc.stderr[-3000:]}")
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.setdefault("wall_seconds", round(time.monotonic() - started, 2))
    return result


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def fetch(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wrk(url: str, cookie: str) -> dict:
    cmd = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 60)
    line = next(line for line in reversed(proc.stdout.splitlines()) if line.startswith("{"))
    return json.loads(line)


def start_gunicorn() -> subprocess.Popen:
    cmd = [
        str(BIN / "gunicorn"),
        "blkportal.wsgi:application",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    wait_for(f"http://127.0.0.1:{PORT}/sehat/")
    return proc


def stop(proc: subprocess.Popen | None) -> None:
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def floor_again(floor: dict) -> dict:
    return {**floor, "key": "floor_again", "label": floor["label"] + " (again)"}


def measure_pages(cookie: str, only_floor: bool = False, gunicorn_pid: int | None = None) -> list[dict]:
    pages = steps.pages()
    base = f"http://127.0.0.1:{PORT}"
    ordered = [pages[0]] if only_floor else [pages[0], *pages[1:], floor_again(pages[0])]
    results = []
    for page in ordered:
        if not page.get("path"):
            results.append({**page, "skipped": page.get("why", "not built")})
            log(f"{page['label']}: skipped ({page.get('why')})")
            continue
        url = base + page["path"]
        status, body = fetch(url, cookie)
        if status != 200:
            results.append({**page, "skipped": f"HTTP {status}"})
            log(f"{page['label']}: HTTP {status}, skipped")
            continue
        for _ in range(3):  # warm the workers' caches and connections
            fetch(url, cookie)
        meter = CpuMeter(gunicorn_pid)
        meter.start()
        result = wrk(url, cookie)
        cpu = meter.stop()
        for key in ("web", "db"):
            if cpu[f"{key}_cpu_seconds"] is not None and result["requests"]:
                result[f"{key}_cpu_ms_per_request"] = round(1000 * cpu[f"{key}_cpu_seconds"] / result["requests"], 2)
        results.append({**page, **result, "bytes": len(body.encode())})
        log(f"{page['label']}: {result['rps']:.1f} req/s, p95 {result['p95_ms']:.1f} ms, non-2xx {result['non_2xx']}")
    return results


def autosave_line(result: dict) -> str:
    if "target" not in result:
        return str(result)
    t, sat, check = result["target"], result["saturated"], result.get("check", {})
    return (
        f"{result['managers']} managers; at {t['target_rate']:.0f}/s: {t['rate']:.1f} saves/s, p95 {t['p95_ms']} ms, "
        f"errors {t['errors']}; saturated {sat['rate']:.1f} saves/s (p95 {sat['p95_ms']} ms, errors {sat['errors']}); "
        f"lost {check.get('lost_saves')}; queries/save {result.get('queries', {}).get('statements')}; "
        f"CPU/save web {t.get('web_cpu_ms_per_save')} ms, PostgreSQL {t.get('db_cpu_ms_per_save')} ms"
    )


def main() -> None:
    total_started = time.monotonic()
    results: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "seconds_per_load_run": SECONDS,
        "scale": SCALE,
        "database": os.environ.get("BENCH_DB", ""),
    }
    if os.environ.get("BENCH_SEED_SECONDS"):
        results["seed_seconds"] = int(os.environ["BENCH_SEED_SECONDS"])
    results["machine"] = steps.machine()
    results["load_average_start"] = [round(x, 2) for x in os.getloadavg()]
    results["data"] = steps.data_size()
    log(f"data: {results['data']}")
    cookie = steps.session_cookie(BENCH_USER)

    # Facts first: the dashboards read them.
    log("facts: full rebuild")
    results["facts"] = run_step("facts")
    log(f"facts: {results['facts']}")
    log("ranking: recompute")
    results["ranking"] = run_step("ranking")
    log(f"ranking: {results['ranking']}")

    gunicorn = start_gunicorn()
    try:
        # Without the pages (BENCH_ONLY=autosave) the floor alone is measured, first and last: the
        # reference autosave's capacity is compared with.
        only_floor = not wanted("pages")
        what = "floor page" if only_floor else "pages"
        log(f"{what}: wrk -c{CONNECTIONS} -d{SECONDS}s against gunicorn (2 workers)")
        results["pages"] = measure_pages(cookie, only_floor=only_floor, gunicorn_pid=gunicorn.pid)
        log("freshness: approval -> dashboard, real worker")
        results["freshness"] = run_step("freshness", timeout=180)
        log(f"freshness: {results['freshness']}")
        log("autosave: managers on their own drafts, open-loop at the target rate, then saturated")
        results["autosave"] = run_step(
            "autosave", timeout=300 + 3 * SECONDS, env={"BENCH_GUNICORN_PID": str(gunicorn.pid)}
        )
        log(f"autosave: {autosave_line(results['autosave'])}")
        if only_floor:
            results["pages"] += measure_pages(cookie, only_floor=True, gunicorn_pid=gunicorn.pid)
            results["pages"][-1] = floor_again(results["pages"][-1])
    finally:
        stop(gunicorn)

    log("export: full reports export vs a bare openpyxl loop over the same rows")
    export_timeout = 900 if SCALE == "national" else 3600
    results["bare"] = run_step("bare", timeout=export_timeout)
    log(f"bare: {results['bare']}")
    results["export"] = run_step("export", timeout=export_timeout)
    log(f"export: {results['export']}")
    if SCALE != "national":
        log("export, split: the same export with a lowered per-sheet limit (BENCH_SPLIT_ROWS)")
        results["export_split"] = run_step("export_split", timeout=export_timeout)
        log(f"export split: {results['export_split']}")

    log("import: registry file of 2,127 centres, dry run and application")
    results["import"] = run_step("import", timeout=600)
    log(f"import: {results['import']}")

    results["total_seconds"] = round(time.monotonic() - total_started, 1)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results" / (f"{stamp}.json" if SCALE == "national" else f"{SCALE}-{stamp}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    # A partial run (BENCH_ONLY / BENCH_SKIP) does not replace the full run's report.
    full = ROOT / report_path(SCALE)
    doc = full if not (ONLY or SKIP) else out.with_suffix(".md")
    if doc != full and full.exists():
        doc.write_text(full.read_text())  # keeps the hand-written analysis
    write_report(results, doc)
    log(f"results: {out.relative_to(ROOT)} and {doc.relative_to(ROOT)} ({results['total_seconds']} s)")


def single(step: str) -> None:
    started = time.monotonic()
    result = getattr(steps, f"step_{step}")()
    result.setdefault("seconds", round(time.monotonic() - started, 2))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    # CPU time of this process (PostgreSQL's work is not in it): steadier than wall time on a busy machine.
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        single(sys.argv[1])
    else:
        main()
