"""Bulk downloads of the published directory: CSV, JSON and datapackage.json."""

import csv
import datetime as dt
import io
import json
import re
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.exports import EXPORTS
from core.exports import FORMATS
from core.exports import LIST_SEPARATOR
from core.exports import csv_line
from core.exports import read_ahead
from core.exports import stream
from core.models import Licence
from core.models import Status
from core.tests.downloads import body
from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.search import profile_reindex
from directory.services.profiles import tags_from_names
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

ORGANISATIONS_CSV = "/data/organisations.csv"
ORGANISATIONS_JSON = "/data/organisations.json"
PROJECTS_CSV = "/data/projects.csv"
PROJECTS_JSON = "/data/projects.json"
DATAPACKAGE = "/data/datapackage.json"
HIDDEN = [Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED]
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def by_name(rows, key):
    return {row[key]: row for row in rows}


def tagged(profile, **relations):
    for relation, names in relations.items():
        getattr(profile, relation).set(tags_from_names(names))
    profile_reindex(profile)
    return profile


@pytest.fixture
def directory(db):
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    open_data = Technology.objects.get(slug="open-data")
    sensors = Technology.objects.get(slug="sensors-and-internet-of-things")
    fablab = tagged(
        OrganisationFactory(
            name="Fab Lab Barcelona",
            city="Barcelona",
            country=spain,
            organisation_type=OrganisationType.objects.get(slug="for-profit-business"),
            organisation_size=OrganisationSize.objects.get(slug="6-10-people"),
            address="Pujades 102",
            website="https://fablabbcn.org",
            start_date=dt.date(2007, 5, 1),
            latitude=41.39,
            longitude=2.19,
            links=["https://twitter.com/fablabbcn"],
        ),
        tags=["makers", "Fabrication"],
        network_tags=["Fab Lab Network"],
    )
    liberte = OrganisationFactory(
        name="Liberté Numérique",
        city="Lyon",
        country=france,
        legacy_id=1234,
        licence=Licence.CC_BY_NC_SA_4,
        longitude=-0.5,
        latitude=45.75,
    )
    hidden_organisations = [
        OrganisationFactory(name=f"Hidden {status} organisation", status=status)
        for status in HIDDEN
    ]
    smart = tagged(
        ProjectFactory(
            name="Smart Citizen",
            short_description="Sensors, for air quality",
            description='<p>Open "sensors".</p>\n<p>Second line</p>',
            social_impact="<p>Cleaner air</p>",
            start_date=dt.date(2012, 1, 1),
            vocabularies__social_areas=[health, democracy],
            vocabularies__technologies=[sensors, open_data],
            vocabularies__countries=[spain, france],
        ),
        tags=["air", "Sensors"],
        who_we_help=["Citizens", "air"],
        network_tags=["Making Sense"],
    )
    smart.focus.set([DSIFocus.objects.get(slug="open-hardware")])
    profile_reindex(smart)
    closed = ProjectFactory(
        name="Closed one",
        live=False,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2016, 6, 30),
        vocabularies__social_areas=[democracy],
        vocabularies__countries=[france],
        legacy_id=77,
        licence=Licence.CC_BY_NC_SA_4,
    )
    hidden_projects = [
        ProjectFactory(name=f"Hidden {status} project", status=status) for status in HIDDEN
    ]
    for organisation in (fablab, liberte, *hidden_organisations):
        ProjectOrganisation.objects.create(project=smart, organisation=organisation)
    for project in (closed, *hidden_projects):
        ProjectOrganisation.objects.create(project=project, organisation=fablab)
    return {"fablab": fablab, "liberte": liberte, "smart": smart, "closed": closed}


# --- What the files hold ---------------------------------------------------------------------


