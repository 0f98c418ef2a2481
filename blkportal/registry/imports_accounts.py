"""Import of accounts from a spreadsheet (the flow is blkportal/core/imports.py): centre managers,
regional reviewers, incubator mentors and FKN coordinators, one row per role, with the role's scope
(a centre's registration code, or a province's code).

- Accounts are matched by e-mail, case-insensitively: an existing account gets the roles it does not
  have yet (its name and phone are left as they are); importing the same file again changes nothing.
  The import adds; it never removes a role.
- A new account is created with a random password nobody knows and gets an invitation e-mail with a
  link to set its own (Django's password-reset token; services.account_invite_send), recorded in the
  outbox with the account. No password is ever read from, or written to, a file.
- Only the roles of services.IMPORTABLE_ROLES: a row may not give the administrator or directorate
  role (national roles that manage users and centres; given one by one on the user's page).
- A row outside the importer's scope (a centre or province they do not manage users in, or the
  account of an administrator for someone who is not one) is rejected, never skipped.
- Each new role is recorded in the assignment's history with the user and the file name.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core import imports, outbox
from blkportal.core.errors import DomainError
from blkportal.core.spreadsheets import Column

from . import access, services
from .access import Perm
from .forms import UserCreateForm
from .models import Centre, Province, Role, User

KIND = "accounts"
SHEET = "Akun"
MAX_ROWS = 5_000

COLUMNS = [
    Column(
        gettext_lazy("E-mail"), "email", True, gettext_lazy("Akun dicocokkan dengan e-mail (huruf besar/kecil sama)")
    ),
    Column(gettext_lazy("Nama lengkap"), "full_name", True),
    Column(gettext_lazy("Peran"), "role", True, gettext_lazy("Pilih dari daftar")),
    Column(gettext_lazy("Kode BLK"), "centre", False, gettext_lazy("Untuk pengelola BLK dan mentor inkubator")),
    Column(
        gettext_lazy("Kode provinsi"),
        "province",
        False,
        gettext_lazy("Untuk verifikator wilayah, dan koordinator FKN provinsi (kosong = FKN nasional); mis. 32"),
    ),
    Column(gettext_lazy("Telepon (WhatsApp)"), "phone", False, gettext_lazy("Mis. 0812 3456 7890")),
    Column(
        gettext_lazy("Nama pengguna"),
        "username",
        False,
        gettext_lazy("Boleh kosong: akun baru memakai alamat e-mail sebagai nama pengguna"),
    ),
]
CENTRE_ROLES = (Role.MANAGER, Role.MENTOR)
PROVINCE_ROLES = (Role.REVIEWER, Role.FKN)


class AccountChecker(imports.Checker):
    """Checks rows against the accounts, centres and provinces as they are now (loaded once)."""

    def prepare(self, rows):
        emails = {values.get("email", "").strip().lower() for _n, values in rows} - {""}
        self.accounts: dict[str, list[User]] = {}
        for user in (
            User.objects.annotate(email_key=Lower("email"))
            .filter(email_key__in=emails)
            .prefetch_related("role_assignments")
            .order_by("pk")
        ):
            self.accounts.setdefault(user.email_key, []).append(user)
        account_ids = [u.pk for users in self.accounts.values() for u in users]
        self.admin_ids = set(
            User.objects.filter(Q(is_superuser=True) | Q(role_assignments__role=Role.ADMIN), pk__in=account_ids)
            .values_list("pk", flat=True)
            .distinct()
        )
        wanted_names = emails | {values.get("username", "").strip().lower() for _n, values in rows}
        self.usernames = dict(
            User.objects.annotate(name_key=Lower("username"))
            .filter(name_key__in=wanted_names - {""})
            .values_list("name_key", "pk")
        )
        codes = {values.get("centre", "").strip().lower() for _n, values in rows} - {""}
        self.centres = {
            c.code_key: c
            for c in Centre.objects.annotate(code_key=Lower("reg_code"))
            .filter(code_key__in=codes)
            .select_related("province")
        }
        # By code (two digits: folding leaves them as they are) and by folded name.
        self.provinces: dict[str, Province] = imports.fold_index(Province.objects.all(), "code", "name")
        self.roles = imports.fold_choices(Role.choices)
        self.by_is_admin = access.is_admin(self.by)
        self.scope = access.scope_for(self.by, Perm.MANAGE_USERS)
        self.people: dict[str, tuple[int, str]] = {}
        self.new_usernames: dict[str, str] = {}
        self.new_accounts: set[str] = set()

    def _province(self, text: str) -> Province | None:
        match = re.match(r"^\s*(\d{2})(?:\D|$)", text)
        if match:
            return self.provinces.get(match.group(1))
        return self.provinces.get(imports.fold(text))

    def check(self, number: int, values: dict) -> imports.Row:
        problems: list[tuple[str, str]] = []
        email = values.get("email", "").strip()
        key = email.lower()
        username_given = values.get("username", "").strip()
        username = username_given or key
        form = UserCreateForm(
            {
                "username": username,
                "full_name": values.get("full_name", ""),
                "email": email,
                "phone": values.get("phone", ""),
            }
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                column = "email" if name == "username" and not username_given else name
                problems.extend((column, str(e)) for e in errors)

        role = self.roles.get(imports.fold(values.get("role", "")))
        if role is None:
            problems.append(("role", _("Peran tidak dikenal. Pilih dari daftar di templat.")))
        elif role not in services.IMPORTABLE_ROLES:
            problems.append(
                (
                    "role",
                    _(
                        "Peran %(role)s tidak dapat diberikan lewat impor; berikan satu per satu di halaman "
                        "pengguna. Baris ditolak."
                    )
                    % {"role": Role(role).label},
                )
            )
        centre = province = None
        code, province_text = values.get("centre", "").strip(), values.get("province", "").strip()
        if code:
            centre = self.centres.get(code.lower())
            if centre is None:
                problems.append(("centre", _("BLK dengan kode ini tidak ditemukan.")))
        if province_text:
            province = self._province(province_text)
            if province is None:
                problems.append(("province", _("Provinsi tidak dikenal. Tulis kodenya (mis. 32) atau namanya.")))
        if role in services.IMPORTABLE_ROLES:
            problems += self._scope_problems(role, code, centre, province_text, province)

        account = None
        matches = self.accounts.get(key, []) if key else []
        if len(matches) > 1:
            problems.append(("email", _("Lebih dari satu akun memakai e-mail ini; rapikan dulu di halaman pengguna.")))
        elif matches:
            account = matches[0]
            if not account.is_active:
                problems.append(("email", _("Akun dengan e-mail ini nonaktif; aktifkan dulu di halaman pengguna.")))
            if account.pk in self.admin_ids and not self.by_is_admin:
                problems.append(
                    (
                        "email",
                        _("Akun ini milik administrator; hanya administrator yang dapat mengubahnya. Baris ditolak."),
                    )
                )
        elif form.is_valid():
            taken = self.usernames.get(username.lower())
            claimed = self.new_usernames.setdefault(username.lower(), key)
            if taken is not None or claimed != key:
                problems.append(
                    (
                        "username" if username_given else "email",
                        _("Nama pengguna %(name)s sudah dipakai akun lain; isi kolom Nama pengguna dengan yang lain.")
                        % {"name": username},
                    )
                )

        scope_key = (key, role, centre.pk if centre else None, province.code if province else None)
        earlier = self.earlier_row(scope_key, number) if key and role else None
        if earlier:
            problems.append(
                (
                    "email",
                    _("Baris ini sama dengan baris %(row)s (e-mail, peran dan cakupan yang sama).") % {"row": earlier},
                )
            )
        name = imports.fold(values.get("full_name", ""))
        first = self.people.setdefault(key, (number, name)) if key else None
        if first and first[0] != number and first[1] != name:
            problems.append(
                ("full_name", _("Nama untuk e-mail ini berbeda dengan baris %(row)s berkas ini.") % {"row": first[0]})
            )

        if problems:
            return imports.Row(number, problems=problems)
        data = {
            "email": form.cleaned_data["email"],
            "full_name": form.cleaned_data["full_name"],
            "phone": form.cleaned_data["phone"],
            "username": username,
            "role": role,
            "centre": centre,
            "province": province,
        }
        if account is None:
            action = imports.UPDATE if key in self.new_accounts else imports.CREATE
            self.new_accounts.add(key)
            return imports.Row(number, action, data=data)
        held = sorted([a.role, a.centre_id or 0, a.province_id or ""] for a in account.role_assignments.all())
        has = [role, centre.pk if centre else 0, province.code if province else ""] in held
        basis = {"active": account.is_active, "roles": held}
        return imports.Row(number, imports.UNCHANGED if has else imports.UPDATE, target=account, data=data, basis=basis)

    def _scope_problems(self, role, code, centre, province_text, province) -> list[tuple[str, str]]:
        problems = []
        if role in CENTRE_ROLES and province_text:
            problems.append(("province", _("Kosongkan kode provinsi untuk peran ini; cakupannya satu BLK.")))
        if role in PROVINCE_ROLES and code:
            problems.append(("centre", _("Kosongkan kode BLK untuk peran ini; cakupannya provinsi.")))
        if problems or (code and centre is None) or (province_text and province is None):
            return problems
        try:
            services.role_scope(role, centre=centre, province=province)
        except DomainError as exc:
            return [(exc.field, exc.message)]
        outside = False
        if centre is not None:
            outside = not self.scope.covers_centre(centre)
        elif province is not None:
            outside = not self.scope.covers_province(province.code)
        else:
            outside = not self.scope.national
        if outside:
            field = "centre" if centre is not None else "province"
            problems.append((field, _("Cakupan ini di luar wilayah yang Anda kelola; baris ditolak.")))
        return problems


@imports.register
class AccountImport(imports.ImportKind):
    name = KIND
    order = 20
    description = gettext_lazy(
        "Akun pengelola BLK, verifikator wilayah, mentor inkubator dan koordinator FKN dengan perannya; akun baru "
        "menerima e-mail undangan."
    )
    sheet = SHEET
    columns = COLUMNS
    max_rows = MAX_ROWS
    checker = AccountChecker
    fallback_field = "email"
    title = gettext_lazy("Impor akun dari Excel")
    template_filename = "templat-akun.xlsx"
    labels = {
        imports.CREATE: gettext_lazy("Akun baru"),
        imports.UPDATE: gettext_lazy("Peran ditambahkan"),
        imports.UNCHANGED: gettext_lazy("Sudah ada"),
        imports.REJECTED: gettext_lazy("Ditolak"),
    }
    changed_message = gettext_lazy(
        "Akun atau peran berubah sejak pemeriksaan. Tidak ada yang diterapkan; unggah berkasnya lagi."
    )
    nothing_message = gettext_lazy("Tidak ada yang perlu diubah: semua akun sudah memiliki peran ini.")

    def check_access(self, by, params):
        access.check(by, Perm.MANAGE_USERS)

    def apply(self, plan, *, job, by, reason, now):
        created: dict[str, User] = {}
        for row in plan.rows:
            if row.action not in (imports.CREATE, imports.UPDATE):
                continue
            data = row.data
            key = data["email"].lower()
            user = row.target or created.get(key)
            if user is None:
                user = services.user_create(
                    by=by,
                    username=data["username"],
                    email=data["email"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                )
                created[key] = user
                # Sent once the import has committed (a rolled-back import invites nobody).
                outbox.enqueue("registry.account_invite", user.pk)
            services.role_assign(
                user=user, by=by, role=data["role"], centre=data["centre"], province=data["province"], reason=reason
            )

    example_key = ("email", "full_name")

    def example(self):
        values = ["budi@contoh.id", "Budi Santoso", str(Role.MANAGER.label), "BLKK-0000-001", None, "081234567890"]
        return dict(zip([c.field for c in self.columns], [*values, None], strict=True))

    def template_xlsx(self, *, by, params):
        provinces = [f"{p.code} {p.name}" for p in Province.objects.order_by("code")]
        roles = [str(Role(r).label) for r in services.IMPORTABLE_ROLES]
        return imports.template_workbook(
            self,
            lists=[
                imports.TemplateList("role", _("Peran"), roles),
                imports.TemplateList("province", _("Provinsi"), provinces),
            ],
            title=_("Petunjuk impor akun"),
            instructions=[
                _("Isi satu baris per peran di lembar %(sheet)s, mulai baris 2. Hapus baris contoh.")
                % {"sheet": SHEET},
                _(
                    "Satu orang dengan dua peran: dua baris dengan e-mail yang sama. Akun dicocokkan dengan "
                    "e-mail; akun yang sudah ada hanya ditambahi peran yang belum dimilikinya."
                ),
                _(
                    "Pengelola BLK dan mentor inkubator: isi Kode BLK. Verifikator wilayah: isi Kode provinsi. "
                    "Koordinator FKN: Kode provinsi, atau kosong untuk FKN nasional."
                ),
                _(
                    "Peran administrator dan staf direktorat tidak dapat diberikan lewat impor; berikan di "
                    "halaman pengguna."
                ),
                _(
                    "Jangan menulis kata sandi di berkas. Setiap akun baru menerima e-mail berisi tautan untuk "
                    "membuat kata sandinya sendiri."
                ),
                *imports.COMMON_INSTRUCTIONS,
            ],
        )

    def upload_url(self, params):
        return reverse("registry:user_import")

    def template_url(self, params):
        return reverse("registry:user_import_template")

    def crumbs(self, params):
        return [(_("Pengguna"), reverse("registry:user_list"))]

    def steps(self, params):
        return [
            _(
                "Isi satu baris per peran: pengelola BLK, verifikator wilayah, mentor inkubator atau koordinator "
                "FKN, dengan cakupannya (kode BLK atau kode provinsi)."
            ),
            _(
                "Unggah berkasnya. Portal memeriksa setiap baris dulu; tidak ada yang disimpan sebelum Anda "
                "konfirmasi. Akun baru menerima e-mail undangan untuk membuat kata sandi."
            ),
        ]

    def confirm_text(self, summary):
        return _(
            "Menerapkan impor ini membuat %(c)s akun baru (masing-masing menerima e-mail undangan untuk membuat "
            "kata sandi) dan menambahkan %(u)s peran ke akun. Tercatat atas nama Anda."
        ) % {"c": summary.get(imports.CREATE, 0), "u": summary.get(imports.UPDATE, 0)}
