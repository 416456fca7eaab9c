from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Orderer


class OrdererForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    class Meta:
        model = Orderer
        fields = ["organisation_name", "unit", "title", "phone", "billing_details"]
        widgets = {"billing_details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def save(self, commit=True):
        orderer = super().save(commit=False)
        orderer.user = self.user
        self.user.first_name = self.cleaned_data["first_name"]
        self.user.last_name = self.cleaned_data["last_name"]
        if commit:
            self.user.save(update_fields=["first_name", "last_name"])
            orderer.save()
        return orderer
