"""Where a profile or an event is: the coordinates a city's name gives, and the map that places
them in the location step of the forms.

The latitude and longitude stay plain fields: degrees may be typed, and they are the way to
give a place without JavaScript and for keyboards and screen readers. Left empty with a city and
a country, they are filled when the form is saved: from a published profile in the same city,
else from the gazetteer (directory.cities). Where JavaScript runs, `static/js/location-picker.js`
adds a small map above them (the countries' outlines from world-atlas, raster tiles too when
MAP_TILE_URL is set): it shows a pin at the coordinates, a click or a drag of the pin fills them
in, typing in them moves the pin, and a city typed is looked up at once (`place_lookup`, the
same `coordinates_for_place` the form uses). The map is an addition for pointing devices,
hidden from assistive technologies, with nothing in it to reach by keyboard.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from js_asset import Script

from directory.cities import city_place
from directory.models import Organisation
from directory.models import Project
from directory.vocabularies import vocabulary

WORLD_OUTLINES = "vendor/world-atlas/countries-110m.json"


def country_codes(country_ids) -> list[str]:
    """The ISO alpha-2 codes of these countries, from the cached vocabulary."""
    wanted = set(country_ids)
    return [term.code for term in vocabulary("country") if term.pk in wanted and term.code]


# Where found coordinates come from.
FROM_PROFILE, FROM_GAZETTEER = "profile", "gazetteer"


def place_coordinates(
    city: str, country_ids, *, anywhere: bool = False
) -> tuple[float, float, str] | None:
    """Coordinates for a city in one of the countries, whatever its spelling, and where they
    come from: those a published profile has there (ProfileQuerySet.coordinates_in), else the
    gazetteer's. With no country, None, unless `anywhere`: then the most populous place of
    that name (the map's lookup, where the person sees the pin and moves it; a form saved
    without a country is not placed on a guess)."""
    city = " ".join(city.split())
    if not city or not (country_ids or anywhere):
        return None
    if country_ids:
        found = Organisation.objects.published().coordinates_in(
            city, country_ids
        ) or Project.objects.published().coordinates_in(city, country_ids)
        if found is not None:
            return (*found, FROM_PROFILE)
    codes = country_codes(country_ids) if country_ids else []
    if country_ids and not codes:  # no country the hub knows: nowhere, not anywhere
        return None
    place = city_place(city, codes)
    return None if place is None else (place[1], place[2], FROM_GAZETTEER)


def coordinates_for_place(city: str, country_ids) -> tuple[float, float] | None:
    """The coordinates place_coordinates finds for a city in one of the countries."""
    found = place_coordinates(city, country_ids)
    return None if found is None else found[:2]


def coordinate_field(*, label, limit: int, help_text) -> forms.FloatField:
    """An optional coordinate in decimal degrees, between -limit and limit."""
    return forms.FloatField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=help_text,
    )


def latitude_field() -> forms.FloatField:
    """The latitude of every form with a place (the longitude's help says where coordinates
    come from when both are left empty, which differs)."""
    return coordinate_field(
        label=_("Latitude"),
        limit=90,
        help_text=_("Optional, in decimal degrees between -90 and 90, e.g. 41.3874."),
    )


def clean_coordinates(form: forms.Form, cleaned: dict, country_ids) -> str | None:
    """A form's latitude and longitude: both or neither; when neither and the form is
    otherwise valid, those of its city (place_coordinates) put in `cleaned`. Where they came
    from (FROM_PROFILE, FROM_GAZETTEER), or None when none were found."""
    if "latitude" in form.errors or "longitude" in form.errors:
        return None
    latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
    if (latitude is None) != (longitude is None):
        form.add_error(
            "longitude" if longitude is None else "latitude",
            ValidationError(
                _("Please give both the latitude and the longitude, or neither."),
                code="half_coordinates",
            ),
        )
        return None
    if latitude is not None or form.errors:
        return None
    found = place_coordinates(cleaned.get("city", ""), country_ids)
    if found is None:
        return None
    cleaned["latitude"], cleaned["longitude"], source = found
    return source


def location_picker_media() -> forms.Media:
    """What the map needs: Leaflet, the TopoJSON reader and the picker, deferred in order."""
    return forms.Media(
        css={"all": ["vendor/leaflet/leaflet.css"]},
        js=[
            Script("vendor/leaflet/leaflet.js", defer=True),
            Script("vendor/topojson-client/topojson-client.min.js", defer=True),
            Script("js/location-picker.js", defer=True),
        ],
    )


def add_location_picker(form: forms.Form, *, countries: str) -> None:
    """Ask for the map above the form's latitude and longitude fields (by data- attributes on
    the latitude's input: the page needs no script of its own). `countries` names the form's
    country field (one country, or several), whose choice the city's lookup takes."""
    form.fields["latitude"].widget.attrs.update(
        {
            "data-location-picker": "",
            "data-lookup-url": reverse("directory:place_lookup"),
            "data-outlines-url": static(WORLD_OUTLINES),
            "data-countries-field": countries,
            "data-tile-url": settings.MAP_TILE_URL,
            "data-tile-attribution": settings.MAP_TILE_ATTRIBUTION,
            "data-text-help": _(
                "Click on the map or drag the pin to fill in the latitude and longitude below; "
                "typing them moves the pin. A city the hub knows places the pin when you type "
                "it."
            ),
            "data-text-found": _(
                "The coordinates of the city were filled in: move the pin if the place is "
                "elsewhere."
            ),
            "data-text-map": _("Map of the place (you can also type the coordinates below)"),
        }
    )
