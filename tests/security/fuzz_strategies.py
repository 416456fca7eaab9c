"""Hostile input for the fuzz tests (tests/security/test_fuzz_forms.py, tests/security/test_fuzz_api.py), and the
checks every fuzzed response must pass.

Strategies: hostile text (huge strings, unicode of every awkward kind, NUL and other control
characters, lone surrogates, HTML and script, SQL fragments, template syntax), wrong types as
the strings a form receives, and JSON values of every type for the API.

Checks: never a 5xx and never an exception swallowed by the test client; HTML never carries
hostile markup unescaped; nothing is half-saved (model counts and the watched objects' fields
are the same after a refused request).

How many examples: a quick run by default (the whole fuzz suite stays well under 90 s on
SQLite); `HYPOTHESIS_PROFILE=ci` runs ten times as many, and `KFUZZ_EXAMPLES=N` sets each
test's count to N.
"""

import html
import json
import os
import traceback
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property, wraps
from urllib.parse import quote_plus

from django.apps import apps
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# How many examples -------------------------------------------------------------------------

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "")
SCALE = 10 if PROFILE == "ci" else 1


def fuzz_settings(examples: int):
    """Settings for one fuzz test: `examples` scaled by the profile, no deadline (a request
    with a 100k-character field takes its time), and no complaint about the function-scoped
    fixtures: they hold the objects every example works on, and each example runs in a
    savepoint that is rolled back (see `rolled_back`)."""
    fixed = os.environ.get("KFUZZ_EXAMPLES")
    return settings(
        max_examples=int(fixed) if fixed else examples * SCALE,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
        print_blob=True,
    )


# Hostile text ------------------------------------------------------------------------------

# Markup that would run if a page printed it unescaped. `UNESCAPED_MARKERS` are the pieces
# that can only appear in a body when one of these was printed raw.
XSS = (
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)" x="',
    "' autofocus onfocus='alert(1)' x='",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
)
UNESCAPED_MARKERS = (
    "<script>alert(1)",
    "<img src=x onerror=",
    'autofocus onfocus="alert(1)"',
    "autofocus onfocus='alert(1)'",
    "<svg/onload=",
    'href="javascript:',
    "href='javascript:",
)
SQL = (
    "'; DROP TABLE experts_expert; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5); --",
    "' UNION SELECT password, email FROM accounts_user --",
    "%",
    "_",
    "\\",
    "%%s",
)
TEMPLATE = (
    "{{ request.user.password }}",
    "{% debug %}",
    "{{ 7|add:7 }}",
    "${7*7}",
    "{# hidden #}",
    "%(name)s",
    "{0}",
)
UNICODE = (
    "\u202eevil\u202c",
    "שלום עולם",
    "مرحبا بالعالم",
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "Z\u0334\u0321\u032a\u0344a\u0335l\u0337g\u0338o\u0336",
    "\u200b\u200c\u200d\ufeff",
    "\ufffe\uffff",
    "𝕳𝖊𝖑𝖑𝖔",
    "ｆｕｌｌｗｉｄｔｈ",
    "İı ß ǅ",
    "Ⅻ ١٢٣ ๔",
    "Äiti ja Åsa",
)
CONTROL = (
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\nSet-Cookie: x=1",
    "line\rbreak",
    "\u2028\u2029",
    "\x85",
    "\t\v\f",
)
# Lone surrogates: a form receives them as the bytes their UTF-8 "surrogatepass" encoding
# gives (which Django decodes to U+FFFD); JSON can carry them as \ud800 escapes.
SURROGATES = ("\ud800", "a\udfffb", "\udbff")
WRONG_TYPES = (
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "-Infinity",
    "99999999999999999999999999999",
    "-99999999999999999999999999999",
    "1.5",
    "0x10",
    "1_000",
    "١٢٣",
    "true",
    "false",
    "null",
    "None",
    "[]",
    "{}",
    "[1, 2]",
    '{"a": {"b": null}}',
    "2026-13-45",
    "31.12.2026",
    "0001-01-01T00:00",
    "0001-01-01",
    "9999-12-31T23:59",
    "9999-12-31",
    "2026-02-30T25:61",
    "0000-00-00",
    "1970-01-01T00:00",
    " ",
    "",
)
FIXED = XSS + SQL + TEMPLATE + UNICODE + CONTROL + SURROGATES + WRONG_TYPES
# What a valid text field may hold and still be hostile: no NUL (refused by every form),
# short enough for any field.
VALID_HOSTILE = tuple(
    t for t in XSS + SQL + TEMPLATE + UNICODE + ("line\rbreak", "\t tab") if t.strip()
)


