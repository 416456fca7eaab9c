"""allauth's account e-mails (password reset, login codes, address confirmation) go through
the outbox like every other e-mail, marked sensitive: staff never see their body, and the body
is blanked once the e-mail has been sent."""

from django.contrib.auth import get_user_model
from django.utils import translation

from kokemustori.accounts.adapter import AccountAdapter

from .backends import OutboxBackend


class OutboxAccountAdapter(AccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # A login code's context names no user: the address does, so the code still comes
        # in the recipient's own language.
        if context.get("user") is None:
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            language = getattr(user, "language", None)
            if language:
                with translation.override(language):
                    return super().send_mail(template_prefix, email, context)
        return super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.connection = OutboxBackend(
            template="account:" + template_prefix.rsplit("/", 1)[-1], sensitive=True
        )
        return message
