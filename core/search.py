"""Accent folding, full-text queries and facet keys: how every kind of content is searched.

Postgres's `unaccent` and `pg_trgm` are extensions a host may not offer, so accents are folded
in Python: the same fold runs on the stored text (search_title, search_body) and on what people
type, and Postgres builds a weighted `tsvector` from the folded text with the `simple`
configuration (no stemming: names and places in many languages). Words typed match as prefixes.

`facet_keys` holds one "kind:value" string per filterable value of a row (its country, its
social areas, its tags...): filters become one array containment test on a GIN index, and facet
counts one GROUP BY over the unnested keys of the current results.
"""

import math
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery
from django.utils.html import strip_tags

# Letters NFKD does not take apart.
EXTRA_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ı": "i",
    }
)
WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 12


def fold(text: str) -> str:
    """Lower case, without accents: "Liberté, Łódź" -> "liberte, lodz"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(EXTRA_FOLDS))
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def search_words(text: str) -> list[str]:
    return WORD.findall(fold(text).replace("_", " "))[:MAX_QUERY_WORDS]


# Compound folding ("fab lab" = "fablab"): a typed word this long or longer may also be found
# written as two adjacent words, each part at least MIN_PART letters ("fab lab", not
# "f ablab"); only in queries of up to COMPOUND_QUERY_WORDS words, which keeps them small.
MIN_COMPOUND = 6
MAX_COMPOUND = 24
MIN_PART = 3
COMPOUND_QUERY_WORDS = 3


# A tsquery as data, for Postgres (compound_query_text) and the word index (core.word_index):
# alternatives (OR) of terms (AND) of pieces (OR), a piece being one or more adjacent lexemes
# (`<->`), each matched whole or (True) as a prefix.
Piece = tuple[tuple[str, bool], ...]
Term = list[Piece]


def _word_term(word: str, *, split: bool) -> Term:
    """One typed word as a prefix, or (`split`) also as two adjacent words that make it up."""
    term: Term = [((word, True),)]
    if not split or not MIN_COMPOUND <= len(word) <= MAX_COMPOUND or not word.isalpha():
        return term
    cuts = range(MIN_PART, len(word) - MIN_PART + 1)
    return term + [((word[:cut], False), (word[cut:], True)) for cut in cuts]


def compound_query(words: list[str]) -> list[list[Term]]:
    """The query for typed words: every word must match, each as a prefix, and words written
    together or apart match alike: "fablab" also finds "fab lab", and "fab lab" also finds
    "fablab" (two adjacent typed words are tried joined as one)."""
    split = len(words) <= COMPOUND_QUERY_WORDS
    terms = [_word_term(word, split=split) for word in words]
    alternatives = [terms]
    for index in range(len(words) - 1):
        joined = words[index] + words[index + 1]
        if joined.isalpha():
            alternatives.append([*terms[:index], [((joined, True),)], *terms[index + 2 :]])
    return alternatives


def _piece_text(piece: Piece) -> str:
    text = " <-> ".join(f"{lexeme}:*" if prefix else lexeme for lexeme, prefix in piece)
    return f"({text})" if len(piece) > 1 else text


def _term_text(term: Term) -> str:
    if len(term) == 1:
        return _piece_text(term[0])
    return "(" + " | ".join(_piece_text(piece) for piece in term) + ")"


def compound_query_text(words: list[str]) -> str:
    """The raw tsquery for typed words (compound_query)."""
    alternatives = [
        " & ".join(_term_text(term) for term in terms) for terms in compound_query(words)
    ]
    if len(alternatives) == 1:
        return alternatives[0]
    return " | ".join(f"({alternative})" for alternative in alternatives)


def search_query(text: str) -> SearchQuery | None:
    """Every typed word must match, each as a prefix, written together or apart
    (compound_query_text); None when nothing searchable was typed."""
    words = search_words(text)
    if not words:
        return None
    return SearchQuery(compound_query_text(words), search_type="raw", config="simple")


def folded_text(*parts) -> str:
    """Parts of a row's text, without markup, folded for the search columns."""
    return fold(" ".join(strip_tags(part) for part in parts if part))


def facet_key(kind: str, value) -> str:
    return f"{kind}:{value}"


def city_value(city: str) -> str:
    """Cities are free text: the key is the folded name, so "Malmö" and "malmo" are one place."""
    return " ".join(search_words(city))


def store_search_fields(obj, fields: dict) -> None:
    """Write a saved row's derived columns (search text, filter keys...) without saving the
    rest or touching its history, and set them on `obj` too."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    for name, value in fields.items():
        setattr(obj, name, value)


# --- Map grid cells: ?cell=5:17:10 counts like any other facet -------------------------------

# Zoom levels whose Web-Mercator tiles (as the map's tile servers number them) become filter keys:
# a continent, a country, a region.
GRID_ZOOMS = (3, 5, 7)
# Web Mercator stops short of the poles; points beyond fall in the top or bottom row.
MERCATOR_MAX_LATITUDE = 85.0511287798066


def grid_cell(latitude: float, longitude: float, zoom: int) -> tuple[int, int]:
    """The (x, y) of the Web-Mercator tile holding the point at `zoom` ("slippy map" numbering:
    x from the antimeridian eastwards, y from the north)."""
    tiles = 2**zoom
    latitude = max(-MERCATOR_MAX_LATITUDE, min(MERCATOR_MAX_LATITUDE, latitude))
    x = int((longitude + 180.0) / 360.0 * tiles)
    y = int((1.0 - math.asinh(math.tan(math.radians(latitude))) / math.pi) / 2.0 * tiles)
    return min(max(x, 0), tiles - 1), min(max(y, 0), tiles - 1)


def grid_keys(latitude: float | None, longitude: float | None) -> list[str]:
    """The filter keys `cell:<zoom>:<x>:<y>` of a point at each of GRID_ZOOMS; none without
    both coordinates."""
    if latitude is None or longitude is None:
        return []
    keys = []
    for zoom in GRID_ZOOMS:
        x, y = grid_cell(latitude, longitude, zoom)
        keys.append(facet_key("cell", f"{zoom}:{x}:{y}"))
    return keys
