"""core.permissions.predicate: a permission rule written as a plain function (so that mutation
testing can change its body) is the same rules predicate that @rules.predicate made."""

import functools

import pytest
import rules

from kokemustori.core.permissions import predicate


def owner(user, thing):
    return thing == f"{user}'s"


def grown_up(user):
    return user.startswith("adult")


def stand_in(fn):
    """What mutmut 3 puts in a function's place: a wrapper that takes *args, **kwargs."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("wrap", [lambda fn: fn, stand_in], ids=["plain", "stand-in"])
def test_a_predicate_takes_the_arguments_its_function_names(wrap):
    is_owner = predicate(wrap(owner))
    is_grown_up = predicate(wrap(grown_up))
    assert (is_owner.name, is_grown_up.name) == ("owner", "grown_up")
    assert (is_owner.num_args, is_grown_up.num_args) == (2, 1)
    # rules passes (user, obj) to every predicate of a permission; each gets what it asks for.
    both = is_owner & is_grown_up
    assert both.test("adult-ann", "adult-ann's") is True
    assert both.test("adult-ann", "bob's") is False
    assert both.test("child-cid", "child-cid's") is False
    # Without an object, a two-argument predicate gets None.
    assert is_owner.test("adult-ann") is False
    assert is_grown_up.test("adult-ann") is True


def test_a_predicate_of_the_project_is_built_this_way():
    rule = rules.permissions.permissions["experts.edit_profile"]
    assert str(rule) == "is_self"


def test_a_function_of_three_arguments_is_refused():
    def three(user, obj, extra):
        return True

    with pytest.raises(TypeError) as refused:
        predicate(three)
    assert str(refused.value) == "A permission predicate takes (user) or (user, obj): three"
