"""Schema-driven fuzzing: schemathesis generates requests from the served OpenAPI document and checks
that the API never answers 5xx, that every answer (success or refusal) matches the document, and that
input the document calls invalid is refused with a 4xx.

Bounded for CI: a fixed number of examples per operation, derandomized (the same cases every run), in
process through the WSGI app (no server, no sockets). API_FUZZ_EXAMPLES=200 API_FUZZ_RANDOM=1 runs a
longer, randomized session locally.
"""

import itertools
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
# About 60 ms a request in process: ~700 requests is under a minute on a loaded 2-core machine.
REQUEST_BUDGET = int(os.environ.get("API_FUZZ_REQUESTS", "700"))
DERANDOMIZE = os.environ.get("API_FUZZ_RANDOM") != "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_app():
    # Django's test client keeps the test's transaction alive by not closing connections at the end
    # of each request; do the same for the real WSGI handler.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _known_ids(world):
    """Real objects for path parameters, per path prefix, so the fuzzer also reaches existing ones:
    a draft of centre A with rows in every section, a batch, and an approved report of centre B with
    a pending correction."""
    from blkportal.core.months import add_months, first_of_month
    from incubator import services as incubator
    from monitoring import services as monitoring
    from monitoring import services_exports as exports
    from reporting import services as reporting
    from tests.incubator.conftest import tenant_data
    from tests.reporting.conftest import fill, make_batch

    last_month = add_months(first_of_month(timezone.localdate()), -1)
    draft = reporting.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    lines = {
        kind: reporting.report_line_add(report=draft, by=world.manager_a, kind=kind, data=data).pk
        for kind, data in {
            "partnership": {"partner_name": "PT Fuzz", "partner_type": "dudi"},
            "income": {"source": "jasa", "amount": 1000},
            "product": {"name": "Kursi", "channel": "lokal"},
            "problem": {"category": "sdm", "description": "Uji"},
        }.items()
    }
    batch = make_batch(world.centre_a, last_month)
    report_b = reporting.report_get_or_create_draft(centre=world.centre_b, period=last_month, by=world.manager_b)
    report_b = fill(report_b, world.manager_b)
    report_b = reporting.report_submit(report=report_b, by=world.manager_b).report
    report_b = reporting.report_verify(report=report_b, by=world.admin)
    report_b = reporting.report_approve(report=report_b, by=world.directorate)
    correction = reporting.correction_request(report=report_b, by=world.manager_b, reason="Uji koreksi dari fuzzer.")
    tenant, _ = incubator.tenant_register(centre=world.centre_a, data=tenant_data(), by=world.manager_a)
    monitoring.facts_rebuild()
    rules = {"window_months": 3, "min_verified_months": 1, "peer_by_cohort": False, "peer_by_kejuruan": False}
    version = monitoring.ranking_scheme_create(by=world.admin, name="Fuzz", data=rules, weights={"reporting_rate": 100})
    snapshot = monitoring.ranking_compute(version=version, period=last_month)
    job = exports.export_request(by=world.admin, kind="batches", file_format="csv", parameters={})
    exports.export_run(job_id=job.pk)
    return {
        "/api/v1/tenants/": {"id": [tenant.pk]},
        "/api/v1/rankings/": {"id": [snapshot.pk], "centre": [world.centre_a.pk, world.centre_b.pk]},
        "/api/v1/exports/": {"id": [job.pk]},
        "/api/v1/centres/": {"id": [world.centre_a.pk, world.centre_b.pk]},
        "/api/v1/provinces/": {"code": ["32"]},
        "/api/v1/regencies/": {"code": ["32.04"]},
        "/api/v1/kejuruan/": {"code": ["teknik-las"]},
        "/api/v1/reports/": {"id": [draft.pk, report_b.pk], "line_id": list(lines.values())},
        "/api/v1/batches/": {"id": [batch.pk]},
        "/api/v1/corrections/": {"id": [correction.pk]},
    }


def _schema(app, headers):
    # The schema is for signed-in users: fetch it with the same token as the requests.
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers=headers)


def _operation(schema, label):
    for result in schema.get_all_operations():
        if result.ok().label == label:
            return result.ok()
    raise LookupError(label)


