import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.tests.factories import PASSWORD
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import Invitation
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Role
from directory.services import invitation_rules
from directory.services import members as services
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def organisation(owner):
    return OrganisationFactory(owner=owner, name="Open Data Lab", slug="open-data-lab")


def add_member(profile, role=Role.MEMBER, **kwargs):
    person = UserFactory(**kwargs)
    Membership.objects.create(user=person, role=role, **{profile.kind: profile})
    return person


def membership(profile, person):
    return Membership.objects.filter(user=person, **{profile.kind: profile}).first()


def roles(profile):
    return {m.user.email: m.role for m in Membership.objects.filter(**{profile.kind: profile})}


MEMBERS_URL = "/en/organisations/open-data-lab/members/"
JOIN_URL = "/en/organisations/open-data-lab/join/"


# --- Invitations (services) -------------------------------------------------------------------


def test_an_owner_invites_someone_new_by_email(
    organisation, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            profile=organisation, user=owner, email="New.Person@example.org", role=Role.ADMIN
        )
    assert invitation.state == Invitation.State.PENDING
    assert invitation.invited_by == owner
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["New.Person@example.org"]
    assert "Open Data Lab" in message.subject
    assert f"/en/accounts/signup/?next=%2Fen%2Finvitations%2F{invitation.pk}%2F" in message.body
    assert "/en/accounts/login/?next=" in message.body


def test_inviting_an_existing_account_links_to_the_log_in(
    organisation, owner, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(profile=organisation, user=owner, email="KNOWN@example.org")
    assert "/en/accounts/login/?next=" in mail.outbox[0].body
    assert "/signup/" not in mail.outbox[0].body


def test_members_and_waiting_invitations_are_not_invited_twice(organisation, owner):
    person = add_member(organisation, email="member@example.org")
    with pytest.raises(ValidationError) as error:
        services.invitation_create(profile=organisation, user=owner, email="MEMBER@example.org")
    assert "already a member" in error.value.message_dict["email"][0]
    # Another (verified or not) address of a member counts too.
    EmailAddress.objects.create(user=person, email="other@example.org", verified=False)
    with pytest.raises(ValidationError):
        services.invitation_create(profile=organisation, user=owner, email="other@example.org")

    services.invitation_create(profile=organisation, user=owner, email="new@example.org")
    with pytest.raises(ValidationError) as error:
        services.invitation_create(profile=organisation, user=owner, email="NEW@example.org")
    assert "already waiting" in error.value.message_dict["email"][0]
    assert Invitation.objects.count() == 1


def test_who_may_invite_and_as_what(organisation):
    admin = add_member(organisation, Role.ADMIN)
    plain = add_member(organisation)
    with pytest.raises(PermissionDenied):
        services.invitation_create(profile=organisation, user=plain, email="a@example.org")
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            profile=organisation, user=admin, email="a@example.org", role=Role.ADMIN
        )
    with pytest.raises(ValidationError):
        services.invitation_create(
            profile=organisation, user=admin, email="a@example.org", role=Role.OWNER
        )
    services.invitation_create(profile=organisation, user=admin, email="a@example.org")
    assert Invitation.objects.get().role == Role.MEMBER


def test_invitations_are_rate_limited_per_person(organisation, owner, monkeypatch):
    monkeypatch.setattr(invitation_rules, "INVITATIONS_PER_DAY", 2)
    for n in range(2):
        services.invitation_create(profile=organisation, user=owner, email=f"p{n}@example.org")
    with pytest.raises(services.RateLimited):
        services.invitation_create(profile=organisation, user=owner, email="p3@example.org")
    assert Invitation.objects.count() == 2


def test_an_invitation_is_accepted_only_by_the_verified_owner_of_its_address(organisation, owner):
    invitation = services.invitation_create(
        profile=organisation, user=owner, email="Invitee@Example.org", role=Role.ADMIN
    )
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=stranger)
    unverified = UserFactory()
    EmailAddress.objects.create(user=unverified, email="invitee@example.org", verified=False)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=unverified)

    invitee = UserFactory(email="invitee@example.org")
    created = services.invitation_accept(invitation=invitation, user=invitee)
    assert created.role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    with pytest.raises(ValidationError):
        services.invitation_decline(invitation=invitation, user=invitee)


