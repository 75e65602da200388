"""A profile's dates kept apart: created (on digitalsocial.eu for the 2017 profiles, unknown
when the export did not say), published on the hub, updated, and "newest" by when a profile
first appeared in a directory, the undated 2017 profiles last."""

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from reversion.models import Revision
from reversion.models import Version

from core.models import Status
from directory.models import Organisation
from directory.services.import_records import REVISION_COMMENT
from directory.services.importing import directory_import_dsi4eu
from directory.services.profiles import profile_approve
from directory.tests.factories import OrganisationFactory

ORGANISATIONS = "/en/organisations/"


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def record(legacy_id: int, name: str, created: str) -> dict:
    return {
        "organisation_id": legacy_id,
        "organisation_name": name,
        "website": "",
        "short_description": "Something useful.",
        "long_description": "<p>We run workshops for the neighbourhood, every week.</p>",
        "country": "",
        "region": "",
        "latitude": "",
        "longitude": "",
        "address": "",
        "organisation_type": "",
        "organisation_size": "",
        "startDate": "2010-01-01",
        "linked_project_ids": [],
        "tags": [],
        "networkTags": [],
        "created": created,
    }


@pytest.fixture
def directory(db):
    """Two profiles published on the hub in 2023, and three imported from 2017, two of them
    without a known date (the import happens now)."""
    OrganisationFactory(name="Alpha 2023", published_at=moment("2023-03-01T10:00"))
    OrganisationFactory(name="Beta 2023", published_at=moment("2023-06-01T10:00"))
    directory_import_dsi4eu(
        organisations=[
            record(1, "Dated 2016", "2016-05-04"),
            record(2, "ZZZINC", "1970-01-01"),
            record(3, "Zooniverse", "1970-01-01"),
        ],
        projects=[],
    )


def names(response) -> list[str]:
    return [profile.name for profile in response.context["profiles"]]


def test_imported_dates_are_kept_apart(directory):
    dated = Organisation.objects.get(legacy_id=1)
    assert dated.created_at == moment("2016-05-04T12:00")
    assert dated.listed_at == dated.created_at
    assert dated.published_at.year >= 2025  # published on the hub by the import
    assert dated.start_date == dt.date(2010, 1, 1)  # founded
    undated = Organisation.objects.get(legacy_id=2)
    assert undated.created_at is None and undated.listed_at is None
    assert undated.published_at is not None


def test_newest_puts_2023_above_2017_and_the_undated_last(client, directory):
    found = names(client.get(ORGANISATIONS, {"sort": "newest"}))
    assert found[:3] == ["Beta 2023", "Alpha 2023", "Dated 2016"]
    assert set(found[3:]) == {"ZZZINC", "Zooniverse"}
    assert [row.name for row in Organisation.objects.published().newest()][:3] == [
        "Beta 2023",
        "Alpha 2023",
        "Dated 2016",
    ]


def test_the_api_orders_by_the_same_dates(client, directory):
    response = client.get("/api/v1/organisations/", {"ordering": "-published"})
    assert [row["name"] for row in response.json()["results"]][:3] == [
        "Beta 2023",
        "Alpha 2023",
        "Dated 2016",
    ]
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["ZZZINC"]["created"] is None
    assert rows["Dated 2016"]["created"].startswith("2016-05-04")
    oldest = client.get("/api/v1/organisations/", {"ordering": "published"}).json()["results"]
    assert [row["name"] for row in oldest][0] == "Dated 2016"
    assert [row["name"] for row in oldest][-2:] == ["ZZZINC", "Zooniverse"]


def test_downloads_leave_an_unknown_creation_date_empty(client, directory):
    response = client.get("/data/organisations.json")
    rows = json.loads(b"".join(response.streaming_content))
    created = {row["organisation_name"]: row["created"] for row in rows}
    assert created["ZZZINC"] in (None, "")
    assert created["Dated 2016"] == "2016-05-04"


def test_the_home_page_shows_the_newest_not_the_imported(client, directory):
    response = client.get("/en/")
    latest = [profile.name for profile in response.context["latest_organisations"]]
    assert latest[:3] == ["Beta 2023", "Alpha 2023", "Dated 2016"]  # not ZZZINC, Zooniverse...


def test_the_feed_leaves_out_the_undated_imports(client, directory):
    body = client.get("/en/feeds/new.atom").content.decode()
    assert "Beta 2023" in body and "Dated 2016" in body
    assert "ZZZINC" not in body and "Zooniverse" not in body


def test_a_page_says_when_it_was_created_published_and_updated(client, directory):
    html = client.get("/en/organisations/dated-2016/").content.decode()
    assert "First published on digitalsocial.eu on May 4, 2016." in html
    assert "Published on the hub on" in html
    assert "Last updated" not in html  # the import is not an update
    undated = client.get("/en/organisations/zzzinc/").content.decode()
    assert "First published on digitalsocial.eu." in undated
    assert "Last updated" not in undated
    # Changed on a later day than it was published: said so.
    Organisation.objects.filter(name="Alpha 2023").update(
        published_at=moment("2024-01-01T10:00"), updated_at=moment("2024-02-03T10:00")
    )
    html = client.get("/en/organisations/alpha-2023/").content.decode()
    assert "Published on the hub on Jan. 1, 2024." in html
    assert "Last updated Feb. 3, 2024." in html


def test_approving_a_held_import_keeps_its_place(directory, admin_user):
    directory_import_dsi4eu(organisations=[record(9, "prova", "1970-01-01")], projects=[])
    held = Organisation.objects.get(legacy_id=9)
    assert held.status == Status.PENDING
    profile_approve(profile=held, moderator=admin_user)
    held.refresh_from_db()
    assert held.status == Status.PUBLISHED and held.published_at is not None
    assert held.listed_at is None  # published on the hub today, still not "new"
    assert Organisation.objects.published().newest().first().name == "Beta 2023"


def test_the_data_migration_mends_rows_imported_before(db):
    """Rows as the importer wrote them before: the import moment as creation and publication
    date when the 2017 date was unknown, the 2017 date as publication date when known."""
    imported_on = moment("2026-11-30T08:00")
    revision = Revision.objects.create(date_created=imported_on, comment=REVISION_COMMENT)
    undated = OrganisationFactory(
        name="Old undated", legacy_id=51, created_at=imported_on, published_at=imported_on
    )
    dated = OrganisationFactory(
        name="Old dated",
        legacy_id=52,
        created_at=moment("2016-05-04T12:00"),
        published_at=moment("2016-05-04T12:00"),
    )
    hub = OrganisationFactory(name="Hub", created_at=imported_on, published_at=imported_on)
    for row in (undated, dated):
        Version.objects.create(
            revision=revision,
            content_type_id=django_apps.get_model("contenttypes", "ContentType")
            .objects.get_for_model(Organisation)
            .pk,
            object_id=str(row.pk),
            db="default",
            format="json",
            serialized_data="[]",
            object_repr=row.name,
        )
    migration = importlib.import_module("directory.migrations.0007_imported_profiles_dates")
    for _run in range(2):  # and running it again changes nothing
        migration.imported_dates(django_apps, None)
        undated.refresh_from_db()
        dated.refresh_from_db()
        hub.refresh_from_db()
        assert undated.created_at is None and undated.published_at == imported_on
        assert dated.created_at == moment("2016-05-04T12:00")
        assert dated.published_at == imported_on
        assert dated.listed_at == moment("2016-05-04T12:00")
        assert hub.created_at == imported_on and hub.published_at == imported_on
    assert timezone.now() > imported_on
