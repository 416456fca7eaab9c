"""The layering in pyproject.toml (checked by import-linter in `make lint`) is also the order
in which Django loads the apps, so signal receivers of a lower layer run before a higher one's
(the agreement exists before the e-mail that links to it is written)."""

import tomllib
from pathlib import Path

from django.conf import settings

from kokemustori.conversations.signals import message_posted
from kokemustori.experts.signals import kind_granted
from kokemustori.offers.signals import offer_accepted, offer_page
from kokemustori.orders.signals import order_page, order_transitioned
from kokemustori.series.signals import meeting_cancelled

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def layers_lowest_first() -> list[set[str]]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in config if c["type"] == "layers"]
    return [{name.strip() for name in layer.split("|")} for layer in reversed(layers)]


def test_installed_apps_follow_the_layers_lowest_first():
    ours = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("kokemustori.")]
    rank = {name: i for i, layer in enumerate(layers_lowest_first()) for name in layer}
    assert set(ours) <= set(rank), set(ours) - set(rank)
    assert [rank[app] for app in ours] == sorted(rank[app] for app in ours)


def receiver_modules(signal) -> list[str]:
    # Each entry is (lookup key, weak reference, is_async) in the order they were connected.
    return [entry[1]().__module__ for entry in signal.receivers if entry[1]() is not None]


def test_an_accepted_offer_makes_its_agreement_before_the_e_mails():
    # A series checks the expert's limits and writes its terms into the agreement just made,
    # before the e-mails that link to it.
    assert receiver_modules(offer_accepted) == [
        "kokemustori.agreements.receivers",
        "kokemustori.commitments.receivers",
        "kokemustori.series.receivers",
        "kokemustori.notifications.receivers",
    ]


def test_a_cancelled_order_cancels_its_agreements_before_the_e_mails():
    # Open calls close (and tell the interested) in the same step, before the e-mails.
    assert receiver_modules(order_transitioned) == [
        "kokemustori.agreements.receivers",
        "kokemustori.opencalls.receivers",
        "kokemustori.notifications.receivers",
    ]


def test_a_new_message_is_told_by_notifications():
    assert receiver_modules(message_posted) == ["kokemustori.notifications.receivers"]


def test_a_cancelled_meeting_and_a_granted_kind_are_told_by_notifications():
    assert receiver_modules(meeting_cancelled) == ["kokemustori.notifications.receivers"]
    assert receiver_modules(kind_granted) == ["kokemustori.notifications.receivers"]


def test_the_order_and_offer_pages_get_their_messages_from_conversations():
    assert receiver_modules(order_page) == [
        "kokemustori.requirements.receivers",
        "kokemustori.offers.receivers",
        "kokemustori.opencalls.receivers",
        "kokemustori.followup.receivers",
        "kokemustori.conversations.receivers",
        "kokemustori.series.receivers",
    ]
    assert receiver_modules(offer_page) == [
        "kokemustori.fees.receivers",
        "kokemustori.conversations.receivers",
        "kokemustori.commitments.receivers",
        "kokemustori.series.receivers",
    ]