def test_organisations_csv_holds_only_published_organisations_with_their_fields(client, directory):
    response = client.get(ORGANISATIONS_CSV)
    rows = by_name(csv_rows(response), "organisation_name")
    assert sorted(rows) == ["Fab Lab Barcelona", "Liberté Numérique"]
    fablab, smart = directory["fablab"], directory["smart"]
    row = rows["Fab Lab Barcelona"]
    assert row["organisation_id"] == str(fablab.pk)
    assert row["slug"] == "fab-lab-barcelona"
    assert row["url"] == f"{settings.SITE_URL}/en/organisations/fab-lab-barcelona/"
    assert row["website"] == "https://fablabbcn.org"
    assert row["short_description"] == fablab.short_description
    assert row["long_description"] == fablab.description
    assert (row["country"], row["country_code"]) == ("Spain", "ES")
    assert row["region"] == row["city"] == "Barcelona"
    assert (row["latitude"], row["longitude"]) == ("41.39", "2.19")
    assert row["address"] == "Pujades 102"
    assert row["organisation_type"] == "For-profit business"
    assert row["organisation_size"] == "6-10 people"
    assert row["startDate"] == "2007-05-01"
    # the closed project is published; the hidden ones are not
    expected = sorted([smart.pk, directory["closed"].pk])
    assert row["linked_project_ids"] == LIST_SEPARATOR.join(map(str, expected))
    assert row["tags"] == "Fabrication; makers"
    assert row["networkTags"] == "Fab Lab Network"
    assert row["links"] == "https://twitter.com/fablabbcn"
    assert row["created"] == fablab.created_at.astimezone(dt.UTC).date().isoformat()
    assert MOMENT.match(row["published"]) and MOMENT.match(row["updated"])
    assert row["licence"] == "CC BY 4.0"
    assert row["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert row["legacy_id"] == ""
    # nothing a visitor may not see
    for private in ("email", "spam", "created_by", "rejection", "status"):
        assert not [name for name in row if private in name]


def test_imported_records_carry_their_2017_id_and_licence(client, directory):
    rows = by_name(csv_rows(client.get(ORGANISATIONS_CSV)), "organisation_name")
    row = rows["Liberté Numérique"]
    assert row["legacy_id"] == "1234"
    assert row["licence"] == "CC BY-NC-SA 4.0"
    assert row["licence_url"] == "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert row["longitude"] == "-0.5"  # a number, not guarded as a formula
    assert row["linked_project_ids"] == str(directory["smart"].pk)
    assert row["organisation_size"] == row["tags"] == row["startDate"] == ""


def test_projects_csv_holds_only_published_projects_with_their_fields(client, directory):
    rows = by_name(csv_rows(client.get(PROJECTS_CSV)), "project_name")
    assert sorted(rows) == ["Closed one", "Smart Citizen"]
    smart = directory["smart"]
    row = rows["Smart Citizen"]
    assert row["project_id"] == str(smart.pk)
    assert row["url"] == f"{settings.SITE_URL}/en/projects/smart-citizen/"
    assert row["long_description"] == smart.description  # quotes and line breaks survive
    assert row["social_impact"] == "<p>Cleaner air</p>"
    assert (row["start_date"], row["end_date"], row["live"]) == ("2012-01-01", "", "true")
    # countries in their display order (by name); the first is the 2017 export's single country
    assert row["countries"] == "France; Spain"
    assert row["country_codes"] == "FR; ES"
    assert row["country"] == "France"
    published = sorted([directory["fablab"].pk, directory["liberte"].pk])
    assert row["linked_organisation_ids"] == LIST_SEPARATOR.join(map(str, published))
    # "air" is both a tag and someone the project helps: it is in both lists
    assert row["who_we_help_tags"] == "air; Citizens"
    assert row["tags"] == "air; Sensors"
    assert row["networkTags"] == "Making Sense"
    assert row["support_tags"] == "Health and care; Digital democracy"
    assert row["technology"] == "Open data; Sensors and internet of things"
    assert row["focus"] == "Open hardware"
    assert row["creation_date"] == smart.created_at.astimezone(dt.UTC).date().isoformat()
    assert row["licence"] == "CC BY 4.0" and row["legacy_id"] == ""

    closed = rows["Closed one"]
    assert (closed["end_date"], closed["live"]) == ("2016-06-30", "false")
    assert (closed["legacy_id"], closed["licence"]) == ("77", "CC BY-NC-SA 4.0")
    assert closed["who_we_help_tags"] == closed["tags"] == closed["focus"] == ""
    assert closed["linked_organisation_ids"] == str(directory["fablab"].pk)


def test_a_project_keeps_who_it_helps_apart_from_its_tags(client, directory):
    smart = directory["smart"]
    smart.tags.set(tags_from_names(["Sensors"]))
    profile_reindex(smart)
    rows = by_name(json_rows(client.get(PROJECTS_JSON)), "project_name")
    assert rows["Smart Citizen"]["tags"] == ["Sensors"]
    assert rows["Smart Citizen"]["who_we_help_tags"] == ["air", "Citizens"]


def test_json_has_the_same_fields_with_real_lists_numbers_and_nulls(client, directory):
    organisations = by_name(json_rows(client.get(ORGANISATIONS_JSON)), "organisation_name")
    assert list(organisations["Fab Lab Barcelona"]) == EXPORTS["organisations"].header
    fablab = organisations["Fab Lab Barcelona"]
    assert fablab["organisation_id"] == directory["fablab"].pk
    assert fablab["tags"] == ["Fabrication", "makers"]
    assert fablab["linked_project_ids"] == sorted([directory["smart"].pk, directory["closed"].pk])
    assert (fablab["latitude"], fablab["legacy_id"]) == (41.39, None)
    assert organisations["Liberté Numérique"]["startDate"] is None

    projects = by_name(json_rows(client.get(PROJECTS_JSON)), "project_name")
    assert list(projects["Smart Citizen"]) == EXPORTS["projects"].header
    smart, closed = projects["Smart Citizen"], projects["Closed one"]
    assert smart["countries"] == ["France", "Spain"]
    assert smart["live"] is True and closed["live"] is False
    assert smart["end_date"] is None and closed["end_date"] == "2016-06-30"
    assert closed["legacy_id"] == 77
    assert smart["who_we_help_tags"] == ["air", "Citizens"]


def test_nothing_unpublished_appears_in_any_file(client, directory):
    for url in (ORGANISATIONS_CSV, ORGANISATIONS_JSON, PROJECTS_CSV, PROJECTS_JSON):
        text = body(client.get(url))
        assert "Hidden" not in text


def test_empty_results_are_still_valid_files(client, directory):
    assert csv_rows(client.get(ORGANISATIONS_CSV, {"q": "nothing matches this"})) == []
    assert json_rows(client.get(PROJECTS_JSON, {"q": "nothing matches this"})) == []
    header = body(client.get(PROJECTS_CSV, {"q": "nothing"})).splitlines()
    assert header == [",".join(EXPORTS["projects"].header)]


# --- Filters -----------------------------------------------------------------------------------


def test_filters_are_those_of_the_lists_and_combine(client, directory):
    other = ProjectFactory(
        name="Health in Spain",
        vocabularies__social_areas=[SocialArea.objects.get(slug="health-and-care")],
        vocabularies__countries=[Country.objects.get(code="ES")],
    )
    assert other.pk
    names = [
        row["project_name"]
        for row in csv_rows(
            client.get(
                PROJECTS_CSV,
                {"country": "spain", "area": "health-and-care", "tech": "open-data"},
            )
        )
    ]
    assert names == ["Smart Citizen"]
    names = [
        row["project_name"]
        for row in json_rows(client.get(PROJECTS_JSON, {"country": ["spain", "france"]}))
    ]
    assert names == ["Closed one", "Health in Spain", "Smart Citizen"]  # either country
    names = [
        row["project_name"] for row in json_rows(client.get(PROJECTS_JSON, {"live": "closed"}))
    ]
    assert names == ["Closed one"]
    rows = csv_rows(
        client.get(ORGANISATIONS_CSV, {"type": "for-profit-business", "city": "BARCELONA"})
    )
    assert [row["organisation_name"] for row in rows] == ["Fab Lab Barcelona"]
    rows = json_rows(
        client.get(ORGANISATIONS_JSON, {"network": "fab-lab-network", "tag": "makers"})
    )
    assert [row["organisation_name"] for row in rows] == ["Fab Lab Barcelona"]
    rows = json_rows(client.get(ORGANISATIONS_JSON, {"q": "numerique"}))
    assert [row["organisation_name"] for row in rows] == ["Liberté Numérique"]


def test_rows_follow_the_chosen_order(client, directory, monkeypatch):
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 1)  # fetched one by one, read ahead
    now = timezone.now()
    ProjectFactory(name="Aardvark", published_at=now - dt.timedelta(days=30))
    ProjectFactory(name="Zebra", published_at=now + dt.timedelta(days=1))
    names = [row["project_name"] for row in json_rows(client.get(PROJECTS_JSON))]
    assert names == ["Aardvark", "Closed one", "Smart Citizen", "Zebra"]
    names = [
        row["project_name"] for row in json_rows(client.get(PROJECTS_JSON, {"sort": "newest"}))
    ]
    assert names[0] == "Zebra" and names[-1] == "Aardvark"


