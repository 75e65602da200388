"""Resources' search: their search text kept in step on every write (the admin, a revert, the
CSV import, the demo content, the migration for rows already there) and the search box of the
resources' list."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import EDITORIAL_ADMINS
from accounts.tests.factories import UserFactory
from directory.models import SocialArea
from stories.models import Resource
from stories.models import ResourceKind
from stories.resources_import import import_resources
from stories.services import resource_reindex
from stories.services import stories_changed
from stories.services import stories_version

pytestmark = pytest.mark.django_db

HEALTH = "health-and-care"
LIST = "/en/stories/resources/"
# The social areas checked and shown by the form (2), the count, the page, its social areas:
# searching costs nothing more.
LIST_QUERIES = 5


@pytest.fixture
def health():
    return SocialArea.objects.get(slug=HEALTH)


@pytest.fixture
def other_area(health):
    return SocialArea.objects.exclude(pk=health.pk).order_by("pk").first()


def resource(*, areas=(), **fields):
    """A resource saved with its search text, as every write path leaves it."""
    number = Resource.objects.count()
    fields.setdefault("url", f"https://example.org/resource-{number}")
    fields.setdefault("title", f"Resource {number}")
    row = Resource.objects.create(**fields)
    row.social_areas.set(areas)
    resource_reindex(row)
    return row


def listed(response) -> list[str]:
    return [row.title for row in response.context["resources"]]


# --- Search text -----------------------------------------------------------------------------


def test_search_text_holds_title_publisher_areas_and_description_folded(health):
    row = resource(
        title="Société <em>ouverte</em>",
        publisher="Łódź Lab",
        description="<p>Air <b>quality</b> data</p>",
        areas=[health],
    )
    row.refresh_from_db()
    assert row.search_title == "societe ouverte"
    assert row.search_body == f"lodz lab {health.name.lower()} air quality data"
    # A title hit, a publisher hit, an area hit, a description hit; accents don't matter.
    for words in ("societe", "lodz", "health", "quality dat", "SOCIÉTÉ ouv"):
        assert list(Resource.objects.matching(words)) == [row], words
    assert not Resource.objects.matching("bicycle").exists()
    assert not Resource.objects.matching("!!!").exists()


def test_unlisted_resources_are_not_listed_but_still_searchable_by_editors():
    shown = resource(title="Open data handbook")
    hidden = resource(title="Open data draft", is_listed=False)
    assert set(Resource.objects.matching("open data")) == {shown, hidden}
    assert list(Resource.objects.listed().matching("open data")) == [shown]


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORIAL_ADMINS))
    client.force_login(user)
    return user


def _admin_form(**fields) -> dict:
    now = timezone.localtime()
    return {
        "title": "Care toolkit",
        "kind": ResourceKind.TOOLKIT,
        "url": "https://example.org/care",
        "publisher": "WeMake",
        "description": "<p>For <script>x</script>care homes</p>",
        "is_listed": "on",
        "created_at_0": now.date().isoformat(),
        "created_at_1": now.strftime("%H:%M:%S"),
        **fields,
    }


def test_the_admin_keeps_the_search_text_in_step(
    client, editor, health, other_area, django_capture_on_commit_callbacks
):
    before = stories_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:stories_resource_add"), _admin_form(social_areas=[health.pk])
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Resource.objects.get(url="https://example.org/care")
    assert saved.description == "<p>For care homes</p>"
    assert saved.search_title == "care toolkit"
    # The social areas chosen in the same form are in it, though saved after the resource.
    assert saved.search_body == f"wemake {health.name.lower()} for care homes"
    assert list(Resource.objects.matching("wemake")) == [saved]
    assert stories_version() != before

    response = client.post(
        reverse("admin:stories_resource_change", args=[saved.pk]),
        _admin_form(title="Repair manual", publisher="", social_areas=[other_area.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved.refresh_from_db()
    assert saved.search_title == "repair manual"
    assert saved.search_body == f"{other_area.name.lower()} for care homes"
    assert not Resource.objects.matching("care toolkit").exists()
    assert not Resource.objects.matching("wemake").exists()
    assert list(Resource.objects.matching("repair")) == [saved]


def test_reverting_a_resource_brings_its_search_text_back(client, editor, health):
    client.post(reverse("admin:stories_resource_add"), _admin_form(social_areas=[health.pk]))
    saved = Resource.objects.get()
    client.post(
        reverse("admin:stories_resource_change", args=[saved.pk]),
        _admin_form(title="Repair manual", social_areas=[health.pk]),
    )
    first = Version.objects.get_for_object(saved).order_by("pk").first()
    # Derived columns are not kept in the history: they are worked out again on every save.
    assert "search_" not in first.serialized_data
    url = reverse("admin:stories_resource_revision", args=[saved.pk, first.pk])
    response = client.post(url, _admin_form(social_areas=[health.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved.refresh_from_db()
    assert saved.title == "Care toolkit" and saved.search_title == "care toolkit"
    assert list(Resource.objects.matching("care toolkit")) == [saved]


IMPORT_HEADER = "title,kind,url,publisher,published_on,description,social_areas\n"


def test_the_import_keeps_the_search_text_in_step(client, editor, health):
    first = IMPORT_HEADER + (
        "Care toolkit,toolkit,https://example.org/care,WeMake,2024-03-01,<p>Homes</p>,"
        f"{HEALTH}\nOpen data,dataset,https://example.org/data,,,,\n"
    )
    upload = SimpleUploadedFile("resources.csv", first.encode(), content_type="text/csv")
    response = client.post(reverse("admin:stories_resource_import"), {"file": upload})
    assert response.status_code == 302
    care = Resource.objects.get(url="https://example.org/care")
    assert care.search_title == "care toolkit"
    assert care.search_body == f"wemake {health.name.lower()} homes"
    assert Resource.objects.get(url="https://example.org/data").search_title == "open data"

    # Imported again, changed: the rows are updated, their search text with them.
    second = IMPORT_HEADER + (
        "Repair manual,toolkit,https://example.org/care,Restart,2024-03-01,,\n"
    )
    report = import_resources(second.encode())
    assert report.ok and report.updated == 1
    care.refresh_from_db()
    assert (care.search_title, care.search_body) == ("repair manual", "restart")
    assert list(Resource.objects.matching("restart")) == [care]
    assert not Resource.objects.matching("wemake").exists()


def test_demo_resources_are_searchable(db):
    from stories.demo import stories_seed_demo

    written = stories_seed_demo(case_studies=0, seed=2017)
    assert written["resources"] == 3 * SocialArea.objects.count()
    assert not Resource.objects.filter(search_title="").exists()
    toolkits = Resource.objects.listed().matching("practical toolkit nesta")
    assert toolkits.count() == SocialArea.objects.count()


def test_the_migration_fills_the_search_text_of_resources_already_there(health):
    migration = importlib.import_module("stories.migrations.0003_resource_search")
    row = Resource.objects.create(
        title="Vieux rapport", url="https://example.org/old", publisher="Nesta"
    )
    row.social_areas.set([health])
    Resource.objects.filter(pk=row.pk).update(search_title="", search_body="")
    migration.fill_search_text(apps, None)
    row.refresh_from_db()
    assert row.search_title == "vieux rapport"
    # The migration reads the areas' stored names: the site's language, English.
    assert row.search_body == f"nesta {health.name_en.lower()}"
    assert list(Resource.objects.matching("vieux")) == [row]


# --- The resources' list ---------------------------------------------------------------------


def test_the_list_has_a_labelled_search_box_in_its_filter_form(client):
    html = client.get(LIST).content.decode()
    form = html.split('<form class="resource-filters"', 1)[1].split("</form>", 1)[0]
    assert '<label for="id_q">Search</label>' in form
    assert 'type="search" name="q"' in form
    assert 'maxlength="200"' in form and 'aria-describedby="q-help"' in form
    assert 'id="q-help"' in form
    assert 'name="kind"' in form and 'name="area"' in form


def test_the_list_is_searched_most_relevant_first_and_filtered(client, health, other_area):
    mention = resource(
        title="Clinic maps",
        description="Air sensors in waiting rooms.",
        published_on=dt.date(2025, 1, 1),
        areas=[health],
    )
    old = resource(title="Sensors handbook", published_on=dt.date(2019, 1, 1), areas=[health])
    new = resource(
        title="Sensors toolkit",
        kind=ResourceKind.TOOLKIT,
        published_on=dt.date(2024, 1, 1),
        areas=[other_area],
    )
    resource(title="Sensors unlisted", is_listed=False, areas=[health])
    resource(title="Open data portal", areas=[health])

    response = client.get(LIST, {"q": "sensors"})
    assert response.status_code == 200
    # Title hits first (the newest of them first), then the mention, however newer.
    assert listed(response) == ["Sensors toolkit", "Sensors handbook", "Clinic maps"]
    assert response.context["total"] == 3
    html = response.content.decode()
    assert "Sensors unlisted" not in html and "Open data portal" not in html
    assert 'value="sensors"' in html
    assert '<a href="/en/stories/resources/">Clear filters</a>' in html
    assert (
        f'<a href="{new.url}" rel="noopener">Sensors toolkit'
        '<span class="visually-hidden"> (on another site)</span></a>'
    ) in html

    response = client.get(LIST, {"q": "sensors", "area": HEALTH})
    assert listed(response) == [old.title, mention.title]
    response = client.get(LIST, {"q": "sensors", "kind": "toolkit"})
    assert listed(response) == [new.title]
    response = client.get(LIST, {"q": "bicycles"})
    assert response.status_code == 200 and listed(response) == []
    assert "No resources match" in response.content.decode()


def test_words_with_nothing_to_search_narrow_nothing(client):
    resource(title="Open data portal")
    resource(title="Sensors handbook")
    response = client.get(LIST, {"q": "!!!"})
    assert response.status_code == 200
    assert response.context["total"] == 2


def test_an_unlisted_resource_is_never_shown(client, health):
    resource(title="Hidden sensors report", is_listed=False, areas=[health])
    for query in ({}, {"q": "hidden"}, {"q": "sensors", "area": HEALTH}, {"area": HEALTH}):
        response = client.get(LIST, query)
        assert response.context["total"] == 0, query
        assert "Hidden sensors report" not in response.content.decode()
    cluster = client.get(reverse("stories:cluster_detail", kwargs={"slug": HEALTH}))
    assert "Hidden sensors report" not in cluster.content.decode()


def test_searched_pages_keep_the_words_and_filters_and_cost_the_same(
    client, health, django_assert_num_queries
):
    for n in range(25):
        resource(
            title=f"Sensors report {n}",
            published_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            areas=[health],
        )
    resource(title="Open data portal", areas=[health])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, {"q": "sensors", "area": HEALTH, "page": "2"})
    assert response.status_code == 200
    assert response.context["total"] == 25 and response.context["pages"] == 2
    assert listed(response) == [f"Sensors report {n}" for n in range(4, -1, -1)]
    links = response.context["page_links"]
    assert links["previous"] == f"?q=sensors&area={HEALTH}"
    assert links["numbers"] == [
        (1, f"?q=sensors&area={HEALTH}"),
        (2, f"?q=sensors&area={HEALTH}&page=2"),
    ]
    assert f'href="?q=sensors&amp;area={HEALTH}" rel="prev"' in response.content.decode()


@pytest.mark.parametrize(
    "query,message",
    [
        ({"q": "x" * 201}, "at most 200 characters"),
        ({"q": "sensors", "kind": "poem"}, "is not a kind we know"),
    ],
)
def test_bad_searches_are_explained_not_errors(client, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert any(message in error for error in response.context["query_errors"])
    assert message in response.content.decode()


def test_control_characters_are_dropped_from_a_search(client):
    # As in the stories' list (directory.filters.SearchTextField): null characters too.
    resource(title="Sensors handbook")
    for words in ("sen\x07sors\x1b", "sen\x00sors"):
        response = client.get(LIST, {"q": words})
        assert response.status_code == 200
        assert listed(response) == ["Sensors handbook"]


def test_visitors_get_searched_pages_from_the_cache_until_stories_change(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    resource(title="Sensors handbook")
    client.get(LIST, {"q": "sensors"})
    resource(title="Sensors toolkit")
    with django_assert_num_queries(0):
        html = client.get(LIST, {"q": "sensors"}).content.decode()
    assert "Sensors handbook" in html and "Sensors toolkit" not in html
    with django_capture_on_commit_callbacks(execute=True):
        stories_changed()
    assert "Sensors toolkit" in client.get(LIST, {"q": "sensors"}).content.decode()
