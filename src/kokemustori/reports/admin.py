from django.contrib import admin

from .models import NetworkAdministrator


@admin.register(NetworkAdministrator)
class NetworkAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "is_active", "added_at"]
    list_filter = ["is_active"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