def long_text():
    """10k to 100k characters: one hostile piece repeated."""
    return st.builds(
        lambda piece, size: (piece * (size // len(piece) + 1))[:size],
        st.sampled_from(("A", "é", "<script>alert(1)</script>", "\x00", "👩‍👩‍👧‍👦", "' OR 1=1 --")),
        st.sampled_from((10_001, 50_000, 100_000)),
    )


def hostile_text():
    """Each kind of hostility about equally often; NUL (which PostgreSQL refuses) in plenty."""
    fixed = st.one_of(
        *(st.sampled_from(group) for group in (XSS, SQL, TEMPLATE, UNICODE, CONTROL, SURROGATES))
    )
    return st.one_of(
        fixed,
        st.sampled_from(WRONG_TYPES),
        st.text(max_size=30),
        st.text(max_size=20).map(lambda t: f"{t}\x00{t}"),
        st.lists(st.one_of(fixed, st.text(max_size=8)), min_size=2, max_size=4).map("".join),
        long_text(),
    )


def valid_text(max_length=200, required=False):
    """Text a form accepts, often hostile markup or unicode that must come out escaped."""
    plain = st.text(
        alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
    )
    options = st.one_of(
        st.sampled_from(VALID_HOSTILE),
        plain,
        st.lists(st.sampled_from(VALID_HOSTILE), min_size=2, max_size=3).map(" ".join),
    )
    text = options.filter(lambda t: len(t) <= max_length and (t.strip() or not required))
    return text if required else st.one_of(st.just(""), text)


def number_text():
    return st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(str),
        st.sampled_from(WRONG_TYPES),
    )


# Dates at the edges: the first and last the datetime type holds, a leap day that is not, a
# local time that does not exist (the spring DST gap in Helsinki) and one that exists twice.
DATE_EDGES = (
    "0001-01-01T00:00",
    "0001-01-01",
    "0001-01-01 00:00",
    "1.1.0001 0:00",
    "9999-12-31T23:59",
    "9999-12-31",
    "31.12.9999 23:59",
    "1900-01-01T00:00",
    "2027-02-29T12:00",
    "2027-03-28T03:30",
    "2027-10-31T03:30",
    "2026-06-01T12:00+14:00",
    "2026-06-01T12:00:00.123456Z",
)


def date_text():
    moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
    return st.one_of(
        st.sampled_from(DATE_EDGES),
        moments.map(
            lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}"
        ),
        moments.map(lambda d: f"{d.day}.{d.month}.{d.year} {d.hour}:{d.minute:02d}"),
        moments.map(lambda d: d.isoformat()),
        st.sampled_from(WRONG_TYPES),
    )


def form_value():
    """Anything a hostile client can put in one form field: text, a number, a date, or
    several values for a field that takes one."""
    one = st.one_of(hostile_text(), number_text(), date_text())
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def extra_fields():
    """Fields the form does not have, some named like Django's own internals."""
    names = st.one_of(
        st.sampled_from(
            (
                "id",
                "pk",
                "user",
                "status",
                "state",
                "is_staff",
                "is_superuser",
                "expert",
                "orderer",
                "seats_taken",
                "csrfmiddlewaretoken",
                "__proto__",
                "a[b]",
                "training-TOTAL_FORMS",
            )
        ),
        st.text(min_size=1, max_size=10),
    )
    return st.dictionaries(names, form_value(), max_size=3)


# JSON --------------------------------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from((2**63, -(2**63) - 1, 10**30, -1, 0)),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text(),
)


def json_value():
    """Any JSON value, including NaN and Infinity (which Python's json module emits and
    accepts), nested lists and objects."""
    return st.recursive(
        JSON_SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.text(max_size=6), children, max_size=3),
        ),
        max_leaves=6,
    )


