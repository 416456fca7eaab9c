from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The Act on the Provision of Digital Services (306/2019, section 16): feedback on
# accessibility is answered within 14 days.
ANSWER_DAYS = 14
MAX_MESSAGE_LENGTH = 4000


class AccessibilityFeedback(models.Model):
    """Feedback on the accessibility statement's form. The message may tell of the sender's
    health or disability: it is shown in the admin only, never logged or e-mailed."""

    message = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH)
    reply_email = models.EmailField(_("e-mail for the answer"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-received_at"]

    def __str__(self):
        return _("Accessibility feedback %(number)s") % {"number": self.pk}

    @property
    def answer_by(self):
        """The last day to answer, in the service's time zone."""
        return timezone.localdate(self.received_at) + timedelta(days=ANSWER_DAYS)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.answered_at is None and today > self.answer_by
