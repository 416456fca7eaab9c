"""A part of the path with the keyboard alone: log in, open the application form, send it
with an item missing, follow the error summary to the field, fix it and send again.

No mouse clicks: only Tab, Enter, Space, arrow keys and typing. Every element reached with
Tab must show a visible focus indicator (an outline or a box-shadow)."""

import pytest

from kokemustori.experts.models import Expert, ExpertStatus
from tests.browser.steps import path_of
from tests.factories import (
    AreaFactory,
    LanguageFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "")
        + (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "");
    return {name, visible: outline || shadow};
}"""


class Keyboard:
    """Tab through the page like a keyboard user, noting focus that cannot be seen."""

    def __init__(self, page):
        self.page = page
        self.invisible = []
        self.presses = 0

    def focused_matches(self, selector) -> bool:
        return self.page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        )

    def tab_to(self, selector, limit=300):
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            self.presses += 1
            state = self.page.evaluate(FOCUS_STATE)
            if state and not state["visible"]:
                self.invisible.append(f"{path_of(self.page)}: {state['name']}")
            if self.focused_matches(selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def press_and_wait(self, key):
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


@pytest.mark.parametrize("lang", ["fi"])
def test_log_in_and_apply_with_the_keyboard_alone(lang, live_server, page, axe_check):
    organisation = OrganisationFactory(name="Mielenterveysyhdistys Lyhty ry")
    area = AreaFactory(name="Mental health")
    finnish = LanguageFactory(slug="fi", name="Finnish", name_fi="suomi")
    RegionFactory(name="Ostrobothnia")
    user = UserFactory(
        email="keyboard@example.org", first_name="Kalle", last_name="Näppäin", language=lang
    )
    keys = Keyboard(page)
    page.goto(f"{live_server.url}/{lang}/accounts/login/")

    # Log in.
    keys.tab_to("main input[name=login]")
    page.keyboard.type(user.email)
    keys.tab_to("main input[name=password]")
    page.keyboard.type("a-long-test-password")
    keys.press_and_wait("Enter")
    assert path_of(page) == f"/{lang}/dashboard/", page.locator("main").inner_text()[:500]

    # Open the application form from the dashboard.
    keys.tab_to(f'main a[href="/{lang}/experts/apply/"]')
    keys.press_and_wait("Enter")
    assert path_of(page) == f"/{lang}/experts/apply/"

    # Fill in what a developer client needs, but not the consent.
    keys.tab_to("main select[name=organisation]")
    page.keyboard.press("ArrowDown")
    assert page.locator("main select[name=organisation]").input_value() == str(organisation.pk)
    keys.tab_to("main input[name=kinds][value=developer_client]")
    page.keyboard.press("Space")
    keys.tab_to(f"main input[name=areas_own][value='{area.pk}']")
    page.keyboard.press("Space")
    keys.tab_to(f"main input[name=languages][value='{finnish.pk}']")
    page.keyboard.press("Space")
    keys.tab_to("main input[name=works_remotely]")
    page.keyboard.press("Space")
    keys.tab_to("main button[name=submit]")
    keys.press_and_wait("Enter")

    # The error is announced, focused, and linked to its field.
    summary = page.locator("main .error-summary")
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("() => document.activeElement.id === 'error-summary'")
    links = summary.locator("a")
    assert links.count() == 1, summary.inner_text()
    assert links.first.get_attribute("href") == "#id_consent"
    field = page.locator("main #id_consent")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert described, "the invalid field has no aria-describedby"
    error_texts = [page.locator(f"[id='{ref}']").inner_text().strip() for ref in described]
    error_in_summary = links.first.inner_text()
    assert any(text and text in error_in_summary for text in error_texts), (
        error_texts,
        error_in_summary,
    )
    axe_check(page, f"{lang} application form with an error (keyboard)")
    # What was chosen before the error is kept.
    assert page.locator("main input[name=kinds][value=developer_client]").is_checked()

    # Follow the link in the summary to the field, tick it, send.
    keys.tab_to('main .error-summary a[href="#id_consent"]')
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#id_consent'")
    if not keys.focused_matches("#id_consent"):
        # Browsers that only move the sequential focus starting point: one Tab reaches it.
        keys.tab_to("#id_consent", limit=3)
    page.keyboard.press("Space")
    assert field.is_checked()
    keys.tab_to("main button[name=submit]")
    keys.press_and_wait("Enter")
    assert path_of(page) == f"/{lang}/experts/me/", page.locator("main").inner_text()[:1000]
    assert Expert.objects.get(user=user).status == ExpertStatus.SUBMITTED

    assert not keys.invisible, "focus not visible on: " + ", ".join(keys.invisible)
    assert keys.presses > 10
    assert not page.context.csp_errors, page.context.csp_errors
