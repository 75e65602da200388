"""What the importer of the 2017 export holds back for review instead of publishing: rows that
look like tests ("prova", "test", "xx"), spam (core.spam's links, the moderators' spam words),
tracking debris pasted with a text ("3357#sthash.uEWqIjJs.dpuf") and the same profile twice
(the same name, and the same website or none). Such rows are imported as pending, with the
reasons in their spam signals, which moderators read beside the profile in the admin.

The checks read a profile as the importer built it (name, texts, website), so they apply to
any batch of unsaved profiles; the duplicate check also looks at the profiles already there.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import strip_tags

from core.search import folded_text
from core.search import search_words
from core.spam import URL
from core.spam import count_links
from directory.services.moderation import SPAM_WORDS

# Words people type when trying a form out, in the hub's languages, and throwaway strings.
TEST_WORDS = frozenset(
    "test tests testing prova prove proves prueba pruebas proba essai essais probe "  # noqa: SIM905
    "dummy asdf asd qwerty blah bla foo lorem ipsum sample".split()
)
# Words that may stand beside a test word in a test entry's name ("project prova").
FILLER_WORDS = frozenset(
    "project projects projecte progetto proyecto projet projekt organisation organization "  # noqa: SIM905
    "org my new the a un una".split()
)
# Share-widget and campaign fragments copied along with a text or an address.
TRACKING = re.compile(
    r"#sthash\.[\w-]+\.(?:dpuf|dpbs)|[?&](?:utm_[a-z]+|fbclid|gclid|mc_eid)=", re.IGNORECASE
)
# Held back as link spam: a text that is only addresses, or more than MANY_LINKS of them with
# fewer than WORDS_PER_LINK words each (real descriptions link to partners among paragraphs).
MANY_LINKS = 3
WORDS_PER_LINK = 5
SPAM_REPEATS = 2
URL_TEXT = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
WORDS = re.compile(r"\w+")
POINTS = {"test": 80, "spam": 60, "links": 40, "tracking": 50, "duplicate": 50}


@dataclass(frozen=True)
class Flag:
    code: str  # "test", "spam", "links", "tracking" or "duplicate"
    reason: str  # for moderators, stored with the profile (spam_signals)


def looks_like_test(name: str) -> bool:
    """A name made of test words ("prova2", "project prova", "Test"), no letters at all ("450")
    or one letter repeated ("xx"); "Test Lab" is a name."""
    words = [word.rstrip("0123456789") for word in search_words(name)]
    words = [word for word in words if word]
    letters = "".join(words)
    if not letters:
        return True
    if len(letters) > 1 and len(set(letters)) == 1:
        return True
    return any(word in TEST_WORDS for word in words) and all(
        word in TEST_WORDS or word in FILLER_WORDS for word in words
    )


def _texts(profile) -> list[str]:
    return [
        profile.short_description or "",
        profile.description or "",
        getattr(profile, "social_impact", "") or "",
    ]


def _link_only(text: str) -> bool:
    """A text that is nothing but addresses (and punctuation)."""
    plain = strip_tags(text)
    if not URL.search(plain):
        return False
    rest = URL_TEXT.sub(" ", plain)
    return not re.search(r"\w", rest)


def content_flags(profile) -> list[Flag]:
    """The signs in one profile's own name and texts (duplicates aside)."""
    flags = []
    if looks_like_test(profile.name):
        flags.append(Flag("test", f"looks like a test entry: name “{profile.name}”"))
    texts = _texts(profile)
    # A spam word in the name or the sentence on cards, or said twice: one word in a long text
    # ("replica" in Italian) is not enough to hold a profile back.
    headline = SPAM_WORDS.findall(f"{profile.name} {profile.short_description}")
    found = SPAM_WORDS.findall(" ".join(strip_tags(text) for text in texts))
    if headline or len(found) >= SPAM_REPEATS:
        words = sorted({word.lower() for word in [*headline, *found]})
        flags.append(Flag("spam", "spam words: " + ", ".join(words)))
    if any(_link_only(text) for text in texts if text):
        flags.append(Flag("links", "a description that is only a link"))
    else:
        links = count_links(*texts)
        words = len(WORDS.findall(URL_TEXT.sub(" ", " ".join(map(strip_tags, texts)))))
        if links > MANY_LINKS and words < WORDS_PER_LINK * links:
            flags.append(Flag("links", f"a description that is mostly links ({links} links)"))
    tracking = sorted(
        {
            match.group(0)
            for text in [*texts, profile.website or ""]
            for match in TRACKING.finditer(text)
        }
    )
    if tracking:
        flags.append(Flag("tracking", "tracking fragment: " + ", ".join(tracking)))
    return flags


