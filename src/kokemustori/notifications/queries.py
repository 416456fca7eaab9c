"""Which outbox e-mails a member of staff may see.

Administrators see every e-mail. A coordinator sees the e-mails to the people their
organisations look after: their own experts, the orderers of the orders they are in charge of
(e-mails about those orders), and their fellow coordinators. E-mails to anyone else, and
e-mails with no account behind the address, are for administrators only.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q

from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.orders.models import Order
from kokemustori.organisations.models import Coordinator
from kokemustori.outbox.models import OutboundEmail, State


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def outbox_visible_to(user):
    emails = OutboundEmail.objects.all()
    if is_administrator(user):
        return emails
    organisations = coordinated_organisation_ids(user)
    if not organisations:
        return emails.none()
    their_orderer = Order.objects.in_charge_of(organisations).filter(
        pk=OuterRef("about_id"), orderer__user_id=OuterRef("user_id")
    )
    colleague = Coordinator.objects.filter(
        user_id=OuterRef("user_id"), organisation_id__in=organisations, is_active=True
    )
    about_an_order = Q(about_type=ContentType.objects.get_for_model(Order), user__isnull=False)
    return emails.filter(
        Q(user__expert__organisation_id__in=organisations)
        | (about_an_order & Exists(their_orderer))
        | Exists(colleague)
    )


def state_counts(emails) -> dict[str, int]:
    return dict(emails.order_by().values_list("state").annotate(n=Count("pk")))


def problem_count(user) -> int:
    """Failed and dead e-mails this person may see (for the dashboard)."""
    return outbox_visible_to(user).filter(state__in=[State.FAILED, State.DEAD]).count()
