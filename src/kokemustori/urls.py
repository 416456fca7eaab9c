from allauth import urls as allauth_urls
from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, include, path

from kokemustori.accounts import views as account_views
from kokemustori.calendars import views as calendar_views

# Error pages in the language of the address, JSON under /api/ (kokemustori.core.errors).
handler400 = "kokemustori.core.errors.bad_request"
handler403 = "kokemustori.core.errors.permission_denied"
handler404 = "kokemustori.core.errors.page_not_found"
handler500 = "kokemustori.core.errors.server_error"

admin.site.site_header = "Kokemustori"
admin.site.site_title = "Kokemustori"
# The admin logs in through allauth, so the same throttling and second factor apply.
admin.site.login = secure_admin_login(admin.site.login)

# allauth's pages, less its unnamed redirects from the legacy social/ addresses, which this
# service never had.
ALLAUTH_PATTERNS = [
    pattern
    for pattern in allauth_urls.urlpatterns
    if not (isinstance(pattern, URLPattern) and pattern.name is None)
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("api/", include("kokemustori.api.urls")),
    # Calendar apps fetch this without a login or a language: the secret address is the key.
    path("calendar/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
]

urlpatterns += i18n_patterns(
    path("", include("kokemustori.pages.urls")),
    path("accounts/settings/", account_views.account_settings, name="accounts_settings"),
    path("accounts/", include(ALLAUTH_PATTERNS)),
    path("experts/", include("kokemustori.experts.urls")),
    path("orderers/", include("kokemustori.orderers.urls")),
    path("identity/", include("kokemustori.identity.urls")),
    path("orders/", include("kokemustori.orders.urls")),
    path("matching/", include("kokemustori.matching.urls")),
    path("offers/", include("kokemustori.offers.urls")),
    path("requirements/", include("kokemustori.requirements.urls")),
    path("open-calls/", include("kokemustori.opencalls.urls")),
    path("series/", include("kokemustori.series.urls")),
    path("commitments/", include("kokemustori.commitments.urls")),
    path("agreements/", include("kokemustori.agreements.urls")),
    path("fees/", include("kokemustori.fees.urls")),
    path("followup/", include("kokemustori.followup.urls")),
    path("messages/", include("kokemustori.conversations.urls")),
    path("privacy/", include("kokemustori.privacy.urls")),
    path("reports/", include("kokemustori.reports.urls")),
    path("audit/", include("kokemustori.audit.urls")),
    path("notifications/", include("kokemustori.notifications.urls")),
    path("calendar/", include("kokemustori.calendars.urls")),
    prefix_default_language=True,
)
