"""Who may see the outbox and send an e-mail again (see queries.outbox_visible_to)."""

import rules

from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.outbox.models import RETRYABLE
from kokemustori.outbox.services import can_copy

from .queries import is_administrator, outbox_visible_to


@rules.predicate
def administrator(user):
    return is_administrator(user)


@rules.predicate
def coordinator(user):
    return bool(coordinated_organisation_ids(user))


@rules.predicate
def may_see_email(user, email):
    return email is not None and outbox_visible_to(user).filter(pk=email.pk).exists()


@rules.predicate
def can_be_sent_again(user, email):
    return email is not None and email.state in RETRYABLE


@rules.predicate
def can_be_copied(user, email):
    return email is not None and can_copy(email)


rules.add_perm("notifications.view_outbox", administrator | coordinator)
rules.add_perm("notifications.view_email", may_see_email)
rules.add_perm("notifications.retry_email", may_see_email & can_be_sent_again)
rules.add_perm("notifications.resend_email", may_see_email & can_be_copied)
