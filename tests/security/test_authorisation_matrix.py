"""The authorisation matrix: every URL and API endpoint × every role × a representative object.

One world (tests/security/matrix_world.py) holds a person in each of the eleven roles and one object of
every kind the URLs take, with a unique marker string in every private field. Each row of the
tables below is one URL (or API endpoint) with one method and the outcome for every role:

* an allowed role gets its status (200, or a designed redirect `to(...)`, or 400 for an empty
  POST that is a validation error), and the body shows no marker the role may not see: only
  the expert themself and the coordinators of the expert's own organisation see the private and
  special-category fields; an orderer sees the expert's contact only on the pages of their
  agreement (`contact=`);
* a refused role gets exactly the status in the table (403 or 404, 401 for the API's anonymous
  callers; anonymous users of the pages are sent to the login page) and the body holds no
  marker at all.

Adding a URL: one line in PAGES (or API). A URL or endpoint that is in the project but not in
the tables fails `test_every_url_is_in_the_matrix` / `test_every_api_endpoint_is_in_the_matrix`.
allauth's pages and the Django admin are checked as groups (see ALLAUTH and the admin tests).

The world is built once for the module inside a transaction that is rolled back at the end;
each test runs in a savepoint of its own, so POSTs that succeed change nothing for the next.
"""

import io
import json
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from pypdf import PdfReader

from kokemustori.accounts.models import User
from kokemustori.api.api import api
from kokemustori.experts.models import Expert
from tests.security.matrix_world import (
    ADMIN,
    ANON,
    APPLICANT,
    CONTACT,
    COORD_A,
    COORD_B,
    EXPERT,
    EXPERT_B,
    ORDERER,
    ORDERER_B,
    ROLES,
    SUPPORT_WISH,
    build_world,
)

pytestmark = pytest.mark.django_db

# Outcomes -------------------------------------------------------------------------------------

OK, CREATED, BAD, UNAUTHENTICATED, FORBIDDEN, HIDDEN, CONFLICT = 200, 201, 400, 401, 403, 404, 409
LOGIN = "login"  # anonymous: 302 to the login page, coming back here afterwards
DENIED = (UNAUTHENTICATED, FORBIDDEN, HIDDEN, LOGIN)


@dataclass(frozen=True)
class To:
    """A designed redirect: 302 to this URL name (kwargs name objects of the world) or path."""

    target: str
    kwargs: tuple = ()


def to(target, **kwargs):
    return To(target, tuple(sorted(kwargs.items())))


def E(other, *, anon=LOGIN, **allowed):
    """The outcome for every role: `other` unless the role is named."""
    unknown = set(allowed) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {ANON: anon, **{role: allowed.get(role, other) for role in ROLES if role != ANON}}


PUBLIC = E(OK, anon=OK)
LOGGED_IN = E(OK)
COORDINATORS = E(FORBIDDEN, coord_a=OK, coord_b=OK)
REPORT_READERS = E(FORBIDDEN, coord_a=OK, coord_b=OK, orderer=OK, orderer_b=OK, network_admin=OK)
# Orderers, the unverified one too: an unverified orderer fills in and saves drafts.
ORDERERS = E(FORBIDDEN, orderer=OK, orderer_b=OK, orderer_unverified=OK)
# "Expert" pages answer to anyone with an expert profile, the applicant included.
TO_APPLY = to("experts:apply")
EXPERTS_ELSE_APPLY = E(TO_APPLY, applicant=OK, expert=OK, expert_b=OK)


@dataclass(frozen=True)
class Raw:
    """A literal URL argument or form value (plain strings name objects of the world)."""

    value: object


def _resolve(world, values: dict) -> dict:
    return {k: v.value if isinstance(v, Raw) else world[v] for k, v in values.items()}


@dataclass(frozen=True)
class Page:
    name: str
    expect: dict
    method: str = "get"
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    contact: frozenset = frozenset()  # roles that may see the agreement partner's contact here
    variant: str = ""
    url_language: str = ""  # the URL's language prefix, when not the default

    @property
    def id(self):
        return f"{self.name}{f'[{self.variant}]' if self.variant else ''}-{self.method}"


def get(name, expect, *, contact=(), variant="", url_language="", **kwargs):
    return Page(name, expect, "get", kwargs, {}, frozenset(contact), variant, url_language)


def post(name, expect, *, data=None, contact=(), variant="", **kwargs):
    return Page(name, expect, "post", kwargs, data or {}, frozenset(contact), variant)


PARTIES = (EXPERT, ORDERER)  # of the representative agreement
EXPERT_ROLES = (APPLICANT, EXPERT, EXPERT_B)
ORDER = "order"  # handled by organisation A, ordered by `orderer`, debriefed, with feedback

