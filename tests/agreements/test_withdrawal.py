"""An expert withdraws from an agreement without having to give a reason; the orderer and the
coordinators still write one. The others are told at once and the place goes back to matching."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kokemustori.agreements import services
from kokemustori.agreements.models import AgreementState
from kokemustori.orders.models import OrderState
from kokemustori.outbox.models import OutboundEmail
from tests.agreements.test_agreements import make_agreement

pytestmark = pytest.mark.django_db


def _url(name, agreement, language="en"):
    with translation.override(language):
        return reverse(f"agreements:{name}", args=[agreement.pk])


def _cancellation_emails(agreement):
    return OutboundEmail.objects.filter(template="agreement_cancelled").order_by("pk")


def test_expert_withdraws_without_a_reason_and_the_others_are_told():
    agreement, order, coordinator, expert = make_agreement()
    orderer = order.orderer.user
    orderer.language = "en"
    orderer.save()
    coordinator.user.language = "fi"
    coordinator.user.save()

    services.cancel(expert.user, agreement, "   ")

    agreement.refresh_from_db()
    order.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED
    assert agreement.cancellation_reason == ""
    assert agreement.cancelled_by == expert.user
    assert order.state == OrderState.MATCHING
    assert order.seats_taken == 0
    # On the timeline: the expert withdrew, named by their public name only, with no reason.
    note = order.events.get(action=services.WITHDRAWN)
    assert note.actor is None
    assert note.reason == f"Kesätuuli (#{agreement.pk})"

    emails = {e.user: e for e in _cancellation_emails(agreement)}
    assert set(emails) == {orderer, coordinator.user}  # not the expert, who acted
    to_orderer = emails[orderer]
    assert to_orderer.subject == f"Kokemustori: The expert withdrew: {order.title}"
    assert "The expert withdrew: Kesätuuli will not take part in this assignment." in (
        to_orderer.body_text
    )
    assert "Reason:" not in to_orderer.body_text
    to_coordinator = emails[coordinator.user]
    assert to_coordinator.subject == f"Kokemustori: Kokemusosaaja vetäytyi: {order.title}"
    assert "Kokemusosaaja vetäytyi: Kesätuuli ei osallistu tähän toimeksiantoon." in (
        to_coordinator.body_text
    )
    assert "Syy:" not in to_coordinator.body_text


def test_expert_who_gives_a_reason_has_it_told():
    agreement, order, _coordinator, expert = make_agreement()
    order.orderer.user.language = "en"
    order.orderer.user.save()
    services.cancel(expert.user, agreement, "My train was cancelled.")
    note = order.events.get(action=services.WITHDRAWN)
    assert note.reason == f"Kesätuuli (#{agreement.pk}): My train was cancelled."
    email = _cancellation_emails(agreement).get(user=order.orderer.user)
    assert "Reason:\nMy train was cancelled." in email.body_text


def test_orderer_without_a_reason_is_refused():
    agreement, order, _coordinator, _expert = make_agreement()
    with pytest.raises(ValidationError) as refused:
        services.cancel(order.orderer.user, agreement, "")
    assert refused.value.message_dict == {"reason": ["Write why the agreement is cancelled."]}
    agreement.refresh_from_db()
    order.refresh_from_db()
    assert agreement.state == AgreementState.PENDING
    assert order.state == OrderState.AGREED
    assert not _cancellation_emails(agreement).exists()


def test_coordinator_without_a_reason_is_refused():
    agreement, _order, coordinator, _expert = make_agreement()
    with pytest.raises(ValidationError):
        services.cancel(coordinator.user, agreement, "")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PENDING


def test_the_experts_form_says_a_reason_is_optional_and_accepts_none(client):
    agreement, order, _coordinator, expert = make_agreement()
    client.force_login(expert.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert "Reason for withdrawing (optional)" in page
    assert "You need not give a reason." in page
    response = client.post(_url("cancel", agreement), {"reason": ""})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED
    # The agreement's own page says no reason was given.
    page = client.get(_url("detail", agreement)).content.decode()
    assert "No reason was given." in page


def test_the_orderers_form_still_asks_for_a_reason(client):
    agreement, order, _coordinator, _expert = make_agreement()
    client.force_login(order.orderer.user)
    page = client.get(_url("detail", agreement)).content.decode()
    assert "Reason for cancelling" in page
    assert "Reason for withdrawing (optional)" not in page


def test_withdrawing_on_the_page_tells_the_others_reopens_the_place_and_notes_it(client):
    """Through the agreement page: the coordinators and the orderer are e-mailed, the order is
    back in matching with its place free, and the timeline says the expert withdrew."""
    agreement, order, coordinator, expert = make_agreement()
    order.orderer.user.language = "en"
    order.orderer.user.save()
    client.force_login(expert.user)
    response = client.post(_url("cancel", agreement), {"reason": ""})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.state, order.seats_taken) == (OrderState.MATCHING, 0)
    assert order.events.filter(action=services.WITHDRAWN).count() == 1
    recipients = set(_cancellation_emails(agreement).values_list("user", flat=True))
    assert recipients == {order.orderer.user.pk, coordinator.user.pk}
    # The orderer's timeline shows the step by its label.
    client.force_login(order.orderer.user)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "The expert withdrew" in page
