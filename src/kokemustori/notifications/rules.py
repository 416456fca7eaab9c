"""Who may see the outbox and send an e-mail again (see queries.outbox_visible_to)."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.outbox.models import RETRYABLE
from kokemustori.outbox.services import can_copy

from .queries import is_administrator, outbox_visible_to


def administrator(user):
    return is_administrator(user)


administrator = predicate(administrator)


def coordinator(user):
    return bool(coordinated_organisation_ids(user))


coordinator = predicate(coordinator)


def may_see_email(user, email):
    return email is not None and outbox_visible_to(user).filter(pk=email.pk).exists()


may_see_email = predicate(may_see_email)


def can_be_sent_again(user, email):
    return email is not None and email.state in RETRYABLE


can_be_sent_again = predicate(can_be_sent_again)


def can_be_copied(user, email):
    return email is not None and can_copy(email)


can_be_copied = predicate(can_be_copied)


rules.add_perm("notifications.view_outbox", administrator | coordinator)
rules.add_perm("notifications.view_email", may_see_email)
rules.add_perm("notifications.retry_email", may_see_email & can_be_sent_again)
rules.add_perm("notifications.resend_email", may_see_email & can_be_copied)
