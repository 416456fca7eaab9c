from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Coordinator, OrdererEmailDomain, Organisation


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    autocomplete_fields = ["user"]


class OrdererEmailDomainInline(admin.TabularInline):
    """Orderers whose confirmed e-mail address is in one of these domains are verified at
    once (orderers/verification.py); others wait for a coordinator."""

    model = OrdererEmailDomain
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "email", "accepts_applications", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CoordinatorInline, OrdererEmailDomainInline]
