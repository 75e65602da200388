"""robots.txt: the public site open to crawlers, private pages closed, the sitemap announced."""

import re

import pytest
from django.conf import settings

SITE = "https://hub.example.org"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def rules(text: str) -> list[tuple[bool, str]]:
    """(allowed, pattern) for the group that applies to every crawler."""
    found, applies = [], False
    for line in text.splitlines():
        field, _colon, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "user-agent":
            applies = value == "*"
        elif applies and field in ("allow", "disallow") and value:
            found.append((field == "allow", value))
    return found


def allowed(text: str, path: str) -> bool:
    """RFC 9309: the longest matching pattern decides ("*" is any run of characters, "$" the
    end), an allow winning a tie; no match means allowed."""
    best = None
    for is_allow, pattern in rules(text):
        regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(regex, path) and (
            best is None or (len(pattern), is_allow) > (len(best[1]), best[0])
        ):
            best = (is_allow, pattern)
    return best is None or best[0]


@pytest.fixture
def robots(client, db) -> str:
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "",
        "about/",
        "organisations/",
        "organisations/fab-lab/",
        "projects/decidim/",
        "projects/?area=health-and-care&page=2",
        "search/?q=data",
        "people/ada/",
        "feeds/new.atom",
    ],
)
def test_public_pages_are_open_to_crawlers(robots, language, path):
    assert allowed(robots, f"/{language}/{path}")


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/docs/", "/data/organisations.csv"])
def test_the_open_data_is_open_to_crawlers(robots, path):
    assert allowed(robots, path)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "admin/",
        "admin/directory/organisation/",
        "accounts/login/",
        "accounts/signup/",
        "account/profile/",
        "account/data/",
        "dashboard/",
        "lookup/organisations/",
        "invitations/12/",
        "organisations/new/",
        "projects/new/",
        "organisations/fab-lab/edit/",
        "organisations/fab-lab/edit/images/",
        "projects/decidim/preview/",
        "projects/decidim/submit/",
        "organisations/fab-lab/archive/",
        "organisations/fab-lab/members/",
        "projects/decidim/join/",
        "organisations/fab-lab/report/",
    ],
)
def test_private_and_editing_pages_are_closed_to_crawlers(robots, language, path):
    assert not allowed(robots, f"/{language}/{path}")


def test_the_sitemap_is_announced_on_the_site_url(robots):
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()
    assert "localhost" not in robots


def test_crawlers_may_ask_with_head_but_not_post(client, db):
    assert client.head("/robots.txt").status_code == 200
    assert client.head("/sitemap.xml").status_code == 200
    assert client.post("/robots.txt").status_code == 405
    assert client.post("/sitemap.xml").status_code == 405


@pytest.mark.parametrize(
    ("path", "crawlable"),
    [
        ("/en/projects/?area=health-and-care", True),
        ("/en/projects/?area=health-and-care&page=2", True),
        ("/en/projects/?area=health-and-care&tech=open-data", True),
        ("/en/projects/?area=health-and-care&tech=open-data&country=spain", False),
        ("/de/organisations/?type=startup&size=1-5&tag=fablab&page=3", False),
    ],
)
def test_filter_combinations_without_end_are_closed_to_crawlers(robots, path, crawlable):
    assert allowed(robots, path) is crawlable


def test_no_rule_names_a_page_that_is_gone(robots):
    assert "/i18n/" not in robots
