"""Vetted orderers: a new orderer account fills in drafts but sees no expert and sends no
order until it is verified, by an allowed e-mail domain or by a coordinator."""

import html
import re

import pytest
import rules
from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed, email_confirmed
from django.urls import reverse

from kokemustori.audit.models import Action, AuditEvent
from kokemustori.kinds import ExpertKind
from kokemustori.orderers import verification
from kokemustori.orderers.models import Orderer, Verification
from kokemustori.orders.models import OrderState
from kokemustori.organisations.models import OrdererEmailDomain
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    OrdererFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.orders import OrderFactory, post_steps
from tests.orders.test_order_views import complete_post

pytestmark = pytest.mark.django_db


def page(response):
    return html.unescape(response.content.decode())


def details(**overrides):
    return {
        "first_name": "Olli",
        "last_name": "Orderer",
        "organisation_name": "Wellbeing services county of Pirkanmaa",
        "phone": "03 123 4567",
        **overrides,
    }


def register(client, email, *, confirmed=True):
    user = UserFactory(email=email, first_name="Olli", last_name="Orderer")
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=confirmed)
    client.force_login(user)
    response = client.post(reverse("orderers:profile"), details())
    assert response.status_code == 302
    return Orderer.objects.get(user=user)


@pytest.fixture
def listed_expert():
    return ExpertFactory(uses_pseudonym=True, pseudonym="Listed", kinds=[ExpertKind.TRAINED_EXPERT])


@pytest.fixture
def allow_list():
    organisation = OrganisationFactory(name="Vouching organisation", slug="vouching")
    OrdererEmailDomain.objects.create(organisation=organisation, domain="Pirkanmaa.FI")
    return organisation


# A new account: drafts yes, catalogue and sending no ------------------------------------------


def test_a_new_orderer_waits_and_is_told_what_happens_next(client, listed_expert):
    orderer = register(client, "olli@gmail.example")

    assert orderer.verification == Verification.PENDING
    assert not orderer.is_verified
    dashboard = page(client.get(reverse("pages:dashboard")))
    assert "Your orderer account is waiting for verification." in dashboard
    assert "a coordinator checks that you work where you say" in dashboard
    assert reverse("experts:catalogue") not in dashboard
    assert client.get(reverse("experts:catalogue")).status_code == 403
    assert client.get(reverse("experts:public_detail", args=[listed_expert.pk])).status_code == 404
    assert client.get("/api/v1/experts").status_code == 403
    assert client.get(f"/api/v1/experts/{listed_expert.pk}").status_code == 404


