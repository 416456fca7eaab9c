import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404


def require(user, perm: str, obj=None, *, hide: bool = False):
    """Refuse unless the rule allows. `hide` answers 404 so a refusal reveals nothing about
    whether the object exists. Uses rules.has_perm, which has no superuser bypass."""
    if not rules.has_perm(perm, user, obj):
        if hide:
            raise Http404
        raise PermissionDenied
