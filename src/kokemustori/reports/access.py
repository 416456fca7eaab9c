"""Who reads which reports. A network administrator reads every organisation's; a coordinator
the organisations they coordinate; a verified orderer their own organisation's orders (and
nothing about experts). reports/rules.py asks `reader()`."""

from dataclasses import dataclass

from kokemustori.core.roles import coordinated_organisations, verified_orderer_of
from kokemustori.organisations.models import Organisation

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
