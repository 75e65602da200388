"""Drafts keep what was typed: a step saves whatever is valid, the fields in error are shown
again as typed, and the rules of a complete profile apply when it is submitted (issue 13)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Country
from directory.models import SocialArea
from directory.models import Technology
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30))
    client.force_login(user)
    return user


def step_url(profile, step):
    return reverse(
        f"directory:{profile.kind}_edit_step", kwargs={"slug": profile.slug, "step": step}
    )


def submit_url(profile):
    return reverse(f"directory:{profile.kind}_submit", kwargs={"slug": profile.slug})


def test_leaving_the_topics_step_without_an_area_keeps_the_tags(client, owner):
    project = ProjectFactory(owner=owner, status=Status.DRAFT, published_at=None)
    project.social_areas.clear()
    project.technologies.clear()
    response = client.post(
        step_url(project, "topics"),
        {"who_text": "refugees, older people", "tags_text": "open data", "leave": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:dashboard")
    assert sorted(tag.name for tag in project.who_we_help.all()) == ["older people", "refugees"]
    assert [tag.name for tag in project.tags.all()] == ["open data"]
    # The rules apply at submission: the submit step lists what is missing, linked to its step.
    page = client.get(submit_url(project)).content.decode()
    topics = step_url(project, "topics")
    assert f'<a href="{topics}">at least one social area</a>' in page
    assert f'<a href="{topics}">at least one technology</a>' in page
    response = client.post(submit_url(project), {"consent": "on"})
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == Status.DRAFT


def test_an_invalid_value_is_reported_and_the_valid_ones_saved(client, owner):
    project = ProjectFactory(owner=owner, status=Status.DRAFT, published_at=None)
    project.social_areas.clear()
    area = SocialArea.objects.first()
    too_many = ", ".join(f"tag {number}" for number in range(30))
    response = client.post(
        step_url(project, "topics"),
        {"social_areas": [area.pk], "who_text": "refugees", "tags_text": too_many, "leave": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please give at most 20 tags." in page
    assert too_many in page  # what was typed is shown again, to correct
    assert "We saved your draft, except the fields marked below" in page
    assert list(project.social_areas.all()) == [area]
    assert [tag.name for tag in project.who_we_help.all()] == ["refugees"]
    assert not project.tags.exists()


def test_a_rename_saved_beside_an_error_moves_the_form_to_the_new_address(client, owner):
    profile = OrganisationFactory(
        owner=owner, status=Status.DRAFT, published_at=None, name="Old Name"
    )
    response = client.post(
        step_url(profile, "basics"),
        {"name": "New Name", "short_description": "We map things.", "website": "not a site"},
    )
    assert response.status_code == 400
    profile.refresh_from_db()
    assert (profile.name, profile.short_description) == ("New Name", "We map things.")
    page = response.content.decode()
    assert f'action="{step_url(profile, "basics")}"' in page
    assert 'value="not a site"' in page


def test_half_coordinates_keep_neither_but_the_city_is_saved(client, owner):
    profile = OrganisationFactory(
        owner=owner, status=Status.DRAFT, published_at=None, latitude=None, longitude=None
    )
    belgium = Country.objects.get(code="BE")
    response = client.post(
        step_url(profile, "place"), {"country": belgium.pk, "city": "Ghent", "latitude": "51.05"}
    )
    assert response.status_code == 400
    profile.refresh_from_db()
    assert (profile.country, profile.city) == (belgium, "Gent")  # the gazetteer's name
    assert profile.latitude is None and profile.longitude is None


def test_nothing_valid_to_save_says_nothing_was_saved(client, owner):
    profile = OrganisationFactory(owner=owner, status=Status.DRAFT, published_at=None)
    response = client.post(
        step_url(profile, "basics"),
        {"name": "", "short_description": profile.short_description, "website": "not a site"},
    )
    assert response.status_code == 400
    assert "We saved your draft" not in response.content.decode()


def test_a_published_profile_changes_only_when_all_is_valid(client, owner):
    """What the public sees stays complete: no partial saves, areas still required."""
    project = ProjectFactory(owner=owner)
    areas = list(project.social_areas.all())
    response = client.post(step_url(project, "topics"), {"who_text": "refugees"})
    assert response.status_code == 400
    assert "Please choose at least one social area." in response.content.decode()
    assert list(project.social_areas.all()) == areas
    assert not project.who_we_help.exists()


def test_a_complete_draft_has_nothing_missing(client, owner):
    project = ProjectFactory(owner=owner, status=Status.DRAFT, published_at=None)
    project.social_areas.set([SocialArea.objects.first()])
    project.technologies.set([Technology.objects.first()])
    page = client.get(submit_url(project)).content.decode()
    assert "Before you can submit this profile" not in page
