from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_MESSAGE_LENGTH, AccessibilityFeedback


class AccessibilityFeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "reply_email"]
        labels = {
            "message": _("Your feedback"),
            "reply_email": _("Your e-mail address, if you would like an answer"),
        }
        help_texts = {
            "message": _(
                "What was hard to use or missing, and on which page. At most %(max)s characters."
            )
            % {"max": MAX_MESSAGE_LENGTH},
            "reply_email": _("Optional. We use it only to answer this feedback."),
        }
        error_messages = {
            "message": {
                "required": _("Write your feedback."),
                "max_length": _("Keep your feedback under %(limit_value)s characters."),
            },
            "reply_email": {"invalid": _("Check the e-mail address, e.g. name@example.fi.")},
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Write your feedback."), code="required")
        return message
