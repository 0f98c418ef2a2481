"""Writes for the registry: centres, users and roles. Each service is atomic, takes the acting
user as `by` and checks it through access (a forged call is refused), and raises DomainError with a
message a person can read."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.phones import normalise_phone

from . import access
from .access import Perm
from .models import Centre, Role, RoleAssignment, User

CENTRE_FIELDS = [
    "reg_code",
    "name",
    "host_name",
    "host_type",
    "address",
    "regency",
    "latitude",
    "longitude",
    "cohort_year",
    "activated_on",
    "deactivated_on",
    "kemandirian_class",
    "kemandirian_assessed_on",
    "is_incubator",
    "incubator_year",
    "incubator_university",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def centre_rule_errors(values) -> dict[str, str]:
    """The rules a centre obeys beyond its single fields, on a mapping or a Centre: {field: message}.
    The one place for them: the page form, the API serializer, the import's dry run and every write
    (centre_check_rules) all ask here."""
    get = values.get if hasattr(values, "get") else lambda name: getattr(values, name, None)
    errors = {}
    activated, deactivated, cohort = get("activated_on"), get("deactivated_on"), get("cohort_year")
    if deactivated and activated and deactivated < activated:
        errors["deactivated_on"] = _("Tanggal nonaktif tidak boleh sebelum tanggal aktif.")
    if get("is_incubator") and not get("incubator_year"):
        errors["incubator_year"] = _("Tahun penetapan inkubator wajib diisi untuk BLK inkubator.")
    if activated and cohort and activated.year < cohort:
        errors["activated_on"] = _("Tanggal aktif tidak boleh sebelum tahun dibangun.")
    if get("kemandirian_class") and not get("kemandirian_assessed_on"):
        errors["kemandirian_assessed_on"] = _("Isi tanggal penilaian kemandirian.")
    return errors


def centre_check_rules(centre: Centre) -> None:
    """Refuse a centre that breaks a rule of centre_rule_errors (the first one, beside its field)."""
    for field, message in centre_rule_errors(centre).items():
        raise DomainError(str(message), field=field)


def _check_in_scope(by, centre: Centre) -> None:
    """`by` manages centres where `centre` is (or, for a new or moved centre, would be)."""
    if centre.regency_id:
        centre.province_id = centre.regency_id.split(".")[0]
    access.check(by, Perm.MANAGE_CENTRES, centre)


@transaction.atomic
def centre_create(*, by, data: dict, kejuruan=(), reason: str = "") -> Centre:
    """Register a centre; `reason` is kept in its history (e.g. the import file it came from)."""
    centre = Centre(**{k: v for k, v in data.items() if k in CENTRE_FIELDS})
    centre._history_user, centre._change_reason = by, reason
    _check_in_scope(by, centre)
    if not centre.is_incubator:
        centre.incubator_year = None
    centre_check_rules(centre)
    centre.save()
    centre.kejuruan.set(kejuruan)
    return centre


@transaction.atomic
def centre_update(*, centre: Centre, by, data: dict, kejuruan=None, reason: str = "") -> Centre:
    """Change a centre's registry data; history keeps the previous values, who and why."""
    centre._history_user, centre._change_reason = by, reason
    access.check(by, Perm.MANAGE_CENTRES, centre)
    for key, value in data.items():
        if key in CENTRE_FIELDS:
            setattr(centre, key, value)
    _check_in_scope(by, centre)
    if not centre.is_incubator:
        centre.incubator_year = None
    centre_check_rules(centre)
    centre.save()
    if kejuruan is not None:
        centre.kejuruan.set(kejuruan)
    return centre


@transaction.atomic
def centre_deactivate(*, centre: Centre, by, on: dt.date) -> Centre:
    """Deactivate from a date: the centre is no longer expected to report for months after it."""
    access.check(by, Perm.MANAGE_CENTRES, centre)
    if centre.deactivated_on is not None:
        raise DomainError(_("BLK ini sudah nonaktif."), field="deactivated_on")
    if on < centre.activated_on:
        raise DomainError(_("Tanggal nonaktif tidak boleh sebelum tanggal aktif."), field="deactivated_on")
    centre.deactivated_on = on
    centre.save(update_fields=["deactivated_on", "updated_at"])
    return centre


@transaction.atomic
def centre_reactivate(*, centre: Centre, by) -> Centre:
    access.check(by, Perm.MANAGE_CENTRES, centre)
    centre.deactivated_on = None
    centre.save(update_fields=["deactivated_on", "updated_at"])
    return centre


@transaction.atomic
def user_create(
    *, by, username: str, email: str, full_name: str = "", password: str | None = None, phone: str = ""
) -> User:
    """Create an account. Without a password it gets a random one nobody knows, and the user sets
    their own through the e-mailed link. (Not an "unusable" password: Django's reset form skips such
    accounts, so neither the invitation nor "Lupa kata sandi" would reach them.)"""
    access.check(by, Perm.MANAGE_USERS)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Nama pengguna sudah dipakai."), field="username")
    if email and User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("Alamat e-mail sudah dipakai akun lain."), field="email")
    user = User(username=username, email=email, full_name=full_name, phone=_phone(phone))
    user.set_password(password or secrets.token_urlsafe(32))
    user.save()
    return user


def _phone(text: str) -> str:
    """+62… or a DomainError beside the phone field."""
    try:
        return normalise_phone(text)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="phone") from exc


def _guard_admin_account(by, target: User) -> None:
    # Directorate staff manage users too, but must not take over or strip an administrator (change
    # the e-mail, then reset the password) nor make themselves one.
    access.check(by, Perm.MANAGE_USERS)
    if access.is_admin(target) and not access.is_admin(by):
        raise DomainError(_("Hanya administrator yang dapat mengubah akun administrator."), code="admin_only")


