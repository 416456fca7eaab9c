"""Fail when a Finnish or Swedish catalogue has untranslated or fuzzy messages, or when a
translation drops a placeholder of its source text."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REQUIRED_LANGUAGES = ("fi", "sv")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\{ ?\w+ ?\}\}|%[sd]")


def problems_in(po_path: Path) -> list[str]:
    problems = []
    catalogue = polib.pofile(str(po_path))
    for entry in catalogue:
        if entry.obsolete:
            continue
        label = entry.msgid[:60].replace("\n", " ")
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {label}")
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(t.strip() for t in translations):
            problems.append(f"untranslated: {label}")
            continue
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid)))
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(text))) != wanted and not entry.msgid_plural:
                problems.append(f"placeholders differ: {label}")
                break
    return problems


class Command(BaseCommand):
    help = "Check that the fi and sv catalogues are complete."

    def handle(self, *args, **options):
        failures = []
        for locale_dir in settings.LOCALE_PATHS:
            for language in REQUIRED_LANGUAGES:
                paths = list(Path(locale_dir).glob(f"{language}/LC_MESSAGES/*.po"))
                if not paths:
                    failures.append(f"{language}: no catalogue")
                for po_path in paths:
                    failures += [f"{language}: {p}" for p in problems_in(po_path)]
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} translation problem(s).")
        self.stdout.write("Translations complete for " + ", ".join(REQUIRED_LANGUAGES) + ".")
