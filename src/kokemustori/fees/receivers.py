"""How fees answer what agreements and offers announce (docs/architecture.md)."""

from django.dispatch import receiver

from kokemustori.agreements.signals import agreement_bound, agreement_cancelled
from kokemustori.offers.signals import offer_page

from .earnings import check_offer
from .models import FeeRecord, FeeStatus
from .services import create_for_agreement


@receiver(agreement_bound, dispatch_uid="fees.agreement_bound")
def record_fee(sender, agreement, **kwargs):
    create_for_agreement(agreement)


@receiver(agreement_cancelled, dispatch_uid="fees.agreement_cancelled")
def drop_fee_unless_due(sender, agreement, fee_due, **kwargs):
    # No fee for work cancelled in time; expenses already incurred stay payable.
    if not fee_due:
        FeeRecord.objects.filter(agreement=agreement, status=FeeStatus.PENDING).update(fee_amount=0)


@receiver(offer_page, dispatch_uid="fees.offer_page")
def earnings_on_offer(sender, offer, **kwargs):
    return {"earnings": check_offer(offer)}
