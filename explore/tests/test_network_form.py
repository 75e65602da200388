"""The network page's form: the lists' filters as fields (the chosen side's only), the chosen
values selected, tags kept hidden; and the lists' link to the same selection as a network."""

import re

from django.urls import reverse

URL = reverse("explore:network")


def _fields(html: str) -> set[str]:
    return set(re.findall(r'<select name="(\w+)" id="network-', html))


def test_the_form_has_the_chosen_lists_filters_with_their_values(client, db):
    from directory.models import Tag

    Tag.objects.create(name="x", slug="x")
    html = client.get(URL, {"country": "spain", "city": "Girona", "tag": "x"}).content.decode()
    assert _fields(html) == {"country", "area", "tech", "focus", "type", "size"}
    assert '<option value="spain" selected>' in html
    assert 'id="network-city" value="Girona"' in html
    assert '<input type="hidden" name="tag" value="x">' in html
    assert 'type="hidden" name="country"' not in html and 'type="hidden" name="select"' not in html
    projects = client.get(URL, {"select": "projects", "live": "live"}).content.decode()
    assert _fields(projects) == {"country", "area", "tech", "focus", "live"}
    assert '<option value="live" selected>' in projects


def test_the_forms_any_is_no_filter(client, db):
    answer = client.get(URL, {"country": "", "area": "", "q": "", "select": "projects", "type": ""})
    assert answer.status_code == 200


def test_the_lists_link_to_the_same_selection_as_a_network(client, db):
    html = client.get("/en/projects/", {"country": "spain", "q": "open"}).content.decode()
    link = f'<a href="{URL}?select=projects&amp;country=spain&amp;q=open">See as a network</a>'
    assert link in html
    html = client.get("/en/organisations/").content.decode()
    assert f'<a href="{URL}?select=organisations">See as a network</a>' in html
