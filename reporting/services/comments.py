"""The conversation on a report between the centre, its reviewers and FKN coordinators in scope."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.access import Perm

from .. import notify
from ..models import Report, ReportComment
from ._common import require

MAX_LENGTH = 2000


@transaction.atomic
def comment_add(*, report: Report, by, body: str) -> ReportComment:
    """Add a comment; the other side gets an e-mail notice. Comments stay with the report."""
    require(by, Perm.COMMENT_REPORTS, report.centre)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Komentar tidak boleh kosong."), field="body")
    if len(body) > MAX_LENGTH:
        raise DomainError(_("Komentar paling panjang %(n)s karakter.") % {"n": MAX_LENGTH}, field="body")
    from_centre = access.user_can_on_centre(by, Perm.EDIT_REPORTS, report.centre) and not access.is_national(
        by, Perm.EDIT_REPORTS
    )
    comment = ReportComment.objects.create(report=report, author=by, body=body, from_centre=from_centre)
    notify.notice("comment", report_id=report.pk, actor_id=by.pk, object_id=comment.pk)
    return comment
