"""Which delivery errors are tried again (outbox.errors; mutation testing: each boundary and
each field of the stored error written out by hand)."""

import smtplib

import pytest

from kokemustori.outbox.errors import classify


def test_a_refused_recipient_takes_the_worst_answer():
    exc = smtplib.SMTPRecipientsRefused(
        {
            "a@example.org": (450, b"Try again later"),
            "b@example.org": (550, b"No such user \xe2\x80\x94 gone \xff"),
        }
    )
    assert classify(exc) == {
        "type": "SMTPRecipientsRefused",
        "code": 550,
        "message": "No such user \u2014 gone \ufffd",  # a byte that is not UTF-8, replaced
        "permanent": True,
        "connection": False,
    }


def test_of_equally_bad_answers_the_first_is_kept():
    exc = smtplib.SMTPRecipientsRefused(
        {"a@example.org": (550, b"Mailbox full"), "b@example.org": (550, b"User unknown")}
    )
    assert (classify(exc)["code"], classify(exc)["message"]) == (550, "Mailbox full")


def test_a_refused_recipient_without_answers_is_a_connection_error():
    exc = smtplib.SMTPRecipientsRefused({})
    assert classify(exc) == {
        "type": "SMTPRecipientsRefused",
        "code": None,
        "message": "{}",
        "permanent": False,
        "connection": True,
    }


@pytest.mark.parametrize(
    ("code", "permanent"),
    [(421, False), (499, False), (500, True), (554, True), (599, True), (600, False)],
)
def test_only_a_5xx_answer_is_permanent(code, permanent):
    exc = smtplib.SMTPDataError(code, "Answer")
    assert classify(exc) == {
        "type": "SMTPDataError",
        "code": code,
        "message": "Answer",
        "permanent": permanent,
        "connection": False,
    }


def test_an_authentication_failure_is_retried():
    exc = smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials")
    assert classify(exc) == {
        "type": "SMTPAuthenticationError",
        "code": 535,
        "message": "5.7.8 Bad credentials",
        "permanent": False,
        "connection": False,
    }


def test_an_unreachable_server():
    assert classify(ConnectionRefusedError(111, "Connection refused")) == {
        "type": "ConnectionRefusedError",
        "code": None,
        "message": "[Errno 111] Connection refused",
        "permanent": False,
        "connection": True,
    }


def test_an_error_without_text_is_named_by_its_type():
    assert classify(TimeoutError())["message"] == "TimeoutError"


def test_a_long_message_is_cut_at_500_characters():
    exc = smtplib.SMTPDataError(552, "x" * 501 + "END")
    assert classify(exc)["message"] == "x" * 500
    assert classify(OSError("y" * 600))["message"] == "y" * 500
