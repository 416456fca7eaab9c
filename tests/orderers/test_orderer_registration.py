"""A professional registers as an orderer and, once verified, may browse the catalogue."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.kinds import ExpertKind
from kokemustori.orderers.models import Orderer, Verification
from tests.factories import ExpertFactory, OrdererFactory, UserFactory

pytestmark = pytest.mark.django_db


def en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def page(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def person(client):
    user = UserFactory(first_name="Olli", last_name="Orderer")
    client.force_login(user)
    return user


def details(**overrides):
    data = {
        "first_name": "Olli",
        "last_name": "Orderer",
        "organisation_name": "Wellbeing services county of Pirkanmaa",
        "unit": "Psychiatric outpatient unit",
        "title": "Nurse",
        "phone": "03 123 4567",
        "billing_details": "E-invoice 003712345678",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(en_url("orderers:profile"))
    assert response.status_code == 302
    assert response.url.startswith(en_url("account_login"))
    assert client.post(en_url("orderers:profile"), details()).status_code == 302
    assert not Orderer.objects.exists()


def test_the_form_opens_with_the_users_name(client, person):
    response = client.get(en_url("orderers:profile"))
    assert response.status_code == 200
    text = page(response)
    assert "Register as an orderer" in text
    assert 'value="Olli"' in text
    assert 'value="Orderer"' in text


def test_registering_then_browsing_the_catalogue(client, person):
    ExpertFactory(uses_pseudonym=True, pseudonym="Listed", kinds=[ExpertKind.DEVELOPER_CLIENT])
    assert client.get(en_url("experts:catalogue")).status_code == 403

    response = client.post(en_url("orderers:profile"), details(first_name="Oliver"))

    assert response.status_code == 302
    assert response.url == en_url("pages:dashboard")
    orderer = Orderer.objects.get(user=person)
    assert orderer.organisation_name == "Wellbeing services county of Pirkanmaa"
    assert orderer.unit == "Psychiatric outpatient unit"
    assert orderer.is_active
    person.refresh_from_db()
    assert person.first_name == "Oliver"

    # A new orderer waits for verification (tests/orderers/test_orderer_verification.py) ...
    assert orderer.verification == Verification.PENDING
    assert client.get(en_url("experts:catalogue")).status_code == 403
    # ... and, once verified, browses the catalogue.
    Orderer.objects.filter(pk=orderer.pk).update(verification=Verification.VERIFIED)
    catalogue = client.get(en_url("experts:catalogue"))
    assert catalogue.status_code == 200
    assert "Listed" in page(catalogue)
    assert en_url("experts:catalogue") in page(client.get(en_url("pages:dashboard")))


@pytest.mark.parametrize("missing", ["organisation_name", "first_name", "last_name"])
def test_a_missing_required_field_keeps_what_was_typed(client, person, missing):
    response = client.post(en_url("orderers:profile"), details(**{missing: "  "}))
    assert response.status_code == 200
    text = page(response)
    assert "This field is required." in text
    assert f'id="{"id_" + missing}_error"' in text
    for typed in ("Psychiatric outpatient unit", "03 123 4567", "E-invoice 003712345678"):
        assert typed in text
    assert not Orderer.objects.exists()
    assert client.get(en_url("experts:catalogue")).status_code == 403


def test_organisation_name_left_out_entirely(client, person):
    response = client.post(en_url("orderers:profile"), details(organisation_name=None))
    assert response.status_code == 200
    assert 'id="id_organisation_name_error"' in page(response)
    assert not Orderer.objects.exists()


def test_an_orderer_edits_their_details(client):
    orderer = OrdererFactory(unit="Old unit")
    client.force_login(orderer.user)
    response = client.get(en_url("orderers:profile"))
    assert "My orderer details" in page(response)
    assert 'value="Old unit"' in page(response)

    client.post(en_url("orderers:profile"), details(unit="New unit"))

    assert Orderer.objects.count() == 1
    orderer.refresh_from_db()
    assert orderer.unit == "New unit"
