"""Demo registry data: centres by the real build years, users per role. Deterministic per seed."""

import datetime as dt
import random

from django.db import transaction

from .models import Centre, HostType, Kejuruan, KemandirianClass, Regency, Role, RoleAssignment, User

DEMO_PASSWORD = "demo-blk-2026"  # demo data only; seed_demo refuses to run in production
# Share of centres per cohort year (the programme built 50, 75, 1000, 1014, 780, 846 in 2017-2022).
COHORTS = [(2017, 50), (2018, 75), (2019, 1000), (2020, 1014), (2021, 780), (2022, 846), (2023, 300), (2024, 250)]
HOST_NAMES = {
    HostType.PESANTREN: ["Pondok Pesantren {w}", "Ponpes {w}", "Pesantren Modern {w}"],
    HostType.SEMINARI: ["Seminari {w}"],
    HostType.PASRAMAN: ["Pasraman {w}"],
    HostType.DAMASEKA: ["Damaseka {w}"],
    HostType.SERIKAT_PEKERJA: ["Serikat Pekerja {w}"],
    HostType.LAINNYA: ["Yayasan {w}", "Lembaga {w}"],
}
WORDS = {
    HostType.PESANTREN: [
        "Al-Hikmah",
        "Nurul Huda",
        "Darul Ulum",
        "Al-Ikhlas",
        "Miftahul Jannah",
        "Baitul Hikmah",
        "Al-Falah",
        "Darussalam",
        "An-Nur",
        "Al-Amin",
        "Raudlatul Ulum",
        "Hidayatullah",
        "Al-Muhajirin",
        "Nurul Iman",
        "Manbaul Ulum",
        "Al-Hidayah",
        "Darul Falah",
        "Bahrul Ulum",
        "Al-Barokah",
        "Sabilul Huda",
    ],
    HostType.SEMINARI: ["St. Petrus", "Santo Yohanes", "St. Paulus", "Maria Bunda Karmel"],
    HostType.PASRAMAN: ["Widya Dharma", "Saraswati", "Dharma Sastra"],
    HostType.DAMASEKA: ["Dharma Bhakti", "Metta Karuna"],
    HostType.SERIKAT_PEKERJA: ["Logam Nusantara", "Buruh Sejahtera", "Pekerja Mandiri"],
    HostType.LAINNYA: ["Bina Karya", "Mitra Usaha", "Karya Bangsa"],
}
HOST_WEIGHTS = [
    (HostType.PESANTREN, 80),
    (HostType.SEMINARI, 5),
    (HostType.PASRAMAN, 3),
    (HostType.DAMASEKA, 2),
    (HostType.SERIKAT_PEKERJA, 5),
    (HostType.LAINNYA, 5),
]
STREETS = ["Raya", "Masjid", "Pesantren", "Pendidikan", "Merdeka"]
UNIVERSITIES = ["IPB University", "UIN Sunan Ampel", "Universitas Padjadjaran", "Universitas Brawijaya", "UGM"]


