from urllib.parse import urlsplit

import pytest
import requests
from django.core.cache import cache

from kokemustori.identity.models import IdentityProvider, Purpose

from .issuer import Issuer


@pytest.fixture
def issuer():
    running = Issuer().start()
    yield running
    running.stop()


@pytest.fixture
def provider(issuer, monkeypatch):
    monkeypatch.setenv("OIDC_CLIENT_SECRET_HOSPITAL", issuer.client_secret)
    return IdentityProvider.objects.create(
        slug="hospital",
        organisation_name="Testland University Hospital",
        discovery_url=issuer.url,
        client_id=issuer.client_id,
    )


@pytest.fixture
def broker(monkeypatch):
    """The strong-identification broker: an issuer of its own."""
    running = Issuer(client_id="kokemustori-broker", client_secret="broker-secret").start()
    monkeypatch.setenv("OIDC_CLIENT_SECRET_BROKER", running.client_secret)
    row = IdentityProvider.objects.create(
        slug="broker",
        purpose=Purpose.STRONG_IDENTIFICATION,
        organisation_name="Strong identification",
        discovery_url=running.url,
        client_id=running.client_id,
    )
    yield running, row
    running.stop()


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.REQUIRE_SECOND_FACTOR = True
    cache.clear()


def start(client, slug, language="fi", **data):
    """Press "Sign in with ...": allauth answers with a redirect to the issuer."""
    data.setdefault("process", "login")
    return client.post(f"/{language}/accounts/oidc/{slug}/login/", data)


def through_issuer(response):
    """Follow the redirect to the issuer (a real HTTP request to it) and return the address
    of the callback the issuer sends the browser back to."""
    assert response.status_code == 302, response
    answer = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    parts = urlsplit(answer.headers["Location"])
    return f"{parts.path}?{parts.query}"


def sign_in(client, slug, language="fi", **data):
    return client.get(through_issuer(start(client, slug, language, **data)))


def location(response):
    return urlsplit(response.headers.get("Location", "")).path
