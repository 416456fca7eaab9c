from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """After login, continue in the user's own language."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "language", None)
        if language and url == reverse("pages:dashboard"):
            translation.activate(language)
            return reverse("pages:dashboard")
        return url

    def send_mail(self, template_prefix, email, context):
        """E-mails follow the recipient's language when we know the recipient."""
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
