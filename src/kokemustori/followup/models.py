from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert
from kokemustori.orders.models import Order

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Debrief(models.Model):
    """The short conversation after an assignment (jälkipuinti), recorded briefly.

    Feelings and support wishes are the expert's own: visible to the expert and the
    coordinators of their organisation, never to the orderer.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="debriefs")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="debriefs")
    held_at = models.DateTimeField(_("held"))
    held_by = models.CharField(_("held by"), max_length=200)
    feelings = models.TextField(_("how the expert felt"), blank=True, max_length=3000)
    evaluation = models.TextField(_("how the assignment went"), blank=True, max_length=3000)
    wants_support = models.BooleanField(_("I would like support"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    support_handled_at = models.DateTimeField(_("support arranged"), null=True, blank=True)
    support_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")
        constraints = [
            models.UniqueConstraint(fields=["order", "expert"], name="one_debrief_per_expert")
        ]
        indexes = [models.Index(fields=["wants_support", "support_handled_at"])]

    def __str__(self):
        return f"{self.order} / {self.expert}"

    @property
    def support_open(self) -> bool:
        return self.wants_support and self.support_handled_at is None


class Feedback(models.Model):
    ORDERER_ON_ASSIGNMENT = "orderer"
    EXPERT_ON_ORDERER = "expert"
    DIRECTIONS = [
        (ORDERER_ON_ASSIGNMENT, _("orderer on the assignment")),
        (EXPERT_ON_ORDERER, _("expert on the orderer")),
    ]

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="feedback")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="feedback")
    direction = models.CharField(max_length=10, choices=DIRECTIONS)
    overall = models.PositiveSmallIntegerField(
        _("overall"), null=True, blank=True, validators=SCORE
    )
    expectations_clear = models.PositiveSmallIntegerField(
        _("the expectations were clear"), null=True, blank=True, validators=SCORE
    )
    time_respected = models.PositiveSmallIntegerField(
        _("the time agreed was respected"), null=True, blank=True, validators=SCORE
    )
    treated_as_equal = models.PositiveSmallIntegerField(
        _("I was treated as an equal"), null=True, blank=True, validators=SCORE
    )
    comment = models.TextField(_("comment"), blank=True, max_length=3000)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "expert", "direction"], name="one_feedback_each_way"
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{score}__isnull": True})
                    | models.Q(**{f"{score}__gte": 1, f"{score}__lte": 5}),
                    name=f"feedback_{score}_1_to_5",
                )
                for score in ("overall", "expectations_clear", "time_respected", "treated_as_equal")
            ],
        ]

    def __str__(self):
        return f"{self.order} / {self.expert} ({self.direction})"
