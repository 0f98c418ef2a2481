from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Centre, Kejuruan, Province, Regency, RoleAssignment, User


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]


@admin.register(Kejuruan)
class KejuruanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["reg_code", "name", "province", "regency", "cohort_year", "kemandirian_class", "is_incubator"]
    list_filter = ["province", "cohort_year", "kemandirian_class", "is_incubator", "host_type"]
    search_fields = ["reg_code", "name", "host_name"]
    autocomplete_fields = ["regency"]
    filter_horizontal = ["kejuruan"]
    list_select_related = ["province", "regency"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["centre"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Portal", {"fields": ("full_name", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "centre", "province"]
    list_filter = ["role", "province"]
    search_fields = ["user__username", "centre__name"]
    autocomplete_fields = ["user", "centre"]
