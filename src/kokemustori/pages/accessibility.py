"""The accessibility statement and its feedback (Act on the Provision of Digital Services
306/2019): when the service was last checked, and how feedback reaches the administrators
with the date by which it must be answered."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from kokemustori.outbox.services import enqueue

from .models import AccessibilityFeedback

# The day the statement's checks were last run (axe-core in the browser tests and the manual
# keyboard checks). Change it when the checks are run again and the statement reviewed.
LAST_CHECKED = date(2026, 12, 2)

SUPERVISOR_URL = "https://www.saavutettavuusvaatimukset.fi/"


def last_checked() -> date:
    return getattr(settings, "ACCESSIBILITY_LAST_CHECKED", LAST_CHECKED)


def administrators():
    """Everyone who runs the installation: active staff and superusers with an address."""
    return (
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _language(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if getattr(user, "language", "") in codes else settings.LANGUAGE_CODE


def _email(feedback, user):
    """Subject and body in the administrator's language. The message itself is not in the
    e-mail (it may tell of health): the link opens it in the admin."""
    with translation.override(_language(user)):
        answer_by = formats.date_format(feedback.answer_by, "DATE_FORMAT")
        link = settings.SITE_URL.rstrip("/") + reverse(
            "admin:pages_accessibilityfeedback_change", args=[feedback.pk]
        )
        subject = _("Accessibility feedback: answer by %(date)s") % {"date": answer_by}
        lines = [
            _("Someone sent feedback on the accessibility of Kokemustori."),
            "",
            _("The law requires an answer within 14 days: answer by %(date)s.")
            % {"date": answer_by},
            _("The sender gave an e-mail address for the answer.")
            if feedback.reply_email
            else _("The sender gave no e-mail address, so no answer can be sent."),
            "",
            _("Read it in the administration (the message is not in this e-mail):"),
            link,
            "",
            _("When you have answered, mark the feedback answered there."),
        ]
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "Kokemustori: ")
        return prefix + subject, "\n".join(lines) + "\n", translation.get_language()


@transaction.atomic
def receive(*, message: str, reply_email: str, language: str) -> AccessibilityFeedback:
    """Store the feedback and tell every administrator, in one transaction."""
    feedback = AccessibilityFeedback.objects.create(
        message=message, reply_email=reply_email, language=language
    )
    for user in administrators():
        subject, body, email_language = _email(feedback, user)
        enqueue(
            key=f"accessibility-feedback:{feedback.pk}:user={user.pk}",
            to_email=user.email,
            user=user,
            language=email_language,
            template="accessibility_feedback",
            event=f"accessibility_feedback:{feedback.pk}",
            about=feedback,
            subject=subject,
            body_text=body,
        )
    return feedback
