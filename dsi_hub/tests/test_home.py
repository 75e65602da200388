"""The home page's events (the next few upcoming ones and their count, cached per language),
funding (the few open ones closing soonest and their count, cached per language and day) and
stories (featured case studies and the latest stories, cached per language and never past the
next scheduled story's moment)."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format

from core.models import Status
from events.services import events_changed
from events.tests.factories import EventFactory
from funding.services import opportunities_changed
from funding.tests.factories import OpportunityFactory
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Story
from stories.tests.factories import StoryFactory


def in_days(days, hour=17):
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def event(title, *, days, hours=2, **fields):
    starts_at = in_days(days)
    return EventFactory(
        title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
    )


def upcoming_titles(html: str) -> list[str]:
    section = html.split('id="upcoming-events-title"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0].split(">")[-1] for part in section.split("<h3>")[1:]]


@pytest.fixture
def events(db):
    return {
        "later": event("Later summit", days=20),
        "soon": event("Soon meetup", days=2),
        # A weekly series that began two weeks ago: placed by its next date, in six days.
        "series": event(
            "Weekly repair cafe",
            days=-15,
            recurrence="FREQ=WEEKLY;COUNT=6",
            time_zone="Europe/Madrid",
        ),
        "third": event("Third thing", days=10),
        "fifth": event("Fifth gathering", days=30),
        "past": event("Autumn summit", days=-30),
        "draft": event("Draft hackathon", days=1, status=Status.DRAFT),
    }


def test_the_home_page_shows_the_next_four_upcoming_events(client, events):
    response = client.get("/en/")
    html = response.content.decode()
    assert upcoming_titles(html) == [
        "Soon meetup",
        "Weekly repair cafe",
        "Third thing",
        "Later summit",
    ]
    assert "Fifth gathering" not in html
    assert "Autumn summit" not in html and "Draft hackathon" not in html
    # Five published events are upcoming; the past one and the draft are not counted.
    assert response.context["upcoming_event_count"] == 5
    assert "<dt>Upcoming events</dt><dd>5</dd>" in html
    assert f'href="{events["soon"].get_absolute_url()}"' in html
    assert 'href="/en/events/">All 5 upcoming events</a>' in html
    assert 'href="/en/events/calendar/">Month calendar</a>' in html
    assert '<section class="container home-events" aria-labelledby="upcoming-events-title">' in html
    assert '<h2 id="upcoming-events-title">Upcoming events</h2>' in html


def test_an_event_is_shown_at_its_next_date_in_its_own_time_zone(client, db):
    starts_at = in_days(3, hour=17)  # 17:00 UTC is 02:00 the next day in Tokyo
    EventFactory(
        title="Tokyo civic hack",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        time_zone="Asia/Tokyo",
        city="Tokyo",
        venue="Code for Japan",
    )
    html = client.get("/en/").content.decode()
    local = starts_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert f'<time datetime="{local.isoformat()}">' in html
    assert ", 02:00</time>–<time" in html and ">04:00</time>" in html
    assert "(Asia/Tokyo time)" in html
    assert "Code for Japan, Tokyo" in html


def test_a_repeating_event_shows_its_next_date_not_its_first(client, events):
    html = client.get("/en/").content.decode()
    item = html.split("Weekly repair cafe", 1)[1].split("</li>", 1)[0]
    following = in_days(6).astimezone(dt.UTC)
    assert following.strftime("%Y-%m-%d") in item
    assert "Repeats" in item


def test_without_upcoming_events_the_home_page_says_so(client, db):
    event("Autumn summit", days=-30)
    html = client.get("/en/").content.decode()
    assert "No upcoming events at the moment" in html
    assert "<dt>Upcoming events</dt><dd>0</dd>" in html
    assert 'href="/en/events/?when=past">Past events</a>' in html
    assert "Autumn summit" not in html


def test_a_warm_home_page_makes_no_query_for_events(client, events, django_assert_num_queries):
    # Cold, for a session-less visitor: the directory's two counts and two lists (one prefetch
    # for projects), then the events' count and the next four events with their next date and
    # country in one query, then the open funding (none: its empty list is its count), then the
    # stories' three (case studies, latest, the next scheduled moment).
    with django_assert_num_queries(10):
        cold = client.get("/en/").content.decode()
    # Warm: the events', funding's and stories' parts come from Redis; the directory's four
    # remain.
    with django_assert_num_queries(4):
        warm = client.get("/en/").content.decode()
    assert upcoming_titles(warm) == upcoming_titles(cold)
    assert "<dt>Upcoming events</dt><dd>5</dd>" in warm


def test_with_fewer_than_four_upcoming_events_no_count_is_needed(
    client, db, django_assert_num_queries
):
    event("Only meetup", days=2)
    # The list shows them all, so its length is the count: one query for events, not two (and
    # one for the open funding, three for the stories).
    with django_assert_num_queries(9):
        html = client.get("/en/").content.decode()
    assert "<dt>Upcoming events</dt><dd>1</dd>" in html
    assert "All 1 upcoming event<" in html


def test_the_events_part_is_cached_per_language(client, events, django_assert_num_queries):
    client.get("/en/")
    # German is cold for events (two queries), funding (one, none being open) and stories (three).
    with django_assert_num_queries(10):
        german = client.get("/de/").content.decode()
    with translation.override("de"):
        heading = translation.gettext("Upcoming events")
    assert f'<h2 id="upcoming-events-title">{heading}</h2>' in german
    assert 'href="/de/events/calendar/"' in german
    assert 'href="/en/events/' not in german
    with django_assert_num_queries(4):
        client.get("/de/")


def test_a_change_to_published_events_shows_on_the_next_visit(
    client, events, django_capture_on_commit_callbacks
):
    client.get("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        event("Tomorrow workshop", days=1)
        events_changed()
    response = client.get("/en/")
    assert upcoming_titles(response.content.decode())[0] == "Tomorrow workshop"
    assert response.context["upcoming_event_count"] == 6


def test_titles_are_escaped_in_the_cached_part(client, db):
    event("<script>alert(1)</script>", days=2)
    client.get("/en/")
    html = client.get("/en/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Funding closing soon --------------------------------------------------------------------


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def fund(title, *, opens=-10, closes=30, **fields):
    return OpportunityFactory(
        title=title,
        opens_on=None if opens is None else days(opens),
        closes_on=None if closes is None else days(closes),
        **fields,
    )


def funding_titles(html: str) -> list[str]:
    section = html.split('id="funding-soon-title"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0].split(">")[-1] for part in section.split("<h3>")[1:]]


def funding_item(html: str, title: str) -> str:
    return html.split(f">{title}</a>", 1)[1].split("</li>", 1)[0]


@pytest.fixture
def funding(db):
    return {
        "rolling": fund("Rolling fund", closes=None),
        "later": fund("Closes later fund", closes=40),
        "soon": fund("Closes soon fund", closes=3, funder_name="Civic Trust"),
        "month": fund("Next month fund", closes=25),
        "today": fund("Last day fund", closes=0),
        "closed": fund("Closed last week", opens=-60, closes=-7),
        "upcoming": fund("Opens next month", opens=30, closes=90),
        "draft": fund("Draft fund", closes=1, status=Status.DRAFT),
    }


def test_the_home_page_shows_the_funding_closing_soonest(client, funding):
    response = client.get("/en/")
    html = response.content.decode()
    assert funding_titles(html) == [
        "Last day fund",
        "Closes soon fund",
        "Next month fund",
        "Closes later fund",
    ]
    for hidden in ("Rolling fund", "Closed last week", "Opens next month", "Draft fund"):
        assert hidden not in html, hidden
    # Five published opportunities are open today (the rolling one too); not the closed one,
    # the one opening later, nor the draft.
    assert response.context["open_opportunity_count"] == 5
    assert "<dt>Open funding opportunities</dt><dd>5</dd>" in html
    assert '<section class="container home-funding" aria-labelledby="funding-soon-title">' in html
    assert '<h2 id="funding-soon-title">Funding closing soon</h2>' in html
    assert f'href="{funding["soon"].get_absolute_url()}"' in html
    assert 'href="/en/funding/">All 5 open funding opportunities</a>' in html
    soon = funding_item(html, "Closes soon fund")
    assert '<strong class="funding-badge">Closes in 3 days</strong>' in soon
    assert "From Civic Trust" in soon and "<dt>Type</dt><dd>Grant funding</dd>" in soon
    assert '<strong class="funding-badge">Closes today</strong>' in funding_item(
        html, "Last day fund"
    )
    # 40 days away is not closing soon: its date, without a badge.
    later = funding_item(html, "Closes later fund")
    assert "funding-badge" not in later
    assert f"Open until {date_format(days(40), 'DATE_FORMAT')}" in later


def test_rolling_funding_comes_after_funding_with_a_date(client, db):
    fund("Rolling fund", closes=None)
    fund("Dated fund", closes=60)
    html = client.get("/en/").content.decode()
    assert funding_titles(html) == ["Dated fund", "Rolling fund"]
    assert "Rolling: apply any time" in funding_item(html, "Rolling fund")
    assert "<dt>Open funding opportunities</dt><dd>2</dd>" in html


def test_rolling_funding_only_fills_the_list_and_is_never_called_closing_soon(client, db):
    for number in range(5):
        fund(f"Dated fund {number}", closes=10 + number)
    fund("Rolling fund", closes=None)
    html = client.get("/en/").content.decode()
    # Enough dated ones to fill the list: no rolling one among them.
    assert funding_titles(html) == [f"Dated fund {number}" for number in range(4)]
    assert '<h2 id="funding-soon-title">Funding closing soon</h2>' in html


def test_with_only_rolling_funding_open_the_part_is_not_called_closing_soon(client, db):
    fund("Rolling fund", closes=None)
    fund("Closed last week", opens=-60, closes=-7)
    html = client.get("/en/").content.decode()
    assert funding_titles(html) == ["Rolling fund"]
    assert "Funding closing soon" not in html
    assert '<h2 id="funding-soon-title">Open funding opportunities</h2>' in html


def test_without_open_funding_the_home_page_says_so(client, db):
    fund("Closed last week", opens=-60, closes=-7)
    html = client.get("/en/").content.decode()
    assert "No funding is open at the moment." in html
    assert "<dt>Open funding opportunities</dt><dd>0</dd>" in html
    assert 'href="/en/funding/?status=upcoming">Funding opening later</a>' in html
    assert "Closed last week" not in html


def test_a_warm_home_page_makes_no_query_for_funding(client, funding, django_assert_num_queries):
    # Cold: the directory's four, the events' one (none upcoming: the empty list is the count),
    # then the four open opportunities closing soonest (with type and funder, one query) and,
    # the list being full, their count, then the stories' three.
    with django_assert_num_queries(10):
        cold = client.get("/en/").content.decode()
    # Warm: the events', funding's and stories' parts come from Redis; the directory's four
    # remain.
    with django_assert_num_queries(4):
        warm = client.get("/en/").content.decode()
    assert funding_titles(warm) == funding_titles(cold)
    assert "<dt>Open funding opportunities</dt><dd>5</dd>" in warm


def test_the_funding_part_is_cached_per_language(client, funding, django_assert_num_queries):
    client.get("/en/")
    # German: cold for events (one query), funding (two) and stories (three).
    with django_assert_num_queries(10):
        german = client.get("/de/").content.decode()
    with translation.override("de"):
        heading = translation.gettext("Funding closing soon")
    assert f'<h2 id="funding-soon-title">{heading}</h2>' in german
    assert 'href="/de/funding/"' in german and 'href="/en/funding/' not in german
    with django_assert_num_queries(4):
        client.get("/de/")


def test_funding_closing_today_is_never_open_tomorrow_on_a_warm_cache(
    client, db, monkeypatch, django_assert_num_queries
):
    fund("Last day fund", closes=0)
    fund("Next week fund", closes=7)
    html = client.get("/en/").content.decode()
    assert funding_titles(html) == ["Last day fund", "Next week fund"]
    assert "<dt>Open funding opportunities</dt><dd>2</dd>" in html
    with django_assert_num_queries(4):  # warm for today
        assert "Closes today" in client.get("/en/").content.decode()

    # Midnight: the site's day moves on, so the cached part of yesterday is not read again.
    moved = days(1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: moved)
    with django_assert_num_queries(5):  # funding is made again for the new day
        html = client.get("/en/").content.decode()
    assert funding_titles(html) == ["Next week fund"]
    assert "Last day fund" not in html and "Closes today" not in html
    assert "<dt>Open funding opportunities</dt><dd>1</dd>" in html
    assert '<strong class="funding-badge">Closes in 6 days</strong>' in html
    with django_assert_num_queries(4):  # and kept for the new day
        assert "Last day fund" not in client.get("/en/").content.decode()


def test_a_change_to_published_funding_shows_on_the_next_visit(
    client, funding, django_capture_on_commit_callbacks
):
    client.get("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        fund("Closes tomorrow fund", closes=1)
        opportunities_changed()
    response = client.get("/en/")
    html = response.content.decode()
    assert funding_titles(html)[:2] == ["Last day fund", "Closes tomorrow fund"]
    assert "Closes tomorrow" in funding_item(html, "Closes tomorrow fund")
    assert response.context["open_opportunity_count"] == 6


def test_funding_titles_are_escaped_in_the_cached_part(client, db):
    fund("<script>alert(1)</script>", closes=5)
    client.get("/en/")
    html = client.get("/en/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_counts_are_written_the_languages_way(client, db, monkeypatch):
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "count", lambda self: 12345)
    english = client.get("/en/").content.decode()
    german = client.get("/de/").content.decode()
    assert "<dd>12,345</dd>" in english and "<dd>12.345</dd>" in german


# --- Stories: featured case studies and the latest stories ------------------------------------


def ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def story(title, **fields):
    return StoryFactory(title=title, **fields)


def case_study(title, **fields):
    return StoryFactory(title=title, kind=Kind.CASE_STUDY, **fields)


def section_titles(html: str, heading_id: str) -> list[str]:
    section = html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0].split(">")[-1] for part in section.split("<h3>")[1:]]


def case_study_titles(html: str) -> list[str]:
    return section_titles(html, "case-studies-title")


def latest_titles(html: str) -> list[str]:
    return section_titles(html, "latest-stories-title")


def story_item(html: str, title: str) -> str:
    """The card of the story titled `title`, from its <li> to its </li>."""
    before, after = html.split(f">{title}</a>", 1)
    return before.rsplit("<li", 1)[1] + after.split("</li>", 1)[0]


@pytest.fixture
def stories(db):
    return {
        # Featured case studies: the newest three are shown, newest first.
        "clinic": case_study(
            "Clinic maps",
            is_featured=True,
            publish_at=ago(minutes=10),  # the newest story of all, shown once
            summary="Mapping clinics with their patients.",
            featured_image="stories/clinic.webp",
            featured_image_alt="A hand-drawn map of a clinic",
        ),
        "repair": case_study("Repair cafes", is_featured=True, publish_at=ago(days=9)),
        "mesh": case_study("Mesh networks", is_featured=True, publish_at=ago(days=30)),
        "oldest": case_study("Oldest featured", is_featured=True, publish_at=ago(days=90)),
        # Not featured: among the latest stories instead.
        "plain": case_study("Plain case study", publish_at=ago(days=3)),
        "news": story("Open data week", publish_at=ago(hours=1)),
        "blog": story("Why commons matter", kind=Kind.BLOG, publish_at=ago(days=1)),
        # Featured, but not a case study: only a story like the others.
        "featured_news": story("Featured news", is_featured=True, publish_at=ago(days=2)),
        "older": story("Older news", publish_at=ago(days=5)),
        # Never shown.
        "draft": case_study(
            "Draft case study",
            is_featured=True,
            status=EditorialStatus.DRAFT,
            publish_at=ago(days=1),
        ),
        "archived": story(
            "Archived story", status=EditorialStatus.ARCHIVED, publish_at=ago(minutes=5)
        ),
        "scheduled": case_study(
            "Scheduled case study",
            is_featured=True,
            publish_at=timezone.now() + dt.timedelta(days=1),
        ),
    }


def test_the_home_page_shows_featured_case_studies_and_the_latest_stories(client, stories):
    html = client.get("/en/").content.decode()
    assert case_study_titles(html) == ["Clinic maps", "Repair cafes", "Mesh networks"]
    # The newest of any kind, not repeating a case study shown above.
    assert latest_titles(html) == [
        "Open data week",
        "Why commons matter",
        "Featured news",
        "Plain case study",
    ]
    assert html.count(">Clinic maps</a>") == 1
    for hidden in (
        "Oldest featured",
        "Older news",
        "Draft case study",
        "Archived story",
        "Scheduled case study",
    ):
        assert hidden not in html, hidden
    assert (
        '<section class="container home-case-studies" aria-labelledby="case-studies-title">'
    ) in html
    assert '<h2 id="case-studies-title">Featured case studies</h2>' in html
    assert '<section class="container home-stories" aria-labelledby="latest-stories-title">' in html
    assert '<h2 id="latest-stories-title">Latest stories</h2>' in html
    assert 'href="/en/stories/?kind=case_study">All case studies</a>' in html
    assert 'href="/en/stories/">All stories</a>' in html

    clinic = stories["clinic"]
    card = story_item(html, "Clinic maps")
    assert f'<h3><a href="{clinic.get_absolute_url()}">Clinic maps</a></h3>' in html
    assert '<p class="story-kind">Case study</p>' in card
    assert '<img class="home-story-image" src="/media/stories/clinic.webp"' in card
    assert 'alt="A hand-drawn map of a clinic"' in card
    published = timezone.localtime(clinic.publish_at)
    assert (
        f'<time datetime="{published.isoformat()}">{date_format(published, "DATE_FORMAT")}</time>'
    ) in card
    assert "<p>Mapping clinics with their patients.</p>" in card
    blog = story_item(html, "Why commons matter")
    assert '<p class="story-kind">Blog post</p>' in blog
    assert "<img" not in blog  # no image, no empty one


def test_without_featured_case_studies_the_newest_are_shown(client, db):
    for days_ago in (1, 2, 3, 4):
        case_study(f"Case study {days_ago} days old", publish_at=ago(days=days_ago))
    story("Open data week", publish_at=ago(hours=1))
    html = client.get("/en/").content.decode()
    assert '<h2 id="case-studies-title">Case studies</h2>' in html
    assert "Featured case studies" not in html
    assert case_study_titles(html) == [
        "Case study 1 days old",
        "Case study 2 days old",
        "Case study 3 days old",
    ]
    assert latest_titles(html) == ["Open data week", "Case study 4 days old"]


def test_one_featured_case_study_is_shown_alone(client, db):
    case_study("Newer case study", publish_at=ago(days=1))
    case_study("Featured case study", is_featured=True, publish_at=ago(days=20))
    html = client.get("/en/").content.decode()
    assert case_study_titles(html) == ["Featured case study"]
    assert latest_titles(html) == ["Newer case study"]


def test_without_stories_the_home_page_says_so(client, db):
    story("Draft story", status=EditorialStatus.DRAFT)
    html = client.get("/en/").content.decode()
    assert "No case studies have been published yet." in html
    assert "No stories yet. Come back soon." in html
    assert "All case studies" not in html and "All stories" not in html
    assert "Draft story" not in html


def test_when_every_story_is_a_featured_case_study_there_are_no_others(client, db):
    case_study("Only case study", is_featured=True)
    html = client.get("/en/").content.decode()
    assert case_study_titles(html) == ["Only case study"]
    assert latest_titles(html) == []
    assert "No other stories have been published yet." in html
    assert 'href="/en/stories/">All stories</a>' in html


def test_a_warm_home_page_makes_no_query_for_stories(client, stories, django_assert_num_queries):
    # Cold: the directory's four, the events' one and the funding's one (none: each empty list
    # is its count), then the stories' three: the case studies (featured first, one query), the
    # latest stories not among them, and the moment the next scheduled story comes out.
    with django_assert_num_queries(9):
        cold = client.get("/en/").content.decode()
    # Warm: the stories' part comes from Redis like the events' and funding's.
    with django_assert_num_queries(4):
        warm = client.get("/en/").content.decode()
    assert case_study_titles(warm) == case_study_titles(cold)
    assert latest_titles(warm) == latest_titles(cold)


def test_the_stories_part_is_cached_per_language(client, stories, django_assert_num_queries):
    client.get("/en/")
    # German is cold for events and funding (one query each) and stories (three).
    with django_assert_num_queries(9):
        german = client.get("/de/").content.decode()
    with translation.override("de"):
        heading = translation.gettext("Latest stories")
        kind = translation.gettext("case study")
    assert f'<h2 id="latest-stories-title">{heading}</h2>' in german
    assert f'<p class="story-kind">{kind[0].upper()}{kind[1:]}</p>' in german
    assert 'href="/de/stories/?kind=case_study"' in german
    assert f'href="/de/stories/{stories["clinic"].slug}/"' in german
    assert 'href="/en/stories/' not in german
    with django_assert_num_queries(4):
        client.get("/de/")


def test_a_scheduled_story_appears_at_its_moment_from_a_warm_cache(
    client, db, monkeypatch, django_assert_num_queries
):
    story("Out already", publish_at=ago(hours=1))
    moment = timezone.now() + dt.timedelta(minutes=10)
    case_study("Out at ten", is_featured=True, publish_at=moment)
    html = client.get("/en/").content.decode()
    assert "Out at ten" not in html
    with django_assert_num_queries(4):  # warm: the stories' part is cached meanwhile
        assert "Out at ten" not in client.get("/en/").content.decode()

    # Its moment comes: nothing is saved (publication is only a date), yet the cached part,
    # made before it, is not served past it. The day is held, so that only the stories' part
    # is made again.
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    monkeypatch.setattr(timezone, "now", lambda: moment + dt.timedelta(seconds=1))
    with django_assert_num_queries(7):
        html = client.get("/en/").content.decode()
    assert case_study_titles(html) == ["Out at ten"]
    assert latest_titles(html) == ["Out already"]
    with django_assert_num_queries(4):  # and kept again
        assert case_study_titles(client.get("/en/").content.decode()) == ["Out at ten"]


def test_the_stories_part_is_kept_no_later_than_the_next_scheduled_story(db, monkeypatch):
    from dsi_hub import views
    from stories.services import STORIES

    kept = []
    store = views.stories_cache

    def spy(key, entry, *, version, timeout):
        kept.append(timeout)
        return store(key, entry, version=version, timeout=timeout)

    monkeypatch.setattr(views, "stories_cache", spy)
    now = timezone.now()
    views.home_stories()
    assert kept == [views.HOME_STORIES_SECONDS]
    story("In an hour", publish_at=now + dt.timedelta(hours=1))
    STORIES.bump()
    views.home_stories()
    assert kept[-1] == views.HOME_STORIES_SECONDS
    story("In a minute", publish_at=now + dt.timedelta(seconds=60))
    story("Draft due", status=EditorialStatus.DRAFT, publish_at=now + dt.timedelta(seconds=5))
    STORIES.bump()
    views.home_stories()
    assert 55 <= kept[-1] <= 60  # drafts don't count
    # Out within the second: not kept at all, so the next visit makes it again.
    story("Due now", publish_at=timezone.now() + dt.timedelta(milliseconds=300))
    STORIES.bump()
    views.home_stories()
    assert len(kept) == 3


def test_a_story_saved_in_the_admin_shows_on_the_next_visit(
    client, stories, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from accounts.roles import EDITORIAL_ADMINS
    from accounts.tests.factories import UserFactory

    assert "Sensors for care homes" not in client.get("/en/").content.decode()  # now cached
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORIAL_ADMINS))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/admin/stories/story/add/",
            {
                "kind": Kind.CASE_STUDY,
                "title": "Sensors for care homes",
                "slug": "sensors-for-care-homes",
                "summary": "How a lab made air quality visible.",
                "body": "<p>Open hardware</p>",
                "status": EditorialStatus.PUBLISHED,
                "publish_at_0": timezone.localdate().isoformat(),
                "publish_at_1": timezone.localtime().strftime("%H:%M:%S"),
                "is_featured": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    html = client.get("/en/").content.decode()
    assert case_study_titles(html) == ["Sensors for care homes", "Clinic maps", "Repair cafes"]
    assert "How a lab made air quality visible." in html
    assert "Mesh networks" not in html

    # Unpublished again (the same save): gone on the next visit.
    saved = Story.objects.get(slug="sensors-for-care-homes")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/admin/stories/story/{saved.pk}/change/",
            {
                "kind": Kind.CASE_STUDY,
                "title": saved.title,
                "slug": saved.slug,
                "summary": saved.summary,
                "body": saved.body,
                "status": EditorialStatus.DRAFT,
                "publish_at_0": timezone.localdate().isoformat(),
                "publish_at_1": "00:00:00",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    html = client.get("/en/").content.decode()
    assert "Sensors for care homes" not in html
    assert case_study_titles(html) == ["Clinic maps", "Repair cafes", "Mesh networks"]


def test_story_titles_and_summaries_are_escaped_in_the_cached_part(client, db):
    case_study(
        "<script>alert(1)</script>",
        is_featured=True,
        summary="<b>bold</b> & brave",
        featured_image="stories/x.webp",
        featured_image_alt='"><script>alert(2)</script>',
    )
    client.get("/en/")
    html = client.get("/en/").content.decode()  # from the cache
    assert "<script>alert(1)</script>" not in html and "<script>alert(2)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>&lt;b&gt;bold&lt;/b&gt; &amp; brave</p>" in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in html
