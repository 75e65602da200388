"""Bulk downloads of published stories: /data/stories.csv and .json, their kept files, and their
datapackage entry.

What every app's downloads share (refusals, streaming, headers, the data page...) is tested once
for each in core/tests/test_exports.py, with download_sample() from factories.py."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.exports import EXPORTS
from core.exports import LIST_SEPARATOR
from core.models import Status
from core.tests.downloads import body
from core.tests.downloads import csv_rows
from core.tests.downloads import json_rows
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.versions import directory_changed
from stories.exports import STORIES
from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Story
from stories.services import stories_changed
from stories.tests.factories import ago
from stories.tests.factories import download_sample
from stories.tests.factories import story

STORIES_CSV = "/data/stories.csv"
STORIES_JSON = "/data/stories.json"
DATAPACKAGE = "/data/datapackage.json"
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def kept() -> list[str]:
    folder = Path(settings.DOWNLOAD_FILES_DIR)
    return sorted(path.name for path in folder.glob("stories-*")) if folder.exists() else []


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def stories(db):
    return download_sample()


PUBLIC = ["Open data week", "Why commons matter", "Clinic maps", "Repair cafes"]


# --- What the files hold ---------------------------------------------------------------------


def test_stories_csv_holds_published_stories_newest_first_with_their_fields(client, stories):
    rows = csv_rows(client.get(STORIES_CSV))
    assert [row["title"] for row in rows] == PUBLIC
    news = stories["news"]
    row = rows[0]
    assert list(row) == STORIES.header
    assert row["story_id"] == str(news.pk) and row["slug"] == news.slug
    assert row["kind"] == "news"
    assert row["url"] == f"{settings.SITE_URL}/en/stories/{news.slug}/"
    assert row["summary"] == "'=1+1, a week of open data"  # no formula in a spreadsheet
    assert row["body"] == news.body  # quotes and line breaks survive
    assert row["author"] == "Ada Lovelace"
    assert row["featured_image"] == row["featured_image_alt"] == ""
    assert row["categories"] == "Events" and row["social_areas"] == ""
    assert row["project"] == row["project_id"] == row["project_url"] == ""
    assert row["organisations"] == row["organisation_ids"] == row["organisation_urls"] == ""
    assert row["published"] == utc(news.publish_at) and MOMENT.match(row["updated"])
    assert row["licence"] == "CC BY 4.0"
    assert row["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    for private in ("status", "is_featured", "search", "email", "created", "scheduled"):
        assert not [name for name in row if private in name]

    blog = rows[1]
    assert blog["kind"] == "blog" and blog["author"] == "Grace Hopper"  # the account's name
    # in the vocabulary's order
    assert blog["social_areas"] == LIST_SEPARATOR.join(["Health and care", "Digital democracy"])

    case = rows[2]
    project = stories["case"].project
    assert case["kind"] == "case_study"
    assert case["categories"] == "Interviews; Events"  # in the categories' display order
    assert (case["project"], case["project_id"]) == ("Open clinic map", str(project.pk))
    assert case["project_url"] == f"{settings.SITE_URL}/en/projects/{project.slug}/"
    # published organisations only, by name
    assert case["organisations"] == "Commons lab; Fab Lab Barcelona"
    commons, fablab = (
        OrganisationFactory._meta.model.objects.get(name=name)
        for name in ("Commons lab", "Fab Lab Barcelona")
    )
    assert case["organisation_ids"] == f"{commons.pk}; {fablab.pk}"
    assert case["organisation_urls"] == (
        f"{settings.SITE_URL}/en/organisations/{commons.slug}/; "
        f"{settings.SITE_URL}/en/organisations/{fablab.slug}/"
    )
    # a draft project or organisation is neither named nor linked
    hidden = rows[3]
    assert hidden["project"] == hidden["project_id"] == hidden["organisations"] == ""


def test_json_has_the_same_fields_with_real_lists_numbers_and_nulls(client, stories):
    rows = {row["title"]: row for row in json_rows(client.get(STORIES_JSON))}
    news, case = rows["Open data week"], rows["Clinic maps"]
    assert list(news) == STORIES.header
    assert news["story_id"] == stories["news"].pk
    assert news["summary"] == "=1+1, a week of open data"  # JSON is data: kept as it is
    assert news["project_id"] is None and news["organisation_ids"] == []
    assert news["categories"] == ["Events"] and news["social_areas"] == []
    assert case["project_id"] == stories["case"].project_id
    assert case["organisations"] == ["Commons lab", "Fab Lab Barcelona"]
    assert all(isinstance(pk, int) for pk in case["organisation_ids"])
    assert case["categories"] == ["Interviews", "Events"]


def test_only_case_studies_name_what_they_are_about(client, stories):
    Story.objects.filter(pk=stories["news"].pk).update(project=stories["case"].project)
    row = json_rows(client.get(STORIES_JSON, {"kind": "news"}))[0]
    assert row["project"] == "" and row["project_id"] is None


def test_the_featured_image_is_an_absolute_address(client, stories):
    Story.objects.filter(pk=stories["news"].pk).update(
        featured_image="stories/photo.jpg", featured_image_alt="People at a repair café"
    )
    row = json_rows(client.get(STORIES_JSON))[0]
    assert row["featured_image"] == f"{settings.SITE_URL}{settings.MEDIA_URL}stories/photo.jpg"
    assert row["featured_image_alt"] == "People at a repair café"


def test_nothing_unpublished_appears_in_any_file(client, stories):
    for url in (STORIES_CSV, STORIES_JSON):
        for query in ({}, {"q": "hidden"}, {"kind": "case_study"}):
            content = body(client.get(url, query))
            assert "Hidden" not in content and "Secret" not in content


# --- Filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "case_study"}, ["Clinic maps", "Repair cafes"]),
        ({"kind": "blog"}, ["Why commons matter"]),
        ({"category": "interviews"}, ["Clinic maps"]),
        ({"category": "events"}, ["Open data week", "Clinic maps"]),
        ({"area": "health-and-care"}, ["Why commons matter", "Clinic maps"]),
        ({"q": "clinic"}, ["Clinic maps"]),
        ({"q": "hopper"}, ["Why commons matter"]),
        ({"kind": "news", "area": "health-and-care"}, []),
    ],
)
def test_filters_are_those_of_the_stories_list(client, stories, query, expected):
    for url in (STORIES_CSV, STORIES_JSON):
        rows = (csv_rows if url.endswith("csv") else json_rows)(client.get(url, query))
        assert [row["title"] for row in rows] == expected
    page = client.get("/en/stories/", query)
    assert [story.title for story in page.context["stories"]] == expected


def test_newest_first_even_with_a_featured_case_study(client, stories):
    Story.objects.filter(pk=stories["hidden_links"].pk).update(is_featured=True)
    assert [row["title"] for row in json_rows(client.get(STORIES_JSON))] == PUBLIC


# --- Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [STORIES_CSV, STORIES_JSON])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, db, django_assert_num_queries, monkeypatch, url
):
    monkeypatch.setattr("core.exports.CHUNK_SIZE", 5)  # several fetches for 30 rows
    events = Category.objects.create(name="Events", slug="events")
    areas = list(SocialArea.objects.all()[:2])
    project = ProjectFactory()
    organisations = [OrganisationFactory(), OrganisationFactory(status=Status.DRAFT)]

    def add(count, start):
        for n in range(start, start + count):
            story(
                f"Story {n}",
                kind=[Kind.NEWS, Kind.BLOG, Kind.CASE_STUDY][n % 3],
                publish_at=ago(hours=n + 1),
                categories=[events],
                areas=areas,
                project=project,
                organisations=organisations,
                author=UserFactory(),
                author_name="",
            )

    add(2, 0)
    query = {"area": areas[0].slug}  # filtered: made each time, never from a kept file
    body(client.get(url, query))  # the vocabularies' tables are cached from here on
    # the categories (the filter's choices), then the lookups (the categories' names, the
    # published organisations stories link to), then the cursor's settings and the rows, in a
    # transaction (a savepoint and its release here, inside the test's transaction)
    with django_assert_num_queries(7):
        few = body(client.get(url, query)).count("\n")
    add(28, 2)
    with django_assert_num_queries(7):
        many = body(client.get(url, query)).count("\n")
    assert many > few + 20


# --- Kept whole downloads ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [STORIES_CSV, STORIES_JSON])
def test_the_whole_download_is_kept_and_sent_again_from_its_file(
    client, stories, url, django_assert_num_queries
):
    first = client.get(url)
    made = body(first)
    assert "Content-Length" not in first
    assert len(kept()) == 1
    with django_assert_num_queries(0):  # the stories' version and moments come from Redis
        again = client.get(url)
        assert b"".join(again.streaming_content).decode() == made
    assert again["Content-Length"] == str(len(made.encode()))
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_filtered_downloads_are_never_kept(client, stories):
    body(client.get(STORIES_CSV, {"kind": "news"}))
    body(client.get(STORIES_JSON, {"q": "clinic"}))
    assert kept() == []


def test_a_change_to_stories_makes_a_new_file(client, stories, django_capture_on_commit_callbacks):
    before = body(client.get(STORIES_CSV))
    old = kept()
    with django_capture_on_commit_callbacks(execute=True):
        Story.objects.filter(pk=stories["news"].pk).update(status=EditorialStatus.ARCHIVED)
        story("Newcomer", publish_at=ago(minutes=1))
        stories_changed()
    after = body(client.get(STORIES_CSV))
    assert "Newcomer" in after and "Newcomer" not in before
    assert "Open data week" in before and "Open data week" not in after
    assert len(kept()) == 1 and kept() != old
    assert body(client.get(STORIES_CSV)) == after


def test_a_change_to_a_linked_profile_makes_a_new_file(
    client, stories, django_capture_on_commit_callbacks
):
    """A case study names its project only while it is published, and unpublishing a project
    moves the directory's version on, not the stories': the kept file follows both."""
    assert "Open clinic map" in body(client.get(STORIES_CSV))
    project = stories["case"].project
    with django_capture_on_commit_callbacks(execute=True):
        project.status = Status.ARCHIVED
        project.save()
        directory_changed()  # as the directory's services do after a change
    assert "Open clinic map" not in body(client.get(STORIES_CSV))
    assert len(kept()) == 1


def test_a_scheduled_story_appears_in_the_kept_file_once_its_moment_has_come(
    client, stories, monkeypatch, django_assert_num_queries
):
    """Nothing is saved when a scheduled story comes out: the kept file's name carries the
    moment of the latest story out, so the file made before that moment is not sent after."""
    made = body(client.get(STORIES_JSON))
    assert "Hidden scheduled story" not in made
    with django_assert_num_queries(0):
        assert b"".join(client.get(STORIES_JSON).streaming_content).decode() == made
    # A day and a minute later, with no save in between:
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(STORIES_JSON)
    assert response.streaming and "Content-Length" not in response  # made again, not the file
    titles = [row["title"] for row in json.loads(body(response))]
    assert titles == ["Hidden scheduled story", *PUBLIC]
    assert len(kept()) == 1  # the new file replaced the old one
    with django_assert_num_queries(0):  # and is sent from then on
        again = client.get(STORIES_JSON)
        assert json.loads(b"".join(again.streaming_content))[0]["title"] == titles[0]


def test_the_moments_are_read_again_only_once_the_next_one_has_come(
    client, stories, monkeypatch, django_assert_num_queries
):
    from stories.exports import stories_file_version

    version, stamp = stories_file_version()
    latest = stamp.split("|")[0]
    assert latest == stories["news"].publish_at.astimezone(dt.UTC).isoformat()
    with django_assert_num_queries(0):
        assert stories_file_version() == (version, stamp)
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_assert_num_queries(1):
        moved = stories_file_version()
    scheduled = stories["scheduled"].publish_at.astimezone(dt.UTC).isoformat()
    assert moved[0] == version and moved[1].split("|")[0] == scheduled
    with django_assert_num_queries(0):  # nothing more is scheduled
        assert stories_file_version() == moved


def test_browsers_keep_a_download_no_later_than_the_next_scheduled_moment(
    client, stories, monkeypatch
):
    """The scheduled story comes out in a day: the download may be kept its usual five
    minutes. A minute before its moment, only for that minute."""
    response = client.get(STORIES_CSV)
    body(response)
    assert "max-age=300" in response["Cache-Control"]
    coming = stories["scheduled"].publish_at
    monkeypatch.setattr(timezone, "now", lambda: coming - dt.timedelta(seconds=60))
    for url in (STORIES_CSV, f"{STORIES_CSV}?kind=news"):
        response = client.get(url)
        body(response)
        assert "public" in response["Cache-Control"], url
        assert "max-age=60" in response["Cache-Control"], url


def test_a_refused_download_is_not_kept_by_browsers(client, stories):
    response = client.get(f"{STORIES_CSV}?kind=poem")
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("change", ["rename", "delete"])
def test_an_authors_new_name_or_deleted_account_leaves_the_kept_file(
    client, db, change, django_capture_on_commit_callbacks
):
    """A story without a byline of its own shows its author's account name."""
    from accounts.services import user_delete
    from accounts.services import user_update_profile

    author = UserFactory(name="Alice Original")
    story("By Alice", author=author, author_name="", publish_at=ago(hours=1))
    assert "Alice Original" in body(client.get(STORIES_JSON))
    assert "Alice Original" in body(client.get(STORIES_JSON))  # from the kept file
    with django_capture_on_commit_callbacks(execute=True):
        if change == "rename":
            user_update_profile(user=author, data={"name": "Alice Renamed"})
        else:
            user_delete(user=author)
    again = body(client.get(STORIES_JSON))
    assert "Alice Original" not in again
    assert ("Alice Renamed" in again) == (change == "rename")
    assert "Alice Original" not in client.get("/api/v1/stories/").content.decode()


def test_a_case_studys_project_leaves_the_kept_file_when_it_is_unpublished(
    client, db, django_capture_on_commit_callbacks
):
    project = ProjectFactory(name="Soon hidden project")
    story("Case", kind=Kind.CASE_STUDY, project=project, publish_at=ago(hours=1))
    assert "Soon hidden project" in body(client.get(STORIES_CSV))
    with django_capture_on_commit_callbacks(execute=True):
        project.status = Status.ARCHIVED
        project.save()
        directory_changed()
    assert "Soon hidden project" not in body(client.get(STORIES_CSV))


# --- The registry and datapackage.json ------------------------------------------------------


def test_stories_are_one_of_the_downloads(db):
    assert EXPORTS["stories"] is STORIES
    assert "stories" in list(EXPORTS)


def test_the_datapackage_types_the_stories_fields(client, db):
    package = client.get(DATAPACKAGE).json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    fields = {field["name"]: field for field in resources["stories-csv"]["schema"]["fields"]}
    assert fields["categories"]["type"] == "string"
    assert fields["published"]["type"] == "datetime" and fields["project_id"]["type"] == "integer"
