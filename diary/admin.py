from django.contrib import admin

from diary.models import BodySite, DayLog, Episode, FunctionCheck, Profile, Trigger


@admin.register(BodySite)
class BodySiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "side", "sort_order"]
    list_filter = ["region", "side"]

    def has_add_permission(self, request) -> bool:
        return False  # The catalogue is seeded by a migration; codes are stable.

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["uuid", "user", "started_at", "local_date", "duration", "intensity"]
    list_filter = ["deleted_at"]
    list_select_related = ["user"]
    date_hierarchy = "started_at"
    search_fields = ["user__username", "uuid"]
    raw_id_fields = ["user"]
    filter_horizontal = ["sites", "triggers"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "timezone"]
    list_select_related = ["user"]
    search_fields = ["user__username", "display_name"]


@admin.register(FunctionCheck)
class FunctionCheckAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "created_at"]
    list_select_related = ["user"]
    date_hierarchy = "date"
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(DayLog)
class DayLogAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "sleep", "caffeine", "stress", "hard_exercise", "alcohol"]
    list_select_related = ["user"]
    date_hierarchy = "date"
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
