"""Produk unggulan: consent and reviewer approval before public, photos without metadata, the public
catalogue (filters, caching, CSP, sitemap) and its national figures."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from blkportal.core.errors import DomainError
from communication import services
from communication.models import Product

pytestmark = pytest.mark.django_db


def gps_jpeg(width=64, height=48) -> bytes:
    img = Image.new("RGB", (width, height), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 12.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 10.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def make_product(world, consent=True, **kw):
    data = {"name": kw.pop("name", "Keripik Singkong Al-Hikmah"), "description": "Renyah", "category": "makanan"}
    data.update(kw)
    return services.product_save(by=world.manager_a, centre=world.centre_a, data=data, consent=consent)


def approve(world, product):
    return services.product_review(by=world.reviewer, product=product, approve=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the catalogue's cache bump) as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_photo_gps_exif_is_stripped(world):
    raw = gps_jpeg()
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(0x8825)  # the upload really carries GPS
    product = make_product(world)
    photo = services.product_photo_add(
        by=world.manager_a, product=product, uploaded_file=SimpleUploadedFile("p.jpg", raw, "image/jpeg")
    )
    stored = photo.file.open("rb").read()
    with Image.open(io.BytesIO(stored)) as clean:
        exif = clean.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif
        assert "exif" not in clean.info
    assert b"PhoneMaker" not in stored
    assert (photo.width, photo.height) == (64, 48)


def test_photo_that_is_not_an_image_is_refused(world):
    product = make_product(world)
    with pytest.raises(DomainError) as exc:
        services.product_photo_add(
            by=world.manager_a,
            product=product,
            uploaded_file=SimpleUploadedFile("p.jpg", b"%PDF-1.4\n%%EOF\n", "image/jpeg"),
        )
    assert exc.value.field == "photo"
    with pytest.raises(DomainError):
        services.product_photo_add(
            by=world.manager_a,
            product=product,
            uploaded_file=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0garbage\xff\xd9", "image/jpeg"),
        )
    assert product.photos.count() == 0


def test_public_only_after_consent_and_approval(world, client_for, committed):
    anon = client_for("anon")
    catalogue = reverse("communication:catalogue")
    draft = make_product(world, consent=False, name="Produk Tanpa Izin")
    assert draft.status == Product.Status.DRAFT
    with pytest.raises(DomainError):
        services.product_review(by=world.reviewer, product=draft, approve=True)
    pending = make_product(world, name="Batik Tulis Hikmah")
    assert pending.status == Product.Status.PENDING
    assert "Batik Tulis Hikmah" not in anon.get(catalogue).content.decode()
    assert anon.get(reverse("communication:public_product", args=[pending.pk])).status_code == 404
    # A reviewer of another province cannot approve; a manager cannot approve their own.
    with pytest.raises(DomainError):
        services.product_review(by=world.manager_a, product=pending, approve=True)
    committed(approve, world, pending)
    assert "Batik Tulis Hikmah" in anon.get(catalogue).content.decode()
    page = anon.get(reverse("communication:public_product", args=[pending.pk]))
    assert page.status_code == 200
    assert "Produk Tanpa Izin" not in anon.get(catalogue).content.decode()
    # Withdrawing consent (an edit) takes it off the catalogue at once.
    committed(
        services.product_save,
        by=world.manager_a,
        centre=world.centre_a,
        product=pending,
        data={"name": pending.name},
        consent=False,
    )
    assert "Batik Tulis Hikmah" not in anon.get(catalogue).content.decode()


def test_catalogue_filters_titles_csp_and_escaping(world, client_for):
    p = make_product(world, name="<i>Las</i> Pagar", description="<script>x()</script>", category="teknik")
    approve(world, p)
    anon = client_for("anon")
    url = reverse("communication:catalogue")
    html = anon.get(url, {"provinsi": "32"}).content.decode()
    assert "&lt;i&gt;Las&lt;/i&gt; Pagar" in html
    assert "<title>Jawa Barat" in html or "<title>JAWA BARAT" in html.upper()
    assert "&lt;i&gt;Las" not in anon.get(url, {"provinsi": "35"}).content.decode()
    assert "&lt;i&gt;Las" not in anon.get(url, {"kategori": "makanan"}).content.decode()
    response = anon.get(reverse("communication:public_product", args=[p.pk]))
    body = response.content.decode()
    assert "<script>x()</script>" not in body and "&lt;script&gt;" in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script" not in body  # no scripts at all on public pages
    assert anon.get(url, {"provinsi": "zz", "page": "abc"}).status_code == 200  # bad input, no 500


def test_sitemap_lists_only_public_products(world, client_for):
    public = make_product(world, name="Madu Hutan")
    approve(world, public)
    hidden = make_product(world, name="Rahasia")
    xml = client_for("anon").get(reverse("communication:sitemap")).content.decode()
    assert f"/katalog/{public.pk}/madu-hutan/" in xml
    assert f"/katalog/{hidden.pk}/" not in xml


def test_photos_of_unapproved_products_are_not_public(world, client_for, committed):
    product = make_product(world)
    photo = services.product_photo_add(
        by=world.manager_a, product=product, uploaded_file=SimpleUploadedFile("p.jpg", gps_jpeg(), "image/jpeg")
    )
    url = reverse("communication:public_photo", args=[photo.pk])
    assert client_for("anon").get(url).status_code == 404
    assert client_for("manager_a").get(reverse("communication:product_photo", args=[photo.pk])).status_code == 200
    assert client_for("manager_b").get(reverse("communication:product_photo", args=[photo.pk])).status_code == 404
    committed(approve, world, product)
    response = client_for("anon").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_national_figures_come_from_monitoring_facts(world, client_for):
    from monitoring import selectors as monitoring_selectors
    from monitoring.models import CentreMonth

    month = monitoring_selectors.latest_closed_month()
    for centre, trainees in ((world.centre_a, 12), (world.centre_b, 30)):
        CentreMonth.objects.create(
            centre=centre,
            month=month,
            province_id=centre.province_id,
            regency_id=centre.regency_id,
            cohort_year=centre.cohort_year,
            trainees_active=trainees,
            graduated=5,
            alumni_bekerja=4,
            tenants_active=2 if centre.is_incubator else 0,
        )
    rows, total = monitoring_selectors.public_figures()
    assert (total["centres"], total["trainees"], total["graduates"], total["placed"], total["tenants"]) == (
        2,
        42,
        10,
        8,
        2,
    )
    assert {r["province_id"] for r in rows} == {"32", "35"}
    html = client_for("anon").get(reverse("communication:catalogue")).content.decode()
    assert ">42<" in html


def test_tenant_must_belong_to_centre_and_edit_needs_scope(world):
    from incubator.models import Tenant

    tenant = Tenant.objects.create(
        centre=world.centre_b,
        owner_name="Bu Sari",
        owner_sex="P",
        business_name="Sari Rasa",
        legal_form="perorangan",
        sector="usaha_kreatif",
        entry_date=dt.date(2024, 1, 1),
        stage_since=dt.date(2024, 1, 1),
    )
    with pytest.raises(DomainError):
        make_product(world, tenant=tenant)
    with pytest.raises(DomainError):
        services.product_save(
            by=world.manager_b,
            centre=world.centre_a,
            data={"name": "x", "description": "y", "category": "jasa"},
            consent=True,
        )


def test_pages_manager_publishes_reviewer_approves(world, client_for, django_capture_on_commit_callbacks):
    manager, reviewer = client_for("manager_a"), client_for("reviewer")
    create = reverse("communication:product_create", args=[world.centre_a.pk])
    bad = manager.post(
        create,
        {
            "name": "Kopi",
            "description": "Robusta",
            "category": "makanan",
            "price_min": "9000",
            "price_max": "5000",
            "marketplace_links": "javascript:alert(1)",
            "consent": "on",
        },
    )
    assert bad.status_code == 200 and not Product.objects.exists()
    assert "diawali https://" in bad.content.decode()
    assert "tidak boleh di bawah harga terendah" in bad.content.decode()
    assert 'value="Kopi"' in bad.content.decode()  # what was typed is kept
    response = manager.post(
        create,
        {
            "name": "Kopi",
            "description": "Robusta",
            "category": "makanan",
            "marketplace_links": "https://shopee.co.id/x",
            "consent": "on",
        },
    )
    product = Product.objects.get()
    assert response.status_code == 302 and product.status == Product.Status.PENDING
    upload = SimpleUploadedFile("kopi.jpg", gps_jpeg(), "image/jpeg")
    manager.post(reverse("communication:product_photo_add", args=[product.pk]), {"photo": upload})
    assert product.photos.count() == 1
    assert client_for("manager_b").get(reverse("communication:product_detail", args=[product.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(reverse("communication:product_review", args=[product.pk]), {"decision": "approve"})
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED and product.reviewed_by == world.reviewer
    assert "Kopi" in client_for("anon").get(reverse("communication:catalogue")).content.decode()
