"""The permission matrix: every URL name × persona × expected status.

Each app keeps its rows in tests/matrix/<app>.py as `ROWS = [Row(...), ...]` so that people working
on different apps do not edit one file. tests/test_permission_matrix.py runs every row and fails
when any URL pattern of the project has no row.

A row names a URL, how to build its kwargs from the `world` fixture, and the expected status for
every persona in tests.conftest.PERSONAS (missing personas default to `default`, usually 404).
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

OK, REDIRECT, NOT_FOUND, NOT_ALLOWED, FORBIDDEN = 200, 302, 404, 405, 403


@dataclass
class Row:
    url_name: str
    expect: dict[str, int]
    kwargs: Callable = lambda w: {}
    method: str = "get"
    data: Callable | None = None  # world -> POST data
    default: int = NOT_FOUND  # status for personas not in `expect`, except anon
    anon: int = REDIRECT  # anonymous users are sent to the login page
    query: str = ""
    content_type: str | None = None  # e.g. "application/json" for API rows
    note: str = ""
    extra: dict = field(default_factory=dict)

    def status_for(self, persona: str) -> int:
        if persona == "anon":
            return self.expect.get("anon", self.anon)
        return self.expect.get(persona, self.default)


def everyone(status: int, **overrides) -> dict[str, int]:
    from tests.conftest import PERSONAS

    result = {p: status for p in PERSONAS if p != "anon"}
    result.update(overrides)
    return result


def all_rows() -> list[Row]:
    rows = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rows.extend(getattr(module, "ROWS", []))
    return rows
