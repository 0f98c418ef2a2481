"""Records of the review workflow: transitions, comments, corrections and reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reports import Report


class TransitionAction(models.TextChoices):
    SUBMIT = "submit", _("Diajukan")
    VERIFY = "verify", _("Diverifikasi")
    APPROVE = "approve", _("Disetujui")
    RETURN = "return", _("Dikembalikan")
    UNLOCK = "unlock", _("Dibuka kembali oleh administrator")
    CORRECTION_REQUEST = "correction_request", _("Koreksi diminta")
    CORRECTION_APPROVE = "correction_approve", _("Koreksi diizinkan")
    CORRECTION_REJECT = "correction_reject", _("Koreksi ditolak")
    IMPORT = "import", _("Diimpor dari riwayat")


class ReportTransition(models.Model):
    """Who moved a report from which state to which, when and why. Never edited."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("tindakan"), max_length=20, choices=TransitionAction.choices)
    from_status = models.CharField(_("dari"), max_length=10, choices=Report.Status.choices)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=Report.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("waktu"))
    reason = models.TextField(_("alasan/catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%d-%m-%Y %H:%M})"


class ReportComment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="report_comments"
    )
    body = models.TextField(_("komentar"))
    from_centre = models.BooleanField(default=False, help_text="Written by the centre's side.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("komentar laporan")
        verbose_name_plural = _("komentar laporan")

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class CorrectionRequest(models.Model):
    """After approval, values change only through this: reason → unlock → diff → re-approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan")
        OPEN = "open", _("Diizinkan, laporan dibuka")
        REJECTED = "rejected", _("Ditolak")
        CLOSED = "closed", _("Selesai (disetujui ulang)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(_("alasan koreksi"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    # The approved values at the moment of unlocking; the diff is taken against it.
    snapshot = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("permintaan koreksi")
        verbose_name_plural = _("permintaan koreksi")
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(status__in=["pending", "open"]), name="correction_one_active"
            )
        ]

    def __str__(self):
        return f"{self.report} — {self.get_status_display()}"


class ReminderKind(models.TextChoices):
    BEFORE_3 = "before_3", _("3 hari sebelum tenggat")
    ON_DAY = "on_day", _("Hari tenggat")
    AFTER_3 = "after_3", _("3 hari setelah tenggat")
    REVIEWERS_7 = "reviewers_7", _("Daftar ke verifikator (7 hari terlambat)")


class ReminderLog(models.Model):
    """One reminder sent for one centre and month; the unique key stops a second one."""

    centre = models.ForeignKey("registry.Centre", on_delete=models.CASCADE, related_name="reminder_logs")
    period = models.DateField()
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("log pengingat")
        verbose_name_plural = _("log pengingat")
        constraints = [
            models.UniqueConstraint(fields=["centre", "period", "kind"], name="reminder_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.centre_id} {self.period:%m/%Y} {self.kind}"
