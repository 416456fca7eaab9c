"""The options of the filter forms' vocabularies (topics, areas, languages, regions, task types,
organisations), kept in the shared cache per language.

They change a few times a year but are read on every catalogue page: reading each list from
the database and making a translated model object of every option was about a quarter of the
catalogue's time. Saving or deleting a watched model bumps one version number in the shared
cache, so every process shows the new names at its next request; the entries also expire
after an hour, for changes made without signals (`QuerySet.update`).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

VERSION_KEY = "vocabulary:version"
TIMEOUT = 3600
_watched: set[type] = set()


def watch(*models) -> None:
    """Bump the version whenever one of these models is saved or deleted."""
    _watched.update(models)


def changed() -> None:
    """The vocabulary changed: every cached option list is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or expired
        cache.set(VERSION_KEY, 1, None)


def _on_write(sender, **kwargs):
    if sender in _watched:
        changed()


post_save.connect(_on_write, dispatch_uid="kokemustori.core.vocabulary.save")
post_delete.connect(_on_write, dispatch_uid="kokemustori.core.vocabulary.delete")


def options(querysets: dict) -> dict[str, list[tuple[int, str]]]:
    """For each named queryset, its (pk, name in the active language) pairs in its order,
    from the cache where they are there (two cache reads in all), from the database where
    not."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 0
        cache.add(VERSION_KEY, version, None)
    language = get_language() or ""
    keys = {name: f"vocabulary:{version}:{language}:{name}" for name in querysets}
    found = cache.get_many(list(keys.values()))
    result, missing = {}, {}
    for name, queryset in querysets.items():
        key = keys[name]
        if key in found:
            result[name] = found[key]
        else:
            result[name] = missing[key] = [(item.pk, str(item)) for item in queryset]
    if missing:
        cache.set_many(missing, TIMEOUT)
    return result
