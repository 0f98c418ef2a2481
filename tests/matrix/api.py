"""Permission-matrix rows of the REST API (/api/v1/) and the profile's token pages.

The matrix client signs in with a session; token authentication is tested in tests/api. API answers:
401 without credentials, 404 for what the user may not see (as the pages), 405 for a wrong method.
"""

from tests.matrix import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, everyone

UNAUTHORIZED, CREATED, BAD_REQUEST = 401, 201, 400
JSON = "application/json"
NATIONAL_MANAGERS = {"directorate": OK, "admin": OK}
SIGNED_IN = everyone(OK)


def api(name, expect, **kw):
    kw.setdefault("anon", UNAUTHORIZED)
    return Row(f"api:{name}", expect, **kw)


def centre_payload(w):
    return {
        "reg_code": "BLKK-API-1",
        "name": "BLK Komunitas Matriks",
        "host_name": "Pondok Pesantren Matriks",
        "host_type": "pesantren",
        "regency": "32.04",
        "cohort_year": 2021,
        "activated_on": "2021-05-01",
        "kejuruan": ["teknik-las"],
    }


# Who sees centre A (Jawa Barat) and centre B (Jawa Timur) through view_centre.
SEES_A = {"manager_a": OK, "mentor_a": OK, "reviewer": OK, "fkn_jabar": OK, "directorate": OK, "fkn": OK, "admin": OK}
SEES_B = {"manager_b": OK, "directorate": OK, "fkn": OK, "admin": OK}

ROWS = [
    api("api-root", SIGNED_IN),
    api("me", SIGNED_IN),
    api("schema", SIGNED_IN, note="signed-in users only unless API_DOCS_PUBLIC"),
    api("docs", SIGNED_IN, anon=REDIRECT, note="Swagger UI (own static files); others go to the sign-in page"),
    api("not_found", everyone(NOT_FOUND), anon=NOT_FOUND, kwargs=lambda w: {"rest": "tidak-ada/"}),
    # Reference data: every signed-in user, whatever their role.
    api("province-list", SIGNED_IN),
    api("province-detail", SIGNED_IN, kwargs=lambda w: {"code": "32"}),
    api("province-detail", everyone(NOT_FOUND), kwargs=lambda w: {"code": "99"}, note="no such province"),
    api("regency-list", SIGNED_IN, query="province=32"),
    api("regency-detail", SIGNED_IN, kwargs=lambda w: {"code": "32.04"}),
    api("kejuruan-list", SIGNED_IN),
    api("kejuruan-detail", SIGNED_IN, kwargs=lambda w: {"code": "teknik-las"}),
    api("province-list", everyone(NOT_ALLOWED), method="post", data=lambda w: {"code": "99"}, content_type=JSON),
    # Centres: view_centre scope, as registry:centre_list / centre_detail.
    api("centre-list", everyone(OK, norole=NOT_FOUND)),
    api("centre-detail", SEES_A, kwargs=lambda w: {"pk": w.centre_a.pk}),
    api("centre-detail", SEES_B, kwargs=lambda w: {"pk": w.centre_b.pk}),
    api(
        "centre-list",
        {"directorate": CREATED, "admin": CREATED},
        method="post",
        data=centre_payload,
        content_type=JSON,
        note="create needs manage_centres (directorate, admin); others get 404 as on /blk/baru/",
    ),
    api(
        "centre-detail",
        NATIONAL_MANAGERS,
        method="patch",
        kwargs=lambda w: {"pk": w.centre_a.pk},
        data=lambda w: {"contact_name": "Ibu Sari"},
        content_type=JSON,
        note="manager_a may read but not edit the registry entry of their own centre (as the pages)",
    ),
    api(
        "centre-detail",
        {"directorate": BAD_REQUEST, "admin": BAD_REQUEST},
        method="put",
        kwargs=lambda w: {"pk": w.centre_a.pk},
        data=lambda w: {"name": "Tanpa bidang wajib"},
        content_type=JSON,
        note="PUT replaces the whole entry: missing required fields are refused",
    ),
    api(
        "centre-detail",
        everyone(NOT_ALLOWED),
        method="delete",
        kwargs=lambda w: {"pk": w.centre_a.pk},
        note="centres are deactivated, never deleted (405 for everyone: the method does not exist)",
    ),
    api(
        "centre-deactivate",
        NATIONAL_MANAGERS,
        method="post",
        kwargs=lambda w: {"pk": w.centre_b.pk},
        data=lambda w: {"deactivated_on": "2024-01-31"},
        content_type=JSON,
    ),
    api(
        "centre-deactivate",
        everyone(NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.centre_b.pk},
        note="GET is not an action; a wrong method is 405 before any scope check",
    ),
    # The profile's token pages: each user manages only their own tokens.
    Row("api_tokens:token_list", SIGNED_IN),
    Row(
        "api_tokens:token_list",
        SIGNED_IN,
        method="post",
        data=lambda w: {"name": "skrip matriks"},
        note="creating shows the token on the same response (never in a redirect)",
    ),
    Row(
        "api_tokens:token_revoke",
        everyone(NOT_FOUND, manager_b=REDIRECT),
        method="post",
        kwargs=lambda w: {"pk": _token_of(w, "manager_b")},
        note="a token of manager_b: nobody else can revoke it; manager_b is sent back to the list",
    ),
    Row(
        "api_tokens:token_revoke",
        everyone(NOT_ALLOWED),
        kwargs=lambda w: {"pk": _token_of(w, "manager_b")},
        anon=NOT_ALLOWED,
        note="revoking is POST only",
    ),
]


