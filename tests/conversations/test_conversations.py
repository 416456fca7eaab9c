"""Conversations on an order: who may read and write which thread, the pages, the notices."""

from dataclasses import dataclass

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from kokemustori.conversations import services
from kokemustori.conversations.models import Message, ReadMark, Thread
from kokemustori.kinds import ExpertKind
from kokemustori.notifications.models import Delivery, Notice, NoticePreference
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType
from kokemustori.orders.models import OrderState
from kokemustori.outbox.models import OutboundEmail
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    OrdererFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

HEALTH = "PRIVATE-MESSAGE: my medication makes me tired in the mornings"


@dataclass
class People:
    order: object
    coordinator: object  # of A, in charge
    colleague: object  # another coordinator of A
    other_coordinator: object  # of B, not in charge
    orderer: object
    same_org_orderer: object  # another orderer of the orderer's organisation
    expert: object  # offered
    not_offered: object  # of A, no offer
    offer: object


@pytest.fixture
def people():
    order, coordinator = order_in_state(OrderState.MATCHING)
    organisation = coordinator.organisation
    expert = ExpertFactory(
        organisation=organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        uses_pseudonym=True,
        pseudonym="Kettu-7",
        user=UserFactory(first_name="Legal", last_name="Lastname"),
    )
    offer = offer_to(order, expert, coordinator)
    return People(
        order=order,
        coordinator=coordinator.user,
        colleague=CoordinatorFactory(organisation=organisation).user,
        other_coordinator=CoordinatorFactory(organisation=OrganisationFactory()).user,
        orderer=order.orderer.user,
        same_org_orderer=OrdererFactory(organisation_name=order.orderer.organisation_name).user,
        expert=expert,
        not_offered=ExpertFactory(organisation=organisation, kinds=[ExpertKind.TRAINED_EXPERT]),
        offer=offer,
    )


def agree(people):
    return offer_services.accept(people.expert.user, people.offer.pk, FeeType.WORK_COMPENSATION)


def who(people, name):
    if name == "anonymous":
        return AnonymousUser()
    value = getattr(people, name)
    return value.user if hasattr(value, "user") and not hasattr(value, "email") else value


ROLES = [
    "orderer",
    "same_org_orderer",
    "coordinator",
    "colleague",
    "other_coordinator",
    "expert",
    "not_offered",
    "anonymous",
]

