"""The shape of a person's own data (kokemustori.privacy.export): the sections, their titles,
and for each kind of record the JSON keys and the summary page's labels, in order. The keys are
a file format (data portability): a change must be deliberate, and is made here too."""

import pytest

from kokemustori.privacy import export
from tests.factories import OrdererFactory
from tests.factories.orders import OrderState, order_in_state
from tests.privacy.test_gdpr import DB_TASKS, ordering_path

pytestmark = pytest.mark.django_db

# Headings: written out where they hold no time of day; elsewhere, how many records.
EXPECTED = [
    {
        "key": "account",
        "title": "Account",
        "single": True,
        "note": "",
        "headings": ["Account"],
        "entries": [
            [
                ("email", "E-mail address"),
                ("first_name", "First name"),
                ("last_name", "Last name"),
                ("language", "Language"),
                ("date_joined", "Date joined"),
                ("last_login", "Last login"),
                ("email_addresses", "E-mail addresses for logging in"),
                ("two_factor_methods", "Two-factor authentication"),
                ("linked_identities", "Sign-in services linked to the account"),
                ("identity_confirmation", "Identity confirmed with strong identification"),
            ]
        ],
    },
    {
        "key": "expert_profile",
        "title": "Expert profile",
        "single": True,
        "note": "",
        "headings": ["Expert profile"],
        "entries": [
            [
                ("organisation", "Background organisation"),
                ("status", "Status"),
                ("first_name_public", "Show my first name"),
                ("uses_pseudonym", "I work under a pseudonym"),
                ("pseudonym", "Pseudonym"),
                ("phone", "Phone"),
                ("municipality", "Home municipality"),
                ("areas_own", "My own experience"),
                ("areas_close", "Experience as a close one"),
                ("experience_story", "My experience in my own words"),
                ("bio", "Public introduction"),
                ("topics", "Topics I can speak on"),
                ("topics_not_now", "Topics not now"),
                ("languages", "Working languages"),
                ("regions", "Regions"),
                ("works_remotely", "I can work remotely"),
                ("task_types", "Task types I am willing to do"),
                ("workload_limit", "At most this many assignments a month"),
                ("work_preference", "How much work I want"),
                ("monthly_earnings_limit", "Monthly earnings limit (€)"),
                ("yearly_earnings_limit", "Calendar-year earnings limit (€)"),
                ("on_break", "On a break"),
                ("break_started_at", "Break started"),
                ("show_areas", "Show my experience areas"),
                ("show_topics", "Show my topics"),
                ("show_story", "Show my experience in my own words"),
                ("consent_given_at", "Consent given"),
                ("privacy_notice_version", "Version of the privacy notice you agreed to"),
                ("submitted_at", "Application sent"),
                ("created_at", "Profile created"),
                ("updated_at", "Profile last changed"),
            ]
        ],
    },
    {
        "key": "trainings",
        "title": "Training",
        "single": False,
        "note": "",
        "headings": ["Experience-expert training, QzvOrganiser"],
        "entries": [
            [
                ("training_type", "Training"),
                ("organiser", "Organiser"),
                ("hours", "Hours"),
                ("start_date", "Start date"),
                ("end_date", "End date"),
                ("status", "Status"),
                ("reviewed_at", "Reviewed"),
                ("review_note", "Coordinator's note"),
            ]
        ],
    },
    {
        "key": "training_programmes",
        "title": "Training recorded as one programme",
        "single": False,
        "note": "",
        "headings": 0,
        "entries": [],
    },
    {
        "key": "kind_applications",
        "title": "Kinds of expert applied for, and decisions",
        "single": False,
        "note": "",
        "headings": ["Experience partner", "Trained experience expert"],
        "entries": [
            [
                ("kind", "Kind"),
                ("status", "Status"),
                ("reason", "Reason"),
                ("applied_at", "Applied on"),
                ("decided_at", "Decided"),
            ]
        ],
    },
    {
        "key": "confidentiality_signatures",
        "title": "Confidentiality commitments you signed",
        "single": False,
        "note": "",
        "headings": 0,
        "entries": [],
    },
    {
        "key": "offers",
        "title": "Offers",
        "single": False,
        "note": "",
        "headings": 4,
        "entries": [
            [
                ("order", "Order"),
                ("order_id", "Order number"),
                ("task_type", "Task type"),
                ("starts_at", "Starts"),
                ("state", "State"),
                ("message", "Message to the expert"),
                ("match_reasons", "Why this expert was matched"),
                ("sent_at", "Sent"),
                ("expires_at", "Answer by"),
                ("responded_at", "Answered"),
                ("fee_type", "Fee type"),
            ]
        ],
    },
    {
        "key": "open_call_interests",
        "title": "Open calls you said you were interested in",
        "single": False,
        "note": "",
        "headings": 0,
        "entries": [],
    },
    {
        "key": "qualifications",
        "title": "Recorded by your coordinators for orders that require them",
        "single": False,
        "note": "",
        "headings": 0,
        "entries": [],
    },
    {
        "key": "agreements",
        "title": "Agreements",
        "single": False,
        "note": "Each agreement can also be downloaded as a PDF from its own page.",
        "headings": 2,
        "entries": [
            [
                ("agreement_id", "Agreement number"),
                ("order", "Order"),
                ("state", "State"),
                ("tasks", "Tasks"),
                ("starts_at", "Starts"),
                ("ends_at", "Ends"),
                ("place", "Place"),
                ("planning_meeting_at", "Planning meeting"),
                ("debrief_at", "Debrief"),
                ("debrief_by", "Debrief held by"),
                ("fee_amount", "Fee (€)"),
                ("fee_type", "Fee type"),
                ("expenses", "Expenses and travel costs"),
                ("confidentiality", "Confidentiality duty"),
                ("expert_legal_name", "Expert's legal name"),
                ("expert_public_name", "Expert's public name"),
                ("expert_contact", "Expert's contact"),
                ("created_at", "Drawn up"),
                ("orderer_accepted_at", "Accepted by the orderer"),
                ("expert_accepted_at", "Accepted by the expert"),
                ("cancelled_at", "Cancelled"),
                ("cancellation_reason", "Reason for the cancellation"),
            ]
        ],
    },
    {
        "key": "fee_records",
        "title": "Fees",
        "single": False,
        "note": "",
        "headings": 1,
        "entries": [
            [
                ("agreement_id", "Agreement number"),
                ("assignment_date", "Assignment date"),
                ("fee_amount", "Fee (€)"),
                ("fee_type", "Fee type"),
                ("expenses_amount", "Expenses (€)"),
                ("expenses_note", "Expenses"),
                ("status", "Status"),
                ("approved_at", "Approved"),
                ("paid_at", "Paid"),
            ]
        ],
    },
    {
        "key": "series_attendance",
        "title": "Your attendance at the meetings of a series",
        "single": False,
        "note": "",
        "headings": 0,
        "entries": [],
    },
    {
        "key": "series_fees",
        "title": "Fees for the meetings of a series",
        "single": False,
        "note": "",
        "headings": 0,
        "entries": [],
    },
    {
        "key": "debriefs",
        "title": "Debriefs",
        "single": False,
        "note": "",
        "headings": 1,
        "entries": [
            [
                ("order", "Order"),
                ("held_at", "Held"),
                ("held_by", "Held by"),
                ("feelings", "How the expert felt"),
                ("evaluation", "How the assignment went"),
                ("wants_support", "I would like support"),
                ("support_handled_at", "Support arranged"),
                ("created_at", "Recorded"),
            ]
        ],
    },
    {
        "key": "feedback",
        "title": "Feedback by you and about you",
        "single": False,
        "note": "",
        "headings": [
            "The orderer's feedback on your assignment: Recovery from depression: a lecture "
            "for nursing students",
            "Your feedback on the orderer: Recovery from depression: a lecture for nursing "
            "students",
        ],
        "entries": [
            [
                ("order", "Order"),
                ("direction", "Direction"),
                ("overall", "Overall"),
                ("comment", "Comment"),
                ("created_at", "Given"),
            ],
            [
                ("order", "Order"),
                ("direction", "Direction"),
                ("expectations_clear", "The expectations were clear"),
                ("time_respected", "The time agreed was respected"),
                ("treated_as_equal", "I was treated as an equal"),
                ("comment", "Comment"),
                ("created_at", "Given"),
            ],
        ],
    },
    {
        "key": "audit_events",
        "title": "Audit log: who handled your data",
        "single": False,
        "note": "Coordinators are shown by their organisation only.",
        "headings": 9,
        "entries": [[("at", "Time"), ("action", "What"), ("who", "Who"), ("detail", "Detail")]],
    },
    {
        "key": "orderer_profile",
        "title": "Orderer profile",
        "single": True,
        "note": "",
        "headings": ["Orderer"],
        "entries": [
            [
                ("organisation_name", "Organisation"),
                ("unit", "Unit or department"),
                ("title", "Job title"),
                ("phone", "Phone"),
                ("billing_details", "Invoicing details"),
                ("is_active", "Active"),
                ("created_at", "Orderer profile created"),
                ("verification", "Verification"),
                ("decided_at", "Decided at"),
                ("refusal_reason", "Reason for not verifying"),
            ]
        ],
    },
    {
        "key": "orders",
        "title": "Orders",
        "single": False,
        "note": "",
        "headings": 1,
        "entries": [
            [
                ("order_id", "Order number"),
                ("title", "Title"),
                ("state", "State"),
                ("organisation", "Background organisation"),
                ("task_type", "Task type"),
                ("topic", "Topic"),
                ("description", "What the assignment is about"),
                ("audience", "Audience"),
                ("audience_size", "Audience size"),
                ("audience_notes", "Special features of the audience"),
                ("topic_delimitation", "The delimited topic"),
                ("working_group", "Who the working group is"),
                ("role_introduction", "How the expert's role is introduced to the group"),
                ("starts_at", "Starts"),
                ("alternative_times", "Other possible times"),
                ("is_remote", "Remote"),
                ("location", "Place"),
                ("remote_link", "Remote link"),
                ("region", "Region"),
                ("language", "Language"),
                ("experts_needed", "Number of experts"),
                ("expectations", "What is expected of the expert"),
                ("event_minutes", "The event itself (minutes)"),
                ("preparation_minutes", "Preparation (minutes)"),
                ("planning_minutes", "Planning meeting (minutes)"),
                ("debrief_minutes", "Debrief (minutes)"),
                ("travel_minutes", "Travel (minutes)"),
                ("fee_choice", "Fee"),
                ("fee_amount", "Fee offered per expert (€)"),
                ("travel_costs", "Travel and other costs"),
                ("planning_meeting", "A planning meeting is held beforehand"),
                ("planning_meeting_at", "Planning meeting time"),
                ("planning_notes", "Planning meeting notes"),
                ("debrief_by", "Who holds the debrief"),
                ("debrief_at", "Debrief time"),
                ("confidentiality", "Confidentiality applies"),
                ("confidentiality_scope", "What confidentiality covers"),
                ("access_notes", "Other access arrangements"),
                ("notice_days", "Notice period (days)"),
                ("contact_name", "Contact person"),
                ("contact_phone", "Contact phone"),
                ("contact_email", "Contact e-mail"),
                ("access_arrangements", "Access arrangements offered"),
                ("created_at", "Created"),
                ("submitted_at", "Sent for review"),
            ]
        ],
    },
    {
        "key": "order_steps",
        "title": "Steps you took on your orders",
        "single": False,
        "note": "",
        "headings": 1,
        "entries": [[("order", "Order"), ("at", "Time"), ("step", "Step"), ("reason", "Reason")]],
    },
    {
        "key": "messages",
        "title": "Messages",
        "single": False,
        "note": "",
        "headings": [],
        "entries": [],
    },
    {
        "key": "reminders",
        "title": "Reminders sent to you",
        "single": False,
        "note": "",
        "headings": [
            "Recovery from depression: a lecture for nursing students: debrief in two days"
        ],
        "entries": [[("order", "Order"), ("kind", "Reminder"), ("sent_at", "Sent")]],
    },
    {
        "key": "notices",
        "title": "Your notices and how they reach you",
        "single": False,
        "note": "",
        "headings": 7,
        "entries": [
            [
                ("subject", "Subject"),
                ("created_at", "Created"),
                ("read_at", "Read"),
                ("delivery", "Delivery"),
            ]
        ],
    },
]


