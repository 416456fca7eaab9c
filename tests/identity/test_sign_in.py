"""Sign-in through an organisation's own identity provider, driven end to end against a local
test issuer (tests/identity/issuer.py): discovery, the authorisation code with PKCE, the ID
token's signature, first and second sign-in, a provider switched off, a forged token, a state
that does not match."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.auth import SESSION_KEY

from kokemustori.accounts.models import User
from kokemustori.audit.models import AuditEvent
from kokemustori.core.roles import is_coordinator
from kokemustori.identity.models import IdentityProvider
from kokemustori.orderers.models import Orderer, Verification
from tests.factories import OrdererFactory, UserFactory

from .conftest import location, sign_in, start, through_issuer

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_the_login_page_offers_the_organisations_button(client, provider):
    page = client.get("/fi/accounts/login/").content.decode()
    assert "Kirjaudu: Testland University Hospital" in page
    assert 'action="/fi/accounts/oidc/hospital/login/"' in page
    # The local login stays.
    assert 'name="password"' in page


def test_the_redirect_to_the_issuer_uses_pkce_and_a_state(client, provider, issuer):
    response = start(client, "hospital")
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == issuer.url + "/authorize"
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0]
    assert query["client_id"] == ["kokemustori"]
    assert ("/.well-known/openid-configuration", {}) in issuer.seen


def test_first_sign_in_creates_a_verified_orderer_of_the_organisation(client, provider, issuer):
    issuer.person = {"sub": "s-100", "email": "Anna.Aalto@hospital.example", "name": "Anna"}
    response = sign_in(client, "hospital")
    assert response.status_code == 302
    assert location(response) == "/fi/dashboard/"
    user = User.objects.get(email="anna.aalto@hospital.example")
    assert int(client.session[SESSION_KEY]) == user.pk
    orderer = Orderer.objects.get(user=user)
    assert orderer.organisation_name == "Testland University Hospital"
    assert orderer.verification == Verification.VERIFIED
    assert not user.is_staff and not user.is_superuser
    assert not is_coordinator(user)
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("hospital", "s-100")
    assert actions() == ["orderer_verified", "oidc_account_created", "oidc_signed_in"]
    # The token endpoint got the PKCE verifier and the secret from the environment.
    token_request = next(form for path, form in issuer.seen if path == "/token")
    assert token_request["client_secret"] == "test-secret"
    assert len(token_request["code_verifier"]) >= 43


def test_second_sign_in_finds_the_same_account_by_subject(client, provider, issuer):
    issuer.person = {"sub": "s-200", "email": "bea@hospital.example"}
    sign_in(client, "hospital")
    client.logout()
    # The provider reports a new address: the subject still names the same person.
    issuer.person = {"sub": "s-200", "email": "bea.new@hospital.example"}
    response = sign_in(client, "hospital")
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert int(client.session[SESSION_KEY]) == User.objects.get().pk
    assert actions().count("oidc_signed_in") == 2
    assert actions().count("oidc_account_created") == 1


def test_an_address_of_an_existing_account_never_signs_into_it(client, provider, issuer):
    existing = UserFactory(email="carl@hospital.example")
    issuer.person = {"sub": "s-300", "email": "carl@hospital.example"}
    response = sign_in(client, "hospital")
    assert location(response) == "/fi/accounts/login/"
    assert SESSION_KEY not in client.session
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email__iexact="carl@hospital.example").get() == existing
    assert actions() == ["oidc_refused"]
    assert "address belongs to an account" in AuditEvent.objects.get().detail


def test_a_signed_in_user_links_the_provider_and_then_signs_in_with_it(client, provider, issuer):
    local = OrdererFactory(user__email="dora@hospital.example", organisation_name="Unit X")
    coordinator = local.user
    client.force_login(coordinator)
    issuer.person = {"sub": "s-400", "email": "someone.else@hospital.example"}
    response = sign_in(client, "hospital", process="connect")
    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert (account.user, account.uid) == (coordinator, "s-400")
    assert "oidc_linked" in actions()
    coordinator.refresh_from_db()
    assert not coordinator.is_staff
    assert Orderer.objects.get(user=coordinator).organisation_name == "Unit X"
    client.logout()
    response = sign_in(client, "hospital")
    assert int(client.session[SESSION_KEY]) == coordinator.pk
    assert User.objects.count() == 1


def test_a_provider_switched_off_stops_its_sign_ins_at_once(client, provider, issuer):
    issuer.person = {"sub": "s-500", "email": "eve@hospital.example"}
    callback = through_issuer(start(client, "hospital"))
    provider.is_enabled = False
    provider.save()
    # Mid-way: the callback is refused.
    response = client.get(callback)
    assert response.status_code == 404
    assert SESSION_KEY not in client.session
    assert not User.objects.exists()
    # And a new sign-in does not start.
    assert start(client, "hospital").status_code == 404
    assert "Testland University Hospital" not in client.get("/fi/accounts/login/").content.decode()
    assert actions() == ["oidc_refused", "oidc_refused"]


def test_a_forged_id_token_is_refused(client, provider, issuer):
    issuer.person = {"sub": "s-600", "email": "mallory@hospital.example"}
    issuer.forge = True  # signed with a key the issuer never published
    response = sign_in(client, "hospital")
    assert response.status_code == 401  # allauth's "sign-in failed" page
    assert SESSION_KEY not in client.session
    assert not User.objects.exists()
    assert actions() == ["oidc_refused"]


def test_a_state_that_does_not_match_is_refused(client, provider, issuer):
    callback = through_issuer(start(client, "hospital"))
    path, _, query = callback.partition("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    params["state"] = "not-the-state-we-sent"
    response = client.get(path, params)
    assert response.status_code == 401
    assert SESSION_KEY not in client.session
    assert not User.objects.exists()
    assert actions() == ["oidc_refused"]
    # The code was never spent at the token endpoint.
    assert not [p for p, _form in issuer.seen if p == "/token"]


def test_a_callback_from_another_browser_is_refused(client, provider, issuer, django_user_model):
    callback = through_issuer(start(client, "hospital"))
    client.cookies.clear()  # the victim's browser never started this sign-in
    response = client.get(callback)
    assert response.status_code == 401
    assert SESSION_KEY not in client.session
    assert not django_user_model.objects.exists()


def test_after_sign_in_the_redirect_stays_on_this_site(client, provider, issuer):
    issuer.person = {"sub": "s-700", "email": "fay@hospital.example"}
    response = sign_in(client, "hospital", next="https://evil.example/steal")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc in ("", "testserver")


def test_the_next_page_on_this_site_is_kept(client, provider, issuer):
    issuer.person = {"sub": "s-800", "email": "gus@hospital.example"}
    response = sign_in(client, "hospital", next="/fi/accounts/settings/")
    assert response["Location"] == "/fi/accounts/settings/"


def test_the_login_page_lets_the_provider_be_a_form_target(client, provider, issuer):
    policy = client.get("/fi/accounts/login/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if "form-action" in p)
    assert issuer.url in form_action
    # Other pages keep form-action to this site alone.
    other = client.get("/fi/")["Content-Security-Policy"]
    assert issuer.url not in other


def test_swedish_button(client, provider):
    page = client.get("/sv/accounts/login/").content.decode()
    assert "Logga in med Testland University Hospital" in page


def test_the_settings_page_offers_linking(client, provider, issuer):
    client.force_login(OrdererFactory().user)
    page = client.get("/fi/accounts/3rdparty/")
    text = page.content.decode()
    assert "Liitä tiliin: Testland University Hospital" in text
    assert 'name="process" value="connect"' in text
    assert issuer.url in page["Content-Security-Policy"]
    settings_page = client.get("/fi/accounts/settings/").content.decode()
    assert 'href="/fi/accounts/3rdparty/"' in settings_page


def test_a_wrong_client_secret_in_the_environment_signs_no_one_in(
    client, provider, issuer, monkeypatch
):
    monkeypatch.setenv("OIDC_CLIENT_SECRET_HOSPITAL", "not-the-secret")
    issuer.person = {"sub": "s-900", "email": "ida@hospital.example"}
    response = sign_in(client, "hospital")
    assert response.status_code == 401
    assert not User.objects.exists()
    assert actions() == ["oidc_refused"]


def test_userinfo_about_another_subject_is_refused(client, provider, issuer):
    issuer.person = {"sub": "s-1000", "email": "jon@hospital.example"}
    issuer.userinfo_sub = "someone-else"
    response = sign_in(client, "hospital")
    assert location(response) == "/fi/accounts/login/"
    assert not User.objects.exists()
    assert AuditEvent.objects.get().detail == "provider hospital: userinfo subject differs"


def test_no_secret_or_token_is_kept_in_the_database(client, provider, issuer):
    issuer.person = {"sub": "s-1100", "email": "kai@hospital.example"}
    sign_in(client, "hospital")
    assert User.objects.filter(email="kai@hospital.example").exists()
    assert not SocialApp.objects.exists()
    assert not SocialToken.objects.exists()
    stored = str(list(IdentityProvider.objects.values()))
    assert "test-secret" not in stored
    assert "test-secret" not in str(list(SocialAccount.objects.values()))
