"""The data page: what the downloads hold, how to filter them, their licences and citation."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from core.exports import EXPORTS
from core.exports import LIST_SEPARATOR
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

DATA_PAGE = "/en/data/"


class Tables(HTMLParser):
    """The page's tables: caption, column headers and, per row, its header and cells."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.in_code = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "columns": [], "rows": []})
        elif tag == "caption":
            self.cell = ["caption", ""]
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self.cell = [tag, "", attrs.get("scope")]

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = self.cell[1].strip()
            self.cell = None
        elif tag in ("th", "td") and self.cell:
            kind, text, scope = self.cell
            if kind == "th" and scope == "col":
                self.tables[-1]["columns"].append(text.strip())
            else:
                self.tables[-1]["rows"][-1].append((kind, scope, text.strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def tables(response) -> list[dict]:
    parser = Tables()
    parser.feed(response.content.decode())
    for table in parser.tables:
        table["rows"] = [row for row in table["rows"] if row]
    return parser.tables


@pytest.fixture
def page(client, db):
    return client.get(DATA_PAGE)


def test_the_page_explains_every_field_of_both_downloads(page):
    assert page.status_code == 200
    found = {table["caption"]: table for table in tables(page)}
    for plural, export in EXPORTS.items():
        caption = f"The {len(export.columns)} fields of the {plural} files"
        table = found[caption]
        assert table["columns"] == ["Field", "Type", "In 2017", "Description"]
        # one row per column, in the files' order, each headed by its name
        assert [row[0] for row in table["rows"]] == [
            ("th", "row", column.name) for column in export.columns
        ]
        for row, column in zip(table["rows"], export.columns, strict=True):
            assert row[3][2] == str(column.description)
            assert row[2][2] == ("yes" if column.since_2017 else "new")
        types = {row[0][2]: row[1][2] for row in table["rows"]}
        assert types[export.columns[0].name] == "whole number"
        assert "list of" in types.get("tags", "list of")  # funding opportunities have none


def test_the_page_links_to_the_downloads_the_datapackage_and_the_api(page):
    html = page.content.decode()
    for url in (
        "/data/organisations.csv",
        "/data/organisations.json",
        "/data/projects.csv",
        "/data/projects.json",
        "/data/organisations.geojson",
        "/data/projects.geojson",
        "/data/events.geojson",
        "/data/datapackage.json",
        "/api/v1/docs/",
    ):
        assert f'href="{url}"' in html
    assert f"“<code>{LIST_SEPARATOR}</code>”" in html
    # each download's link says which file it is, to those who hear it out of its table
    assert 'download>CSV<span class="visually-hidden"> (Organisations)</span></a>' in html
    assert 'download>JSON<span class="visually-hidden"> (Projects)</span></a>' in html
    assert 'download>GeoJSON<span class="visually-hidden"> (Events)</span></a>' in html
    assert "/data/stories.geojson" not in html  # stories have no place


def test_the_example_filters_work(client, page):
    OrganisationFactory(name="Fab Lab Newest")
    ProjectFactory(name="Some project")
    html = page.content.decode()
    examples = re.findall(r'href="(/data/[a-z]+\.(?:csv|json)\?[^"]+)"', html)
    assert len(examples) == 3
    for url in examples:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        b"".join(response.streaming_content)


def test_the_page_states_the_licences_and_how_to_cite(page, settings):
    html = page.content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in html
    assert 'href="https://creativecommons.org/licenses/by-nc-sa/4.0/">CC BY-NC-SA 4.0</a>' in html
    assert "not for commercial purposes" in html
    today = timezone.localdate()
    citation = (
        f"{settings.SITE_NAME} ({today.year}). Directory of digital social innovation in Europe: "
        f"organisations and projects [data set]. {settings.SITE_URL}/data/ "
        f"(accessed {today.day} {today:%B} {today.year})."
    )
    assert citation in html


def test_the_licence_of_new_contributions_follows_the_settings(client, db, settings):
    settings.CONTENT_LICENCE = "CC BY-SA 4.0"
    html = client.get(DATA_PAGE).content.decode()
    assert (
        'href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a> licence.' in html
    )
    assert "even commercially, if you credit the source and share what you make" in html


def test_the_page_is_accessible_without_javascript(page):
    html = page.content.decode()
    assert '<h1 id="data-title">Open data</h1>' in html
    headings = re.findall(r"<h2 id=\"[a-z-]+\">([^<]+)</h2>", html)
    assert headings == [
        "Downloads",
        "Downloading part of the directory",
        "Formats",
        "Fields",
        "Licences",
        "How to cite",
    ]
    for table in tables(page):
        assert table["caption"]
        assert table["columns"]
        assert all(row[0][:2] == ("th", "row") for row in table["rows"])
    # No script of its own: only the site-wide progressive enhancements, loaded from files.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_page_runs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(DATA_PAGE).status_code == 200


@pytest.mark.parametrize("language", ["de", "fr", "it", "es", "ca"])
def test_the_page_exists_in_every_language(client, db, language):
    response = client.get(f"/{language}/data/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_the_bare_address_sends_visitors_to_the_page_in_their_language(client, db):
    response = client.get("/data/")
    assert response.status_code == 302
    assert response["Location"] == "/en/data/"
    response = client.get("/data/", headers={"accept-language": "fr"})
    assert response["Location"] == "/fr/data/"
    assert client.get("/data/nothing.csv").status_code == 404


def test_the_footer_links_to_the_page(client, db):
    html = client.get("/en/about/").content.decode()
    assert '<a href="/en/data/">Open data</a>' in html


def filter_rows(response) -> list[list[str]]:
    """The rows of the table of filters (parameter, what it applies to, what it selects)."""
    for table in tables(response):
        if table["rows"] and table["rows"][0][0] == ("th", "row", "q"):
            return [[text for _kind, _scope, text in row] for row in table["rows"]]
    raise AssertionError("no table of filters")


@pytest.mark.parametrize("language", ["de", "fr", "it", "es", "ca"])
def test_the_table_of_filters_is_translated(client, db, language):
    english = filter_rows(client.get(DATA_PAGE))
    translated = filter_rows(client.get(f"/{language}/data/"))
    assert [row[0] for row in translated] == [row[0] for row in english]
    # A single word may be the same in both languages ("organisations" in French), not more.
    untranslated = [
        text
        for row, english_row in zip(translated, english, strict=True)
        for text, english_text in zip(row[1:], english_row[1:], strict=True)
        if text == english_text and len(text.split()) > 1
    ]
    assert untranslated == []
