"""Vetting of orderers. Anyone may register as an orderer and fill in draft orders; only a
verified orderer browses the catalogue of experts and sends orders.

An orderer is verified
* at once, when their e-mail address is verified (allauth) and its domain is on an
  organisation's allow-list (organisations.OrdererEmailDomain, kept in the admin), or
* when a coordinator approves them. Any active coordinator of the network may decide (the
  catalogue is the network's), but never on their own orderer account.
Every decision is written to the audit log with who and when.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.core.forms import REASON_LIMIT
from kokemustori.core.roles import coordinated_organisations
from kokemustori.organisations.models import OrdererEmailDomain

from .models import Orderer, Verification

REASON_MAX_LENGTH = REASON_LIMIT


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def allowing_domain(address: str) -> OrdererEmailDomain | None:
    """The allow-list entry that covers the address: its domain or a parent domain, of an
    active organisation."""
    domain = email_domain(address)
    if not domain:
        return None
    labels = domain.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    return (
        OrdererEmailDomain.objects.filter(domain__in=candidates, organisation__is_active=True)
        .select_related("organisation")
        .order_by("-domain")
        .first()
    )


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def waiting():
    """Orderers waiting for a coordinator's decision, oldest first."""
    return (
        Orderer.objects.filter(verification=Verification.PENDING, is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def verify_by_domain(orderer: Orderer) -> bool:
    """Verify a waiting orderer whose verified e-mail address is in an allowed domain."""
    if orderer.verification != Verification.PENDING:
        return False
    entry = allowing_domain(orderer.user.email)
    if entry is None or not has_verified_email(orderer.user):
        return False
    with transaction.atomic():
        locked = Orderer.objects.select_for_update().get(pk=orderer.pk)
        if locked.verification != Verification.PENDING:
            return False
        _decide(locked, Verification.VERIFIED, actor=None, verified_domain=entry.domain)
        record(
            None,
            Action.ORDERER_VERIFIED,
            organisation=entry.organisation,
            detail=f"orderer {locked.pk} by e-mail domain {entry.domain}",
        )
    _copy(locked, orderer)
    return True


def create_verified_by_provider(user, organisation_name: str, provider_slug: str) -> Orderer:
    """A first sign-in through an organisation's own identity provider: the provider has
    vouched that the person works there, so the orderer is verified as one of it."""
    with transaction.atomic():
        orderer = Orderer.objects.create(user=user, organisation_name=organisation_name[:200])
        _decide(orderer, Verification.VERIFIED, actor=None)
        record(
            None,
            Action.ORDERER_VERIFIED,
            detail=f"orderer {orderer.pk} by identity provider {provider_slug}",
        )
    return orderer


def email_changed(user) -> None:
    """A new address: a verification that rested on the old address's domain is reconsidered."""
    orderer = Orderer.objects.filter(user=user).first()
    if orderer is None or not orderer.verified_domain:
        return
    entry = allowing_domain(user.email)
    if entry is not None and has_verified_email(user):
        return
    Orderer.objects.filter(pk=orderer.pk).update(
        verification=Verification.PENDING, verified_domain="", decided_at=None, decided_by=None
    )
    verify_by_domain(Orderer.objects.get(pk=orderer.pk))


def approve(actor, orderer: Orderer) -> Orderer:
    return _coordinator_decision(actor, orderer, Verification.VERIFIED, "")


def refuse(actor, orderer: Orderer, reason: str) -> Orderer:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Write a reason: the orderer is shown it.")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [_("Write at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}]}
        )
    return _coordinator_decision(actor, orderer, Verification.REFUSED, reason)


def _coordinator_decision(actor, orderer, outcome, reason):
    organisation = coordinated_organisations(actor).order_by("pk").first()
    if organisation is None or orderer.user_id == actor.pk:
        raise ValidationError(_("You may not decide on this orderer."))
    with transaction.atomic():
        locked = Orderer.objects.select_for_update().get(pk=orderer.pk)
        if locked.verification != Verification.PENDING:
            raise ValidationError(_("Another coordinator has already decided on this orderer."))
        _decide(locked, outcome, actor=actor, reason=reason)
        action = (
            Action.ORDERER_VERIFIED if outcome == Verification.VERIFIED else Action.ORDERER_REFUSED
        )
        record(actor, action, organisation=organisation, detail=f"orderer {locked.pk}")
    _copy(locked, orderer)
    return orderer


def _decide(orderer, outcome, *, actor, reason="", verified_domain=""):
    orderer.verification = outcome
    orderer.decided_at = timezone.now()
    orderer.decided_by = actor
    orderer.refusal_reason = reason
    orderer.verified_domain = verified_domain
    orderer.save(
        update_fields=[
            "verification",
            "decided_at",
            "decided_by",
            "refusal_reason",
            "verified_domain",
        ]
    )


def _copy(source, target):
    for name in ("verification", "decided_at", "decided_by", "refusal_reason", "verified_domain"):
        setattr(target, name, getattr(source, name))


def details_saved(orderer: Orderer) -> None:
    """After registering or editing the orderer details: verify by domain if the address
    allows it; a refused orderer who saves their details again asks for a new decision."""
    if orderer.verification == Verification.REFUSED:
        Orderer.objects.filter(pk=orderer.pk, verification=Verification.REFUSED).update(
            verification=Verification.PENDING, decided_at=None, decided_by=None
        )
        orderer.verification = Verification.PENDING
        orderer.decided_at = orderer.decided_by = None
    verify_by_domain(orderer)
