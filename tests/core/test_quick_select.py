"""QuickSelect writes the same HTML as Django's own Select, escaped the same way."""

from django import forms

from kokemustori.core.forms import QuickSelect

CHOICES = [
    ("", "All"),
    ("1", 'Mental health & "recovery"'),
    ("Regions", [("2", "Lapland"), ("3", "<Uusimaa>")]),
]


def both(value, attrs=None):
    django = forms.Select(choices=CHOICES, attrs=attrs).render("area", value)
    quick = QuickSelect(choices=CHOICES, attrs=attrs).render("area", value)
    return django, quick


def squeeze(html):
    return "".join(line.strip() for line in html.splitlines())


def test_the_html_is_django_own_with_a_value_chosen_and_attributes():
    django, quick = both("3", attrs={"id": "id_area", "required": True, "disabled": False})
    assert squeeze(quick) == squeeze(django)
    assert '<option value="3" selected>&lt;Uusimaa&gt;</option>' in quick
    assert "Mental health &amp; &quot;recovery&quot;" in quick
    assert " required" in quick and "disabled" not in quick
    assert '<optgroup label="Regions">' in quick


def test_nothing_chosen():
    django, quick = both(None)
    assert squeeze(quick) == squeeze(django)
    assert "selected" not in quick.replace('value="" selected', "")
