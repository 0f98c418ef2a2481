from tests.matrix import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, everyone

NATIONAL_MANAGERS = {"directorate": OK, "admin": OK}


def _import_job(w, kind="centres", owner="directorate", params=None):
    import datetime as dt

    from django.utils import timezone

    from blkportal.core.models import ImportJob

    return ImportJob.objects.create(
        kind=kind,
        owner=w.users[owner],
        file_name="registri.xlsx",
        params=params(w) if params else {},
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )


def _batch_params(w):
    return {"centre_id": w.centre_a.pk}


ROWS = [
    Row("home", everyone(OK), anon=REDIRECT),
    Row("health", everyone(OK), anon=OK),
    Row("favicon", everyone(301), anon=301, note="permanent redirect to the static icon"),
    Row("login", everyone(REDIRECT), anon=OK, note="signed-in users are sent home"),
    Row("logout", everyone(NOT_ALLOWED), anon=NOT_ALLOWED, note="logout is POST only"),
    Row("password_change", everyone(OK)),
    Row("password_change_done", everyone(OK)),
    Row("password_reset", everyone(OK), anon=OK),
    Row("password_reset_done", everyone(OK), anon=OK),
    Row(
        "password_reset_confirm",
        everyone(OK),
        anon=OK,
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
        note="an invalid link renders a page saying so",
    ),
    Row("password_reset_complete", everyone(OK), anon=OK),
    Row("set_language", everyone(REDIRECT), anon=REDIRECT, method="post", data=lambda w: {"language": "en"}),
    Row("registry:centre_list", everyone(OK, norole=NOT_FOUND)),
    Row(
        "registry:centre_detail",
        {
            "manager_a": OK,
            "mentor_a": OK,
            "reviewer": OK,
            "fkn_jabar": OK,
            "directorate": OK,
            "fkn": OK,
            "admin": OK,
        },
        kwargs=lambda w: {"centre_id": w.centre_a.pk},
        note="centre A is in Jawa Barat; manager_b and others outside get 404",
    ),
    Row(
        "registry:centre_detail",
        {"manager_b": OK, "directorate": OK, "fkn": OK, "admin": OK},
        kwargs=lambda w: {"centre_id": w.centre_b.pk},
    ),
    Row("registry:centre_create", NATIONAL_MANAGERS),
    Row("registry:centre_import", NATIONAL_MANAGERS),
    Row("registry:centre_import_template", NATIONAL_MANAGERS),
    Row(
        "registry:import_job",
        {"directorate": OK},
        kwargs=lambda w: {"job_id": _import_job(w).pk},
        note="an import job is its owner's alone: every other user, the administrator included, gets 404",
    ),
    Row(
        "registry:import_confirm",
        {"directorate": REDIRECT},
        kwargs=lambda w: {"job_id": _import_job(w).pk},
        method="post",
        data=lambda w: {"confirm": "on"},
        note="the owner is sent back to the job page (which says why nothing was applied)",
    ),
    # The other kinds of import share the job pages; each job is still its owner's alone.
    Row("registry:import_job", {"directorate": OK}, kwargs=lambda w: {"job_id": _import_job(w, "accounts").pk}),
    Row("registry:import_job", {"admin": OK}, kwargs=lambda w: {"job_id": _import_job(w, "history", "admin").pk}),
    Row(
        "registry:import_job",
        {"manager_a": OK},
        kwargs=lambda w: {"job_id": _import_job(w, "batches", "manager_a", _batch_params).pk},
        note="a centre's batch import: its owner, while still editing that centre",
    ),
    Row(
        "registry:import_confirm",
        {"manager_a": REDIRECT},
        kwargs=lambda w: {"job_id": _import_job(w, "batches", "manager_a", _batch_params).pk},
        method="post",
        data=lambda w: {"confirm": "on"},
    ),
    Row(
        "registry:import_list",
        {"manager_a": OK, "manager_b": OK, "directorate": OK, "admin": OK},
        note="lists the imports the user may run: centres and accounts (directorate), history (admin), a "
        "centre's batches (its managers); nobody else has any",
    ),
    Row("registry:user_import", NATIONAL_MANAGERS),
    Row("registry:user_import_template", NATIONAL_MANAGERS),
    Row("registry:centre_edit", NATIONAL_MANAGERS, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row("registry:centre_deactivate", NATIONAL_MANAGERS, kwargs=lambda w: {"centre_id": w.centre_b.pk}),
    Row("registry:user_list", NATIONAL_MANAGERS),
    Row("registry:user_create", NATIONAL_MANAGERS),
    Row("registry:user_edit", NATIONAL_MANAGERS, kwargs=lambda w: {"pk": w.manager_a.pk}),
    Row(
        "registry:role_revoke",
        {**NATIONAL_MANAGERS, "directorate": NOT_ALLOWED, "admin": NOT_ALLOWED},
        kwargs=lambda w: {"pk": w.manager_b.role_assignments.first().pk},
        note="GET is refused; the POST is tested in test_registry_views",
        default=NOT_ALLOWED,
        anon=NOT_ALLOWED,
    ),
    Row("registry:profile", everyone(OK)),
    Row("registry:regency_options", everyone(OK), query="province=32"),
]
