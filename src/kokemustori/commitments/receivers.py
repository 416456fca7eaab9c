"""How commitments answer what the apps below announce (docs/architecture.md)."""

from django.dispatch import receiver

from kokemustori.experts.signals import more_verified_trainings
from kokemustori.offers.signals import offer_accepted, offer_page

from . import services


@receiver(more_verified_trainings, dispatch_uid="commitments.more_verified_trainings")
def programmes_as_trainings(sender, expert, **kwargs):
    return services.verified_programmes(expert)


@receiver(offer_accepted, dispatch_uid="commitments.offer_accepted")
def agreement_names_the_commitment(sender, offer, **kwargs):
    # After agreements made the agreement; a missing signature rolls the acceptance back.
    services.refuse_unless_signed(offer)
    services.write_into_agreement(offer.agreement)


@receiver(offer_page, dispatch_uid="commitments.offer_page")
def commitment_on_offer(sender, offer, **kwargs):
    if services.needs_signature(offer.expert):
        return {"commitment_needed": True}
    return {}
