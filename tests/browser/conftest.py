"""Shared fixtures of the browser tests: one Chromium per session, a fresh context per test,
and `axe_check(page, label)`, which runs axe-core on the page and fails on any violation of
impact "serious" or "critical". Lesser violations are counted and summed up at the end of the
session (pytest_terminal_summary).

Chromium is Debian's, launched through scripts/browser.py (Playwright cannot download
browsers here). axe-core comes from node_modules (`make test` runs `npm ci`).
"""

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS_DIR = ROOT / "test-results"
BLOCKING_IMPACTS = ("serious", "critical")
DEFAULT_TIMEOUT_MS = 15_000

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class AxeStats:
    """What axe found in this session, for the terminal summary."""

    def __init__(self):
        self.pages = 0
        self.blocking = 0
        self.by_impact = Counter()
        self.lesser = []  # (label, impact, rule id, nodes)

    def add(self, label, violations):
        self.pages += 1
        for violation in violations:
            impact = violation.get("impact") or "minor"
            if impact in BLOCKING_IMPACTS:
                self.blocking += 1
            else:
                self.by_impact[impact] += 1
                self.lesser.append((label, impact, violation["id"], len(violation["nodes"])))


AXE = AxeStats()


def _describe(violation) -> str:
    targets = "; ".join(
        " ".join(str(part) for part in node.get("target", [])) for node in violation["nodes"][:5]
    )
    more = len(violation["nodes"]) - 5
    if more > 0:
        targets += f"; … and {more} more"
    return (
        f"  [{violation.get('impact')}] {violation['id']}: {violation['help']}\n"
        f"    target: {targets}\n"
        f"    help: {violation['helpUrl']}"
    )


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` (make test does).")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def axe_check(axe_source):
    """`axe_check(page, label)`: run axe-core on the page as it is now.

    The script is evaluated through the DevTools protocol, so the site's Content Security
    Policy stays on in the browser. Serious and critical violations fail the test at once
    (set AXE_SOFT=1 to collect them all and fail at the end of the test instead).
    """
    soft = os.environ.get("AXE_SOFT") == "1"
    found = []

    def check(page, label):
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source + "\n;0")
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ["violations"]});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target, html: n.html}))
                }));
            }"""
        )
        AXE.add(label, result)
        blocking = [v for v in result if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            text = f"axe: {label} ({page.url}) has serious/critical violations:\n" + "\n".join(
                _describe(v) for v in blocking
            )
            print(text)
            if soft:
                found.append(text)
            else:
                pytest.fail(text, pytrace=False)
        return result

    yield check
    if found:
        pytest.fail("\n".join(found), pytrace=False)


def pytest_terminal_summary(terminalreporter):
    if not AXE.pages:
        return
    write = terminalreporter.write_line
    terminalreporter.section("accessibility (axe-core)")
    for label, impact, rule, nodes in AXE.lesser:
        write(f"  {label}: {impact} {rule} ({nodes} element{'s' if nodes != 1 else ''})")
    write(
        f"axe: {AXE.pages} pages checked, {AXE.blocking} serious/critical, "
        f"{AXE.by_impact['moderate']} moderate, {AXE.by_impact['minor']} minor"
    )


# The database --------------------------------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: they are slow, and live_server's flush after each of them empties
    the tables that migrations fill (task types), which other tests rely on."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# The browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    from scripts.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Make fresh browser contexts (one per person: separate cookies); all closed afterwards.

    CSP violations reported on the console are collected on `context.csp_errors`.
    """
    contexts = []

    def make(**options):
        options = {"viewport": {"width": 1280, "height": 900}, "accept_downloads": True, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.csp_errors = []

        def watch(page):
            page.on(
                "console",
                lambda message: (
                    message.type == "error"
                    and "Content Security Policy" in message.text
                    and context.csp_errors.append(f"{page.url}: {message.text}")
                ),
            )

        context.on("page", watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
