"""Authenticator secrets are encrypted at rest with keys from the environment and can be
rotated; expected refusals are logged as one line without a traceback."""

import importlib
import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from kokemustori.accounts import secrets
from kokemustori.accounts.demo import DEMO_TOTP_SECRET, activate_demo_authenticator, current_code
from tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
PASSWORD = "a-long-test-password-42"


@pytest.fixture
def keys(settings):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    cache.clear()  # allauth remembers used codes in the cache
    return settings


def stored(user, kind="totp"):
    return Authenticator.objects.get(user=user, type=kind).data


def test_the_totp_secret_is_not_stored_in_the_clear(keys):
    user = UserFactory()
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    data = stored(user)
    assert "JBSWY3DPEHPK3PXP" not in str(data)
    assert data["secret"].startswith("fernet:")
    assert (
        Fernet(OLD_KEY).decrypt(data["secret"][7:].encode()) == b"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
    authenticator = TOTP(Authenticator.objects.get(user=user))
    assert authenticator.validate_code(current_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))


def test_the_recovery_code_seed_is_encrypted_and_the_codes_still_work(keys):
    user = UserFactory()
    codes = RecoveryCodes.activate(user)
    seed = stored(user, "recovery_codes")["seed"]
    assert seed.startswith("fernet:")
    first = codes.get_unused_codes()[0]
    assert RecoveryCodes(Authenticator.objects.get(user=user)).validate_code(first)


def test_another_key_cannot_read_a_secret(keys):
    user = UserFactory()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    keys.MFA_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(secrets.SecretNotReadable):
        TOTP(Authenticator.objects.get(user=user)).validate_code(current_code())


def test_a_secret_in_the_clear_is_refused_not_used(keys):
    with pytest.raises(secrets.SecretNotReadable):
        secrets.decrypt(DEMO_TOTP_SECRET)


def test_rotation_new_key_first_then_rotate_then_drop_the_old(keys, client):
    user = CoordinatorFactory().user
    user.set_password(PASSWORD)
    user.save()
    activate_demo_authenticator(user)
    RecoveryCodes.activate(user)
    before = stored(user)["secret"]

    # 1. The new key first, the old one still there: old secrets still open.
    keys.MFA_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert secrets.decrypt(before) == DEMO_TOTP_SECRET
    # 2. Re-encrypt everything under the new key.
    out = io.StringIO()
    call_command("rotate_mfa_keys", stdout=out)
    assert out.getvalue() == "Re-encrypted the secrets of 2 authenticator(s).\n"
    after = stored(user)["secret"]
    assert after != before
    assert Fernet(NEW_KEY).decrypt(after[7:].encode()) == DEMO_TOTP_SECRET.encode()
    # 3. The old key removed: the demo authenticator still logs in.
    keys.MFA_ENCRYPTION_KEYS = [NEW_KEY]
    keys.REQUIRE_SECOND_FACTOR = True
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.headers["Location"].startswith(reverse("mfa_authenticate"))
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("pages:dashboard")).status_code == 200
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert len(codes.get_unused_codes()) > 0


def test_the_data_migration_encrypts_secrets_stored_in_the_clear(keys):
    user = UserFactory()
    Authenticator.objects.create(user=user, type="totp", data={"secret": DEMO_TOTP_SECRET})
    other = UserFactory()
    Authenticator.objects.create(
        user=other,
        type="recovery_codes",
        data={"seed": "ab" * 40, "used_mask": 3, "migrated_codes": ["12345678", "87654321"]},
    )
    migration = importlib.import_module("kokemustori.accounts.migrations.0002_encrypt_mfa_secrets")

    migration.encrypt_all(apps, None)
    migration.encrypt_all(apps, None)  # twice changes nothing more

    totp = stored(user)
    assert secrets.decrypt(totp["secret"]) == DEMO_TOTP_SECRET
    recovery = stored(other, "recovery_codes")
    assert secrets.decrypt(recovery["seed"]) == "ab" * 40
    assert recovery["used_mask"] == 3
    assert [secrets.decrypt(c) for c in recovery["migrated_codes"]] == ["12345678", "87654321"]
    assert TOTP(Authenticator.objects.get(user=user)).validate_code(current_code())

    migration.decrypt_all(apps, None)  # the way back
    assert stored(user) == {"secret": DEMO_TOTP_SECRET}


def _settings_in_a_fresh_process(tmp_path, **env_vars):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x7Gq2-" + "kLm9pR4sT8vW1yZ3bN6cF0hJ5" * 2,
        "ALLOWED_HOSTS": "kokemustori.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "CACHE_URL": "dbcache://kokemustori_cache",
        **env_vars,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("MFA_ENCRYPTION_KEYS", None) if "MFA_ENCRYPTION_KEYS" not in env_vars else None
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_encryption_keys(tmp_path):
    result = _settings_in_a_fresh_process(tmp_path)
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEYS" in result.stderr
    bad = _settings_in_a_fresh_process(tmp_path, MFA_ENCRYPTION_KEYS="not-a-key")
    assert bad.returncode == 0  # read only when a secret is used; then a clear error:
    with pytest.raises(Exception, match="Fernet keys"):
        from django.test import override_settings

        with override_settings(MFA_ENCRYPTION_KEYS=["not-a-key"]):
            secrets.encrypt("x")
    good = _settings_in_a_fresh_process(tmp_path, MFA_ENCRYPTION_KEYS=f"{NEW_KEY},{OLD_KEY}")
    assert good.returncode == 0, good.stderr


# Logs: a refusal is a line, not a traceback --------------------------------------------------


def test_an_expected_refusal_is_logged_without_a_traceback(client, caplog):
    client.force_login(UserFactory())
    refused = reverse("experts:review_list")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(refused).status_code == 403
        assert client.get("/api/v1/experts").status_code == 403
        assert client.get(reverse("orders:detail", args=[999999])).status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in records] == [403, 403, 404]
    assert records[0].getMessage() == f"Forbidden (Permission denied): {refused}"
    assert all(r.exc_info is None for r in records)
    assert "Traceback" not in caplog.text


def test_an_error_keeps_its_traceback():
    from kokemustori.accounts.logfilters import ExpectedRefusalFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )
    record.status_code = 500
    assert ExpectedRefusalFilter().filter(record)
    assert record.exc_info is not None
