from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import FeeRecord, MileageRate


@admin.register(FeeRecord)
class FeeRecordAdmin(admin.ModelAdmin):
    """Read only: fee records are made from agreements and handled by coordinators."""

    list_display = [
        "assignment_date",
        "expert_name",
        "organisation",
        "fee_type",
        "fee_amount",
        "expenses_amount",
        "status",
        "approved_at",
        "paid_at",
    ]
    list_filter = ["status", "organisation", "fee_type"]
    list_select_related = ["expert__user", "organisation", "agreement"]
    date_hierarchy = "assignment_date"
    search_fields = [
        "expert__user__last_name",
        "agreement__expert_legal_name",
        "agreement__order__title",
    ]
    readonly_fields = [
        "agreement",
        "expert",
        "organisation",
        "assignment_date",
        "fee_amount",
        "fee_type",
        "expenses_amount",
        "public_transport_amount",
        "mileage_km",
        "mileage_rate",
        "mileage_amount",
        "daily_allowance_amount",
        "other_expenses_amount",
        "expenses_note",
        "status",
        "approved_by",
        "approved_at",
        "paid_by",
        "paid_at",
        "created_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("expert"), ordering="expert__user__last_name")
    def expert_name(self, record):
        return record.expert_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MileageRate)
class MileageRateAdmin(admin.ModelAdmin):
    """The kilometre allowance of each year: check it against the Tax Administration's
    yearly decision."""

    list_display = ["year", "rate"]
