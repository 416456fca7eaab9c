"""Login throttling counts across app-server processes: three worker processes with the
production settings share one count, so the documented limit (5 failed logins per account in
5 minutes) holds however the attempts are spread. Production refuses a cache of one process.

The three-process tests need a database the worker processes can reach: PostgreSQL (the
SQLite test database lives in the memory of the test process). Each worker is a separate
Python process (tests/security/throttle_worker.py) that answers one login attempt per line and stops
when its input closes; every read has a timeout and the workers are killed at the end.
"""

import json
import os
import select
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from kokemustori.accounts.apps import create_cache_tables
from tests.factories import OrdererFactory

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "tests" / "security" / "throttle_worker.py"
PASSWORD = "a-long-test-password-42"
LIMIT = 5  # README and settings: "5/5m/key" failed logins per account
READ_TIMEOUT = 60
REDIS_URL = "redis://127.0.0.1:6379/13"

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Gq2-" + "kLm9pR4sT8vW1yZ3bN6cF0hJ5" * 2,
    "MFA_ENCRYPTION_KEYS": "3q1Ttq0rG6cK9v2pYkS1cZrj0uTQm0Y3n5mQm2m8YxU=",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
}


def _env(**variables):
    env = {**os.environ, **variables}
    for name in ("DJANGO_SETTINGS_MODULE", "CACHE_URL"):
        if name not in variables:
            env.pop(name, None)
    return env


def _settings_value(expression, **variables):
    """Evaluate an expression on the settings of a fresh process."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(
            PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="kokemustori.settings", **variables
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Production settings: a shared cache or no start ----------------------------------------------


def test_the_documented_limit_is_the_setting():
    from kokemustori import settings as project

    assert project.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


@pytest.mark.parametrize("url", ["locmemcache://", "dummycache://"])
def test_production_refuses_a_cache_of_one_process(tmp_path, url):
    result = _settings_value(
        "1", **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", CACHE_URL=url
    )
    assert result.returncode != 0
    assert "CACHE_URL names a cache of one process" in result.stderr


def test_production_defaults_to_the_database_cache_and_takes_redis(tmp_path):
    database = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    default = _settings_value('settings.CACHES["default"]', **PRODUCTION, DATABASE_URL=database)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout) == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kokemustori_cache",
    }
    redis = _settings_value(
        'settings.CACHES["default"]["BACKEND"]',
        **PRODUCTION,
        DATABASE_URL=database,
        CACHE_URL=REDIS_URL,
    )
    assert json.loads(redis.stdout) == "django.core.cache.backends.redis.RedisCache"
    # The developer run keeps its in-process cache.
    development = _settings_value(
        'settings.CACHES["default"]["BACKEND"]', DEBUG="true", DATABASE_URL=database
    )
    assert json.loads(development.stdout) == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.django_db
def test_migrate_makes_the_cache_table():
    table = "kokemustori_cache_made_by_migrate"
    database_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    with override_settings(CACHES={"default": database_cache}):
        assert table not in connection.introspection.table_names()
        create_cache_tables(sender=None, using="default", verbosity=0)
        assert table in connection.introspection.table_names()
        create_cache_tables(sender=None, using="default", verbosity=0)  # again: no error
        caches["default"].set("k", "v")
        assert caches["default"].get("k") == "v"


# Three worker processes ----------------------------------------------------------------------


def _database_url():
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _read(process):
    ready, _, _ = select.select([process.stdout], [], [], READ_TIMEOUT)
    if not ready:
        raise AssertionError("a worker did not answer in time")
    line = process.stdout.readline()
    if not line:
        raise AssertionError("a worker stopped: " + process.stderr.read()[-2000:])
    return json.loads(line)


@contextmanager
def workers(count, env):
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, str(WORKER)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        ready = [_read(p) for p in processes]
        yield processes, ready
    finally:
        for p in processes:
            if p.stdin:
                p.stdin.close()
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
            p.stdout.close()
            p.stderr.close()


def _attempt(process, email, password):
    process.stdin.write(f"{email} {password}\n")
    process.stdin.flush()
    return _read(process)


def _guess_then_log_in(processes, email):
    """LIMIT wrong passwords spread over the workers round robin, one more wrong one, then the
    right one: the answers in order."""
    answers = []
    for attempt in range(LIMIT + 1):
        answers.append(_attempt(processes[attempt % len(processes)], email, "wrong-guess"))
    answers.append(_attempt(processes[(LIMIT + 1) % len(processes)], email, PASSWORD))
    return answers


needs_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="the worker processes need a shared database server (PostgreSQL)",
)


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    for key in client.scan_iter("*allauth*"):
        client.delete(key)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache", ["database", "redis"])
def test_three_workers_share_the_limit(cache):
    user = OrdererFactory().user
    user.email = f"throttle-{uuid.uuid4().hex[:12]}@example.org"
    user.set_password(PASSWORD)
    user.save()
    env = _env(**PRODUCTION, DATABASE_URL=_database_url())
    if cache == "redis":
        _redis_or_skip()
        env["CACHE_URL"] = REDIS_URL
    else:
        # The production default; `migrate` (here with nothing to apply) makes its table.
        production_cache = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kokemustori_cache",
        }
        with override_settings(CACHES={"default": production_cache}):
            call_command("migrate", interactive=False, verbosity=0)
        assert "kokemustori_cache" in connection.introspection.table_names()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM kokemustori_cache")

    with workers(3, env) as (processes, ready):
        assert len({r["ready"] for r in ready}) == 3  # three processes
        assert {r["cache"] for r in ready} == {
            "redis": {"django.core.cache.backends.redis.RedisCache"},
            "database": {"django.core.cache.backends.db.DatabaseCache"},
        }[cache]
        answers = _guess_then_log_in(processes, user.email)

    assert [a["pid"] for a in answers] == [p.pid for p in processes] * 2 + [processes[0].pid]
    # The first five wrong passwords are refused as wrong; from the sixth on, in whichever
    # process, the account is locked: the right password does not log in either.
    assert [a["throttled"] for a in answers] == [False] * 5 + [True, True]
    assert not any(a["logged_in"] for a in answers)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_control_a_cache_per_process_lets_the_guessing_through():
    """What the production check prevents (and the test above would catch): with a cache
    per process each worker counts alone, and the right password logs in after six wrong."""
    user = OrdererFactory().user
    user.set_password(PASSWORD)
    user.save()
    env = _env(DEBUG="true", DATABASE_URL=_database_url(), CACHE_URL="locmemcache://")
    with workers(3, env) as (processes, _ready):
        answers = _guess_then_log_in(processes, user.email)
    assert [a["throttled"] for a in answers] == [False] * 7, answers
    assert answers[-1]["logged_in"], answers
