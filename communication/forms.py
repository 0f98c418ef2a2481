from django import forms
from django.utils.translation import gettext_lazy as _

from blkportal.registry.access import Perm
from blkportal.registry.models import Kejuruan, Province

from .models import AudienceRole, Conversation, Product, ProductCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(
        label=_("Isi"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Teks biasa; tautan https:// bisa diklik."),
    )
    all_provinces = forms.BooleanField(label=_("Semua provinsi"), required=False)
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    cohort_years = forms.CharField(
        label=_("Tahun dibangun (angkatan)"),
        required=False,
        help_text=_("Kosongkan untuk semua angkatan; beberapa tahun dipisah koma, mis. 2019, 2020."),
    )
    incubators_only = forms.BooleanField(label=_("Hanya BLK inkubator wirausaha"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Peran penerima"),
        choices=AudienceRole.choices,
        initial=[AudienceRole.MANAGER],
        widget=forms.CheckboxSelectMultiple,
    )
    publish_at = forms.DateTimeField(
        label=_("Terbit pada"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Kosongkan untuk terbit sekarang."),
    )
    expires_at = forms.DateTimeField(label=_("Berakhir pada"), required=False, widget=DateTimeLocalInput())
    attachments = MultipleFileField(label=_("Lampiran (PDF, JPEG, PNG)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from blkportal.registry import access

        self.fields["provinces"].queryset = access.provinces_for(user, Perm.PUBLISH_ANNOUNCEMENTS).order_by("name")
        if not access.is_national(user, Perm.PUBLISH_ANNOUNCEMENTS):
            del self.fields["all_provinces"]
        else:
            self.fields["all_provinces"].initial = True

    def clean_cohort_years(self):
        raw = self.cleaned_data.get("cohort_years") or ""
        years = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 2017 <= int(part) <= 2100:
                raise forms.ValidationError(_("Tulis tahun empat angka antara 2017 dan 2100, dipisah koma."))
            years.append(int(part))
        return years


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Pesan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class ConversationForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("BLK"), queryset=None)
    counterpart = forms.ChoiceField(label=_("Dengan"), choices=Conversation.With.choices)
    subject = forms.CharField(label=_("Perihal"), max_length=200)
    report = forms.ModelChoiceField(label=_("Laporan terkait (opsional)"), queryset=None, required=False)
    body = forms.CharField(label=_("Pesan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from blkportal.registry import access
        from reporting.models import Report

        centres = access.centres_for(user, Perm.SEND_MESSAGES).order_by("name")
        self.fields["centre"].queryset = centres
        self.fields["report"].queryset = access.filter_by_scope(
            Report.objects.select_related("centre"), user, Perm.SEND_MESSAGES
        ).order_by("-period")
        self.fields["report"].label_from_instance = lambda r: f"{r.centre.name} · {r.period:%m/%Y}"
        scope = access.scope_for(user, Perm.SEND_MESSAGES)
        if scope.centre_ids and len(scope.centre_ids) == 1 and not scope.national and not scope.province_codes:
            self.fields["centre"].initial = next(iter(scope.centre_ids))
        if not scope.national and not scope.centre_ids:
            self.fields["counterpart"].choices = [c for c in Conversation.With.choices if c[0] == "reviewers"]


class ProductForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("Pemilik produk (wirausaha/BLK) telah menyetujui publikasi nama, foto, uraian dan kontak di atas"),
        required=False,
        help_text=_("Tanpa persetujuan ini produk tidak dapat diajukan untuk tayang."),
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "category",
            "kejuruan",
            "tenant",
            "description",
            "price_min",
            "price_max",
            "marketplace_links",
            "shop_address",
            "contact",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "marketplace_links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        from incubator.models import Tenant

        self.fields["tenant"].queryset = Tenant.objects.filter(centre=centre).order_by("business_name")
        self.fields["tenant"].required = False
        self.fields["kejuruan"].queryset = Kejuruan.objects.filter(is_active=True)
        self.fields["category"].choices = ProductCategory.choices
        if self.instance and self.instance.pk:
            self.fields["consent"].initial = self.instance.consent_at is not None

    def clean_marketplace_links(self):
        value = self.cleaned_data.get("marketplace_links") or ""
        for line in value.splitlines():
            if line.strip() and not line.strip().startswith(("https://", "http://")):
                raise forms.ValidationError(_("Setiap tautan harus diawali https:// (satu per baris)."))
        return value

    def clean(self):
        data = super().clean()
        lo, hi = data.get("price_min"), data.get("price_max")
        if lo is not None and hi is not None and hi < lo:
            self.add_error("price_max", _("Harga tertinggi tidak boleh di bawah harga terendah."))
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Foto (JPEG atau PNG)"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui tayang")), ("reject", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class CatalogueFilter(forms.Form):
    provinsi = forms.ModelChoiceField(
        label=_("Provinsi"), queryset=Province.objects.all(), required=False, to_field_name="code"
    )
    kejuruan = forms.ModelChoiceField(
        label=_("Kejuruan"), queryset=Kejuruan.objects.filter(is_active=True), required=False, to_field_name="code"
    )
    kategori = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Semua"))] + list(ProductCategory.choices), required=False
    )
    q = forms.CharField(label=_("Cari"), max_length=80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinsi"].empty_label = _("Semua")
        self.fields["kejuruan"].empty_label = _("Semua")
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select form-select-sm" if not isinstance(f, forms.CharField) else "form-control form-control-sm"
            )