def _token_of(world, persona):
    from blkportal.api.models import ApiToken
    from blkportal.api.services import token_create

    token = ApiToken.objects.filter(user=world.users[persona], revoked_at__isnull=True).first()
    if token is None:
        token, _ = token_create(by=world.users[persona], name="matriks")
    return token.pk


# --- reporting (/api/v1/reports/, /corrections/, /batches/) -----------------------------------------

CONFLICT = 409
REVIEWS_A = {"manager_a": OK, "reviewer": OK, "fkn_jabar": OK, "directorate": OK, "fkn": OK, "admin": OK}
VIEWS_REPORTS = everyone(OK, norole=NOT_FOUND, mentor_a=NOT_FOUND)
EDITS_A = {"manager_a": OK, "admin": OK}


def _last_month():
    from django.utils import timezone

    from blkportal.core.months import add_months, first_of_month

    return add_months(first_of_month(timezone.localdate()), -1)


def _draft(world):
    """A draft of centre A for last month (created once per test)."""
    from reporting import services

    return services.report_get_or_create_draft(centre=world.centre_a, period=_last_month(), by=world.manager_a)


def _report_id(world):
    return _draft(world).pk


def _line_id(world, kind):
    from reporting import services

    data = LINE_DATA[kind]
    return services.report_line_add(report=_draft(world), by=world.manager_a, kind=kind, data=data).pk


def _correction_id(world):
    """An approved report of centre A with a pending correction request."""
    from reporting import services
    from reporting.models import CorrectionRequest
    from tests.reporting.conftest import fill

    existing = CorrectionRequest.objects.filter(report__centre=world.centre_a).first()
    if existing:
        return existing.pk
    report = fill(_draft(world), world.manager_a)
    report = services.report_submit(report=report, by=world.manager_a).report
    report = services.report_verify(report=report, by=world.reviewer)
    report = services.report_approve(report=report, by=world.directorate)
    return services.correction_request(report=report, by=world.manager_a, reason="Alumni bekerja salah ketik.").pk


def _batch_id(world):
    from reporting.models import TrainingBatch
    from tests.reporting.conftest import make_batch

    existing = TrainingBatch.objects.filter(centre=world.centre_a).first()
    return (existing or make_batch(world.centre_a, _last_month())).pk


