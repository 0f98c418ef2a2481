"""Home-page panels: the manager's to-do list and the reviewer's queue."""

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.contributions import HOME, Panel
from blkportal.registry import access
from blkportal.registry.access import Perm

from . import deadlines, selectors
from .models import Report
from .policy import EDITABLE

MAX_CENTRES = 5


@HOME.provider
def panels(request):
    user = request.user
    result = []
    edit = access.scope_for(user, Perm.EDIT_REPORTS)
    if edit.centre_ids and not edit.national:
        result.append(_manager_panel(user))
    if access.has_perm(user, Perm.VERIFY_REPORTS) or access.has_perm(user, Perm.APPROVE_REPORTS):
        result.append(_reviewer_panel(user))
    return result


def manager_todo(user, now=None) -> list[dict]:
    """Per centre: months due or late (days left in the centre's zone), returned reports with the
    reason, and warnings still to explain."""
    now = now or months.now()
    todo = []
    centres = list(
        access.centres_for(user, Perm.EDIT_REPORTS).select_related("province").order_by("name", "pk")[:MAX_CENTRES]
    )
    currents = {c.pk: months.current_period(c, now) for c in centres}
    recent = defaultdict(dict)  # centre id -> {period: report}, one query for every centre shown
    if centres:
        oldest = months.add_months(min(currents.values()), -6)
        for r in Report.objects.filter(centre__in=[c.pk for c in centres], period__gte=oldest):
            if r.period >= months.add_months(currents[r.centre_id], -6):
                recent[r.centre_id][r.period] = r
    for centre in centres:
        current = currents[centre.pk]
        start = months.add_months(current, -2)
        reports = recent[centre.pk]
        due = []
        # The months still open for filing whose report is not in yet (last month and, if late, older).
        for back in range(0, 3):
            p = months.add_months(current, -back)
            if p < start or not deadlines.is_expected(centre, p):
                continue
            report = reports.get(p)
            if report is not None and report.first_submitted_at is not None:
                continue
            if now > months.lock_moment_for(centre, p) and not (report and report.unlocked_until):
                continue
            due.append(
                {
                    "period": p,
                    "report": report,
                    "days_left": months.days_until_deadline(centre, p, now),
                    "deadline": months.deadline_for(centre, p),
                    "open": months.is_open_for_submission(centre, p, now),
                }
            )
        returned = [r for r in reports.values() if r.status == Report.Status.RETURNED]
        warnings = [
            r for r in reports.values() if r.status in EDITABLE and r.warnings and not r.warning_explanation.strip()
        ]
        corrections = [r for r in reports.values() if r.status == Report.Status.DRAFT and r.unlocked_until]
        todo.append(
            {
                "centre": centre,
                "due": due,
                "returned": sorted(returned, key=lambda r: r.period),
                "warnings": warnings,
                "reopened": corrections,
            }
        )
    return todo


def _manager_panel(user):
    return Panel(
        template="reporting/_home_manager.html",
        order=10,
        wide=True,
        context={"title": _("Yang perlu Anda kerjakan"), "todo": manager_todo(user)},
    )


def _reviewer_panel(user):
    scope_qs = access.filter_by_scope(Report.objects.all(), user, Perm.VIEW_REPORTS)
    counts = dict(
        scope_qs.filter(status__in=[Report.Status.SUBMITTED, Report.Status.VERIFIED])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    status = selectors.default_queue_status(user) or Report.Status.SUBMITTED
    waiting = list(
        selectors.report_qs()
        .filter(pk__in=scope_qs.filter(status=status).values("pk"))
        .order_by("last_submitted_at", "pk")[:5]
    )
    return Panel(
        template="reporting/_home_reviewer.html",
        order=15,
        context={
            "title": _("Antrean verifikasi"),
            "submitted": counts.get(Report.Status.SUBMITTED, 0),
            "verified": counts.get(Report.Status.VERIFIED, 0),
            "status": status,
            "waiting": waiting,
            "overdue_period": selectors.latest_due_period(),
            "can_overdue": access.has_perm(user, Perm.VIEW_OVERDUE),
        },
    )
