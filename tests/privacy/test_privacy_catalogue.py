"""The catalogue and the public profile show only what the expert chose to show."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.experts.models import ExpertStatus, KindApplication
from kokemustori.kinds import ExpertKind
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    KindApplicationFactory,
    LanguageFactory,
    OrdererFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Words that must never reach an orderer. Each is unique so that a hit means a leak.
LEGAL_FIRST = "Legalfirstname"
LEGAL_LAST = "Legallastname"
EMAIL = "hidden.person@example.org"
PHONE = "040 999 8877"
MUNICIPALITY = "Secretkyla"
PSEUDONYM = "Sunflower"
BIO = "PUBLIC-BIO: I speak about recovery and hope."


def en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def page(response):
    return html.unescape(response.content.decode())


def results(response):
    """The catalogue's result list only: the filter form above it lists the whole vocabulary
    (every area and topic name) by design, which is not about any one expert."""
    text = page(response)
    start = text.index('id="results"')
    return text[start : text.index("<footer", start)]


@pytest.fixture
def areas():
    return {"hidden": AreaFactory(name="Psychosis-area"), "shown": AreaFactory(name="Grief-area")}


@pytest.fixture
def topics():
    return {
        "public": TopicFactory(name="Hope-topic"),
        "not_now": TopicFactory(name="Custody-topic"),
    }


@pytest.fixture
def secretive(areas, topics):
    """A listed expert who works under a pseudonym and hides their areas."""
    expert = ExpertFactory(
        user__first_name=LEGAL_FIRST,
        user__last_name=LEGAL_LAST,
        user__email=EMAIL,
        phone=PHONE,
        municipality=MUNICIPALITY,
        uses_pseudonym=True,
        pseudonym=PSEUDONYM,
        bio=BIO,
        show_areas=False,
        show_topics=True,
        kinds=[ExpertKind.DEVELOPER_CLIENT],
    )
    expert.areas_own.add(areas["hidden"])
    expert.areas_close.add(areas["shown"])
    expert.topics.add(topics["public"])
    expert.topics_not_now.add(topics["not_now"])
    expert.languages.add(LanguageFactory(slug="fi", name="Finnish"))
    return expert


@pytest.fixture
def as_orderer(client):
    client.force_login(OrdererFactory().user)
    return client


class TestAccess:
    def test_anonymous_is_sent_to_log_in(self, client, secretive):
        for url in (en_url("experts:catalogue"), en_url("experts:public_detail", secretive.pk)):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(en_url("account_login"))

    def test_a_user_without_roles_is_refused(self, client, secretive):
        client.force_login(UserFactory())
        assert client.get(en_url("experts:catalogue")).status_code == 403
        assert client.get(en_url("experts:public_detail", secretive.pk)).status_code in (403, 404)

    def test_an_expert_is_not_an_orderer(self, client, secretive):
        client.force_login(ExpertFactory().user)
        assert client.get(en_url("experts:catalogue")).status_code == 403

    def test_an_inactive_orderer_is_refused(self, client, secretive):
        client.force_login(OrdererFactory(is_active=False).user)
        assert client.get(en_url("experts:catalogue")).status_code == 403

    def test_an_orderer_sees_the_catalogue(self, as_orderer, secretive):
        response = as_orderer.get(en_url("experts:catalogue"))
        assert response.status_code == 200
        assert PSEUDONYM in results(response)

    def test_a_coordinator_sees_the_catalogue(self, client, secretive):
        client.force_login(CoordinatorFactory().user)
        response = client.get(en_url("experts:catalogue"))
        assert response.status_code == 200
        assert PSEUDONYM in results(response)


class TestWhatOrderersNeverSee:
    @pytest.fixture(params=["catalogue", "catalogue-htmx", "public_detail"])
    def shown(self, request, as_orderer, secretive):
        if request.param == "public_detail":
            response = as_orderer.get(en_url("experts:public_detail", secretive.pk))
            assert response.status_code == 200
            return page(response)
        if request.param == "catalogue-htmx":
            response = as_orderer.get(en_url("experts:catalogue"), HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            assert "<html" not in page(response)
            return page(response)
        response = as_orderer.get(en_url("experts:catalogue"))
        assert response.status_code == 200
        return results(response)

    def test_private_fields_are_absent(self, shown):
        for secret in ("PRIVATE-STORY", LEGAL_LAST, EMAIL, PHONE, MUNICIPALITY):
            assert secret not in shown, secret

    def test_legal_first_name_is_hidden_behind_the_pseudonym(self, shown):
        assert LEGAL_FIRST not in shown
        assert PSEUDONYM in shown

    def test_hidden_areas_and_topics_not_now_are_absent(self, shown):
        assert "Psychosis-area" not in shown
        assert "Grief-area" not in shown
        assert "Custody-topic" not in shown

    def test_public_choices_are_shown(self, shown):
        assert "PUBLIC-BIO" in shown
        assert "Hope-topic" in shown

    def test_whole_catalogue_page_has_no_private_fields(self, as_orderer, secretive):
        text = page(as_orderer.get(en_url("experts:catalogue")))
        for secret in ("PRIVATE-STORY", LEGAL_FIRST, LEGAL_LAST, EMAIL, PHONE, MUNICIPALITY):
            assert secret not in text, secret


class TestExpertsChoices:
    def test_areas_shown_when_the_expert_chooses(self, as_orderer, secretive):
        secretive.show_areas = True
        secretive.save()
        text = page(as_orderer.get(en_url("experts:public_detail", secretive.pk)))
        assert "Psychosis-area" in text
        assert "Grief-area" in text
        assert "Custody-topic" not in text

    def test_topics_hidden_when_the_expert_chooses(self, as_orderer, secretive):
        secretive.show_topics = False
        secretive.save()
        text = page(as_orderer.get(en_url("experts:public_detail", secretive.pk)))
        assert "Hope-topic" not in text
        assert "Custody-topic" not in text

    def test_story_only_when_the_expert_chooses(self, as_orderer, secretive):
        url = en_url("experts:public_detail", secretive.pk)
        assert "PRIVATE-STORY" not in page(as_orderer.get(url))
        secretive.show_story = True
        secretive.save()
        assert "PRIVATE-STORY" in page(as_orderer.get(url))

    def test_a_topic_in_both_lists_is_treated_as_not_now(self, as_orderer, secretive, topics):
        # The form forbids it; data entered elsewhere (admin, import) must still not leak.
        secretive.topics.add(topics["not_now"])
        text = page(as_orderer.get(en_url("experts:public_detail", secretive.pk)))
        assert "Custody-topic" not in text
        assert "Hope-topic" in text

    def test_first_name_not_public_and_no_pseudonym(self, as_orderer):
        expert = ExpertFactory(
            user__first_name=LEGAL_FIRST,
            first_name_public=False,
            kinds=[ExpertKind.DEVELOPER_CLIENT],
        )
        for url in (en_url("experts:catalogue"), en_url("experts:public_detail", expert.pk)):
            assert LEGAL_FIRST not in page(as_orderer.get(url))

    def test_first_name_shown_when_public_but_never_the_last_name(self, as_orderer):
        expert = ExpertFactory(
            user__first_name="Openfirst",
            user__last_name=LEGAL_LAST,
            kinds=[ExpertKind.DEVELOPER_CLIENT],
        )
        text = page(as_orderer.get(en_url("experts:public_detail", expert.pk)))
        assert "Openfirst" in text
        assert LEGAL_LAST not in text

    def test_only_granted_kinds_are_shown(self, as_orderer):
        expert = ExpertFactory(kinds=[ExpertKind.DEVELOPER_CLIENT])
        KindApplicationFactory(expert=expert, kind=ExpertKind.TRAINED_EXPERT)
        KindApplicationFactory(
            expert=expert,
            kind=ExpertKind.EXPERIENCE_ACTOR,
            status=KindApplication.REFUSED,
            reason="PRIVATE-REFUSAL",
        )
        text = page(as_orderer.get(en_url("experts:public_detail", expert.pk))).lower()
        assert "developer client" in text
        assert "trained experience expert" not in text
        assert "experience actor" not in text
        assert "private-refusal" not in text


class TestWhoIsListed:
    @pytest.mark.parametrize(
        ("status", "on_break"),
        [
            (ExpertStatus.ACTIVE, True),
            (ExpertStatus.SUBMITTED, False),
            (ExpertStatus.DRAFT, False),
            (ExpertStatus.REFUSED, False),
            (ExpertStatus.INACTIVE, False),
        ],
        ids=["on-break", "submitted", "draft", "refused", "inactive"],
    )
    def test_unlisted_experts(self, client, status, on_break):
        listed = ExpertFactory(pseudonym="Listedone", uses_pseudonym=True)
        hidden = ExpertFactory(
            status=status,
            on_break=on_break,
            uses_pseudonym=True,
            pseudonym="Unlistedone",
            kinds=[ExpertKind.DEVELOPER_CLIENT],
        )
        for viewer in (
            OrdererFactory().user,
            CoordinatorFactory(organisation=hidden.organisation).user,
        ):
            client.force_login(viewer)
            response = client.get(en_url("experts:catalogue"))
            assert "Listedone" in results(response)
            assert "Unlistedone" not in results(response)
            assert en_url("experts:public_detail", hidden.pk) not in page(response)
            detail = client.get(en_url("experts:public_detail", hidden.pk))
            assert detail.status_code == 404
            assert client.get(en_url("experts:public_detail", listed.pk)).status_code == 200

    def test_a_break_ended_lists_the_expert_again(self, as_orderer):
        expert = ExpertFactory(on_break=True, uses_pseudonym=True, pseudonym="Backagain")
        assert "Backagain" not in results(as_orderer.get(en_url("experts:catalogue")))
        expert.on_break = False
        expert.save()
        assert "Backagain" in results(as_orderer.get(en_url("experts:catalogue")))


def listed_names(client, **params):
    response = client.get(en_url("experts:catalogue"), params)
    assert response.status_code == 200
    return {p.display_name for p in response.context["profiles"]}


class TestFilters:
    def test_area_filter_only_matches_experts_who_show_their_areas(self, as_orderer, areas):
        shows = ExpertFactory(uses_pseudonym=True, pseudonym="Shows", show_areas=True)
        hides = ExpertFactory(uses_pseudonym=True, pseudonym="Hides", show_areas=False)
        hides_close = ExpertFactory(uses_pseudonym=True, pseudonym="HidesClose", show_areas=False)
        shows.areas_own.add(areas["hidden"])
        hides.areas_own.add(areas["hidden"])
        hides_close.areas_close.add(areas["hidden"])

        assert listed_names(as_orderer, area=areas["hidden"].pk) == {"Shows"}
        assert listed_names(as_orderer) == {"Shows", "Hides", "HidesClose"}

    def test_area_filter_matches_a_shown_close_ones_experience(self, as_orderer, areas):
        close = ExpertFactory(uses_pseudonym=True, pseudonym="Close", show_areas=True)
        close.areas_close.add(areas["shown"])
        assert listed_names(as_orderer, area=areas["shown"].pk) == {"Close"}

    def test_topic_filter_never_matches_a_topic_not_now(self, as_orderer, topics):
        speaks = ExpertFactory(uses_pseudonym=True, pseudonym="Speaks")
        not_now = ExpertFactory(uses_pseudonym=True, pseudonym="NotNow")
        both = ExpertFactory(uses_pseudonym=True, pseudonym="Both")
        hides_topics = ExpertFactory(
            uses_pseudonym=True, pseudonym="HidesTopics", show_topics=False
        )
        speaks.topics.add(topics["not_now"])
        not_now.topics_not_now.add(topics["not_now"])
        both.topics.add(topics["not_now"])
        both.topics_not_now.add(topics["not_now"])
        hides_topics.topics.add(topics["not_now"])

        assert listed_names(as_orderer, topic=topics["not_now"].pk) == {"Speaks"}

    def test_kind_filter_only_matches_granted_kinds(self, as_orderer):
        granted = ExpertFactory(
            uses_pseudonym=True, pseudonym="Granted", kinds=[ExpertKind.TRAINED_EXPERT]
        )
        applied = ExpertFactory(
            uses_pseudonym=True, pseudonym="Applied", kinds=[ExpertKind.DEVELOPER_CLIENT]
        )
        refused = ExpertFactory(
            uses_pseudonym=True, pseudonym="Refused", kinds=[ExpertKind.DEVELOPER_CLIENT]
        )
        KindApplicationFactory(expert=applied, kind=ExpertKind.TRAINED_EXPERT)
        KindApplicationFactory(
            expert=refused, kind=ExpertKind.TRAINED_EXPERT, status=KindApplication.REFUSED
        )
        assert granted.held_kinds() == [ExpertKind.TRAINED_EXPERT]

        assert listed_names(as_orderer, kind=ExpertKind.TRAINED_EXPERT) == {"Granted"}
        assert listed_names(as_orderer, kind=ExpertKind.DEVELOPER_CLIENT) == {
            "Applied",
            "Refused",
        }

    def test_text_search_does_not_find_a_pseudonymous_expert_by_legal_name(
        self, as_orderer, secretive
    ):
        assert listed_names(as_orderer, q=LEGAL_FIRST) == set()
        assert listed_names(as_orderer, q=LEGAL_LAST) == set()
        assert listed_names(as_orderer, q=EMAIL) == set()
        assert listed_names(as_orderer, q="PRIVATE-STORY") == set()
        assert listed_names(as_orderer, q=PSEUDONYM) == {PSEUDONYM}
        assert listed_names(as_orderer, q="speak about recovery and hope") == {PSEUDONYM}

    def test_text_search_does_not_find_a_hidden_first_name(self, as_orderer):
        ExpertFactory(user__first_name="Quietname", first_name_public=False)
        assert listed_names(as_orderer, q="Quietname") == set()

    def test_an_unknown_filter_value_is_not_an_error(self, as_orderer, secretive):
        response = as_orderer.get(en_url("experts:catalogue"), {"area": "999999", "kind": "x"})
        assert response.status_code == 200
        assert PSEUDONYM not in results(response)


class TestOwnPage:
    def test_the_expert_sees_their_kinds_with_the_reasons(self, client):
        expert = ExpertFactory(kinds=[])
        KindApplicationFactory(
            expert=expert,
            kind=ExpertKind.DEVELOPER_CLIENT,
            status=KindApplication.GRANTED,
            reason="Welcome to the client panel.",
        )
        KindApplicationFactory(
            expert=expert,
            kind=ExpertKind.TRAINED_EXPERT,
            status=KindApplication.REFUSED,
            reason="The training has 44 hours; at least 50 are required.",
        )
        KindApplicationFactory(expert=expert, kind=ExpertKind.EXPERIENCE_ACTOR)
        client.force_login(expert.user)

        response = client.get(en_url("experts:me"))

        assert response.status_code == 200
        text = page(response)
        assert "Developer client" in text
        assert "Welcome to the client panel." in text
        assert "Trained experience expert" in text
        assert "The training has 44 hours; at least 50 are required." in text
        assert "Experience actor" in text
        assert "Waiting for a coordinator." in text

    def test_an_expert_reads_their_own_story_but_not_anyone_elses(self, client):
        expert = ExpertFactory()
        other = ExpertFactory(experience_story="OTHER-PRIVATE-STORY")
        client.force_login(expert.user)
        assert client.get(en_url("experts:me")).status_code == 200
        assert client.get(en_url("experts:review_detail", other.pk)).status_code == 404


class TestFreeTextSearch:
    """The search finds words of what a profile shows, in any of the three languages, and
    never by what the expert keeps hidden."""

    @pytest.fixture
    def recovery(self):
        return TopicFactory(
            name="Toipuminen", name_fi="Toipuminen", name_sv="Återhämtning", name_en="Recovery"
        )

    def search(self, client, words, language="en"):
        with translation.override(language):
            response = client.get(en_url("experts:catalogue"), {"q": words})
        assert response.status_code == 200
        return results(response)

    @pytest.mark.parametrize("words", ["toipumi", "återhämtning", "ÅTERHÄMTNING", "recovery"])
    def test_a_shown_topic_is_found_in_each_language(self, as_orderer, recovery, words):
        expert = ExpertFactory(pseudonym="Sinivuokko-Q", uses_pseudonym=True, show_topics=True)
        expert.topics.add(recovery)
        assert "Sinivuokko-Q" in self.search(as_orderer, words)

    def test_a_hidden_or_not_now_topic_is_not(self, as_orderer, recovery):
        hidden = ExpertFactory(pseudonym="Kielo-Q", uses_pseudonym=True, show_topics=False)
        hidden.topics.add(recovery)
        not_now = ExpertFactory(pseudonym="Vuokko-Q", uses_pseudonym=True, show_topics=True)
        not_now.topics.add(recovery)
        not_now.topics_not_now.add(recovery)
        found = self.search(as_orderer, "Återhämtning")
        assert "Kielo-Q" not in found and "Vuokko-Q" not in found

    def test_areas_only_when_shown(self, as_orderer, secretive, areas):
        # The secretive expert hides their areas: neither the one lived nor the one close.
        assert PSEUDONYM not in self.search(as_orderer, "Grief-area")
        assert PSEUDONYM not in self.search(as_orderer, "Psychosis-area")
        open_ = ExpertFactory(pseudonym="Avoin-Q", uses_pseudonym=True, show_areas=True)
        open_.areas_close.add(areas["shown"])
        assert "Avoin-Q" in self.search(as_orderer, "grief-AREA")

    def test_the_story_only_when_shown(self, as_orderer):
        ExpertFactory(
            pseudonym="Kertoja-Q",
            uses_pseudonym=True,
            experience_story="Lighthouse keeper",
            show_story=True,
        )
        ExpertFactory(
            pseudonym="Vaikenija-Q",
            uses_pseudonym=True,
            experience_story="Lighthouse keeper",
            show_story=False,
        )
        found = self.search(as_orderer, "lighthouse")
        assert "Kertoja-Q" in found and "Vaikenija-Q" not in found
