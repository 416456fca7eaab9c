from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .api import api


@csrf_exempt  # it changes nothing, and a CSRF refusal would answer in HTML
def not_found(request, rest=""):
    """Any other address under the API answers as the API does: JSON naming no field."""
    return JsonResponse({"errors": {"__all__": [_("Not found.")]}}, status=404)


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>[\s\S]*)\Z", not_found, name="api_not_found"),
]