LINE_DATA = {
    "partnership": {"partner_name": "PT Maju Las", "partner_type": "dudi"},
    "income": {"source": "pelatihan", "amount": 1500000},
    "product": {"name": "Pagar besi", "units_sold": 3, "revenue": 4500000, "channel": "lokal"},
    "problem": {"category": "sarana", "description": "Mesin las rusak"},
}


def _batch_payload(w):
    import datetime as dt

    start = _last_month() + dt.timedelta(days=2)
    return {
        "centre": w.centre_a.pk,
        "kejuruan": "teknik-las",
        "program_name": "Las matriks",
        "funding_source": "apbn",
        "start_date": f"{start}",
        "end_date": f"{start + dt.timedelta(days=14)}",
        "hours_jp": 120,
        "enrolled_male": 8,
        "enrolled_female": 8,
    }


ROWS += [
    api("report-list", VIEWS_REPORTS),
    api("report-detail", REVIEWS_A, kwargs=lambda w: {"pk": _report_id(w)}),
    api(
        "report-list",
        {"manager_a": CREATED, "admin": CREATED, "manager_b": BAD_REQUEST},
        method="post",
        data=lambda w: {"centre": w.centre_a.pk, "period": f"{_last_month():%Y-%m}"},
        content_type=JSON,
        note="manager_b may edit reports, but centre A is not a choice for them (400 on the field)",
    ),
    api(
        "report-detail",
        EDITS_A,
        method="patch",
        kwargs=lambda w: {"pk": _report_id(w)},
        data=lambda w: {"version": 1, "notes": "Catatan dari skrip"},
        content_type=JSON,
    ),
    api(
        "report-submit",
        {"manager_a": BAD_REQUEST, "admin": BAD_REQUEST},
        method="post",
        kwargs=lambda w: {"pk": _report_id(w)},
        data=lambda w: {},
        content_type=JSON,
        note="an empty draft breaks the hard rules: 400 with a message per field",
    ),
    api(
        "report-verify",
        {"reviewer": CONFLICT, "admin": CONFLICT},
        method="post",
        kwargs=lambda w: {"pk": _report_id(w)},
        data=lambda w: {},
        content_type=JSON,
        note="a draft cannot be verified (409 state); only the province's reviewer gets that far",
    ),
    api(
        "report-approve",
        {"directorate": CONFLICT, "admin": CONFLICT},
        method="post",
        kwargs=lambda w: {"pk": _report_id(w)},
        data=lambda w: {},
        content_type=JSON,
    ),
    api(
        "report-return",
        {"reviewer": CONFLICT, "directorate": CONFLICT, "admin": CONFLICT},
        method="post",
        kwargs=lambda w: {"pk": _report_id(w)},
        data=lambda w: {"reason": "Data alumni belum lengkap."},
        content_type=JSON,
        note="fkn may read the report but does not review it: 404",
    ),
    api(
        "report-correction",
        {"manager_a": CONFLICT, "admin": CONFLICT},
        method="post",
        kwargs=lambda w: {"pk": _report_id(w)},
        data=lambda w: {"reason": "Jumlah alumni salah ketik."},
        content_type=JSON,
        note="only an approved report can be corrected",
    ),
    *[
        api(name, everyone(NOT_ALLOWED), kwargs=lambda w: {"pk": _report_id(w)}, note="actions are POST only")
        for name in ("report-submit", "report-verify", "report-approve", "report-return", "report-correction")
    ],
    api("correction-list", VIEWS_REPORTS),
    api("correction-detail", REVIEWS_A, kwargs=lambda w: {"pk": _correction_id(w)}),
    api(
        "correction-approve",
        {"reviewer": OK, "directorate": OK, "admin": OK},
        method="post",
        kwargs=lambda w: {"pk": _correction_id(w)},
        data=lambda w: {"note": "Silakan koreksi."},
        content_type=JSON,
        note="the centre's reviewers decide; readers (fkn, the manager) get 404",
    ),
    api(
        "correction-reject",
        {"reviewer": OK, "directorate": OK, "admin": OK},
        method="post",
        kwargs=lambda w: {"pk": _correction_id(w)},
        data=lambda w: {"reason": "Angka sudah sesuai bukti."},
        content_type=JSON,
    ),
    api("correction-approve", everyone(NOT_ALLOWED), kwargs=lambda w: {"pk": _correction_id(w)}),
    api("correction-reject", everyone(NOT_ALLOWED), kwargs=lambda w: {"pk": _correction_id(w)}),
    api("batch-list", VIEWS_REPORTS),
    api("batch-detail", REVIEWS_A, kwargs=lambda w: {"pk": _batch_id(w)}),
    api(
        "batch-list",
        {"manager_a": CREATED, "admin": CREATED, "manager_b": BAD_REQUEST},
        method="post",
        data=_batch_payload,
        content_type=JSON,
    ),
    api(
        "batch-detail",
        EDITS_A,
        method="patch",
        kwargs=lambda w: {"pk": _batch_id(w)},
        data=lambda w: {"program_name": "Las listrik lanjutan"},
        content_type=JSON,
    ),
    api("batch-detail", {"manager_a": 204, "admin": 204}, method="delete", kwargs=lambda w: {"pk": _batch_id(w)}),
]
for _kind in LINE_DATA:
    ROWS += [
        api(
            f"report-add-{_kind}",
            {"manager_a": CREATED, "admin": CREATED},
            method="post",
            kwargs=lambda w: {"pk": _report_id(w)},
            data=lambda w, k=_kind: LINE_DATA[k],
            content_type=JSON,
        ),
        api(
            f"report-remove-{_kind}",
            {"manager_a": 204, "admin": 204},
            method="delete",
            kwargs=lambda w, k=_kind: {"pk": _report_id(w), "line_id": _line_id(w, k)},
        ),
    ]


