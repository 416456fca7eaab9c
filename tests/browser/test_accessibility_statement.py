"""The accessibility statement on a small phone (375 px), in every language: it fits, axe finds
nothing, the feedback form shows its error and then its thank-you, all with the keyboard."""

import pytest

from kokemustori.pages.models import AccessibilityFeedback
from tests.browser.steps import LANGUAGES, goto
from tests.browser.test_responsive import PHONE, check_narrow

pytestmark = pytest.mark.browser

THANKS = {
    "fi": "Kiitos palautteestasi.",
    "sv": "Tack för din respons.",
    "en": "Thank you for your feedback.",
}
EMPTY = {"fi": "Kirjoita palautteesi.", "sv": "Skriv din respons.", "en": "Write your feedback."}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_statement_and_feedback_on_a_phone(lang, live_server, new_context, axe_check, results_dir):
    page = new_context(viewport=PHONE).new_page()
    goto(page, live_server.url, f"/{lang}/accessibility/")
    check_narrow(page, f"{lang} accessibility statement 375px", results_dir, axe_check)

    # Sent empty: the error summary and the field's error, checked by axe too.
    page.locator("#id_reply_email").fill("reader@example.org")
    page.locator("#feedback button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert EMPTY[lang] in page.locator("#error-summary").inner_text()
    assert page.locator("#id_reply_email").input_value() == "reader@example.org"
    check_narrow(page, f"{lang} accessibility feedback error 375px", results_dir, axe_check)

    page.locator("#id_message").fill("The focus outline is hard to see.")
    page.locator("#id_message").press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert THANKS[lang] in page.locator(".messages").inner_text()
    check_narrow(page, f"{lang} accessibility feedback sent 375px", results_dir, axe_check)
    assert AccessibilityFeedback.objects.get().reply_email == "reader@example.org"
    assert not page.context.csp_errors, page.context.csp_errors
