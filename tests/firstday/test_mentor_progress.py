"""Issue 12, point 3: mentors record a tenant's monthly progress, and the page says who may and who did."""

from django.urls import reverse

from incubator.models import TenantProgress
from tests.matrix.incubator import _tenant


def test_mentor_records_monthly_progress_and_the_page_says_who(world, client_for):
    tenant = _tenant(world)
    world.mentor_a.full_name = "Dr. Rina Wulandari"
    world.mentor_a.save()
    mentor = client_for("mentor_a")
    page = mentor.get(reverse("incubator:tenant_detail", args=[tenant.pk])).content.decode()
    assert 'id="record-progress"' in page
    assert "dicatat oleh pengelola BLK atau mentor inkubator" in page
    response = mentor.post(
        reverse("incubator:progress_record", args=[tenant.pk]),
        {"month": "2024-02", "omzet": "1.000.000", "profit": "100.000", "workers": "1"},
    )
    assert response.status_code == 302
    progress = TenantProgress.objects.get(tenant=tenant)
    assert progress.recorded_by == world.mentor_a
    page = client_for("manager_a").get(reverse("incubator:tenant_detail", args=[tenant.pk])).content.decode()
    row = page[page.index('id="progress-table"') :]
    assert "Dr. Rina Wulandari" in row and "Rp 1.000.000" in row


def test_reviewers_still_only_read_progress(world, client_for):
    tenant = _tenant(world)
    page = client_for("reviewer").get(reverse("incubator:tenant_detail", args=[tenant.pk])).content.decode()
    assert 'id="record-progress"' not in page
    assert client_for("reviewer").get(reverse("incubator:progress_record", args=[tenant.pk])).status_code == 404