# --- incubator (/api/v1/tenants/) ------------------------------------------------------------------


def _tenant_id(world):
    from incubator import services
    from incubator.models import Tenant
    from tests.incubator.conftest import tenant_data

    existing = Tenant.objects.filter(centre=world.centre_a).first()
    if existing:
        return existing.pk
    return services.tenant_register(centre=world.centre_a, data=tenant_data(), by=world.manager_a)[0].pk


TENANT_VIEW_A = {**REVIEWS_A, "mentor_a": OK}
MANAGE_TENANTS_A = {"manager_a": CREATED, "admin": CREATED}

ROWS += [
    api("tenant-list", everyone(OK, norole=NOT_FOUND)),
    api("tenant-detail", TENANT_VIEW_A, kwargs=lambda w: {"pk": _tenant_id(w)}),
    api(
        "tenant-list",
        {**MANAGE_TENANTS_A, "manager_b": BAD_REQUEST},
        method="post",
        data=lambda w: {
            "centre": w.centre_a.pk,
            "owner_name": "Ibu Matriks",
            "owner_sex": "P",
            "business_name": "Batik Matriks",
            "legal_form": "perorangan",
            "sector": "usaha_kreatif",
            "entry_date": "2024-01-15",
        },
        content_type=JSON,
        note="manager_b manages tenants, but centre A is not a choice for them",
    ),
    api(
        "tenant-detail",
        EDITS_A,
        method="patch",
        kwargs=lambda w: {"pk": _tenant_id(w)},
        data=lambda w: {"has_nib": True},
        content_type=JSON,
    ),
    api(
        "tenant-stage",
        MANAGE_TENANTS_A,
        method="post",
        kwargs=lambda w: {"pk": _tenant_id(w)},
        data=lambda w: {"to_stage": "inkubasi", "changed_on": "2024-02-01"},
        content_type=JSON,
    ),
    api(
        "tenant-bantuan",
        MANAGE_TENANTS_A,
        method="post",
        kwargs=lambda w: {"pk": _tenant_id(w)},
        data=lambda w: {"kind": "tkm_pemula", "amount": 10000000, "received_on": "2024-02-01", "source": "Kemnaker"},
        content_type=JSON,
    ),
    api(
        "tenant-progress",
        {**MANAGE_TENANTS_A, "mentor_a": CREATED},
        note="managers and mentors record monthly progress (as incubator:progress_record)",
        method="post",
        kwargs=lambda w: {"pk": _tenant_id(w)},
        data=lambda w: {"month": "2024-02", "omzet": 2500000, "profit": 500000, "workers": 1},
        content_type=JSON,
    ),
    api(
        "tenant-sessions",
        {**MANAGE_TENANTS_A, "mentor_a": CREATED},
        method="post",
        kwargs=lambda w: {"pk": _tenant_id(w)},
        data=lambda w: {
            "held_on": "2024-02-10",
            "topic": "Pemasaran daring",
            "duration_minutes": 60,
            "mentor_name": "X",
        },
        content_type=JSON,
        note="the centre's manager and mentor log mentoring (as incubator:session_create)",
    ),
    *[
        api(name, everyone(NOT_ALLOWED), kwargs=lambda w: {"pk": _tenant_id(w)}, note="actions are POST only")
        for name in ("tenant-stage", "tenant-bantuan", "tenant-progress", "tenant-sessions")
    ],
]


