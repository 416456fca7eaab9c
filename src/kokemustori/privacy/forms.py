from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy


def confirmation_word() -> str:
    return pgettext("the word typed to confirm an erasure", "ERASE")


def understood_field():
    return forms.BooleanField(
        label=pgettext_lazy(
            "erasure confirmation",
            "I understand that the data is erased now and that this cannot be undone",
        ),
        error_messages={"required": _("Tick this box to confirm.")},
    )


class SelfErasureForm(forms.Form):
    """The person confirms with their password; someone without one (a login by code only)
    types the confirmation word."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to confirm.")},
    )
    confirm_word = forms.CharField(
        label=_("Confirmation word"),
        max_length=40,
        error_messages={"required": _("Type the word to confirm.")},
    )
    understood = understood_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["confirm_word"]
        else:
            del self.fields["password"]
            self.fields["confirm_word"].help_text = _("Type %(word)s in the box.") % {
                "word": confirmation_word()
            }

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."))
        return password

    def clean_confirm_word(self):
        word = self.cleaned_data["confirm_word"].strip()
        if word.casefold() != confirmation_word().casefold():
            raise ValidationError(
                _("Type %(word)s exactly as shown.") % {"word": confirmation_word()}
            )
        return word


class CoordinatorErasureForm(forms.Form):
    """A coordinator confirms by typing the person's e-mail address: the right person."""

    email = forms.CharField(
        label=_("The person's e-mail address"),
        max_length=254,
        help_text=_("Type it to confirm that you are erasing the right person."),
        error_messages={"required": _("Type the person's e-mail address to confirm.")},
    )
    understood = understood_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.casefold() != (self.user.email or "").casefold():
            raise ValidationError(_("This is not the person's e-mail address."))
        return email
