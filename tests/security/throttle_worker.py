"""One app-server process for tests/security/test_shared_throttling.py: production settings from the
environment; each line on stdin ("e-mail password") is one login attempt through the real
login view; each answer is one JSON line on stdout. Ends when stdin closes."""

import json
import os
import sys

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kokemustori.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

# Test-only differences from production, neither about throttling: the test's users have
# fast (MD5) password hashes, as everywhere in the tests (conftest.py), and the pages need no
# static-file manifest (none is collected for the test).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

print(
    json.dumps({"ready": os.getpid(), "cache": settings.CACHES["default"]["BACKEND"]}), flush=True
)
for line in sys.stdin:
    email, password = line.split()
    client = Client()
    response = client.post("/en/accounts/login/", {"login": email, "password": password})
    body = response.content.decode().lower()
    answer = {
        "pid": os.getpid(),
        "status": response.status_code,
        "logged_in": "_auth_user_id" in client.session,
        "throttled": response.status_code == 429 or "too many failed login attempts" in body,
    }
    print(json.dumps(answer), flush=True)