def _pick(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def demo_present() -> bool:
    return Centre.objects.filter(reg_code__startswith="DEMO-").exists()


@transaction.atomic
def seed(ctx):
    """Create ctx.centres demo centres and one login per role. Skips when demo data exists."""
    if demo_present():
        ctx.log("Registri: data demo sudah ada, dilewati.")
        ctx.centre_ids = list(
            Centre.objects.filter(reg_code__startswith="DEMO-").order_by("pk").values_list("pk", flat=True)
        )
        return
    rng = random.Random(ctx.seed)
    regency_names = dict(Regency.objects.order_by("code").values_list("code", "name"))
    regencies = list(regency_names)
    # Java and Sumatra host most pesantren-based centres: weight by province population proxy.
    heavy = {"32", "33", "35", "36", "11", "12", "16", "18", "73", "52"}
    weights = [6 if code[:2] in heavy else 1 for code in regencies]
    kejuruan = list(Kejuruan.objects.order_by("code"))
    cohort_items = [(y, w) for y, w in COHORTS]
    centres = []
    for n in range(1, ctx.centres + 1):
        host_type = _pick(rng, HOST_WEIGHTS)
        word = rng.choice(WORDS[host_type])
        host_name = rng.choice(HOST_NAMES[host_type]).format(w=word)
        regency = rng.choices(regencies, weights=weights)[0]
        cohort = _pick(rng, cohort_items)
        activated = dt.date(cohort, rng.randint(6, 12), 1)
        if n <= 3:  # the demo logins' centres are active from the start of the demo period
            cohort, activated = 2019, dt.date(2019, 7, 1)
        incubator = n % 15 == 1 or (cohort <= 2019 and rng.random() < 0.04)
        klass = ""
        if cohort <= 2021:
            klass = _pick(
                rng,
                [
                    (KemandirianClass.TUMBUH, 55),
                    (KemandirianClass.BERKEMBANG, 30),
                    (KemandirianClass.MANDIRI, 10),
                    ("", 5),
                ],
            )
        centres.append(
            Centre(
                reg_code=f"DEMO-{regency.replace('.', '')}-{n:05d}",
                # Many hosts share a name (Al-Hikmah, Nurul Huda); the place tells them apart.
                name=f"BLK Komunitas {word} {_place(regency_names[regency])}",
                host_name=host_name,
                host_type=host_type,
                address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
                regency_id=regency,
                province_id=regency[:2],
                cohort_year=cohort,
                activated_on=activated,
                # About 1 % closed mid-2024 (only those opened before then: a check constraint).
                deactivated_on=dt.date(2024, 6, 30) if n % 97 == 0 and activated < dt.date(2024, 6, 30) else None,
                kemandirian_class=klass,
                kemandirian_assessed_on=dt.date(2023, 2, 1) if klass else None,
                is_incubator=incubator,
                incubator_year=rng.choice([2021, 2022, 2023, 2024]) if incubator else None,
                incubator_university=rng.choice(UNIVERSITIES) if incubator else "",
                contact_name=f"Pengelola {word}",
                contact_phone=f"08{rng.randint(1000000000, 9999999999)}",
            )
        )
    Centre.objects.bulk_create(centres, batch_size=1000)
    centres = list(Centre.objects.filter(reg_code__startswith="DEMO-").order_by("pk"))
    through = Centre.kejuruan.through
    links = []
    for centre in centres:
        for k in rng.sample(kejuruan, rng.choice([1, 1, 2, 2, 3])):
            links.append(through(centre_id=centre.pk, kejuruan_id=k.pk))
    through.objects.bulk_create(links, batch_size=5000)
    ctx.centre_ids = [c.pk for c in centres]
    _demo_users(centres)
    ctx.log(f"Registri: {len(centres)} BLK demo dibuat.")


def _place(regency_name: str) -> str:
    """ "Kabupaten Bandung" -> "Bandung", "Kota Denpasar" -> "Denpasar"."""
    for prefix in ("Kabupaten ", "Kota Administrasi ", "Kota "):
        if regency_name.startswith(prefix):
            return regency_name[len(prefix) :]
    return regency_name


def _user(username, full_name):
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": f"{username}@demo.blk.local"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _demo_users(centres):
    first = centres[0]
    incubator = next((c for c in centres if c.is_incubator), first)
    specs = [
        ("pengelola", "Siti Aminah", Role.MANAGER, {"centre": first}),
        ("pengelola2", "Ahmad Fauzi", Role.MANAGER, {"centre": centres[1] if len(centres) > 1 else first}),
        ("verifikator", "Budi Santoso", Role.REVIEWER, {"province_id": first.province_id}),
        ("direktorat", "Dewi Lestari", Role.DIRECTORATE, {}),
        ("fkn", "Hasan Basri", Role.FKN, {}),
        ("mentor", "Dr. Rina Wulandari", Role.MENTOR, {"centre": incubator}),
        ("admin", "Administrator Portal", Role.ADMIN, {}),
    ]
    # Names only: the menu shows the role beside the name.
    for username, full_name, role, scope in specs:
        user = _user(username, full_name)
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope)
    admin = User.objects.get(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])


def demo_admin() -> User:
    """The demo administrator: the acting user of what the seeds do through services."""
    return User.objects.get(username="admin")


def demo_logins():
    """(role label, username, scope) for the printed demo logins."""
    rows = []
    for username in ["pengelola", "verifikator", "direktorat", "fkn", "mentor", "admin"]:
        user = User.objects.filter(username=username).first()
        if not user:
            continue
        for a in user.role_assignments.select_related("centre", "province"):
            rows.append((a.get_role_display(), username, str(a.centre or a.province or "Nasional")))
    return rows
