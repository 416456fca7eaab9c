"""An e-mail "connection" that writes messages to the outbox instead of sending them.

Code that builds its own EmailMessage (allauth's account e-mails) can hand it to this
connection; `message.send()` then queues one outbox row per recipient in the current
transaction, and the outbox delivers it with retries like every other e-mail.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from .services import enqueue


def _html_of(message) -> str:
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            return content
    return ""


class OutboxBackend(BaseEmailBackend):
    def __init__(self, *, template: str = "", sensitive: bool = False, key: str = "", **kwargs):
        super().__init__(**kwargs)
        self.template = template
        self.sensitive = sensitive
        self.key = key

    def send_messages(self, email_messages) -> int:
        users = get_user_model().objects
        count = 0
        for message in email_messages:
            body_html = _html_of(message)
            for address in message.recipients():
                key = self.key or f"{self.template or 'mail'}:{uuid.uuid4().hex}"
                if len(message.recipients()) > 1:
                    key = f"{key}:{address.lower()}"
                enqueue(
                    key=key,
                    to_email=address,
                    user=users.filter(email__iexact=address).first(),
                    language=translation.get_language() or "",
                    template=self.template,
                    event=self.template,
                    subject=message.subject,
                    body_text=message.body,
                    body_html=body_html,
                    sensitive=self.sensitive,
                )
                count += 1
        return count
