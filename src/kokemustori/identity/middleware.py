"""The sign-in buttons are forms whose answer redirects to the identity provider, and a
browser applies the page's form-action policy to that redirect too: on the pages with the
buttons, the enabled providers' origins are added to form-action (and nowhere else)."""

from .providers import form_action_origins

PAGES_WITH_BUTTONS = frozenset(
    {
        "account_login",
        "account_signup",
        "openid_connect_login",
        "socialaccount_connections",
        "identity:confirm",
    }
)


class ProviderFormActionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in PAGES_WITH_BUTTONS:
            origins = form_action_origins()
            if origins:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = list(update.get("form-action", [])) + origins
                response._csp_update = update
        return response
