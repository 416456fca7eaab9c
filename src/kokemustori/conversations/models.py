from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert
from kokemustori.orders.models import Order

# The longest message, in characters (the form says so and refuses a longer one).
BODY_LIMIT = 4000


class Thread(models.Model):
    """One conversation on an order. Without an expert it is the order's own thread (the
    orderer and the coordinators in charge); with one, the thread between the coordinators and
    that offered expert, which the orderer joins once an agreement exists (rules.py)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="threads", verbose_name=_("order")
    )
    expert = models.ForeignKey(
        Expert,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name=_("expert"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            # NULLs are distinct in a unique index: the order's own thread needs its own rule.
            models.UniqueConstraint(
                fields=["order"], condition=Q(expert__isnull=True), name="one_main_thread"
            ),
            models.UniqueConstraint(fields=["order", "expert"], name="one_thread_per_expert"),
        ]

    def __str__(self):
        # Ids only: the admin and logs never need a name or a pseudonym.
        if self.expert_id:
            return f"order {self.order_id}, expert {self.expert_id}"
        return f"order {self.order_id}"

    @property
    def is_main(self) -> bool:
        return self.expert_id is None


class Message(models.Model):
    """One message. The body may hold health data: it never goes to logs, notices, e-mails
    or the audit log. An erased author leaves the row with no author and no body."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=BODY_LIMIT, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self):
        return f"message {self.pk} in {self.thread}"


class ReadMark(models.Model):
    """How far one person has read one thread: messages after `read_at` are unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_person")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread} at {self.read_at:%Y-%m-%d %H:%M}"