# fmt: off
PAGES = [
    # Public pages, the language switch and the user's own settings.
    get("pages:home", PUBLIC),
    get("pages:about", PUBLIC),
    get("pages:kinds", PUBLIC),
    get("pages:ordering", PUBLIC),
    get("pages:joining", PUBLIC),
    get("pages:privacy", PUBLIC),
    # The accessibility statement and its feedback form: anyone, logged in or not; an empty
    # post shows the form again with its error.
    get("pages:accessibility", PUBLIC),
    post("pages:accessibility", PUBLIC),
    get("pages:dashboard", LOGGED_IN),
    post("set_language", E(to("/"), anon=to("/"))),
    get("accounts_settings", LOGGED_IN),
    post("accounts_settings", LOGGED_IN),
    get("notifications:notices", LOGGED_IN),
    get("notifications:preferences", LOGGED_IN),
    # An empty post is invalid for anyone with a role; the admin has no kinds to choose.
    post(
        "notifications:preferences",
        E(OK, admin=to("notifications:preferences"), network_admin=to("notifications:preferences")),
    ),
    post("notifications:mark_all_read", E(to("notifications:notices"))),
    # One coordinator's notice of the order sent for review: only its person opens or marks it.
    get("notifications:open", E(HIDDEN, coord_a=to("orders:detail", pk="order")), pk="coord_a_notice"),
    post("notifications:mark_read", E(HIDDEN, coord_a=to("notifications:notices")), pk="coord_a_notice"),
    get("calendars:settings", LOGGED_IN),
    post("calendars:turn_on", E(to("calendars:settings"))),
    post("calendars:turn_off", E(to("calendars:settings"))),
    # A calendar app fetches the feed with its secret address and no login; the feed carries
    # no special-category data and no contact details (tests/calendars/test_feed.py).
    get("calendar_feed", E(OK, anon=OK), token="expert_feed"),
    # Sign-in through an identity provider (kokemustori.identity): a provider that is not
    # configured (or switched off) answers 404 to everyone; the flow itself is driven against
    # a local issuer in tests/identity. The signed-out page of an unknown provider goes home.
    get("openid_connect_login", E(HIDDEN, anon=HIDDEN), provider_id=Raw("nobody")),
    post("openid_connect_login", E(HIDDEN, anon=HIDDEN), provider_id=Raw("nobody")),
    get("openid_connect_callback", E(HIDDEN, anon=HIDDEN), provider_id=Raw("nobody")),
    get("identity:signed_out", E(to("pages:home"), anon=to("pages:home")), slug=Raw("nobody")),
    # Strong identification: experts only, and only where a broker is configured (none here).
    get("identity:confirm", E(HIDDEN)),
    post("identity:confirm", E(HIDDEN)),
    get("orderers:profile", LOGGED_IN),  # anyone may register as an orderer
    post("orderers:profile", LOGGED_IN),
    # Vetting orderers: any coordinator of the network; an empty post decides nothing (400).
    get("orderers:waiting", COORDINATORS),
    post("orderers:decide", E(FORBIDDEN, coord_a=BAD, coord_b=BAD), pk="orderer_unverified_orderer"),
    post("orderers:decide", E(FORBIDDEN, coord_a=to("orderers:waiting"), coord_b=to("orderers:waiting")), pk="orderer_unverified_orderer", data={"decision": Raw("approve")}, variant="approve"),
    get("api:openapi-json", PUBLIC),
    get("api:openapi-view", PUBLIC),
    get("api:api-root", E(HIDDEN, anon=HIDDEN)),
    get("api_not_found", E(HIDDEN, anon=HIDDEN), rest=Raw("v2/experts")),
    # The expert's own pages; anyone logged in may apply to join.
    get("experts:apply", E(OK, applicant=to("experts:me"), expert=to("experts:me"), expert_b=to("experts:me"))),
    post("experts:apply", E(OK, applicant=to("experts:me"), expert=to("experts:me"), expert_b=to("experts:me"))),
    get("experts:me", EXPERTS_ELSE_APPLY),
    get("experts:edit", EXPERTS_ELSE_APPLY),
    post("experts:edit", EXPERTS_ELSE_APPLY),
    post("experts:break", E(TO_APPLY, applicant=to("experts:me"), expert=to("experts:me"), expert_b=to("experts:me"))),
    post("experts:apply_for_kind", E(TO_APPLY, applicant=to("experts:me"), expert=to("experts:me"), expert_b=to("experts:me"))),
    # Coordinators review the experts of their own organisation only.
    get("experts:review_list", COORDINATORS),
    get("experts:review_detail", E(HIDDEN, coord_a=OK), pk="expert_expert"),
    get("experts:review_detail", E(HIDDEN, coord_a=OK), pk="applicant_expert", variant="applicant"),
    get("experts:review_detail", E(HIDDEN, coord_b=OK), pk="expert_b_expert", variant="expert_b"),
    # An empty post decides nothing: the profile again (400) with what is missing.
    post("experts:review_training", E(HIDDEN, coord_a=BAD), pk="expert_expert", training_pk="expert_training"),
    # B's expert with A's expert's training record: B's coordinator must not reach it.
    post("experts:review_training", E(HIDDEN), pk="expert_b_expert", training_pk="expert_training", variant="mixed"),
    post("experts:decide_kind", E(HIDDEN, coord_a=BAD), pk="expert_expert", application_pk="expert_kind"),
    post("experts:decide_kind", E(HIDDEN), pk="expert_b_expert", application_pk="expert_kind", variant="mixed"),
    # The catalogue: public profiles, for orderers and coordinators.
    get("experts:catalogue", E(FORBIDDEN, orderer=OK, orderer_b=OK, coord_a=OK, coord_b=OK)),
    get("experts:public_detail", E(HIDDEN, orderer=OK, orderer_b=OK, coord_a=OK, coord_b=OK), pk="expert_expert"),
    get("experts:public_detail", E(HIDDEN), pk="applicant_expert", variant="applicant"),
    # Orders.
    get("orders:list", ORDERERS),
    get("orders:create", ORDERERS),
    post("orders:create", ORDERERS),  # step 1: an empty POST is shown again, lacking the title
    get("orders:inbox", COORDINATORS),
    get("orders:detail", E(HIDDEN, orderer=OK, coord_a=OK), pk=ORDER),
    get("orders:detail", E(HIDDEN, orderer_b=OK, coord_a=OK, coord_b=OK), pk="network_order", variant="network"),
    # A draft: the coordinators in charge can open it (see the report), only the orderer edits.
    get("orders:detail", E(HIDDEN, orderer=OK, coord_a=OK), pk="draft_order", variant="draft"),
    # The guided form: `edit` resumes a draft (these are complete: at the check page), each
    # step and the check page only for the orderer while the order is a draft.
    get("orders:edit", E(HIDDEN, orderer=FORBIDDEN, coord_a=FORBIDDEN), pk=ORDER),
    get("orders:edit", E(HIDDEN, orderer=to("orders:check", pk="draft_order"), coord_a=FORBIDDEN), pk="draft_order", variant="draft"),
    get("orders:form_step", E(HIDDEN, orderer=FORBIDDEN, coord_a=FORBIDDEN), pk=ORDER, section=Raw("what")),
    post("orders:form_step", E(HIDDEN, orderer=FORBIDDEN, coord_a=FORBIDDEN), pk=ORDER, section=Raw("fee")),
    get("orders:form_step", E(HIDDEN, orderer=OK, coord_a=FORBIDDEN), pk="draft_order", section=Raw("what"), variant="draft"),
    post("orders:form_step", E(HIDDEN, orderer=to("orders:form_step", pk="draft_order", section=Raw("debrief")), coord_a=FORBIDDEN), pk="draft_order", section=Raw("fee"), variant="draft"),
    get("orders:check", E(HIDDEN, orderer=FORBIDDEN, coord_a=FORBIDDEN), pk=ORDER),
    post("orders:check", E(HIDDEN, orderer=FORBIDDEN, coord_a=FORBIDDEN), pk=ORDER),
    get("orders:check", E(HIDDEN, orderer=OK, coord_a=FORBIDDEN), pk="draft_order", variant="draft"),
    post("orders:check", E(HIDDEN, orderer=to("orders:detail", pk="draft_order"), coord_a=FORBIDDEN), pk="draft_order", data={"submit": Raw("1")}, variant="draft"),
    # The unverified orderer's own draft: theirs to edit; sending is refused (see the API).
    get("orders:detail", E(HIDDEN, orderer_unverified=OK, coord_a=OK), pk="unverified_draft", variant="unverified"),
    get("orders:edit", E(HIDDEN, orderer_unverified=to("orders:check", pk="unverified_draft"), coord_a=FORBIDDEN), pk="unverified_draft", variant="unverified"),
    get("orders:check", E(HIDDEN, orderer_unverified=OK, coord_a=FORBIDDEN), pk="unverified_draft", variant="unverified"),
    post("orders:check", E(HIDDEN, orderer_unverified=BAD, coord_a=FORBIDDEN), pk="unverified_draft", data={"submit": Raw("1")}, variant="unverified"),
    # `close` is the coordinator's step; the orderer is refused it with a message on the page.
    post("orders:step", E(HIDDEN, orderer=to("orders:detail", pk=ORDER), coord_a=to("orders:detail", pk=ORDER)), pk=ORDER, step=Raw("close")),
    # Matching: the coordinators in charge (every organisation's for a network order).
    get("matching:order", E(HIDDEN, coord_a=OK, coord_b=OK), order_pk="network_order"),
    post("matching:order", E(HIDDEN, coord_a=OK, coord_b=OK), order_pk="network_order"),
    get("matching:order", E(HIDDEN, coord_a=OK), order_pk=ORDER, variant="own"),
    # Offers: the expert's own only.
    get("offers:mine", E(to("pages:dashboard"), applicant=OK, expert=OK, expert_b=OK)),
    get("offers:detail", E(HIDDEN, expert=OK), pk="offer"),
    post("offers:detail", E(HIDDEN, expert=OK), pk="offer"),
    get("offers:detail", E(HIDDEN, expert=OK), pk="open_offer", variant="open"),
    post("offers:decline", E(HIDDEN, expert=to("offers:mine")), pk="open_offer"),
    # Open calls: experts who may be offered the order answer; the coordinators in charge run it.
    get("opencalls:mine", E(to("pages:dashboard"), applicant=OK, expert=OK, expert_b=OK)),
    get("opencalls:detail", E(HIDDEN, expert=OK, expert_b=OK), pk="open_call"),
    post("opencalls:detail", E(HIDDEN, expert=to("opencalls:detail", pk="open_call"), expert_b=to("opencalls:detail", pk="open_call")), pk="open_call"),
    post("opencalls:withdraw", E(HIDDEN, expert=to("opencalls:detail", pk="open_call"), expert_b=to("opencalls:detail", pk="open_call")), pk="open_call"),
    get("opencalls:publish", E(HIDDEN, coord_a=OK, coord_b=OK), order_pk="call_order"),
    post("opencalls:publish", E(HIDDEN, coord_a=BAD, coord_b=BAD), order_pk="call_order"),
    get("opencalls:manage", E(HIDDEN, coord_a=OK, coord_b=OK), pk="open_call"),
    post("opencalls:manage", E(HIDDEN, coord_a=BAD, coord_b=BAD), pk="open_call"),
    get("commitments:texts", COORDINATORS),
    post("commitments:texts", E(FORBIDDEN, coord_a=BAD, coord_b=BAD)),
    get("commitments:sign", E(to("pages:dashboard"), applicant=OK, expert=OK, expert_b=OK)),
    post("commitments:sign", E(to("pages:dashboard"), applicant=OK, expert=OK, expert_b=OK)),
    get("commitments:programme", E(HIDDEN, coord_a=OK), pk="expert_expert"),
    post("commitments:programme", E(HIDDEN, coord_a=BAD), pk="expert_expert"),
    get("series:set_up", E(HIDDEN, orderer=OK, coord_a=OK), order_pk="plannable_order"),
    post("series:set_up", E(HIDDEN, orderer=BAD, coord_a=BAD), order_pk="plannable_order"),
    get("series:detail", E(HIDDEN, orderer=OK, coord_a=OK), pk="series"),
    post("series:cancel_meeting", E(HIDDEN, orderer=BAD, coord_a=BAD), pk="series_meeting"),
    get("series:attendance", E(HIDDEN, orderer=OK, coord_a=OK), pk="series_meeting"),
    post("series:attendance", E(HIDDEN, orderer=BAD, coord_a=BAD), pk="series_meeting"),
    # A series' fee record: the coordinators of the expert's organisation (A), as a fee record.
    post("series:approve_fee", E(HIDDEN, coord_a=to("fees:list")), pk="series_fee"),
    post("series:fee_paid", E(HIDDEN, coord_a=to("fees:list")), pk="series_fee"),
    post("opencalls:close", E(HIDDEN, coord_a=to("opencalls:manage", pk="open_call"), coord_b=to("opencalls:manage", pk="open_call")), pk="open_call"),
    # Requirements: the coordinators in charge set an order's; the expert's own record theirs.
    get("requirements:order", E(HIDDEN, coord_a=OK, coord_b=OK, orderer_b=FORBIDDEN), order_pk="call_order"),
    post("requirements:order", E(HIDDEN, coord_a=to("orders:detail", pk="call_order"), coord_b=to("orders:detail", pk="call_order"), orderer_b=FORBIDDEN), order_pk="call_order"),
    get("requirements:expert", E(HIDDEN, coord_a=OK), expert_pk="expert_expert"),
    post("requirements:expert", E(HIDDEN, coord_a=BAD), expert_pk="expert_expert"),
    post("requirements:remove", E(HIDDEN, coord_a=to("requirements:expert", expert_pk="expert_expert")), expert_pk="expert_expert", pk="qualification"),
    # Agreements: the two parties and the coordinators of the expert's organisation.
    get("agreements:mine", LOGGED_IN),
    get("agreements:detail", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), contact=PARTIES, pk="agreement"),
    post("agreements:accept", E(HIDDEN, expert=to("agreements:detail", pk="agreement"), orderer=to("agreements:detail", pk="agreement"), coord_a=to("agreements:detail", pk="agreement")), pk="agreement"),
    post("agreements:cancel", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), contact=PARTIES, pk="agreement"),
    # The representative assignment has taken place: the coordinator is sent back with a message.
    get("agreements:amend", E(HIDDEN, expert=FORBIDDEN, orderer=FORBIDDEN, coord_a=to("agreements:detail", pk="agreement")), pk="agreement"),
    post("agreements:amend", E(HIDDEN, expert=FORBIDDEN, orderer=FORBIDDEN, coord_a=to("agreements:detail", pk="agreement")), pk="agreement"),
    *[get("agreements:pdf", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), contact=PARTIES, pk="agreement", url_language=language, variant=language) for language in ("fi", "sv", "en")],
    get("agreements:kept_copy", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), contact=PARTIES, pk="agreement", version=Raw(1), language=Raw("fi")),
    get("agreements:ics", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), contact=PARTIES, pk="agreement"),
    # Fees: the expert's own, and the coordinators of the record's organisation.
    get("fees:list", COORDINATORS),
    get("fees:overdue", COORDINATORS),
    get("fees:export", COORDINATORS),
    get("fees:export_xlsx", COORDINATORS),
    get("fees:mine", E(FORBIDDEN, applicant=OK, expert=OK, expert_b=OK)),
    # Without PERSONAL_ID_KEY the identity code page sends the expert back to their fees.
    get("fees:identity_code", E(FORBIDDEN, applicant=to("fees:mine"), expert=to("fees:mine"), expert_b=to("fees:mine"))),
    post("fees:identity_code", E(FORBIDDEN, applicant=to("fees:mine"), expert=to("fees:mine"), expert_b=to("fees:mine"))),
    post("fees:approve", E(HIDDEN, coord_a=to("fees:list")), pk="fee_record"),
    post("fees:paid", E(HIDDEN, coord_a=to("fees:list")), pk="fee_record"),
    get("fees:expenses", E(HIDDEN, expert=OK, coord_a=OK), pk="fee_record"),
    # An empty post records no expenses (every kind 0) and goes back to the list.
    post("fees:expenses", E(HIDDEN, expert=to("fees:mine"), coord_a=to("fees:list")), pk="fee_record"),
    # Fee schedules: public figures, kept by each organisation's own coordinators.
    get("fees:schedule", COORDINATORS),
    get("fees:schedule_add", COORDINATORS),
    post("fees:schedule_add", E(FORBIDDEN, coord_a=BAD, coord_b=BAD)),
    get("fees:schedule_edit", E(HIDDEN, coord_a=OK), pk="fee_row"),
    post("fees:schedule_edit", E(HIDDEN, coord_a=BAD), pk="fee_row"),
    # Follow-up. The orderer sees that the debrief was held, never what the expert felt.
    get("followup:planning", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), order_pk=ORDER),
    post("followup:planning", E(HIDDEN, expert=FORBIDDEN, orderer=OK, coord_a=OK), order_pk=ORDER),
    get("followup:planning", E(HIDDEN, orderer_b=OK, coord_a=OK, coord_b=OK), order_pk="network_order", variant="network"),
    get("followup:debrief", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), order_pk=ORDER, expert_pk="expert_expert"),
    post("followup:debrief", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), order_pk=ORDER, expert_pk="expert_expert"),
    get("followup:feedback", E(HIDDEN, expert=OK, orderer=OK), order_pk=ORDER, expert_pk="expert_expert"),
    # Both have given their feedback already: sent back to read it.
    post("followup:feedback", E(HIDDEN, expert=to("followup:feedback", order_pk=ORDER, expert_pk="expert_expert"), orderer=to("followup:feedback", order_pk=ORDER, expert_pk="expert_expert")), order_pk=ORDER, expert_pk="expert_expert"),
    get("followup:summary", COORDINATORS),
    get("followup:support", COORDINATORS),
    # Reports: counts and sums, never a person: coordinators for their own organisations, the
    # network administrator for all, verified orderers for their own organisation's orders.
    get("reports:index", REPORT_READERS),
    get("reports:export_csv", REPORT_READERS),
    get("reports:export_xlsx", REPORT_READERS),
    get("reports:summary_pdf", REPORT_READERS),
    post("followup:support", E(FORBIDDEN, coord_a=to("followup:support"), coord_b=HIDDEN), data={"debrief": "debrief"}),
    # Messages. The order's own thread: its orderer and the coordinators in charge. An expert's
    # thread: the coordinators in charge and the expert once offered; the orderer only with an
    # agreement, and then not what was written before it (the expert's marker on `order`).
    get("conversations:order_thread", E(HIDDEN, orderer=OK, coord_a=OK), order_pk=ORDER),
    post("conversations:order_thread", E(HIDDEN, orderer=BAD, coord_a=BAD), order_pk=ORDER),
    post("conversations:order_thread", E(HIDDEN, orderer=to("orders:detail", pk=ORDER), coord_a=to("orders:detail", pk=ORDER)), order_pk=ORDER, data={"body": Raw("Hello"), "back": Raw("order")}, variant="written"),
    get("conversations:order_thread", E(HIDDEN, orderer_b=OK, coord_a=OK, coord_b=OK), order_pk="network_order", variant="network"),
    get("conversations:expert_thread", E(HIDDEN, expert=OK, orderer=OK, coord_a=OK), order_pk=ORDER, expert_pk="expert_expert"),
    post("conversations:expert_thread", E(HIDDEN, expert=BAD, orderer=BAD, coord_a=BAD), order_pk=ORDER, expert_pk="expert_expert"),
    get("conversations:expert_thread", E(HIDDEN, expert=OK, coord_a=OK, coord_b=OK), order_pk="network_order", expert_pk="expert_expert", variant="network"),
    post("conversations:expert_thread", E(HIDDEN, expert=to("offers:detail", pk="open_offer"), coord_a=to("conversations:expert_thread", order_pk="network_order", expert_pk="expert_expert"), coord_b=to("conversations:expert_thread", order_pk="network_order", expert_pk="expert_expert")), order_pk="network_order", expert_pk="expert_expert", data={"body": Raw("Hello"), "back": Raw("offer")}, variant="network-written"),
    # Never offered the order: no thread for anyone.
    get("conversations:expert_thread", E(HIDDEN), order_pk=ORDER, expert_pk="expert_b_expert", variant="not-offered"),
    # The audit log: coordinators, each seeing their own organisations' events.
    get("audit:log", COORDINATORS),
    # Outgoing e-mails: coordinators see those to their experts, to the orderers of their
    # orders and to their colleagues; the administrator sees all, addresses included (as in
    # the Django admin), never a sensitive e-mail's content.
    get("notifications:outbox", E(FORBIDDEN, coord_a=OK, coord_b=OK, admin=OK), contact=(ADMIN,)),
    get("notifications:email", E(HIDDEN, coord_a=OK, admin=OK), contact=(ADMIN,), pk="email_expert"),
    get("notifications:email", E(HIDDEN, coord_a=OK, coord_b=OK, admin=OK), contact=(ADMIN,), pk="email_network", variant="network"),
    get("notifications:email", E(HIDDEN, coord_b=OK, admin=OK), contact=(ADMIN,), pk="email_expert_b", variant="sensitive"),
    post("notifications:retry", E(HIDDEN, coord_a=to("notifications:email", pk="email_expert"), admin=to("notifications:email", pk="email_expert")), pk="email_expert"),
    post("notifications:retry", E(HIDDEN, coord_b=to("notifications:email", pk="email_expert_b"), admin=to("notifications:email", pk="email_expert_b")), pk="email_expert_b", variant="sensitive"),
    get("notifications:email", E(HIDDEN, coord_a=OK, admin=OK), contact=(ADMIN,), pk="email_sent", variant="sent"),
    post("notifications:resend", E(HIDDEN, coord_a=to("notifications:email", pk="email_sent"), admin=to("notifications:email", pk="email_sent")), pk="email_sent"),
    # A sensitive e-mail is never copied (and B's coordinator may not even see A's).
    post("notifications:resend", E(HIDDEN, coord_b=to("notifications:email", pk="email_expert_b"), admin=to("notifications:email", pk="email_expert_b")), pk="email_expert_b", variant="sensitive"),
    # Personal data: everyone's own; an expert's, for the coordinators of their organisation.
    get("privacy:my_data", LOGGED_IN),
    get("privacy:my_data_download", LOGGED_IN),
    get("privacy:erase_me", LOGGED_IN),
    # Empty form: 200 with errors; 409 for those whose account cannot be erased now
    # (coordinators, administrators, orderers with orders past drafts). A network
    # administrator may be erased: the role ends with the account.
    post("privacy:erase_me", E(CONFLICT, applicant=OK, expert=OK, expert_b=OK, orderer_unverified=OK, network_admin=OK)),
    get("privacy:erased", PUBLIC),
    get("privacy:expert_data", E(HIDDEN, coord_a=OK), pk="expert_expert"),
    get("privacy:expert_data", E(HIDDEN, coord_a=OK), pk="applicant_expert", variant="applicant"),
    get("privacy:expert_data_download", E(HIDDEN, coord_a=OK), pk="expert_expert"),
    get("privacy:erase_expert", E(HIDDEN, coord_a=OK), pk="expert_expert"),
    post("privacy:erase_expert", E(HIDDEN, coord_a=OK), pk="expert_expert"),
]
# fmt: on


