"""Write screenshots of the main pages (in Finnish) to docs/screenshots/, and the first page
of an accepted agreement's PDF in Finnish and Swedish (agreement-pdf-fi.png, -sv.png; needs
pdftoppm from Debian's poppler-utils).

Run with `make screenshots`: it serves the demo data from a throw-away SQLite database.
`python scripts/screenshots.py offer fee-schedule` takes only the pages named;
SCREENSHOT_WIDTH=375 and SCREENSHOT_OUT=/tmp/shots look at them as on a phone elsewhere.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.browser import launch  # noqa: E402

OUT = Path(os.environ.get("SCREENSHOT_OUT", ROOT / "docs" / "screenshots"))
WIDTH = int(os.environ.get("SCREENSHOT_WIDTH", "1280"))
PORT = int(os.environ.get("SCREENSHOT_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "kokemus-demo-2026"

# (file name, login e-mail or None, "path [| selector to click]...", full page?)
PAGES = [
    ("home", None, "/fi/", False),
    ("kinds", None, "/fi/kinds-of-expert/", True),
    ("application-form", "hakija-uusi@example.org", "/fi/experts/apply/", False),
    ("catalogue", "tilaaja@example.org", "/fi/experts/catalogue/", False),
    ("expert-profile", "asiantuntija@example.org", "/fi/experts/me/", False),
    ("review-list", "koordinaattori@example.org", "/fi/experts/review/", False),
    # The first application waiting in the coordinator's list.
    ("review-detail", "koordinaattori@example.org", "/fi/experts/review/ | table a", True),
    # The guided order form: step 1 of a new order; the demo's draft on its check page (it is
    # complete, so "continue" goes there) and its step 2 through that page's edit link.
    ("order-form", "tilaaja@example.org", "/fi/orders/new/", True),
    ("order-check", "tilaaja@example.org", "/fi/orders/ | main a[href$='/edit/']", True),
    (
        "order-step",
        "tilaaja@example.org",
        "/fi/orders/ | main a[href$='/edit/'] | main a[href$='/form/role/']",
        True,
    ),
    ("orders-inbox", "koordinaattori@example.org", "/fi/orders/inbox/", False),
    (
        "order-review",
        "koordinaattori@example.org",
        "/fi/orders/inbox/?state=submitted | table a",
        True,
    ),
    (
        "matching",
        "koordinaattori@example.org",
        "/fi/orders/inbox/?state=matching | table a | a[href*='/matching/']",
        False,
    ),
    # The newest offer: group leading paid by the hour from the fee schedule.
    ("offer", "asiantuntija@example.org", "/fi/offers/ | .card a", True),
    ("fee-schedule", "koordinaattori@example.org", "/fi/fees/schedule/", True),
    ("ordering-fees", None, "/fi/how-to-order/?task_type=peer-group#fees-h", True),
    ("agreement", "tilaaja@example.org", "/fi/agreements/ | main table a, main li a", True),
    # A coordinator changing the terms of the first agreement in their list.
    (
        "agreement-change",
        "koordinaattori@example.org",
        "/fi/agreements/ | main table a | a[href$='/change/']",
        True,
    ),
    ("fees", "koordinaattori@example.org", "/fi/fees/", False),
    ("dashboard-coordinator", "koordinaattori@example.org", "/fi/dashboard/", True),
    ("dashboard-expert", "asiantuntija@example.org", "/fi/dashboard/", True),
    ("dashboard-orderer", "tilaaja@example.org", "/fi/dashboard/", True),
    ("calendar", "asiantuntija@example.org", "/fi/calendar/ | main form button", True),
    ("notices", "koordinaattori@example.org", "/fi/notifications/", False),
    ("notice-preferences", "asiantuntija@example.org", "/fi/notifications/preferences/", True),
    ("audit-log", "koordinaattori@example.org", "/fi/audit/", False),
    ("my-data", "asiantuntija@example.org", "/fi/privacy/my-data/", False),
    ("reports", "koordinaattori@example.org", "/fi/reports/", True),
    ("reports-network", "verkosto@example.org", "/fi/reports/", False),
]


# The first page of the demo's first accepted agreement, as its PDF, in these languages.
PDF_LANGUAGES = ("fi", "sv")
PDF_SCRIPT = """
import sys
from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.agreements.pdf import render_pdf
agreement = Agreement.objects.filter(state=AgreementState.ACCEPTED).order_by("pk").first()
open(sys.argv[-1], "wb").write(render_pdf(agreement, sys.argv[-2]))
"""


def pdf_pages(env, tmp):
    if not shutil.which("pdftoppm"):
        print("skipped the PDF pages: pdftoppm (poppler-utils) is not installed")
        return
    for language in PDF_LANGUAGES:
        pdf = Path(tmp) / f"agreement-{language}.pdf"
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-c",
                f"import django; django.setup(); exec({PDF_SCRIPT!r})",
                language,
                str(pdf),
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "kokemustori.settings", "PYTHONPATH": "src"},
            check=True,
        )
        stem = OUT / f"agreement-pdf-{language}"
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, stem],  # noqa: S607
            check=True,
        )
        print(f"wrote docs/screenshots/{stem.name}.png")


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def log_in(page, email, env):
    page.goto(f"{BASE}/fi/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/2fa/authenticate/" in page.url:
        # Coordinators use the demo authenticator app (see README, demo logins).
        code = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "demo_totp"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        page.fill("input[name=code]", code)
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"could not log in as {email}: " + page.inner_text("main")[:300])


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3", "DEBUG": "true"}
        manage("migrate", "-v0", env=env)
        manage("load_demo_data", env=env)
        manage(
            "shell",
            "-c",
            "from kokemustori.accounts.models import User;"
            f"User.objects.create_user('hakija-uusi@example.org', '{PASSWORD}',"
            " first_name='Hilla', last_name='Hakija')",
            env=env,
        )
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{BASE}/fi/")
            with sync_playwright() as playwright:
                browser = launch(playwright)
                # One log-in per person: an authenticator code is accepted only once.
                sessions = {}
                wanted = set(sys.argv[1:])
                for name, email, path, full_page in PAGES:
                    if wanted and name not in wanted:
                        continue
                    context = browser.new_context(
                        viewport={"width": WIDTH, "height": 900},
                        locale="fi-FI",
                        storage_state=sessions.get(email),
                    )
                    page = context.new_page()
                    if email and email not in sessions:
                        log_in(page, email, env)
                        sessions[email] = context.storage_state()
                    path, *clicks = [part.strip() for part in path.split("|")]
                    page.goto(BASE + path)
                    for selector in clicks:
                        page.locator(selector).first.click()
                        page.wait_for_load_state("networkidle")
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
                    print(f"wrote docs/screenshots/{name}.png")
                    context.close()
                browser.close()
            if not wanted or "agreement-pdf" in wanted:
                pdf_pages(env, tmp)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
