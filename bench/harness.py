"""The benchmark proper (called by bench/run.sh after migrate and seed_demo).

    python bench/harness.py            run everything, write bench/results/<stamp>.json and docs/benchmarks.md
                                     (BENCH_SCALE=large: bench/results/large-<stamp>.json and
                                     docs/benchmarks-large.md)
    python bench/harness.py STEP       run one in-process step and print its JSON (used by the above, so
                                     each step runs in a fresh process and its peak memory is its own)

Steps: export, bare, facts, ranking, freshness. The pages are measured over HTTP with wrk against
gunicorn (2 workers) with 16 connections, floor first and last, in one run.
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
# For trying the harness out: BENCH_SKIP=facts,export skips those steps (a real run skips none).
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
# national (docs/benchmarks.md) or large (docs/benchmarks-large.md); set by bench/run.sh from SCALE.
SCALE = os.environ.get("BENCH_SCALE", "national")

import django  # noqa: E402

django.setup()

from bench import steps  # noqa: E402
from bench.report import report_path, write_report  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_step(name: str, timeout: int = 600) -> dict:
    """Run one step in a fresh interpreter; its peak RSS is measured there."""
    if name in SKIP:
        return {"skipped": "BENCH_SKIP"}
    started = time.monotonic()
    proc = subprocess.run(
        [str(BIN / "python"), str(ROOT / "bench" / "harness.py"), name],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
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


def measure_pages(cookie: str) -> list[dict]:
    pages = steps.pages()
    base = f"http://127.0.0.1:{PORT}"
    ordered = [pages[0], *pages[1:], {**pages[0], "key": "floor_again", "label": pages[0]["label"] + " (again)"}]
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
        result = wrk(url, cookie)
        results.append({**page, **result, "bytes": len(body.encode())})
        log(f"{page['label']}: {result['rps']:.1f} req/s, p95 {result['p95_ms']:.1f} ms, non-2xx {result['non_2xx']}")
    return results


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
        log(f"pages: wrk -c{CONNECTIONS} -d{SECONDS}s against gunicorn (2 workers)")
        results["pages"] = measure_pages(cookie)
        log("freshness: approval -> dashboard, real worker")
        results["freshness"] = run_step("freshness", timeout=180)
        log(f"freshness: {results['freshness']}")
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
    report = report_path(SCALE)
    write_report(results, ROOT / report)
    log(f"results: {out.relative_to(ROOT)} and {report} ({results['total_seconds']} s)")


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
