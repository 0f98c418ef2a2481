"""Issue 12, points 5 and 6 (server side): every autosave runs the hard and soft rules and shows
them beside the fields and in a summary, on the current month too; one save state at a time."""

from django.urls import reverse
from django.utils import timezone

from blkportal.core.months import first_of_month
from reporting import services

HTMX = {"HTTP_HX_REQUEST": "true"}


def current_draft(world):
    period = first_of_month(timezone.localdate())
    return services.report_get_or_create_draft(centre=world.centre_a, period=period, by=world.manager_a)


def autosave(client, report, **data):
    return client.post(reverse("reporting:report_autosave", args=[report.pk]), data, **HTMX)


def box(html, name):
    start = html.index(f'id="id_{name}_error"')
    return html[start : html.index("</div>\n", start)]


def test_autosave_on_the_current_month_reports_a_broken_rule_beside_the_field(world, client_for):
    report = current_draft(world)
    response = autosave(
        client_for("manager_a"), report, version=report.version, instructors_count="7", instructors_certified="9"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Instruktur bersertifikat (9) tidak boleh lebih dari jumlah instruktur (7)." in box(
        html, "instructors_certified"
    )
    summary = html[html.index('id="rule-summary"') :]
    assert 'id="rule-errors"' in summary and "Instruktur bersertifikat (9)" in summary


def test_one_save_state_when_a_value_is_refused(world, client_for):
    report = current_draft(world)
    html = autosave(client_for("manager_a"), report, version=report.version, alumni_bekerja="abc").content.decode()
    assert 'id="save-invalid"' in html and "belum tersimpan" in html
    assert "Terakhir disimpan" not in html  # no green tick beside the red message
    assert "Isi dengan angka bulat" in box(html, "alumni_bekerja")


def test_the_form_opens_without_a_stale_saved_time_and_with_the_rules(world, client_for):
    report = current_draft(world)
    services.report_save_draft(
        report=report,
        by=world.manager_a,
        data={"instructors_count": 7, "instructors_certified": 9},
        expected_version=report.version,
    )
    html = client_for("manager_a").get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    assert "Terakhir disimpan" not in html
    assert "Instruktur bersertifikat (9)" in box(html, "instructors_certified")


def test_check_and_submit_runs_the_rules_on_the_current_month_but_does_not_submit(world, client_for):
    report = current_draft(world)
    services.report_save_draft(
        report=report,
        by=world.manager_a,
        data={"instructors_count": 7, "instructors_certified": 9},
        expected_version=report.version,
    )
    html = client_for("manager_a").get(reverse("reporting:report_submit", args=[report.pk])).content.decode()
    assert 'id="not-open"' in html
    assert 'id="hard-errors"' in html and "Instruktur bersertifikat (9)" in html
    assert 'id="submit-report"' not in html
