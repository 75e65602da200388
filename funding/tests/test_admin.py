"""Funding opportunities in the admin: the queue, filters, editors' opportunities, deleting, and
the vocabularies. The moderation shared with events (preview, approve and reject, history) is
tested in core/tests/test_moderation_admin.py."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.admin_forms import admin_form_data
from funding.models import FundingTarget
from funding.models import FundingType
from funding.models import Opportunity
from funding.services import opportunities_version
from funding.tests.factories import OpportunityFactory

CHANGELIST = reverse("admin:funding_opportunity_changelist")
ADD = reverse("admin:funding_opportunity_add")


def url(name, *args):
    return reverse(f"admin:funding_opportunity_{name}", args=args)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def moderator(db):
    person = UserFactory(is_staff=True, email="moderator@example.org")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


def pending(title="Waiting fund", author=None, **kwargs):
    author = author or UserFactory()
    return OpportunityFactory(
        title=title,
        created_by=author,
        status=Status.PENDING,
        published_at=None,
        submitted_at=timezone.now(),
        **kwargs,
    )


# --- The queue ----------------------------------------------------------------------------------


def test_the_queue_shows_pending_opportunities_first(admin_client):
    OpportunityFactory(title="Already public")
    waiting = pending(author=UserFactory(email="author@example.org"), funder_name="Big Trust")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list)[0] == waiting
    page = response.content.decode()
    assert "author@example.org" in page and "Big Trust" in page and "pending review" in page
    assert "Grant funding" in page


def test_the_queue_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    for number in range(25):
        pending(title=f"Pending {number}")
        OpportunityFactory(title=f"Published {number}")
    admin_client.get(CHANGELIST)  # warm the session and content types
    # Session, user, savepoint and release, permissions (2), the type and target filters, two
    # counts and the rows: none for each row.
    with django_assert_num_queries(11):
        response = admin_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 50


def test_filters_by_dates_type_target_and_search(admin_client):
    open_now = OpportunityFactory(title="Open fund")
    soon = OpportunityFactory(title="Soon fund", closes_on=in_days(3))
    closed = OpportunityFactory(title="Closed fund", opens_on=in_days(-60), closes_on=in_days(-1))
    later = OpportunityFactory(title="Later fund", opens_on=in_days(10), closes_on=in_days(40))
    rolling = OpportunityFactory(
        title="Rolling fund",
        closes_on=None,
        funding_type=FundingType.objects.get(slug="working-spaces"),
        funder_name="Hub Spaces",
    )
    startups = FundingTarget.objects.get(slug="startup")
    open_now.targets.add(startups)
    waiting = pending(title="Waiting fund", opens_on=None, closes_on=in_days(100))
    spaces = FundingType.objects.get(slug="working-spaces")
    for params, expected in [
        ({"open": "open"}, {open_now, soon, rolling, waiting}),
        ({"open": "closing_soon"}, {soon}),
        ({"open": "closed"}, {closed}),
        ({"open": "later"}, {later}),
        ({"open": "rolling"}, {rolling}),
        ({"status__exact": "pending"}, {waiting}),
        ({"funding_type__id__exact": spaces.pk}, {rolling}),
        ({"targets__id__exact": startups.pk}, {open_now}),
        ({"q": "hub spaces"}, {rolling}),
        ({"q": "closed"}, {closed}),
    ]:
        response = admin_client.get(CHANGELIST, params)
        assert response.status_code == 200, params
        assert set(response.context["cl"].result_list) == expected, params
    page = admin_client.get(CHANGELIST, {"open": "open"}).content.decode()
    assert "Open now" in page and "Closing soon" in page and "Rolling (no closing date)" in page


def test_open_now_is_worked_out_today(admin_client):
    OpportunityFactory(title="Closed fund", opens_on=in_days(-60), closes_on=in_days(-1))
    response = admin_client.get(CHANGELIST)
    assert 'alt="False"' in response.content.decode()
    assert 'alt="True"' not in response.content.decode()


# Preview, approve and reject, who may moderate, and the history are the moderation admin's,
# tested for events and funding alike in core/tests/test_moderation_admin.py.


# --- Editors adding and changing opportunities ----------------------------------------------------


def add_data(**overrides) -> dict:
    return {
        "title": "Editors' pick fund",
        "slug": "",
        "short_description": "",
        "description": "<p>Chosen by us.</p>",
        "link": "https://example.org/apply",
        "funding_type": FundingType.objects.get(slug="grant-funding").pk,
        "amount_min": "1000",
        "amount_max": "2000",
        "currency": "SEK",
        "opens_on": "",
        "closes_on": in_days(20).isoformat(),
        "funder_name": "DSI Hub",
        "funder_website": "",
        "status": Status.PUBLISHED,
        **overrides,
    }


def test_an_editor_adds_a_published_opportunity(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    startups = FundingTarget.objects.get(slug="startup")
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, add_data(targets=[startups.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert opportunities_version() > before
    opportunity = Opportunity.objects.get()
    assert opportunity.slug == "editors-pick-fund"
    assert opportunity.created_by == moderator
    assert opportunity.published_at is not None
    assert opportunity.currency == "SEK"
    assert {f"target:{startups.pk}", "country:any"} <= set(opportunity.facet_keys)
    assert list(Opportunity.objects.published().open_on().matching("editors")) == [opportunity]
    assert Version.objects.get_for_object(opportunity).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "new"}, "slug"),
        ({"currency": "XBT"}, "currency"),
        ({"amount_min": "-1"}, "amount_min"),
        ({"amount_max": "10"}, "amount_max"),
        ({"opens_on": in_days(30).isoformat()}, "closes_on"),
    ],
)
def test_the_admin_form_refuses_bad_values(admin_client, overrides, field):
    response = admin_client.post(ADD, add_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Opportunity.objects.exists()


def test_an_admin_edit_reindexes_and_is_kept_in_history(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    opportunity = OpportunityFactory(title="Plain title")
    data = admin_form_data(admin_client.get(url("change", opportunity.pk)))
    data["title"] = "Fondo de innovación"
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("change", opportunity.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert opportunities_version() > before
    assert list(Opportunity.objects.matching("innovacion")) == [opportunity]
    version = Version.objects.get_for_object(opportunity).first()
    assert version.revision.user == moderator
    assert "Title" in version.revision.get_comment()


def test_deleting_moves_the_version_on(admin_client, django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory()
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("delete", opportunity.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Opportunity.objects.exists()
    assert opportunities_version() > before


# --- Vocabularies ---------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", [FundingType, FundingTarget])
def test_renaming_a_term_moves_the_funding_version_on(
    superuser_client, model, django_capture_on_commit_callbacks
):
    term = model.objects.order_by("pk").first()
    change = reverse(f"admin:funding_{model._meta.model_name}_change", args=[term.pk])
    page = superuser_client.get(change)
    assert page.status_code == 200
    data = admin_form_data(page)
    assert "name_de" in data  # every language's name is edited here
    data["name_en"] = "Renamed in English"
    data["name_de"] = "Umbenannt"
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert opportunities_version() > before
    term.refresh_from_db()
    assert (term.name_en, term.name_de) == ("Renamed in English", "Umbenannt")


def test_deleting_an_unused_term_moves_the_funding_version_on(
    superuser_client, django_capture_on_commit_callbacks
):
    term = FundingTarget.objects.create(name="Cooperatives", slug="cooperatives", order=9)
    before = opportunities_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:funding_fundingtarget_delete", args=[term.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not FundingTarget.objects.filter(pk=term.pk).exists()
    assert opportunities_version() > before