def shape(section):
    shapes = []
    for item in section.items:
        entries = [(e.name, e.label) for e in item.entries]
        if entries not in shapes:
            shapes.append(entries)
    return {
        "key": section.key,
        "title": str(section.title),
        "single": section.single,
        "note": str(section.note),
        "headings": [i.heading for i in section.items]
        if isinstance(EXPECTED_HEADINGS.get(section.key), list)
        else len(section.items),
        "entries": shapes,
    }


EXPECTED_HEADINGS = {s["key"]: s["headings"] for s in EXPECTED}


def test_an_expert_who_also_orders_gets_every_section_with_its_keys_and_labels(
    settings, sent_after_commit
):
    settings.TASKS = DB_TASKS
    world = ordering_path(sent_after_commit)
    orderer = OrdererFactory(user=world.expert.user)
    order_in_state(OrderState.DECLINED, orderer=orderer)

    sections = export.collect(world.expert.user)

    assert [shape(s) for s in sections] == EXPECTED
    data = export.as_json(sections, world.expert.user)
    assert list(data)[:6] == ["format", "version", "generated_at", "language", "user_id", "titles"]
    assert (data["format"], data["version"], data["language"]) == (
        "kokemustori-personal-data",
        1,
        "en",
    )
    assert data["user_id"] == world.expert.user_id
    assert data["titles"] == {s["key"]: s["title"] for s in EXPECTED}
