from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """Administrators run the installation; they do not read experts' personal or experience
    data. This read-only list shows how many experts each organisation has and in which state,
    by number only: names, contacts, the profile and fees are for the expert's own
    coordinators in the service."""

    list_display = ["number", "organisation", "status", "on_break"]
    list_filter = ["status", "organisation", "on_break"]
    fields = ["organisation", "status", "on_break"]
    list_display_links = None

    @admin.display(description=_("number"), ordering="pk")
    def number(self, expert):
        return expert.pk

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