def test_an_unverified_orderer_saves_a_draft_but_cannot_send_it(client):
    register(client, "olli@gmail.example")

    form = page(client.get(reverse("orders:create")))
    assert "Send the order" not in form
    assert "Your orderer account is waiting for verification." in form
    order, saved = post_steps(client, complete_post())
    assert saved.status_code == 302
    assert order.state == OrderState.DRAFT
    assert "Send the order" not in page(client.get(reverse("orders:check", args=[order.pk])))

    # Sending anyway (a forged button, or the API) is refused by the rule, not only hidden.
    sent = client.post(reverse("orders:check", args=[order.pk]), {"submit": "1"})
    assert sent.status_code == 400
    assert "waiting for verification" in page(sent)
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT
    api = client.post(f"/api/v1/orders/{order.pk}/submit", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400
    assert "waiting for verification" in api.json()["errors"]["__all__"][0]
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT
    created = client.post(
        "/api/v1/orders", {"title": "By the API"}, content_type="application/json"
    )
    assert created.status_code == 201


def test_the_rules_ask_for_verification():
    pending = OrdererFactory(verification=Verification.PENDING)
    refused = OrdererFactory(verification=Verification.REFUSED)
    verified = OrdererFactory()
    inactive = OrdererFactory(is_active=False)
    for orderer, allowed in [
        (pending, False),
        (refused, False),
        (verified, True),
        (inactive, False),
    ]:
        order = OrderFactory(orderer=orderer)
        assert rules.has_perm("experts.browse_catalogue", orderer.user) is allowed
        assert rules.has_perm("orders.submit_order", orderer.user, order) is allowed
    assert rules.has_perm("orders.create_order", pending.user)
    # Verified, but not the one who ordered: may not send another's order.
    assert not rules.has_perm("orders.submit_order", verified.user, OrderFactory(orderer=pending))


def test_the_sign_up_pages_say_how_orderers_are_verified(client):
    signup = page(client.get(reverse("account_signup")))
    assert "your orderer account is checked before you can see the experts" in signup
    client.force_login(UserFactory())
    registering = page(client.get(reverse("orderers:profile")))
    assert "A new orderer account is checked before it can see the experts" in registering


# Verified by an allowed e-mail domain ---------------------------------------------------------


@pytest.mark.parametrize("email", ["olli@pirkanmaa.fi", "olli@Sairaala.Pirkanmaa.fi"])
def test_a_confirmed_address_in_an_allowed_domain_is_verified_at_once(
    client, allow_list, listed_expert, email
):
    orderer = register(client, email.lower())

    assert orderer.verification == Verification.VERIFIED
    assert orderer.verified_domain == "pirkanmaa.fi"
    assert orderer.decided_by is None and orderer.decided_at is not None
    event = AuditEvent.objects.get(action=Action.ORDERER_VERIFIED)
    assert event.actor is None
    assert event.organisation == allow_list
    assert event.detail == f"orderer {orderer.pk} by e-mail domain pirkanmaa.fi"
    assert client.get(reverse("experts:catalogue")).status_code == 200
    assert client.get("/api/v1/experts").status_code == 200


@pytest.mark.parametrize("email", ["olli@evilpirkanmaa.fi", "olli@pirkanmaa.fi.example"])
def test_a_lookalike_domain_is_not_allowed(client, allow_list, email):
    assert register(client, email).verification == Verification.PENDING


def test_an_inactive_organisations_domains_do_not_verify(client, allow_list):
    allow_list.is_active = False
    allow_list.save()
    assert register(client, "olli@pirkanmaa.fi").verification == Verification.PENDING


def test_an_unconfirmed_address_waits_until_it_is_confirmed(client, allow_list):
    orderer = register(client, "olli@pirkanmaa.fi", confirmed=False)
    assert orderer.verification == Verification.PENDING

    address = EmailAddress.objects.get(user=orderer.user)
    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    orderer.refresh_from_db()
    assert orderer.verification == Verification.VERIFIED


def test_a_new_address_outside_the_domain_loses_the_domain_verification(client, allow_list):
    orderer = register(client, "olli@pirkanmaa.fi")
    user = orderer.user
    old = EmailAddress.objects.get(user=user)
    EmailAddress.objects.filter(pk=old.pk).update(primary=False)
    user.email = "olli@gmail.example"
    user.save()
    new = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    email_changed.send(
        sender=type(user), request=None, user=user, from_email_address=old, to_email_address=new
    )

    orderer.refresh_from_db()
    assert orderer.verification == Verification.PENDING
    assert orderer.verified_domain == ""


def test_the_admin_refuses_a_malformed_domain():
    entry = OrdererEmailDomain(organisation=OrganisationFactory(), domain="@pirkanmaa")
    with pytest.raises(Exception) as raised:
        entry.full_clean()
    assert "domain" in raised.value.message_dict
    entry.domain = "@Pirkanmaa.fi"
    entry.full_clean()
    assert entry.domain == "pirkanmaa.fi"


# Decided by a coordinator ---------------------------------------------------------------------


@pytest.fixture
def waiting_orderer():
    return OrdererFactory(
        verification=Verification.PENDING,
        user__first_name="Wendy",
        user__last_name="Waiting",
        organisation_name="City of Tampere",
    )


def test_any_coordinator_of_the_network_sees_the_waiting_orderers(client, waiting_orderer):
    OrdererFactory(organisation_name="Already verified")
    client.force_login(CoordinatorFactory().user)
    response = client.get(reverse("orderers:waiting"))
    assert response.status_code == 200
    text = page(response)
    assert "Wendy Waiting" in text and "City of Tampere" in text
    assert "Already verified" not in text
    # The count, as a link to the list of those waiting.
    assert (
        'Orderers waiting for verification</dt><dd><a href="/en/orderers/waiting/">1</a>'
        in page(client.get(reverse("pages:dashboard"))).replace("\n", "")
    )


def test_a_coordinator_approves_and_the_audit_log_says_who_and_when(
    client, waiting_orderer, listed_expert
):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator.user)
    response = client.post(
        reverse("orderers:decide", args=[waiting_orderer.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert response.url == reverse("orderers:waiting")

    waiting_orderer.refresh_from_db()
    assert waiting_orderer.verification == Verification.VERIFIED
    assert waiting_orderer.decided_by == coordinator.user
    assert waiting_orderer.decided_at is not None
    event = AuditEvent.objects.get(action=Action.ORDERER_VERIFIED)
    assert (event.actor, event.organisation) == (coordinator.user, coordinator.organisation)
    assert event.detail == f"orderer {waiting_orderer.pk}"

    client.force_login(waiting_orderer.user)
    assert client.get(reverse("experts:catalogue")).status_code == 200


def test_refusing_needs_a_reason_which_the_orderer_then_reads(client, waiting_orderer):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator.user)
    url = reverse("orderers:decide", args=[waiting_orderer.pk])

    empty = client.post(url, {"decision": "refuse", "reason": "  "})
    assert empty.status_code == 400
    assert "Write a reason: the orderer is shown it." in page(empty)
    waiting_orderer.refresh_from_db()
    assert waiting_orderer.verification == Verification.PENDING
    assert not AuditEvent.objects.exists()

    reason = "We could not reach the unit by phone."
    assert client.post(url, {"decision": "refuse", "reason": reason}).status_code == 302
    waiting_orderer.refresh_from_db()
    assert waiting_orderer.verification == Verification.REFUSED
    assert waiting_orderer.refusal_reason == reason
    assert AuditEvent.objects.get().action == Action.ORDERER_REFUSED

    client.force_login(waiting_orderer.user)
    dashboard = page(client.get(reverse("pages:dashboard")))
    assert "Your orderer account was not verified." in dashboard
    assert reason in dashboard
    assert client.get(reverse("experts:catalogue")).status_code == 403
    # The decision is the orderer's own data: in their copy of it.
    my_data = " ".join(
        re.sub(r"<[^>]+>", " ", page(client.get(reverse("privacy:my_data")))).split()
    )
    assert re.search(r"Verification Not verified Decided at \d", my_data)  # then a date
    assert f"Reason for not verifying {reason}" in my_data

    # Correcting the details asks for a new decision.
    client.post(reverse("orderers:profile"), details(phone="03 765 4321"))
    waiting_orderer.refresh_from_db()
    assert waiting_orderer.verification == Verification.PENDING


def test_a_decision_taken_already_is_not_taken_again(client, waiting_orderer):
    first, second = CoordinatorFactory(), CoordinatorFactory()
    verification.approve(first.user, waiting_orderer)
    client.force_login(second.user)
    response = client.post(
        reverse("orderers:decide", args=[waiting_orderer.pk]),
        {"decision": "refuse", "reason": "Too late"},
    )
    assert response.status_code == 400
    assert "Another coordinator has already decided on this orderer." in page(response)
    waiting_orderer.refresh_from_db()
    assert waiting_orderer.verification == Verification.VERIFIED
    assert waiting_orderer.decided_by == first.user


def test_a_coordinator_cannot_verify_their_own_orderer_account(client):
    coordinator = CoordinatorFactory()
    own = OrdererFactory(user=coordinator.user, verification=Verification.PENDING)
    client.force_login(coordinator.user)
    response = client.post(reverse("orderers:decide", args=[own.pk]), {"decision": "approve"})
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.verification == Verification.PENDING


def test_only_coordinators_decide(client, waiting_orderer):
    for user in (OrdererFactory().user, UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(user)
        assert client.get(reverse("orderers:waiting")).status_code == 403
        url = reverse("orderers:decide", args=[waiting_orderer.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 403
    waiting_orderer.refresh_from_db()
    assert waiting_orderer.verification == Verification.PENDING