def _page_param(page, role):
    return pytest.param(page, role, id=f"{page.id}-{role}")


# The world ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, inside a transaction that is rolled back when the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with translation.override("en"):
                built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _log_in(client, world, role):
    if role != ANON:
        client.force_login(User.objects.get(pk=world.users[role]))


# What a body may show -------------------------------------------------------------------------


def _text(response) -> str:
    """The body as lower-case text; a PDF's text is extracted (pypdf), its metadata kept."""
    body = response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(body))
        parts = [str(dict(reader.metadata or {}))]
        parts += [page.extract_text() for page in reader.pages]
        return "\n".join(parts).lower()
    return body.decode("utf-8", "replace").lower()


def _may_see(world, role, marker, contact) -> bool:
    if role == marker.owner or role in marker.readers:
        return True
    if role == ADMIN and ADMIN in contact:  # a page that shows the administrator addresses
        return marker.level == CONTACT
    return role in contact and marker.level == CONTACT and marker.owner == world.partners.get(role)


def _leaks(world, response, role, *, denied, contact=frozenset()):
    text = _text(response)
    return sorted(
        f"{marker.text} ({marker.level} of {marker.owner})"
        for marker in world.markers
        if marker.text.lower() in text and (denied or not _may_see(world, role, marker, contact))
    )


