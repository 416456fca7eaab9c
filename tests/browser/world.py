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


ORDER_STEPS = ("what", "role", "fee", "debrief", "access")


def order_form(page):
    return page.locator("main form.order-form")


def continue_step(page):
    """Save the step and go on ("Save and continue")."""
    with page.expect_navigation():
        order_form(page).locator("button[name=continue]").click()


def fill_step(page, section, world, starts, leave_out=()):
    """Fill in one step of the guided order form (a lecture), leaving out the named fields."""
    form = order_form(page)

    def put(name, value, kind="input"):
        if name not in leave_out:
            form.locator(f"{kind}[name={name}]").fill(value)

    def pick(name, value):
        if name not in leave_out:
            form.locator(f"select[name={name}]").select_option(value)

    if section == "what":
        pick("task_type", str(world["lecture"].pk))
        put("title", "Recovery from depression: a lecture for nurses")
        pick("topic", str(world["topic"].pk))
        put("description", "A lecture in the nursing programme.", "textarea")
        pick("audience", "students")
        put("audience_size", "40")
        pick("organisation", str(world["organisation"].pk))
        put("starts_at", starts.strftime("%Y-%m-%dT10:00"))
        pick("language", str(world["language"].pk))
        put("location", "Lecture hall A, Vaasa")
        pick("region", str(world["region"].pk))
    elif section == "role":
        put(
            "expectations", "Tell your own story for 30 minutes, then answer questions.", "textarea"
        )
        put("topic_delimitation", "What helped in recovery.", "textarea")
        put("audience_notes", "Second-year nursing students.", "textarea")
        # Times as people write them: the form reads hours and minutes.
        for name, typed in [
            ("event_minutes", "1 h 30 min"),
            ("preparation_minutes", "1:00"),
            ("planning_minutes", "30 min"),
            ("debrief_minutes", "30"),
            ("travel_minutes", "0"),
        ]:
            put(name, typed)
    elif section == "fee":
        form.locator("input[name=fee_choice][value=offered]").check()
        put("fee_amount", "250")
        put("travel_costs", "Train tickets against receipts.", "textarea")
    elif section == "debrief":
        put("debrief_by", "Teacher Maija Malli")
        put("debrief_at", starts.strftime("%Y-%m-%dT12:00"))
    elif section == "access":
        form.locator("input[name=access_arrangements][value=materials]").check()
        contact = form.locator("input[name=contact_name]")
        if not contact.input_value():
            contact.fill("Tiina Tilaaja")


def walk_order(page, world, starts, leave_out=(), on_step=None):
    """From step 1 of a new order to the check page, filling in every step as a lecture
    (leaving out the named fields). `on_step(section)` runs on each step before it is filled,
    e.g. an axe check."""
    for section in ORDER_STEPS:
        assert f"/form/{section}/" in page.url or (section == "what" and "/new/" in page.url), (
            section,
            page.url,
        )
        if on_step is not None:
            on_step(section)
        fill_step(page, section, world, starts, leave_out)
        continue_step(page)
    assert page.url.endswith("/check/"), page.url
