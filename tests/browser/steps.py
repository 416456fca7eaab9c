"""Small helpers for driving the site in a browser. Selectors go by name, id and href, never
by visible text, because the texts differ per language. Forms are always scoped to <main>:
the header has the language-switch submit buttons."""

import re
import time
from urllib.parse import urlsplit

from allauth.mfa import app_settings as mfa_settings

from kokemustori.accounts.demo import current_code
from tests.factories import PASSWORD

LANGUAGES = ("fi", "sv", "en")


def path_of(page) -> str:
    return urlsplit(page.url).path


def goto(page, base_url, path):
    response = page.goto(base_url + path)
    assert response is not None and response.ok, f"GET {path}: {response and response.status}"
    return response


def submit(page, locator):
    """Click a submit button (or link) and wait for the page that follows."""
    with page.expect_navigation():
        locator.click()


def current_language(page) -> str:
    return page.locator("html").get_attribute("lang")


def switch_language(page, lang):
    """Switch through the header's language buttons, as a person would."""
    submit(page, page.locator(f"header button[name=language][value={lang}]"))
    assert current_language(page) == lang, page.url
    assert path_of(page).startswith(f"/{lang}/"), page.url
    button = page.locator(f"header button[name=language][value={lang}]")
    assert button.get_attribute("aria-current") == "true"


def ensure_language(page, lang):
    if current_language(page) != lang:
        switch_language(page, lang)


def log_in(page, base_url, email, lang, password=PASSWORD, axe_check=None):
    """Log in through the real form; end on the dashboard in `lang`, switching through the
    header if the account's own language is another one. With `axe_check`, the log-in page
    is checked too."""
    goto(page, base_url, f"/{lang}/accounts/login/")
    if axe_check is not None:
        axe_check(page, f"{lang} log-in")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    submit(page, form.locator("button[type=submit]"))
    if "/2fa/authenticate/" in page.url:
        # Coordinators prove the second factor with their authenticator app.
        if axe_check is not None:
            axe_check(page, f"{lang} authenticator code")
        code_form = page.locator("main form").filter(has=page.locator("input[name=code]"))
        code_form.locator("input[name=code]").fill(current_code())
        submit(page, code_form.locator("button[type=submit]:not([form])"))
        if "/2fa/authenticate/" in page.url:
            # Each code works once: a log-in earlier in the same 30 seconds used this one.
            # As a person would, wait for the app's next code and type that.
            period = mfa_settings.TOTP_PERIOD
            time.sleep(period - time.time() % period + 0.5)
            code_form.locator("input[name=code]").fill(current_code())
            submit(page, code_form.locator("button[type=submit]:not([form])"))
    assert "/accounts/" not in page.url, page.locator("main").inner_text()[:500]
    ensure_language(page, lang)
    assert re.search(rf"^/{lang}/dashboard/$", path_of(page)), page.url


def expect_message(page, kind="success"):
    """The flash message of the kind (success, error, warning) is shown."""
    messages = page.locator(f"main .messages .message-{kind}")
    assert messages.count() >= 1, page.locator("main").inner_text()[:800]
    return messages.first.inner_text()


def no_error_message(page):
    errors = page.locator("main .messages .message-error, main .error-summary")
    assert errors.count() == 0, page.locator("main").inner_text()[:1500]


def no_horizontal_scroll(page):
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return width[0] <= width[1], width


def wide_elements(page):
    """What sticks out of the viewport (for the failure message of the responsive test)."""
    return page.evaluate(
        """() => {
            const limit = window.innerWidth;
            const out = [];
            for (const el of document.querySelectorAll("body *")) {
                const r = el.getBoundingClientRect();
                if (r.right > limit + 0.5 && r.width > 0) {
                    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                        + (el.className && typeof el.className === "string"
                           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
                    out.push(name + " right=" + Math.round(r.right));
                }
                if (out.length > 15) break;
            }
            return out;
        }"""
    )


def cut_cells(page):
    """Table cells a reader on this screen cannot see: outside the viewport, or clipped by a
    scrolling box around the table (a status column cut off at the right edge)."""
    return page.evaluate(
        """() => {
            const limit = window.innerWidth;
            const out = [];
            for (const cell of document.querySelectorAll("main td, main tbody th")) {
                const r = cell.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue;
                let clipped = r.right > limit + 0.5 || r.left < -0.5;
                for (let box = cell.parentElement; box && !clipped; box = box.parentElement) {
                    const style = getComputedStyle(box);
                    if (style.overflowX !== "visible") {
                        const b = box.getBoundingClientRect();
                        clipped = r.right > b.right + 0.5 || r.left < b.left - 0.5;
                    }
                }
                if (clipped) out.push((cell.dataset.label || cell.textContent).trim().slice(0, 40));
                if (out.length > 10) break;
            }
            return out;
        }"""
    )


def header_height(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.site-header').getBoundingClientRect().height"
    )
