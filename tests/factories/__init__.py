from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from kokemustori.accounts.models import User
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication, TrainingRecord
from kokemustori.kinds import ExpertKind, TrainingType
from kokemustori.orderers.models import Orderer, Verification
from kokemustori.organisations.models import Coordinator, Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Background organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class OrdererFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orderer

    user = factory.SubFactory(UserFactory)
    organisation_name = "Wellbeing services county of Testland"
    # Verified unless a test says otherwise (Verification.PENDING: a new account).
    verification = Verification.VERIFIED


class NamedFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"item-{n}")
    name = factory.Sequence(lambda n: f"Item {n}")
    name_fi = factory.SelfAttribute("name")
    name_en = factory.SelfAttribute("name")
    name_sv = factory.SelfAttribute("name")


class AreaFactory(NamedFactory):
    class Meta:
        model = ExperienceArea


class TopicFactory(NamedFactory):
    class Meta:
        model = Topic


class LanguageFactory(NamedFactory):
    class Meta:
        model = Language
        django_get_or_create = ("slug",)


class RegionFactory(NamedFactory):
    class Meta:
        model = Region


class ExpertFactory(factory.django.DjangoModelFactory):
    """An approved expert by default; `kinds=[...]` grants those kinds."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = ExpertStatus.ACTIVE
    bio = "I speak about recovery."
    experience_story = "PRIVATE-STORY: my diagnosis and hospital stays."
    works_remotely = True
    consent_given_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def kinds(obj, create, extracted, **kwargs):
        for kind in extracted or []:
            KindApplication.objects.create(
                expert=obj, kind=kind, status=KindApplication.GRANTED, decided_at=timezone.now()
            )


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    expert = factory.SubFactory(ExpertFactory)
    training_type = TrainingType.EXPERT
    organiser = "Training centre"
    hours = Decimal("50")
    start_date = date(2025, 1, 10)
    end_date = date(2025, 5, 10)


class KindApplicationFactory(factory.django.DjangoModelFactory):
    """A kind applied for and waiting for a coordinator (status APPLIED) by default."""

    class Meta:
        model = KindApplication

    expert = factory.SubFactory(ExpertFactory, status=ExpertStatus.SUBMITTED)
    kind = ExpertKind.DEVELOPER_CLIENT
    status = KindApplication.APPLIED


def task_type(slug: str) -> TaskType:
    """One of the default task types created by the data migration."""
    return TaskType.objects.get(slug=slug)


__all__ = ["ExpertKind", "PASSWORD", "task_type"]
