"""The rules of onboarding commitments. Views only call these.

Confidentiality: each background organisation keeps its commitment text in versions; an
expert who holds a kind signs the current version in the service (who and when recorded).
When the organisation has a text, an expert accepts an offer only after signing its current
version, and the agreement names the version signed.

Training programmes: verified training records of one organiser and one kind of training
may be combined by the expert's coordinator into one programme; the kinds' minimums
(kinds.py) then apply to the programme's hours added up and its span from the first module's
start to the last module's end.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kokemustori.audit.log import record
from kokemustori.audit.models import Action
from kokemustori.experts.models import KindApplication, TrainingRecord

from .models import ConfidentialityText, Module, Signature, TrainingProgramme

MIN_MODULES = 2
TEXT_LIMIT = 10000


# Training programmes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeTraining:
    """A verified programme read as one training (what kinds.grant_refusal_reason reads)."""

    programme: TrainingProgramme
    training_type: str
    hours: Decimal
    start_date: date
    end_date: date
    records: tuple

    def __str__(self):
        return _("%(name)s, %(organiser)s, %(hours)s h in %(modules)s modules") % {
            "name": self.programme.name,
            "organiser": self.programme.organiser,
            "hours": f"{self.hours.normalize():f}",
            "modules": len(self.records),
        }


def as_training(programme: TrainingProgramme) -> ProgrammeTraining | None:
    """The programme as one training, while every module is still verified."""
    records = tuple(m.training for m in programme.modules.all())
    if not records or any(r.status != TrainingRecord.VERIFIED for r in records):
        return None
    return ProgrammeTraining(
        programme=programme,
        training_type=programme.training_type,
        hours=sum((r.hours for r in records), Decimal("0")),
        start_date=min(r.start_date for r in records),
        end_date=max(r.end_date for r in records),
        records=records,
    )


def verified_programmes(expert) -> list[ProgrammeTraining]:
    programmes = TrainingProgramme.objects.filter(expert=expert).prefetch_related(
        "modules__training"
    )
    return [t for t in (as_training(p) for p in programmes) if t is not None]


def _same(value: str) -> str:
    return " ".join(value.split()).casefold()


@transaction.atomic
def combine(user, expert, trainings, name: str) -> TrainingProgramme:
    """The coordinator records these verified trainings as modules of one programme."""
    if not rules.has_perm("experts.review_expert", user, expert):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Name the programme.")]})
    trainings = list(trainings)
    if len(trainings) < MIN_MODULES:
        raise ValidationError(
            {"trainings": [_("Choose at least %(count)s modules.") % {"count": MIN_MODULES}]}
        )
    if any(t.expert_id != expert.pk for t in trainings):
        raise PermissionDenied
    if any(t.status != TrainingRecord.VERIFIED for t in trainings):
        raise ValidationError(
            {"trainings": [_("Verify each module first; only verified modules add up.")]}
        )
    if len({_same(t.organiser) for t in trainings}) > 1:
        raise ValidationError(
            {"trainings": [_("The modules of one programme have the same organiser.")]}
        )
    if len({t.training_type for t in trainings}) > 1:
        raise ValidationError(
            {"trainings": [_("The modules of one programme are the same kind of training.")]}
        )
    if Module.objects.filter(training__in=trainings).exists():
        raise ValidationError(
            {"trainings": [_("A training is already a module of another programme.")]}
        )
    first = min(trainings, key=lambda t: t.start_date)
    programme = TrainingProgramme.objects.create(
        expert=expert,
        name=name,
        training_type=first.training_type,
        organiser=first.organiser,
        verified_by=user,
    )
    Module.objects.bulk_create(Module(programme=programme, training=t) for t in trainings)
    record(user, Action.TRAINING_VERIFIED, expert=expert, detail=f"programme {programme.pk}")
    return programme


# Confidentiality ---------------------------------------------------------------------------------


def current_text(organisation) -> ConfidentialityText | None:
    if organisation is None:
        return None
    return (
        ConfidentialityText.objects.filter(organisation=organisation).order_by("-version").first()
    )


@transaction.atomic
def publish_text(user, organisation, text: str) -> ConfidentialityText:
    """A new version of the organisation's commitment; experts sign it anew."""
    if not rules.has_perm("commitments.publish", user, organisation):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the commitment.")]})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({"text": [_("Keep the commitment under 10,000 characters.")]})
    # Lock the organisation's row so two coordinators never make the same version.
    type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
    last = ConfidentialityText.objects.filter(organisation=organisation).aggregate(
        n=Max("version")
    )["n"]
    return ConfidentialityText.objects.create(
        organisation=organisation, version=(last or 0) + 1, text=text, published_by=user
    )


def holds_a_kind(expert) -> bool:
    return expert.kind_applications.filter(status=KindApplication.GRANTED).exists()


def signature_of(expert) -> Signature | None:
    """The expert's signature of their organisation's current version, if any."""
    text = current_text(expert.organisation)
    if text is None:
        return None
    return Signature.objects.filter(expert=expert, text=text).first()


def needs_signature(expert) -> bool:
    return current_text(expert.organisation) is not None and signature_of(expert) is None


@transaction.atomic
def sign(user, expert, version: int) -> Signature:
    """The expert signs the version they read (refused if a newer one came meanwhile)."""
    if expert.user_id != user.pk:
        raise PermissionDenied
    if not holds_a_kind(expert):
        raise ValidationError(
            _("The commitment is signed once your coordinator has granted you a kind.")
        )
    text = current_text(expert.organisation)
    if text is None:
        raise ValidationError(_("Your organisation has no confidentiality commitment to sign."))
    if text.version != version:
        raise ValidationError(
            _("The commitment was changed while you were reading it. Read the new version.")
        )
    signature, _created = Signature.objects.get_or_create(
        expert=expert, text=text, defaults={"signed_by": user}
    )
    return signature


def refuse_unless_signed(offer) -> None:
    """An expert accepts an offer only after signing their organisation's current commitment
    (when the organisation has one)."""
    if needs_signature(offer.expert):
        raise ValidationError(
            _(
                "Sign your organisation's confidentiality commitment first; the agreement "
                "refers to it."
            )
        )


def write_into_agreement(agreement) -> None:
    """The agreement names the commitment the expert signed (in Finnish, its language)."""
    signature = signature_of(agreement.expert)
    if signature is None:
        return
    with override("fi"):
        line = _(
            "The expert has signed the confidentiality commitment of %(organisation)s, "
            "version %(version)s, on %(date)s."
        ) % {
            "organisation": signature.text.organisation.name,
            "version": signature.text.version,
            "date": f"{timezone.localtime(signature.signed_at):%d.%m.%Y}",
        }
    agreement.confidentiality = "\n\n".join(p for p in (agreement.confidentiality, line) if p)
    agreement.save(update_fields=["confidentiality"])
