"""The network administrator: a person who reads the reports of every organisation of the
installation (the network's own staff, or a funder's contact). Reports only: the role opens no
order, application or expert profile."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkAdministrator(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_administrator",
        verbose_name=_("user"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("network administrator")
        verbose_name_plural = _("network administrators")

    def __str__(self):
        return str(self.user)


def is_network_administrator(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_is_network_administrator", None)
    if cached is None:
        cached = NetworkAdministrator.objects.filter(user=user, is_active=True).exists()
        user._is_network_administrator = cached
    return cached
