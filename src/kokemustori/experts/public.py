"""The public profile: the only projection of an expert that orderers and the catalogue see.

Templates for orderers receive PublicProfile objects, never Expert instances, so that a
careless template cannot reach private fields.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Value
from django.utils.translation import get_language

from kokemustori.kinds import ExpertKind

from .models import Expert, KindApplication


@dataclass(frozen=True)
class PublicProfile:
    pk: int
    display_name: str
    organisation: str
    kinds: list[str]
    bio: str
    languages: list[str]
    regions: list[str]
    works_remotely: bool
    task_types: list[str]
    topics: list[str] = field(default_factory=list)
    areas_own: list[str] = field(default_factory=list)
    areas_close: list[str] = field(default_factory=list)
    story: str = ""


def public_profile(expert) -> PublicProfile:
    """One expert's public profile (the same as in a page of them)."""
    return public_profiles([expert])[0]


# Relations an expert's page (not the public profile) prefetches for the coordinator.
PUBLIC_PREFETCH = (
    "kind_applications",
    "languages",
    "regions",
    "task_types",
    "topics",
    "topics_not_now",
    "areas_own",
    "areas_close",
)


# The relations a profile names, with the column of the related item's id in the through
# table. Their models all order by ("order", "slug"), as `.all()` would.
_NAMED_RELATIONS = {
    "languages": "language",
    "regions": "region",
    "task_types": "tasktype",
    "topics": "topic",
    "topics_not_now": "topic",
    "areas_own": "experiencearea",
    "areas_close": "experiencearea",
}


def _name_columns() -> list[str]:
    """The translated name columns in the order they are tried: the active language, then
    the fallbacks modeltranslation would use."""
    order = [(get_language() or settings.LANGUAGE_CODE).split("-")[0]]
    order += [code for code in settings.MODELTRANSLATION_FALLBACK_LANGUAGES if code not in order]
    return [f"name_{code}" for code in order]


def public_profiles(experts) -> list[PublicProfile]:
    """The profiles of a page of experts (each with `user` and `organisation` selected), from
    two queries: the names come as plain values. Making some five hundred translated model
    objects per page of twenty was most of the catalogue's time."""
    experts = list(experts)
    if not experts:
        return []
    ids = [e.pk for e in experts]
    columns = _name_columns()
    named: dict[str, dict[int, list]] = {
        relation: defaultdict(list) for relation in _NAMED_RELATIONS
    }
    # One query for all seven relations (UNION ALL), each row tagged with its relation.
    parts = [
        Expert._meta.get_field(relation)
        .remote_field.through.objects.filter(expert_id__in=ids)
        .annotate(relation=Value(tag))
        .values_list(
            "expert_id",
            f"{target}_id",
            f"{target}__order",
            f"{target}__slug",
            *(f"{target}__{c}" for c in columns),
            "relation",
        )
        for tag, (relation, target) in enumerate(_NAMED_RELATIONS.items())
    ]
    relations = list(_NAMED_RELATIONS)
    # In the items' own order, as `.all()` gives them: by position, then code.
    for expert_id, item_id, _order, _slug, *names, tag in sorted(
        parts[0].union(*parts[1:], all=True), key=lambda row: (row[2], row[3])
    ):
        name = next((n for n in names if n), None)
        if name is not None:  # an item named in no language is left out, not shown blank
            named[relations[tag]][expert_id].append((item_id, name))
    kinds = defaultdict(list)
    granted = KindApplication.objects.filter(
        expert_id__in=ids, status=KindApplication.GRANTED
    ).order_by("kind")
    for expert_id, kind in granted.values_list("expert_id", "kind"):
        kinds[expert_id].append(str(ExpertKind(kind).label))

    def names(relation, expert):
        return [name for _, name in named[relation][expert.pk]]

    profiles = []
    for expert in experts:
        not_now = {pk for pk, _ in named["topics_not_now"][expert.pk]}
        topics = [n for pk, n in named["topics"][expert.pk] if pk not in not_now]
        profiles.append(
            PublicProfile(
                pk=expert.pk,
                display_name=expert.display_name,
                organisation=expert.organisation.name,
                kinds=kinds[expert.pk],
                bio=expert.bio,
                languages=names("languages", expert),
                regions=names("regions", expert),
                works_remotely=expert.works_remotely,
                task_types=names("task_types", expert),
                topics=topics if expert.show_topics else [],
                areas_own=names("areas_own", expert) if expert.show_areas else [],
                areas_close=names("areas_close", expert) if expert.show_areas else [],
                story=expert.experience_story if expert.show_story else "",
            )
        )
    return profiles
