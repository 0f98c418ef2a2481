"""Admin: read-only views of derived data (facts, snapshots) and of scheme versions. Schemes are
edited on the portal's pages (a new version per edit), facts are rebuilt by `rebuild_facts`."""

from django.contrib import admin

from .models import CentreMonth, RankingComponent, RankingScheme, RankingSchemeVersion, RankingSnapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CentreMonth)
class CentreMonthAdmin(ReadOnlyAdmin):
    list_display = ["centre", "month", "province", "expected", "state", "reported", "on_time", "verified"]
    list_filter = ["expected", "reported", "on_time", "verified", "is_incubator", "province"]
    search_fields = ["centre__name", "centre__reg_code"]
    date_hierarchy = "month"
    list_select_related = ["centre", "province"]


class ComponentInline(admin.TabularInline):
    model = RankingComponent
    extra = 0
    can_delete = False
    readonly_fields = ["indicator", "weight", "position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RankingSchemeVersion)
class RankingSchemeVersionAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "number", "window_months", "min_verified_months", "created_at", "created_by"]
    inlines = [ComponentInline]


@admin.register(RankingScheme)
class RankingSchemeAdmin(admin.ModelAdmin):
    # Only the flags; the rules live in versions, created through the portal's scheme pages.
    list_display = ["name", "is_default", "is_active", "created_at"]
    fields = ["name", "is_default", "is_active"]
    readonly_fields = ["name", "is_default"]

    def has_add_permission(self, request):
        return False


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["version", "period", "frozen", "computed_at", "entry_count", "ranked_count"]
    list_filter = ["frozen"]
