"""Fee schedules are the administrator's to edit. Fee records (who was paid what, their
expenses) are not in the admin: they are the expert's and their own organisation's
coordinators' (fees/views.py), as SECURITY.md says."""

from django.contrib import admin

from .models import FeeSchedule


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    """Each organisation's fee per task type. The figures are data: administrators edit them."""

    list_display = ["organisation", "task_type", "basis", "amount", "amount_max"]
    list_editable = ["basis", "amount", "amount_max"]
    list_filter = ["organisation", "basis", "task_type"]
    list_select_related = ["organisation", "task_type"]
    search_fields = ["organisation__name", "task_type__name"]
    ordering = ["organisation__name", "task_type__order", "task_type__slug"]
