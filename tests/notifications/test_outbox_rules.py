"""Which e-mails of the outbox may be sent again (failed or dead ones) and which copied (sent,
not sensitive, with a body): notifications.rules, asked of an administrator, who sees every
e-mail (mutation testing: a changed test of the state fails here)."""

import pytest
import rules

from kokemustori.outbox.models import OutboundEmail, State
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def email(state, **fields):
    return OutboundEmail.objects.create(
        key=f"test-{state}-{fields.get('sensitive', False)}",
        to_email="someone@example.org",
        subject="Subject",
        body_text="Body",
        state=state,
        **fields,
    )


@pytest.mark.parametrize(
    ("state", "sensitive", "retry", "resend"),
    [
        (State.FAILED, False, True, False),
        (State.DEAD, False, True, False),
        (State.SENT, False, False, True),
        (State.SENT, True, False, False),
    ],
)
def test_what_an_administrator_may_do_with_an_email(state, sensitive, retry, resend):
    admin = UserFactory(is_superuser=True, is_staff=True)
    row = email(state, sensitive=sensitive)
    assert rules.has_perm("notifications.view_email", admin, row) is True
    assert rules.has_perm("notifications.retry_email", admin, row) is retry
    assert rules.has_perm("notifications.resend_email", admin, row) is resend


def test_nothing_is_sent_again_or_copied_without_an_email():
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert rules.has_perm("notifications.retry_email", admin, None) is False
    assert rules.has_perm("notifications.resend_email", admin, None) is False
