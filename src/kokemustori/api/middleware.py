"""Every answer under /api/ is JSON, also the ones Django or ninja make before a view runs
(405 for a method the address does not take, a 400 from a bad Host header, ...)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# Headers a client needs to act on the error; everything else is the HTML answer's own.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _message(status: int) -> str:
    messages = {
        400: _("The request is not valid."),
        401: _("Log in first."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This address does not take that method."),
        413: _("The request is too large."),
        429: _("Too many requests. Wait a moment and try again."),
    }
    if status in messages:
        return messages[status]
    if status >= 500:
        return _("Something went wrong on our side. Try again in a moment.")
    return _("The request could not be handled.")


class ApiErrorsAsJson:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = JsonResponse(
                {"errors": {"__all__": [_message(response.status_code)]}},
                status=response.status_code,
            )
            for header in KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
