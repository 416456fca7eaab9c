"""The public profile: the only projection of an expert that orderers and the catalogue see.

Templates for orderers receive PublicProfile objects, never Expert instances, so that a
careless template cannot reach private fields.
"""

from dataclasses import dataclass, field


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


def public_topics(expert):
    """Topics the expert shows publicly: never those marked *not now*."""
    if not expert.show_topics:
        return []
    not_now = {t.pk for t in expert.topics_not_now.all()}
    return [t for t in expert.topics.all() if t.pk not in not_now]


def public_profile(expert) -> PublicProfile:
    return PublicProfile(
        pk=expert.pk,
        display_name=expert.display_name,
        organisation=expert.organisation.name,
        kinds=[str(label) for label in expert.held_kind_labels()],
        bio=expert.bio,
        languages=[lang.name for lang in expert.languages.all()],
        regions=[r.name for r in expert.regions.all()],
        works_remotely=expert.works_remotely,
        task_types=[t.name for t in expert.task_types.all()],
        topics=[t.name for t in public_topics(expert)],
        areas_own=[a.name for a in expert.areas_own.all()] if expert.show_areas else [],
        areas_close=[a.name for a in expert.areas_close.all()] if expert.show_areas else [],
        story=expert.experience_story if expert.show_story else "",
    )


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
