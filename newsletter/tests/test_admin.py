"""Subscribers in the admin: the list with its filters and search."""

from newsletter.models import SubscriberStatus
from newsletter.tests.helpers import subscriber

LIST_URL = "/en/admin/newsletter/subscriber/"


def test_the_list_filters_by_status_and_language_and_searches(admin_client):
    subscriber("ada@example.org", status=SubscriberStatus.CONFIRMED)
    subscriber("bea@example.org", language="de")
    page = admin_client.get(LIST_URL).content.decode()
    assert "ada@example.org" in page and "bea@example.org" in page
    assert "?status__exact=confirmed" in page
    assert "?language__exact=de" in page

    def shown(query):
        response = admin_client.get(LIST_URL + query)
        assert response.status_code == 200
        return [row.email for row in response.context["cl"].result_list]

    assert shown("?status__exact=confirmed") == ["ada@example.org"]
    assert shown("?language__exact=de") == ["bea@example.org"]
    assert shown("?q=BEA@") == ["bea@example.org"]


def test_a_subscriber_shows_the_consent_given(admin_client):
    someone = subscriber(consent_text="I want the newsletter.")
    page = admin_client.get(f"{LIST_URL}{someone.pk}/change/").content.decode()
    assert "I want the newsletter." in page
