"""E-mail notices about reports. Recorded in the outbox with the change (sent after it commits, even
if the broker was down at the time); the task re-reads and sends.

returned → the centre's managers; submitted → the province's reviewers; comment → the other side;
correction requested → the province's reviewers; correction decided → the centre's managers.
"""

from __future__ import annotations

from blkportal.registry import access
from blkportal.registry.models import Role

KINDS = {"submitted", "returned", "comment", "correction_requested", "correction_decided", "approved"}


def centre_managers(centre_id: int):
    return access.users_with_role(Role.MANAGER, centre_id=centre_id)


def province_reviewers(province_id: str):
    return access.users_with_role(Role.REVIEWER, province_id=province_id)


def emails(users, exclude_user_id: int | None = None) -> list[str]:
    return sorted({u.email for u in users if u.email and u.pk != exclude_user_id})


def notice(kind: str, *, report_id: int, actor_id: int | None = None, object_id: int | None = None) -> None:
    """Send a notice after the current transaction commits (never for a rolled-back change)."""
    assert kind in KINDS, kind
    from blkportal.core import outbox

    outbox.enqueue("reporting.tasks.send_report_notice", kind, report_id, actor_id=actor_id, object_id=object_id)
