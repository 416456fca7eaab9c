from datetime import datetime, time, timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ANSWER_DAYS, AccessibilityFeedback


class AnswerFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("waiting", _("Not answered")),
            ("answered", _("Answered")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "answered":
            return queryset.filter(answered_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(answered_at__isnull=True)
        if self.value() == "overdue":
            # Overdue from the day after the answer-by day, as AccessibilityFeedback.is_overdue.
            start_of_today = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
            return queryset.filter(
                answered_at__isnull=True,
                received_at__lt=start_of_today - timedelta(days=ANSWER_DAYS),
            )
        return queryset


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    """The list shows when each feedback came and by when it must be answered, never the
    message (it may tell of health); the message opens on the feedback's own page."""

    list_display = ("__str__", "received_at", "answer_by_column", "answered_at", "has_address")
    list_filter = (AnswerFilter,)
    date_hierarchy = "received_at"
    fields = (
        "received_at",
        "answer_by_column",
        "language",
        "message",
        "reply_email",
        "answered_at",
    )
    readonly_fields = ("received_at", "answer_by_column", "language", "message", "reply_email")

    @admin.display(description=_("answer by"), ordering="received_at")
    def answer_by_column(self, feedback):
        text = date_format(feedback.answer_by, "DATE_FORMAT")
        if feedback.answered_at:
            return text
        if feedback.is_overdue():
            return format_html('<strong class="errornote">{} ({})</strong>', text, _("overdue"))
        return format_html("<strong>{}</strong>", text)

    @admin.display(description=_("e-mail for the answer"), boolean=True)
    def has_address(self, feedback):
        return bool(feedback.reply_email)

    def has_add_permission(self, request):
        return False
