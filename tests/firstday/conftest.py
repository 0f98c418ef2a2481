"""Issue 12's tests reuse the reporting helpers (a month that can be submitted, filled reports)."""

from tests.reporting.conftest import draft, filled, last_month, submitted  # noqa: F401