# --- Refusals ----------------------------------------------------------------------------------


def test_bad_parameters_get_a_400_with_a_message_per_field_as_json(client, directory):
    response = client.get(PROJECTS_JSON, {"country": "atlantis", "live": "maybe", "sort": "x"})
    assert response.status_code == 400
    assert not response.streaming
    errors = response.json()
    assert set(errors) == {"country", "live", "sort"}
    assert "atlantis" in errors["country"][0]
    assert all(isinstance(messages, list) and messages for messages in errors.values())


def test_bad_parameters_get_a_400_with_a_message_per_field_as_text_for_csv(client, directory):
    response = client.get(
        ORGANISATIONS_CSV, {"type": "spaceship", "tag": "no-such-tag", "q": "x" * 201}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("The download was refused")
    assert {line.split(":")[0] for line in lines[1:]} == {"type", "tag", "q"}
    assert any("200 characters" in line for line in lines)


def test_too_many_values_for_one_filter_are_refused(client, directory):
    response = client.get(PROJECTS_JSON, {"tech": [t.slug for t in Technology.objects.all()[:11]]})
    assert response.status_code == 400
    assert "at most 10 values" in response.json()["tech"][0]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "\x00\x1f nul"},
        {"q": "", "country": "", "sort": ""},
        {"sort": "relevance"},
        {"sort": ["name", "newest"], "live": ["live", "closed"]},
        {"city": "x" * 101},
        {"tag": "x" * 500},
        {"page": "-1", "unknown": "ignored"},
        {"q": "é" * 199, "sort": "relevance"},
    ],
)
def test_odd_queries_get_a_file_or_a_400_never_an_error(client, directory, query):
    for url in (ORGANISATIONS_CSV, PROJECTS_JSON):
        response = client.get(url, query)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert body(response).startswith(("organisation_id", "["))


