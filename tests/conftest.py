import os

import pytest

# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
    # tests/test_mfa.py and the browser tests turn it back on.
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