def test_a_cancelled_invitation_can_no_longer_be_accepted(organisation, owner):
    invitation = services.invitation_create(
        profile=organisation, user=owner, email="late@example.org"
    )
    with pytest.raises(PermissionDenied):
        services.invitation_cancel(invitation=invitation, user=add_member(organisation))
    services.invitation_cancel(invitation=invitation, user=owner)
    invitee = UserFactory(email="late@example.org")
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=invitee)
    with pytest.raises(ValidationError):
        services.invitation_cancel(invitation=invitation, user=owner)
    assert not Membership.objects.filter(user=invitee).exists()


def test_waiting_invitations_are_those_to_verified_addresses(organisation, owner):
    project = ProjectFactory(owner=owner)
    person = UserFactory(email="claimer@example.org")
    EmailAddress.objects.create(user=person, email="Work@Example.org", verified=True)
    EmailAddress.objects.create(user=person, email="unverified@example.org", verified=False)
    services.invitation_create(profile=organisation, user=owner, email="CLAIMER@example.org")
    services.invitation_create(profile=project, user=owner, email="work@example.org")
    services.invitation_create(
        profile=OrganisationFactory(owner=owner), user=owner, email="unverified@example.org"
    )
    waiting = services.invitations_for(person)
    assert {invitation.profile for invitation in waiting} == {organisation, project}


# --- Requests to join (services) --------------------------------------------------------------


def test_a_request_to_join_emails_the_owner_and_admins(
    organisation, owner, django_capture_on_commit_callbacks
):
    admin = add_member(organisation, Role.ADMIN)
    add_member(organisation)
    person = UserFactory(name="Grace Hopper")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(profile=organisation, user=person, message="I work there.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, admin.email])
    assert "Grace Hopper asks to join Open Data Lab" in mail.outbox[0].subject
    assert "I work there." in mail.outbox[0].body
    assert "/en/organisations/open-data-lab/members/" in mail.outbox[0].body


def test_duplicate_requests_and_requests_from_members_are_refused(organisation, owner):
    person = UserFactory()
    services.join_request_create(profile=organisation, user=person)
    with pytest.raises(ValidationError, match="already asked"):
        services.join_request_create(profile=organisation, user=person)
    with pytest.raises(ValidationError, match="already a member"):
        services.join_request_create(profile=organisation, user=owner)
    assert JoinRequest.objects.count() == 1


def test_only_published_profiles_take_requests(owner):
    draft = OrganisationFactory(owner=owner, status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.join_request_create(profile=draft, user=UserFactory())


def test_requests_to_join_are_rate_limited(monkeypatch, owner):
    monkeypatch.setattr(services, "JOIN_REQUESTS_PER_DAY", 2)
    person = UserFactory()
    for _ in range(2):
        services.join_request_create(profile=OrganisationFactory(owner=owner), user=person)
    with pytest.raises(services.RateLimited):
        services.join_request_create(profile=OrganisationFactory(owner=owner), user=person)


def test_accepting_and_declining_requests_tells_the_requester(
    organisation, owner, django_capture_on_commit_callbacks
):
    first, second = UserFactory(), UserFactory()
    accepted = services.join_request_create(profile=organisation, user=first)
    declined = services.join_request_create(profile=organisation, user=second)
    with pytest.raises(PermissionDenied):
        services.join_request_accept(join_request=accepted, user=add_member(organisation))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_accept(join_request=accepted, user=owner)
        services.join_request_decline(join_request=declined, user=owner)
    assert membership(organisation, first).role == Role.MEMBER
    assert not Membership.objects.filter(user=second).exists()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient[first.email].subject == "You are now a member of Open Data Lab"
    assert "declined" in by_recipient[second.email].body
    declined.refresh_from_db()
    assert declined.state == JoinRequest.State.DECLINED and declined.decided_by == owner
    with pytest.raises(ValidationError):
        services.join_request_accept(join_request=declined, user=owner)


# --- Roles, removal, leaving, ownership (services) --------------------------------------------


def test_only_the_owner_makes_and_unmakes_admins(organisation, owner):
    admin = add_member(organisation, Role.ADMIN)
    person = add_member(organisation)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(
            membership=membership(organisation, person), user=admin, role=Role.ADMIN
        )
    services.membership_change_role(
        membership=membership(organisation, person), user=owner, role=Role.ADMIN
    )
    services.membership_change_role(
        membership=membership(organisation, admin), user=owner, role=Role.MEMBER
    )
    assert membership(organisation, person).role == Role.ADMIN
    assert membership(organisation, admin).role == Role.MEMBER
    with pytest.raises(ValidationError):
        services.membership_change_role(
            membership=membership(organisation, person), user=owner, role=Role.OWNER
        )
    with pytest.raises(ValidationError):
        services.membership_change_role(
            membership=membership(organisation, owner), user=owner, role=Role.MEMBER
        )


def test_removing_members(organisation, owner):
    admin = add_member(organisation, Role.ADMIN)
    other_admin = add_member(organisation, Role.ADMIN)
    person = add_member(organisation)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership(organisation, admin), user=person)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership(organisation, other_admin), user=admin)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=membership(organisation, owner), user=admin)
    services.membership_remove(membership=membership(organisation, person), user=admin)
    services.membership_remove(membership=membership(organisation, other_admin), user=owner)
    assert set(roles(organisation)) == {owner.email, admin.email}