def test_only_reading_is_allowed(client, directory):
    assert client.post(ORGANISATIONS_CSV).status_code == 405
    response = client.head(PROJECTS_CSV)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b""
    assert "attachment" in response["Content-Disposition"]
    assert not response.has_header("Content-Length")


# --- Streaming, headers and cost ---------------------------------------------------------------


def test_downloads_are_streamed_attachments_that_proxies_may_keep_briefly(client, directory):
    today = timezone.localdate().isoformat()
    for url, filename in (
        (ORGANISATIONS_CSV, f"dsi-hub-organisations-{today}.csv"),
        (PROJECTS_JSON, f"dsi-hub-projects-{today}.json"),
    ):
        response = client.get(url)
        assert response.streaming is True
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        pieces = response.streaming_content
        assert next(pieces).startswith(b"organisation_id," if "organisations" in url else b"[")
        b"".join(pieces)


def test_the_first_bytes_go_out_before_any_query(client, directory, django_assert_num_queries):
    response = client.get(PROJECTS_JSON)
    pieces = response.streaming_content
    with django_assert_num_queries(0):
        assert next(pieces) == b"["
    assert json.loads(b"[" + b"".join(pieces))


def test_a_download_cut_short_closes_its_cursor_and_leaves_the_database_usable(db, monkeypatch):
    for number in range(10):
        ProjectFactory(name=f"Project {number}")
    monkeypatch.setattr("core.exports.PIECE_SIZE", 1)  # one piece per row
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 1)  # one row per fetch
    export = EXPORTS["projects"]
    pieces = stream(export, FORMATS["csv"], export.model.objects.published().order_by("name"))

    def open_cursors():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            return cursor.fetchone()[0]

    try:
        next(pieces), next(pieces)  # the header, then the first row: the cursor is open
        assert open_cursors() == 1
    finally:
        pieces.close()  # as when the client goes away
    assert open_cursors() == 0
    assert export.model.objects.published().count() == 10


