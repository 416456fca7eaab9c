from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """After login the person continues in the language of the page they logged in from (the
    default redirect is reversed in the language the path prefix made active): who logs in on
    /sv/ reads Swedish, whatever their account's language, which is the language of their
    e-mails and is changed in the settings."""

    def send_mail(self, template_prefix, email, context):
        """E-mails follow the recipient's language when we know the recipient."""
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
