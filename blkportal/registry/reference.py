"""Reference data shipped with the portal. Administrators extend it in the admin."""

# The ~24 kejuruan (vocational streams) named in public ministry material; reference data, not an enum.
KEJURUAN = [
    ("teknik-las", "Teknik Las"),
    ("teknik-informatika", "Teknik Informatika (TIK)"),
    ("otomotif-sepeda-motor", "Teknik Otomotif Sepeda Motor"),
    ("menjahit", "Menjahit"),
    ("teknik-otomotif", "Teknik Otomotif"),
    ("teknik-pendingin", "Teknik Pendingin"),
    ("furnitur-kriya-kayu", "Konstruksi Furnitur & Kriya Kayu"),
    ("teknik-perkapalan", "Teknik Perkapalan"),
    ("infrastruktur-telekomunikasi", "Instalasi Infrastruktur Telekomunikasi"),
    ("elektronika", "Elektronika"),
    ("robotika", "Robotika"),
    ("multimedia", "Multimedia"),
    ("desain-komunikasi-visual", "Desain Komunikasi Visual"),
    ("pengolahan-hasil-pertanian", "Pengolahan Hasil Pertanian"),
    ("pengolahan-hasil-perikanan", "Pengolahan Hasil Perikanan"),
    ("kesenian", "Kesenian"),
    ("seni-kriya", "Seni Kriya"),
    ("barista", "Barista"),
    ("kuliner", "Kuliner"),
    ("spa-therapist", "Spa Therapist"),
    ("animasi", "Animasi"),
    ("konten-kreatif", "Konten Kreatif"),
    ("tata-rias", "Tata Rias"),
    ("budidaya-perikanan", "Budidaya Perikanan"),
]


def load_kejuruan(kejuruan_model) -> int:
    """Create the shipped kejuruan that are missing; never renames what an administrator edited."""
    existing = set(kejuruan_model.objects.values_list("code", flat=True))
    new = [kejuruan_model(code=c, name=n) for c, n in KEJURUAN if c not in existing]
    kejuruan_model.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
