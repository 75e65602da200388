"""The public funding pages: the list (open, opening later, closed) and an opportunity's page."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.services import opportunity_reindex
from funding.tests.factories import OpportunityFactory
from funding.tests.factories import days
from funding.tests.factories import opportunity
from funding.tests.factories import today

LIST = "/en/funding/"


def titles(response):
    return [opportunity.title for opportunity in response.context["opportunities"]]


@pytest.fixture
def mix(db):
    return {
        "soon": opportunity("Closes soon fund", closes=3),
        "later": opportunity("Closes later fund", closes=40),
        "rolling": opportunity("Rolling fund", closes=None),
        "today": opportunity("Last day fund", closes=0),
        "closed": opportunity("Closed last week", opens=-60, closes=-7),
        "closed_long": opportunity("Closed long ago", opens=-200, closes=-100),
        "upcoming": opportunity("Opens next month", opens=30, closes=90),
        "upcoming_soon": opportunity("Opens next week", opens=7, closes=None),
    }


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_what_is_open_today_closing_soonest_first_rolling_last(client, mix):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [
        "Last day fund",
        "Closes soon fund",
        "Closes later fund",
        "Rolling fund",
    ]
    html = response.content.decode()
    assert "4 open opportunities" in html
    assert f'href="{mix["soon"].get_absolute_url()}"' in html
    assert "Closed last week" not in html and "Opens next month" not in html
    for label in ("Search", "Show", "Type of funding", "Country", "Social area", "Closing in"):
        assert re.search(rf'<label for="id_\w+">{label}</label>', html), label
    assert "<legend>Who may apply</legend>" in html
    assert 'type="application/atom+xml" href="/en/funding/feed.atom"' in html
    assert '<a class="button" href="/en/funding/new/">Add a funding opportunity</a>' in html


def test_closed_ones_most_recently_closed_first(client, mix):
    response = client.get(LIST, {"status": "closed"})
    assert response.status_code == 200
    assert titles(response) == ["Closed last week", "Closed long ago"]
    html = response.content.decode()
    assert "2 closed opportunities" in html
    assert f"Closed on {date_format(days(-7), 'DATE_FORMAT')}" in html


def test_ones_opening_later_soonest_first(client, mix):
    response = client.get(LIST, {"status": "upcoming"})
    assert titles(response) == ["Opens next week", "Opens next month"]
    html = response.content.decode()
    assert f"Opens on {date_format(days(7), 'DATE_FORMAT')}, rolling" in html
    assert (
        f"Opens on {date_format(days(30), 'DATE_FORMAT')}, "
        f"until {date_format(days(90), 'DATE_FORMAT')}"
    ) in html


def test_the_status_links_keep_the_filters(client, mix):
    html = client.get(LIST, {"type": "grant-funding", "page": "1"}).content.decode()
    assert f'href="{LIST}?type=grant-funding&amp;status=closed"' in html
    assert f'href="{LIST}?type=grant-funding" aria-current="page"' in html


def test_closing_soon_is_said_in_words_on_the_card(client, mix):
    html = client.get(LIST).content.decode()
    assert '<strong class="funding-badge">Closes in 3 days</strong>' in html
    assert '<strong class="funding-badge">Closes today</strong>' in html
    assert html.count('class="funding-badge"') == 2  # not the one 40 days away, nor rolling
    opportunity("Tomorrow fund", closes=1)
    assert "Closes tomorrow" in client.get(LIST, {"q": "tomorrow"}).content.decode()


def test_the_card_shows_funder_type_amount_dates_countries_and_who_may_apply(client, db):
    spain = Country.objects.get(code="ES")
    france = Country.objects.get(code="FR")
    startups = FundingTarget.objects.get(slug="startup")
    opportunity(
        "Neighbourhood fund",
        closes=30,
        countries=[spain, france],
        targets=[startups],
        funder_name="City Foundation",
        amount_min=5000,
        amount_max=50000,
    )
    opportunity("Anywhere fund", closes=None, amount_min=None, amount_max=20000, currency="GBP")
    html = client.get(LIST).content.decode()
    assert "From City Foundation" in html
    assert "Grant funding" in html
    assert "€5,000 to €50,000" in html
    assert f"Open until {date_format(days(30), 'DATE_FORMAT')}" in html
    assert re.search(r"<dd>(France, Spain|Spain, France)</dd>", html)
    assert "<dd>Startup</dd>" in html
    assert "Open everywhere" in html and "Rolling" in html and "Up to £20,000" in html


def test_amounts_are_written_the_languages_way(client, db):
    opportunity("Fund", amount_min=5000, amount_max=None)
    opportunity("Precise fund", amount_min=1234.5, amount_max=1234.5)
    assert "From €5,000" in client.get(LIST).content.decode()
    german = client.get("/de/funding/").content.decode()
    assert "5.000\u00a0€" in german and "1.234,50\u00a0€" in german
    french = client.get("/fr/funding/").content.decode()
    assert "5\u00a0000\u00a0€" in french or "5 000\u00a0€" in french


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "investment-social-investment"}, ["Investment"]),
        ({"target": "startup"}, ["Investment", "Startups and research"]),
        ({"target": ["individuals", "research-organisation"]}, ["Startups and research", "Solo"]),
        ({"country": "spain"}, ["Spanish", "Investment", "Everywhere"]),
        ({"country": "france"}, ["Investment", "Everywhere"]),
        ({"area": "health-and-care"}, ["Spanish"]),
        ({"amount": "20000"}, ["Spanish", "Investment", "Startups and research"]),
        ({"amount": "250000"}, ["Startups and research"]),
        ({"q": "solar"}, ["Everywhere"]),
        ({"q": "solar", "country": "germany"}, ["Everywhere"]),
        ({"type": "grant-funding", "target": "startup"}, ["Startups and research"]),
    ],
)
def test_each_filter_of_the_list(client, db, query, expected):
    spain = Country.objects.get(code="ES")
    france = Country.objects.get(code="FR")
    health = SocialArea.objects.get(slug="health-and-care")
    startup = FundingTarget.objects.get(slug="startup")
    research = FundingTarget.objects.get(slug="research-organisation")
    individuals = FundingTarget.objects.get(slug="individuals")
    investment = FundingType.objects.get(slug="investment-social-investment")
    opportunity("Spanish", closes=5, countries=[spain], areas=[health])
    opportunity(
        "Investment",
        closes=6,
        countries=[spain, france],
        targets=[startup],
        funding_type=investment,
        amount_min=10000,
        amount_max=100000,
    )
    opportunity(
        "Startups and research",
        closes=7,
        countries=[Country.objects.get(code="DE")],
        targets=[startup, research],
        amount_min=20000,
        amount_max=None,
    )
    opportunity(
        "Everywhere",
        closes=8,
        short_description="Solar panels for schools.",
        amount_min=None,
        amount_max=None,
    )
    opportunity(
        "Solo",
        closes=9,
        targets=[individuals],
        countries=[Country.objects.get(code="IT")],
        amount_min=None,
        amount_max=1000,
    )
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == expected
    if not expected:
        assert "No funding opportunities match" in response.content.decode()


def test_the_closing_month_filter(client, db):
    month = days(60).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    opportunity("First day", closes=(month - today()).days)
    opportunity("Last day", closes=(following - today()).days - 1)
    opportunity("Next month", closes=(following - today()).days)
    opportunity("Rolling", closes=None)
    response = client.get(LIST, {"closes": f"{month:%Y-%m}"})
    assert titles(response) == ["First day", "Last day"]
    assert 'value="{}"'.format(f"{month:%Y-%m}") in response.content.decode()


def test_an_empty_list_says_so(client, db):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 open opportunities" in html and "No funding is open at the moment" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "soon"}, "“Show” may be “open”, “upcoming” or “closed”."),
        ({"type": "lottery"}, "“lottery” is not a type of funding we know."),
        ({"target": "aliens"}, "“aliens” is not one of the kinds of applicant we know."),
        ({"target": ["startup", "aliens"]}, "“aliens” is not one of the kinds of applicant"),
        ({"country": "narnia"}, "“narnia” is not a country we know."),
        ({"area": "knitting"}, "“knitting” is not a social area we know."),
        ({"closes": "2027-13"}, "is not a month we can show"),
        ({"closes": "March"}, "please write it as YYYY-MM"),
        ({"amount": "lots"}, "Please give the amount as a number"),
        ({"amount": "-5"}, "Please give the amount as a number"),
        ({"amount": "20,000"}, "Please give the amount as a number"),
        ({"amount": "1e400"}, "Please give the amount as a number"),
        ({"amount": "NaN"}, "Please give the amount as a number"),
        ({"amount": "10.555"}, "Please give the amount as a number"),
        ({"q": "x" * 201}, "Your search is too long"),
        ({"page": "abc"}, "The page number must be a whole number from 1 upwards."),
        ({"page": "0"}, "The page number must be a whole number from 1 upwards."),
    ],
)
def test_bad_list_queries_get_400_and_a_message(client, mix, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in html or message in html
    assert 'role="alert"' in html


def test_a_bad_value_leaves_the_others_working(client, mix):
    response = client.get(LIST, {"type": "lottery", "q": "rolling"})
    assert response.status_code == 400
    assert titles(response) == ["Rolling fund"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED])
def test_unpublished_opportunities_never_appear(client, db, status):
    hidden = opportunity("Hidden open fund", status=status)
    closed = opportunity("Hidden closed fund", opens=-50, closes=-5, status=status)
    later = opportunity("Hidden later fund", opens=5, closes=50, status=status)
    for query in [{}, {"status": "closed"}, {"status": "upcoming"}, {"q": "hidden"}]:
        response = client.get(LIST, query)
        assert response.status_code == 200
        assert "Hidden" not in response.content.decode(), query
    for shown in (hidden, closed, later):
        assert client.get(shown.get_absolute_url()).status_code == 404


def test_pagination(client, db):
    for number in range(23):
        opportunity(f"Fund {number:02}", closes=1 + number)
    first = client.get(LIST)
    assert len(first.context["opportunities"]) == 20 and first.context["pages"] == 2
    assert 'href="?page=2" rel="next"' in first.content.decode()
    second = client.get(LIST, {"page": "2"})
    assert titles(second) == ["Fund 20", "Fund 21", "Fund 22"]
    beyond = client.get(LIST, {"page": "3"})
    assert beyond.status_code == 404
    assert "There is no page 3" in beyond.content.decode()


# --- An opportunity's page -----------------------------------------------------------------


def test_the_detail_page_shows_everything(client, db):
    funder = OrganisationFactory(name="Civic Tech Trust")
    shown = opportunity(
        "Open data fund",
        closes=20,
        countries=[Country.objects.get(code="ES")],
        targets=[FundingTarget.objects.get(slug="startup")],
        areas=[SocialArea.objects.get(slug="health-and-care")],
        short_description="Money for open data.",
        description="<p>Bring a <strong>plan</strong>.</p>",
        funder=funder,
        funder_name="",
        link="https://example.org/apply-here",
    )
    response = client.get(shown.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<h1>Open data fund</h1>",
        "Money for open data.",
        "<p>Bring a <strong>plan</strong>.</p>",
        f'<a href="{funder.get_absolute_url()}">Civic Tech Trust</a>',
        "Grant funding",
        "€5,000 to €50,000",
        f"Open until {date_format(days(20), 'DATE_FORMAT')}",
        "Open for applications.",
        'href="https://example.org/apply-here"',
        f'href="{LIST}?country=spain"',
        f'href="{LIST}?target=startup"',
        f'href="{LIST}?area=health-and-care"',
        '<script type="application/ld+json">',
    ):
        assert text in html, text
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "MonetaryGrant" and data["name"] == "Open data fund"


def test_a_funder_not_published_in_the_directory_is_neither_named_nor_linked(client, db):
    funder = OrganisationFactory(name="Quiet Trust", status=Status.PENDING)
    shown = opportunity("Quiet fund", funder=funder, funder_name="")
    html = client.get(shown.get_absolute_url()).content.decode()
    assert "Quiet Trust" not in html and funder.get_absolute_url() not in html


def test_the_detail_page_says_when_it_is_closed_or_not_open_yet(client, mix):
    closed = client.get(mix["closed"].get_absolute_url()).content.decode()
    assert "This opportunity is closed" in closed and "Open for applications." not in closed
    later = client.get(mix["upcoming"].get_absolute_url()).content.decode()
    assert "Not open for applications yet." in later
    rolling = client.get(mix["rolling"].get_absolute_url()).content.decode()
    assert "Open everywhere" in rolling and "Rolling" in rolling


def test_unknown_opportunity_is_not_found(client, db):
    assert client.get("/en/funding/no-such-fund/").status_code == 404


# --- Today, the cache and midnight ---------------------------------------------------------


@pytest.fixture
def tomorrow(monkeypatch):
    """Move the site's clock on a day: everything that asks for today gets tomorrow."""

    def move():
        moved = today() + dt.timedelta(days=1)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: moved)
        return moved

    return move


