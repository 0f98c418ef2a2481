"""The curl and Python examples of docs/api.md run against a live server, so the docs stay true.

A fenced ```sh or ```python block runs as written, with BLK_API and BLK_TOKEN set; an HTML comment
`<!-- run-as: persona -->` right before it picks whose token (default: directorate). ```json blocks
and the `export` block are illustration only. Blocks run in document order within one database, so
a later example may use what an earlier one created, as a reader following along would.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from blkportal.api import services as api_services

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
# A Python example runs at the moment the live server is at (the suite's clock, not the real date:
# "last month" must be the same month for the script and the server), as a manager in Jakarta would.
AT_SERVER_TIME = (
    "import datetime, sys, time_machine\n"
    "time_machine.travel(datetime.datetime.fromisoformat(sys.argv[2]), tick=True).start()\n"
    "code, sys.argv = sys.argv[1], ['-c']\n"
    "exec(compile(code, 'docs/api.md', 'exec'), {'__name__': '__main__'})\n"
)
BLOCK = re.compile(r"(?:<!-- run-as: (?P<persona>\w+) -->\n)?```(?P<lang>sh|python)\n(?P<code>.*?)```", re.S)


def examples():
    found = []
    for match in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        code = match["code"]
        if code.lstrip().startswith("export "):
            continue  # the set-up block: the test sets the variables itself
        line = DOC.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
        found.append((line, match["lang"], match["persona"] or "directorate", code))
    return found


def test_docs_have_runnable_examples_in_both_languages():
    langs = {lang for _, lang, _, _ in examples()}
    assert langs == {"sh", "python"}
    assert len(examples()) >= 6


def test_docs_examples_run_green(live_server, world):
    tokens = {}
    env_base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env_base["BLK_API"] = f"{live_server.url}/api/v1"
    env_base["TZ"] = "Asia/Jakarta"
    failures = []
    for line, lang, persona, code in examples():
        if persona not in tokens:
            tokens[persona] = api_services.token_create(by=world.users[persona], name="docs")[1]
        env = {**env_base, "BLK_TOKEN": tokens[persona]}
        if lang == "sh":
            command = ["bash", "-euo", "pipefail", "-c", code]
        else:
            now = timezone.now().isoformat()
            command = [sys.executable, "-c", AT_SERVER_TIME, code, now]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            failures.append(
                f"docs/api.md line {line} ({lang}, as {persona}) exited {done.returncode}:\n"
                f"{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
            )
    assert not failures, "\n\n".join(failures)