def test_members_leave_but_the_owner_hands_over_first(organisation, owner):
    person = add_member(organisation)
    services.membership_leave(profile=organisation, user=person)
    with pytest.raises(ValidationError, match="make another member the owner"):
        services.membership_leave(profile=organisation, user=owner)
    with pytest.raises(ValidationError):
        services.membership_leave(profile=organisation, user=person)
    assert roles(organisation) == {owner.email: Role.OWNER}


def test_the_owner_hands_over_and_stays_on_as_admin(organisation, owner):
    admin = add_member(organisation, Role.ADMIN)
    person = add_member(organisation)
    with pytest.raises(PermissionDenied):
        services.profile_transfer_ownership(
            profile=organisation, user=admin, to=membership(organisation, person)
        )
    services.profile_transfer_ownership(
        profile=organisation, user=owner, to=membership(organisation, person)
    )
    assert roles(organisation) == {
        owner.email: Role.ADMIN,
        admin.email: Role.ADMIN,
        person.email: Role.OWNER,
    }
    # Now the old owner may leave; the new one may not.
    services.membership_leave(profile=organisation, user=owner)
    with pytest.raises(ValidationError):
        services.membership_leave(profile=organisation, user=person)


def test_ownership_goes_only_to_a_member_of_the_same_profile(organisation, owner):
    elsewhere = ProjectFactory(owner=UserFactory())
    outsider = add_member(elsewhere)
    with pytest.raises(ValidationError):
        services.profile_transfer_ownership(
            profile=organisation, user=owner, to=membership(elsewhere, outsider)
        )
    with pytest.raises(ValidationError):
        services.profile_transfer_ownership(
            profile=organisation, user=owner, to=membership(organisation, owner)
        )
    assert roles(organisation) == {owner.email: Role.OWNER}


def test_members_choose_whether_they_are_shown(organisation, owner):
    person = add_member(organisation)
    with pytest.raises(PermissionDenied):
        services.membership_set_public(
            membership=membership(organisation, person), user=owner, is_public=False
        )
    services.membership_set_public(
        membership=membership(organisation, person), user=person, is_public=False
    )
    assert membership(organisation, person).is_public is False


# --- The members page (HTTP) ------------------------------------------------------------------


def test_the_members_page_is_for_members(client, organisation, owner):
    assert client.get(MEMBERS_URL).status_code == 302  # to the log-in
    client.force_login(UserFactory())
    assert client.get(MEMBERS_URL).status_code == 403
    assert client.get("/en/organisations/nowhere/members/").status_code == 404
    draft = OrganisationFactory(owner=owner, status=Status.PENDING)
    assert client.get(f"/en/organisations/{draft.slug}/members/").status_code == 404
    # A project's page, too.
    project = ProjectFactory(owner=owner)
    assert client.get(f"/en/projects/{project.slug}/members/").status_code == 403


