from django.contrib import admin

from .models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """Administrators run the installation; they do not read experts' experience data.
    Only the organisational fields are here; the full profile is for coordinators."""

    list_display = ["__str__", "organisation", "status", "on_break"]
    list_filter = ["status", "organisation", "on_break"]
    fields = ["user", "organisation", "status", "on_break"]
    readonly_fields = ["user"]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False
