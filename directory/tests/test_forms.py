"""The practitioners' forms on their own: parsing, validation and what they hand to services."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import Status
from directory.forms import OrganisationAboutForm
from directory.forms import OrganisationCreateForm
from directory.forms import OrganisationDetailsForm
from directory.forms import OrganisationPlaceForm
from directory.forms import ProjectDatesForm
from directory.forms import ProjectOrganisationsForm
from directory.forms import ProjectTopicsForm
from directory.forms import TagsField
from directory.models import Country
from directory.models import Organisation
from directory.models import Project
from directory.models import SocialArea
from directory.models import Tag
from directory.models import Technology
from directory.places import coordinates_for_place
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def query_dict(data: dict) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            result.setlist(key, value)
        else:
            result[key] = value
    return result


def test_tags_field_splits_trims_and_dedupes():
    field = TagsField()
    assert field.clean(" open  data, refugees,, open data ,") == ["open data", "refugees"]
    assert field.clean("") == []
    assert field.prepare_value(["a", "b"]) == "a, b"


def test_create_form_cleans_the_name_and_keeps_the_honeypot_apart(user):
    form = OrganisationCreateForm(
        {"name": "  Open   Lab ", "short_description": "x", "city": "Gent", "fax_number": ""},
        instance=Organisation(),
        user=user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Open Lab"
    assert not form.is_bot()
    assert form.field_values() == {"short_description": "x", "website": "", "city": "Gent"}
    bot = OrganisationCreateForm(
        {"name": "Spam", "fax_number": "555"}, instance=Organisation(), user=user
    )
    assert bot.is_valid() and bot.is_bot()


def test_create_form_refuses_names_without_letters(user):
    form = OrganisationCreateForm({"name": "!!!"}, instance=Organisation(), user=user)
    assert not form.is_valid()
    assert "name" in form.errors


def test_step_forms_leave_the_profile_untouched_for_the_service(user):
    profile = OrganisationFactory(owner=user, name="Untouched")
    form = OrganisationAboutForm({"description": "<p>New</p>"}, instance=profile, user=user)
    assert form.is_valid()
    assert profile.description != "<p>New</p>"
    assert form.field_values() == {"description": "<p>New</p>"}


def test_about_form_limits_links_for_new_accounts_only():
    text = "https://a.example http://b.example www.c.example"
    new = UserFactory()
    form = OrganisationAboutForm({"description": text}, instance=Organisation(), user=new)
    assert not form.is_valid()
    assert form.errors["description"][0].startswith("New accounts can include at most 2 links")
    old = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=8))
    assert OrganisationAboutForm(
        {"description": text}, instance=Organisation(), user=old
    ).is_valid()


def test_place_form_wants_both_coordinates_or_neither(user):
    spain = Country.objects.get(code="ES")
    form = OrganisationPlaceForm(
        {"country": spain.pk, "city": "Bilbao", "latitude": "43.26"},
        instance=Organisation(),
        user=user,
    )
    assert not form.is_valid()
    assert "longitude" in form.errors
    form = OrganisationPlaceForm(
        {"country": spain.pk, "city": "Bilbao", "latitude": "43.26", "longitude": "-2.93"},
        instance=Organisation(),
        user=user,
    )
    assert form.is_valid()
    assert not form.coordinates_reused


def test_coordinates_come_only_from_published_profiles_in_the_same_place():
    spain = Country.objects.get(code="ES")
    OrganisationFactory(
        city="Xyzzyville", country=spain, latitude=1.0, longitude=1.0, status=Status.DRAFT
    )
    assert coordinates_for_place("Xyzzyville", [spain.pk]) is None
    ProjectFactory(
        city="Xyzzyville", latitude=43.26, longitude=-2.93, vocabularies__countries=[spain]
    )
    assert coordinates_for_place(" xyzzyville ", [spain.pk]) == (43.26, -2.93)
    assert coordinates_for_place("Xyzzyville", []) is None
    assert coordinates_for_place("", [spain.pk]) is None


def test_details_form_creates_tags_once_per_spelling(user):
    Tag.objects.create(name="Open Data", slug="open-data")
    profile = OrganisationFactory(owner=user)
    form = OrganisationDetailsForm(
        {"tags_text": "open data, Makers", "networks_text": ""}, instance=profile, user=user
    )
    assert form.is_valid(), form.errors
    relations = form.relation_rows()
    assert [tag.name for tag in relations["tags"]] == ["Open Data", "Makers"]
    assert relations["network_tags"] == []
    assert Tag.objects.filter(slug="open-data").count() == 1


def test_details_form_shows_current_tags(user):
    profile = OrganisationFactory(owner=user)
    profile.tags.set([Tag.objects.create(name="Bikes", slug="bikes")])
    form = OrganisationDetailsForm(instance=profile, user=user)
    assert form["tags_text"].value() == "Bikes"


def test_topics_form_needs_an_area_and_a_technology(user):
    # Once published (a draft, new or saved, may leave them out: test_drafts).
    published = Project(status=Status.PUBLISHED)
    form = ProjectTopicsForm({}, instance=published, user=user)
    assert not form.is_valid()
    assert set(form.errors) == {"social_areas", "technologies"}
    area, technology = SocialArea.objects.first(), Technology.objects.first()
    form = ProjectTopicsForm(
        {"social_areas": [area.pk], "technologies": [technology.pk], "who_text": "youth"},
        instance=published,
        user=user,
    )
    assert form.is_valid(), form.errors
    relations = form.relation_rows()
    assert relations["social_areas"] == [area]
    assert [tag.name for tag in relations["who_we_help"]] == ["youth"]


def test_dates_form_keeps_the_end_after_the_start(user):
    form = ProjectDatesForm(
        {"start_date": "2021-01-02", "end_date": "2021-01-01"}, instance=Project(), user=user
    )
    assert not form.is_valid()
    assert "end_date" in form.errors


def organisations_form(user, project, data):
    links = project.links_to_organisations.select_related("organisation")
    return ProjectOrganisationsForm(query_dict(data), project=project, user=user, links=links)


def test_picker_form_adds_published_and_own_organisations_only(user):
    project = ProjectFactory(owner=user, status=Status.DRAFT)
    published = OrganisationFactory()
    own_draft = OrganisationFactory(owner=user, status=Status.DRAFT)
    other_draft = OrganisationFactory(owner=UserFactory(), status=Status.DRAFT)
    form = organisations_form(
        user, project, {"add": [str(published.pk), str(own_draft.pk)], "add_role": "partner"}
    )
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["wanted"]) == {(published, "partner"), (own_draft, "partner")}
    form = organisations_form(user, project, {"add": [str(other_draft.pk)], "add_role": "partner"})
    assert not form.is_valid()


def test_picker_form_allows_one_lead(user):
    project = ProjectFactory(owner=user)
    first, second = OrganisationFactory(), OrganisationFactory()
    form = organisations_form(
        user, project, {"add": [str(first.pk), str(second.pk)], "add_role": "lead"}
    )
    assert not form.is_valid()
    assert "one lead organisation" in form.non_field_errors()[0]


@pytest.mark.parametrize(
    "add", [["abc"], ["1.5"], ["-3"], ["0"], [str(2**40)], [str(n) for n in range(25)]]
)
def test_picker_form_refuses_bad_ids(user, add):
    project = ProjectFactory(owner=user)
    form = organisations_form(user, project, {"add": add, "add_role": "partner"})
    assert not form.is_valid()


def test_picker_form_search_text_refuses_control_characters(user):
    project = ProjectFactory(owner=user)
    form = organisations_form(user, project, {"q": "bad\x07", "add_role": "partner"})
    with pytest.raises(Exception, match="letters, digits or spaces"):
        form.search_text()
    assert organisations_form(user, project, {"q": " lab "}).search_text() == "lab"
