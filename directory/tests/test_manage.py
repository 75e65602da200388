"""Practitioners' pages: guided creation and editing, preview, submit, picker, dashboard."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from accounts.tests.factories import UserFactory
from accounts.tests.images import not_an_image
from accounts.tests.images import pixel_bomb
from core.models import Status
from core.tests.browser import CHROMIUM
from directory.models import Country
from directory.models import DSIFocus
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Organisation
from directory.models import OrganisationSize
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import Role
from directory.models import SocialArea
from directory.models import Technology
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from directory.views import lookup
from directory.views import manage

pytestmark = pytest.mark.django_db

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

ORG_STEPS = ["basics", "about", "place", "details", "images"]
PROJECT_STEPS = ["basics", "about", "place", "topics", "dates", "organisations", "images"]


@pytest.fixture
def old_user(db):
    """An account older than a week: no limit on links."""
    return UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30))


@pytest.fixture
def member_client(client, old_user):
    client.force_login(old_user)
    client.user = old_user
    return client


def step_url(profile, step):
    return reverse(
        f"directory:{profile.kind}_edit_step", kwargs={"slug": profile.slug, "step": step}
    )


def url(profile, name):
    return reverse(f"directory:{profile.kind}_{name}", kwargs={"slug": profile.slug})


def png(name="logo.png", size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def draft_organisation(user, **kwargs):
    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("published_at", None)
    return OrganisationFactory(owner=user, **kwargs)


def draft_project(user, **kwargs):
    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("published_at", None)
    return ProjectFactory(owner=user, **kwargs)


def create(client, kind="organisation", **data):
    data.setdefault("name", "Fresh Idea Collective")
    data.setdefault("short_description", "We make fresh ideas happen.")
    data.setdefault("website", "https://fresh.example.org")
    data.setdefault("city", "Ghent")
    return client.post(reverse(f"directory:{kind}_create"), data)


# --- Creation ---------------------------------------------------------------------------------


def test_pages_need_an_account(client):
    organisation = OrganisationFactory()
    for address in (
        reverse("directory:organisation_create"),
        reverse("directory:dashboard"),
        reverse("directory:organisation_lookup") + "?q=x",
        step_url(organisation, "about"),
        url(organisation, "preview"),
        url(organisation, "submit"),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_creation_shows_similar_profiles_before_creating(member_client):
    existing = OrganisationFactory(name="Open Data Lab", city="Ghent")
    OrganisationFactory(name="Open Data Lab Lisbon", city="Lisbon")
    response = create(member_client, name="The Open Data Lab", city="Ghent")
    assert response.status_code == 200
    assert not Organisation.objects.filter(created_by=member_client.user).exists()
    page = response.content.decode()
    assert "Is it one of these?" in page
    assert reverse("directory:organisation_join", kwargs={"slug": existing.slug}) in page
    # The one in the same city comes first.
    assert page.index("Open Data Lab</a>") < page.index("Open Data Lab Lisbon")
    assert 'name="confirm_new"' in page

    response = create(member_client, name="The Open Data Lab", city="Ghent", confirm_new="1")
    profile = Organisation.objects.get(created_by=member_client.user)
    assert response.status_code == 302
    assert response["Location"] == step_url(profile, "about")
    assert profile.status == Status.DRAFT
    assert profile.name == "The Open Data Lab"
    # Written as the gazetteer names the place (directory.cities), so facets do not split.
    assert profile.city == "Gent"
    assert profile.website == "https://fresh.example.org"
    assert Membership.objects.get(organisation=profile).role == Role.OWNER


def test_similar_profiles_never_reveal_drafts_of_others(member_client):
    hidden = draft_organisation(UserFactory(), name="Secret Garden Lab")
    response = create(member_client, name="Secret Garden Lab")
    assert response.status_code == 302  # nothing similar among published profiles
    created = Organisation.objects.get(created_by=member_client.user)
    assert created.slug != hidden.slug
    page = member_client.get(response["Location"]).content.decode()
    assert hidden.slug not in page.replace(created.slug, "")


def test_project_creation_finds_similar_projects(member_client):
    existing = ProjectFactory(name="Repair Café Network", city="Ghent")
    response = create(member_client, kind="project", name="repair cafe network")
    assert response.status_code == 200
    assert reverse("directory:project_join", kwargs={"slug": existing.slug}) in (
        response.content.decode()
    )


def test_creation_form_errors_are_400_with_messages(member_client):
    response = create(member_client, name="   ", website="not a url", city="x" * 101)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"name", "website", "city"}
    assert not Organisation.objects.exists()


def test_honeypot_creates_nothing_and_tells_the_bot_nothing(member_client):
    response = create(member_client, fax_number="+1 555 0100")
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    page = member_client.get(reverse("directory:organisation_create")).content.decode()
    assert 'aria-hidden="true"' in page
    assert 'name="fax_number"' in page
    assert 'tabindex="-1"' in page


def test_creation_is_rate_limited_per_account(member_client, monkeypatch):
    monkeypatch.setattr(manage, "CREATES_PER_ACCOUNT", 2)
    for number in range(2):
        assert create(member_client, name=f"Unique Thing {number}").status_code == 302
    response = create(member_client, name="Unique Thing 3")
    assert response.status_code == 429
    assert "Too many new profiles today" in response.content.decode()
    assert Organisation.objects.count() == 2
    # The form itself says so before anyone fills it in.
    assert member_client.get(reverse("directory:project_create")).status_code == 429


def test_creation_is_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr(manage, "CREATES_PER_ADDRESS", 3)
    for number in range(3):
        client.force_login(UserFactory())
        assert create(client, name=f"Address Thing {number}").status_code == 302
    client.force_login(UserFactory())
    assert create(client, name="Address Thing 4").status_code == 429
    other_address = client.post(
        reverse("directory:organisation_create"),
        {"name": "Address Thing 5", "short_description": "x"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other_address.status_code == 302
    assert Organisation.objects.count() == 4


# --- Steps ------------------------------------------------------------------------------------


def test_whole_organisation_flow_from_draft_to_pending(member_client):
    response = create(member_client, name="Civic Sensors", city="Madrid")
    profile = Organisation.objects.get(name="Civic Sensors")
    page = member_client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert 'aria-current="step"' in content
    assert "Step 2 of 6: About" in content
    assert "Save and continue" in content and "Save draft and leave" in content

    response = member_client.post(
        step_url(profile, "about"),
        {"description": "<p>We <strong>measure</strong> air.</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(profile, "place")
    profile.refresh_from_db()
    assert profile.description == "<p>We <strong>measure</strong> air.</p>"

    spain = Country.objects.get(code="ES")
    response = member_client.post(
        step_url(profile, "place"),
        {
            "country": spain.pk,
            "city": "Madrid",
            "address": "Calle 1",
            "latitude": "40.4168",
            "longitude": "-3.7038",
            "leave": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:dashboard")
    profile.refresh_from_db()
    assert (profile.country, profile.latitude, profile.longitude) == (spain, 40.4168, -3.7038)
    assert profile.status == Status.DRAFT

    # Back later, from the dashboard: the draft is as it was left.
    dashboard = member_client.get(reverse("directory:dashboard")).content.decode()
    assert url(profile, "edit") in dashboard
    response = member_client.get(url(profile, "edit"))
    assert response["Location"] == step_url(profile, "basics")
    assert 'value="Calle 1"' in member_client.get(step_url(profile, "place")).content.decode()

    kind = OrganisationType.objects.first()
    size = OrganisationSize.objects.first()
    response = member_client.post(
        step_url(profile, "details"),
        {
            "organisation_type": kind.pk,
            "organisation_size": size.pk,
            "start_date": "2015-03-01",
            "tags_text": "air quality, open data, Open Data",
            "networks_text": "Sensor Network",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.organisation_type == kind
    assert sorted(tag.name for tag in profile.tags.all()) == ["air quality", "open data"]
    assert [tag.name for tag in profile.network_tags.all()] == ["Sensor Network"]
    assert 'value="air quality, open data"' in (
        member_client.get(step_url(profile, "details")).content.decode()
    )

    response = member_client.post(
        step_url(profile, "images"),
        {"logo": png(), "links": "https://mastodon.example/@sensors\nexample.org/sensors"},
    )
    assert response.status_code == 302
    assert response["Location"] == url(profile, "preview")
    profile.refresh_from_db()
    assert profile.logo.name.startswith("directory/logos/logo-")
    assert profile.logo.name.endswith(".webp")
    assert profile.links == ["https://mastodon.example/@sensors", "https://example.org/sensors"]

    preview = member_client.get(url(profile, "preview"))
    assert preview.status_code == 200
    assert preview.context["preview"] is True
    assert preview.context["profile"] == profile
    assert "Preview: not yet published" in preview.content.decode()
    assert "directory/organisation_detail.html" in [t.name for t in preview.templates]

    submit_page = member_client.get(url(profile, "submit"))
    assert submit_page.status_code == 200
    assert profile.licence_url in submit_page.content.decode()
    assert profile.get_licence_display() in submit_page.content.decode()
    response = member_client.post(
        url(profile, "submit"), {"consent": "on"}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:dashboard")
    profile.refresh_from_db()
    assert profile.status == Status.PENDING
    assert profile.submitted_at is not None
    dashboard = member_client.get(reverse("directory:dashboard")).content.decode()
    assert "pending review" in dashboard
    # Submitting twice is refused with a message, not a 500.
    assert member_client.post(url(profile, "submit"), {"consent": "on"}).status_code == 400


def test_submit_needs_consent_and_a_complete_profile(member_client):
    profile = draft_organisation(member_client.user, short_description="", country=None)
    page = member_client.get(url(profile, "submit")).content.decode()
    assert "a short description" in page and "a country" in page
    response = member_client.post(url(profile, "submit"), {"consent": "on"})
    assert response.status_code == 400
    assert "Before submitting, please add a short description, a country." in (
        response.content.decode()
    )
    complete = draft_organisation(member_client.user)
    response = member_client.post(url(complete, "submit"), {})
    assert response.status_code == 400
    assert "Please tick the box" in response.content.decode()
    complete.refresh_from_db()
    assert complete.status == Status.DRAFT


def test_submit_records_a_spam_score(member_client):
    profile = draft_organisation(member_client.user, description="", website="http://x.example")
    member_client.post(url(profile, "submit"), {"consent": "on"})
    profile.refresh_from_db()
    assert profile.status == Status.PENDING
    assert profile.spam_score > 0
    assert "little or no description" in profile.spam_signals


def test_whole_project_flow_with_picker_without_javascript(member_client):
    response = create(member_client, kind="project", name="Food Sharing Map", city="Ghent")
    project = Project.objects.get(name="Food Sharing Map")
    assert response["Location"] == step_url(project, "about")

    assert (
        member_client.post(
            step_url(project, "about"),
            {"description": "<p>Maps.</p>", "social_impact": "<p>Less waste.</p>"},
        ).status_code
        == 302
    )
    belgium, france = Country.objects.get(code="BE"), Country.objects.get(code="FR")
    assert (
        member_client.post(
            step_url(project, "place"), {"countries": [belgium.pk, france.pk], "city": "Ghent"}
        ).status_code
        == 302
    )
    assert set(project.countries.all()) == {belgium, france}

    # A draft may be saved without a social area (issue 13): the submit step asks for one.
    response = member_client.post(step_url(project, "topics"), {"focus": []})
    assert response.status_code == 302
    submit_page = member_client.get(url(project, "submit")).content.decode()
    assert f'<a href="{step_url(project, "topics")}">at least one social area</a>' in submit_page
    area, technology = SocialArea.objects.first(), Technology.objects.first()
    focus = DSIFocus.objects.first()
    response = member_client.post(
        step_url(project, "topics"),
        {
            "social_areas": [area.pk],
            "technologies": [technology.pk],
            "focus": [focus.pk],
            "who_text": "families, students",
            "networks_text": "Food network",
            "tags_text": "food",
        },
    )
    assert response.status_code == 302
    assert list(project.social_areas.all()) == [area]
    assert sorted(tag.name for tag in project.who_we_help.all()) == ["families", "students"]

    response = member_client.post(
        step_url(project, "dates"), {"start_date": "2020-05-01", "end_date": "2019-01-01"}
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    response = member_client.post(
        step_url(project, "dates"), {"start_date": "2020-05-01", "end_date": "", "live": "on"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.start_date == datetime.date(2020, 5, 1) and project.live

    # The picker, without JavaScript: "Find" re-renders the step with matches as checkboxes.
    lead = OrganisationFactory(name="Ghent Food Lab", city="Ghent")
    partner = OrganisationFactory(name="Food Rescue Belgium")
    mine = draft_organisation(member_client.user, name="Food Friends Draft")
    theirs = draft_organisation(UserFactory(), name="Food Secret Draft")
    response = member_client.post(
        step_url(project, "organisations"), {"q": "food", "find": "1", "add_role": "partner"}
    )
    assert response.status_code == 200
    candidates = response.context["candidates"]
    assert {lead, partner, mine} <= set(candidates)
    assert theirs not in candidates
    page = response.content.decode()
    assert f'name="add" value="{lead.pk}"' in page
    assert 'aria-live="polite"' in page
    assert "Food Secret Draft" not in page
    assert project.links_to_organisations.count() == 0  # "Find" saves nothing

    response = member_client.post(
        step_url(project, "organisations"),
        {"q": "food", "add": [str(lead.pk)], "add_role": "lead", "continue": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(project, "images")
    member_client.post(
        step_url(project, "organisations"),
        {"add": [str(partner.pk), str(mine.pk)], "add_role": "partner", f"role_{lead.pk}": "lead"},
    )
    links = dict(project.links_to_organisations.values_list("organisation_id", "role"))
    assert links == {lead.pk: "lead", partner.pk: "partner", mine.pk: "partner"}

    # Current links: change a role, remove one; two leads are refused with a message.
    page = member_client.get(step_url(project, "organisations")).content.decode()
    assert f'name="remove_{partner.pk}"' in page and f'name="role_{lead.pk}"' in page
    response = member_client.post(
        step_url(project, "organisations"),
        {
            f"role_{lead.pk}": "lead",
            f"role_{partner.pk}": "lead",
            f"role_{mine.pk}": "partner",
            "add_role": "partner",
        },
    )
    assert response.status_code == 400
    assert "one lead organisation" in response.content.decode()
    response = member_client.post(
        step_url(project, "organisations"),
        {
            f"role_{lead.pk}": "partner",
            f"role_{partner.pk}": "lead",
            f"role_{mine.pk}": "partner",
            f"remove_{mine.pk}": "on",
            "add_role": "partner",
        },
    )
    assert response.status_code == 302
    links = dict(project.links_to_organisations.values_list("organisation_id", "role"))
    assert links == {lead.pk: "partner", partner.pk: "lead"}

    # Others' drafts cannot be linked, even by a hand-made request.
    response = member_client.post(
        step_url(project, "organisations"),
        {
            "add": [str(theirs.pk)],
            "add_role": "partner",
            f"role_{lead.pk}": "partner",
            f"role_{partner.pk}": "lead",
        },
    )
    assert response.status_code == 400
    assert not ProjectOrganisation.objects.filter(organisation=theirs).exists()

    member_client.post(url(project, "submit"), {"consent": "on"})
    project.refresh_from_db()
    assert project.status == Status.PENDING


def test_editing_a_published_profile_goes_live_with_history(member_client):
    profile = OrganisationFactory(owner=member_client.user, name="Live Lab")
    versions = Version.objects.get_for_object(profile).count()
    response = member_client.get(step_url(profile, "basics"))
    assert "changes go live" in response.content.decode()
    response = member_client.post(
        step_url(profile, "basics"),
        {"name": "Live Lab Renamed", "short_description": "New line", "website": ""},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Live Lab Renamed"
    assert profile.slug == "live-lab"  # published addresses do not change
    assert profile.status == Status.PUBLISHED
    assert Version.objects.get_for_object(profile).count() == versions + 1
    public = member_client.get(profile.get_absolute_url())
    assert "Live Lab Renamed" in public.content.decode()


def test_draft_rename_moves_the_address_and_the_redirect_follows(member_client):
    profile = draft_organisation(member_client.user, name="Old Name")
    response = member_client.post(
        step_url(profile, "basics"), {"name": "New Name", "short_description": "x"}
    )
    profile.refresh_from_db()
    assert profile.slug == "new-name"
    assert response["Location"] == step_url(profile, "about")


# --- Images, coordinates, links -----------------------------------------------------------------


def test_images_valid_invalid_and_too_big(member_client, settings):
    profile = draft_organisation(member_client.user)
    response = member_client.post(step_url(profile, "images"), {"logo": not_an_image()})
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()

    response = member_client.post(step_url(profile, "images"), {"header_image": pixel_bomb()})
    assert response.status_code == 400
    assert "too large to process" in response.content.decode()

    settings.IMAGE_UPLOAD_MAX_BYTES = 100
    response = member_client.post(step_url(profile, "images"), {"logo": png()})
    assert response.status_code == 400
    assert "the largest we accept is 100" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.logo

    settings.IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    response = member_client.post(
        step_url(profile, "images"), {"header_image": png("header.jpg", (3000, 1000))}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.header_image.width == 2000
    # Clearing it again.
    response = member_client.post(step_url(profile, "images"), {"header_image-clear": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.header_image


def test_replaced_cleared_and_deleted_images_leave_storage(
    member_client, django_capture_on_commit_callbacks
):
    profile = draft_organisation(member_client.user)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(step_url(profile, "images"), {"logo": png(), "header_image": png()})
    profile.refresh_from_db()
    first_logo, header = profile.logo.name, profile.header_image.name
    assert default_storage.exists(first_logo) and default_storage.exists(header)

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(step_url(profile, "images"), {"logo": png("new.png")})
    profile.refresh_from_db()
    assert profile.logo.name != first_logo and default_storage.exists(profile.logo.name)
    assert not default_storage.exists(first_logo)

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(step_url(profile, "images"), {"header_image-clear": "on"})
    assert not default_storage.exists(header)

    logo = Organisation.objects.get(pk=profile.pk).logo.name
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(pk=profile.pk).delete()
    assert not default_storage.exists(logo)


def test_an_image_another_profile_still_shows_is_kept(
    member_client, django_capture_on_commit_callbacks
):
    name = default_storage.save("directory/logos/shared.webp", ContentFile(b"logo"))
    first = draft_organisation(member_client.user, logo=name)
    draft_organisation(member_client.user, logo=name)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert default_storage.exists(name)


def test_links_are_validated(member_client):
    profile = draft_organisation(member_client.user)
    response = member_client.post(
        step_url(profile, "images"), {"links": "https://ok.example\nnot a link"}
    )
    assert response.status_code == 400
    assert "Line 2" in response.content.decode()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("91", "2", "latitude"),
        ("41", "-181", "longitude"),
        ("41", "", "longitude"),
        ("", "2", "latitude"),
        ("north", "2", "latitude"),
        ("nan", "2", "latitude"),
        ("inf", "2", "latitude"),
    ],
)
def test_coordinates_are_validated(member_client, latitude, longitude, field):
    profile = draft_organisation(member_client.user)
    response = member_client.post(
        step_url(profile, "place"),
        {
            "country": Country.objects.get(code="ES").pk,
            "city": "Madrid",
            "latitude": latitude,
            "longitude": longitude,
        },
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    profile.refresh_from_db()
    assert profile.latitude is None


def test_empty_coordinates_borrow_those_of_the_same_city(member_client):
    spain = Country.objects.get(code="ES")
    OrganisationFactory(city="Valencia", country=spain, latitude=39.47, longitude=-0.38)
    OrganisationFactory(
        city="Valencia", country=Country.objects.get(code="VE"), latitude=10.16, longitude=-68.0
    )
    profile = draft_organisation(member_client.user)
    response = member_client.post(
        step_url(profile, "place"), {"country": spain.pk, "city": "valencia"}, follow=True
    )
    assert "We used the coordinates of another profile" in response.content.decode()
    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude) == (39.47, -0.38)

    project = draft_project(member_client.user)
    member_client.post(step_url(project, "place"), {"countries": [spain.pk], "city": "Valencia"})
    project.refresh_from_db()
    assert (project.latitude, project.longitude) == (39.47, -0.38)

    lonely = draft_organisation(member_client.user, name="Lonely")
    member_client.post(step_url(lonely, "place"), {"country": spain.pk, "city": "Nowhere"})
    lonely.refresh_from_db()
    assert lonely.latitude is None


def test_new_accounts_may_put_only_two_links_in_descriptions(client, user):
    client.force_login(user)  # joined just now
    project = draft_project(user)
    text = "<p>See https://a.example, www.b.example and http://c.example</p>"
    response = client.post(step_url(project, "about"), {"description": "", "social_impact": text})
    assert response.status_code == 400
    assert "New accounts can include at most 2 links" in response.content.decode()
    assert "social_impact" in response.context["form"].errors
    project.refresh_from_db()
    assert project.social_impact == ""
    two = "<p>https://a.example and https://b.example</p>"
    assert client.post(step_url(project, "about"), {"description": two}).status_code == 302


def test_older_accounts_may_put_more_links(member_client):
    profile = draft_organisation(member_client.user)
    text = "<p>https://a.example https://b.example https://c.example</p>"
    assert member_client.post(step_url(profile, "about"), {"description": text}).status_code == 302


# --- Permissions and bad input --------------------------------------------------------------------


def test_people_who_are_not_members_get_403_or_404_for_a_draft(client):
    # A published profile is public, so a 403 tells nothing; someone else's draft answers as
    # a slug nobody uses does, or its existence (and slug) would leak.
    owner = UserFactory()
    draft = draft_organisation(owner, name="Hidden Draft")
    published = ProjectFactory(owner=owner)
    client.force_login(UserFactory())
    for profile, status in ((draft, 404), (published, 403)):
        for address in (
            url(profile, "edit"),
            step_url(profile, "basics"),
            url(profile, "preview"),
            url(profile, "submit"),
            url(profile, "archive"),
        ):
            assert client.get(address).status_code == status, address
        assert client.post(step_url(profile, "basics"), {"name": "Taken"}).status_code == status
        assert client.post(url(profile, "archive")).status_code == status
    draft.refresh_from_db()
    assert draft.name == "Hidden Draft"
    missing = url(draft, "preview").replace(draft.slug, "no-such-profile")
    assert client.get(missing).status_code == 404


def test_members_edit_but_only_owners_and_admins_submit_and_archive(client):
    profile = draft_organisation(UserFactory())
    member = UserFactory()
    Membership.objects.create(user=member, organisation=profile, role=Role.MEMBER)
    client.force_login(member)
    assert client.get(step_url(profile, "about")).status_code == 200
    assert client.get(url(profile, "preview")).status_code == 200
    assert client.post(url(profile, "submit"), {"consent": "on"}).status_code == 403
    assert client.post(url(profile, "archive")).status_code == 403
    profile.refresh_from_db()
    assert profile.status == Status.DRAFT


def test_unknown_steps_and_profiles_are_404(member_client):
    profile = draft_organisation(member_client.user)
    assert member_client.get(step_url(profile, "topics")).status_code == 404  # a project step
    assert member_client.get(step_url(profile, "nope")).status_code == 404
    missing = reverse("directory:organisation_edit_step", kwargs={"slug": "nope", "step": "about"})
    assert member_client.get(missing).status_code == 404


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("place", {"country": "abc", "latitude": "1e999"}),
        ("place", {"country": "999999999999", "city": "\x00"}),
        ("details", {"organisation_type": "-1", "start_date": "2020-13-45"}),
        ("details", {"tags_text": ",".join(f"tag{n}" for n in range(30))}),
        ("details", {"tags_text": "x" * 101}),
        ("basics", {"name": "x" * 500}),
        ("basics", {"name": "\x00"}),
        ("about", {"description": "x" * 60_000}),
        ("images", {"links": "\n".join(f"https://{n}.example" for n in range(20))}),
    ],
)
def test_bad_input_gets_400_never_500(member_client, step, data):
    profile = draft_organisation(member_client.user)
    assert member_client.post(step_url(profile, step), data).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"countries": ["x"], "latitude": "a"},
        {"social_areas": ["999999"], "technologies": ["z"]},
        {"start_date": "0000-00-00", "end_date": "yesterday"},
        {"add": ["x", "-1"], "add_role": "boss"},
        {"add": [str(n) for n in range(1, 30)], "add_role": "partner"},
        {"add": ["99999999999999999999"], "add_role": "partner"},
        {"q": "\x01", "find": "1", "add_role": "partner"},
        {"q": "x" * 200, "find": "1", "add_role": "partner"},
    ],
)
def test_bad_project_input_gets_400_never_500(member_client, data):
    project = draft_project(member_client.user)
    for step in ("place", "topics", "dates", "organisations"):
        response = member_client.post(step_url(project, step), data)
        assert response.status_code in (302, 400), (step, response.status_code)
    assert member_client.post(step_url(project, "organisations"), data).status_code == 400


# --- Preview, archive --------------------------------------------------------------------------


def test_preview_of_a_published_profile_is_its_public_page(member_client):
    profile = ProjectFactory(owner=member_client.user)
    response = member_client.get(url(profile, "preview"))
    assert response.status_code == 302
    assert response["Location"] == profile.get_absolute_url()


def test_project_preview_shows_the_organisations_behind_it_marked_until_published(
    member_client, django_assert_max_num_queries
):
    """Issue 13: a linked organisation still waiting for review used to be left out, so the
    preview said "No organisations linked yet"; the owner now sees it, marked."""
    project = draft_project(
        member_client.user, name="Previewed Project", website="https://previewed.example.org"
    )
    shown = OrganisationFactory(name="Shown Partner")
    pending = draft_organisation(member_client.user, name="Pending Partner", status=Status.PENDING)
    draft = draft_organisation(member_client.user, name="Unpublished Partner")
    archived = draft_organisation(
        member_client.user, name="Archived Partner", status=Status.ARCHIVED
    )
    ProjectOrganisation.objects.create(project=project, organisation=shown, role="lead")
    for organisation in (pending, draft, archived):
        ProjectOrganisation.objects.create(project=project, organisation=organisation)
    with django_assert_max_num_queries(20):
        response = member_client.get(url(project, "preview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "directory/project_detail.html" in [t.name for t in response.templates]
    assert f'<a href="{shown.get_absolute_url()}">Shown Partner</a>' in page
    assert 'Pending Partner <span class="status-note">(waiting for review)</span>' in page
    assert 'Unpublished Partner <span class="status-note">(draft)</span>' in page
    assert pending.get_absolute_url() not in page  # not public yet: no link to a 404
    assert "Archived Partner" not in page
    assert "No organisations linked yet" not in page
    # The website, as on the public page (without the actions of the public page).
    assert 'href="https://previewed.example.org"' in page
    assert "Visit the website" in page
    assert "Request to join" not in page
    assert "Preview: not yet published" in page
    assert 'aria-current="step"' in page


def test_organisation_preview_shows_its_projects_marked_until_published(member_client):
    organisation = draft_organisation(member_client.user, name="Previewed Org")
    pending = draft_project(member_client.user, name="Pending Project", status=Status.PENDING)
    ProjectOrganisation.objects.create(project=pending, organisation=organisation)
    page = member_client.get(url(organisation, "preview")).content.decode()
    assert 'Pending Project <span class="status-note">(waiting for review)</span>' in page
    assert "No projects linked yet" not in page


def test_the_public_page_shows_only_published_links(client):
    project = ProjectFactory(name="Public Project")
    pending = OrganisationFactory(name="Pending Partner", status=Status.PENDING)
    ProjectOrganisation.objects.create(project=project, organisation=pending)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Pending Partner" not in page
    assert "No organisations linked yet" in page


def test_archive_asks_first_then_archives(member_client):
    profile = OrganisationFactory(owner=member_client.user)
    page = member_client.get(url(profile, "archive"))
    assert page.status_code == 200
    profile.refresh_from_db()
    assert profile.status == Status.PUBLISHED
    response = member_client.post(url(profile, "archive"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == Status.ARCHIVED
    assert member_client.get(profile.get_absolute_url()).status_code == 404
    assert "archived" in member_client.get(reverse("directory:dashboard")).content.decode()


# --- Lookup for the picker's JavaScript ---------------------------------------------------


def test_lookup_returns_published_and_own_organisations(member_client):
    spain = Country.objects.get(code="ES")
    published = OrganisationFactory(name="Bike Kitchen", city="Sevilla", country=spain)
    mine = draft_organisation(member_client.user, name="Bike Draft")
    draft_organisation(UserFactory(), name="Bike Secret")
    OrganisationFactory(name="Bike Archive", status=Status.ARCHIVED)
    response = member_client.get(reverse("directory:organisation_lookup"), {"q": "bike"})
    assert response.status_code == 200
    data = response.json()
    assert data[0] == {"id": mine.pk, "name": "Bike Draft", "city": "Barcelona", "country": "Spain"}
    assert {
        "id": published.pk,
        "name": "Bike Kitchen",
        "city": "Sevilla",
        "country": "Spain",
    } in data
    assert {item["name"] for item in data} == {"Bike Draft", "Bike Kitchen"}


def test_lookup_gives_at_most_ten(member_client):
    for number in range(12):
        OrganisationFactory(name=f"Makerspace {number}")
    response = member_client.get(reverse("directory:organisation_lookup"), {"q": "makersp"})
    assert len(response.json()) == 10


@pytest.mark.parametrize("query", ["", "   ", "x" * 101, "a\x00b", "tab\there"])
def test_lookup_refuses_bad_input(member_client, query):
    response = member_client.get(reverse("directory:organisation_lookup"), {"q": query})
    assert response.status_code == 400
    assert "error" in response.json()


def test_lookup_without_q_is_400(member_client):
    assert member_client.get(reverse("directory:organisation_lookup")).status_code == 400


def test_lookup_is_rate_limited(member_client, monkeypatch):
    monkeypatch.setattr(lookup, "LOOKUPS_PER_MINUTE", 3)
    for _ in range(3):
        assert (
            member_client.get(reverse("directory:organisation_lookup"), {"q": "a"}).status_code
            == 200
        )
    response = member_client.get(reverse("directory:organisation_lookup"), {"q": "a"})
    assert response.status_code == 429


def test_lookup_query_count(member_client, django_assert_num_queries):
    OrganisationFactory(name="Count Lab")
    # session, user, the person's own drafts, published matches
    with django_assert_num_queries(4):
        response = member_client.get(reverse("directory:organisation_lookup"), {"q": "count"})
    assert len(response.json()) == 1


def test_the_picker_page_loads_its_script(member_client):
    project = draft_project(member_client.user)
    page = member_client.get(step_url(project, "organisations")).content.decode()
    assert "js/picker.js" in page
    assert f'data-lookup-url="{reverse("directory:organisation_lookup")}"' in page


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_lists_profiles_invitations_and_requests(member_client):
    me = member_client.user
    draft = draft_organisation(me, name="My Draft Org")
    rejected = draft_project(
        me,
        name="My Rejected Project",
        status=Status.REJECTED,
        rejection_reason="Please describe the project in English.",
    )
    published = OrganisationFactory(owner=me, name="My Published Org")
    OrganisationFactory(owner=UserFactory(), name="Someone Else Org")
    elsewhere = OrganisationFactory(owner=UserFactory(), name="Inviting Org")
    Invitation.objects.create(organisation=elsewhere, email=me.email.upper(), role=Role.ADMIN)
    Invitation.objects.create(organisation=elsewhere, email="other@example.org")
    Invitation.objects.create(
        organisation=elsewhere, email=me.email, state=Invitation.State.DECLINED
    )
    asker = UserFactory(name="Ada Asker")
    JoinRequest.objects.create(organisation=published, user=asker)
    JoinRequest.objects.create(organisation=elsewhere, user=asker)  # not mine to answer
    response = member_client.get(reverse("directory:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "My Draft Org",
        "My Rejected Project",
        "My Published Org",
        "draft",
        "published",
        "Please describe the project in English.",
        "Add an organisation",
        "Add a project",
    ):
        assert text in page
    assert "Someone Else Org" not in page
    assert url(draft, "edit") in page and url(rejected, "submit") in page
    assert published.get_absolute_url() in page
    assert len(response.context["invitations"]) == 1
    assert (
        reverse(
            "directory:invitation_respond", kwargs={"pk": response.context["invitations"][0][0].pk}
        )
        in page
    )
    assert [request.organisation for request, _url in response.context["join_requests"]] == [
        published
    ]
    assert url(published, "members") in page
    assert "Ada Asker" in page


def test_dashboard_ignores_unverified_addresses(client):
    from allauth.account.models import EmailAddress

    person = UserFactory()
    EmailAddress.objects.create(user=person, email="second@example.org", verified=False)
    Invitation.objects.create(organisation=OrganisationFactory(), email="second@example.org")
    client.force_login(person)
    assert client.get(reverse("directory:dashboard")).context["invitations"] == []


def test_account_menu_links_to_the_dashboard(member_client):
    page = member_client.get(reverse("accounts:profile_edit")).content.decode()
    assert reverse("directory:dashboard") in page


# --- Query counts --------------------------------------------------------------------------------


def test_dashboard_query_count_does_not_grow_with_profiles(
    member_client, django_assert_num_queries
):
    me = member_client.user
    for number in range(3):
        organisation = draft_organisation(me, name=f"Org {number}")
        project = draft_project(me, name=f"Project {number}")
        JoinRequest.objects.create(organisation=organisation, user=UserFactory())
        JoinRequest.objects.create(project=project, user=UserFactory())
        Invitation.objects.create(organisation=OrganisationFactory(), email=me.email)
    # session, user, memberships with their profiles, invitations, requests to join, and the
    # person's own requests to join and claims
    with django_assert_num_queries(7):
        response = member_client.get(reverse("directory:dashboard"))
    assert len(response.context["organisations"]) == 3
    assert len(response.context["join_requests"]) == 6
    assert len(response.context["invitations"]) == 3


# session + user, the profile, the person's permissions (user and group), their membership;
# then what each form shows.
ORGANISATION_STEP_QUERIES = {
    "basics": 6,
    "about": 6,
    "place": 7,  # countries
    "details": 10,  # types, sizes, tags, networks
    "images": 7,  # the images waiting to be re-encoded (a note on the form)
}
PROJECT_STEP_QUERIES = {
    "basics": 6,
    "about": 6,
    "place": 8,  # the project's countries, all countries
    "topics": 15,  # chosen and all social areas, technologies, focus; three kinds of tags
    "dates": 6,
    "organisations": 7,  # current links with their organisations and countries
    "images": 7,  # the images waiting to be re-encoded (a note on the form)
}


@pytest.mark.parametrize(("step", "queries"), ORGANISATION_STEP_QUERIES.items())
def test_organisation_step_query_counts(member_client, django_assert_num_queries, step, queries):
    profile = draft_organisation(member_client.user)
    profile.tags.set([])
    with django_assert_num_queries(queries):
        assert member_client.get(step_url(profile, step)).status_code == 200


@pytest.mark.parametrize(("step", "queries"), PROJECT_STEP_QUERIES.items())
def test_project_step_query_counts(member_client, django_assert_num_queries, step, queries):
    project = draft_project(member_client.user)
    for _number in range(3):
        ProjectOrganisation.objects.create(project=project, organisation=OrganisationFactory())
    with django_assert_num_queries(queries):
        assert member_client.get(step_url(project, step)).status_code == 200


def test_create_page_query_count(member_client, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert member_client.get(reverse("directory:project_create")).status_code == 200


# --- The picker with JavaScript, in headless Chromium -------------------------------------------


@pytest.mark.browser
def test_picker_searches_as_you_type_and_keeps_ticked_organisations(
    live_server, django_db_serialized_rollback, client
):
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    person = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30))
    project = draft_project(person, name="Browser Project")
    first = OrganisationFactory(name="Harbour Lab", city="Gdańsk")
    second = OrganisationFactory(name="Orchard Collective")
    client.force_login(person)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(locale="en-GB")
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_cookie,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(live_server.url + step_url(project, "organisations"))
            page.get_by_label("Find an organisation").fill("harb")
            page.get_by_label("Harbour Lab").check()
            page.get_by_label("Find an organisation").fill("orchard")
            page.get_by_label("Orchard Collective").wait_for()
            # What was ticked before stays ticked; Enter searches instead of submitting.
            assert page.get_by_label("Harbour Lab").is_checked()
            page.get_by_label("Find an organisation").press("Enter")
            assert page.url.endswith(step_url(project, "organisations"))
            page.get_by_label("Role of the organisations you add").select_option("lead")
            page.get_by_role("button", name="Save and continue").click()
            page.wait_for_url(f"**{step_url(project, 'images')}")
            context.close()
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    links = dict(project.links_to_organisations.values_list("organisation_id", "role"))
    assert links == {first.pk: "lead"}
    assert second.pk not in links
