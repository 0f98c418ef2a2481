"""Permission-matrix rows of the communication app (announcements, conversations, produk unggulan,
the public catalogue and their API).

The announcement goes to Jawa Barat (province 32) for managers, mentors, reviewers and FKN: centre
A's manager and mentor, the reviewer, FKN of Jawa Barat and national FKN receive it; national
publishers (directorate, national FKN, admin) manage it. The conversation is centre A's with the
reviewers. The product is centre A's: its manager and mentor (and admin) manage it; the Jawa Barat
reviewer and the directorate approve it. Public pages answer everyone, signed in or not.
"""

import io

from tests.matrix import NOT_FOUND, OK, REDIRECT, Row, everyone

UNAUTHORIZED = 401
JSON = "application/json"


def _announcement(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from communication import services
    from communication.models import Announcement

    found = Announcement.objects.first()
    if found is None:
        pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
        found = services.announcement_create(
            by=w.directorate,
            title="Rapat koordinasi",
            body="Isi",
            all_provinces=False,
            province_codes=["32"],
            roles=["manager", "mentor", "reviewer", "fkn"],
            files=[pdf],
        )
    return found


def _conversation(w):
    from communication import services
    from communication.models import Conversation

    found = Conversation.objects.first()
    if found is None:
        found = services.conversation_start(
            by=w.manager_a, centre=w.centre_a, counterpart="reviewers", subject="Pertanyaan", body="Halo"
        )
    return found


def _product(w, approved=False):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from communication import services
    from communication.models import Product

    found = Product.objects.first()
    if found is None:
        found = services.product_save(
            by=w.manager_a,
            centre=w.centre_a,
            data={"name": "Keripik Hikmah", "description": "Renyah", "category": "makanan"},
            consent=True,
        )
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, format="JPEG")
        services.product_photo_add(
            by=w.manager_a, product=found, uploaded_file=SimpleUploadedFile("p.jpg", out.getvalue(), "image/jpeg")
        )
    if approved and found.status != Product.Status.APPROVED:
        found = services.product_review(by=w.reviewer, product=found, approve=True)
    return found


def _photo_pk(w, approved=False):
    return {"pk": _product(w, approved).photos.first().pk}


RECEIVE = {"manager_a": OK, "mentor_a": OK, "reviewer": OK, "fkn_jabar": OK, "fkn": OK}
READ_ANNOUNCEMENT = {**RECEIVE, "directorate": OK, "admin": OK}
PUBLISH = {"directorate": OK, "fkn": OK, "fkn_jabar": OK, "admin": OK}
MESSAGING = {"manager_a": OK, "manager_b": OK, "reviewer": OK, "directorate": OK, "admin": OK}
CONVERSATION_A = {"manager_a": OK, "reviewer": OK, "directorate": OK, "admin": OK}
PRODUCTS = {"manager_a": OK, "manager_b": OK, "mentor_a": OK, "reviewer": OK, "directorate": OK, "admin": OK}
MANAGE_A = {"manager_a": OK, "mentor_a": OK, "admin": OK}
SEE_PRODUCT_A = {**MANAGE_A, "reviewer": OK, "directorate": OK}
PUBLIC = everyone(OK, anon=OK)


def _redirects(expect):
    return dict.fromkeys(expect, REDIRECT)


ROWS = [
    Row("communication:announcement_list", everyone(OK)),
    Row("communication:announcement_create", PUBLISH),
    Row("communication:announcement_detail", READ_ANNOUNCEMENT, kwargs=lambda w: {"pk": _announcement(w).pk}),
    Row(
        "communication:announcement_read",
        _redirects(RECEIVE),
        kwargs=lambda w: {"pk": _announcement(w).pk},
        method="post",
        note="only people the announcement is addressed to can mark it read",
    ),
    Row(
        "communication:announcement_attachment",
        READ_ANNOUNCEMENT,
        kwargs=lambda w: {"pk": _announcement(w).attachments.first().pk},
    ),
    Row("communication:conversation_list", MESSAGING),
    Row("communication:conversation_create", MESSAGING),
    Row("communication:conversation_detail", CONVERSATION_A, kwargs=lambda w: {"pk": _conversation(w).pk}),
    Row(
        "communication:conversation_detail",
        _redirects(CONVERSATION_A),
        kwargs=lambda w: {"pk": _conversation(w).pk},
        method="post",
        data=lambda w: {"body": "Balasan"},
        note="manager B posting to centre A's conversation: 404",
    ),
    Row("communication:product_list", PRODUCTS),
    Row("communication:product_create", MANAGE_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row("communication:product_detail", SEE_PRODUCT_A, kwargs=lambda w: {"pk": _product(w).pk}),
    Row("communication:product_edit", MANAGE_A, kwargs=lambda w: {"pk": _product(w).pk}),
    Row(
        "communication:product_photo_add",
        _redirects(MANAGE_A),
        kwargs=lambda w: {"pk": _product(w).pk},
        method="post",
    ),
    Row(
        "communication:product_review",
        {"reviewer": REDIRECT, "directorate": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _product(w).pk},
        method="post",
    ),
    Row("communication:product_photo", SEE_PRODUCT_A, kwargs=_photo_pk),
    Row("communication:product_photo_remove", _redirects(MANAGE_A), kwargs=_photo_pk, method="post"),
    Row("communication:catalogue", PUBLIC),
    Row("communication:public_product", PUBLIC, kwargs=lambda w: {"pk": _product(w, approved=True).pk}),
    Row(
        "communication:public_product",
        {},
        anon=NOT_FOUND,
        kwargs=lambda w: {"pk": _product(w).pk},
        note="not approved yet: 404 for everyone",
    ),
    Row(
        "communication:public_product_slug",
        PUBLIC,
        kwargs=lambda w: {"pk": _product(w, approved=True).pk, "slug": "keripik-hikmah"},
    ),
    Row("communication:public_photo", PUBLIC, kwargs=lambda w: _photo_pk(w, approved=True)),
    Row("communication:public_photo", {}, anon=NOT_FOUND, kwargs=_photo_pk, note="photo of an unapproved product"),
    Row("communication:sitemap", PUBLIC),
    # API
    Row("api:announcement-list", everyone(OK), anon=UNAUTHORIZED, content_type=JSON),
    Row(
        "api:announcement-detail",
        RECEIVE,
        anon=UNAUTHORIZED,
        kwargs=lambda w: {"pk": _announcement(w).pk},
        content_type=JSON,
    ),
    Row(
        "api:announcement-read",
        RECEIVE,
        anon=UNAUTHORIZED,
        kwargs=lambda w: {"pk": _announcement(w).pk},
        method="post",
        content_type=JSON,
    ),
    Row("api:public-product-list", PUBLIC, content_type=JSON),
    Row(
        "api:public-product-detail",
        PUBLIC,
        kwargs=lambda w: {"pk": _product(w, approved=True).pk},
        content_type=JSON,
    ),
    Row(
        "api:public-product-detail",
        {},
        anon=NOT_FOUND,
        kwargs=lambda w: {"pk": _product(w).pk},
        content_type=JSON,
        note="not approved: 404",
    ),
]
