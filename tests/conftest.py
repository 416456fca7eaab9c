import os
import time
from datetime import datetime

import psycopg
import pytest
import time_machine
from hypothesis import settings as hypothesis_settings

# No hypothesis test is a timed test: on a loaded machine a deadline only makes it flaky.
# Speed is measured in `make bench`.
hypothesis_settings.register_profile("kokemustori", deadline=None, print_blob=True)
hypothesis_settings.load_profile("kokemustori")


def pytest_sessionstart(session):
    """A plain `pytest` needs the compiled catalogues as much as `make test` does: compile
    the ones older than their .po (no GNU gettext needed)."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=None,
        help="run every test with the clock started at this ISO time (it keeps ticking), "
        "e.g. 2026-03-29T00:59:30+00:00 (Finnish summer time begins) to find tests that "
        "depend on the time of day, the month's end or a DST change",
    )


@pytest.fixture(autouse=True)
def _clock(request):
    moment = request.config.getoption("--clock")
    if not moment or request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(datetime.fromisoformat(moment), tick=True):
        yield


# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each run on PostgreSQL gets its own test database (test_<name>_<pid>, or
    TEST_DATABASE_NAME), so two runs against one server never drop each other's tables."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        name = os.environ.get("TEST_DATABASE_NAME") or f"test_{database['NAME']}_{os.getpid()}"
        database.setdefault("TEST", {})["NAME"] = name
    pg_template = os.environ.get("MUTATION_PG_TEMPLATE")
    if pg_template and "postgresql" in database["ENGINE"]:
        # `make mutation` of a module whose rule runs in PostgreSQL (modules.toml `database`):
        # every mutant's run starts from a copy of one migrated template database.
        yield from _database_copied_from(database, pg_template)
        return
    template = os.environ.get("MUTATION_TEST_DB")
    if template and "sqlite" in database["ENGINE"]:
        # `make mutation` (scripts/mutation.py): every mutant's pytest run starts from a copy
        # of one migrated test database (with --reuse-db) instead of migrating a new one.
        import shutil

        copy = f"{template}.{os.getpid()}"
        shutil.copyfile(template, copy)
        database.setdefault("TEST", {})["NAME"] = copy
        yield
        os.remove(copy)
        return
    yield


def _database_copied_from(database, template):
    name = f"{template}_{os.getpid()}"
    params = {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for attempt in range(50):
            try:
                server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                break
            except psycopg.errors.ObjectInUse:  # another child is copying it this moment
                time.sleep(0.1 * (attempt + 1))
        else:
            raise RuntimeError(f"could not copy the mutation template database {template}")
    database.setdefault("TEST", {})["NAME"] = name
    yield
    from django.db import connections

    connections.close_all()
    with psycopg.connect(**params) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = False
    # Most tests log in with force_login and test something other than the second factor;
    # tests/accounts/test_mfa.py and the browser tests turn it back on.
    settings.REQUIRE_SECOND_FACTOR = False


@pytest.fixture(autouse=True)
def _default_task_types(request):
    """Transactional tests flush the database afterwards, taking the task types that a data
    migration created with them; put them back for every test that may follow a flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("kokemustori.tasktypes.migrations.0002_default_task_types")
    migration.create(apps, None)


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    """The vocabulary's options are cached across requests (core/vocabulary.py); a test
    starts without those of the tests before it, whose rows were rolled back."""
    from kokemustori.core import vocabulary

    vocabulary.changed()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests assert English texts; reverse() gives /en/ URLs. Tests of fi and sv say so."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(db):
    from tests.factories import CoordinatorFactory

    return CoordinatorFactory()


@pytest.fixture
def orderer(db):
    from tests.factories import OrdererFactory

    return OrdererFactory()


@pytest.fixture
def sent_after_commit(django_capture_on_commit_callbacks):
    """E-mails are written to the outbox in the request's transaction and sent once it
    commits; a test inside one transaction runs those on-commit steps with this block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
