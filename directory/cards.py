"""The cards of the directory's lists, for a page of ids: read as plain values in one query
(ProfileQuerySet.card_rows), with the names of countries and types from the cached
vocabularies, and written as HTML in Python (`cards_html`). Model instances of the wide profile
rows and their related rows, and a template per card, cost more than the rest of a list page.
"""

from dataclasses import dataclass
from html import escape
from html import unescape

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from directory.vocabularies import vocabulary

# A card without a short description shows the start of its description, in so many words.
EXCERPT_WORDS = 30
SEPARATOR = " · "


@dataclass(frozen=True)
class Card:
    pk: int
    slug: str
    url: str
    name: str
    summary: str
    facts: tuple[str, ...]  # the line under it (place, type), with no empty parts


def _summary(row: dict) -> str:
    if row["short_description"]:
        return row["short_description"]
    text = unescape(strip_tags(row["excerpt"] or ""))
    return Truncator(text).words(EXCERPT_WORDS) if text.strip() else ""


def _detail_url(kind: str):
    """slug -> the profile's page, from one reverse() for the whole page of cards."""
    prefix, _, suffix = reverse(f"directory:{kind}_detail", kwargs={"slug": "SLUG"}).rpartition(
        "SLUG"
    )
    return lambda slug: f"{prefix}{slug}{suffix}"


def _organisation_facts(row: dict, terms: dict) -> tuple[str, ...]:
    country = terms["country"].get(row["country_id"])
    place = ", ".join(part for part in (row["city"], country and country.name) if part)
    kind = terms["type"].get(row["organisation_type_id"])
    return tuple(part for part in (place, kind and kind.name) if part)


def _project_facts(row: dict, terms: dict) -> tuple[str, ...]:
    held = {key.partition(":")[2] for key in row["facet_keys"] if key.startswith("country:")}
    place = ", ".join(term.name for term in vocabulary("country") if str(term.pk) in held)
    if place and not row["own_countries"]:
        inferred = gettext("(from its organisations)")
        place = f"{place} {inferred}"
    return tuple(part for part in (place, row["city"]) if part)


def profile_cards(model, ids: list[int]) -> list[Card]:
    """The cards of `model`'s rows `ids`, in that order (ids not found are left out)."""
    kind = model._meta.model_name
    rows = model.objects.card_rows(ids)
    url = _detail_url(kind)
    terms = {name: {term.pk: term for term in vocabulary(name)} for name in ("country", "type")}
    facts = _organisation_facts if kind == "organisation" else _project_facts
    return [
        Card(pk, row["slug"], url(row["slug"]), row["name"], _summary(row), facts(row, terms))
        for pk in ids
        if (row := rows.get(pk)) is not None
    ]


def cards_html(cards: list[Card], *, level: int = 3) -> str:
    """The cards as a list, every part escaped; each name a heading of `level` (a list under
    an h2 of a page, by default)."""
    items = "".join(
        f'\n    <li class="card">\n      <h{level}><a href="{escape(card.url)}">'
        f"{escape(card.name)}</a></h{level}>\n"
        + (f"      <p>{escape(card.summary)}</p>\n" if card.summary else "")
        + f'      <p class="meta">{escape(SEPARATOR.join(card.facts))}</p>\n    </li>'
        for card in cards
    )
    return f'<ul class="cards">{items}\n</ul>'