def website_key(website: str) -> str:
    """An address without its scheme, "www.", case or final slash ("x.org")."""
    key = (website or "").strip().lower()
    key = re.sub(r"^[a-z]+://", "", key)
    key = re.sub(r"^www\.", "", key)
    return key.rstrip("/")


def name_key(name: str) -> str:
    return " ".join(search_words(strip_tags(name or "")))


def _same_place(one: str, other: str) -> bool:
    """Same website, or one of them has none (nothing tells the two apart)."""
    return not one or not other or one == other


def _richness(profile) -> tuple:
    """Which of two copies to keep published: the one with a website, then the longer text,
    then the first imported."""
    text = sum(len(strip_tags(text)) for text in _texts(profile))
    return (bool(profile.website), text, -(profile.legacy_id or 0))


def duplicate_flags(profiles: list, model, *, against_directory: bool = True) -> dict[int, Flag]:
    """Duplicates among the new `profiles` (the richest copy of each is kept) and, unless
    `against_directory` is false, of profiles already in the directory: {index in `profiles`:
    Flag}. One query."""
    flags = {}
    groups = defaultdict(list)
    for index, profile in enumerate(profiles):
        groups[name_key(profile.name)].append(index)
    existing = defaultdict(list)
    if against_directory:
        wanted = {folded_text(profiles[indexes[0]].name) for key, indexes in groups.items() if key}
        rows = model.objects.filter(search_title__in=wanted).values("name", "website", "legacy_id")
        for row in rows:
            existing[name_key(row["name"])].append(row)
    for key, indexes in groups.items():
        if not key:
            continue
        for row in existing.get(key, []):
            for index in indexes:
                profile = profiles[index]
                if index not in flags and _same_place(
                    website_key(profile.website), website_key(row["website"])
                ):
                    where = f" (2017 id {row['legacy_id']})" if row["legacy_id"] else ""
                    flags[index] = Flag(
                        "duplicate",
                        f"same name and website as the profile “{row['name']}”{where} already "
                        "in the directory",
                    )
        rest = [index for index in indexes if index not in flags]
        if len(rest) < 2:
            continue
        keeper = max(rest, key=lambda index: _richness(profiles[index]))
        kept = profiles[keeper]
        for index in rest:
            profile = profiles[index]
            if index != keeper and _same_place(
                website_key(profile.website), website_key(kept.website)
            ):
                flags[index] = Flag(
                    "duplicate",
                    f"same name and website as “{kept.name}” (2017 id {kept.legacy_id}), "
                    "imported too",
                )
    return flags


def review_flags(profiles: list, model, *, against_directory: bool = True) -> dict[int, list[Flag]]:
    """Every flag of each profile that has any: {index in `profiles`: [Flag, ...]}."""
    found = defaultdict(list)
    for index, profile in enumerate(profiles):
        found[index].extend(content_flags(profile))
    duplicates = duplicate_flags(profiles, model, against_directory=against_directory)
    for index, flag in duplicates.items():
        found[index].append(flag)
    return {index: flags for index, flags in found.items() if flags}


def spam_score(flags: list[Flag]) -> int:
    return min(100, sum(POINTS[flag.code] for flag in flags))
