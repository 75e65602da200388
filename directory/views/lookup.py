"""Lookups for the practitioners' forms, as JSON: the organisation picker's search as you type
(static/js/picker.js; the picker works without it, through the project form's "Find" button),
and the coordinates of a typed city for the location step's map (static/js/location-picker.js;
without it, the form finds the same coordinates when it is saved: directory.places)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limit_hit
from directory.models import Organisation
from directory.places import place_coordinates
from directory.views.manage import LOOKUP_RESULTS

LOOKUPS_PER_MINUTE = 120


LOOKUP_MAX_LENGTH = 100
# Countries a place lookup may name (a project's several ones).
PLACE_MAX_COUNTRIES = 50


def _too_many(request, action: str):
    """A 429 when the person looked up too much in the last minute, else None."""
    if rate_limit_hit(
        action=action,
        key=str(request.user.pk),
        limit=LOOKUPS_PER_MINUTE,
        period=60,
        allow_when_unavailable=True,  # a read: Redis being away must not stop it
    ):
        return None
    return JsonResponse(
        {"error": gettext("Too many searches in a short time. Please wait a minute.")},
        status=429,
    )


def _text_error(text: str):
    """A 400 for a typed text that is empty, too long or holds control characters, else None."""
    if not text.strip() or len(text) > LOOKUP_MAX_LENGTH:
        return JsonResponse(
            {
                "error": gettext("Please type between 1 and %(max)s characters.")
                % {"max": LOOKUP_MAX_LENGTH}
            },
            status=400,
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        return JsonResponse(
            {"error": gettext("Please type letters, digits or spaces.")}, status=400
        )
    return None


def _refused(request, action: str, text: str) -> JsonResponse | None:
    """The answer to a lookup over its rate or with text it cannot take, else None."""
    refused = _too_many(request, action)
    return refused if refused is not None else _text_error(text)


@login_required
@require_GET
def organisation_lookup(request):
    """The picker's search as you type: JSON [{id, name, city, country}], at most 10."""
    query = request.GET.get("q", "")
    refused = _refused(request, "organisation-lookup", query)
    if refused is not None:
        return refused
    results = [
        {
            "id": organisation.pk,
            "name": organisation.name,
            "city": organisation.city,
            "country": organisation.country.name if organisation.country else "",
        }
        for organisation in Organisation.objects.picker_matches(
            query, request.user, limit=LOOKUP_RESULTS
        )
    ]
    return JsonResponse(results, safe=False)


@login_required
@require_GET
def place_lookup(request):
    """The coordinates of a typed city (`city`), in one of the chosen countries (`country`, by
    id, repeated) when some are: JSON {latitude, longitude}, those the form would fill in on
    saving (a published profile's in the same city, else the gazetteer's); without a country,
    the most populous place of that name. A 404 when the city is not known there."""
    city = request.GET.get("city", "")
    refused = _refused(request, "place-lookup", city)
    if refused is not None:
        return refused
    countries = request.GET.getlist("country")
    if len(countries) > PLACE_MAX_COUNTRIES or not all(
        value.isascii() and value.isdigit() and len(value) <= 9 for value in countries
    ):
        error = gettext("Please choose countries from the list.")
        return JsonResponse({"error": error}, status=400)
    found = place_coordinates(city, [int(value) for value in countries], anywhere=True)
    if found is None:
        return JsonResponse(
            {"error": gettext("No coordinates are known for this city.")}, status=404
        )
    latitude, longitude, _source = found
    return JsonResponse({"latitude": latitude, "longitude": longitude})
