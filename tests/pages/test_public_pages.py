"""The public pages in every language, and switching the language."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kokemustori.accounts.models import User
from kokemustori.kinds import ExpertKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "about", "kinds", "ordering", "joining", "privacy", "accessibility"]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def url_in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def page(response):
    return html.unescape(response.content.decode())


def test_the_three_languages_are_offered():
    assert set(LANGUAGES) == {"fi", "sv", "en"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_answers_in_each_language(client, name, language):
    url = url_in(language, f"pages:{name}")
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    assert re.search(rf'<html lang="{language}"\s*>', page(response))


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_also_answer_when_logged_in(client, name):
    client.force_login(UserFactory())
    assert client.get(url_in("en", f"pages:{name}")).status_code == 200


def test_the_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert re.match(r"^/(fi|sv|en)/$", response.url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_kinds_page_lists_all_four_kinds(client, language):
    text = page(client.get(url_in(language, "pages:kinds")))
    with translation.override(language):
        labels = [str(kind.label) for kind in ExpertKind]
    assert len(labels) == 4
    for label in labels:
        assert label[0].upper() + label[1:] in text, label
    for kind in ExpertKind:
        assert f'id="kind-{kind.value}"' in text


def test_kinds_page_states_the_training_requirements(client):
    text = page(client.get(url_in("en", "pages:kinds")))
    trained = text[
        text.index('id="kind-trained_expert"') : text.index('id="kind-experience_actor"')
    ]
    actor = text[
        text.index('id="kind-experience_actor"') : text.index('id="kind-developer_client"')
    ]
    developer = text[
        text.index('id="kind-developer_client"') : text.index('id="kind-experience_partner"')
    ]
    assert "At least 50 hours, spread over at least 4 months." in trained
    assert "At least 45 hours." in actor
    assert "None." in developer


class TestSetLanguage:
    def test_logged_in_user_language_is_remembered(self, client):
        user = UserFactory(language="en")
        client.force_login(user)
        response = client.post(
            "/i18n/setlang/", {"language": "sv", "next": url_in("en", "pages:about")}
        )
        assert response.status_code == 302
        assert response.url == url_in("sv", "pages:about")
        user.refresh_from_db()
        assert user.language == "sv"
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"

    def test_next_page_is_shown_in_the_new_language(self, client):
        client.force_login(UserFactory(language="en"))
        response = client.post(
            "/i18n/setlang/", {"language": "fi", "next": url_in("en", "pages:kinds")}, follow=True
        )
        assert response.status_code == 200
        assert '<html lang="fi"' in page(response)

    def test_an_unknown_language_changes_nothing(self, client):
        user = UserFactory(language="en")
        client.force_login(user)
        client.post("/i18n/setlang/", {"language": "xx", "next": "/en/"})
        user.refresh_from_db()
        assert user.language == "en"

    def test_anonymous_switch_works_without_saving_anything(self, client):
        before = User.objects.count()
        response = client.post(
            "/i18n/setlang/", {"language": "sv", "next": url_in("fi", "pages:home")}
        )
        assert response.status_code == 302
        assert response.url == url_in("sv", "pages:home")
        assert User.objects.count() == before

    def test_an_outside_next_is_not_followed(self, client):
        client.force_login(UserFactory())
        response = client.post(
            "/i18n/setlang/", {"language": "sv", "next": "https://evil.example.com/"}
        )
        assert response.status_code == 302
        assert "evil.example.com" not in response.url

    def test_get_is_not_allowed(self, client):
        user = UserFactory(language="en")
        client.force_login(user)
        response = client.get("/i18n/setlang/", {"language": "sv"})
        assert response.status_code == 405
        user.refresh_from_db()
        assert user.language == "en"