def test_closing_today_shows_open_today_and_closed_tomorrow_even_with_a_warm_cache(
    client, db, tomorrow, django_assert_num_queries
):
    last_day = opportunity("Last day fund", closes=0)
    detail = last_day.get_absolute_url()
    assert titles(client.get(LIST)) == ["Last day fund"]
    assert "Closes today" in client.get(detail).content.decode()
    with django_assert_num_queries(0):  # both pages are warm in the cache
        assert "Last day fund" in client.get(LIST).content.decode()
        assert "Closes today" in client.get(detail).content.decode()

    tomorrow()
    html = client.get(LIST).content.decode()
    assert "Last day fund" not in html and "0 open opportunities" in html
    assert "Last day fund" in client.get(LIST, {"status": "closed"}).content.decode()
    page = client.get(detail).content.decode()
    assert "This opportunity is closed" in page and "Closes today" not in page


def test_opening_tomorrow_moves_from_later_to_open(client, db, tomorrow):
    opportunity("Tomorrow's fund", opens=1, closes=10)
    assert titles(client.get(LIST, {"status": "upcoming"})) == ["Tomorrow's fund"]
    assert titles(client.get(LIST)) == []
    tomorrow()
    assert titles(client.get(LIST)) == ["Tomorrow's fund"]
    assert titles(client.get(LIST, {"status": "upcoming"})) == []