def _is_active_admin(user: User) -> bool:
    return user.is_active and access.is_admin(user)


def _guard_last_admin(target: User) -> None:
    """Refuse a change that would leave no active administrator (nobody could then recover
    accounts). Call inside the transaction, before the change."""
    holders = set(RoleAssignment.objects.filter(role=Role.ADMIN).values_list("user_id", flat=True))
    holders |= set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    # Lock every active administrator (the target too), so two administrators removing each other at
    # the same moment cannot both succeed.
    active = list(User.objects.select_for_update().filter(pk__in=holders, is_active=True).values_list("pk", flat=True))
    if not [pk for pk in active if pk != target.pk]:
        raise DomainError(
            _(
                "Ini administrator aktif terakhir. Tunjuk administrator lain terlebih dulu agar portal tetap "
                "dapat dikelola."
            ),
            code="last_admin",
        )


@transaction.atomic
def user_update(*, user: User, by, email: str, full_name: str, is_active: bool, phone: str | None = None) -> User:
    """Change an account. `by` (the person acting) may not change an administrator unless one."""
    _guard_admin_account(by, user)
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise DomainError(_("Alamat e-mail sudah dipakai akun lain."), field="email")
    if not is_active and _is_active_admin(user):
        _guard_last_admin(user)
    user.email, user.full_name, user.is_active = email, full_name, is_active
    fields = ["email", "full_name", "is_active"]
    if phone is not None:
        user.phone = _phone(phone)
        fields.append("phone")
    user.save(update_fields=fields)
    return user


# Roles an import may give. Administrator and directorate staff are national roles that manage users
# and centres (directorate staff also approve every report): they are given one by one on the user's
# page, by someone who sees who they are giving them to, never by a row in a file.
IMPORTABLE_ROLES = (Role.MANAGER, Role.REVIEWER, Role.MENTOR, Role.FKN)


def role_scope(role: str, *, centre: Centre | None, province) -> tuple[Centre | None, object]:
    """The (centre, province) an assignment of `role` keeps, or a DomainError naming the field: a
    manager or mentor needs a centre (a mentor an incubator centre), a reviewer a province, an FKN
    coordinator a province or nothing (national); directorate and administrator neither."""
    if role in (Role.MANAGER, Role.MENTOR):
        if centre is None:
            raise DomainError(_("Peran ini membutuhkan BLK."), field="centre")
        if role == Role.MENTOR and not centre.is_incubator:
            raise DomainError(_("Mentor hanya dapat ditugaskan ke BLK inkubator."), field="centre")
        return centre, None
    if role == Role.REVIEWER:
        if province is None:
            raise DomainError(_("Verifikator wilayah membutuhkan provinsi."), field="province")
        return None, province
    if role == Role.FKN:
        return None, province
    return None, None


@transaction.atomic
def role_assign(
    *, user: User, by, role: str, centre: Centre | None = None, province=None, reason: str = ""
) -> RoleAssignment:
    """Give `user` a role in a scope that fits the role. Only an administrator makes administrators.
    `reason` is kept in the assignment's history (e.g. the import file it came from)."""
    _guard_admin_account(by, user)
    if role == Role.ADMIN and not access.is_admin(by):
        raise DomainError(_("Hanya administrator yang dapat memberi peran administrator."), field="role")
    centre, province = role_scope(role, centre=centre, province=province)
    duplicate = DomainError(_("Pengguna sudah memiliki peran ini pada cakupan yang sama."), field="role")
    if RoleAssignment.objects.filter(user=user, role=role, centre=centre, province=province).exists():
        raise duplicate
    assignment = RoleAssignment(user=user, role=role, centre=centre, province=province)
    assignment._history_user, assignment._change_reason = by, reason
    try:
        # Two identical requests at once both pass the check above; the role_unique_* constraints
        # stop the second, which then gets the same answer instead of an error page.
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise duplicate from None
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by) -> None:
    """Remove one role assignment (history keeps it)."""
    _guard_admin_account(by, assignment.user)
    target = assignment.user
    if assignment.role == Role.ADMIN and _is_active_admin(target) and not target.is_superuser:
        other_admin_roles = target.role_assignments.filter(role=Role.ADMIN).exclude(pk=assignment.pk)
        if not other_admin_roles.exists():
            _guard_last_admin(target)
    assignment.delete()


def password_reset_send(*, user: User, request) -> None:
    """Send the standard reset link so a new user sets their own password."""
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request, use_https=request.is_secure(), email_template_name="registration/password_reset_email.txt"
        )


def account_invite_send(*, user_id: int) -> bool:
    """E-mail a new account its invitation: a link to set its own password (Django's reset token, so
    it expires after PASSWORD_RESET_TIMEOUT and once used). No password is ever sent or imported.
    Links point at PORTAL_BASE_URL (or the host the portal was last reached on). Derived from an
    import already applied, so it takes no `by`; False when there is no one to invite."""
    from urllib.parse import urlsplit

    from blkportal.core.links import base_url

    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    base = urlsplit(base_url())
    form = PasswordResetForm({"email": user.email})
    if not form.is_valid():
        return False
    roles = [str(a) for a in user.role_assignments.select_related("centre", "province")]
    form.save(
        domain_override=base.netloc + base.path.rstrip("/"),
        use_https=base.scheme == "https",
        subject_template_name="registration/account_invite_subject.txt",
        email_template_name="registration/account_invite_email.txt",
        extra_email_context={"roles": roles},
    )
    return True
