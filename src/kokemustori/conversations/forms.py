from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_LIMIT


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("New message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=BODY_LIMIT,
        error_messages={
            "required": _("Write the message first."),
            "max_length": _(
                "A message can be at most %(limit_value)d characters; this one has %(show_value)d."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here, in the reader's language (a lazy text formatted at import would not be).
        self.fields["body"].help_text = _("Plain text, at most %(limit)s characters.") % {
            "limit": BODY_LIMIT
        }
