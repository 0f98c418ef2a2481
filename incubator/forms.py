"""Forms of the incubator. They parse what people type (rupiah with dots, months as YYYY-MM);
the rules (no negative money, no month before entry, allowed stage moves) live in services.py,
whose Indonesian messages are shown beside the field."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from blkportal.core.choices import PICK, pick_placeholder
from blkportal.core.forms import DateInput
from blkportal.core.months import MonthFormField, today
from blkportal.registry.models import Kejuruan
from reporting.models import TrainingBatch

from .models import BantuanKind, MarketChannel, ProblemTag, Stage, Tenant
from .services import TENANT_FIELDS, centre_mentors, stage_targets

WHOLE_NUMBER = _("Masukkan bilangan bulat, misalnya 2.")


class RupiahField(forms.CharField):
    """Whole rupiah. Accepts "1500000", "1.500.000", "Rp 1.500.000" and "-250.000"."""

    default_error_messages = {
        # The same words as the report form's rupiah fields.
        "invalid": _("Isi angka rupiah tanpa sen, misalnya 1.500.000."),
    }

    def __init__(self, *, allow_negative=False, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "text" if allow_negative else "numeric", "autocomplete": "off", "maxlength": 30}
        )

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 30:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        text = re.sub(r"^\s*rp\.?\s*", "", str(value), flags=re.IGNORECASE).replace(" ", "")
        text = re.sub(r",0+$", "", text)  # "1.500.000,00"
        if not re.fullmatch(r"-?(\d{1,3}(\.\d{3})+|\d+)", text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text.replace(".", ""))

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{int(value):,}".replace(",", ".")
        return value


class TenantForm(forms.ModelForm):
    nik = forms.CharField(
        label=_("NIK pemilik (tidak disimpan)"),
        max_length=24,
        required=False,
        help_text=_("Hanya sidik (hash) NIK yang disimpan, untuk mengenali pendaftaran ganda antar-BLK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    baseline_omzet = RupiahField(label=_("Omzet awal per bulan (Rp)"))
    stage = forms.ChoiceField(
        label=_("Tahap saat masuk"),
        choices=[(s.value, s.label) for s in (Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI)],
        initial=Stage.PRA_INKUBASI,
    )

    class Meta:
        model = Tenant
        fields = TENANT_FIELDS
        widgets = {
            "entry_date": DateInput(),
            "business_description": forms.Textarea(attrs={"rows": 2}),
            "owner_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["kejuruan"].queryset = Kejuruan.objects.filter(is_active=True)
        self.fields["kejuruan"].help_text = _("Diisi bila pemilik alumni pelatihan BLK.")
        pick_placeholder(self)
        self.fields["entry_date"].initial = today()
        batches = TrainingBatch.objects.filter(centre=centre).select_related("kejuruan").order_by("-start_date")
        self.fields["training_batch"].queryset = batches
        self.fields["training_batch"].help_text = _("Angkatan pelatihan di BLK ini yang diikuti pemilik, bila ada.")
        self.fields["training_batch"].label_from_instance = lambda b: (
            f"{b.kejuruan.name} — {b.program_name} ({b.start_date:%m/%Y})"
        )
        if self.instance.pk:
            # The stage moves through its own form; a stored NIK is never shown back.
            del self.fields["stage"]
            self.fields["nik"].label = _("NIK pemilik (isi hanya untuk mengganti)")
            self.fields["nik"].help_text = (
                _("NIK sudah tercatat sebagai hash.") if self.instance.nik_hash else _("Belum ada NIK tercatat.")
            )
        # Checkbox groups read better together at the end of the owner section.
        self.order_fields(
            [
                "business_name",
                "business_description",
                "legal_form",
                "sector",
                "owner_name",
                "owner_sex",
                "owner_birth_year",
                "owner_phone",
                "nik",
                "is_alumnus",
                "kejuruan",
                "training_batch",
                "entry_date",
                "stage",
                "baseline_omzet",
                "baseline_workers",
                "has_nib",
                "has_pirt",
                "has_halal",
            ]
        )

    def clean_baseline_omzet(self):
        value = self.cleaned_data["baseline_omzet"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("Omzet awal tidak boleh negatif."))
        return value

    def clean_nik(self):
        return re.sub(r"[\s.\-]", "", self.cleaned_data["nik"])

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in TENANT_FIELDS}


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Pindah ke tahap"))
    changed_on = forms.DateField(label=_("Tanggal"), widget=DateInput())
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib untuk gugur, aktif kembali, mundur tahap, atau melompati tahap."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [("", PICK)] + stage_targets(tenant.stage)
        self.fields["changed_on"].initial = today()


class BantuanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis bantuan"), choices=BantuanKind.choices)
    amount = RupiahField(label=_("Nilai (Rp)"))
    received_on = forms.DateField(label=_("Tanggal diterima"), widget=DateInput())
    source = forms.CharField(
        label=_("Sumber"), max_length=200, help_text=_("Misalnya Kemnaker (TKM), pemerintah daerah, CSR.")
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    month = MonthFormField(label=_("Bulan"), allow_future=True)
    omzet = RupiahField(label=_("Omzet bulan ini (Rp)"))
    profit = RupiahField(label=_("Laba bulan ini (Rp)"), allow_negative=True, help_text=_("Rugi ditulis negatif."))
    workers = forms.IntegerField(
        label=_("Tenaga kerja (termasuk pemilik)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": WHOLE_NUMBER},
    )
    market_channels = forms.MultipleChoiceField(
        label=_("Saluran pemasaran"), choices=MarketChannel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    keeps_records = forms.BooleanField(label=_("Membuat pembukuan keuangan"), required=False)
    problem_tags = forms.MultipleChoiceField(
        label=_("Kendala"), choices=ProblemTag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    problems = forms.CharField(label=_("Uraian kendala"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Tanggal sesi"), widget=DateInput())
    mentor = forms.ModelChoiceField(label=_("Mentor (akun)"), queryset=None, required=False)
    mentor_name = forms.CharField(
        label=_("Nama mentor"), max_length=150, required=False, help_text=_("Bila mentor tidak memiliki akun.")
    )
    topic = forms.CharField(label=_("Topik"), max_length=200)
    duration_minutes = forms.IntegerField(
        label=_("Durasi (menit)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": WHOLE_NUMBER},
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tenant, user, **kwargs):
        super().__init__(*args, **kwargs)
        mentors = centre_mentors(tenant.centre_id)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].label_from_instance = lambda u: u.display_name
        self.fields["held_on"].initial = today()
        if mentors.filter(pk=user.pk).exists():
            self.fields["mentor"].initial = user.pk
