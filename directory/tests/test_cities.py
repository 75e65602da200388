"""City names as one spelling per place (directory.cities), from the import and from the forms."""

import pytest
from reversion.models import Version

from directory.cities import city_canonical
from directory.forms import coordinates_for_place
from directory.models import Country
from directory.services.profiles import organisation_create
from directory.services.profiles import profile_update
from directory.services.profiles import project_create
from directory.tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("Milano", None, "Milan"),
        ("Milan", "IT", "Milan"),
        ("ROME", None, "Rome"),
        ("Roma", "IT", "Rome"),
        ("huesca", "ES", "Huesca"),
        ("Torino", None, "Turin"),
        ("Lisboa", "PT", "Lisbon"),
        ("Krakow", None, "Kraków"),
        ("München", None, "Munich"),
        ("  Den   Haag ", "NL", "The Hague"),
        # Not in the gazetteer (under 15,000 people): the spelling kept, its case mended.
        ("Zamudio", "ES", "Zamudio"),
        ("penryn", "GB", "Penryn"),
        ("ZAMUDIO", "ES", "Zamudio"),
        ("NEWCASTLE-UNDER-LYME", "GB", "Newcastle under Lyme"),
        # A name the country has no place for is not moved abroad.
        ("Roma", "SE", "Roma"),
        ("", None, ""),
    ],
)
def test_city_canonical(typed, country, expected):
    assert city_canonical(typed, country) == expected


def test_a_city_typed_in_a_form_is_written_as_the_gazetteer_names_it(user):
    italy = Country.objects.get(code="IT")
    organisation = organisation_create(
        user=user, name="Officina", fields={"city": "Milano", "country": italy}
    )
    assert organisation.city == "Milan"
    version = Version.objects.get_for_object(organisation).get()
    assert version.revision.comment == "Created (city “Milano” written “Milan”)"
    profile_update(profile=organisation, user=user, fields={"city": "ROMA"})
    organisation.refresh_from_db()
    assert organisation.city == "Rome"
    latest = Version.objects.get_for_object(organisation).first()
    assert "city “ROMA” written “Rome”" in latest.revision.comment
    project = project_create(
        user=user, name="Trees", fields={"city": "lisboa"}, relations={"countries": []}
    )
    assert project.city == "Lisbon"
    # The facet key follows: one city, whatever the spelling typed.
    assert "city:lisbon" in project.facet_keys


def test_coordinates_are_borrowed_whatever_the_spelling(db):
    italy = Country.objects.get(code="IT")
    OrganisationFactory(
        name="Officina", city="Milan", country=italy, latitude=45.46, longitude=9.19
    )
    assert coordinates_for_place("milano", [italy.pk]) == (45.46, 9.19)