def test_a_member_sees_the_list_but_no_management(client, organisation, owner):
    person = add_member(organisation, name="Plain Member")
    hidden = add_member(organisation, name="Hidden Member")
    Membership.objects.filter(user=hidden).update(is_public=False)
    client.force_login(person)
    response = client.get(MEMBERS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plain Member" in html and "Hidden Member" in html and owner.name in html
    assert "Invite someone" not in html
    assert "Leave this profile" in html
    assert (
        client.post(MEMBERS_URL, {"action": "invite", "email": "x@example.org"}).status_code == 403
    )
    target = membership(organisation, hidden).pk
    assert client.post(MEMBERS_URL, {"action": "remove", "target": target}).status_code == 403


def test_members_page_query_counts(client, organisation, owner, django_assert_num_queries):
    for _ in range(5):
        add_member(organisation)
    for n in range(3):
        services.invitation_create(profile=organisation, user=owner, email=f"i{n}@example.org")
        services.join_request_create(profile=organisation, user=UserFactory())
    client.force_login(owner)
    # session, user, profile, viewer's membership, members, invitations, requests
    with django_assert_num_queries(7):
        response = client.get(MEMBERS_URL)
    assert response.status_code == 200
    assert len(response.context["members"]) == 6
    person = add_member(organisation)
    client.force_login(person)
    with django_assert_num_queries(5):
        assert client.get(MEMBERS_URL).status_code == 200


def test_inviting_through_the_page(client, organisation, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            MEMBERS_URL, {"action": "invite", "email": "friend@example.org", "role": "admin"}
        )
    assert response.status_code == 302
    assert response["Location"] == MEMBERS_URL
    assert mail.outbox[0].to == ["friend@example.org"]
    page = client.get(MEMBERS_URL).content.decode()
    assert "An invitation is on its way to friend@example.org" in page
    assert "friend@example.org" in page

    response = client.post(
        MEMBERS_URL, {"action": "invite", "email": "FRIEND@example.org", "role": "member"}
    )
    assert response.status_code == 400
    assert "already waiting" in response.context["invite_form"].errors["email"][0]
    response = client.post(
        MEMBERS_URL, {"action": "invite", "email": "not an email", "role": "member"}
    )
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"]


def test_admins_cannot_pick_the_admin_role_on_the_form(client, organisation):
    admin = add_member(organisation, Role.ADMIN)
    client.force_login(admin)
    response = client.post(
        MEMBERS_URL, {"action": "invite", "email": "a@example.org", "role": "admin"}
    )
    assert response.status_code == 400
    assert response.context["invite_form"].errors["role"]
    assert not Invitation.objects.exists()


def test_too_many_invitations_get_a_429(client, organisation, owner, monkeypatch):
    monkeypatch.setattr(invitation_rules, "INVITATIONS_PER_DAY", 1)
    client.force_login(owner)
    client.post(MEMBERS_URL, {"action": "invite", "email": "a@example.org", "role": "member"})
    response = client.post(
        MEMBERS_URL, {"action": "invite", "email": "b@example.org", "role": "member"}
    )
    assert response.status_code == 429
    assert "try again tomorrow" in response.content.decode()


def test_bad_input_on_the_members_page_is_a_4xx(client, organisation, owner):
    client.force_login(owner)
    assert client.post(MEMBERS_URL, {"action": "explode"}).status_code == 400
    assert client.post(MEMBERS_URL, {}).status_code == 400
    assert client.post(MEMBERS_URL, {"action": "remove", "target": "abc"}).status_code == 400
    assert client.post(MEMBERS_URL, {"action": "remove", "target": "99999"}).status_code == 404
    target = membership(organisation, add_member(organisation)).pk
    response = client.post(MEMBERS_URL, {"action": "role", "target": target, "role": "owner"})
    assert response.status_code == 400
    assert client.post(MEMBERS_URL, {"action": "visibility", "is_public": "x"}).status_code == 400
    # A member of another profile is not reachable through this one.
    other = ProjectFactory(owner=UserFactory())
    foreign = membership(other, add_member(other)).pk
    assert client.post(MEMBERS_URL, {"action": "remove", "target": foreign}).status_code == 404


def test_posts_need_the_csrf_token(organisation, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        MEMBERS_URL, {"action": "invite", "email": "a@example.org", "role": "member"}
    )
    assert response.status_code == 403
    assert client.post(JOIN_URL, {"message": "hi"}).status_code == 403
    assert not Invitation.objects.exists()


def test_managing_members_through_the_page(
    client, organisation, owner, django_capture_on_commit_callbacks
):
    admin = add_member(organisation, Role.ADMIN)
    person = add_member(organisation)
    requester = UserFactory()
    join_request = services.join_request_create(profile=organisation, user=requester)
    invitation = services.invitation_create(profile=organisation, user=owner, email="x@example.org")
    client.force_login(owner)

    def post(**data):
        response = client.post(MEMBERS_URL, data)
        assert response.status_code == 302, response.content.decode()[:2000]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(action="accept", target=join_request.pk)
    assert [m.to for m in mail.outbox] == [[requester.email]]
    post(action="cancel", target=invitation.pk)
    post(action="role", target=membership(organisation, person).pk, role="admin")
    post(action="remove", target=membership(organisation, requester).pk)
    post(action="transfer", target=membership(organisation, admin).pk)
    assert roles(organisation) == {
        owner.email: Role.ADMIN,
        admin.email: Role.OWNER,
        person.email: Role.ADMIN,
    }
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN


def test_leaving_through_the_page(client, organisation, owner):
    client.force_login(owner)
    response = client.post(MEMBERS_URL, {"action": "leave"})
    assert response.status_code == 400
    assert "make another member the owner" in response.content.decode()
    person = add_member(organisation)
    client.force_login(person)
    response = client.post(MEMBERS_URL, {"action": "leave"})
    assert response.status_code == 302
    assert response["Location"] == "/en/organisations/open-data-lab/"
    assert not Membership.objects.filter(user=person).exists()
    assert client.get(MEMBERS_URL).status_code == 403


def test_a_member_hides_and_shows_themselves(client, organisation):
    person = add_member(organisation)
    client.force_login(person)
    assert client.post(MEMBERS_URL, {"action": "visibility", "is_public": "0"}).status_code == 302
    assert membership(organisation, person).is_public is False
    assert "Show me on the public page" in client.get(MEMBERS_URL).content.decode()
    assert client.post(MEMBERS_URL, {"action": "visibility", "is_public": "1"}).status_code == 302
    assert membership(organisation, person).is_public is True


def test_staff_with_the_change_permission_manage_any_profile(client, organisation, owner):
    from django.contrib.auth.models import Permission

    moderator = UserFactory()
    moderator.user_permissions.add(Permission.objects.get(codename="change_organisation"))
    client.force_login(moderator)
    response = client.get(MEMBERS_URL)
    assert response.status_code == 200
    assert "Invite someone" in response.content.decode()


# --- The join page (HTTP) ---------------------------------------------------------------------


def test_asking_to_join_through_the_page(
    client, organisation, owner, django_capture_on_commit_callbacks, django_assert_num_queries
):
    person = UserFactory()
    client.force_login(person)
    # session, user, profile, membership, waiting request
    with django_assert_num_queries(5):
        response = client.get(JOIN_URL)
    assert response.status_code == 200
    assert 'name="message"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN_URL, {"message": "Let me in, please."})
    assert response.status_code == 302
    assert response["Location"] == "/en/organisations/open-data-lab/"
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "already asked" in client.get(JOIN_URL).content.decode()
    assert client.post(JOIN_URL, {"message": "Again"}).status_code == 400
    assert JoinRequest.objects.count() == 1


def test_the_join_page_for_members_drafts_and_bad_input(client, organisation, owner):
    assert client.get(JOIN_URL).status_code == 302  # log in first
    client.force_login(owner)
    response = client.get(JOIN_URL)
    assert "You are already a member" in response.content.decode()
    assert client.post(JOIN_URL, {"message": "x"}).status_code == 400
    draft = OrganisationFactory(owner=owner, status=Status.DRAFT)
    client.force_login(UserFactory())
    assert client.get(f"/en/organisations/{draft.slug}/join/").status_code == 404
    assert client.get("/en/projects/nowhere/join/").status_code == 404
    response = client.post(JOIN_URL, {"message": "x" * 1001})
    assert response.status_code == 400
    assert response.context["form"].errors["message"]
    assert not JoinRequest.objects.exists()


def test_too_many_requests_to_join_get_a_429(client, owner, monkeypatch):
    monkeypatch.setattr(services, "JOIN_REQUESTS_PER_DAY", 1)
    client.force_login(UserFactory())
    first, second = OrganisationFactory(owner=owner), OrganisationFactory(owner=owner)
    assert client.post(f"/en/organisations/{first.slug}/join/", {}).status_code == 302
    assert client.post(f"/en/organisations/{second.slug}/join/", {}).status_code == 429


# --- Answering an invitation (HTTP, allauth) --------------------------------------------------


def test_answering_an_invitation(client, organisation, owner):
    invitation = services.invitation_create(
        profile=organisation, user=owner, email="guest@example.org"
    )
    url = f"/en/invitations/{invitation.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "accept"}).status_code == 404
    assert client.get("/en/invitations/99999/").status_code == 404

    guest = UserFactory(email="guest@example.org")
    client.force_login(guest)
    response = client.get(url)
    assert response.status_code == 200
    assert "invites you to join Open Data Lab" in response.content.decode()
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == MEMBERS_URL
    assert membership(organisation, guest).role == Role.MEMBER
    assert "You are a member of Open Data Lab" in client.get(url).content.decode()
    assert client.post(url, {"answer": "decline"}).status_code == 400


def test_declining_an_invitation(client, organisation, owner):
    invitation = services.invitation_create(
        profile=organisation, user=owner, email="guest@example.org"
    )
    client.force_login(UserFactory(email="guest@example.org"))
    response = client.post(f"/en/invitations/{invitation.pk}/", {"answer": "decline"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.DECLINED
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_logging_in_leads_to_the_invitation_and_makes_no_member_by_itself(
    client, organisation, owner
):
    """Being invited never makes someone a member: they log in, then accept (or decline)."""
    invitation = services.invitation_create(
        profile=organisation, user=owner, email="Returning@example.org", role=Role.ADMIN
    )
    person = UserFactory(email="returning@example.org")
    next_url = f"/en/invitations/{invitation.pk}/"
    response = client.post(
        f"/en/accounts/login/?next={next_url}",
        {"login": "returning@example.org", "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert membership(organisation, person) is None
    page = client.get(next_url).content.decode()
    assert "You are invited to join Open Data Lab: accept or decline on your dashboard." in page
    assert "invites you to join Open Data Lab" in page
    client.post(next_url, {"answer": "accept"})
    assert membership(organisation, person).role == Role.ADMIN


def test_signing_up_and_confirming_leaves_the_invitation_to_answer(
    client, organisation, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            profile=organisation, user=owner, email="newcomer@example.org"
        )
    assert "Sign up with this email address and confirm it, then accept" in mail.outbox[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/signup/",
            {
                "name": "New Comer",
                "email": "newcomer@example.org",
                "password1": "analytical engine 1843",
                "password2": "analytical engine 1843",
                "accept_terms": "on",
            },
        )
    assert response.status_code == 302
    confirm = re.search(r"/en/accounts/confirm-email/[^/\s]+/", mail.outbox[-1].body).group(0)
    response = client.post(confirm, follow=True)
    assert response.status_code == 200
    assert "You are invited to join Open Data Lab" in response.content.decode()
    newcomer = EmailAddress.objects.get(email="newcomer@example.org").user
    assert membership(organisation, newcomer) is None
    client.force_login(newcomer)
    dashboard = client.get("/en/dashboard/").content.decode()
    assert f"/en/invitations/{invitation.pk}/" in dashboard
    client.post(f"/en/invitations/{invitation.pk}/", {"answer": "accept"})
    assert membership(organisation, newcomer).role == Role.MEMBER