# Who may read (and write) the order's own thread, an offered expert's thread before an
# agreement, and the same after it.
MAIN = {"orderer", "coordinator", "colleague"}
EXPERT_BEFORE = {"coordinator", "colleague", "expert"}
EXPERT_AFTER = {"orderer", "coordinator", "colleague", "expert"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_and_write_each_thread(people, role):
    user = who(people, role)
    main = services.thread_of(people.order)
    expert_thread = services.thread_of(people.order, people.expert)
    not_offered_thread = services.thread_of(people.order, people.not_offered)
    for perm in ("conversations.read_thread", "conversations.write_message"):
        assert rules.has_perm(perm, user, main) is (role in MAIN)
        assert rules.has_perm(perm, user, expert_thread) is (role in EXPERT_BEFORE)
        # Nobody, not even the coordinators, has a thread with an expert never offered.
        assert rules.has_perm(perm, user, not_offered_thread) is False
    agree(people)
    for perm in ("conversations.read_thread", "conversations.write_message"):
        assert rules.has_perm(perm, user, expert_thread) is (role in EXPERT_AFTER)
        assert rules.has_perm(perm, user, main) is (role in MAIN)


def test_an_offer_of_another_order_opens_no_thread_on_this_one(people):
    other, _ = order_in_state(
        OrderState.MATCHING, coordinator=CoordinatorFactory(organisation=people.expert.organisation)
    )
    offer_to(other, people.not_offered, CoordinatorFactory(organisation=people.expert.organisation))
    thread = services.thread_of(people.order, people.not_offered)
    assert not rules.has_perm("conversations.read_thread", people.not_offered.user, thread)
    assert not rules.has_perm("conversations.read_thread", people.coordinator, thread)
    assert rules.has_perm(
        "conversations.read_thread",
        people.not_offered.user,
        services.thread_of(other, people.not_offered),
    )


def test_a_network_order_is_every_organisations_coordinators(people):
    order, coordinator = order_in_state(OrderState.MATCHING)
    order.organisation = None
    order.save(update_fields=["organisation"])
    thread = services.thread_of(order)
    assert rules.has_perm("conversations.read_thread", people.other_coordinator, thread)
    assert rules.has_perm("conversations.read_thread", coordinator.user, thread)


def test_the_orderer_sees_an_experts_thread_only_from_the_agreement_on(people):
    thread = services.thread_of(people.order, people.expert)
    services.post(people.expert.user, thread, HEALTH)
    agreement = agree(people)
    thread = Thread.objects.get(order=people.order, expert=people.expert)
    later = services.post(people.coordinator, thread, "Welcome, both of you.")
    assert agreement.created_at <= later.created_at
    seen_by_orderer = [m.body for m in services.visible_messages(thread, people.orderer)]
    assert seen_by_orderer == ["Welcome, both of you."]
    seen_by_coordinator = [m.body for m in services.visible_messages(thread, people.coordinator)]
    assert seen_by_coordinator == [HEALTH, "Welcome, both of you."]
    assert services.unread_count(thread, people.orderer) == 1


# Pages --------------------------------------------------------------------------------------


def order_page(people):
    return reverse("orders:detail", args=[people.order.pk])


def expert_thread_url(people):
    return reverse("conversations:expert_thread", args=[people.order.pk, people.expert.pk])


def main_thread_url(people):
    return reverse("conversations:order_thread", args=[people.order.pk])


def test_the_orderer_writes_on_the_order_page_and_comes_back_to_it(client, people):
    client.force_login(people.orderer)
    page = client.get(order_page(people))
    assert page.status_code == 200
    assert 'id="messages"' in page.text
    assert "No messages yet." in page.text
    response = client.post(
        main_thread_url(people),
        {"body": "Is there a lift?\nThe hall is upstairs.", "back": "order"},
    )
    assert response.status_code == 302
    assert response["Location"] == order_page(people) + "#messages"
    message = Message.objects.get()
    assert (message.author, message.body) == (
        people.orderer,
        "Is there a lift?\nThe hall is upstairs.",
    )
    page = client.get(order_page(people))
    assert "Is there a lift?<br>The hall is upstairs." in page.text


def test_the_coordinator_sees_the_unread_count_and_reading_marks_it_read(client, people):
    thread = services.thread_of(people.order)
    services.post(people.orderer, thread, "First")
    services.post(people.orderer, Thread.objects.get(), "Second")
    client.force_login(people.coordinator)
    page = client.get(order_page(people))
    assert '<span class="badge">2 new</span>' in page.text
    again = client.get(order_page(people))
    assert "2 new" not in again.text
    assert ReadMark.objects.filter(user=people.coordinator).count() == 1


def test_a_message_is_escaped(client, people):
    services.post(people.orderer, services.thread_of(people.order), "<script>alert(1)</script>")
    client.force_login(people.coordinator)
    page = client.get(order_page(people))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_too_long_message_keeps_the_text_with_a_translated_error(client, people):
    people.orderer.language = "fi"
    people.orderer.save()
    client.force_login(people.orderer)
    typed = ("Pitkä viesti. " * 300).strip()  # 4199 characters
    with translation.override("fi"):
        url = main_thread_url(people)
    response = client.post(url, {"body": typed, "back": "order"})
    assert response.status_code == 400
    assert "Pitkä viesti. Pitkä viesti." in response.text
    assert "Viesti voi olla enintään 4000 merkkiä; tässä on 4199." in response.text
    assert Message.objects.count() == 0


def test_an_empty_message_is_refused(client, people):
    client.force_login(people.orderer)
    response = client.post(main_thread_url(people), {"body": "   ", "back": "order"})
    assert response.status_code == 400
    assert "Write the message first." in response.text
    assert Message.objects.count() == 0


@pytest.mark.parametrize("role", ["same_org_orderer", "other_coordinator", "not_offered"])
def test_others_get_404_for_both_threads(client, people, role):
    client.force_login(who(people, role))
    for url in (main_thread_url(people), expert_thread_url(people)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Hello"}).status_code == 404
    assert Message.objects.count() == 0


def test_anonymous_is_sent_to_log_in(client, people):
    response = client.get(main_thread_url(people))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_orderer_never_sees_the_experts_thread_before_an_agreement(client, people):
    services.post(people.expert.user, services.thread_of(people.order, people.expert), HEALTH)
    client.force_login(people.orderer)
    page = client.get(order_page(people))
    assert HEALTH not in page.text
    assert expert_thread_url(people) not in page.text
    # A pseudonym no faker name contains: a random surname (Kettunen) must not pass for it.
    assert "Kettu-7" not in page.text
    assert client.get(expert_thread_url(people)).status_code == 404
    agree(people)
    page = client.get(order_page(people))
    assert expert_thread_url(people) in page.text
    thread_page = client.get(expert_thread_url(people))
    assert thread_page.status_code == 200
    # The public name, never the legal one; and not what was said before the agreement.
    assert "Kettu-7" in thread_page.text
    assert "Lastname" not in thread_page.text
    assert HEALTH not in thread_page.text


def test_the_expert_writes_on_the_offer_page(client, people):
    client.force_login(people.expert.user)
    offer_url = reverse("offers:detail", args=[people.offer.pk])
    page = client.get(offer_url)
    assert "You and the coordinators" in page.text
    response = client.post(expert_thread_url(people), {"body": "I can come.", "back": "offer"})
    assert response["Location"] == offer_url + "#messages"
    client.force_login(people.coordinator)
    page = client.get(order_page(people))
    # The coordinator of the expert's own organisation sees the legal name, as on the offers.
    assert "The coordinators and Legal Lastname" in page.text
    assert "1 new message" in page.text
    thread_page = client.get(expert_thread_url(people))
    assert "I can come." in thread_page.text
    assert "Kettu-7" in thread_page.text  # the author, by the public name


def test_a_forged_back_address_goes_to_the_thread(client, people):
    client.force_login(people.coordinator)
    response = client.post(main_thread_url(people), {"body": "Hi", "back": "https://evil.example"})
    assert response["Location"] == main_thread_url(people) + "#messages"


# Notices and e-mails ------------------------------------------------------------------------


def message_notices(user):
    return Notice.objects.filter(user=user, kind="message_received")


def message_emails(user):
    return OutboundEmail.objects.filter(user=user, template="message_received")


def test_a_new_message_tells_the_other_side_without_the_text(people):
    services.post(people.orderer, services.thread_of(people.order), HEALTH)
    for coordinator in (people.coordinator, people.colleague):
        notice = message_notices(coordinator).get()
        assert notice.link == order_page(people)
        email = message_emails(coordinator).get()
        assert HEALTH not in email.body_text
        assert HEALTH not in email.subject
        assert HEALTH not in notice.subject
        assert people.order.title in email.subject
    assert not message_notices(people.orderer).exists()  # nobody is told of their own message
    assert not message_notices(people.other_coordinator).exists()
    assert not message_notices(people.expert.user).exists()


@pytest.mark.parametrize(
    ("delivery", "emailed"),
    [
        (Delivery.NOW, True),
        (Delivery.DAILY, False),
        (Delivery.WEEKLY, False),
        (Delivery.PRODUCT, False),
    ],
)
def test_each_persons_choice_is_honoured(people, delivery, emailed):
    NoticePreference.objects.create(
        user=people.coordinator, kind="message_received", delivery=delivery
    )
    services.post(people.orderer, services.thread_of(people.order), "Hello")
    assert message_notices(people.coordinator).get().delivery == delivery
    assert message_emails(people.coordinator).exists() is emailed
    # The colleague made no choice: at once.
    assert message_emails(people.colleague).count() == 1


def test_one_notice_until_the_thread_is_read(people):
    thread = services.thread_of(people.order)
    services.post(people.orderer, thread, "One")
    thread = Thread.objects.get()
    services.post(people.orderer, thread, "Two")
    assert message_notices(people.coordinator).count() == 1
    services.mark_read(thread, people.coordinator)
    services.post(people.orderer, thread, "Three")
    assert message_notices(people.coordinator).count() == 2


def test_the_experts_thread_tells_the_expert_and_the_orderer_only_after_agreement(people):
    thread = services.thread_of(people.order, people.expert)
    services.post(people.coordinator, thread, "Can you come?")
    expert_notice = message_notices(people.expert.user).get()
    assert expert_notice.link == reverse("offers:detail", args=[people.offer.pk])
    assert not message_notices(people.orderer).exists()
    agree(people)
    services.post(people.expert.user, Thread.objects.get(), "Yes")
    assert message_notices(people.orderer).get().link == expert_thread_url(people)
    # The coordinator who wrote has not read the reply yet: told once.
    assert message_notices(people.coordinator).count() == 1


def test_the_notice_kind_is_offered_to_every_role(people, client):
    for user in (people.orderer, people.coordinator, people.expert.user):
        client.force_login(user)
        page = client.get(reverse("notifications:preferences"))
        assert "A new message on an order" in page.text


@pytest.mark.parametrize(
    ("language", "heading", "button", "subject"),
    [
        ("fi", "Viestit", "Lähetä viesti", "Uusi viesti tilauksessa"),
        ("sv", "Meddelanden", "Skicka meddelandet", "Nytt meddelande i beställningen"),
        ("en", "Messages", "Send the message", "A new message on the order"),
    ],
)
def test_the_pages_and_the_e_mail_are_in_each_language(
    client, people, language, heading, button, subject
):
    people.coordinator.language = language
    people.coordinator.save()
    services.post(people.orderer, services.thread_of(people.order), "Hello")
    email = message_emails(people.coordinator).get()
    assert email.subject.startswith("Kokemustori: " + subject)
    client.force_login(people.coordinator)
    with translation.override(language):
        url = main_thread_url(people)
    page = client.get(url)
    assert f"<h1>{heading}: " in page.text
    assert button in page.text