def _check_status(response, expected, world, url):
    status = response.status_code
    if expected == LOGIN:
        assert status == 302, f"expected a redirect to the login page, got {status}"
        location = urlsplit(response["Location"])
        assert resolve(location.path).view_name == "account_login", response["Location"]
        assert parse_qs(location.query).get("next") == [url], response["Location"]
    elif isinstance(expected, To):
        assert status == 302, f"expected a redirect to {expected.target}, got {status}"
        target = expected.target
        if not target.startswith("/"):
            target = reverse(target, kwargs=_resolve(world, dict(expected.kwargs)))
        assert urlsplit(response["Location"]).path == target, response["Location"]
    else:
        location = f" to {response['Location']}" if status in (301, 302) else ""
        assert status == expected, f"expected {expected}, got {status}{location}"


# The pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "role"), [_page_param(p, r) for p in PAGES for r in ROLES])
def test_page(page, role, world, client):
    _log_in(client, world, role)
    with translation.override(page.url_language) if page.url_language else nullcontext():
        url = reverse(page.name, kwargs=_resolve(world, page.kwargs))
    if page.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, _resolve(world, page.data))
    expected = page.expect[role]
    _check_status(response, expected, world, url)
    leaked = _leaks(world, response, role, denied=expected in DENIED, contact=page.contact)
    assert not leaked, f"{url} shows {role} what is not theirs to see: {leaked}"


