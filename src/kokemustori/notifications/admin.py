from django.contrib import admin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """Which reminders went out, by number only: the recipient may be an expert, whose name
    the administrator does not see."""

    list_display = ("order_id", "user_id", "kind", "sent_at")
    list_filter = ("kind",)
    fields = ("order_id", "user_id", "kind", "sent_at")
    readonly_fields = fields
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
