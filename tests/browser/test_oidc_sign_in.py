"""A person signs in through their organisation's identity provider in a real Chromium, on a
phone, in Finnish and in Swedish: the login page's button, the local test issuer
(tests/identity/issuer.py, on 127.0.0.1), back to the dashboard as a verified orderer. The
browser enforces the Content-Security-Policy on the redirect to the provider (form-action)."""

import pytest

from kokemustori.identity.models import IdentityProvider
from kokemustori.orderers.models import Orderer, Verification
from tests.browser.steps import goto, path_of
from tests.browser.test_responsive import PHONE, check_narrow
from tests.identity.issuer import Issuer

pytestmark = pytest.mark.browser

BUTTON = {
    "fi": "Kirjaudu: Testland University Hospital",
    "sv": "Logga in med Testland University Hospital",
}
DASHBOARD_HEADING = {"fi": "Etusivu", "sv": "Startsida"}


@pytest.fixture
def issuer(monkeypatch):
    running = Issuer().start()
    monkeypatch.setenv("OIDC_CLIENT_SECRET_HOSPITAL", running.client_secret)
    yield running
    running.stop()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_sign_in_through_the_organisations_provider(
    lang, issuer, live_server, new_context, axe_check, results_dir
):
    IdentityProvider.objects.create(
        slug="hospital",
        organisation_name="Testland University Hospital",
        discovery_url=issuer.url,
        client_id=issuer.client_id,
    )
    issuer.person = {"sub": f"browser-{lang}", "email": f"nurse.{lang}@hospital.example"}
    page = new_context(viewport=PHONE).new_page()
    goto(page, live_server.url, f"/{lang}/accounts/login/")
    check_narrow(page, f"{lang} login with provider 375px", results_dir, axe_check)
    page.get_by_role("button", name=BUTTON[lang]).click()
    page.wait_for_url(f"{live_server.url}/{lang}/dashboard/")
    assert path_of(page) == f"/{lang}/dashboard/"
    check_narrow(page, f"{lang} dashboard after provider 375px", results_dir, axe_check)
    orderer = Orderer.objects.get(user__email=f"nurse.{lang}@hospital.example")
    assert orderer.verification == Verification.VERIFIED
    assert orderer.organisation_name == "Testland University Hospital"
    assert not page.context.csp_errors, page.context.csp_errors
