"""The event form's place (events.forms.EventForm, directory.places): coordinates typed, found
from the city, or none for an event held online only; and the map asked for above them."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from directory.models import Country
from events.forms import EventForm
from events.models import Event
from events.tests.helpers import form_data

NEW = reverse("events:event_create")


@pytest.fixture
def author_client(client, db):
    client.force_login(UserFactory(email="placer@example.org"))
    return client


@pytest.fixture
def portugal(db):
    return Country.objects.get(code="PT")


def test_typed_coordinates_are_kept(author_client, portugal):
    data = form_data(country=portugal.pk, latitude="38.7101", longitude="-9.1366")
    assert author_client.post(NEW, data).status_code == 302
    event = Event.objects.get()
    assert (event.latitude, event.longitude) == (38.7101, -9.1366)


def test_empty_coordinates_are_those_of_the_city(author_client, portugal):
    assert author_client.post(NEW, form_data(country=portugal.pk)).status_code == 302
    event = Event.objects.get()
    assert abs(event.latitude - 38.72) < 0.1 and abs(event.longitude + 9.13) < 0.1
    assert event.city == "Lisboa"


def test_without_a_country_no_place_is_guessed(author_client):
    assert author_client.post(NEW, form_data()).status_code == 302
    assert Event.objects.get().latitude is None


def test_an_event_online_only_has_no_coordinates(author_client, portugal):
    data = form_data(
        attendance="online", country=portugal.pk, latitude="38.7", longitude="-9.1", venue=""
    )
    assert author_client.post(NEW, data).status_code == 302
    event = Event.objects.get()
    assert event.latitude is None and event.longitude is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("91", "0", "latitude"), ("0", "181", "longitude"), ("38.7", "", "longitude")],
)
def test_coordinates_out_of_range_or_half_given_are_refused(
    author_client, portugal, latitude, longitude, field
):
    data = form_data(country=portugal.pk, latitude=latitude, longitude=longitude)
    response = author_client.post(NEW, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    # A draft keeps what was valid, but coordinates only both together.
    assert not Event.objects.filter(latitude__isnull=False).exists()
    assert not Event.objects.filter(longitude__isnull=False).exists()


def test_the_form_asks_for_the_map_over_its_coordinates(author_client):
    form = EventForm(user=UserFactory())
    attrs = form.fields["latitude"].widget.attrs
    assert "data-location-picker" in attrs and attrs["data-countries-field"] == "country"
    assert "js/location-picker.js" in str(form.media)
    page = author_client.get(NEW).content.decode()
    assert 'data-location-picker=""' in page
    assert page.index('name="country"') < page.index('name="latitude"')
