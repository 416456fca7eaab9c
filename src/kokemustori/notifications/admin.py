from django.contrib import admin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("order", "user", "kind", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("order", "user")
    date_hierarchy = "sent_at"
