"""Issue 12: “Kirim pengingat via WhatsApp” on the overdue list and the report page, for managers with
a phone number; phone numbers validated and stored as +62…"""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blkportal.core.months import month_label
from blkportal.core.phones import normalise_phone
from blkportal.registry.forms import UserEditForm
from reporting import services


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456.7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_as_plus_62(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "+1 415 555 0100", "0812-abc", "08123"])
def test_unreadable_phone_numbers_get_a_message(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_phone(typed)
    assert "Nomor telepon tidak dikenali" in exc.value.messages[0]


def test_user_form_explains_a_bad_number(db):
    form = UserEditForm({"full_name": "Siti", "email": "siti@example.test", "phone": "12345", "is_active": "on"})
    assert not form.is_valid() and "Nomor telepon tidak dikenali" in form.errors["phone"][0]
    form = UserEditForm({"full_name": "Siti", "email": "siti@example.test", "phone": "0812 3456 7890"})
    assert form.is_valid() and form.cleaned_data["phone"] == "+6281234567890"


def whatsapp_links(html):
    links = []
    for chunk in html.split('class="btn btn-sm btn-outline-success whatsapp-link" href="')[1:]:
        links.append(chunk[: chunk.index('"')].replace("&amp;", "&"))
    return links


def test_overdue_list_offers_a_whatsapp_reminder_to_managers_with_a_phone(world, client_for, settings):
    settings.PORTAL_BASE_URL = "https://blkk.example.go.id"
    world.manager_a.full_name = "Siti Aminah"
    world.manager_a.phone = "0812-3456-7890"
    world.manager_a.save()
    response = client_for("reviewer").get(reverse("reporting:overdue"))
    html = response.content.decode()
    links = whatsapp_links(html)
    assert len(links) == 1, "only manager_a has a phone (and the reviewer sees Jawa Barat only)"
    url = urlparse(links[0])
    assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/6281234567890")
    text = parse_qs(url.query)["text"][0]
    period = response.context["period"]
    assert "Yth. Siti Aminah" in text and world.centre_a.name in text and month_label(period) in text
    assert "WIB" in text and "Tenggatnya" in text
    assert f"https://blkk.example.go.id/laporan/blk/{world.centre_a.pk}/{period.year}/{period.month}/" in text
    assert "Kirim pengingat via WhatsApp ke Siti Aminah" in html


def test_report_page_offers_the_link_to_reviewers_while_the_report_is_not_in(world, client_for, last_month):
    world.manager_a.phone = "+6281234567890"
    world.manager_a.save()
    report = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    url = reverse("reporting:report_detail", args=[report.pk])
    assert len(whatsapp_links(client_for("reviewer").get(url).content.decode())) == 1
    assert whatsapp_links(client_for("manager_a").get(url).content.decode()) == []