def test_reading_ahead_keeps_every_row_in_order_and_stops_cleanly():
    assert list(read_ahead(iter(range(10)), size=3)) == list(range(10))
    assert list(read_ahead(iter(range(2)), size=3)) == [0, 1]
    assert list(read_ahead(iter(range(6)), size=3)) == list(range(6))

    closed = []

    def rows():
        try:
            yield from range(1000)
        finally:
            closed.append(True)

    found = read_ahead(rows(), size=10)
    assert [next(found) for _ in range(15)] == list(range(15))
    found.close()
    assert closed == [True]
    assert not [thread for thread in threading.enumerate() if thread.name.endswith("ahead")]


def test_reading_ahead_raises_what_went_wrong_while_fetching():
    def rows():
        yield from range(5)
        raise ValueError("the database went away")

    with pytest.raises(ValueError, match="went away"):
        list(read_ahead(rows(), size=2))


def _count_queries(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected) as captured:
        text = body(client.get(url))
    return text, captured


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # the countries' codes, the tags, the other kind's unpublished ids (and for projects,
        # the tags listed twice); then the cursor's settings and the rows, in a transaction
        # (a savepoint and its release here, inside the test's transaction; none in production)
        (ORGANISATIONS_CSV, 7),
        (ORGANISATIONS_JSON, 7),
        (PROJECTS_CSV, 8),
        (PROJECTS_JSON, 8),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, db, django_assert_num_queries, monkeypatch, settings, url, expected
):
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 5)  # several fetches for 30 rows
    settings.DOWNLOAD_FILES_DIR = ""  # made each time (kept files: test_download_files)
    spain = Country.objects.get(code="ES")
    tags = tags_from_names(["one", "two", "three"])

    def add(count):
        for _ in range(count):
            organisation = OrganisationFactory(country=spain)
            organisation.tags.set(tags)
            project = ProjectFactory()
            project.who_we_help.set(tags[:1])
            project.tags.set(tags)
            profile_reindex(organisation)
            profile_reindex(project)
            ProjectOrganisation.objects.create(project=project, organisation=organisation)

    add(3)
    body(client.get(url))  # the vocabularies' tables are cached from here on
    text, _ = _count_queries(client, url, django_assert_num_queries, expected)
    few = text.count("\n")
    add(27)
    text, _ = _count_queries(client, url, django_assert_num_queries, expected)
    assert text.count("\n") > few + 20


# --- CSV safety --------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(client, db):
    starts = ["=HYPERLINK(1)", "+1 cmd", "-2 cmd", "@SUM(A1)", "\tTab", "\rReturn"]
    for number, start in enumerate(starts):
        organisation = OrganisationFactory(name=f"Org {number}", short_description=start)
        # Stored as typed (a save writes cities as the gazetteer does, mending their case).
        Organisation.objects.filter(pk=organisation.pk).update(city=start)
    rows = csv_rows(client.get(ORGANISATIONS_CSV))
    assert sorted(row["short_description"] for row in rows) == sorted(f"'{s}" for s in starts)
    assert sorted(row["city"] for row in rows) == sorted(f"'{s}" for s in starts)
    # JSON is data, not a spreadsheet: it keeps the text as it is
    rows = json_rows(client.get(ORGANISATIONS_JSON))
    assert sorted(row["short_description"] for row in rows) == sorted(starts)


def test_a_tag_list_that_starts_like_a_formula_is_guarded_too(client, db):
    tagged(OrganisationFactory(name="Tagged"), tags=["=cmd|calc"])
    row = csv_rows(client.get(ORGANISATIONS_CSV))[0]
    assert row["tags"] == "'=cmd|calc"


@pytest.mark.parametrize(
    "cells",
    [
        ["plain", 1, 2.5, None, "", "comma, here", 'quote " here', "line\nbreak", "cr\rhere"],
        ["", None, ""],
        ['"', ",", "a\r\nb", "naïve ünïcode ✓", -3.25, 0, "trailing space "],
    ],
)
def test_csv_lines_are_written_as_the_csv_module_writes_them(cells):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    assert csv_line(cells) == buffer.getvalue()


