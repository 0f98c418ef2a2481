"""Permission-matrix rows of the dashboards and rankings (monitoring/urls.py; exports have their own
rows in monitoring_exports.py).

Dashboards: national users see everything, a reviewer or provincial FKN their province, a manager
their own centre (the national page redirects them there); mentors hold no view_dashboard.
Rankings: everyone with view_rankings reads (a manager only their own row); only national FKN,
directorate and admin edit schemes.
"""

import datetime as dt

from tests.matrix import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, everyone

NATIONAL = {"directorate": OK, "fkn": OK, "admin": OK}
JABAR = {**NATIONAL, "reviewer": OK, "fkn_jabar": OK}
RANKING_READERS = {**JABAR, "manager_a": OK, "manager_b": OK}
RANKING_EDITORS = {"directorate": OK, "fkn": OK, "admin": OK}
# The ranking page's "Ekspor ke Excel": everyone who reads rankings and exports data is sent to the
# export page with a queued job.
RANKING_EXPORTERS = dict.fromkeys(RANKING_READERS, REDIRECT)


def _ranked(world):
    """A default scheme with a live snapshot for March 2024 (centre A approved)."""
    if getattr(world, "snapshot", None) is None:
        from django.test import override_settings

        from monitoring import services
        from tests.monitoring.conftest import report

        # Facts (and so ranking entries) exist only from the monitoring start: March 2024 is monitored.
        with override_settings(MONITORING_FIRST_MONTH="2024-01"):
            report(world.centre_a, dt.date(2024, 3, 1), "approved")
            services.facts_rebuild()
            version = services.ranking_scheme_create(
                by=world.directorate,
                name="Matriks",
                data={"window_months": 3, "min_verified_months": 1, "peer_by_cohort": True, "peer_by_kejuruan": False},
                weights={"reporting_rate": 100},
            )
            world.version = version
            world.snapshot = services.ranking_compute(version=version, period=dt.date(2024, 3, 1))
    return world


ROWS = [
    Row(
        "monitoring:dashboard",
        {**JABAR, "manager_a": REDIRECT, "manager_b": REDIRECT},
        note="a manager is sent to their centre's dashboard; mentors have no dashboard",
    ),
    Row(
        "monitoring:dashboard",
        {**JABAR, "manager_a": REDIRECT, "manager_b": REDIRECT},
        query="month=2024-13&kejuruan=tidak-ada",
        note="bad filters: a message beside the field, not a 500",
    ),
    Row("monitoring:methodology", everyone(OK), note="the methodology is public to every signed-in user"),
    Row("monitoring:dashboard_province", JABAR, kwargs=lambda w: {"code": "32"}),
    Row("monitoring:dashboard_province", NATIONAL, kwargs=lambda w: {"code": "35"}, note="reviewer is Jawa Barat"),
    Row("monitoring:dashboard_province", {}, kwargs=lambda w: {"code": "99"}, note="unknown province: 404"),
    Row("monitoring:dashboard_regency", JABAR, kwargs=lambda w: {"code": "32.04"}),
    Row("monitoring:dashboard_regency", NATIONAL, kwargs=lambda w: {"code": "35.07"}),
    Row("monitoring:dashboard_centre", {**JABAR, "manager_a": OK}, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row("monitoring:dashboard_centre", {**NATIONAL, "manager_b": OK}, kwargs=lambda w: {"centre_id": w.centre_b.pk}),
    Row("monitoring:ranking_list", RANKING_READERS, kwargs=lambda w: _ranked(w) and {}, note="with a snapshot"),
    Row("monitoring:ranking_list", RANKING_READERS, query="snapshot=999999&province=99&cohort_year=abc"),
    Row(
        "monitoring:ranking_why",
        {**JABAR, "manager_a": OK},
        kwargs=lambda w: {"snapshot": _ranked(w).snapshot.pk, "centre_id": w.centre_a.pk},
        note="manager_b and mentors cannot see centre A's breakdown",
    ),
    Row(
        "monitoring:ranking_why",
        {**NATIONAL, "manager_b": OK},
        kwargs=lambda w: {"snapshot": _ranked(w).snapshot.pk, "centre_id": w.centre_b.pk},
    ),
    Row("monitoring:scheme_list", RANKING_READERS),
    Row("monitoring:scheme_detail", RANKING_READERS, kwargs=lambda w: {"pk": _ranked(w).version.scheme_id}),
    Row("monitoring:version_detail", RANKING_READERS, kwargs=lambda w: {"pk": _ranked(w).version.pk}),
    Row("monitoring:scheme_create", RANKING_EDITORS, note="provincial FKN reads but does not edit"),
    Row(
        "monitoring:scheme_create",
        RANKING_EDITORS,
        method="post",
        data=lambda w: {"name": "Baru", "window_months": 12, "min_verified_months": 6, "weight_reporting_rate": 90},
        note="weights adding up to 90 % re-render the form with a message",
    ),
    Row("monitoring:scheme_edit", RANKING_EDITORS, kwargs=lambda w: {"pk": _ranked(w).version.scheme_id}),
    Row(
        "monitoring:ranking_recompute",
        {"directorate": NOT_ALLOWED, "fkn": NOT_ALLOWED, "admin": NOT_ALLOWED},
        kwargs=lambda w: {"pk": _ranked(w).version.scheme_id},
        default=NOT_ALLOWED,
        anon=NOT_ALLOWED,
        note="GET is refused",
    ),
    Row(
        "monitoring:ranking_recompute",
        {"directorate": REDIRECT, "fkn": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _ranked(w).version.scheme_id},
        method="post",
        default=NOT_FOUND,
    ),
    Row(
        "monitoring:ranking_export",
        {},
        kwargs=lambda w: _ranked(w) and {},
        default=NOT_ALLOWED,
        anon=NOT_ALLOWED,
        note="GET is refused: the button posts",
    ),
    Row(
        "monitoring:ranking_export",
        RANKING_EXPORTERS,
        kwargs=lambda w: _ranked(w) and {},
        method="post",
        note="a job for the snapshot shown, within the user's scope; mentors hold neither permission",
    ),
    Row(
        "monitoring:ranking_export",
        {"manager_b": REDIRECT, "directorate": REDIRECT, "fkn": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: _ranked(w) and {},
        method="post",
        query="province=35",
        note="Jawa Timur: 404 for the Jawa Barat reviewer, coordinator and manager",
    ),
]
