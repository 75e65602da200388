"""Practitioners add, edit, preview and submit funding opportunities, all the way to publication.

What the pages share with events (who may use them, honeypot, rate limits, submitting) is
tested for both in core/tests/test_submission_views.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from funding.models import FundingTarget
from funding.models import Opportunity
from funding.tests.factories import OpportunityFactory
from funding.tests.helpers import day
from funding.tests.helpers import form_data

NEW = reverse("funding:opportunity_create")
MINE = reverse("funding:opportunity_mine")


@pytest.fixture
def author(db):
    return UserFactory(email="author@example.org", name="Ana Author")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def draft(author, **kwargs):
    return OpportunityFactory(
        created_by=author, status=Status.DRAFT, published_at=None, title="My draft", **kwargs
    )


def url(name, opportunity):
    return reverse(f"funding:opportunity_{name}", kwargs={"slug": opportunity.slug})


# --- The whole way: create, preview, submit, approve ---------------------------------------------


def test_from_the_form_to_publication(author_client, author, django_capture_on_commit_callbacks):
    page = author_client.get(NEW)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="fax_number"' in content
    assert "Leave empty when it is open everywhere" in content
    assert '<option value="EUR" selected>' in content
    assert '<option value="PLN">' in content and 'name="rolling"' in content

    health = SocialArea.objects.get(slug="health-and-care")
    startups = FundingTarget.objects.get(slug="startup")
    portugal = Country.objects.get(code="PT")
    data = form_data(
        social_areas=[health.pk], targets=[startups.pk], countries=[portugal.pk], currency="PLN"
    )
    response = author_client.post(NEW, data)
    assert response.status_code == 302, response.context["form"].errors
    opportunity = Opportunity.objects.get()
    assert response.url == url("preview", opportunity)
    assert opportunity.status == Status.DRAFT
    assert opportunity.created_by == author
    assert opportunity.title == "Civic data fund"
    assert opportunity.slug == "civic-data-fund"
    assert opportunity.description == "<p>Apply with an idea.</p>"
    assert opportunity.link == "https://example.org/apply"
    assert (opportunity.amount_min, opportunity.amount_max) == (Decimal(5000), Decimal(25000))
    assert opportunity.currency == "PLN"
    assert opportunity.closes_on == timezone.localdate() + dt.timedelta(days=30)
    assert list(opportunity.social_areas.all()) == [health]
    assert list(opportunity.targets.all()) == [startups]
    assert list(opportunity.countries.all()) == [portugal]
    assert {f"country:{portugal.pk}", f"target:{startups.pk}"} <= set(opportunity.facet_keys)
    assert not Opportunity.objects.published().exists()

    preview = author_client.get(response.url)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Civic data fund" in text and "Open Data Foundation" in text
    assert "Submit for review" in text and "Closes in" not in text
    assert "Open until" in text
    assert "5,000\u00a0PLN to 25,000\u00a0PLN" in text
    assert url("edit", opportunity) in text
    assert "Apply with an idea." in text and "<script>" not in text

    submitted = author_client.post(url("submit", opportunity))
    assert submitted.status_code == 302 and submitted.url == MINE
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PENDING and opportunity.submitted_at is not None
    mine = author_client.get(MINE).content.decode()
    assert "Civic data fund" in mine and "pending review" in mine
    assert "My funding opportunities" in mine

    # Submitting twice is refused, with the reason on the preview.
    again = author_client.post(url("submit", opportunity))
    assert again.status_code == 400
    assert "Only drafts can be submitted for review." in again.content.decode()

    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    author_client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        approved = author_client.post(
            reverse("admin:funding_opportunity_approve", args=[opportunity.pk])
        )
    assert approved.status_code == 302
    assert list(Opportunity.objects.published()) == [opportunity]
    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    comments = [
        version.revision.get_comment() for version in Version.objects.get_for_object(opportunity)
    ]
    assert comments == ["Approved", "Submitted for review", "Created"]


def test_an_opportunity_open_everywhere_and_rolling(author_client):
    response = author_client.post(NEW, form_data(closes_on="", rolling="on"))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.closes_on is None and opportunity.is_rolling
    assert {"country:any", "rolling:1"} <= set(opportunity.facet_keys)
    preview = author_client.get(response.url).content.decode()
    assert "Open everywhere" in preview and "Rolling: no closing date" in preview


def test_funders_offered_are_those_the_author_manages(author_client, author):
    mine = OrganisationFactory(name="My Foundation", owner=author)
    OrganisationFactory(name="Someone Else's Fund")
    page = author_client.get(NEW).content.decode()
    assert "My Foundation" in page and "Someone Else" not in page
    response = author_client.post(NEW, form_data(funder=mine.pk, funder_name=""))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.funder == mine and opportunity.funder_label == "My Foundation"


def test_an_organisation_the_author_does_not_manage_is_refused(author_client):
    other = OrganisationFactory(name="Not Mine")
    response = author_client.post(NEW, form_data(funder=other.pk, funder_name=""))
    assert response.status_code == 400
    assert "Select a valid choice" in str(response.context["form"].errors["funder"])
    # The draft keeps what was valid, never the organisation refused.
    assert Opportunity.objects.get().funder is None


# --- Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on": day(-10), "opens_on": day(-5)}, "closes_on", "cannot close before it"),
        ({"amount_min": "9000", "amount_max": "100"}, "amount_max", "cannot be below the small"),
        ({"amount_min": "-5"}, "amount_min", "Amounts cannot be negative."),
        ({"amount_max": "-5", "amount_min": ""}, "amount_max", "Amounts cannot be negative."),
        ({"amount_min": "lots"}, "amount_min", "Enter a number."),
        ({"currency": "XBT"}, "currency", "Select a valid choice."),
        ({"currency": ""}, "currency", "This field is required."),
        ({"rolling": "on"}, "closes_on", "Rolling applications have no closing date"),
        ({"closes_on": "31/31/2031"}, "closes_on", "Enter a valid date."),
        ({"funding_type": "999999"}, "funding_type", "Select a valid choice."),
        ({"targets": ["nonsense"]}, "targets", "is not a valid value"),
        ({"countries": ["999999"]}, "countries", "Select a valid choice."),
        ({"title": "  "}, "title", "This field is required."),
        ({"title": "!!!"}, "title", "Please give a title with letters or digits."),
        ({"link": "not a link at all"}, "link", "Enter a valid URL."),
    ],
)
def test_mistakes_are_shown_next_to_their_field(author_client, overrides, field, message):
    response = author_client.post(NEW, form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    # The summary on top links to the field in error.
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    # A draft keeps what was valid (it needs only its title), never the field in error.
    assert Opportunity.objects.exists() == (field != "title")


# What a draft may leave out, and a published opportunity may not.
NEEDED_AT_SUBMISSION = [
    ({"closes_on": ""}, "closes_on", "Please give the closing date, or tick “Rolling”"),
    ({"funder_name": ""}, "funder_name", "Please give the funder's name"),
    ({"funding_type": ""}, "funding_type", "This field is required."),
    ({"link": ""}, "link", "This field is required."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), NEEDED_AT_SUBMISSION)
def test_a_published_opportunity_keeps_what_submission_needs(
    author_client, author, overrides, field, message
):
    opportunity = OpportunityFactory(created_by=author, funder_name="A Fund")
    response = author_client.post(url("edit", opportunity), form_data(**overrides))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])


def test_a_draft_saves_whatever_is_valid_and_submission_asks_for_the_rest(author_client, author):
    empty = {"funding_type": "", "link": "", "closes_on": "", "funder_name": ""}
    response = author_client.post(NEW, form_data(**empty))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.status == Status.DRAFT and opportunity.funding_type is None
    page = author_client.get(url("preview", opportunity))
    assert page.status_code == 200
    response = author_client.post(url("submit", opportunity))
    assert response.status_code == 400
    assert (
        "Before submitting, please add its type, a link to apply, who offers it."
        in response.content.decode()
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT
    response = author_client.post(url("edit", opportunity), form_data())
    assert response.status_code == 302
    assert author_client.post(url("submit", opportunity)).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PENDING


def test_the_funder_is_mine_or_named_not_both(author_client, author):
    mine = OrganisationFactory(name="My Foundation", owner=author)
    response = author_client.post(NEW, form_data(funder=mine.pk))
    assert response.status_code == 400
    assert "Leave this empty" in str(response.context["form"].errors["funder_name"])


def test_new_accounts_may_put_only_a_couple_of_links_in_the_text(author_client):
    links = " ".join(f"https://example.org/{number}" for number in range(3))
    response = author_client.post(NEW, form_data(description=f"<p>{links}</p>"))
    assert response.status_code == 400
    assert "New accounts can include at most 2 links" in str(
        response.context["form"].errors["description"]
    )


# --- Editing -------------------------------------------------------------------------------------


def test_the_edit_form_shows_what_was_saved(author_client, author):
    startups = FundingTarget.objects.get(slug="startup")
    author_client.post(NEW, form_data(closes_on="", rolling="on", targets=[startups.pk]))
    opportunity = Opportunity.objects.get()
    response = author_client.get(url("edit", opportunity))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["rolling"].value() is True
    assert form["currency"].value() == "EUR"
    assert [int(pk) for pk in form["targets"].value()] == [startups.pk]
    assert 'name="fax_number"' not in response.content.decode()


def test_editing_saves_through_the_service_with_history(author_client, author):
    author_client.post(NEW, form_data())
    opportunity = Opportunity.objects.get()
    response = author_client.post(
        url("edit", opportunity),
        form_data(title="Civic data fund 2027", amount_max="30000", fax_number=None),
    )
    assert response.status_code == 302 and response.url == url("preview", opportunity)
    opportunity.refresh_from_db()
    assert opportunity.title == "Civic data fund 2027"
    assert opportunity.amount_max == Decimal(30000)
    assert opportunity.slug == "civic-data-fund"  # addresses do not change
    comment = Version.objects.get_for_object(opportunity).first().revision.get_comment()
    assert comment.startswith("Changed") and "title" in comment and "amount_max" in comment
    assert list(Opportunity.objects.matching("2027")) == [opportunity]


def test_editing_a_draft_with_mistakes_keeps_what_was_valid(author_client, author):
    opportunity = draft(author, amount_min=Decimal("100"))
    response = author_client.post(
        url("edit", opportunity), form_data(title="Renamed draft", amount_min="-1")
    )
    assert response.status_code == 400
    assert "We saved your draft, except the fields marked below" in response.content.decode()
    assert response.context["form"]["amount_min"].value() == "-1"  # as typed, to correct
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.amount_min) == ("Renamed draft", Decimal("100"))


def test_editing_a_published_one_with_mistakes_changes_nothing(author_client, author):
    opportunity = OpportunityFactory(created_by=author, title="Live fund")
    response = author_client.post(
        url("edit", opportunity), form_data(title="Renamed", amount_min="-1")
    )
    assert response.status_code == 400
    opportunity.refresh_from_db()
    assert opportunity.title == "Live fund"


def test_a_published_opportunity_s_changes_go_live(
    author_client, author, django_capture_on_commit_callbacks
):
    from funding.services import opportunities_version

    opportunity = OpportunityFactory(created_by=author)
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(url("edit", opportunity), form_data(title="Renamed fund"))
    assert response.status_code == 302
    assert opportunities_version() > before
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED and opportunity.title == "Renamed fund"
    page = author_client.get(url("preview", opportunity)).content.decode()
    assert "This funding opportunity is public." in page and "Submit for review" not in page


# --- My funding opportunities --------------------------------------------------------------------


def test_mine_lists_only_mine_in_a_fixed_number_of_queries(
    author_client, author, django_assert_num_queries
):
    for number in range(5):
        draft(author, funder=OrganisationFactory(name=f"Funder {number}"))
    OpportunityFactory(title="Someone else's fund")
    author_client.get(MINE)  # warm the session
    with django_assert_num_queries(4):
        response = author_client.get(MINE)
    page = response.content.decode()
    assert page.count("My draft") >= 5 and "Someone else" not in page
    assert "Not yet submitted" in page and "Funder 4" in page
    assert f'href="{MINE}" aria-current="page"' in page


def test_mine_with_a_bad_page_number_shows_the_first(author_client, author):
    draft(author)
    response = author_client.get(MINE, {"page": "many"})
    assert response.status_code == 200 and "My draft" in response.content.decode()
