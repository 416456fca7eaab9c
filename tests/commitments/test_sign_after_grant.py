"""When a coordinator grants an expert a kind and the organisation has a confidentiality
commitment the expert has not signed, the expert is told: a notice and e-mail in their
language with a link to the signing page, and an item on their own page until they sign."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from kokemustori.commitments.models import ConfidentialityText, Signature
from kokemustori.experts.models import KindApplication, TrainingRecord
from kokemustori.kinds import ExpertKind, TrainingType
from kokemustori.notifications.models import Notice
from tests.factories import CoordinatorFactory, KindApplicationFactory, TrainingFactory

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")
TEXT = "What I hear of the clients stays with me."


def applicant(coordinator, language="fi", kind=ExpertKind.DEVELOPER_CLIENT):
    """An applicant for a kind that needs no training, so the grant needs nothing else."""
    application = KindApplicationFactory(
        expert__organisation=coordinator.organisation,
        expert__user__language=language,
        kind=kind,
    )
    return application.expert, application


def grant(client, coordinator, expert, application, sent_after_commit):
    client.force_login(coordinator.user)
    with sent_after_commit():
        response = client.post(
            reverse("experts:decide_kind", args=[expert.pk, application.pk]),
            {"decision": "grant", "reason": ""},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == KindApplication.GRANTED


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_granted_expert_is_told_to_sign_and_sees_it_on_their_page(client, sent_after_commit):
    coordinator = CoordinatorFactory(organisation__name="Mielenterveysyhdistys Verso")
    ConfidentialityText.objects.create(organisation=coordinator.organisation, version=1, text=TEXT)
    ConfidentialityText.objects.create(organisation=coordinator.organisation, version=2, text=TEXT)
    expert, application = applicant(coordinator, language="sv")
    mail.outbox.clear()

    grant(client, coordinator, expert, application, sent_after_commit)

    [message] = [m for m in to(expert.user) if "tystnadsförbindelse" in m.subject]
    assert message.subject == (
        "Kokemustori: Underteckna tystnadsförbindelsen för Mielenterveysyhdistys Verso"
    )
    assert f"{SITE}/sv/commitments/confidentiality/sign/" in message.body
    notice = Notice.objects.get(user=expert.user, kind="commitment_to_sign")
    assert notice.link == "/sv/commitments/confidentiality/sign/"

    # On the expert's own page, until they sign the current version.
    client.force_login(expert.user)
    with translation.override("sv"):
        dashboard, sign = reverse("pages:dashboard"), reverse("commitments:sign")
    page = client.get(dashboard).content.decode()
    assert "Underteckna tystnadsförbindelsen för Mielenterveysyhdistys Verso" in page
    assert 'href="/sv/commitments/confidentiality/sign/"' in page
    response = client.post(sign, {"version": "2", "agree": "on"})
    assert response.status_code == 302
    assert Signature.objects.get(expert=expert).text.version == 2
    page = client.get(dashboard).content.decode()
    assert "tystnadsförbindelsen" not in page


def test_no_notice_without_a_text_or_once_signed(client, sent_after_commit):
    coordinator = CoordinatorFactory()
    # No commitment text in the organisation: nothing to sign, nothing said.
    expert, application = applicant(coordinator, language="en")
    mail.outbox.clear()
    grant(client, coordinator, expert, application, sent_after_commit)
    assert not Notice.objects.filter(kind="commitment_to_sign").exists()
    assert not [m for m in to(expert.user) if "confidentiality" in m.subject]

    # Signed already, then granted a second kind: not told again.
    text = ConfidentialityText.objects.create(
        organisation=coordinator.organisation, version=1, text=TEXT
    )
    Signature.objects.create(expert=expert, text=text, signed_by=expert.user)
    TrainingFactory(
        expert=expert, training_type=TrainingType.PARTNER, status=TrainingRecord.VERIFIED
    )
    second = KindApplicationFactory(expert=expert, kind=ExpertKind.EXPERIENCE_PARTNER)
    grant(client, coordinator, expert, second, sent_after_commit)
    assert not Notice.objects.filter(kind="commitment_to_sign").exists()
    client.force_login(expert.user)
    page = client.get(reverse("pages:dashboard")).content.decode()
    assert "Sign the confidentiality commitment" not in page


def test_a_new_version_published_later_shows_on_the_page(client):
    """The page item follows the current version, also one published after the grant."""
    coordinator = CoordinatorFactory(organisation__name="Verso")
    expert, application = applicant(coordinator, language="en")
    application.status = KindApplication.GRANTED
    application.save()
    client.force_login(expert.user)
    assert "Sign the confidentiality commitment" not in (
        client.get(reverse("pages:dashboard")).content.decode()
    )
    ConfidentialityText.objects.create(organisation=coordinator.organisation, version=1, text=TEXT)
    page = client.get(reverse("pages:dashboard")).content.decode()
    assert "Sign the confidentiality commitment of Verso" in page
