import json

from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage

from accounts.models import User
from accounts.tests.images import jpeg_with_exif


def test_a_person_downloads_all_their_data(client, user):
    client.force_login(user)
    assert client.get("/en/account/data/").status_code == 200
    response = client.post("/en/account/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["account"]["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]
    assert data["profile"]["name"] == user.name


def test_deleting_needs_the_right_email(client, user):
    client.force_login(user)
    response = client.post("/en/account/delete/", {"confirm_email": "someone@else.org"})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_removes_personal_data(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    client.post(
        "/en/account/profile/",
        {"name": "To Be Deleted", "avatar": jpeg_with_exif(), "languages": []},
    )
    user.refresh_from_db()
    avatar = user.avatar.name
    assert default_storage.exists(avatar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/account/delete/", {"confirm_email": user.email.upper()})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not default_storage.exists(avatar)
    assert client.get("/en/account/profile/").status_code == 302  # logged out


def test_deleting_hands_shared_profiles_over_and_removes_solo_drafts(
    user, django_capture_on_commit_callbacks
):
    import datetime

    import reversion
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from reversion.models import Version

    from accounts.services import user_delete
    from accounts.tests.factories import UserFactory
    from core.models import Status
    from directory.models import Invitation
    from directory.models import Membership
    from directory.models import Organisation
    from directory.models import Project
    from directory.models import Role
    from directory.services.members import invitation_create
    from directory.tests.factories import OrganisationFactory
    from directory.tests.factories import ProjectFactory

    def join(profile, role, days_ago):
        person = UserFactory()
        membership = Membership.objects.create(user=person, role=role, **{profile.kind: profile})
        joined = timezone.now() - datetime.timedelta(days=days_ago)
        Membership.objects.filter(pk=membership.pk).update(created_at=joined)
        return person

    # Shared with admins: the longest-standing admin takes over (not the older plain member).
    shared = OrganisationFactory(owner=user)
    join(shared, Role.MEMBER, days_ago=30)
    new_admin = join(shared, Role.ADMIN, days_ago=5)
    old_admin = join(shared, Role.ADMIN, days_ago=10)
    # Shared with members only: the longest-standing member takes over.
    project = ProjectFactory(owner=user)
    join(project, Role.MEMBER, days_ago=1)
    old_member = join(project, Role.MEMBER, days_ago=2)
    # Only theirs and not published: it goes, with its logo and its history.
    solo = OrganisationFactory(owner=user, status=Status.DRAFT)
    solo.logo.save("solo.png", ContentFile(b"not really a png"), save=True)
    logo = solo.logo.name
    with reversion.create_revision():
        solo.save()
    assert Version.objects.get_for_object(solo).exists()
    # Only theirs but published: it stays public, with nobody looking after it.
    public = OrganisationFactory(owner=user)
    # Someone else's, where they are a plain member: stays as it is.
    someone = UserFactory()
    elsewhere = OrganisationFactory(owner=someone)
    Membership.objects.create(user=user, role=Role.MEMBER, organisation=elsewhere)
    # An invitation waiting for their (other) address goes too.
    invited = OrganisationFactory(owner=someone)
    invitation_create(profile=invited, user=someone, email=user.email.upper())

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=user)

    assert Membership.objects.get(organisation=shared, role=Role.OWNER).user == old_admin
    assert Membership.objects.get(organisation=shared, user=new_admin).role == Role.ADMIN
    assert Membership.objects.get(project=project, role=Role.OWNER).user == old_member
    assert Project.objects.filter(pk=project.pk).exists()
    assert not Organisation.objects.filter(pk=solo.pk).exists()
    assert not default_storage.exists(logo)
    assert (
        not Version.objects.filter(object_id=str(solo.pk))
        .filter(content_type__model="organisation")
        .exists()
    )
    assert Organisation.objects.published().filter(pk=public.pk).exists()
    assert not public.memberships.exists()
    assert Organisation.objects.filter(pk=elsewhere.pk).exists()
    assert elsewhere.memberships.count() == 1
    assert not Invitation.objects.exists()


def test_an_admin_deleting_an_account_deletes_what_its_owner_would(
    client, user, django_capture_on_commit_callbacks
):
    from django.contrib.admin.models import LogEntry

    from accounts.tests.factories import UserFactory
    from directory.models import Invitation
    from directory.services.members import invitation_create
    from directory.tests.factories import OrganisationFactory

    someone = UserFactory()
    invitation_create(profile=OrganisationFactory(owner=someone), user=someone, email=user.email)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Invitation.objects.exists()
    # The admin's log says an account was deleted, not whose.
    assert LogEntry.objects.filter(object_id=str(user.pk)).exists()
    assert not LogEntry.objects.filter(object_repr__in=[user.name, user.email]).exists()
