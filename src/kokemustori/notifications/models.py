from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.orders.models import Order


class ReminderKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("assignment in two days")
    DEBRIEF = "debrief", _("debrief in two days")


class ReminderSent(models.Model):
    """A reminder that has been queued for one person about one order: each is sent once."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="reminders_sent", verbose_name=_("order")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("reminder"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["order", "user", "kind"], name="one_reminder_per_kind"),
        ]

    def __str__(self):
        return f"{self.order} – {self.user} – {self.kind}"
