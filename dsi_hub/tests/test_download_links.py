""" "Download these results" on every list page with a download (core.listing.download_links,
templates/partials/download_links.html): the links carry the list's filters, search and order
(not its page) to /data/, and the downloads honour them."""

import re
from html import unescape
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest

from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events.tests.factories import EventFactory
from funding.tests.factories import OpportunityFactory
from stories.tests.factories import StoryFactory

# list, the download's name, what makes an item, the column holding its title
LISTS = [
    (
        "/en/organisations/",
        "organisations",
        lambda title: OrganisationFactory(name=title),
        "organisation_name",
    ),
    ("/en/projects/", "projects", lambda title: ProjectFactory(name=title), "project_name"),
    ("/en/events/", "events", lambda title: EventFactory(title=title), "title"),
    ("/en/funding/", "funding", lambda title: OpportunityFactory(title=title), "title"),
    ("/en/stories/", "stories", lambda title: StoryFactory(title=title), "title"),
]


def download_links(html: str) -> dict[str, str]:
    block = re.search(r'<p class="download-links">.*?</p>', html, re.S)
    assert block is not None, "no download links"
    return {
        label: unescape(url)
        for url, label in re.findall(r'<a href="([^"]+)" download>(\w+)<', block.group(0))
    }


@pytest.mark.parametrize(("list_url", "plural", "make", "column"), LISTS)
def test_the_download_links_carry_the_filters_and_the_downloads_honour_them(
    client, db, list_url, plural, make, column
):
    make("Zebra crossing commons")
    make("Harbour lighthouse collective")
    response = client.get(list_url, {"q": "zebra", "page": "1"})
    assert response.status_code == 200
    links = download_links(response.content.decode())
    assert set(links) == {"CSV", "JSON"}
    for file_format, url in (("csv", links["CSV"]), ("json", links["JSON"])):
        address = urlsplit(url)
        assert address.path == f"/data/{plural}.{file_format}"
        assert parse_qsl(address.query) == [("q", "zebra")]  # not the page
    assert [row[column] for row in csv_rows(client.get(links["CSV"]))] == ["Zebra crossing commons"]
    assert [row[column] for row in json_rows(client.get(links["JSON"]))] == [
        "Zebra crossing commons"
    ]


def test_every_filter_and_the_order_go_with_the_download(client, db):
    OrganisationFactory(name="Zebra lab", city="Girona")
    response = client.get(
        "/en/organisations/", {"q": "zebra", "city": "Girona", "sort": "newest", "page": "1"}
    )
    links = download_links(response.content.decode())
    assert parse_qsl(urlsplit(links["CSV"]).query) == [
        ("q", "zebra"),
        ("city", "Girona"),
        ("sort", "newest"),
    ]


def test_without_results_there_is_nothing_to_download(client, db):
    html = client.get("/en/organisations/", {"q": "nothing-matches-this"}).content.decode()
    assert 'class="download-links"' not in html


def test_resources_have_no_download_so_no_link(client, db):
    assert 'class="download-links"' not in client.get("/en/stories/resources/").content.decode()


def test_the_data_page_points_to_the_lists_links(client, db):
    html = client.get("/en/data/").content.decode()
    assert "follow its “Download these results” links" in html
    assert "copy what follows the question mark" not in html