def to_json(value) -> bytes:
    """JSON as a client sends it; lone surrogates travel as \\ud800 escapes."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")


# Sending -----------------------------------------------------------------------------------


def encode_form(data: dict) -> bytes:
    """application/x-www-form-urlencoded, with lists as repeated keys and lone surrogates as
    their surrogatepass bytes (what a broken client could send)."""

    def enc(text):
        return quote_plus(str(text).encode("utf-8", "surrogatepass"))

    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append(f"{enc(key)}={enc(item)}")
    return "&".join(pairs).encode("ascii")


def as_django_reads(text: str) -> str:
    """A value as Django decodes it from the request (surrogates become U+FFFD)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def client_for(user=None, **kwargs) -> Client:
    """A test client that returns 500s instead of raising, so that the check below sees
    the status and the exception."""
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def post_form(client, url, data: dict):
    return client.post(url, encode_form(data), content_type="application/x-www-form-urlencoded")


# Checks ------------------------------------------------------------------------------------


def assert_no_server_error(response, what=""):
    """Never a 5xx, and an exception the view raised fails the test with its traceback
    even when something turned it into a response."""
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        tb = "".join(traceback.format_exception(*exc_info))
        raise AssertionError(f"{what}: the view raised\n{tb}")
    assert response.status_code < 500, f"{what}: {response.status_code}"


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_escaped(response, what=""):
    """No hostile markup printed raw in an HTML page."""
    if "html" not in response.get("Content-Type", ""):
        return
    body = body_text(response)
    for marker in UNESCAPED_MARKERS:
        assert marker not in body, f"{what}: unescaped {marker!r} in the page"


def escaped(text: str) -> str:
    return html.escape(as_django_reads(text), quote=True)


def tracked_models():
    """Every model of the project, allauth's account and mfa, and the many-to-many tables."""
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("kokemustori")}
    labels |= {"account", "mfa"}
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in labels]


def counts() -> dict:
    return {m._meta.label: m._default_manager.count() for m in tracked_models()}


def state_of(*instances) -> dict:
    """The stored fields and many-to-many ids of these objects."""
    out = {}
    for instance in instances:
        model = type(instance)
        row = model._default_manager.filter(pk=instance.pk).values().first()
        m2m = {
            field.name: sorted(
                getattr(model._default_manager.get(pk=instance.pk), field.name).values_list(
                    "pk", flat=True
                )
            )
            if row is not None
            else None
            for field in model._meta.many_to_many
        }
        out[f"{model._meta.label}:{instance.pk}"] = (row, m2m)
    return out


def snapshot(*instances) -> dict:
    return {"counts": counts(), "objects": state_of(*instances)}


def assert_unchanged(before: dict, instances, what="", *, ignore=()):
    """Nothing saved: the same number of rows of every model (but those in `ignore`) and the
    watched objects as they were."""
    after = snapshot(*instances)
    changed_counts = {
        label: (n, after["counts"][label])
        for label, n in before["counts"].items()
        if after["counts"][label] != n and label not in ignore
    }
    assert not changed_counts, f"{what}: half-saved, rows changed {changed_counts}"
    for key, value in before["objects"].items():
        assert after["objects"][key] == value, f"{what}: half-saved, {key} changed"


@contextmanager
def rolled_back():
    """One example's changes live in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def made_once(method):
    """A cached property of a `Fixtures` object that may not be made inside an example's
    savepoint (it would be rolled back with the example but stay cached)."""

    @cached_property
    @wraps(method)
    def prop(self):
        assert not self.frozen, f"{method.__name__} first used inside an example"
        return method(self)

    return prop


class Fixtures:
    """The objects one test's examples work on: made on first use (see `made_once`), before
    the examples; each example then runs in `example()` and sees them unchanged."""

    frozen = False

    @contextmanager
    def example(self):
        self.frozen = True
        try:
            with rolled_back():
                yield
        finally:
            self.frozen = False


def request_messages(response):
    """The messages of the request: those shown on the page and those kept for the next."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return list(storage) if storage is not None else []


def has_error_message(response) -> bool:
    from django.contrib.messages import constants

    return any(m.level >= constants.ERROR for m in request_messages(response))
