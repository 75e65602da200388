"""The moderators' admin: the queue, preview, approve and reject, history and revert, reports."""

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import Status
from core.tests.admin_forms import admin_form_data
from directory.models import Organisation
from directory.models import Project
from directory.models import Report
from directory.models import SocialArea
from directory.services.profiles import profile_update
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

ORG_LIST = "admin:directory_organisation_changelist"
PROJECT_LIST = "admin:directory_project_changelist"


@pytest.fixture
def moderator(db):
    person = UserFactory(is_staff=True, email="moderator@example.org", name="Mo Derator")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


def pending(factory=OrganisationFactory, **kwargs):
    kwargs.setdefault("owner", UserFactory())
    return factory(status=Status.PENDING, published_at=None, submitted_at=timezone.now(), **kwargs)


def url(name, *args, kind="organisation"):
    return reverse(f"admin:directory_{kind}_{name}", args=args)


# --- The queue --------------------------------------------------------------------------------


def test_a_community_admin_sees_the_queue_pending_first(admin_client):
    OrganisationFactory(name="Already Published")
    owner = UserFactory(email="owner@example.org")
    waiting = pending(name="Waiting Lab", owner=owner, spam_score=35, spam_signals=["no website"])
    response = admin_client.get(reverse(ORG_LIST))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows[0] == waiting
    page = response.content.decode()
    assert "owner@example.org" in page
    assert "35" in page
    assert "pending review" in page


def test_the_change_form_shows_spam_signals_read_only(admin_client):
    waiting = pending(name="Spammy", spam_score=60, spam_signals=["spam words: casino"])
    response = admin_client.get(url("change", waiting.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<li>spam words: casino</li>" in page
    assert "spam_score" not in response.context["adminform"].form.fields
    assert "status" not in response.context["adminform"].form.fields
    assert url("approve", waiting.pk) in page
    assert url("preview", waiting.pk) in page


def test_filters_by_status_and_open_reports(admin_client):
    waiting = pending(name="Waiting")
    reported = OrganisationFactory(name="Reported")
    OrganisationFactory(name="Quiet")
    Report.objects.create(organisation=reported, reason=Report.Reason.SPAM)
    closed = OrganisationFactory(name="Old report")
    Report.objects.create(
        organisation=closed, reason=Report.Reason.SPAM, state=Report.State.RESOLVED
    )

    response = admin_client.get(reverse(ORG_LIST), {"status__exact": "pending"})
    assert list(response.context["cl"].result_list) == [waiting]
    response = admin_client.get(reverse(ORG_LIST), {"reports": "open"})
    assert list(response.context["cl"].result_list) == [reported]
    assert response.context["cl"].result_list[0].open_reports == 1


def test_search_by_name_city_and_slug(admin_client):
    OrganisationFactory(name="Fab Lab Lisboa", city="Lisboa")
    OrganisationFactory(name="Open Data Berlin", city="Berlin", slug="odb-berlin")
    for term, expected in [("fab", "Fab Lab Lisboa"), ("berlin", "Open Data Berlin")]:
        response = admin_client.get(reverse(ORG_LIST), {"q": term})
        assert [o.name for o in response.context["cl"].result_list] == [expected]
    response = admin_client.get(reverse(ORG_LIST), {"q": "odb-berlin"})
    assert response.context["cl"].result_count == 1


def test_the_organisation_queue_takes_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries
):
    for n in range(25):
        pending(name=f"Pending {n}")
        OrganisationFactory(name=f"Published {n}")
    Report.objects.create(organisation=Organisation.objects.first(), reason=Report.Reason.OTHER)
    admin_client.get(reverse(ORG_LIST))  # warm the session and content types
    with django_assert_num_queries(12):
        response = admin_client.get(reverse(ORG_LIST))
    assert len(response.context["cl"].result_list) == 50


def test_the_project_queue_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    for n in range(25):
        pending(ProjectFactory, name=f"Pending {n}")
        ProjectFactory(name=f"Published {n}")
    admin_client.get(reverse(PROJECT_LIST))
    with django_assert_num_queries(12):
        response = admin_client.get(reverse(PROJECT_LIST))
    assert len(response.context["cl"].result_list) == 50
    assert "Spain" in response.content.decode()


def test_a_project_change_form_has_its_organisations_and_members(admin_client):
    project = pending(ProjectFactory, name="Linked")
    organisation = OrganisationFactory(name="Behind It")
    project.links_to_organisations.create(organisation=organisation, role="lead")
    response = admin_client.get(url("change", project.pk, kind="project"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Behind It" in page
    assert "links_to_organisations-TOTAL_FORMS" in page
    assert "memberships-TOTAL_FORMS" in page
    autocomplete = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "behind",
            "app_label": "directory",
            "model_name": "projectorganisation",
            "field_name": "organisation",
        },
    )
    assert autocomplete.json()["results"][0]["text"] == "Behind It"


# --- Preview ------------------------------------------------------------------------------------


def test_preview_shows_a_pending_profile_as_the_public_would_see_it(admin_client, client):
    waiting = pending(name="Not Yet Public")
    response = admin_client.get(url("preview", waiting.pk))
    assert response.status_code == 200
    assert "directory/organisation_detail.html" in [t.name for t in response.templates]
    assert response.context["preview"] is True
    assert response.context["profile"] == waiting
    assert "Not Yet Public" in response.content.decode()


def test_preview_of_a_project_shows_its_organisations_and_members(admin_client):
    owner = UserFactory(name="Ada Owner")
    waiting = pending(ProjectFactory, name="Project Preview", owner=owner)
    waiting.links_to_organisations.create(organisation=OrganisationFactory(name="Lead Org"))
    response = admin_client.get(url("preview", waiting.pk, kind="project"))
    assert response.status_code == 200
    assert "directory/project_detail.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Lead Org" in page
    assert "Ada Owner" in page
    assert "Preview: not yet published." in page


def test_people_without_admin_access_cannot_preview(client, user):
    waiting = pending(name="Hidden")
    client.force_login(user)
    response = client.get(url("preview", waiting.pk))
    assert response.status_code == 302  # to the admin log-in
    assert "Hidden" not in response.content.decode()


# --- Approve and reject ------------------------------------------------------------------------


def test_approve_one_from_its_change_form(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="owner@example.org")
    waiting = pending(name="Approve Me", owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("approve", waiting.pk))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
    assert waiting.published_at is not None
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    assert "Approve Me" in mail.outbox[0].subject
    version = Version.objects.get_for_object(waiting).first()
    assert version.revision.user == moderator
    assert version.revision.get_comment() == "Approved"


def test_approve_needs_a_post(admin_client):
    waiting = pending(name="Approve Me")
    assert admin_client.get(url("approve", waiting.pk)).status_code == 405
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


def test_approve_several_at_once(admin_client, django_capture_on_commit_callbacks):
    first, second = pending(name="First"), pending(name="Second")
    published = OrganisationFactory(name="Published already")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(ORG_LIST),
            {
                "action": "approve_selected",
                "_selected_action": [first.pk, second.pk, published.pk],
            },
            follow=True,
        )
    statuses = set(
        Organisation.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    )
    assert statuses == {Status.PUBLISHED}
    assert len(mail.outbox) == 2
    messages = [str(m) for m in response.context["messages"]]
    assert any("First, Second" in m for m in messages)
    assert any("left unchanged: Published already" in m for m in messages)


