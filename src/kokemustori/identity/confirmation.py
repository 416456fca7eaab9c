"""Strong identification for experts (optional per installation): where an identity provider
with the purpose "strong identification" is in use, an expert may confirm their legal name
with it once. The agreement and the fee record then show "identity confirmed on <date>", and
the personal identity code for the payer can be taken from the identification (stored
encrypted, experts.identity) instead of typed."""

from django.contrib import messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.experts import identity as codes

from .models import IdentityConfirmation, IdentityProvider, Purpose

# request.session: the expert asked for the identity code to be taken for the payer.
TAKE_CODE = "identity_take_code"
# Claims that carry the Finnish personal identity code: Suomi.fi's (nationalIdentificationNumber,
# its SAML OID) and the common broker names.
CODE_CLAIMS = (
    "nationalIdentificationNumber",
    "urn:oid:1.2.246.21",
    "national_identification_number",
    "personal_identity_code",
    "hetu",
)


def broker() -> IdentityProvider | None:
    return (
        IdentityProvider.objects.filter(purpose=Purpose.STRONG_IDENTIFICATION, is_enabled=True)
        .order_by("pk")
        .first()
    )


def legal_name(claims: dict) -> str:
    given = (claims.get("given_name") or "").strip()
    family = (claims.get("family_name") or "").strip()
    name = f"{given} {family}".strip() or (claims.get("name") or "").strip()
    return name[:200]


def identity_code(claims: dict) -> str:
    for claim in CODE_CLAIMS:
        value = codes.normalise(str(claims.get(claim) or ""))
        if value and codes.is_valid(value):
            return value
    return ""


def confirm(request, expert, provider, claims) -> IdentityConfirmation | None:
    name = legal_name(claims)
    if not name:
        record(request.user, Action.OIDC_REFUSED, detail=f"provider {provider.slug}: no name")
        messages.error(request, _("The identification did not tell your name. Try again later."))
        return None
    take_code = request.session.pop(TAKE_CODE, False)
    code = identity_code(claims) if take_code else ""
    with transaction.atomic():
        confirmation, _created = IdentityConfirmation.objects.update_or_create(
            expert=expert,
            defaults={
                "legal_name": name,
                "confirmed_at": timezone.now(),
                "provider": provider,
                "confirmed_by": request.user,
            },
        )
        if code and codes.available():
            expert.personal_identity_code_encrypted = codes.encrypt(code)
            expert.save(update_fields=["personal_identity_code_encrypted", "updated_at"])
        record(
            request.user,
            Action.IDENTITY_CONFIRMED,
            expert=expert,
            detail=f"provider {provider.slug}" + (": identity code taken" if code else ""),
        )
    messages.success(request, _("Your identity was confirmed."))
    if take_code and not code:
        messages.warning(
            request,
            _("The identification did not give your personal identity code: type it yourself."),
        )
    return confirmation


def of(expert) -> IdentityConfirmation | None:
    if expert is None or expert.pk is None:
        return None
    return IdentityConfirmation.objects.filter(expert=expert).first()
