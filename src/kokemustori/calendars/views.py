from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import feeds


@login_required
def settings_page(request):
    feed = feeds.feed_of(request.user)
    return render(
        request,
        "calendars/settings.html",
        {
            "feed": feed,
            "address": feeds.address(feed) if feed else "",
            "subscribe": feeds.subscribe_link(feed) if feed else "",
        },
    )


@login_required
@require_POST
def turn_on(request):
    had_one = feeds.feed_of(request.user) is not None
    feeds.turn_on(request.user)
    messages.success(
        request,
        _("Your calendar has a new address. The old one no longer works.")
        if had_one
        else _("Your calendar address is ready. Add it to your calendar app."),
    )
    return redirect("calendars:settings")


@login_required
@require_POST
def turn_off(request):
    feeds.turn_off(request.user)
    messages.success(request, _("The calendar address is turned off."))
    return redirect("calendars:settings")


@require_GET
def feed(request, token):
    """The calendar itself, for calendar apps: the secret address is the only key."""
    found = feeds.feed_by_token(token)
    if found is None:
        raise Http404
    response = HttpResponse(feeds.calendar(found), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="kokemustori.ics"'
    return response
