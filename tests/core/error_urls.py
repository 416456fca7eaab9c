"""The project's URLs plus two that fail on purpose, for tests/core/test_error_pages.py."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from kokemustori.urls import *  # noqa: F403 (the handlers too)
from kokemustori.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


def needs_the_database(request):
    from django.contrib.auth import get_user_model

    return HttpResponse(f"{get_user_model().objects.count()} users")


def suspicious(request):
    raise SuspiciousOperation("a forged request")


urlpatterns = [
    path("api/broken/", broken),
    path("api/suspicious/", suspicious),
    *i18n_patterns(
        path("broken/", broken),
        path("suspicious/", suspicious),
        path("needs-the-database/", needs_the_database),
    ),
    *project_urlpatterns,
]
