from django.contrib import admin

from .models import Orderer


@admin.register(Orderer)
class OrdererAdmin(admin.ModelAdmin):
    """Orderers' details. Verification is decided by coordinators in the service (with an
    audit trail) or by an organisation's allowed e-mail domains: shown here, not edited."""

    list_display = ["user", "organisation_name", "unit", "verification", "is_active"]
    list_filter = ["verification", "is_active"]
    search_fields = ["user__email", "organisation_name"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "verification",
        "verified_domain",
        "decided_at",
        "decided_by",
        "refusal_reason",
        "created_at",
    ]
