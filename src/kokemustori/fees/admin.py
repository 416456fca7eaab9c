"""Fee records (who was paid what, their expenses) are not in the admin: they are the
expert's and their own organisation's coordinators' (fees/views.py), as SECURITY.md says.
Fee schedules are in tasktypes' admin; the yearly mileage rate is here."""

from django.contrib import admin

from .models import MileageRate


@admin.register(MileageRate)
class MileageRateAdmin(admin.ModelAdmin):
    """The kilometre allowance of each year: check it against the Tax Administration's
    yearly decision."""

    list_display = ["year", "rate"]
