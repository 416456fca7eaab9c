import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.core.money import euros


class Action(models.TextChoices):
    PROFILE_VIEWED = "profile_viewed", _("viewed a full profile")
    APPLICATION_SUBMITTED = "application_submitted", _("sent an application")
    TRAINING_VERIFIED = "training_verified", _("verified a training")
    TRAINING_REJECTED = "training_rejected", _("did not verify a training")
    KIND_GRANTED = "kind_granted", _("granted a kind")
    KIND_REFUSED = "kind_refused", _("refused a kind")
    BREAK_STARTED = "break_started", _("started a break")
    BREAK_ENDED = "break_ended", _("ended a break")
    EXPORTED = "exported", _("exported data")
    FEE_CREATED = "fee_created", _("created a fee record")
    FEE_EXPENSES_SET = "fee_expenses_set", _("recorded expenses")
    FEE_APPROVED = "fee_approved", _("approved a fee")
    FEE_PAID = "fee_paid", _("marked a fee paid")
    AGREEMENT_CREATED = "agreement_created", _("drew up an agreement")
    AGREEMENT_ACCEPTED = "agreement_accepted", _("accepted an agreement")
    AGREEMENT_CANCELLED = "agreement_cancelled", _("cancelled an agreement")
    AGREEMENT_AMENDED = "agreement_amended", _("changed the terms of an agreement")
    AGREEMENT_DOWNLOADED = "agreement_downloaded", _("downloaded an agreement")
    PERSONAL_DATA_EXPORTED = (
        "personal_data_exported",
        _("opened or downloaded a copy of personal data"),
    )
    ERASED = "erased", _("erased a person's data")
    RETENTION_PURGED = "retention_purged", _("removed data past its retention period")
    ORDERER_VERIFIED = "orderer_verified", _("verified an orderer")
    ORDERER_REFUSED = "orderer_refused", _("did not verify an orderer")
    OIDC_SIGNED_IN = "oidc_signed_in", _("signed in through an identity provider")
    OIDC_ACCOUNT_CREATED = "oidc_account_created", _("got an account through an identity provider")
    OIDC_LINKED = "oidc_linked", _("linked an identity provider to their account")
    OIDC_REFUSED = "oidc_refused", _("was refused a sign-in through an identity provider")
    IDENTITY_CONFIRMED = "identity_confirmed", _("confirmed their identity")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002 - the log is append-only
        raise PermissionError("Audit events are never changed.")

    def delete(self):
        raise PermissionError("Audit events are never deleted.")


# The forms of detail the services write (see their calls of `record`), and how to show them.
DETAIL_FORMS = [
    (
        re.compile(r"fee record (?P<id>\d+): (?P<total>[\d.]+) €"),
        _("fee record %(id)s, %(total)s"),
    ),
    (
        re.compile(r"agreement (?P<id>\d+), order (?P<order>\d+)"),
        _("agreement %(id)s, order %(order)s"),
    ),
    (re.compile(r"training (?P<id>\d+)"), _("training record %(id)s")),
    (re.compile(r"orderer (?P<id>\d+)"), _("orderer %(id)s")),
    (
        re.compile(r"orderer (?P<id>\d+) by e-mail domain (?P<domain>[\w.-]+)"),
        _("orderer %(id)s, by the e-mail domain %(domain)s"),
    ),
    (
        re.compile(r"orderer (?P<id>\d+) by identity provider (?P<provider>[\w-]+)"),
        _("orderer %(id)s, by the identity provider %(provider)s"),
    ),
    (re.compile(r"provider (?P<provider>[\w-]+)"), _("identity provider %(provider)s")),
    (re.compile(r"kind application (?P<id>\d+)"), _("application for a kind %(id)s")),
    (
        re.compile(r"(?P<name>[\w.]+\.(?:csv|xlsx)): (?P<rows>\d+) rows"),
        _("%(name)s, %(rows)s rows"),
    ),
]


class AuditEvent(models.Model):
    """Who did what to whose data, and when. Append-only."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=40, choices=Action.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    expert = models.ForeignKey(
        "experts.Expert",
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_events",
        verbose_name=_("expert"),
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are never deleted.")

    def readable_detail(self) -> str:
        """The stored detail (written in English, ids and counts only) in the reader's
        language where its form is known; any other detail as it was written."""
        for pattern, text in DETAIL_FORMS:
            match = pattern.fullmatch(self.detail)
            if match:
                values = match.groupdict()
                if "total" in values:  # money in the reader's language: 250,00 € / €250.00
                    values["total"] = euros(values["total"])
                return str(text) % values
        return self.detail
