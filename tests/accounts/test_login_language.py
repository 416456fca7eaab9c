"""Logging in keeps the language of the page the person logged in from; the account's own
language stays what it was (it is the language of their e-mails)."""

import pytest

from tests.factories import ExpertFactory, OrdererFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password-2026"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize(
    ("page_language", "account_language"), [("sv", "fi"), ("fi", "sv"), ("en", "fi")]
)
def test_the_page_language_wins(client, page_language, account_language):
    user = with_password(OrdererFactory(user__language=account_language).user)
    response = client.post(
        f"/{page_language}/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{page_language}/dashboard/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f'<html lang="{page_language}"' in page.content.decode()
    user.refresh_from_db()
    assert user.language == account_language


def test_a_next_address_is_kept_as_it_is(client):
    user = with_password(ExpertFactory(user__language="fi").user)
    response = client.post(
        "/sv/accounts/login/?next=/sv/offers/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/sv/offers/"
