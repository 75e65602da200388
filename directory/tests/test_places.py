"""Where a profile or an event is (directory.places): coordinates found from a city's name, the
location step filling them in, its map's lookup (directory.views.lookup.place_lookup) and the
picker asked for on the forms."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.models import Status
from directory.forms import OrganisationPlaceForm
from directory.forms import ProjectPlaceForm
from directory.models import Country
from directory.models import Organisation
from directory.places import FROM_GAZETTEER
from directory.places import FROM_PROFILE
from directory.places import place_coordinates
from directory.tests.factories import OrganisationFactory
from directory.views import lookup

LOOKUP = "directory:place_lookup"


@pytest.fixture
def spain(db):
    return Country.objects.get(code="ES")


def near(found, latitude, longitude, within=0.2) -> bool:
    return abs(found[0] - latitude) < within and abs(found[1] - longitude) < within


def test_a_city_the_gazetteer_knows_gives_its_coordinates_in_the_country(spain):
    found = place_coordinates("Bilbao", [spain.pk])
    assert near(found, 43.26, -2.93) and found[2] == FROM_GAZETTEER
    # Valencia in Venezuela is larger, but the profile is in Spain.
    assert near(place_coordinates("valencia", [spain.pk]), 39.47, -0.38)
    venezuela = Country.objects.get(code="VE")
    assert near(place_coordinates("Valencia", [venezuela.pk]), 10.16, -68.0)
    # Any spelling the gazetteer knows.
    assert near(place_coordinates("Milano", [Country.objects.get(code="IT").pk]), 45.46, 9.19)


def test_a_published_profile_in_the_city_comes_before_the_gazetteer(spain):
    OrganisationFactory(city="Bilbao", country=spain, latitude=43.2630, longitude=-2.9350)
    assert place_coordinates("bilbao", [spain.pk]) == (43.2630, -2.9350, FROM_PROFILE)
    OrganisationFactory(
        city="Toledo", country=spain, latitude=1.0, longitude=1.0, status=Status.DRAFT
    )
    assert place_coordinates("Toledo", [spain.pk])[2] == FROM_GAZETTEER


def test_without_a_country_only_the_maps_lookup_guesses(spain):
    assert place_coordinates("Bilbao", []) is None
    assert near(place_coordinates("Bilbao", [], anywhere=True), 43.26, -2.93)
    assert place_coordinates("Xyzzyville", [spain.pk], anywhere=True) is None
    assert place_coordinates("  ", [spain.pk], anywhere=True) is None


def test_the_place_step_fills_empty_coordinates_from_the_city(spain):
    user = UserFactory()
    form = OrganisationPlaceForm(
        {"country": spain.pk, "city": "Zaragoza"}, instance=Organisation(), user=user
    )
    assert form.is_valid(), form.errors
    assert form.coordinates_from_city and not form.coordinates_reused
    assert near((form.cleaned_data["latitude"], form.cleaned_data["longitude"]), 41.65, -0.88)
    typed = OrganisationPlaceForm(
        {"country": spain.pk, "city": "Zaragoza", "latitude": "41", "longitude": "-1"},
        instance=Organisation(),
        user=user,
    )
    assert typed.is_valid() and not typed.coordinates_from_city
    assert (typed.cleaned_data["latitude"], typed.cleaned_data["longitude"]) == (41, -1)


def test_the_place_step_says_where_the_coordinates_came_from(client, spain):
    user = UserFactory()
    profile = OrganisationFactory(owner=user, status=Status.DRAFT, published_at=None)
    client.force_login(user)
    url = reverse("directory:organisation_edit_step", args=[profile.slug, "place"])
    response = client.post(url, {"country": spain.pk, "city": "Zaragoza"}, follow=True)
    assert "We placed the profile at the coordinates of Zaragoza" in response.content.decode()
    profile.refresh_from_db()
    assert near((profile.latitude, profile.longitude), 41.65, -0.88)


def test_the_forms_ask_for_the_map_above_their_coordinates(spain):
    user = UserFactory()
    for form_class, countries in (
        (OrganisationPlaceForm, "country"),
        (ProjectPlaceForm, "countries"),
    ):
        form = form_class(instance=form_class._meta.model(), user=user)
        attrs = form.fields["latitude"].widget.attrs
        assert "data-location-picker" in attrs
        assert attrs["data-countries-field"] == countries
        assert attrs["data-lookup-url"] == reverse(LOOKUP)
        assert attrs["data-outlines-url"].endswith("vendor/world-atlas/countries-110m.json")
        media = str(form.media)
        assert media.index("vendor/leaflet/leaflet.js") < media.index("js/location-picker.js")
        assert "vendor/topojson-client/topojson-client.min.js" in media
        assert "<script>" not in media  # nothing inline


def test_the_tiles_come_from_the_settings(spain, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example"
    form = OrganisationPlaceForm(instance=Organisation(), user=UserFactory())
    attrs = form.fields["latitude"].widget.attrs
    assert attrs["data-tile-url"] == settings.MAP_TILE_URL
    assert attrs["data-tile-attribution"] == "© Example"


# --- The map's lookup --------------------------------------------------------------------------


@pytest.fixture
def member(client, db):
    client.force_login(UserFactory())
    return client


def test_the_lookup_gives_the_coordinates_the_form_would_use(member, spain):
    answer = member.get(reverse(LOOKUP), {"city": "bilbao", "country": spain.pk})
    assert answer.status_code == 200
    found = answer.json()
    assert near((found["latitude"], found["longitude"]), 43.26, -2.93)
    OrganisationFactory(city="Bilbao", country=spain, latitude=43.3, longitude=-2.9)
    again = member.get(reverse(LOOKUP), {"city": "Bilbao", "country": spain.pk}).json()
    assert again == {"latitude": 43.3, "longitude": -2.9}
    anywhere = member.get(reverse(LOOKUP), {"city": "Lisboa"}).json()
    assert near((anywhere["latitude"], anywhere["longitude"]), 38.72, -9.13)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"city": "Xyzzyville"}, 404),
        ({}, 400),
        ({"city": " "}, 400),
        ({"city": "x" * 101}, 400),
        ({"city": "Bil\x00bao"}, 400),
        ({"city": "Bilbao", "country": "spain"}, 400),
        ({"city": "Bilbao", "country": "1e9"}, 400),
        ({"city": "Bilbao", "country": ["1"] * 51}, 400),
        ({"city": "Bilbao", "country": "999999999"}, 404),
    ],
)
def test_bad_or_unknown_lookups_are_refused_with_a_reason(member, query, status):
    answer = member.get(reverse(LOOKUP), query)
    assert answer.status_code == status
    assert answer.json()["error"]


def test_the_lookup_is_for_people_signed_in_and_rate_limited(client, member, monkeypatch):
    client.logout()
    assert client.get(reverse(LOOKUP), {"city": "Bilbao"}).status_code == 302
    client.force_login(UserFactory())
    monkeypatch.setattr(lookup, "LOOKUPS_PER_MINUTE", 2)
    for _ in range(2):
        assert client.get(reverse(LOOKUP), {"city": "Bilbao"}).status_code == 200
    refused = client.get(reverse(LOOKUP), {"city": "Bilbao"})
    assert refused.status_code == 429 and refused.json()["error"]


def test_a_lookup_costs_a_few_queries(member, spain, django_assert_num_queries):
    member.get(reverse(LOOKUP), {"city": "Bilbao", "country": spain.pk})  # vocabulary cached
    # the session and the user; the organisations and the projects in that city
    with django_assert_num_queries(4):
        member.get(reverse(LOOKUP), {"city": "Bilbao", "country": [spain.pk, spain.pk + 1]})
