"""Permission checks: `require` for views, `predicate` for each app's rules.py."""

import inspect

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


def predicate(fn):
    """The rules predicate of a plain function: `name = predicate(name)` after its def.

    Not `@rules.predicate`, because mutation testing (mutmut 3, README "Mutation testing")
    leaves every decorated function alone, and the permission rules are the bodies that most
    need testing. rules reads how many arguments (user, or user and object) the function takes
    from its argument list; mutmut's stand-in for a function takes *args, so the count is read
    here with inspect.signature, which sees through the stand-in to the function itself."""
    arity = len(inspect.signature(fn).parameters)
    if arity == 1:

        def test(user):
            return fn(user)

    elif arity == 2:

        def test(user, obj):
            return fn(user, obj)

    else:
        raise TypeError(f"A permission predicate takes (user) or (user, obj): {fn.__name__}")
    return rules.predicate(test, name=fn.__name__)