# --- monitoring (/api/v1/indicators/, /facts/, /rankings/, /exports/) ------------------------------

DASHBOARD_USERS = everyone(OK, norole=NOT_FOUND, mentor_a=NOT_FOUND)
SEES_RANK_A = {"manager_a": OK, "reviewer": OK, "fkn_jabar": OK, "directorate": OK, "fkn": OK, "admin": OK}


def _snapshot_id(world):
    from monitoring import services
    from monitoring.models import RankingSnapshot

    existing = RankingSnapshot.objects.first()
    if existing:
        return existing.pk
    rules = {"window_months": 3, "min_verified_months": 1, "peer_by_cohort": False, "peer_by_kejuruan": False}
    _draft(world)  # facts start with the earliest report's month
    services.facts_rebuild()  # an entry per expected centre
    version = services.ranking_scheme_create(
        by=world.directorate, name="Matriks", data=rules, weights={"reporting_rate": 100}
    )
    return services.ranking_compute(version=version, period=_last_month()).pk


def _export_id(world):
    """A finished CSV export of manager_a (run in process, as the worker would)."""
    from monitoring import services_exports
    from monitoring.models import ExportJob

    existing = ExportJob.objects.filter(owner=world.manager_a).first()
    if existing:
        return existing.pk
    job = services_exports.export_request(by=world.manager_a, kind="batches", file_format="csv", parameters={})
    services_exports.export_run(job_id=job.pk)
    return job.pk


ROWS += [
    api("indicator-list", DASHBOARD_USERS),
    api("fact-list", DASHBOARD_USERS, note="each sees the facts of their own scope"),
    api("fact-regions", DASHBOARD_USERS),
    api("fact-trend", DASHBOARD_USERS),
    api(
        "fact-regions",
        {"reviewer": OK, "fkn_jabar": OK, "directorate": OK, "fkn": OK, "admin": OK},
        query="province=32",
        note="a province as a whole: national users and those of the province (as monitoring:dashboard_province)",
    ),
    api("ranking-list", DASHBOARD_USERS),
    api("ranking-entries", DASHBOARD_USERS, kwargs=lambda w: {"pk": _snapshot_id(w)}),
    api("ranking-breakdown", SEES_RANK_A, kwargs=lambda w: {"pk": _snapshot_id(w), "centre": w.centre_a.pk}),
    api("export-list", DASHBOARD_USERS, note="each user's own jobs"),
    api(
        "export-list",
        everyone(CREATED, norole=NOT_FOUND, mentor_a=NOT_FOUND),
        method="post",
        data=lambda w: {"kind": "batches", "file_format": "csv"},
        content_type=JSON,
    ),
    api("export-detail", {"manager_a": OK}, kwargs=lambda w: {"pk": _export_id(w)}, note="the owner only"),
    api("export-download", {"manager_a": OK}, kwargs=lambda w: {"pk": _export_id(w)}, note="the owner only"),
]
