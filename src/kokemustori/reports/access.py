"""Who reads which reports. A network administrator reads every organisation's; a coordinator
the organisations they coordinate; a verified orderer their own organisation's orders (and
nothing about experts). reports/rules.py asks `reader()`."""

from dataclasses import dataclass

from kokemustori.core.roles import coordinated_organisations, verified_orderer_of
from kokemustori.organisations.models import Organisation

from . import figures
from .forms import period_from, scope_from
from .models import is_network_administrator


@dataclass(frozen=True)
class Reader:
    organisations: object  # a queryset of organisations (empty for an orderer)
    orderer_organisation: str | None = None
    is_network: bool = False

    @property
    def for_orderer(self) -> bool:
        return self.orderer_organisation is not None


def reader(user) -> Reader | None:
    """The reports this user may read, or None."""
    if not user.is_authenticated:
        return None
    if is_network_administrator(user):
        return Reader(Organisation.objects.filter(is_active=True), is_network=True)
    organisations = coordinated_organisations(user)
    if organisations.exists():
        return Reader(organisations)
    orderer = verified_orderer_of(user)
    if orderer is not None and orderer.organisation_name.strip():
        return Reader(Organisation.objects.none(), orderer.organisation_name.strip())
    return None


def report_for(user, params) -> tuple[Reader, object, "figures.Report | None"]:
    """(reader, form, report or None when the form is invalid) for a user allowed to read
    reports (the caller checks reports.view_reports first) and the query parameters."""
    who = reader(user)
    form, period = period_from(params, organisations=who.organisations, for_orderer=who.for_orderer)
    if period is None:
        return who, form, None
    scope = scope_from(
        form, frozenset(who.organisations.values_list("pk", flat=True)), who.orderer_organisation
    )
    return who, form, figures.report(period, scope)