# The JSON API ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as in the OpenAPI schema
    expect: dict
    params: dict = field(default_factory=dict)
    body: dict | None = None
    variant: str = ""

    @property
    def id(self):
        return f"{self.method.upper()} {self.path}{f'[{self.variant}]' if self.variant else ''}"


def A(other, **allowed):
    """API outcomes: anonymous callers get 401."""
    return E(other, anon=UNAUTHENTICATED, **allowed)


def api_get(path, expect, *, variant="", **params):
    return Endpoint("get", path, expect, params, None, variant)


def api_post(path, expect, *, body=None, variant="", **params):
    return Endpoint("post", path, expect, params, body or {}, variant)


V1 = "/api/v1"
API_CATALOGUE = {ORDERER: OK, ORDERER_B: OK, COORD_A: OK, COORD_B: OK}

# fmt: off
API = [
    api_get(f"{V1}/task-types", E(OK, anon=OK)),
    api_get(f"{V1}/experts", A(FORBIDDEN, **API_CATALOGUE)),
    api_get(f"{V1}/experts/{{expert_id}}", A(HIDDEN, **API_CATALOGUE), expert_id="expert_expert"),
    api_get(f"{V1}/experts/{{expert_id}}", A(HIDDEN), expert_id="applicant_expert", variant="applicant"),
    api_get(f"{V1}/orders", A(FORBIDDEN, orderer=OK, orderer_b=OK, orderer_unverified=OK, coord_a=OK, coord_b=OK)),
    api_get(f"{V1}/reports", A(FORBIDDEN, orderer=OK, orderer_b=OK, coord_a=OK, coord_b=OK, network_admin=OK)),
    api_post(f"{V1}/orders", A(FORBIDDEN, orderer=CREATED, orderer_b=CREATED, orderer_unverified=CREATED), body={"title": "Matrix API draft"}),
    api_get(f"{V1}/orders/{{order_id}}", A(HIDDEN, orderer=OK, coord_a=OK), order_id=ORDER),
    api_get(f"{V1}/orders/{{order_id}}", A(HIDDEN, orderer_b=OK, coord_a=OK, coord_b=OK), order_id="network_order", variant="network"),
    # Debriefed: its state allows no sending (409); a draft: only its orderer sends it (403).
    api_post(f"{V1}/orders/{{order_id}}/submit", A(HIDDEN, orderer=CONFLICT, coord_a=CONFLICT), order_id=ORDER),
    api_post(f"{V1}/orders/{{order_id}}/submit", A(HIDDEN, orderer=OK, coord_a=FORBIDDEN), order_id="draft_order", variant="draft"),
    # Complete, but its orderer is not verified yet: refused with a reason (400).
    api_post(f"{V1}/orders/{{order_id}}/submit", A(HIDDEN, orderer_unverified=BAD, coord_a=FORBIDDEN), order_id="unverified_draft", variant="unverified"),
    api_get(f"{V1}/orders/{{order_id}}", A(HIDDEN, orderer_unverified=OK, coord_a=OK), order_id="unverified_draft", variant="unverified"),
    api_get(f"{V1}/offers", A(FORBIDDEN, applicant=OK, expert=OK, expert_b=OK)),
]
# fmt: on


