from django.contrib import admin

from .models import Orderer


@admin.register(Orderer)
class OrdererAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation_name", "unit", "is_active"]
    search_fields = ["user__email", "organisation_name"]
    raw_id_fields = ["user"]
