"""Production settings pass Django's deployment checklist (`manage.py check --deploy`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x7Gq2-" + "kLm9pR4sT8vW1yZ3bN6cF0hJ5" * 2,
        "ALLOWED_HOSTS": "kokemustori.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "MFA_ENCRYPTION_KEYS": "3q1Ttq0rG6cK9v2pYkS1cZrj0uTQm0Y3n5mQm2m8YxU=",
    }
    for leaked in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # test-only variables
        env.pop(leaked, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DEBUG": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def production_settings(tmp_path, **extra):
    """The database and session settings production starts with, read from a new process."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CONN_MAX_AGE")
    }
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": "x7Gq2-" + "kLm9pR4sT8vW1yZ3bN6cF0hJ5" * 2,
        "DATABASE_URL": "postgres://kk@db.example.org:5432/kokemustori",
        "MFA_ENCRYPTION_KEYS": "3q1Ttq0rG6cK9v2pYkS1cZrj0uTQm0Y3n5mQm2m8YxU=",
        **extra,
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], "
        "d['CONN_HEALTH_CHECKS'], d.get('DISABLE_SERVER_SIDE_CURSORS', False), "
        "settings.SESSION_ENGINE]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "kokemustori.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_connections_checks_them_and_reads_sessions_from_the_cache(tmp_path):
    assert production_settings(tmp_path) == [
        60,
        True,
        False,
        "django.contrib.sessions.backends.cached_db",
    ]


def test_behind_pgbouncer_server_side_cursors_can_be_turned_off(tmp_path):
    settings = production_settings(tmp_path, DISABLE_SERVER_SIDE_CURSORS="true", CONN_MAX_AGE="0")
    assert settings[:3] == [0, True, True]


def _options(tmp_path, **extra):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "POSTGRES_JIT")
    }
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": "x7Gq2-" + "kLm9pR4sT8vW1yZ3bN6cF0hJ5" * 2,
        "DATABASE_URL": "postgres://kk@db.example.org:5432/kokemustori",
        "MFA_ENCRYPTION_KEYS": "3q1Ttq0rG6cK9v2pYkS1cZrj0uTQm0Y3n5mQm2m8YxU=",
        "DJANGO_SETTINGS_MODULE": "kokemustori.settings",
        **extra,
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_turn_the_jit_compiler_off_unless_asked(tmp_path):
    assert _options(tmp_path) == {"options": "-c jit=off"}
    assert _options(tmp_path, POSTGRES_JIT="true") == {}


@pytest.mark.django_db
def test_the_test_database_connection_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite on PostgreSQL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
