"""English catalogue: pages switch to English with the language cookie, and every string is translated."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# (url name, English text expected with the cookie, Indonesian text expected without it)
PAGES = [
    ("home", "Welcome,", "Selamat datang,"),
    ("registry:centre_list", "BLK Komunitas Registry", "Registri BLK Komunitas"),
    ("reporting:queue", "Report queue", "Antrean laporan"),
    ("incubator:tenant_list", "Search business or owner", "Cari usaha atau pemilik"),
    ("monitoring:dashboard", "National dashboard", "Dasbor nasional"),
]

# Chrome shared by every page: navigation, user menu, footer.
ENGLISH_CHROME = ["BLK Registry", "Home", "Log out", "Change password", "Language", "Dashboard"]
INDONESIAN_CHROME = ["Registri BLK", "Beranda", "Keluar", "Ubah kata sandi", "Bahasa", "Dasbor"]


def _client(world, language=None):
    client = Client()
    client.force_login(world.directorate)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(("name", "english", "indonesian"), PAGES)
def test_page_is_english_with_the_language_cookie(world, name, english, indonesian):
    response = _client(world, "en").get(reverse(name))

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert english in html
    assert indonesian not in html
    for text in ENGLISH_CHROME:
        assert text in html, text
    for text in INDONESIAN_CHROME:
        assert f">{text}<" not in html, text


@pytest.mark.parametrize(("name", "english", "indonesian"), PAGES)
def test_page_stays_indonesian_without_the_cookie(world, name, english, indonesian):
    response = _client(world).get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert indonesian in html
    assert english not in html
    for text in INDONESIAN_CHROME:
        assert text in html, text


def test_statuses_and_form_labels_are_english(world):
    client = _client(world, "en")

    queue = client.get(reverse("reporting:queue")).content.decode()
    assert "Submitted" in queue
    assert ">Diajukan<" not in queue

    centres = client.get(reverse("registry:centre_list")).content.decode()
    assert "Province" in centres
    assert "Self-reliance class" in centres
    assert "Kelas kemandirian" not in centres


def _parse_po(path):
    """Entries of a .po file as dicts {msgid, msgid_plural, msgstr: [..], flags}; header skipped."""

    def unquote(text):
        return text[1:-1].encode("raw_unicode_escape").decode("unicode_escape")

    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and current["msgid"]:
                entries.append(current)
            current, key = None, None
            continue
        if current is None:
            current = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#~"):
            current["obsolete"] = True
        elif line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            key, current["msgid_plural"] = "msgid_plural", unquote(line[13:])
        elif line.startswith("msgid "):
            key, current["msgid"] = "msgid", unquote(line[6:])
        elif line.startswith("msgstr"):
            head, _, value = line.partition(" ")
            key = ("msgstr", head[7:-1] if "[" in head else "0")
            current["msgstr"][key[1]] = unquote(value)
        elif line.startswith('"'):
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += unquote(line)
            else:
                current[key] = (current[key] or "") + unquote(line)
    return [entry for entry in entries if not entry.get("obsolete")]


def test_every_catalogue_entry_is_translated():
    """Fails when a new source string has no English yet: run `make messages`, translate, compile."""
    entries = _parse_po(PO_FILE)

    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not all(v.strip() for v in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    """The .mo Django loads carries the same English as the .po (catches a forgotten compilemessages)."""
    with PO_FILE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for entry in _parse_po(PO_FILE):
        if entry["msgid_plural"] is None:
            got = compiled.gettext(entry["msgid"])
        else:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
        if got != entry["msgstr"]["0"]:
            stale.append(entry["msgid"])
    assert stale == []
