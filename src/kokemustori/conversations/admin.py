from django.contrib import admin
from django.db.models import Count

from .models import Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Which threads exist and how many messages they hold; never who wrote what or the
    messages themselves (they may tell of health): those are for the people taking part."""

    list_display = ("__str__", "created_at", "message_count")
    # The expert by number only: the admin is not a place to see who an expert is.
    fields = ("order", "expert_number", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_count=Count("messages"))

    @admin.display(description="messages")
    def message_count(self, thread):
        return thread.message_count

    @admin.display(description="expert")
    def expert_number(self, thread):
        return thread.expert_id or "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
