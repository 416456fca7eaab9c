"""Coordinators and administrators who sign in through a provider still give the product's
own second factor, unless the provider reports an acr/amr value the administrator accepted
for it. Experts keep their second factor too."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY

from kokemustori.accounts.demo import activate_demo_authenticator, current_code
from kokemustori.audit.models import AuditEvent
from kokemustori.identity.models import IdentityProvider
from tests.factories import CoordinatorFactory, ExpertFactory, UserFactory

from .conftest import location, sign_in

pytestmark = pytest.mark.django_db

STRONG_ACR = "http://ftn.ficora.fi/2017/loa3"


def linked(user, uid):
    SocialAccount.objects.create(user=user, provider="hospital", uid=uid)
    return user


@pytest.fixture
def coordinator():
    user = CoordinatorFactory().user
    activate_demo_authenticator(user)
    return linked(user, "coord-1")


def test_a_coordinator_is_asked_for_the_code_after_the_provider(
    client, provider, issuer, coordinator
):
    issuer.person = {"sub": "coord-1", "email": coordinator.email, "acr": STRONG_ACR}
    response = sign_in(client, "hospital")
    assert location(response) == "/fi/accounts/2fa/authenticate/"
    assert SESSION_KEY not in client.session
    wrong = client.post("/fi/accounts/2fa/authenticate/", {"code": "000000"})
    assert SESSION_KEY not in client.session and wrong.status_code == 200
    right = client.post("/fi/accounts/2fa/authenticate/", {"code": current_code()})
    assert right.status_code == 302
    assert int(client.session[SESSION_KEY]) == coordinator.pk
    assert client.get("/fi/experts/review/").status_code == 200


def test_an_accepted_strong_acr_is_the_second_factor(client, provider, issuer, coordinator):
    provider.accepted_acr = f"{STRONG_ACR}\nhttp://ftn.ficora.fi/2017/loa4"
    provider.save()
    issuer.person = {"sub": "coord-1", "email": coordinator.email, "acr": STRONG_ACR}
    response = sign_in(client, "hospital")
    assert location(response) == "/fi/dashboard/"
    assert int(client.session[SESSION_KEY]) == coordinator.pk
    # The coordinators' pages open without the app's code.
    assert client.get("/fi/experts/review/").status_code == 200
    event = AuditEvent.objects.filter(action="oidc_signed_in").get()
    assert event.detail == "provider hospital: strong authentication accepted"


def test_an_accepted_amr_value_is_the_second_factor(client, provider, issuer, coordinator):
    provider.accepted_amr = "mfa"
    provider.save()
    issuer.person = {"sub": "coord-1", "email": coordinator.email, "amr": ["pwd", "mfa"]}
    assert location(sign_in(client, "hospital")) == "/fi/dashboard/"


def test_an_acr_not_accepted_still_asks_for_the_code(client, provider, issuer, coordinator):
    provider.accepted_acr = "http://ftn.ficora.fi/2017/loa4"
    provider.save()
    issuer.person = {"sub": "coord-1", "email": coordinator.email, "acr": "loa2"}
    assert location(sign_in(client, "hospital")) == "/fi/accounts/2fa/authenticate/"
    assert SESSION_KEY not in client.session


def test_an_acr_accepted_for_another_provider_does_not_count(client, provider, issuer, coordinator):
    IdentityProvider.objects.create(
        slug="other",
        organisation_name="Other",
        discovery_url="https://other.example",
        client_id="x",
        accepted_acr=STRONG_ACR,
    )
    issuer.person = {"sub": "coord-1", "email": coordinator.email, "acr": STRONG_ACR}
    assert location(sign_in(client, "hospital")) == "/fi/accounts/2fa/authenticate/"


def test_a_coordinator_without_an_app_must_set_one_up(client, provider, issuer):
    user = linked(CoordinatorFactory().user, "coord-2")
    issuer.person = {"sub": "coord-2", "email": user.email}
    sign_in(client, "hospital")
    assert int(client.session[SESSION_KEY]) == user.pk
    response = client.get("/fi/experts/review/")
    assert location(response) == "/fi/accounts/2fa/totp/activate/"


def test_an_administrator_is_asked_for_the_code(client, provider, issuer):
    admin = UserFactory(is_staff=True, is_superuser=True)
    activate_demo_authenticator(admin)
    linked(admin, "admin-1")
    issuer.person = {"sub": "admin-1", "email": admin.email}
    assert location(sign_in(client, "hospital")) == "/fi/accounts/2fa/authenticate/"


def test_an_expert_keeps_their_second_factor(client, provider, issuer):
    expert = ExpertFactory().user
    activate_demo_authenticator(expert)
    linked(expert, "expert-1")
    issuer.person = {"sub": "expert-1", "email": expert.email}
    assert location(sign_in(client, "hospital")) == "/fi/accounts/2fa/authenticate/"
