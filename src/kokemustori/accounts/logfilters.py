"""Expected refusals are one short log line, not a traceback.

Django logs every PermissionDenied raised by a view ("Forbidden (Permission denied): /path")
as a warning *with the exception's traceback* (django.utils.log.log_response). A refusal is
the rules doing their work, not an error: this filter keeps the line and drops the traceback
for 4xx answers to PermissionDenied and Http404. Anything else (5xx) keeps its traceback.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

EXPECTED = (PermissionDenied, Http404)


class ExpectedRefusalFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and 400 <= status < 500:
            exception = record.exc_info[1]
            if isinstance(exception, EXPECTED):
                record.exc_info = None
                record.exc_text = None
        return True
