"""Error pages: 400, 403, 404, 405, 500 and 503 in the language of the address, in the
site's look; JSON under /api/.

* The database unreachable (`OperationalError`, `InterfaceError`) answers **503** with
  `Retry-After`, whether the view raised it (ErrorPagesMiddleware.process_exception) or a
  middleware did (server_error, Django's handler500, sees the exception).
* 500 and 503 pages are drawn without a request context: no context processor runs, so they
  need no database (the header shows no personal menu).
* 405: Django's own answer has no body (django-ninja's is plain text); ErrorPagesMiddleware
  gives it the page (or JSON under /api/).
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def language_of(request) -> str:
    """The language of the address (/fi/, /sv/, /en/), else the one already active."""
    codes = {code for code, _name in settings.LANGUAGES}
    from_path = translation.get_language_from_path(request.path_info)
    if from_path in codes:
        return from_path
    active = translation.get_language()
    return active if active in codes else settings.LANGUAGE_CODE


def _json(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": [message]}}, status=status)


def _render_without_database(request, template_name: str, status: int) -> HttpResponse:
    """Rendered from a plain context: no context processor, no session, no database."""
    template = loader.get_template(template_name)
    html = template.render({"path": request.path, "status": status})
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def database_unavailable(request) -> HttpResponse:
    with translation.override(language_of(request)):
        if is_api(request):
            response = _json(
                503, _("The service is unavailable for a moment. Try again in a minute.")
            )
        else:
            response = _render_without_database(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500. A database outage is a 503, not an error of ours."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    with translation.override(language_of(request)):
        if is_api(request):
            return _json(500, _("Something went wrong on our side. Try again later."))
        return _render_without_database(request, "500.html", 500)


def bad_request(request, exception):
    with translation.override(language_of(request)):
        if is_api(request):
            return _json(400, _("The request could not be understood."))
        return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    with translation.override(language_of(request)):
        if is_api(request):
            return _json(403, _("You may not do this."))
        return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    with translation.override(language_of(request)):
        if is_api(request):
            return _json(404, _("Not found."))
        return defaults.page_not_found(request, exception)


def method_not_allowed(request, allowed: str) -> HttpResponse:
    with translation.override(language_of(request)):
        if is_api(request):
            response = _json(405, _("This address does not accept that method."))
        else:
            html = loader.render_to_string("405.html", {"status": 405}, request=request)
            response = HttpResponse(html, status=405)
    response["Allow"] = allowed
    return response


class ErrorPagesMiddleware:
    """A database outage in a view becomes the 503 page; a bare 405 gets its page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.get("Content-Type", "").startswith("application/json")
        ):  # Django's bare answer (no body), or django-ninja's plain-text one
            return method_not_allowed(request, response.get("Allow", ""))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request)
        return None