def test_approving_only_profiles_not_pending_changes_nothing(admin_client):
    draft = OrganisationFactory(name="A draft", status=Status.DRAFT)
    response = admin_client.post(
        reverse(ORG_LIST),
        {"action": "approve_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not mail.outbox
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [("error", "Not waiting for review, so left unchanged: A draft.")]


def test_reject_several_asks_for_a_reason_first(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    first = pending(name="First", owner=UserFactory(email="first@example.org"))
    second = pending(name="Second", owner=UserFactory(email="second@example.org"))
    response = admin_client.post(
        reverse(ORG_LIST),
        {"action": "reject_selected", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    reject_page = admin_client.get(response.url)
    assert reject_page.status_code == 200
    assert "First" in reject_page.content.decode() and "Second" in reject_page.content.decode()
    first.refresh_from_db()
    assert first.status == Status.PENDING

    refused = admin_client.post(url("reject"), {"ids": [first.pk, second.pk], "reason": "  "})
    assert refused.status_code == 400
    assert "Please give the owner a reason." in refused.content.decode()
    assert set(Organisation.objects.values_list("status", flat=True)) == {Status.PENDING}
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(
            url("reject"), {"ids": [first.pk, second.pk], "reason": "Please add a website."}
        )
    assert done.status_code == 302
    assert set(Organisation.objects.values_list("status", flat=True)) == {Status.REJECTED}
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert all("Please add a website." in m.body for m in mail.outbox)
    first.refresh_from_db()
    assert first.rejection_reason == "Please add a website."
    version = Version.objects.get_for_object(first).first()
    assert version.revision.user == moderator
    assert version.revision.get_comment() == "Rejected: Please add a website."


def test_reject_one_from_its_change_form(admin_client, django_capture_on_commit_callbacks):
    project = pending(ProjectFactory, name="Reject Me", owner=UserFactory(email="o@example.org"))
    change_page = admin_client.get(url("change", project.pk, kind="project")).content.decode()
    reject_url = f"{url('reject', kind='project')}?ids={project.pk}"
    assert reject_url in change_page
    assert admin_client.get(reject_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("reject", kind="project"), {"ids": [project.pk], "reason": "Looks like spam."}
        )
    assert response.url == url("change", project.pk, kind="project")
    project.refresh_from_db()
    assert project.status == Status.REJECTED
    assert mail.outbox[0].to == ["o@example.org"]


def test_rejecting_profiles_not_pending_changes_nothing(admin_client):
    published = OrganisationFactory(name="Live")
    response = admin_client.post(
        url("reject"), {"ids": [published.pk, "nonsense"], "reason": "No."}, follow=True
    )
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert [str(m) for m in response.context["messages"]] == [
        "None of the selected profiles is waiting for review: nothing changed."
    ]


def test_people_without_change_permission_cannot_approve(client, db):
    viewer = UserFactory(is_staff=True)
    client.force_login(viewer)
    waiting = pending(name="Waiting")
    assert client.post(url("approve", waiting.pk)).status_code == 403
    assert client.get(f"{url('reject')}?ids={waiting.pk}").status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING


# --- History and revert -------------------------------------------------------------------------


def test_history_lists_who_did_what(admin_client, moderator):
    owner = UserFactory(email="owner@example.org")
    waiting = pending(name="History Lab", owner=owner)
    with reversion.create_revision():
        waiting.save()
        reversion.set_user(owner)
        reversion.set_comment("Created")
    profile_update(profile=waiting, user=owner, fields={"name": "History Lab 2", "city": "Gent"})
    admin_client.post(url("approve", waiting.pk))
    response = admin_client.get(url("history", waiting.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changed name, city" in page
    assert "owner@example.org" in page
    assert "Approved" in page
    assert "moderator@example.org" in page
    # Latest first.
    assert page.index("Approved") < page.index("Changed name, city") < page.index("Created")


def test_an_admin_edit_records_what_changed_and_updates_search(admin_client, moderator):
    organisation = OrganisationFactory(name="Plain Name")
    form = admin_client.get(url("change", organisation.pk))
    data = admin_form_data(form)
    data["name"] = "Cooperativa Ñandú"
    response = admin_client.post(url("change", organisation.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Organisation.objects.matching("nandu")) == [organisation]
    version = Version.objects.get_for_object(organisation).first()
    assert version.revision.user == moderator
    assert "Name" in version.revision.get_comment()


def test_revert_restores_the_old_name_and_the_search_follows(admin_client):
    owner = UserFactory()
    organisation = OrganisationFactory(name="Liberté Lab", owner=owner)
    with reversion.create_revision():
        organisation.save()
        reversion.set_comment("Imported")
    profile_update(profile=organisation, user=owner, fields={"name": "Nova Lab"})
    assert list(Organisation.objects.matching("liberte")) == []
    first = Version.objects.get_for_object(organisation).last()

    revision_url = url("revision", organisation.pk, first.pk)
    form = admin_client.get(revision_url)
    assert form.status_code == 200
    organisation.refresh_from_db()
    assert organisation.name == "Nova Lab"  # looking at an old version changes nothing
    response = admin_client.post(revision_url, admin_form_data(form))
    assert response.status_code == 302

    organisation.refresh_from_db()
    assert organisation.name == "Liberté Lab"
    assert list(Organisation.objects.matching("liberte")) == [organisation]
    assert list(Organisation.objects.matching("nova")) == []
    latest = Version.objects.get_for_object(organisation).first()
    assert latest.revision.get_comment().startswith("Reverted to previous version")


def test_revert_a_project_brings_back_its_organisations(admin_client):
    owner = UserFactory()
    project = ProjectFactory(name="Old Project Name", owner=owner)
    partner = OrganisationFactory(name="Partner")
    project.links_to_organisations.create(organisation=partner)
    with reversion.create_revision():
        project.save()
    project.links_to_organisations.all().delete()
    profile_update(profile=project, user=owner, fields={"name": "New Project Name"})
    first = Version.objects.get_for_object(project).last()
    revision_url = url("revision", project.pk, first.pk, kind="project")
    form = admin_client.get(revision_url)
    response = admin_client.post(revision_url, admin_form_data(form))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Old Project Name"
    assert list(project.organisations.all()) == [partner]
    assert list(Project.objects.matching("old project")) == [project]


# --- Reports ------------------------------------------------------------------------------------


def test_reports_in_the_admin_link_to_the_profile(admin_client):
    organisation = OrganisationFactory(name="Reported Org")
    report = Report.objects.create(
        organisation=organisation, reason=Report.Reason.SPAM, message="Casino links"
    )
    Report.objects.create(
        organisation=organisation, reason=Report.Reason.OTHER, state=Report.State.DISMISSED
    )
    response = admin_client.get(
        reverse("admin:directory_report_changelist"), {"state__exact": "open"}
    )
    assert list(response.context["cl"].result_list) == [report]
    page = response.content.decode()
    assert url("change", organisation.pk) in page
    assert organisation.get_absolute_url() in page
    detail = admin_client.get(reverse("admin:directory_report_change", args=[report.pk]))
    assert "Casino links" in detail.content.decode()


def test_resolve_and_dismiss_reports(admin_client, moderator):
    project = ProjectFactory()
    first, second, third = (
        Report.objects.create(project=project, reason=Report.Reason.SPAM) for _ in range(3)
    )
    changelist = reverse("admin:directory_report_changelist")
    admin_client.post(changelist, {"action": "resolve_selected", "_selected_action": [first.pk]})
    admin_client.post(
        changelist, {"action": "dismiss_selected", "_selected_action": [second.pk, first.pk]}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.state == Report.State.RESOLVED
    assert first.resolved_by == moderator and first.resolved_at is not None
    assert second.state == Report.State.DISMISSED
    assert third.state == Report.State.OPEN


def test_other_admins_are_searchable(admin_client):
    organisation = OrganisationFactory(name="Searchable Org", owner=UserFactory())
    for model in ("membership", "invitation", "joinrequest", "tag"):
        response = admin_client.get(
            reverse(f"admin:directory_{model}_changelist"), {"q": "searchable"}
        )
        assert response.status_code == 200, model
    response = admin_client.get(
        reverse("admin:directory_membership_changelist"), {"q": "searchable"}
    )
    assert response.context["cl"].result_list[0].organisation == organisation


# --- Moderating from the preview, and what changed ----------------------------------------------


def test_the_preview_of_a_pending_profile_offers_approve_and_reject(
    admin_client, django_assert_max_num_queries
):
    waiting = pending(name="Preview Moderation Lab")
    with django_assert_max_num_queries(9):
        page = admin_client.get(url("preview", waiting.pk)).content.decode()
    assert f'action="{url("approve", waiting.pk)}"' in page
    assert f'action="{url("reject")}"' in page
    assert f'name="ids" value="{waiting.pk}"' in page
    assert "Reason, for the owner" in page
    assert url("change", waiting.pk) in page
    assert url("compare", waiting.pk) in page
    assert "csrfmiddlewaretoken" in page


def test_what_changed_in_a_project_names_its_related_rows(
    admin_client, django_assert_max_num_queries
):
    owner = UserFactory()
    project = pending(ProjectFactory, name="Diff Project", owner=owner)
    areas = list(SocialArea.objects.order_by("pk")[:2])
    project.social_areas.set([areas[0]])
    with reversion.create_revision():
        project.save()
    profile_update(
        profile=project,
        user=owner,
        fields={"name": "Diff Project 2", "city": "Gent"},
        relations={"social_areas": [areas[1]]},
    )
    history = admin_client.get(url("history", project.pk, kind="project")).content.decode()
    assert "What changed" in history
    # session, user, permissions, the project, its versions, the social areas' names
    with django_assert_max_num_queries(7):
        response = admin_client.get(url("compare", project.pk, kind="project"))
    page = response.content.decode()
    assert "Diff Project<ins> 2</ins>" in page
    assert f"<del>{areas[0].name}</del> <ins>{areas[1].name}</ins>" in page
    assert "<ins>Gent</ins>" in page


def test_the_queue_links_what_changed(admin_client):
    waiting = pending(name="Queue Diff Lab")
    page = admin_client.get(reverse("moderation_queue")).content.decode()
    assert url("compare", waiting.pk) in page
