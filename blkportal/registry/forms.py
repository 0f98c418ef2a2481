from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from blkportal.core.errors import DomainError
from blkportal.core.forms import DateInput, PreloadedChoiceField, WithoutConstraintQueries
from blkportal.core.phones import PhoneField

from .models import Centre, Kejuruan, Province, Regency, Role


class CentreForm(forms.ModelForm):
    kejuruan = forms.ModelMultipleChoiceField(
        label=_("Kejuruan"),
        queryset=Kejuruan.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.select_related("province").order_by("province__name", "name"),
    )

    class Meta:
        model = Centre
        fields = [
            "reg_code",
            "name",
            "host_name",
            "host_type",
            "address",
            "regency",
            "latitude",
            "longitude",
            "cohort_year",
            "kejuruan",
            "activated_on",
            "kemandirian_class",
            "kemandirian_assessed_on",
            "is_incubator",
            "incubator_year",
            "incubator_university",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {
            "activated_on": DateInput(),
            "kemandirian_assessed_on": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "latitude": forms.NumberInput(attrs={"step": "any", "placeholder": "-6.9175", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "placeholder": "107.6191", "inputmode": "decimal"}),
            "cohort_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "incubator_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].label_from_instance = lambda r: f"{r.name} ({r.province.name})"

    def clean_reg_code(self):
        code = self.cleaned_data["reg_code"].strip()
        # Codes are looked up case-insensitively (role assignment), so "blkk-a" duplicates "BLKK-A".
        others = Centre.objects.filter(reg_code__iexact=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Kode registrasi ini sudah dipakai BLK lain."), code="unique")
        return code

    def clean(self):
        data = super().clean()
        from .services import centre_rule_errors

        for field, message in centre_rule_errors(data).items():
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return data


class CentreDeactivateForm(forms.Form):
    deactivated_on = forms.DateField(label=_("Nonaktif sejak"), widget=DateInput())
    confirm = forms.BooleanField(
        label=_("Saya mengerti BLK ini tidak lagi diharapkan melapor sejak tanggal tersebut."), required=True
    )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Hanya huruf, angka dan @/./+/-/_ yang diperbolehkan.")},
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = PhoneField(label=_("Telepon (WhatsApp)"))
    send_reset = forms.BooleanField(
        label=_("Kirim tautan untuk membuat kata sandi ke e-mail ini"), required=False, initial=True
    )


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = PhoneField(label=_("Telepon (WhatsApp)"))
    is_active = forms.BooleanField(label=_("Akun aktif"), required=False)


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    centre_code = forms.CharField(
        label=_("Kode registrasi BLK (untuk pengelola/mentor)"), max_length=30, required=False
    )
    province = forms.ModelChoiceField(
        label=_("Provinsi (untuk verifikator/FKN provinsi)"), queryset=Province.objects.all(), required=False
    )

    def clean_centre_code(self):
        code = self.cleaned_data["centre_code"].strip()
        if not code:
            return None
        centre = Centre.objects.filter(reg_code__iexact=code).first()
        if centre is None:
            raise forms.ValidationError(_("BLK dengan kode ini tidak ditemukan."))
        return centre


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas (.xlsx atau .csv)"),
        help_text=_("Paling besar 10 MB. Gunakan templat agar judul kolom sesuai."),
        error_messages={"required": _("Pilih berkas .xlsx atau .csv."), "empty": _("Berkas kosong.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Saya sudah memeriksa ringkasan dan ingin menerapkan perubahan ini."),
        error_messages={"required": _("Centang konfirmasi dulu.")},
    )


class CentreImportForm(WithoutConstraintQueries, CentreForm):
    """The web form's fields and rules for one imported row. Lookups come from dictionaries the
    import loads once, and the rules that would cost a query per row (foreign key exists, unique
    code, check constraints) are checked by the import itself or by the service's own rule check."""

    unchecked_fields = frozenset({"regency", "kejuruan"})

    def __init__(self, *args, regencies: dict, kejuruan: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"] = PreloadedChoiceField(regencies, label=self.fields["regency"].label)
        self.fields["kejuruan"] = PreloadedChoiceField(kejuruan, many=True, required=False)

    def clean_reg_code(self):
        # Rows are matched by code, so a code already in the registry is that centre's update.
        return self.cleaned_data["reg_code"].strip()

    def check_instance(self):
        from .services import centre_check_rules

        try:
            centre_check_rules(self.instance)
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class LoginForm(AuthenticationForm):
    """The sign-in form, with a failure message written for people (Django's own, translated, read
    "Masukkan nama pengguna nama pengguna dan sandi yang benar")."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar dan kecil dibedakan) lalu coba lagi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin portal."),
    }
