"""Which delivery errors are worth another try.

Transient: the server could not be reached or answered 4xx (try again later). Permanent: the
server answered 5xx about this message or its recipient (trying again will not help). An
authentication failure is a 5xx answer but a fault of our configuration, not of the message:
it is retried, so the mail goes out once the operator fixes the password.
"""

import smtplib

MAX_MESSAGE = 500


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value)[:MAX_MESSAGE]


def classify(exc: BaseException) -> dict:
    """The error as JSON for the row: type, SMTP code (if any), message, and whether it is
    permanent and whether the server could be reached at all."""
    code = None
    message = _text(exc) or type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list((exc.recipients or {}).values())
        if answers:
            code, text = max(answers, key=lambda answer: answer[0])
            message = _text(text)
    elif isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        message = _text(exc.smtp_error)
    reached = code is not None
    permanent = (
        code is not None
        and 500 <= code < 600
        and not isinstance(exc, smtplib.SMTPAuthenticationError)
    )
    return {
        "type": type(exc).__name__,
        "code": code,
        "message": message,
        "permanent": permanent,
        "connection": not reached,
    }
