"""A rule's ValidationError lands on the form where the user can see it, and the input stays."""

from django import forms
from django.core.exceptions import ValidationError

from kokemustori.core.forms import add_validation_errors


class NoteForm(forms.Form):
    note = forms.CharField()


def test_errors_on_a_field_of_the_form_go_to_that_field_the_others_to_the_form():
    form = NoteForm({"note": "kept as typed"})
    assert form.is_valid()
    add_validation_errors(
        form, ValidationError({"note": ["Too short."], "experts": ["Choose someone."]})
    )
    assert form.errors["note"] == ["Too short."]
    assert form.non_field_errors() == ["Choose someone."]
    assert form["note"].value() == "kept as typed"


def test_an_error_without_fields_goes_to_the_form():
    form = NoteForm({"note": "x"})
    form.is_valid()
    add_validation_errors(form, ValidationError(["Not now.", "Try later."]))
    assert form.non_field_errors() == ["Not now.", "Try later."]
    assert "note" not in form.errors
