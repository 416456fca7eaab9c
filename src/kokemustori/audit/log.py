from .models import AuditEvent


def record(actor, action, *, expert=None, organisation=None, detail=""):
    """Append one event to the audit log."""
    if organisation is None and expert is not None:
        organisation = expert.organisation
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        expert=expert,
        organisation=organisation,
        detail=detail[:300],
    )
