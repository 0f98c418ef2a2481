from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bantuan, MentoringSession, Tenant, TenantProgress, TenantStageChange


class StageChangeInline(admin.TabularInline):
    model = TenantStageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_on", "reason", "by"]
    can_delete = False


@admin.register(Tenant)
class TenantAdmin(SimpleHistoryAdmin):
    list_display = ["business_name", "owner_name", "centre", "stage", "entry_date"]
    list_filter = ["stage", "sector", "legal_form"]
    search_fields = ["business_name", "owner_name", "centre__name", "centre__reg_code"]
    raw_id_fields = ["centre", "kejuruan", "training_batch", "created_by"]
    # Stage moves and NIK go through services (rules, history, hashing), not the admin.
    readonly_fields = ["stage", "stage_since", "nik_hash"]
    inlines = [StageChangeInline]


@admin.register(TenantProgress)
class TenantProgressAdmin(admin.ModelAdmin):
    list_display = ["tenant", "month", "omzet", "profit", "workers"]
    raw_id_fields = ["tenant", "recorded_by"]
    date_hierarchy = "month"


@admin.register(Bantuan)
class BantuanAdmin(admin.ModelAdmin):
    list_display = ["tenant", "kind", "amount", "received_on", "source"]
    list_filter = ["kind"]
    raw_id_fields = ["tenant", "created_by"]


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ["tenant", "held_on", "mentor_name", "topic", "duration_minutes"]
    raw_id_fields = ["tenant", "mentor", "logged_by"]
