"""What roles a user holds. Permission predicates (each app's rules.py) build on these."""

from django.core.exceptions import ObjectDoesNotExist

from kokemustori.organisations.models import Organisation


def expert_of(user):
    if not user.is_authenticated:
        return None
    try:
        expert = user.expert
    except ObjectDoesNotExist:
        return None
    # An unsaved Expert(user=...) (the joining form before its first save) is not a role.
    return expert if expert.pk else None


def orderer_of(user):
    if not user.is_authenticated:
        return None
    try:
        return user.orderer if user.orderer.is_active else None
    except ObjectDoesNotExist:
        return None


def verified_orderer_of(user):
    """The orderer profile, only once it is verified (orderers/verification.py): until then
    the orderer may fill in drafts but not browse the catalogue or send an order."""
    orderer = orderer_of(user)
    return orderer if orderer is not None and orderer.is_verified else None


def coordinated_organisations(user):
    """Organisations the user coordinates (cached on the user object for one request)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    cached = getattr(user, "_coordinated_org_ids", None)
    if cached is None:
        cached = frozenset(
            user.coordinator_posts.filter(is_active=True, organisation__is_active=True).values_list(
                "organisation_id", flat=True
            )
        )
        user._coordinated_org_ids = cached
    return Organisation.objects.filter(pk__in=cached)


def coordinated_organisation_ids(user) -> frozenset[int]:
    coordinated_organisations(user)
    return getattr(user, "_coordinated_org_ids", frozenset())


def is_coordinator(user) -> bool:
    return bool(coordinated_organisation_ids(user))
