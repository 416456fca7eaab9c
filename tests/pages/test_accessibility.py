"""The accessibility statement (Act on the Provision of Digital Services 306/2019) in every
language, its feedback form, the administrators' e-mail and the admin list."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kokemustori.outbox.models import OutboundEmail
from kokemustori.pages.models import AccessibilityFeedback
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
# Received on 22 December 2026: answer by 5 January 2027 (14 days, over the new year).
RECEIVED = datetime(2026, 12, 22, 12, 0, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def url_in(language, name="pages:accessibility"):
    with translation.override(language):
        return reverse(name)


def text_of(response):
    return html.unescape(response.content.decode())


STATEMENT = {
    "fi": [
        "Saavutettavuusseloste",
        "täyttää <strong>osittain</strong> verkkosisällön saavutettavuusohjeiden (WCAG) 2.1 AA-tason",
        "jokaisen sivun alareunan riviä",
        "veraPDF",
        "axe-core",
        "375 pikselin",
        "pelkällä näppäimistöllä",
        "Palvelu on tarkistettu viimeksi 2. joulukuuta 2026.",
        "Etelä-Suomen aluehallintovirasto, saavutettavuusvalvonta",
        "saat vastauksen 14 päivän kuluessa",
    ],
    "sv": [
        "Tillgänglighetsutlåtande",
        "uppfyller <strong>delvis</strong> kraven på nivå AA",
        "WCAG) 2.1",
        "veraPDF",
        "axe-core",
        "375 pixlar",
        "Tjänsten kontrollerades senast 2 december 2026.",
        "Regionförvaltningsverket i Södra Finland",
        "får du svar inom 14 dagar",
    ],
    "en": [
        "Accessibility statement",
        "<strong>partially conforms</strong> to level AA",
        "(WCAG) 2.1",
        "the line at the foot of each page",
        "veraPDF",
        "axe-core",
        "375 pixel",
        "keyboard alone",
        "The service was last checked on Dec. 2, 2026.",
        "Regional State Administrative Agency for Southern Finland",
        "you will get an answer within 14 days",
    ],
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_statement_in_each_language(client, language):
    response = client.get(url_in(language))
    assert response.status_code == 200
    page = text_of(response)
    for phrase in STATEMENT[language]:
        assert phrase in page, phrase
    assert 'href="https://www.saavutettavuusvaatimukset.fi/"' in page
    assert 'name="message"' in page and 'name="reply_email"' in page
    assert "csrfmiddlewaretoken" in page


@pytest.mark.parametrize(
    ("language", "name", "label"),
    [
        ("fi", "pages:home", "Saavutettavuusseloste"),
        ("sv", "pages:kinds", "Tillgänglighetsutlåtande"),
        ("en", "pages:privacy", "Accessibility statement"),
        ("en", "pages:dashboard", "Accessibility statement"),
    ],
)
def test_every_page_links_to_the_statement_in_its_footer(client, language, name, label):
    client.force_login(UserFactory())
    page = text_of(client.get(url_in(language, name)))
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert f'<a href="/{language}/accessibility/">{label}</a>' in footer


def test_anonymous_feedback_is_stored_and_thanked(client):
    with time_machine.travel(RECEIVED, tick=False):
        response = client.post(
            url_in("en"),
            {
                "message": "  The date picker cannot be used with a screen reader.  ",
                "reply_email": "",
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == "/en/accessibility/#feedback"
    page = text_of(response)
    assert (
        "Thank you for your feedback. If you gave an e-mail address, you will get an answer "
        "within 14 days." in page
    )
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == "The date picker cannot be used with a screen reader."
    assert feedback.reply_email == ""
    assert feedback.language == "en"
    assert feedback.received_at == RECEIVED
    assert feedback.answered_at is None


def test_feedback_from_a_logged_in_user_with_an_address(client):
    client.force_login(UserFactory())
    response = client.post(
        url_in("fi"), {"message": "Kontrasti on heikko.", "reply_email": "aino@example.org"}
    )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().reply_email == "aino@example.org"


def test_empty_feedback_is_refused_with_a_translated_error_and_the_address_kept(client):
    response = client.post(url_in("fi"), {"message": "   ", "reply_email": "aino@example.org"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Kirjoita palautteesi." in page
    assert 'value="aino@example.org"' in page
    assert not AccessibilityFeedback.objects.exists()


def test_too_long_feedback_is_refused_and_kept(client):
    typed = "Painike ei näy. " * 300  # 4800 characters, over the 4000 allowed
    response = client.post(url_in("sv"), {"message": typed, "reply_email": ""})
    assert response.status_code == 200
    page = text_of(response)
    assert "Håll responsen under 4000 tecken." in page
    assert typed.strip() in page
    assert not AccessibilityFeedback.objects.exists()


def test_a_bad_address_is_refused_and_the_message_kept(client):
    response = client.post(
        url_in("en"), {"message": "Hard to read.", "reply_email": "not an address"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Check the e-mail address, e.g. name@example.fi." in page
    assert "Hard to read." in page
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, settings):
    from kokemustori import settings as project

    # The tests switch the limits off (tests/conftest.py); the project's own value, on here.
    assert project.ACCOUNT_RATE_LIMITS["accessibility_feedback"] == "10/h/ip"
    settings.ACCOUNT_RATE_LIMITS = {"accessibility_feedback": "10/h/ip"}
    for number in range(10):
        response = client.post(url_in("en"), {"message": f"Problem {number}", "reply_email": ""})
        assert response.status_code == 302
    response = client.post(url_in("en"), {"message": "Problem 11", "reply_email": ""})
    assert response.status_code == 429
    page = text_of(response)
    assert "Too many messages were sent from here. Try again in an hour." in page
    assert "Problem 11" in page
    assert AccessibilityFeedback.objects.count() == 10


def test_feedback_needs_the_csrf_token():
    response = Client(enforce_csrf_checks=True).post(
        url_in("en"), {"message": "Hello", "reply_email": ""}
    )
    assert response.status_code == 403
    assert not AccessibilityFeedback.objects.exists()


def test_administrators_are_emailed_with_the_answer_by_date_but_not_the_message(client):
    admin_fi = UserFactory(is_staff=True, language="fi", email="yllapito@example.org")
    admin_en = UserFactory(is_superuser=True, language="en", email="admin@example.org")
    UserFactory(is_staff=True, is_active=False, email="former@example.org")
    UserFactory(email="someone@example.org")  # not an administrator
    secret = "I have epilepsy and the moving banner is a problem."
    with time_machine.travel(RECEIVED, tick=False):
        client.post(url_in("sv"), {"message": secret, "reply_email": "x@example.org"})
    feedback = AccessibilityFeedback.objects.get()
    emails = {
        e.to_email: e for e in OutboundEmail.objects.filter(template="accessibility_feedback")
    }
    assert set(emails) == {"yllapito@example.org", "admin@example.org"}
    finnish = emails["yllapito@example.org"]
    assert (
        finnish.subject
        == "Kokemustori: Saavutettavuuspalaute: vastaa viimeistään 5. tammikuuta 2027"
    )
    assert "vastaa viimeistään 5. tammikuuta 2027." in finnish.body_text
    assert "Lähettäjä antoi sähköpostiosoitteen vastausta varten." in finnish.body_text
    assert f"/admin/pages/accessibilityfeedback/{feedback.pk}/change/" in finnish.body_text
    english = emails["admin@example.org"]
    assert english.subject == "Kokemustori: Accessibility feedback: answer by Jan. 5, 2027"
    assert "answer by Jan. 5, 2027." in english.body_text
    for email in emails.values():
        assert secret not in email.body_text and "epilepsy" not in email.subject
        assert email.user in (admin_fi, admin_en)


def test_the_admin_lists_the_answer_by_date_and_filters_the_overdue(client):
    admin = UserFactory(is_staff=True, is_superuser=True, language="en")
    with time_machine.travel(RECEIVED, tick=False):
        late = AccessibilityFeedback.objects.create(message="Overdue one")
    recent = AccessibilityFeedback.objects.create(
        message="Recent one", received_at=RECEIVED + timedelta(days=20)
    )
    answered = AccessibilityFeedback.objects.create(
        message="Answered one", received_at=RECEIVED, answered_at=RECEIVED + timedelta(days=3)
    )
    # 20 January 2027: the first is overdue (answer by 5 January), the second is not yet.
    with time_machine.travel(datetime(2027, 1, 20, 9, 0, tzinfo=HELSINKI), tick=False):
        client.force_login(admin)
        changelist = reverse("admin:pages_accessibilityfeedback_changelist")
        page = text_of(client.get(changelist))  # the admin speaks the default language, Finnish
        assert "5. tammikuuta 2027 (myöhässä)" in page
        assert "25. tammikuuta 2027" in page  # the recent one's answer-by date
        # The list never shows the messages themselves.
        assert "Overdue one" not in page and "Recent one" not in page
        overdue = text_of(client.get(changelist + "?answer=overdue"))
    assert f"Saavutettavuuspalaute {late.pk}<" in overdue
    assert f"Saavutettavuuspalaute {recent.pk}<" not in overdue
    assert f"Saavutettavuuspalaute {answered.pk}<" not in overdue


def test_only_administrators_open_the_feedback_in_the_admin(client):
    feedback = AccessibilityFeedback.objects.create(message="Private health detail")
    client.force_login(UserFactory())
    response = client.get(reverse("admin:pages_accessibilityfeedback_change", args=[feedback.pk]))
    assert response.status_code == 302  # to the login page
    assert "Private health detail" not in response.content.decode()
