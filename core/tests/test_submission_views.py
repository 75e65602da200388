"""The practitioners' pages every kind of submitted content shares (core.submission_views),
tested once for each app that uses them: who may use them, the honeypot, the rate limits, and
submitting for review. What differs (forms, previews, "mine" lists) is tested in the apps."""

from dataclasses import dataclass
from types import ModuleType

import pytest
from django.contrib.auth.models import Group
from django.urls import resolve
from django.urls import reverse

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from core.ratelimit import rate_limit_hit
from events import services as event_services
from events import views as event_views
from events.tests.factories import EventFactory
from events.tests.helpers import form_data as event_form_data
from funding import services as funding_services
from funding import views as funding_views
from funding.tests.factories import OpportunityFactory
from funding.tests.helpers import form_data as funding_form_data


@dataclass(frozen=True)
class App:
    """What these tests need to know of one app's pages."""

    views: ModuleType  # the app's views
    factory: type
    form_data: object  # valid answers to the app's form, with keyword overrides
    prefix: str  # where the app's pages are
    address_limit: str  # the rate limit's action per address
    too_many: str  # what the rate-limited page says
    reject: object  # the moderation service: reject(obj, moderator=..., reason=...)

    @property
    def pages(self):
        return self.views.pages

    @property
    def model(self):
        return self.pages.model

    def url(self, page: str, obj=None) -> str:
        name = f"{self.pages.namespace}:{self.pages.name}_{page}"
        return reverse(name, kwargs={"slug": obj.slug}) if obj else reverse(name)

    def draft(self, author):
        return self.factory(
            created_by=author, status=Status.DRAFT, published_at=None, title="My draft"
        )


EVENTS = App(
    views=event_views,
    factory=EventFactory,
    form_data=event_form_data,
    prefix="/en/events/",
    address_limit="event-create-address",
    too_many="Too many new events today",
    reject=event_services.LIFECYCLE.reject,
)
FUNDING = App(
    views=funding_views,
    factory=OpportunityFactory,
    form_data=funding_form_data,
    prefix="/en/funding/",
    address_limit="opportunity-create-address",
    too_many="Too many new funding opportunities today",
    reject=funding_services.LIFECYCLE.reject,
)


@pytest.fixture(params=[EVENTS, FUNDING], ids=["events", "funding"])
def app(request):
    return request.param


@pytest.fixture
def author_client(client, user):
    client.force_login(user)
    return client


# --- URLs and who may use them -------------------------------------------------------------------


def test_new_and_mine_win_over_a_slug(app):
    name = app.pages.name
    assert resolve(app.url("create")).func is app.pages.create_view
    assert resolve(app.url("mine")).func is app.pages.mine_view
    for page in ("edit", "preview", "submit"):
        assert resolve(f"{app.prefix}some-slug/{page}/").url_name == f"{name}_{page}"


def test_anonymous_visitors_are_sent_to_log_in(app, client, db):
    obj = app.factory()
    for url in (app.url("create"), app.url("mine"), app.url("edit", obj), app.url("preview", obj)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(app.url("submit", obj))
    assert response.status_code == 302 and "login" in response.url


def test_someone_else_s_draft_is_a_404_like_an_unknown_slug(app, client, user):
    # A 403 would tell a stranger that the slug is someone's unpublished draft.
    obj = app.draft(user)
    client.force_login(UserFactory())
    for page in ("edit", "preview"):
        assert client.get(app.url(page, obj)).status_code == 404
    assert client.post(app.url("edit", obj), app.form_data()).status_code == 404
    assert client.post(app.url("submit", obj)).status_code == 404
    obj.refresh_from_db()
    assert obj.status == Status.DRAFT and obj.title == "My draft"


def test_other_people_get_a_403_on_what_is_published(app, client, user):
    obj = app.factory(created_by=user, status=Status.PUBLISHED, title="Public")
    client.force_login(UserFactory())
    for page in ("edit", "preview"):
        assert client.get(app.url(page, obj)).status_code == 403
    assert client.post(app.url("edit", obj), app.form_data()).status_code == 403
    obj.refresh_from_db()
    assert obj.title == "Public"


def test_community_admins_may_edit_anyone_s(app, client, user):
    obj = app.draft(user)
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    client.force_login(moderator)
    assert client.get(app.url("edit", obj)).status_code == 200
    assert client.get(app.url("preview", obj)).status_code == 200


def test_staff_without_the_permission_may_not(app, client, user):
    obj = app.draft(user)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(app.url("edit", obj)).status_code == 404


def test_an_unknown_slug_is_a_404(app, author_client):
    assert author_client.get(f"{app.prefix}no-such-thing/edit/").status_code == 404
    assert author_client.post(f"{app.prefix}no-such-thing/submit/").status_code == 404


def test_submit_needs_a_post(app, author_client, user):
    obj = app.draft(user)
    assert author_client.get(app.url("submit", obj)).status_code == 405


# --- Honeypot and rate limits --------------------------------------------------------------------


def test_a_bot_filling_the_honeypot_creates_nothing(app, author_client):
    response = author_client.post(app.url("create"), app.form_data(fax_number="+32 2 555 00 00"))
    assert response.status_code == 302 and response.url == app.url("mine")
    assert not app.model.objects.exists()


def test_ten_new_a_day_per_account(app, author_client):
    new = app.url("create")
    for number in range(app.pages.creates_per_account):
        response = author_client.post(new, app.form_data(title=f"Number {number}"))
        assert response.status_code == 302
    response = author_client.post(new, app.form_data(title="One too many"))
    assert response.status_code == 429
    assert app.too_many in response.content.decode()
    assert author_client.get(new).status_code == 429
    assert app.model.objects.count() == app.pages.creates_per_account == 10


def test_twenty_new_a_day_per_address(app, author_client):
    for _number in range(app.pages.creates_per_address):
        rate_limit_hit(action=app.address_limit, key="127.0.0.1", limit=20, period=60)
    assert author_client.get(app.url("create")).status_code == 429
    assert author_client.post(app.url("create"), app.form_data()).status_code == 429
    assert not app.model.objects.exists()


# --- Submitting ----------------------------------------------------------------------------------


def test_submitting_twice_says_why_not(app, author_client, user):
    obj = app.draft(user)
    assert author_client.post(app.url("submit", obj)).status_code == 302
    response = author_client.post(app.url("submit", obj))
    assert response.status_code == 400
    assert "Only drafts can be submitted for review." in response.content.decode()


def test_a_rejected_one_shows_why_and_can_be_submitted_again(app, author_client, user):
    obj = app.draft(user)
    app.pages.lifecycle.submit(obj, user=user)
    app.reject(obj, moderator=UserFactory(is_staff=True), reason="Add the details.")
    mine = author_client.get(app.url("mine")).content.decode()
    assert "Add the details." in mine and "Submit again" in mine
    preview = author_client.get(app.url("preview", obj)).content.decode()
    assert "Why it was not published:" in preview and "Add the details." in preview
    assert "Submit again for review" in preview
    assert author_client.post(app.url("submit", obj)).status_code == 302
    obj.refresh_from_db()
    assert obj.status == Status.PENDING and obj.rejection_reason == ""
