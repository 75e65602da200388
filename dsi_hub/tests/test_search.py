import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Status
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.models import SocialArea
from directory.search import profile_reindex

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def directory(db):
    Organisation.objects.create(
        name="Waag",
        slug="waag",
        city="Amsterdam",
        status=Status.PUBLISHED,
        country=Country.objects.get(code="NL"),
    )
    Organisation.objects.create(name="Waag Draft", slug="waag-draft", status=Status.PENDING)
    project = Project.objects.create(
        name="Smart Citizen",
        slug="smart-citizen",
        short_description="Sensors by Waag",
        status=Status.PUBLISHED,
    )
    project.countries.set([Country.objects.get(code="ES")])
    project.social_areas.set([SocialArea.objects.first()])
    for profile in [*Organisation.objects.all(), project]:
        profile_reindex(profile)


def test_search_finds_published_organisations_and_projects(
    client, directory, django_assert_num_queries
):
    # Two counts, two lists, and the projects' countries prefetched; then the events: their
    # counts (all and upcoming, one query) and their list (with each one's shown date and
    # country, one query); then the funding opportunities: their counts (all, closed and
    # opening later, one query) and their list (with each one's type and funder, one query); then
    # the stories' list (short of full, so its length is their count: one query); then the
    # resources' list (likewise one query).
    with django_assert_num_queries(11):
        response = client.get("/en/search/", {"q": "waag"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Waag" in html and "Smart Citizen" in html
    assert "Waag Draft" not in html
    assert response.context["organisation_count"] == 1
    assert response.context["project_count"] == 1


def test_an_empty_search_explains_itself(client, db):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert "Type a word to search" in response.content.decode()


def test_bad_searches_get_a_message_not_an_error(client, db):
    response = client.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    response = client.get("/en/search/", {"q": "wa\x00ag"})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
    response = client.get("/en/search/", {"q": "wa\x07ag\x1b"})
    assert response.status_code == 200
    assert response.context["query"] == "waag"


def test_the_header_search_box_is_on_every_page(client, db):
    html = client.get("/de/about/").content.decode()
    assert 'action="/de/search/"' in html
    assert 'role="search"' in html


def test_search_is_accent_insensitive_ranked_and_links_to_the_full_lists(client, db):
    from directory.tests.factories import OrganisationFactory

    OrganisationFactory(name="Société Liberté", short_description="Outils")
    OrganisationFactory(name="Other", short_description="Works with Société Liberté")
    for number in range(20):
        OrganisationFactory(name=f"Liberty {number}", short_description="liberte everywhere")
    response = client.get("/en/search/", {"q": "liberte"})
    assert response.context["organisation_count"] == 22
    assert response.context["organisations"][0].name == "Société Liberté"
    assert "/en/organisations/?q=liberte" in response.content.decode()


def in_days(days, hour=17):
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event(title, *, days, hours=2, **fields):
    from events.tests.factories import EventFactory

    starts_at = in_days(days)
    fields.setdefault("short_description", "")
    return EventFactory(
        title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
    )


def event_titles(response) -> list[str]:
    return [found.title for found in response.context["events"]]


@pytest.fixture
def events(db):
    return {
        # Upcoming: a title match ranks above a match in the description.
        "mention": event("Data walk", days=2, short_description="Bring your sensors"),
        "title": event("Sensors workshop", days=9),
        # Past, though a title match: after every upcoming one.
        "past": event("Sensors summit 2023", days=-40),
        "draft": event("Sensors draft", days=3, status=Status.DRAFT),
        "other": event("Open data picnic", days=4),
    }


def test_search_finds_published_events_upcoming_first(client, events, django_assert_num_queries):
    response = client.get("/en/search/", {"q": "sensors"})
    assert response.status_code == 200
    assert event_titles(response) == ["Sensors workshop", "Data walk", "Sensors summit 2023"]
    assert response.context["event_count"] == 3
    assert response.context["upcoming_event_count"] == 2
    assert response.context["past_event_count"] == 1
    html = response.content.decode()
    assert "Sensors draft" not in html and "Open data picnic" not in html
    assert '<section class="event-results" aria-labelledby="event-results">' in html
    assert '<h2 id="event-results">Events (3)</h2>' in html
    assert f'<a href="{events["title"].get_absolute_url()}">Sensors workshop</a>' in html
    assert "Fab Lab Barcelona, Barcelona" in html
    summit = html.split("Sensors summit 2023", 1)[1].split("</li>", 1)[0]
    assert '<span class="status-badge">Past</span>' in summit
    assert 'href="/en/events/?q=sensors">All 2 matching upcoming events</a>' in html
    assert 'href="/en/events/?q=sensors&amp;when=past">All 1 matching past event</a>' in html


def test_event_results_show_their_next_date_in_their_own_time_zone(client, db):
    starts_at = in_days(-15)
    event(
        "Weekly repair cafe",
        days=-15,
        recurrence="FREQ=WEEKLY;COUNT=6",
        time_zone="America/New_York",
        city="New York",
        venue="",
    )
    html = client.get("/en/search/", {"q": "repair"}).content.decode()
    following = starts_at + dt.timedelta(days=21)  # the next of the weekly dates
    local = following.astimezone(NEW_YORK)
    assert f'<time datetime="{local.isoformat()}">' in html
    assert "(America/New_York time)" in html
    assert "Repeats" in html
    first = starts_at.astimezone(NEW_YORK)
    assert first.isoformat() not in html


def test_a_past_event_shows_its_last_date(client, db):
    starts_at = in_days(-60)
    event("Monthly assembly", days=-60, recurrence="FREQ=WEEKLY;COUNT=3")
    response = client.get("/en/search/", {"q": "assembly"})
    assert response.context["upcoming_event_count"] == 0
    (found,) = response.context["events"]
    assert found.shown_starts_at == starts_at + dt.timedelta(days=14)
    html = response.content.decode()
    assert "matching upcoming" not in html
    assert 'href="/en/events/?q=assembly&amp;when=past">All 1 matching past event</a>' in html


def test_no_matching_events_says_so(client, events):
    response = client.get("/en/search/", {"q": "waag"})
    assert response.context["event_count"] == 0
    html = response.content.decode()
    assert '<h2 id="event-results">Events (0)</h2>' in html
    assert "No events match your search." in html


def test_a_search_of_no_words_finds_nothing_without_asking_for_events(
    client, events, django_assert_num_queries
):
    # Punctuation alone is no search: neither the directory nor the events are asked.
    with django_assert_num_queries(0):
        response = client.get("/en/search/", {"q": "!!!"})
    assert response.status_code == 200
    assert response.context["event_count"] == 0
    assert "No events match your search." in response.content.decode()


def test_the_event_search_links_keep_the_query_safe(client, db):
    event("Rock & roll night", days=5)
    html = client.get("/en/search/", {"q": "rock & roll"}).content.decode()
    assert 'href="/en/events/?q=rock%20%26%20roll">All 1 matching upcoming event</a>' in html


def test_equally_relevant_events_come_soonest_upcoming_then_latest_past(client, db):
    for title, days in [
        ("Repair cafe far", 20),
        ("Repair cafe near", 2),
        ("Repair cafe long ago", -90),
        ("Repair cafe last month", -30),
    ]:
        event(title, days=days)
    response = client.get("/en/search/", {"q": "repair cafe"})
    assert event_titles(response) == [
        "Repair cafe near",
        "Repair cafe far",
        "Repair cafe last month",
        "Repair cafe long ago",
    ]


# --- Funding opportunities -------------------------------------------------------------------


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def fund(title, *, opens=-10, closes=30, **fields):
    from funding.tests.factories import OpportunityFactory

    # Only the title and what is given match (the factory's texts say "open"), so that equally
    # relevant ones are truly equal.
    fields.setdefault("short_description", "")
    fields.setdefault("description", "")
    fields.setdefault("funder_name", "Civic Trust")
    return OpportunityFactory(
        title=title,
        opens_on=None if opens is None else days(opens),
        closes_on=None if closes is None else days(closes),
        **fields,
    )


def fund_titles(response) -> list[str]:
    return [found.title for found in response.context["opportunities"]]


@pytest.fixture
def funding(db):
    from directory.tests.factories import OrganisationFactory

    return {
        # Open: a title match ranks above a match in the description.
        "mention": fund("Civic grants", closes=3, short_description="For open data commons"),
        "title": fund(
            "Open data fund",
            closes=40,
            funder=OrganisationFactory(name="Mozilla Foundation"),
            funder_name="",
        ),
        "rolling": fund("Open data rolling fund", closes=None, funder_name="Rolling Trust"),
        "later": fund("Open data fellowship", opens=20, closes=80),
        # Closed, though a title match: after every open one.
        "closed": fund("Open data prize 2025", opens=-90, closes=-5),
        "draft": fund("Open data draft", status=Status.DRAFT),
        "other": fund("Health innovation fund"),
    }


def test_search_finds_published_funding_open_first_then_closed(client, funding):
    response = client.get("/en/search/", {"q": "open data"})
    assert response.status_code == 200
    # Equally relevant title matches: closing soonest first, rolling after those with a date;
    # the one opening later is not closed, so it comes before the closed one.
    assert fund_titles(response) == [
        "Open data fund",
        "Open data fellowship",
        "Open data rolling fund",
        "Civic grants",
        "Open data prize 2025",
    ]
    assert response.context["opportunity_count"] == 5
    assert response.context["open_opportunity_count"] == 3
    assert response.context["upcoming_opportunity_count"] == 1
    assert response.context["closed_opportunity_count"] == 1
    html = response.content.decode()
    assert "Open data draft" not in html and "Health innovation fund" not in html
    assert '<section class="funding-results" aria-labelledby="funding-results">' in html
    assert '<h2 id="funding-results">Funding opportunities (5)</h2>' in html
    assert f'<a href="{funding["title"].get_absolute_url()}">Open data fund</a>' in html
    card = html.split(">Open data fund</a>", 1)[1].split("</li>", 1)[0]
    assert "From Mozilla Foundation" in card
    assert "<dt>Type</dt><dd>Grant funding</dd>" in card
    assert f"Open until {date_format(days(40), 'DATE_FORMAT')}" in card
    civic = html.split(">Civic grants</a>", 1)[1].split("</li>", 1)[0]
    assert '<strong class="funding-badge">Closes in 3 days</strong>' in civic
    rolling = html.split(">Open data rolling fund</a>", 1)[1].split("</li>", 1)[0]
    assert "From Rolling Trust" in rolling and "Rolling: apply any time" in rolling
    later = html.split(">Open data fellowship</a>", 1)[1].split("</li>", 1)[0]
    assert "Opening later" in later
    closed = html.split(">Open data prize 2025</a>", 1)[1].split("</li>", 1)[0]
    assert '<span class="funding-state funding-state-closed">Closed</span>' in closed
    assert f"Closed on {date_format(days(-5), 'DATE_FORMAT')}" in closed
    assert 'href="/en/funding/?q=open%20data">All 3 matching open opportunities</a>' in html
    assert (
        'href="/en/funding/?q=open%20data&amp;status=upcoming">'
        "All 1 matching opportunity opening later</a>"
    ) in html
    assert (
        'href="/en/funding/?q=open%20data&amp;status=closed">All 1 matching closed opportunity</a>'
    ) in html


def test_equally_relevant_closed_funding_comes_most_recently_closed_first(client, db):
    for title, closes in [("Repair fund long ago", -90), ("Repair fund last week", -7)]:
        fund(title, opens=-120, closes=closes)
    fund("Repair fund open", closes=60)
    response = client.get("/en/search/", {"q": "repair fund"})
    assert fund_titles(response) == [
        "Repair fund open",
        "Repair fund last week",
        "Repair fund long ago",
    ]


def test_no_matching_funding_says_so(client, funding):
    response = client.get("/en/search/", {"q": "waag"})
    assert response.context["opportunity_count"] == 0
    html = response.content.decode()
    assert '<h2 id="funding-results">Funding opportunities (0)</h2>' in html
    assert "No funding opportunities match your search." in html
    assert "matching open opportunit" not in html


def test_a_search_of_no_words_asks_nothing_of_funding(client, funding, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/en/search/", {"q": "!!!"})
    assert response.context["opportunity_count"] == 0
    assert "No funding opportunities match your search." in response.content.decode()


def test_the_funding_search_links_keep_the_query_safe(client, db):
    fund("Arts & culture fund", opens=-100, closes=-50)
    html = client.get("/en/search/", {"q": "arts & culture"}).content.decode()
    assert (
        'href="/en/funding/?q=arts%20%26%20culture&amp;status=closed">'
        "All 1 matching closed opportunity</a>"
    ) in html
    assert "matching open opportunit" not in html


def test_funding_closing_today_is_open_in_search_and_closed_tomorrow(client, db, monkeypatch):
    fund("Last day fund", closes=0)
    response = client.get("/en/search/", {"q": "last day"})
    assert response.context["open_opportunity_count"] == 1
    assert "Closes today" in response.content.decode()
    moved = days(1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: moved)
    response = client.get("/en/search/", {"q": "last day"})
    assert response.context["open_opportunity_count"] == 0
    assert response.context["closed_opportunity_count"] == 1
    html = response.content.decode()
    assert "Closes today" not in html
    assert f"Closed on {date_format(days(-1), 'DATE_FORMAT')}" in html


# --- Stories ---------------------------------------------------------------------------------


def ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def story(title, **fields):
    from stories.tests.factories import StoryFactory

    # Only the title and what is given match (the factory's texts are about the hub), so that
    # equally relevant ones are truly equal.
    fields.setdefault("summary", "")
    fields.setdefault("body", "")
    return StoryFactory(title=title, **fields)


def story_titles(response) -> list[str]:
    return [found.title for found in response.context["stories"]]


@pytest.fixture
def stories(db):
    from stories.models import EditorialStatus
    from stories.models import Kind

    return {
        # A title match ranks above a match in the summary or text, however newer.
        "mention": story(
            "Clinic maps",
            kind=Kind.CASE_STUDY,
            summary="Air sensors in every waiting room.",
            publish_at=ago(hours=1),
        ),
        "title": story("Sensors for care homes", kind=Kind.BLOG, publish_at=ago(days=20)),
        "draft": story("Sensors draft", status=EditorialStatus.DRAFT, publish_at=ago(days=1)),
        "archived": story(
            "Sensors archived", status=EditorialStatus.ARCHIVED, publish_at=ago(days=1)
        ),
        "scheduled": story("Sensors tomorrow", publish_at=timezone.now() + dt.timedelta(days=1)),
        "other": story("Open data week", publish_at=ago(days=2)),
    }


def test_search_finds_published_stories_title_matches_first(client, stories):
    response = client.get("/en/search/", {"q": "sensors"})
    assert response.status_code == 200
    assert story_titles(response) == ["Sensors for care homes", "Clinic maps"]
    assert response.context["story_count"] == 2
    html = response.content.decode()
    for hidden in ("Sensors draft", "Sensors archived", "Sensors tomorrow", "Open data week"):
        assert hidden not in html, hidden
    assert '<section class="story-results" aria-labelledby="story-results">' in html
    assert '<h2 id="story-results">Stories (2)</h2>' in html
    blog = stories["title"]
    assert f'<h3><a href="{blog.get_absolute_url()}">Sensors for care homes</a></h3>' in html
    card = html.split(">Sensors for care homes</a>", 1)[0].rsplit("<li", 1)[1]
    assert '<p class="story-kind">Blog post</p>' in card
    clinic = html.split(">Clinic maps</a>", 1)[1].split("</li>", 1)[0]
    published = timezone.localtime(stories["mention"].publish_at)
    assert f'<time datetime="{published.isoformat()}">' in clinic
    assert date_format(published, "DATE_FORMAT") in clinic
    assert "<p>Air sensors in every waiting room.</p>" in clinic
    assert 'href="/en/stories/?q=sensors">All 2 matching stories, with filters</a>' in html
    # The stories' own list finds the same ones under that parameter.
    listed = client.get("/en/stories/", {"q": "sensors"})
    assert {found.title for found in listed.context["stories"]} == set(story_titles(response))


def test_equally_relevant_stories_come_newest_first(client, db):
    for title, days_ago in [("Repair cafe story old", 90), ("Repair cafe story new", 1)]:
        story(title, publish_at=ago(days=days_ago))
    story("Repair cafe story mid", publish_at=ago(days=30))
    response = client.get("/en/search/", {"q": "repair cafe"})
    assert story_titles(response) == [
        "Repair cafe story new",
        "Repair cafe story mid",
        "Repair cafe story old",
    ]


def test_no_matching_stories_says_so(client, stories):
    response = client.get("/en/search/", {"q": "waag"})
    assert response.context["story_count"] == 0
    html = response.content.decode()
    assert '<h2 id="story-results">Stories (0)</h2>' in html
    assert "No stories match your search." in html
    assert "matching stor" not in html


def test_a_search_of_no_words_asks_nothing_of_stories(client, stories, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/en/search/", {"q": "!!!"})
    assert response.context["story_count"] == 0
    assert "No stories match your search." in response.content.decode()


def test_story_search_query_count_is_pinned(client, db, django_assert_num_queries):
    for number in range(21):
        story(f"Commons story {number}", publish_at=ago(hours=number + 1))
    # The directory's two counts and two lists, the events' two and the funding's two, then the
    # stories: their first twenty and, that list being full, their count; then the resources'
    # list (short of full: one query).
    with django_assert_num_queries(11):
        response = client.get("/en/search/", {"q": "commons"})
    assert response.context["story_count"] == 21
    assert len(response.context["stories"]) == 20
    assert story_titles(response)[0] == "Commons story 0"
    html = response.content.decode()
    assert '<h2 id="story-results">Stories (21)</h2>' in html
    assert 'href="/en/stories/?q=commons">All 21 matching stories, with filters</a>' in html


def test_a_scheduled_story_is_found_once_its_moment_comes(client, db, monkeypatch):
    moment = timezone.now() + dt.timedelta(hours=2)
    story("Sensors next week", publish_at=moment)
    assert client.get("/en/search/", {"q": "sensors"}).context["story_count"] == 0
    monkeypatch.setattr(timezone, "now", lambda: moment + dt.timedelta(seconds=1))
    response = client.get("/en/search/", {"q": "sensors"})
    assert response.context["story_count"] == 1
    assert story_titles(response) == ["Sensors next week"]


def test_story_results_are_escaped_and_their_links_keep_the_query_safe(client, db):
    story("Rock & roll <script>alert(1)</script>", summary="<b>loud</b>")
    html = client.get("/en/search/", {"q": "rock & roll"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Rock &amp; roll &lt;script&gt;alert(1)&lt;/script&gt;</a>" in html
    assert "<p>&lt;b&gt;loud&lt;/b&gt;</p>" in html
    assert 'href="/en/stories/?q=rock%20%26%20roll">All 1 matching story, with filters</a>' in html


# --- Resources -------------------------------------------------------------------------------


def resource(title, **fields):
    from stories.models import Resource
    from stories.services import resource_reindex

    number = Resource.objects.count()
    fields.setdefault("url", f"https://example.org/resources/{number}")
    row = Resource.objects.create(title=title, **fields)
    resource_reindex(row)
    return row


def resource_titles(response) -> list[str]:
    return [found.title for found in response.context["resources"]]


@pytest.fixture
def resources(db):
    from stories.models import ResourceKind

    return {
        # A title match ranks above a match in the publisher or description, however newer.
        "mention": resource(
            "Clinic maps",
            kind=ResourceKind.DATASET,
            description="<p>Air sensors in every waiting room.</p>",
            published_on=dt.date(2025, 6, 1),
        ),
        "title": resource(
            "Sensors for care homes",
            kind=ResourceKind.TOOLKIT,
            publisher="WeMake",
            published_on=dt.date(2023, 3, 14),
        ),
        "unlisted": resource("Sensors unlisted", is_listed=False),
        "other": resource("Open data handbook"),
    }


def test_search_finds_listed_resources_title_matches_first(client, resources):
    response = client.get("/en/search/", {"q": "sensors"})
    assert response.status_code == 200
    assert resource_titles(response) == ["Sensors for care homes", "Clinic maps"]
    assert response.context["resource_count"] == 2
    html = response.content.decode()
    assert "Sensors unlisted" not in html and "Open data handbook" not in html
    # After the stories.
    assert html.index('id="story-results"') < html.index('id="resource-results"')
    assert '<section class="resource-results" aria-labelledby="resource-results">' in html
    assert '<h2 id="resource-results">Resources (2)</h2>' in html
    toolkit = resources["title"]
    assert (
        f'<h3><a href="{toolkit.url}" rel="noopener">Sensors for care homes'
        '<span class="visually-hidden"> (on another site)</span></a></h3>'
    ) in html
    card = html.split(">Sensors for care homes<", 1)[1].split("</li>", 1)[0]
    published = date_format(dt.date(2023, 3, 14), "DATE_FORMAT")
    assert (
        f'<p class="meta">Toolkit · WeMake · <time datetime="2023-03-14">{published}</time></p>'
    ) in card
    clinic = html.split(">Clinic maps<", 1)[1].split("</li>", 1)[0]
    assert "Open data set · <time" in clinic  # no publisher: nothing in its place
    assert 'href="/en/stories/resources/?q=sensors">All 2 matching resources, with filters</a>' in (
        html
    )
    # The resources' own list finds the same ones, in the same order, under that parameter.
    found = client.get("/en/stories/resources/", {"q": "sensors"})
    assert resource_titles(found) == resource_titles(response)


def test_equally_relevant_resources_come_newest_first(client, db):
    resource("Repair cafe guide old", published_on=dt.date(2019, 1, 1))
    resource("Repair cafe guide undated")
    resource("Repair cafe guide new", published_on=dt.date(2024, 1, 1))
    response = client.get("/en/search/", {"q": "repair cafe"})
    assert resource_titles(response) == [
        "Repair cafe guide new",
        "Repair cafe guide old",
        "Repair cafe guide undated",
    ]


def test_no_matching_resources_says_so(client, resources):
    response = client.get("/en/search/", {"q": "waag"})
    assert response.context["resource_count"] == 0
    html = response.content.decode()
    assert '<h2 id="resource-results">Resources (0)</h2>' in html
    assert "No resources match your search." in html
    assert "matching resource" not in html


def test_an_unlisted_resource_is_never_found(client, resources):
    response = client.get("/en/search/", {"q": "unlisted"})
    assert response.context["resource_count"] == 0
    assert "Sensors unlisted" not in response.content.decode()


def test_a_search_of_no_words_asks_nothing_of_resources(
    client, resources, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/en/search/", {"q": "!!!"})
    assert response.context["resource_count"] == 0
    assert "No resources match your search." in response.content.decode()


def test_resource_search_query_count_is_pinned(client, db, django_assert_num_queries):
    for number in range(21):
        resource(f"Commons report {number}", published_on=dt.date(2020, 1, 1 + number))
    # The directory's two counts and two lists, the events' two, the funding's two and the
    # stories' one (short of full), then the resources: their first twenty and, that list being
    # full, their count.
    with django_assert_num_queries(11):
        response = client.get("/en/search/", {"q": "commons"})
    assert response.context["resource_count"] == 21
    assert len(response.context["resources"]) == 20
    assert resource_titles(response)[0] == "Commons report 20"
    html = response.content.decode()
    assert '<h2 id="resource-results">Resources (21)</h2>' in html
    assert (
        'href="/en/stories/resources/?q=commons">All 21 matching resources, with filters</a>'
    ) in html


def test_resource_results_are_escaped_and_their_links_keep_the_query_safe(client, db):
    resource(
        "Rock & roll <script>alert(1)</script>",
        url="https://example.org/r?a=1&b=<x>",
        publisher="<b>Loud</b> & co",
    )
    html = client.get("/en/search/", {"q": "rock & roll"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    # The address is stored as a URI (angle brackets percent-encoded), then escaped for HTML.
    assert 'href="https://example.org/r?a=1&amp;b=%3Cx%3E"' in html
    assert "Rock &amp; roll &lt;script&gt;alert(1)&lt;/script&gt;<span" in html
    assert "&lt;b&gt;Loud&lt;/b&gt; &amp; co" in html
    assert (
        'href="/en/stories/resources/?q=rock%20%26%20roll">'
        "All 1 matching resource, with filters</a>"
    ) in html
