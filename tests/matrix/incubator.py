"""Permission-matrix rows of the incubator.

Centre A (Jawa Barat) is an incubator with manager_a and mentor_a; centre B (Jawa Timur) is not.
Viewing tenants: the centre's manager and mentor, the reviewer and FKN of Jawa Barat, national
directorate/FKN, admin. Managing tenants: the centre's manager and admin. Logging mentoring: the
centre's manager and mentor, admin. Everyone else gets 404.
"""

import datetime as dt

from tests.matrix import NOT_FOUND, OK, REDIRECT, Row, everyone


def _tenant(w):
    """One tenant of centre A (created on first use in each test)."""
    from incubator.models import Tenant

    tenant = Tenant.objects.filter(centre=w.centre_a).first()
    if tenant is None:
        tenant = Tenant.objects.create(
            centre=w.centre_a,
            owner_name="Pak Darto",
            owner_sex="L",
            business_name="Mebel Jati Darto",
            legal_form="perorangan",
            sector="usaha_kreatif",
            entry_date=dt.date(2024, 1, 1),
            stage_since=dt.date(2024, 1, 1),
        )
    return tenant


def _pk(w):
    return {"pk": _tenant(w).pk}


VIEW_A = {
    "manager_a": OK,
    "mentor_a": OK,
    "reviewer": OK,
    "fkn_jabar": OK,
    "directorate": OK,
    "fkn": OK,
    "admin": OK,
}
MANAGE_A = {"manager_a": OK, "admin": OK}
MENTOR_A = {"manager_a": OK, "mentor_a": OK, "admin": OK}

ROWS = [
    Row("incubator:overview", everyone(OK, norole=NOT_FOUND), note="scope-aware: each sees own incubators"),
    Row("incubator:tenant_list", everyone(OK, norole=NOT_FOUND)),
    Row("incubator:centre_summary", VIEW_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row(
        "incubator:centre_summary",
        {},
        kwargs=lambda w: {"centre_id": w.centre_b.pk},
        note="centre B is not an incubator and has no tenants: 404 for all",
    ),
    Row("incubator:tenant_create", MANAGE_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row(
        "incubator:tenant_create",
        {},
        kwargs=lambda w: {"centre_id": w.centre_b.pk},
        note="no tenants can be registered in a centre that is not an incubator",
    ),
    Row("incubator:tenant_detail", VIEW_A, kwargs=_pk),
    Row("incubator:tenant_edit", MANAGE_A, kwargs=_pk),
    Row("incubator:tenant_stage", MANAGE_A, kwargs=_pk),
    Row("incubator:bantuan_create", MANAGE_A, kwargs=_pk),
    Row("incubator:progress_record", MENTOR_A, kwargs=_pk, note="mentors record progress too (issue 12)"),
    Row("incubator:progress_record", MENTOR_A, kwargs=_pk, query="bulan=2024-02", note="correcting a month"),
    Row("incubator:session_create", MENTOR_A, kwargs=_pk),
    Row(
        "incubator:session_create",
        {"manager_a": REDIRECT, "mentor_a": REDIRECT, "admin": REDIRECT},
        kwargs=_pk,
        method="post",
        data=lambda w: {
            "held_on": "2024-02-01",
            "mentor_name": "Dr. Rina",
            "topic": "Pemasaran",
            "duration_minutes": 60,
        },
        note="a session for a tenant of another centre is a 404; a valid one redirects to the tenant",
    ),
    Row(
        "incubator:progress_record",
        {"manager_a": REDIRECT, "mentor_a": REDIRECT, "admin": REDIRECT},
        kwargs=_pk,
        method="post",
        data=lambda w: {"month": "2024-02", "omzet": "1.000.000", "profit": "100.000", "workers": "1"},
    ),
]