@pytest.mark.parametrize(
    ("endpoint", "role"),
    [pytest.param(e, r, id=f"{e.id}-{r}") for e in API for r in ROLES],
)
def test_api(endpoint, role, world, client):
    _log_in(client, world, role)
    path = endpoint.path.format(**_resolve(world, endpoint.params))
    if endpoint.method == "get":
        response = client.get(path)
    else:
        response = client.generic(
            endpoint.method.upper(),
            path,
            data=json.dumps(endpoint.body),
            content_type="application/json",
        )
    expected = endpoint.expect[role]
    assert response.status_code == expected, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    denied = expected in DENIED
    if denied:
        assert set(response.json()) == {"errors"}
    leaked = _leaks(world, response, role, denied=denied)
    assert not leaked, f"{path} shows {role} what is not theirs to see: {leaked}"


# Completeness ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced, e.g. "orders:detail"; None for an unnamed pattern
    route: str
    namespaces: tuple
    module: str  # of the view


def _walk(resolver, namespaces=(), prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern, inner, prefix + str(pattern.pattern))
        else:
            name = ":".join(namespaces + (pattern.name,)) if pattern.name else None
            module = getattr(pattern.callback, "__module__", "") or ""
            yield Route(name, prefix + str(pattern.pattern), namespaces, module)


