"""The people, vocabulary and order details that the browser tests share."""

from kokemustori.accounts.demo import activate_demo_authenticator
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    LanguageFactory,
    OrdererFactory,
    OrganisationFactory,
    RegionFactory,
    TopicFactory,
    task_type,
)

OTHER = {"fi": "en", "sv": "fi", "en": "sv"}
LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def make_world(lang):
    """The people and vocabulary that exist before the path starts (the expert does not)."""
    organisation = OrganisationFactory(name="Mielenterveysyhdistys Lyhty ry")
    coordinator = CoordinatorFactory(
        organisation=organisation,
        user__email=f"coordinator-{lang}@example.org",
        user__first_name="Kaisa",
        user__last_name="Koordinaattori",
        user__language=OTHER[lang],
    )
    # Coordinators must use an authenticator app; the browser types its current code.
    activate_demo_authenticator(coordinator.user)
    orderer = OrdererFactory(
        user__email=f"orderer-{lang}@example.org",
        user__first_name="Tiina",
        user__last_name="Tilaaja",
        user__language=OTHER[lang],
    )
    languages = {
        code: LanguageFactory(slug=code, name=name, name_fi=name, name_sv=name, name_en=name)
        for code, name in LANGUAGE_NAMES.items()
    }
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "orderer": orderer,
        "language": languages[lang],
        "area": AreaFactory(name="Mental health"),
        "topic": TopicFactory(name="Recovery from depression"),
        "region": RegionFactory(name="Ostrobothnia"),
        "lecture": task_type("lecture"),
    }


def fill_order(form, world, starts):
    form.locator("select[name=task_type]").select_option(str(world["lecture"].pk))
    form.locator("input[name=title]").fill("Recovery from depression: a lecture for nurses")
    form.locator("select[name=topic]").select_option(str(world["topic"].pk))
    form.locator("textarea[name=description]").fill("A lecture in the nursing programme.")
    form.locator("textarea[name=expectations]").fill(
        "Tell your own story for 30 minutes, then answer questions."
    )
    form.locator("select[name=audience]").select_option("students")
    form.locator("input[name=audience_size]").fill("40")
    form.locator("select[name=organisation]").select_option(str(world["organisation"].pk))
    form.locator("textarea[name=topic_delimitation]").fill("What helped in recovery.")
    form.locator("textarea[name=audience_notes]").fill("Second-year nursing students.")
    form.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT10:00"))
    form.locator("select[name=language]").select_option(str(world["language"].pk))
    form.locator("input[name=location]").fill("Lecture hall A, Vaasa")
    form.locator("select[name=region]").select_option(str(world["region"].pk))
    for name, minutes in [
        ("event_minutes", 90),
        ("preparation_minutes", 60),
        ("planning_minutes", 30),
        ("debrief_minutes", 30),
        ("travel_minutes", 0),
    ]:
        form.locator(f"input[name={name}]").fill(str(minutes))
    form.locator("input[name=fee_choice][value=offered]").check()
    form.locator("input[name=fee_amount]").fill("250")
    form.locator("textarea[name=travel_costs]").fill("Train tickets against receipts.")
    form.locator("input[name=debrief_at]").fill(starts.strftime("%Y-%m-%dT12:00"))
    form.locator("input[name=access_arrangements][value=materials]").check()
    contact = form.locator("input[name=contact_name]")
    if not contact.input_value():
        contact.fill("Tiina Tilaaja")
