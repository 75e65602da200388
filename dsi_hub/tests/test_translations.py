"""Every interface string is translated in every language, and the compiled catalogues match."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def catalogue(language: str, kind: str):
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / f"django.{kind}"
    assert path.exists(), f"{path} is missing"
    return polib.pofile(str(path)) if kind == "po" else polib.mofile(str(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = catalogue(language, "po")
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert po.metadata.get("Language") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\(\w+\)s|%s|\{\w*\}")
    for entry in catalogue(language, "po").translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language):
    po = {(e.msgctxt, e.msgid): e.msgstr for e in catalogue(language, "po").translated_entries()}
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in catalogue(language, "mo") if e.msgid}
    assert po == mo, "run `make messages` (or compile the .po files) and commit the .mo files"


def _python_sources():
    base = Path(settings.BASE_DIR)
    for path in base.rglob("*.py"):
        parts = path.relative_to(base).parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts:
            continue
        yield path


# A string given to gettext inside an f-string's braces: makemessages does not read it, so it
# is never in the catalogues and shows in English in every language.
GETTEXT_IN_FSTRING = re.compile(r"""\bf(["']).*\{[^}]*\b(?:_|gettext|ngettext|pgettext)\(\s*["']""")


def test_no_string_to_translate_hides_in_an_f_string():
    hidden = [
        f"{path}:{number}"
        for path in _python_sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if GETTEXT_IN_FSTRING.search(line)
    ]
    assert hidden == []
