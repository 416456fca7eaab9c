"""Error pages: every one in fi, sv and en in the site's look; JSON under /api/; a database
outage answers 503 with Retry-After, and the 500 and 503 pages need no database."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from kokemustori.core import errors
from tests.factories import UserFactory

DOWN = OperationalError('connection to server at "db" failed: Connection refused')

# The heading of each page in each language, written out.
HEADINGS = {
    "404": {
        "fi": "Sivua ei löytynyt",
        "sv": "Sidan hittades inte",
        "en": "Page not found",
    },
    "403": {
        "fi": "Ei pääsyä tälle sivulle",
        "sv": "Ingen åtkomst till den här sidan",
        "en": "No access to this page",
    },
    "405": {
        "fi": "Tätä ei voi tehdä täällä",
        "sv": "Det här går inte att göra här",
        "en": "This cannot be done here",
    },
    "503": {
        "fi": "Kokemustori ei ole hetkeen käytettävissä",
        "sv": "Kokemustori är inte tillgängligt för tillfället",
        "en": "Kokemustori is unavailable for a moment",
    },
    "500": {
        "fi": "Jokin meni vikaan",
        "sv": "Något gick fel",
        "en": "Something went wrong",
    },
    "400": {
        "fi": "Pyyntöä ei ymmärretty",
        "sv": "Begäran kunde inte förstås",
        "en": "The request could not be understood",
    },
}
LANGUAGES = ("fi", "sv", "en")


def looks_like_the_site(html, language):
    assert f'<html lang="{language}">' in html
    assert 'href="/static/kokemustori/site.css"' in html
    assert 'class="brand"' in html and 'class="site-footer"' in html


def database_down():
    """Every query fails as it does when the server is gone."""
    return mock.patch.object(connection, "ensure_connection", side_effect=DOWN)


# ---- the database is unreachable -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_database_outage_in_a_view_is_a_translated_503_with_retry_after(
    client, broken_view, language
):
    with database_down():
        response = client.get(f"/{language}/needs-the-database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert HEADINGS["503"][language] in html
    looks_like_the_site(html, language)
    assert "Server Error" not in html


@pytest.mark.django_db
def test_a_database_outage_in_a_middleware_is_a_503_too(client, broken_view, settings):
    """The second-factor middleware loads the logged-in user before any view runs: the error
    reaches handler500, which answers 503 as well."""
    settings.REQUIRE_SECOND_FACTOR = True
    client.raise_request_exception = False
    client.force_login(UserFactory(language="sv"))
    with database_down():
        response = client.get("/sv/broken/")  # the view itself would raise another error
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert HEADINGS["503"]["sv"] in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("error", [DOWN, InterfaceError("connection already closed")])
def test_the_api_answers_a_database_outage_in_json(client, error):
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        response = client.get("/api/v1/task-types", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {"__all__": ["The service is unavailable for a moment. Try again in a minute."]}
    }


def test_the_503_and_500_pages_draw_without_the_database():
    """No `db` fixture: any query here would fail the test."""
    factory = RequestFactory()
    for path, language in (("/fi/orders/", "fi"), ("/sv/", "sv"), ("/en/offers/1/", "en")):
        response = errors.database_unavailable(factory.get(path))
        assert response.status_code == 503
        assert HEADINGS["503"][language] in response.content.decode()
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            response = errors.server_error(factory.get(path))
        assert response.status_code == 500
        html = response.content.decode()
        assert HEADINGS["500"][language] in html
        looks_like_the_site(html, language)
        assert f'href="{path}"' in html  # "Try again"


# ---- every error page, in every language -------------------------------------------------


@pytest.fixture
def broken_view(settings):
    """A URL whose view raises, so the 500 page is drawn as it is in production."""
    settings.ROOT_URLCONF = "tests.core.error_urls"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_500_page(client, broken_view, language):
    client.raise_request_exception = False
    response = client.get(f"/{language}/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert HEADINGS["500"][language] in html
    looks_like_the_site(html, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_404_page(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert HEADINGS["404"][language] in html
    looks_like_the_site(html, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_403_page(client, language):
    client.force_login(UserFactory())
    response = client.get(f"/{language}/orders/inbox/")  # coordinators only
    assert response.status_code == 403
    html = response.content.decode()
    assert HEADINGS["403"][language] in html
    looks_like_the_site(html, language)
    assert 'class="main-nav"' in html  # the full site, with the person's menu


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_405_page_keeps_the_allow_header(client, language):
    client.force_login(UserFactory())
    response = client.get(f"/{language}/offers/1/decline/")  # POST only
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert HEADINGS["405"][language] in html
    looks_like_the_site(html, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_400_page(client, broken_view, language):
    response = client.get(f"/{language}/suspicious/")
    assert response.status_code == 400
    html = response.content.decode()
    assert HEADINGS["400"][language] in html
    looks_like_the_site(html, language)


@pytest.mark.django_db
def test_api_errors_stay_json(client, broken_view):
    client.raise_request_exception = False
    response = client.get("/api/broken/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response.json() == {
        "errors": {"__all__": ["Something went wrong on our side. Try again later."]}
    }
    response = client.get("/api/suspicious/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert response.json() == {"errors": {"__all__": ["Begäran kunde inte förstås."]}}


@pytest.mark.django_db
def test_a_wrong_method_on_the_api_answers_json(client):
    response = client.delete(reverse("api:api-root") + "task-types")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "errors" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_its_csrf_token_gets_the_translated_403(language):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{language}/accounts/login/", {"login": "a@example.org"})
    assert response.status_code == 403
    html = response.content.decode()
    assert {
        "fi": "Lomaketta ei voitu lähettää",
        "sv": "Formuläret kunde inte skickas",
        "en": "The form could not be sent",
    }[language] in html
    looks_like_the_site(html, language)
