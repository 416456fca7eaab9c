from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ExperienceArea, Language, Region, Topic


class NamedAdmin(TranslationAdmin):
    list_display = ["name", "slug", "is_active", "order"]
    list_editable = ["is_active", "order"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Topic)
class TopicAdmin(NamedAdmin):
    list_display = [*NamedAdmin.list_display, "area"]
    list_filter = ["area"]


admin.site.register(ExperienceArea, NamedAdmin)
admin.site.register(Language, NamedAdmin)
admin.site.register(Region, NamedAdmin)