def test_a_change_shows_at_once_on_a_warm_page(
    client, db, django_capture_on_commit_callbacks, user
):
    from funding.services import LIFECYCLE

    shown = opportunity("Old name", created_by=user)
    assert "Old name" in client.get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        LIFECYCLE.update(shown, user=user, fields={"title": "New name"})
    html = client.get(LIST).content.decode()
    assert "New name" in html and "Old name" not in html


# --- Queries -------------------------------------------------------------------------------


@pytest.fixture
def many(db):
    """Enough opportunities of every kind to show the pages' queries don't grow with them."""

    def make(count):
        spain = Country.objects.get(code="ES")
        health = SocialArea.objects.get(slug="health-and-care")
        startup = FundingTarget.objects.get(slug="startup")
        for number in range(count):
            opportunity(
                f"Fund {number}",
                closes=1 + number % 20,
                countries=[spain],
                targets=[startup],
                areas=[health],
            )

    return make


@pytest.mark.parametrize("count", [1, 25])
def test_list_query_count_is_pinned(client, many, count, django_assert_num_queries):
    many(count)
    # the vocabularies (6 tables, read once and held), the types of funding and who may
    # apply, the count, the page, its targets and its countries
    with django_assert_num_queries(12):
        assert client.get(LIST, {"area": "health-and-care"}).status_code == 200
    with django_assert_num_queries(0):  # again: the whole page from the cache
        assert client.get(LIST, {"area": "health-and-care"}).status_code == 200
    with django_assert_num_queries(6):  # another page: the directory's vocabularies are held
        assert client.get(LIST, {"country": "spain"}).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_detail_query_count_is_pinned(client, many, count, django_assert_num_queries):
    many(count)
    shown = opportunity(
        "Big fund",
        countries=list(Country.objects.all()[:10]),
        targets=list(FundingTarget.objects.all()),
        funder=OrganisationFactory(),
    )
    # the opportunity with its type and funder; its targets, countries and social areas
    with django_assert_num_queries(4):
        assert client.get(shown.get_absolute_url()).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(shown.get_absolute_url()).status_code == 200


def test_a_description_stored_unclean_is_cleaned_when_shown(client, db):
    """The admin or a revert may store any HTML: the page cleans it again."""
    opportunity = OpportunityFactory()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        description='<p>Fine</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    html = client.get(opportunity.get_absolute_url()).content.decode()
    assert "<p>Fine</p>" in html and "<script>alert(1)" not in html and "onerror" not in html


def test_a_funder_not_yet_published_is_not_named(client, db):
    draft = OrganisationFactory(name="Secret Draft Foundation", status=Status.DRAFT)
    opportunity = OpportunityFactory(funder=draft, funder_name="")
    opportunity_reindex(opportunity)
    for url in (opportunity.get_absolute_url(), "/en/funding/", "/en/funding/feed.atom"):
        assert "Secret Draft Foundation" not in client.get(url).content.decode()