def all_routes() -> list[Route]:
    """Every URL pattern of the project, recursing into includes (and i18n_patterns)."""
    return list(_walk(get_resolver()))


def _is_admin(route):
    return route.namespaces[:1] == ("admin",)


def _is_allauth(route):
    return not route.namespaces and route.module.startswith("allauth.")


def _openapi_path(route):
    """api/v1/experts/<expert_id> -> /api/v1/experts/{expert_id}"""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.route)


def test_every_url_is_in_the_matrix():
    in_table = {page.name for page in PAGES}
    api_paths = {endpoint.path for endpoint in API}
    schema_paths = set(api.get_openapi_schema()["paths"])
    missing, missing_api, unnamed = set(), set(), set()
    for route in all_routes():
        if _is_admin(route) or _is_allauth(route):
            continue  # checked as groups below
        if route.name is None:
            unnamed.add(route.route)
        elif route.name in in_table:
            continue
        elif _openapi_path(route) in schema_paths:  # an API endpoint: see API
            if _openapi_path(route) not in api_paths:
                missing_api.add(_openapi_path(route))
        else:
            missing.add(route.name)
    assert not missing, f"URLs missing from the authorisation matrix (PAGES): {sorted(missing)}"
    assert not missing_api, f"API endpoints missing from the matrix (API): {sorted(missing_api)}"
    assert not unnamed, f"Unnamed URL patterns (name them and add them to PAGES): {unnamed}"


def test_every_api_endpoint_is_in_the_matrix():
    in_table = {(endpoint.method, endpoint.path) for endpoint in API}
    schema = api.get_openapi_schema()
    in_api = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    missing = in_api - in_table
    assert not missing, f"API endpoints missing from the authorisation matrix: {sorted(missing)}"
    assert not in_table - in_api, f"No longer in the API: {sorted(in_table - in_api)}"


def test_the_table_names_real_urls():
    names = {route.name for route in all_routes()}
    assert not {page.name for page in PAGES} - names
    ids = [page.id for page in PAGES] + [endpoint.id for endpoint in API]
    assert len(ids) == len(set(ids)), "two rows with the same id: give one a variant"


# allauth: the user's own account pages --------------------------------------------------------

ALLAUTH_KWARGS = {"key": "matrix-key", "uidb36": "0"}
ROUTES = {route.name: route for route in all_routes() if route.name}
ALLAUTH = sorted(name for name, route in ROUTES.items() if _is_allauth(route))


@pytest.mark.parametrize(
    ("name", "role"), [pytest.param(n, r, id=f"{n}-{r}") for n in ALLAUTH for r in ROLES]
)
def test_allauth_page(name, role, world, client):
    """Public or own-account pages: never an error, never anyone else's data."""
    _log_in(client, world, role)
    route = ROUTES[name]
    kwargs = {
        k: v
        for k, v in ALLAUTH_KWARGS.items()
        if re.search(rf"<{k}>|<\w+:{k}>|\(\?P<{k}>", route.route)
    }
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    allowed = (200, 302) if role == ANON else (200, 302, 404, 405)
    if name == "socialaccount_login_error":
        allowed = (401,)  # allauth's "the sign-in through a provider failed" page, by design
    assert response.status_code in allowed
    if role == ANON and response.status_code == 302:
        # Pages for logged-in users send anonymous visitors to log in (or to another public
        # allauth page, or the home page), never into the service.
        path = urlsplit(response["Location"]).path
        assert path == "/" or resolve(path).view_name.startswith("account_"), path
    text = _text(response)
    others = [m.text for m in world.markers if m.owner != role and m.text.lower() in text]
    assert not others


# The Django admin: the administrator only, and no experience data even there ------------------

# The representative object of each admin model (others: their first row, if any).
ADMIN_OBJECTS = {
    "experts_expert": "expert_expert",
    "accounts_user": "orderer_user",
    "orderers_orderer": "orderer_orderer",
    "organisations_organisation": "org_a",
    "taxonomy_experiencearea": "expert_area",
    "taxonomy_topic": "expert_not_now",
}
ADMIN_URLS = sorted(name for name, route in ROUTES.items() if _is_admin(route))


