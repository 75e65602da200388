"""Claims and requests to join in the admin: beside other moderation, decided by actions."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.tests.admin_forms import admin_form_data
from directory.models import Claim
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Role
from directory.services.claims import claim_create
from directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:directory_claim_changelist")
REQUESTS = reverse("admin:directory_joinrequest_changelist")


@pytest.fixture
def moderator():
    person = UserFactory(is_staff=True, email="moderator@example.org")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def imported():
    return OrganisationFactory(name="Atelier", slug="atelier", website="https://atelier.org")


def claim(profile, person=None, **kwargs):
    person = person or UserFactory()
    return claim_create(profile=profile, user=person, message="It is ours.", **kwargs)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_claims_wait_in_the_moderation_queue_beside_profiles(admin_client, imported):
    waiting = claim(imported, UserFactory(name="Camille Martin"))
    page = admin_client.get("/en/admin/moderation/").content.decode()
    assert "Claims: 1" in page
    assert "Atelier – Camille Martin" in page
    assert reverse("admin:directory_claim_change", args=[waiting.pk]) in page


def test_the_claims_list_verified_first_in_bounded_queries(
    admin_client, imported, django_assert_max_num_queries
):
    plain = claim(imported)
    verified = claim(imported, evidence_email="ana@atelier.org")
    Claim.objects.filter(pk=verified.pk).update(email_verified_at="2026-01-01T00:00Z")
    for _ in range(5):
        claim(OrganisationFactory())
    with django_assert_max_num_queries(12):
        response = admin_client.get(CLAIMS)
    assert response.status_code == 200
    shown = [row.pk for row in response.context["cl"].result_list]
    assert shown.index(verified.pk) < shown.index(plain.pk)
    page = response.content.decode()
    assert "Atelier" in page
    assert admin_client.get(CLAIMS, {"verified": "yes"}).context["cl"].result_count == 1


def test_the_change_form_shows_the_evidence_read_only(admin_client, imported):
    waiting = claim(imported, role="Director", evidence_url="https://atelier.org/team")
    response = admin_client.get(reverse("admin:directory_claim_change", args=[waiting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Director" in page and "https://atelier.org/team" in page
    assert 'name="status"' not in page and 'name="message"' not in page
    assert 'name="_save"' not in page  # decided by the buttons, nothing to save
    assert "Approve: make them the owner" in page
    assert admin_client.get(reverse("admin:directory_claim_add")).status_code == 403


def test_the_history_of_a_claim_is_the_admin_log(admin_client, imported):
    waiting = claim(imported)
    history = reverse("admin:directory_claim_history", args=[waiting.pk])
    assert admin_client.get(history).status_code == 200
    queue = admin_client.get("/en/admin/moderation/").content.decode()
    assert f"/claim/{waiting.pk}/change/" in queue
    assert f"/claim/{waiting.pk}/history/compare/" not in queue  # no versions to compare


def test_approve_from_the_change_form(
    admin_client, imported, moderator, django_capture_on_commit_callbacks
):
    person = UserFactory()
    waiting = claim(imported, person)
    approve = reverse("admin:directory_claim_approve", args=[waiting.pk])
    assert admin_client.get(approve).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(approve, follow=True)
    assert any("is the owner now" in text for text in messages_of(response))
    assert Membership.objects.get(organisation=imported).user == person
    assert Membership.objects.get(organisation=imported).role == Role.OWNER
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (Claim.Status.APPROVED, moderator)
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert (
        admin_client.post(reverse("admin:directory_claim_approve", args=["x"])).status_code == 404
    )


def test_approving_several_closes_the_losers(
    admin_client, imported, django_capture_on_commit_callbacks
):
    first, second = claim(imported), claim(imported)
    other = claim(OrganisationFactory(name="Elsewhere"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CLAIMS,
            {"action": "approve_selected", "_selected_action": [first.pk, second.pk, other.pk]},
            follow=True,
        )
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: Claim.Status.APPROVED,
        second.pk: Claim.Status.CLOSED,
        other.pk: Claim.Status.APPROVED,
    }
    texts = messages_of(response)
    assert any(text.startswith("Approved:") for text in texts)
    assert any("left unchanged" in text for text in texts)  # second: closed meanwhile


def test_approving_when_an_owner_came_another_way(admin_client, imported):
    waiting = claim(imported)
    Membership.objects.create(user=UserFactory(), role=Role.OWNER, organisation=imported)
    response = admin_client.post(
        reverse("admin:directory_claim_approve", args=[waiting.pk]), follow=True
    )
    assert any("already has an owner: 1 open claim was closed" in t for t in messages_of(response))
    waiting.refresh_from_db()
    assert waiting.status == Claim.Status.CLOSED


def test_reject_asks_for_a_reason_and_emails_it(
    admin_client, imported, django_capture_on_commit_callbacks
):
    person = UserFactory()
    waiting = claim(imported, person)
    reject = reverse("admin:directory_claim_reject")
    response = admin_client.get(reject, {"ids": waiting.pk})
    assert response.status_code == 200
    assert "Reason, for the claimant" in response.content.decode()
    response = admin_client.post(reject, {"ids": waiting.pk, "reason": " "})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reject, {"ids": waiting.pk, "reason": "Not known there."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.rejection_reason) == (
        Claim.Status.REJECTED,
        "Not known there.",
    )
    [message] = mail.outbox
    assert message.to == [person.email] and "Not known there." in message.body
    assert not Membership.objects.exists()


def test_staff_who_do_not_moderate_cannot_decide(client, imported):
    waiting = claim(imported)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CLAIMS).status_code == 403
    assert (
        client.post(reverse("admin:directory_claim_approve", args=[waiting.pk])).status_code == 403
    )
    waiting.refresh_from_db()
    assert waiting.status == Claim.Status.PENDING


# --- Requests to join ---------------------------------------------------------------------------


def test_accepting_a_request_in_the_admin_makes_the_membership(
    admin_client, moderator, django_capture_on_commit_callbacks
):
    profile = OrganisationFactory(owner=UserFactory(), name="Owned Lab")
    person = UserFactory()
    waiting = JoinRequest.objects.create(user=person, organisation=profile)
    declined = JoinRequest.objects.create(user=UserFactory(), organisation=profile)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            REQUESTS, {"action": "accept_selected", "_selected_action": [waiting.pk]}, follow=True
        )
        admin_client.post(
            REQUESTS, {"action": "decline_selected", "_selected_action": [declined.pk]}
        )
    assert any(text.startswith("Accepted:") for text in messages_of(response))
    assert Membership.objects.get(user=person, organisation=profile).role == Role.MEMBER
    waiting.refresh_from_db()
    declined.refresh_from_db()
    assert (waiting.state, waiting.decided_by) == (JoinRequest.State.ACCEPTED, moderator)
    assert declined.state == JoinRequest.State.DECLINED
    assert {m.to[0] for m in mail.outbox} == {person.email, declined.user.email}
    response = admin_client.post(
        REQUESTS, {"action": "accept_selected", "_selected_action": [waiting.pk]}, follow=True
    )
    assert any("left unchanged" in text for text in messages_of(response))


def test_the_state_of_a_request_cannot_be_edited_by_hand(admin_client):
    profile = OrganisationFactory(owner=UserFactory())
    waiting = JoinRequest.objects.create(user=UserFactory(), organisation=profile)
    change = reverse("admin:directory_joinrequest_change", args=[waiting.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="state"' not in page and 'name="_save"' not in page
    admin_client.post(change, {"state": "accepted"})
    waiting.refresh_from_db()
    assert waiting.state == JoinRequest.State.PENDING
    assert Membership.objects.filter(organisation=profile).count() == 1  # the owner alone
    assert admin_client.get(reverse("admin:directory_joinrequest_add")).status_code == 403


def test_the_daily_digest_counts_claims(moderator, imported, django_capture_on_commit_callbacks):
    from directory.services.moderation import moderation_digest_send

    claim(imported, UserFactory(name="Camille Martin"))
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation_digest_send() == 1
    body = mail.outbox[0].body
    assert "Claims: 1 waiting for review" in body
    assert "Atelier – Camille Martin" in body


# --- Memberships given in the admin answer what the person asked -------------------------------


def test_an_owner_added_in_the_admin_answers_the_open_claims(
    admin_client, imported, django_capture_on_commit_callbacks
):
    claimant, other = UserFactory(email="claimant@example.org"), UserFactory()
    own_claim, other_claim = claim(imported, claimant), claim(imported, other)
    change = reverse("admin:directory_organisation_change", args=[imported.pk])
    data = admin_form_data(admin_client.get(change))
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(claimant.pk),
            "memberships-0-role": Role.OWNER,
            "memberships-0-is_public": "on",
        }
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.get(organisation=imported).user == claimant
    own_claim.refresh_from_db()
    other_claim.refresh_from_db()
    assert own_claim.status == Claim.Status.APPROVED
    assert other_claim.status == Claim.Status.CLOSED
    assert [message.to for message in mail.outbox] == [[other.email]]  # told it is closed
    assert "Claims: 0" in admin_client.get("/en/admin/moderation/").content.decode()


def test_a_membership_added_in_the_admin_answers_the_persons_request(admin_client):
    owned = OrganisationFactory(name="Owned Lab", owner=UserFactory())
    person = UserFactory()
    request = JoinRequest.objects.create(user=person, organisation=owned)
    response = admin_client.post(
        reverse("admin:directory_membership_add"),
        {"user": person.pk, "role": Role.MEMBER, "is_public": "on", "organisation": owned.pk},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    request.refresh_from_db()
    assert request.state == JoinRequest.State.ACCEPTED
    assert request.decided_at is not None


def test_any_membership_answers_the_persons_claim_and_request(imported):
    person = UserFactory()
    waiting = claim(imported, person)
    asked = JoinRequest.objects.create(user=person, organisation=imported)
    membership = Membership.objects.create(user=person, organisation=imported, role=Role.ADMIN)
    waiting.refresh_from_db()
    asked.refresh_from_db()
    assert (waiting.status, asked.state) == (Claim.Status.APPROVED, JoinRequest.State.ACCEPTED)
    # A later change of a detail (not the role) answers nothing new.
    again = claim(imported, person)
    membership.is_public = False
    membership.save(update_fields=["is_public"])
    again.refresh_from_db()
    assert again.status == Claim.Status.PENDING