def test_csv_lines_join_lists_and_write_booleans_in_lower_case():
    assert csv_line([["a", "b,c"], [1, 2], [], True, False]) == '"a; b,c",1; 2,,true,false\r\n'


# --- datapackage.json --------------------------------------------------------------------------


def test_the_datapackage_describes_every_download(client, directory):
    response = client.get(DATAPACKAGE)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    package = response.json()
    assert package["name"] == "dsi-hub-directory"
    assert package["title"] and package["description"]
    assert package["homepage"] == f"{settings.SITE_URL}/en/data/"
    assert [licence["name"] for licence in package["licenses"]] == [
        "CC-BY-4.0",
        "CC-BY-NC-SA-4.0",
    ]
    assert all(licence["path"].startswith("https://") for licence in package["licenses"])
    assert any("digitalsocial.eu" in source["path"] for source in package["sources"])
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == {
        "organisations-csv",
        "organisations-json",
        "organisations-geojson",  # core.geojson, tested in directory/tests/test_geojson.py
        "projects-csv",
        "projects-json",
        "projects-geojson",
        "events-csv",  # events.exports, tested in events/tests/test_exports.py
        "events-json",
        "events-geojson",
        "stories-csv",  # stories.exports, tested in stories/tests/test_exports.py
        "stories-json",
        "funding-csv",  # funding.exports, tested in funding/tests/test_exports.py
        "funding-json",
    }
    for name, resource in resources.items():
        plural, extension = name.split("-")
        assert resource["path"] == f"{settings.SITE_URL}/data/{plural}.{extension}"
        assert resource["format"] == extension
        assert resource["encoding"] == "utf-8"
        assert (
            resource["mediatype"]
            == {
                "csv": "text/csv",
                "json": "application/json",
                "geojson": "application/geo+json",
            }[extension]
        )
        assert re.fullmatch(r"[a-z0-9._-]+", name)


def test_the_csv_schemas_match_the_files_headers(client, directory):
    resources = {r["name"]: r for r in client.get(DATAPACKAGE).json()["resources"]}
    types = {"string", "integer", "number", "boolean", "date", "datetime"}
    for plural, url in (("organisations", ORGANISATIONS_CSV), ("projects", PROJECTS_CSV)):
        schema = resources[f"{plural}-csv"]["schema"]
        header = next(csv.reader(io.StringIO(body(client.get(url)))))
        assert [field["name"] for field in schema["fields"]] == header
        assert all(field["type"] in types and field["description"] for field in schema["fields"])
        assert schema["primaryKey"] == header[0]
        assert "json" not in resources[f"{plural}-json"].get("schema", {})


def test_the_columns_keep_the_names_of_the_2017_export(directory):
    organisation_2017 = {
        "organisation_id", "organisation_name", "website", "short_description",
        "long_description", "country", "region", "latitude", "longitude", "address",
        "organisation_type", "organisation_size", "startDate", "linked_project_ids", "tags",
        "networkTags", "created",
    }  # fmt: skip
    project_2017 = {
        "project_id", "project_name", "website", "short_description", "long_description",
        "social_impact", "start_date", "end_date", "country", "region", "latitude",
        "longitude", "linked_organisation_ids", "who_we_help_tags", "support_tags", "focus",
        "technology", "creation_date",
    }  # fmt: skip
    for plural, names in (("organisations", organisation_2017), ("projects", project_2017)):
        columns = EXPORTS[plural].columns
        assert names <= {column.name for column in columns}
        assert names == {column.name for column in columns if column.since_2017}
        new = {"slug", "url", "licence", "licence_url", "legacy_id", "updated", "city"}
        assert new <= {column.name for column in columns}


def test_the_site_licence_comes_from_the_settings(client, db, settings):
    settings.CONTENT_LICENCE = "CC0 1.0"
    package = client.get(DATAPACKAGE).json()
    assert [licence["name"] for licence in package["licenses"]] == ["CC0-1.0", "CC-BY-NC-SA-4.0"]
