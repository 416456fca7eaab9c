"""The addresses the page benchmark serves (bench_pages.py): the product's own, plus two bare
views on the same server. Never used outside the benchmark."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from kokemustori.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The floor for anonymous pages: every middleware, no work."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_logged_in(request):
    """The floor behind a login: the session and the user are read, nothing else."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-logged-in/", bare_logged_in),
    *site_urlpatterns,
]
