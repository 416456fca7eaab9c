from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

from .models import IdentityConfirmation, IdentityProvider

# Providers are configured here (IdentityProvider), their secrets in the environment: allauth's
# own SocialApp (which keeps a secret in the database) and stored tokens are not used.
for model in (SocialApp, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ("organisation_name", "slug", "purpose", "is_enabled")
    list_filter = ("purpose", "is_enabled")
    readonly_fields = ("secret_variable", "created_at")
    fields = (
        "organisation_name",
        "slug",
        "purpose",
        "discovery_url",
        "client_id",
        "secret_variable",
        "is_enabled",
        "accepted_acr",
        "accepted_amr",
        "created_at",
    )

    def get_readonly_fields(self, request, obj=None):
        # The identifier is half of every linked identity: fixed once saved.
        fixed = ("slug",) if obj is not None else ()
        return self.readonly_fields + fixed


@admin.register(IdentityConfirmation)
class IdentityConfirmationAdmin(admin.ModelAdmin):
    list_display = ("expert", "confirmed_at", "provider")
    readonly_fields = ("expert", "legal_name", "confirmed_at", "provider", "confirmed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
