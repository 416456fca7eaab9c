"""Accounts: coordinators and admins must use an authenticator app; logins are throttled;
sessions expire; passwords are reset by e-mail; experts may log in with a one-time code."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from kokemustori.accounts.demo import activate_demo_authenticator, current_code
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.REQUIRE_SECOND_FACTOR = True
    cache.clear()  # used TOTP codes and rate-limit counters live in the cache


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def login_code(body):
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)


def path(response):
    return response.headers.get("Location", "").split("?")[0]


@pytest.fixture
def coordinator_user():
    return with_password(CoordinatorFactory().user)


@pytest.fixture
def admin_user():
    return with_password(UserFactory(is_staff=True, is_superuser=True))


def test_coordinator_without_an_app_is_sent_to_set_one_up(client, coordinator_user):
    log_in(client, coordinator_user)
    response = client.get(reverse("pages:dashboard"))
    assert response.status_code == 302
    assert path(response) == reverse("mfa_activate_totp")
    # Nothing else opens either, not even the review list full of applicants' data.
    assert path(client.get(reverse("experts:review_list"))) == reverse("mfa_activate_totp")


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_app_opens_the_service(client, coordinator_user):
    """Transactional: allauth announces the new authenticator on commit, inside the request,
    as in production."""
    log_in(client, coordinator_user)
    # allauth asks for the password once more before a factor is added or removed.
    first = client.get(reverse("mfa_activate_totp"))
    assert path(first) == reverse("account_reauthenticate")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    html = page.content.decode()
    assert 'class="qr"' in html and f"{secret[:4]} {secret[4:8]}" in html  # scan or type
    assert "sensitive personal data" in html  # says why
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and "code" in wrong.context["form"].errors
    assert not Authenticator.objects.filter(user=coordinator_user).exists()

    done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=coordinator_user, type="totp").exists()
    codes = client.get(done.headers["Location"])
    assert codes.status_code == 200 and reverse("pages:dashboard") in codes.content.decode()
    # The code just typed proves the factor for this session: no second prompt.
    assert client.get(reverse("pages:dashboard")).status_code == 200


def test_login_asks_for_the_app_code_and_refuses_a_wrong_one(client, coordinator_user):
    activate_demo_authenticator(coordinator_user)
    response = log_in(client, coordinator_user)
    assert path(response) == reverse("mfa_authenticate")
    # Password alone is not a login.
    assert path(client.get(reverse("pages:dashboard"))) == reverse("account_login")

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert path(client.get(reverse("pages:dashboard"))) == reverse("account_login")

    right = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert right.status_code == 302
    assert client.get(reverse("pages:dashboard")).status_code == 200


def test_a_session_without_the_second_factor_must_prove_it(client, coordinator_user):
    """A session made some other way (here force_login) is stopped until the app code is
    given, and the same code cannot be used twice."""
    activate_demo_authenticator(coordinator_user)
    client.force_login(coordinator_user)
    response = client.get(reverse("experts:review_list"))
    assert path(response) == reverse("mfa_reauthenticate")
    code = current_code()
    ok = client.post(reverse("mfa_reauthenticate"), {"code": code})
    assert ok.status_code == 302
    assert client.get(reverse("experts:review_list")).status_code == 200

    second = client.__class__()
    second.force_login(coordinator_user)
    replay = second.post(reverse("mfa_reauthenticate"), {"code": code})
    assert replay.status_code == 200  # already used within its period: refused
    assert path(second.get(reverse("experts:review_list"))) == reverse("mfa_reauthenticate")


def test_login_by_code_does_not_skip_the_app(client, coordinator_user, sent_after_commit):
    activate_demo_authenticator(coordinator_user)
    with sent_after_commit():  # e-mails go out once the request's transaction commits
        client.post(reverse("account_request_login_code"), {"email": coordinator_user.email})
    code = login_code(mail.outbox[-1].body)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    response = client.get(reverse("experts:review_list"))
    assert response.status_code == 302
    assert path(response) in {
        reverse("mfa_authenticate"),
        reverse("mfa_reauthenticate"),
        reverse("account_login"),
    }


def test_the_api_answers_json_when_the_factor_is_missing(client, coordinator_user):
    client.force_login(coordinator_user)
    response = client.get("/api/v1/orders")
    assert response.status_code == 403
    assert "__all__" in response.json()["errors"]


def test_admin_needs_the_app_too(client, admin_user):
    assert path(client.get("/admin/")) == "/admin/login/"
    assert path(client.get("/admin/login/")) == reverse("account_login")
    log_in(client, admin_user)
    assert path(client.get("/admin/")) == reverse("mfa_activate_totp")
    activate_demo_authenticator(admin_user)
    assert path(client.get("/admin/")) == reverse("mfa_reauthenticate")
    client.post(reverse("mfa_reauthenticate"), {"code": current_code()})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("make", [ExpertFactory, OrdererFactory], ids=["expert", "orderer"])
def test_experts_and_orderers_log_in_with_a_password_alone(client, make):
    user = with_password(make().user)
    response = log_in(client, user)
    assert response.status_code == 302
    assert client.get(reverse("pages:dashboard")).status_code == 200


def test_an_expert_can_log_in_with_a_one_time_code(client, sent_after_commit):
    user = ExpertFactory().user
    with sent_after_commit():
        client.post(reverse("account_request_login_code"), {"email": user.email})
    code = login_code(mail.outbox[-1].body)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert client.get(reverse("pages:dashboard")).status_code == 200
    assert client.get(reverse("experts:me")).status_code == 200


def test_guessing_passwords_is_throttled(client, settings):
    from django.conf import settings as project

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    assert project.ACCOUNT_RATE_LIMITS == settings.ACCOUNT_RATE_LIMITS
    user = with_password(ExpertFactory().user)
    for _attempt in range(5):
        wrong = log_in(client, user, password="guess")
        assert wrong.status_code == 200
    # The sixth try is refused even with the right password, and says why.
    blocked = log_in(client, user)
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "too many" in blocked.content.decode().lower()


def test_the_project_settings_throttle_and_expire(settings):
    """The values tests switch off above are on in the project itself."""
    from kokemustori import settings as project

    assert project.ACCOUNT_RATE_LIMITS["login_failed"]
    assert project.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < project.SESSION_COOKIE_AGE <= 60 * 60 * 12


@pytest.mark.parametrize("debug", ["true", "false"])
def test_the_second_factor_is_required_by_default_in_debug_and_production(debug):
    """Read the settings as a fresh process does, with nothing in the environment about the
    second factor: it is on, whether DEBUG is on or off."""
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if k not in ("REQUIRE_SECOND_FACTOR", "DEBUG")}
    env.update(
        DEBUG=debug,
        SECRET_KEY="x" * 50,
        MFA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_SETTINGS_MODULE="kokemustori.settings",
    )
    code = "from kokemustori import settings; print(settings.REQUIRE_SECOND_FACTOR)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def test_a_session_expires(client, settings):
    user = with_password(ExpertFactory().user)
    log_in(client, user)
    session = client.session
    assert session.get_expire_at_browser_close()
    assert session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    # An expired session is a logged-out one.
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("pages:dashboard"))
    assert path(response) == reverse("account_login")


def test_password_reset_by_email(client, sent_after_commit):
    user = with_password(ExpertFactory().user)
    with sent_after_commit():
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", mail.outbox[0].body).group(0)
    link = "/" + link.split("/", 3)[3]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "another-long-password-77"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new, "password2": new},
    )
    assert done.status_code == 302
    client.logout()
    assert log_in(client, user, password=new).status_code == 302
    assert client.get(reverse("pages:dashboard")).status_code == 200


def test_an_expert_confirms_their_identity_again_by_a_code(client, sent_after_commit):
    """allauth's reauthentication by an e-mailed code: the code asked for, the wrong one
    refused with the page kept, the right one accepted and recorded."""
    user = with_password(ExpertFactory().user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    page = client.get(reverse("account_request_reauthentication_code"))
    assert page.status_code == 200
    assert user.email in page.content.decode()

    with sent_after_commit():
        asked = client.post(
            reverse("account_request_reauthentication_code"), {"recipient": user.email}
        )
    assert path(asked) == reverse("account_confirm_reauthentication_code")
    assert mail.outbox[-1].to == [user.email]
    code = login_code(mail.outbox[-1].body)

    wrong = client.post(reverse("account_confirm_reauthentication_code"), {"code": "AAAA-AAAA"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]

    right = client.post(reverse("account_confirm_reauthentication_code"), {"code": code})
    assert right.status_code == 302
    methods = client.session["account_authentication_methods"]
    assert methods[-1]["method"] == "code"
    assert methods[-1].get("reauthenticated") is True


def test_reauthentication_by_code_offers_only_the_persons_own_verified_addresses(client):
    user = with_password(ExpertFactory().user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    response = client.post(
        reverse("account_request_reauthentication_code"), {"recipient": "someone@else.example"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["recipient"]
    assert not mail.outbox
