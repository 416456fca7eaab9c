"""The expert's own say on how much work they want (more, the same, less than now), as a
factor that matching can weigh.

A proposal for `matching/ranking.py`, kept here so that ranking can take it over as it is:
`POINTS` are the numbers, `factor()` gives (code, points, message) for one expert, or None
when the expert has said nothing or wants the same as now (neither raised nor lowered).
Wanting less work lowers an expert less than a same-day assignment does and never hides them:
a coordinator may still ask, and the expert may still say yes.
"""

from django.utils.translation import gettext_lazy as _

from .models import WorkPreference

POINTS = {
    WorkPreference.MORE: 10,
    WorkPreference.LESS: -15,
}

MESSAGES = {
    WorkPreference.MORE: _("Would like more work than now."),
    WorkPreference.LESS: _("Would like less work than now."),
}

CODES = {
    WorkPreference.MORE: "wants_more_work",
    WorkPreference.LESS: "wants_less_work",
}


def factor(preference: str):
    """(code, points, message) for this preference, or None when it weighs nothing."""
    if preference not in POINTS:
        return None
    return CODES[preference], POINTS[preference], MESSAGES[preference]
