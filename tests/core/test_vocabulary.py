"""The catalogue's filter options come from the vocabulary cache (core/vocabulary.py): read
from the database once, then served from the cache until a topic, area, language, region,
task type or organisation is saved or deleted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import OrdererFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orderer_client(client):
    client.force_login(OrdererFactory().user)
    return client


def catalogue(client, language="en"):
    with translation.override(language):
        url = reverse("experts:catalogue")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


def topic_options(page: str) -> list[str]:
    select = re.search(r'<select name="topic".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def reads_topics(sql: list[str]) -> bool:
    return any(re.search(r'FROM "taxonomy_topic"', q) for q in sql)


def test_the_second_page_reads_no_vocabulary_from_the_database(orderer_client):
    TopicFactory(name="Recovery")
    first, first_sql = catalogue(orderer_client)
    second, second_sql = catalogue(orderer_client)
    assert reads_topics(first_sql)
    assert not reads_topics(second_sql)
    assert topic_options(second) == ["All", "Recovery"]
    assert len(second_sql) <= len(first_sql) - 6  # six vocabularies no longer read


def test_a_renamed_topic_shows_its_new_name_at_once(orderer_client):
    topic = TopicFactory(name="Recovery")
    catalogue(orderer_client)
    topic.name = topic.name_en = "Recovery and hope"
    topic.save()
    page, _ = catalogue(orderer_client)
    assert topic_options(page) == ["All", "Recovery and hope"]


def test_a_new_and_a_deleted_topic_change_the_options(orderer_client):
    old = TopicFactory(name="Grief")
    catalogue(orderer_client)
    TopicFactory(name="Housing")
    old.delete()
    page, _ = catalogue(orderer_client)
    assert topic_options(page) == ["All", "Housing"]


def test_each_language_has_its_own_names(orderer_client):
    TopicFactory(name="Recovery", name_en="Recovery", name_fi="Toipuminen", name_sv="Återhämtning")
    catalogue(orderer_client, "en")
    assert topic_options(catalogue(orderer_client, "fi")[0]) == ["Kaikki", "Toipuminen"]
    assert topic_options(catalogue(orderer_client, "sv")[0]) == ["Alla", "Återhämtning"]
    assert topic_options(catalogue(orderer_client, "en")[0]) == ["All", "Recovery"]


def test_a_chosen_option_stays_selected_and_filters(orderer_client):
    topic = TopicFactory(name="Recovery")
    catalogue(orderer_client)
    with translation.override("en"):
        url = reverse("experts:catalogue")
    page = orderer_client.get(url, {"topic": topic.pk}).content.decode()
    assert f'<option value="{topic.pk}" selected>Recovery</option>' in page
