"""Logout offers the provider's end-session; experts confirm their legal name with the
strong-identification broker, and may take the personal identity code from it."""

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount
from cryptography.fernet import Fernet
from django.contrib.auth import SESSION_KEY

from kokemustori.audit.models import AuditEvent
from kokemustori.experts import identity as codes
from kokemustori.identity.models import IdentityConfirmation
from kokemustori.privacy.erasure import erase
from kokemustori.privacy.export import as_json, collect
from tests.factories import ExpertFactory, UserFactory
from tests.factories.fees import HELSINKI, fee_record

from .conftest import location, sign_in, start, through_issuer

pytestmark = pytest.mark.django_db


def test_logout_offers_the_providers_end_session(client, provider, issuer, settings):
    settings.SITE_URL = "https://kokemustori.example"
    issuer.person = {"sub": "s-1", "email": "hanna@hospital.example"}
    sign_in(client, "hospital")
    response = client.post("/fi/accounts/logout/")
    assert location(response) == "/fi/identity/signed-out/hospital/"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    link = next(
        part.split('"')[1]
        for part in page.content.decode().split("href=")
        if part.startswith(f'"{issuer.url}/logout')
    ).replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert query == {
        "client_id": ["kokemustori"],
        "post_logout_redirect_uri": ["https://kokemustori.example/"],
    }


def test_a_local_logout_goes_home_as_before(client, provider):
    client.force_login(UserFactory())
    response = client.post("/fi/accounts/logout/")
    assert location(response) == "/"


def test_the_signed_out_page_of_an_unknown_provider_goes_home(client):
    assert location(client.get("/fi/identity/signed-out/nobody/")) == "/fi/"
    assert location(client.get("/fi/identity/signed-out/hospital/")) == "/fi/"


@pytest.fixture
def expert():
    return ExpertFactory()


@pytest.fixture
def id_key(monkeypatch):
    monkeypatch.setenv(codes.KEY_VARIABLE, Fernet.generate_key().decode())


def confirm(client, language="fi", **data):
    response = client.post(f"/{language}/identity/confirm/", {"process": "connect", **data})
    return client.get(through_issuer(response))


def test_an_expert_confirms_their_legal_name(client, broker, expert):
    issuer, row = broker
    issuer.person = {"sub": "b-1", "given_name": "Maija Liisa", "family_name": "Meikäläinen"}
    client.force_login(expert.user)
    assert client.get("/fi/identity/confirm/").status_code == 200
    response = confirm(client)
    assert location(response) == "/fi/identity/confirm/"
    confirmation = IdentityConfirmation.objects.get(expert=expert)
    assert confirmation.legal_name == "Maija Liisa Meikäläinen"
    assert confirmation.provider == row
    # No sign-in identity was made from the broker.
    assert not expert.user.socialaccount_set.exists()
    assert list(AuditEvent.objects.values_list("action", "detail")) == [
        ("identity_confirmed", "provider broker")
    ]
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted == ""
    page = client.get("/fi/identity/confirm/").content.decode()
    assert "Maija Liisa Meikäläinen" in page


def test_the_identity_code_is_taken_from_the_identification(client, broker, expert, id_key):
    issuer, _row = broker
    issuer.person = {
        "sub": "b-2",
        "given_name": "Matti",
        "family_name": "Virtanen",
        "nationalIdentificationNumber": "131052-308T",
    }
    client.force_login(expert.user)
    confirm(client, take_code="on")
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted
    assert "131052" not in expert.personal_identity_code_encrypted
    assert codes.decrypt(expert.personal_identity_code_encrypted) == "131052-308T"
    assert AuditEvent.objects.get().detail == "provider broker: identity code taken"


def test_the_code_is_not_taken_unless_asked(client, broker, expert, id_key):
    issuer, _row = broker
    issuer.person = {"sub": "b-3", "name": "Matti Virtanen", "hetu": "131052-308T"}
    client.force_login(expert.user)
    confirm(client)
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted == ""
    assert IdentityConfirmation.objects.get().legal_name == "Matti Virtanen"


def test_the_broker_signs_no_one_in(client, broker):
    issuer, _row = broker
    issuer.person = {"sub": "b-4", "email": "stranger@example.org", "name": "Stranger"}
    response = client.get(through_issuer(start(client, "broker")))
    assert location(response) == "/fi/accounts/login/"
    assert SESSION_KEY not in client.session
    assert not IdentityConfirmation.objects.exists()
    assert AuditEvent.objects.get().detail == "provider broker: broker is not a sign-in"


def test_the_broker_is_not_on_the_login_page(client, broker):
    assert "Strong identification" not in client.get("/fi/accounts/login/").content.decode()


def test_only_experts_confirm(client, broker):
    client.force_login(UserFactory())
    assert client.get("/fi/identity/confirm/").status_code == 404


def test_without_a_broker_there_is_no_confirmation(client, expert):
    client.force_login(expert.user)
    assert client.get("/fi/identity/confirm/").status_code == 404


def test_agreement_and_fee_record_show_the_confirmation(client, broker, settings):
    issuer, _row = broker
    record, coordinator = fee_record()
    issuer.person = {"sub": "b-5", "given_name": "Maija", "family_name": "Meikäläinen"}
    with time_machine.travel(datetime(2026, 5, 4, 12, 0, tzinfo=HELSINKI), tick=True):
        client.force_login(record.expert.user)
        confirm(client, language="en")
        page = client.get(f"/en/agreements/{record.agreement.pk}/").content.decode()
        assert "identity confirmed on 05/04/2026" in page
        mine = client.get("/en/fees/mine/").content.decode()
        assert "Your identity was confirmed on 05/04/2026." in mine
        settings.REQUIRE_SECOND_FACTOR = False
        client.force_login(coordinator.user)
        fee_list = client.get("/en/fees/").content.decode()
        assert "identity confirmed on 05/04/2026" in fee_list


def test_erasure_removes_the_linked_identity_and_the_confirmation(client, broker, provider, issuer):
    broker_issuer, row = broker
    expert = ExpertFactory()
    SocialAccount.objects.create(user=expert.user, provider="hospital", uid="sub-erase")
    broker_issuer.person = {"sub": "b-9", "given_name": "Liisa", "family_name": "Laine"}
    client.force_login(expert.user)
    confirm(client)
    exported = as_json(collect(expert.user), expert.user)
    text = str(exported)
    assert "sub-erase" in text and "Liisa Laine" in text
    erase(expert.user, actor=expert.user)
    assert not SocialAccount.objects.exists()
    assert not IdentityConfirmation.objects.exists()