def _admin_models():
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def _admin_kwargs(name, world):
    short = name.split(":", 1)[1]
    if short == "app_list":
        return {"app_label": "experts"}
    if short == "view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(Expert).pk,
            "object_id": world["expert_expert"],
        }
    if short in ("auth_user_password_change", "accounts_user_password_change"):
        return {"id": world["orderer_user"]}
    match = re.fullmatch(r"(.+)_(change|delete|history)", short)
    if match and match[1] in _admin_models():
        key = match[1]
        if key in ADMIN_OBJECTS:
            return {"object_id": world[ADMIN_OBJECTS[key]]}
        first = _admin_models()[key]._default_manager.order_by("pk").first()
        return {"object_id": first.pk if first else 0}
    return {}


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_admin_page_for_the_administrator(name, world, client):
    _log_in(client, world, ADMIN)
    response = client.get(reverse(name, kwargs=_admin_kwargs(name, world)))
    short = name.split(":", 1)[1]
    key = re.sub(r"_(change|history|changelist)$", "", short)
    must_open = short in ("index", "app_list") or short.endswith("_changelist")
    must_open |= short.endswith(("_change", "_history")) and key in ADMIN_OBJECTS
    if must_open:
        assert response.status_code == 200
    else:
        assert response.status_code < 500
    # The administrator runs the installation: orderers' names and e-mail addresses, yes;
    # anything of an expert's (name, contact, experience, health, training, fees), no.
    # Vocabulary is the administrator's to edit.
    taxonomy = short.startswith("taxonomy_")
    text = _text(response)
    shown = [
        m.text
        for m in world.markers
        if (m.level != CONTACT or m.owner in EXPERT_ROLES)
        and not (taxonomy and m.vocabulary)
        and m.text.lower() in text
    ]
    assert not shown


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_admin_page_for_everyone_else(name, world, client):
    """The admin is the administrator's: all other roles are sent to the admin login (a group
    check: one test per URL goes through the eight other roles)."""
    url = reverse(name, kwargs=_admin_kwargs(name, world))
    for role in ROLES:
        if role == ADMIN:
            continue
        client.logout()
        _log_in(client, world, role)
        response = client.get(url)
        status = response.status_code
        where = f"{role}: {status} {response.get('Location', '')}"
        if name == "admin:login":
            # Through allauth: anonymous visitors to its login page, the others refused.
            if role == ANON:
                path = urlsplit(response["Location"]).path
                assert status == 302 and resolve(path).view_name == "account_login", where
            else:
                assert status == FORBIDDEN, where
        elif name == "admin:logout":
            assert status == 302, where
            assert urlsplit(response["Location"]).path == reverse("admin:index"), where
        else:
            assert status == 302, where
            location = urlsplit(response["Location"])
            assert location.path == reverse("admin:login"), where
            assert parse_qs(location.query).get("next") == [url], where
        assert not _leaks(world, response, role, denied=True), where


# The markers do reach the pages that may show them (else the matrix would prove nothing) ------


def _body(client, world, role, name, **kwargs):
    client.logout()
    _log_in(client, world, role)
    response = client.get(reverse(name, kwargs=_resolve(world, kwargs)))
    assert response.status_code == 200
    return _text(response)


def test_the_markers_are_shown_where_they_may_be(world, client):
    coordinator = _body(client, world, COORD_A, "experts:review_detail", pk="expert_expert")
    for part in ("FIRST", "LAST", "PHONE", "MUNICIPALITY", "STORY", "AREA", "NOTNOW", "TRAINING"):
        assert f"mxq-{part}-expa".lower() in coordinator, part
    debrief = _body(
        client, world, COORD_A, "followup:debrief", order_pk=ORDER, expert_pk="expert_expert"
    )
    assert "mxq-feelings-expa" in debrief and "mxq-evaluation-expa" in debrief
    assert SUPPORT_WISH.lower() in debrief
    agreement = _body(client, world, ORDERER, "agreements:detail", pk="agreement")
    assert "mxq-first-expa" in agreement and "mxq-last-expa" in agreement
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            pdf = _body(client, world, ORDERER, "agreements:pdf", pk="agreement")
        assert "mxq-last-expa" in pdf, language
    kept = _body(
        client,
        world,
        EXPERT,
        "agreements:kept_copy",
        pk="agreement",
        version=Raw(1),
        language=Raw("fi"),
    )
    assert "mxq-last-expa" in kept
    assert "mxq-phone-orda" in _body(client, world, EXPERT, "agreements:detail", pk="agreement")
    assert "mxq-expenses-expa" in _body(client, world, COORD_A, "fees:expenses", pk="fee_record")
    # The public name is shown where the private data must not be: the expert is there.
    for role, name, kwargs in [
        (ORDERER, "experts:catalogue", {}),
        (ORDERER_B, "experts:public_detail", {"pk": "expert_expert"}),
        (COORD_B, "matching:order", {"order_pk": "network_order"}),
        (COORD_B, "orders:detail", {"pk": "network_order"}),
        (ORDERER, "followup:debrief", {"order_pk": ORDER, "expert_pk": "expert_expert"}),
    ]:
        assert "pseudonym expa" in _body(client, world, role, name, **kwargs), name
    assert "mxq-first-expb" in _body(
        client, world, COORD_B, "matching:order", order_pk="network_order"
    )


def test_the_admin_holds_no_fee_records_and_no_experts_accounts(world, client):
    """Fee records and experts' accounts are not admin material (SECURITY.md); the orderers'
    accounts are, so the pages are not simply empty."""
    from kokemustori.fees.models import FeeRecord

    assert FeeRecord not in admin.site._registry
    _log_in(client, world, ADMIN)
    users = _text(client.get(reverse("admin:accounts_user_changelist")))
    assert "mxq-mail-orda@example.org" in users
    for expert_role in ("expa", "expb", "appl"):
        assert f"mxq-mail-{expert_role}" not in users
    searched = client.get(reverse("admin:accounts_user_changelist"), {"q": "mxq-mail-expa"})
    assert searched.context["cl"].result_count == 0
    change = client.get(reverse("admin:accounts_user_change", args=[world["expert_user"]]))
    assert change.status_code == 302  # "does not exist" for the admin
    experts = _text(client.get(reverse("admin:experts_expert_changelist")))
    assert "pseudonym expa" not in experts and "mxq" not in experts
    assert str(world["expert_expert"]) in experts  # listed by number
