from django.db import transaction

from .models import Qualification, QualificationKind


def set_order_requirements(form, actor):
    requirements = form.save(commit=False)
    requirements.updated_by = actor
    requirements.save()
    return requirements


@transaction.atomic
def record_qualification(expert, data: dict, actor) -> Qualification:
    """Record (or renew) one qualification: one row per kind, one per language."""
    kind = data["kind"]
    lookup = {"expert": expert, "kind": kind}
    if kind == QualificationKind.LANGUAGE:
        lookup["language"] = data["language"]
    qualification, _created = Qualification.objects.update_or_create(
        **lookup,
        defaults={
            "level": data.get("level") or "",
            "on": data["on"],
            "valid_until": data.get("valid_until"),
            "recorded_by": actor,
        },
    )
    return qualification


def remove_qualification(qualification, actor):
    qualification.delete()
