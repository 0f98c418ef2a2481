"""Demo data of the communication app: one announcement to every centre, a conversation per demo
province, and a dozen approved produk unggulan (with a plain photo) spread over the demo centres.
Deterministic; skipped when announcements already exist."""

import io
import random

from django.core.files.base import ContentFile

from blkportal.registry.models import Centre, Role, RoleAssignment, User

from .models import Announcement, Conversation, Message, Product, ProductCategory, ProductPhoto

PRODUCTS = [
    ("Keripik Singkong Balado", ProductCategory.MAKANAN, 15000, 35000),
    ("Batik Tulis Motif Pesisir", ProductCategory.FESYEN, 250000, 750000),
    ("Kursi Rotan Anyam", ProductCategory.MEBEL, 450000, 900000),
    ("Pagar Besi Tempa", ProductCategory.TEKNIK, 1200000, 5000000),
    ("Sambal Roa Kemasan", ProductCategory.MAKANAN, 30000, 45000),
    ("Tas Anyaman Pandan", ProductCategory.KERAJINAN, 75000, 180000),
    ("Madu Hutan Murni", ProductCategory.PERTANIAN, 90000, 150000),
    ("Kopi Robusta Sangrai", ProductCategory.MAKANAN, 50000, 120000),
    ("Servis AC dan Kulkas", ProductCategory.JASA, 100000, 400000),
    ("Kaos Sablon Komunitas", ProductCategory.FESYEN, 60000, 95000),
    ("Lemari Jati Minimalis", ProductCategory.MEBEL, 2500000, 6000000),
    ("Abon Ikan Tuna", ProductCategory.MAKANAN, 40000, 80000),
]
COLOURS = [(176, 112, 60), (60, 120, 170), (120, 150, 70), (170, 70, 90)]


def _photo_bytes(rng) -> tuple[bytes, int, int]:
    from PIL import Image

    img = Image.new("RGB", (640, 480), rng.choice(COLOURS))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return out.getvalue(), 640, 480


def seed(ctx):
    if Announcement.objects.exists():
        ctx.log("Komunikasi: data demo sudah ada, dilewati.")
        return
    rng = random.Random(ctx.seed * 131 + 14)
    author = User.objects.filter(role_assignments__role=Role.DIRECTORATE).order_by("pk").first()
    if author is None:
        ctx.log("Komunikasi: tidak ada pengguna direktorat demo.")
        return
    from django.utils import timezone

    now = timezone.now()
    Announcement.objects.create(
        title="Selamat datang di Ruang Komunikasi",
        body="Pengumuman Direktorat kini tampil di beranda sampai Anda menandainya sudah dibaca.\n"
        "Panduan pengisian laporan: https://kemnaker.go.id",
        author=author,
        publish_at=now,
        emailed_at=now,  # demo data sends no e-mail
    )
    centres = list(Centre.objects.filter(pk__in=ctx.centre_ids, deactivated_on__isnull=True).order_by("pk"))
    for manager in RoleAssignment.objects.filter(role=Role.MANAGER, centre__in=centres[:3]).select_related("centre"):
        conversation = Conversation.objects.create(
            centre=manager.centre,
            subject="Pertanyaan formulir laporan bagian B",
            created_by=manager.user,
            last_message_at=now,
        )
        Message.objects.create(
            conversation=conversation, author=manager.user, body="Alumni yang kuliah sambil bekerja dicatat di mana?"
        )
    made = 0
    for i, (name, category, lo, hi) in enumerate(PRODUCTS):
        if not centres:
            break
        made += 1
        centre = centres[(i * 7) % len(centres)]
        product = Product.objects.create(
            centre=centre,
            name=name,
            description=f"{name} buatan {centre.name}. Dibuat oleh alumni pelatihan BLK Komunitas.",
            category=category,
            price_min=lo,
            price_max=hi,
            marketplace_links="https://www.tokopedia.com/\nhttps://shopee.co.id/",
            shop_address=centre.address[:300],
            contact=centre.contact_phone,
            consent_at=now,
            status=Product.Status.APPROVED,
            reviewed_by=author,
            reviewed_at=now,
        )
        data, width, height = _photo_bytes(rng)
        photo = ProductPhoto(product=product, width=width, height=height)
        photo.file.save("foto.jpg", ContentFile(data), save=False)
        photo.save()
    ctx.log(f"Komunikasi: 1 pengumuman, {made} produk unggulan.")