def _fuzz(operation, headers, mode, path_parameters=None, examples=EXAMPLES):
    try:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
    except Exception as exc:  # an operation with nothing to negate, for instance
        return f"skipped {mode.value}: {exc}"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except Unsatisfiable:
        return f"unsatisfiable {mode.value}"
    return "ok"


def _run(schema, headers, known, examples, modes, random_ids=True):
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        params = {p.name for p in operation.path_parameters}
        if random_ids or not params:
            for mode in modes:
                tested.append((operation.label, mode.value, _fuzz(operation, headers, mode, examples=examples)))
        real = next((v for prefix, v in known.items() if operation.path.startswith(prefix)), {})
        if params and params <= set(real):
            # Every combination of real values (e.g. a report and one of its rows), a few examples each.
            for values in itertools.product(*(real[name] for name in sorted(params))):
                chosen = dict(zip(sorted(params), values, strict=True))
                outcome = _fuzz(operation, headers, GenerationMode.POSITIVE, chosen, examples=max(2, examples // 4))
                tested.append((operation.label, str(chosen), outcome))
    return tested


def _examples_per_operation(schema) -> int:
    """EXAMPLES, or fewer when the API has grown, so the whole run keeps to REQUEST_BUDGET."""
    operations = sum(1 for _ in schema.get_all_operations())
    return max(3, min(EXAMPLES, REQUEST_BUDGET // (2 * operations)))


def test_api_answers_every_generated_request_within_the_schema(world, wsgi_app, token_for):
    """As an administrator (who may call everything): valid and invalid requests to every operation."""
    headers = {"Authorization": f"Bearer {token_for('admin')}"}
    schema = _schema(wsgi_app, headers)
    known = _known_ids(world)
    started = time.monotonic()
    examples = _examples_per_operation(schema)
    tested = _run(schema, headers, known, examples, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE))
    elapsed = time.monotonic() - started
    if os.environ.get("API_FUZZ_VERBOSE"):
        print(f"{elapsed:.0f}s, {examples} examples per operation", *tested, sep="\n")
    labels = {label for label, _, _ in tested}
    # Every documented operation was exercised (the run's size is bounded by REQUEST_BUDGET, not a clock).
    assert {
        "GET /api/v1/centres/",
        "PATCH /api/v1/centres/{id}/",
        "POST /api/v1/reports/{id}/submit/",
        "POST /api/v1/tenants/{id}/progress/",
        "GET /api/v1/facts/regions/",
        "GET /api/v1/exports/{id}/download/",
    } <= labels
    assert sum(1 for _, _, outcome in tested if outcome == "ok") >= len(labels)


def test_a_centre_manager_gets_only_schema_conforming_answers(world, wsgi_app, token_for):
    """As a centre manager: the same real objects (some outside their scope: 404 within the schema)."""
    headers = {"Authorization": f"Bearer {token_for('manager_a')}"}
    schema = _schema(wsgi_app, headers)
    tested = _run(schema, headers, _known_ids(world), 3, (GenerationMode.POSITIVE,), random_ids=False)
    assert all(outcome == "ok" or outcome.startswith(("skipped", "unsatisfiable")) for _, _, outcome in tested)


def test_the_fuzz_harness_catches_a_response_that_breaks_the_schema(world, wsgi_app, token_for, monkeypatch):
    """Guard against a harness that cannot fail: a province answer without its fields must be caught."""
    from rest_framework.response import Response

    from blkportal.registry.api import ProvinceViewSet

    monkeypatch.setattr(ProvinceViewSet, "retrieve", lambda self, request, **kw: Response({"kode": 32}))
    headers = {"Authorization": f"Bearer {token_for('admin')}"}
    operation = _operation(_schema(wsgi_app, headers), "GET /api/v1/provinces/{code}/")
    with pytest.raises(BaseException) as caught:  # schemathesis raises a (Base)ExceptionGroup
        _fuzz(operation, headers, GenerationMode.POSITIVE, {"code": "32"}, examples=2)
    failures = getattr(caught.value, "exceptions", [caught.value])
    assert any("violates schema" in str(failure) for failure in failures), failures
