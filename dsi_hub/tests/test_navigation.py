"""The site's navigation (dsi_hub.context_processors): every section, clusters and resources
among them, reachable from the header, the stories section, the home page and the about page."""

import re

import pytest

from dsi_hub.context_processors import main_navigation


def header_links(html: str) -> list[tuple[str, str, bool]]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return [
        (url, label, bool(current))
        for url, current, label in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav
        )
    ]


def test_the_header_links_to_clusters_and_resources(client, db):
    links = header_links(client.get("/en/").content.decode())
    assert ("/en/stories/clusters/", "Clusters", False) in links
    assert ("/en/stories/resources/", "Resources", False) in links


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/en/stories/", "/en/stories/"),
        ("/en/stories/some-story/", "/en/stories/"),
        ("/en/stories/clusters/", "/en/stories/clusters/"),
        ("/en/stories/clusters/health-and-care/", "/en/stories/clusters/"),
        ("/en/stories/resources/", "/en/stories/resources/"),
        ("/en/organisations/", "/en/organisations/"),
        ("/en/", None),
    ],
)
def test_one_section_is_current_the_one_holding_the_page(path, current):
    marked = [item["url"] for item in main_navigation(path) if item["current"]]
    assert marked == ([current] if current else [])


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/en/stories/", "/en/stories/"),
        ("/en/stories/clusters/", "/en/stories/clusters/"),
        ("/en/stories/resources/", "/en/stories/resources/"),
    ],
)
def test_the_stories_section_links_its_three_pages(client, db, path, current):
    html = client.get(path).content.decode()
    nav = re.search(r'<nav class="section-nav stories-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == [
        "/en/stories/",
        "/en/stories/clusters/",
        "/en/stories/resources/",
    ]
    assert f'<a href="{current}" aria-current="page">' in nav


@pytest.mark.parametrize("path", ["/en/", "/en/about/"])
def test_the_home_and_about_pages_link_clusters_and_resources(client, db, path):
    html = client.get(path).content.decode()
    assert '<a href="/en/stories/clusters/">Clusters</a>' in html
    assert '<a href="/en/stories/resources/">Resources</a>' in html
