from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kokemustori.core.permissions import require

from .queries import AuditFilter, visible_to

PAGE_SIZE = 50


@login_required
@require_GET
def log(request):
    """Read-only: who did what to whose data, newest first."""
    require(request.user, "audit.view_log")
    params = request.GET.copy()
    params.pop("page", None)
    events = visible_to(request.user).select_related("actor", "expert__user", "organisation")
    filtered = AuditFilter(params or None, queryset=events, request=request)
    rows = filtered.qs if not filtered.is_bound or filtered.is_valid() else events.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/log.html", {"filter": filtered, "form": filtered.form, "page": page}
    )
