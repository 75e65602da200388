"""Claiming profiles nobody owns (imported ones): the services, the pages, the dashboards."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.roles import COMMUNITY_ADMINS
from accounts.tests.factories import UserFactory
from core.models import OutgoingEmail
from core.models import Status
from directory.models import Claim
from directory.models import JoinRequest
from directory.models import Membership
from directory.models import Role
from directory.services import claims as services
from directory.services import members as member_services
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

CLAIM_URL = "/en/organisations/atelier/claim/"
JOIN_URL = "/en/organisations/atelier/join/"
DASHBOARD = "/en/dashboard/"


@pytest.fixture
def imported():
    """A published organisation from the 2017 import: nobody is a member."""
    return OrganisationFactory(name="Atelier", slug="atelier", website="https://www.atelier.org/")


@pytest.fixture
def moderator():
    person = UserFactory(is_staff=True, email="moderator@example.org")
    person.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    return person


@pytest.fixture
def claimant():
    return UserFactory(name="Camille Martin", email="camille@example.org")


def claim(profile, person, **kwargs):
    kwargs.setdefault("message", "I run it.")
    return services.claim_create(profile=profile, user=person, **kwargs)


def verify_link(message) -> str:
    return re.search(r"https?://\S+/claims/confirm/\S+/", message.body).group(0)


# --- Evidence: the website's domain -------------------------------------------------------------


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.atelier.org/about", "atelier.org"),
        ("http://LAB.Uni-Example.EU", "lab.uni-example.eu"),
        ("", ""),
        ("https://www.facebook.com/atelier", ""),
        ("https://atelier.wordpress.com/", ""),
        ("not a url", ""),
    ],
)
def test_the_website_domain(website, domain):
    assert services.website_domain(OrganisationFactory.build(website=website)) == domain


@pytest.mark.parametrize(
    ("email", "matches"),
    [
        ("ana@atelier.org", True),
        ("ana@Mail.Atelier.org", True),
        ("ana@evilatelier.org", False),
        ("ana@atelier.org.evil.com", False),
        ("ana@gmail.com", False),
        ("not-an-address", False),
    ],
)
def test_addresses_at_the_domain(email, matches):
    assert services.email_matches_domain(email, "atelier.org") is matches
    assert services.email_matches_domain(email, "") is False


# --- Claiming (services) ------------------------------------------------------------------------


def test_a_claim_waits_for_the_community_admins(imported, claimant):
    made = claim(imported, claimant, role="Director", evidence_url="https://atelier.org/team")
    assert made.status == Claim.Status.PENDING
    assert made.summary == "Atelier – Camille Martin"
    assert (made.role, made.evidence_url, made.evidence_email) == (
        "Director",
        "https://atelier.org/team",
        "",
    )
    assert not made.is_verified
    assert not Membership.objects.exists()  # nothing changes before a moderator decides
    assert not OutgoingEmail.objects.exists()


def test_an_address_at_the_domain_is_sent_a_link_through_the_queue(
    imported, claimant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = claim(imported, claimant, evidence_email="camille@atelier.org")
    assert OutgoingEmail.objects.count() == 1  # queued, delivered by the task after commit
    [message] = mail.outbox
    assert message.to == ["camille@atelier.org"]
    assert message.subject == "Please confirm your address to claim Atelier"
    assert "Camille Martin claims Atelier" in message.body
    token = verify_link(message).rstrip("/").rsplit("/", 1)[1]
    verified = services.claim_verify_email(token=token)
    assert verified.pk == made.pk and verified.is_verified
    first = verified.email_verified_at
    assert services.claim_verify_email(token=token).email_verified_at == first  # once


def test_a_link_altered_or_for_another_address_is_refused(imported, claimant):
    made = claim(imported, claimant, evidence_email="camille@atelier.org")
    token = services.verification_token(made)
    for bad in (token + "x", "nonsense", token.replace(":", ";", 1)):
        with pytest.raises(ValidationError, match="not valid"):
            services.claim_verify_email(token=bad)
    Claim.objects.filter(pk=made.pk).update(evidence_email="other@atelier.org")
    with pytest.raises(ValidationError, match="not valid"):
        services.claim_verify_email(token=token)
    made.refresh_from_db()
    assert not made.is_verified


def test_an_address_elsewhere_is_refused(imported, claimant):
    with pytest.raises(ValidationError) as caught:
        claim(imported, claimant, evidence_email="camille@gmail.com")
    assert caught.value.message_dict["evidence_email"] == [
        "Please give an address ending in @atelier.org, or none."
    ]
    no_site = OrganisationFactory(website="")
    with pytest.raises(ValidationError, match="cannot confirm"):
        claim(no_site, claimant, evidence_email="camille@atelier.org")
    assert not Claim.objects.exists()


def test_who_may_claim_what(imported, claimant):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        claim(imported, AnonymousUser())
    with pytest.raises(PermissionDenied):
        claim(OrganisationFactory(status=Status.DRAFT), claimant)
    with pytest.raises(ValidationError, match="already has an owner"):
        claim(OrganisationFactory(owner=UserFactory()), claimant)
    with pytest.raises(ValidationError) as caught:
        claim(imported, claimant, message="   ")
    assert "message" in caught.value.message_dict
    claim(imported, claimant)
    with pytest.raises(ValidationError, match="already claimed"):
        claim(imported, claimant)
    assert Claim.objects.count() == 1
    claim(imported, UserFactory())  # others may claim it too: the admins choose
    assert Claim.objects.count() == 2


def test_claims_are_rate_limited(monkeypatch, claimant):
    monkeypatch.setattr(services, "CLAIMS_PER_DAY", 2)
    for _ in range(2):
        claim(OrganisationFactory(), claimant)
    with pytest.raises(member_services.RateLimited):
        claim(OrganisationFactory(), claimant)


# --- Deciding (services) ------------------------------------------------------------------------


def test_approval_makes_the_claimant_owner_and_closes_the_others(
    imported, claimant, moderator, django_capture_on_commit_callbacks
):
    made = claim(imported, claimant)
    other_person = UserFactory(email="other@example.org")
    other = claim(imported, other_person)
    with pytest.raises(PermissionDenied):
        services.claim_approve(claim=made, moderator=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.claim_approve(claim=made, moderator=moderator)
    assert (membership.user, membership.role, membership.organisation) == (
        claimant,
        Role.OWNER,
        imported,
    )
    made.refresh_from_db()
    other.refresh_from_db()
    assert (made.status, made.decided_by) == (Claim.Status.APPROVED, moderator)
    assert other.status == Claim.Status.CLOSED
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {claimant.email, other_person.email}
    assert by_recipient[claimant.email].subject == "You now look after Atelier on the DSI Hub"
    assert "/en/organisations/atelier/members/" in by_recipient[claimant.email].body
    assert "now has an owner" in by_recipient[other_person.email].body
    with pytest.raises(ValidationError):
        services.claim_approve(claim=made, moderator=moderator)


def test_approving_for_a_profile_that_has_an_owner_meanwhile(imported, claimant, moderator):
    made = claim(imported, claimant)
    Membership.objects.create(user=UserFactory(), role=Role.OWNER, organisation=imported)
    with pytest.raises(ValidationError, match="already has an owner") as caught:
        services.claim_approve(claim=made, moderator=moderator)
    assert caught.value.code == "owned"
    assert [c.pk for c in services.claims_close_for(profile=imported)] == [made.pk]
    made.refresh_from_db()
    assert made.status == Claim.Status.CLOSED
    assert not Membership.objects.filter(user=claimant).exists()


def test_a_member_who_claims_moves_up_to_owner(claimant, moderator):
    project = ProjectFactory(name="Open Streets")
    Membership.objects.create(user=claimant, role=Role.MEMBER, project=project)
    waiting = JoinRequest.objects.create(user=claimant, project=project)
    services.claim_approve(claim=claim(project, claimant), moderator=moderator)
    assert Membership.objects.get(user=claimant, project=project).role == Role.OWNER
    waiting.refresh_from_db()
    assert waiting.state == JoinRequest.State.ACCEPTED


def test_rejection_emails_the_reason(
    imported, claimant, moderator, django_capture_on_commit_callbacks
):
    made = claim(imported, claimant)
    with pytest.raises(ValidationError):
        services.claim_reject(claim=made, moderator=moderator, reason="  ")
    with pytest.raises(PermissionDenied):
        services.claim_reject(claim=made, moderator=claimant, reason="No.")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_reject(claim=made, moderator=moderator, reason="Nobody there knows you.")
    made.refresh_from_db()
    assert (made.status, made.rejection_reason) == (
        Claim.Status.REJECTED,
        "Nobody there knows you.",
    )
    [message] = mail.outbox
    assert message.to == [claimant.email]
    assert message.subject == "Your claim on Atelier"
    assert "Nobody there knows you." in message.body
    assert not Membership.objects.exists()
    claim(imported, claimant)  # a rejected claim is closed: the person may try again


# --- Requests to join a profile nobody runs -----------------------------------------------------


def test_a_request_to_join_a_profile_nobody_runs_is_refused_not_lost(imported, claimant):
    with pytest.raises(ValidationError, match="claim it") as caught:
        member_services.join_request_create(profile=imported, user=claimant, message="Hi")
    assert caught.value.code == "no_owner"
    assert not JoinRequest.objects.exists()


def test_the_migration_turns_waiting_requests_on_unowned_profiles_into_claims(imported):
    migration = importlib.import_module("directory.migrations.0008_claims")
    owned = OrganisationFactory(owner=UserFactory())
    asker = UserFactory(name="Ana Asker")
    JoinRequest.objects.create(user=asker, organisation=imported, message="It is ours.")
    kept = JoinRequest.objects.create(user=asker, organisation=owned)
    migration.join_requests_to_claims(apps, None)
    converted = Claim.objects.get()
    assert (converted.user, converted.organisation, converted.message) == (
        asker,
        imported,
        "It is ours.",
    )
    assert converted.summary == "Atelier – Ana Asker"
    assert list(JoinRequest.objects.all()) == [kept]


# --- The pages ----------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in_and_back(client, imported):
    response = client.get(CLAIM_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={CLAIM_URL}"


def test_the_profile_page_offers_claiming_only_without_an_owner(client, imported, claimant):
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "This is ours: claim it" in page and CLAIM_URL in page
    assert "Request to join" not in page
    client.force_login(claimant)
    page = client.get(imported.get_absolute_url()).content.decode()
    assert CLAIM_URL in page and JOIN_URL not in page
    owned = OrganisationFactory(owner=UserFactory(), slug="owned-lab")
    page = client.get(owned.get_absolute_url()).content.decode()
    assert "claim it" not in page
    assert "/en/organisations/owned-lab/join/" in page


def test_the_profile_page_follows_an_approval(
    client, imported, claimant, moderator, django_capture_on_commit_callbacks
):
    assert "claim it" in client.get(imported.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim(imported, claimant), moderator=moderator)
    assert "claim it" not in client.get(imported.get_absolute_url()).content.decode()


def test_claiming_through_the_page(
    client, imported, claimant, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(claimant)
    # session, user, profile, its owner, the person's open claim
    with django_assert_num_queries(5):
        response = client.get(CLAIM_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for field in ("role", "message", "evidence_url", "evidence_email"):
        assert f'name="{field}"' in page
    assert "@atelier.org" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CLAIM_URL,
            {
                "role": "Director",
                "message": "I founded it in 2014.",
                "evidence_url": "atelier.org/team",
                "evidence_email": "camille@atelier.org",
            },
        )
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    made = Claim.objects.get()
    assert (made.user, made.role, made.evidence_url) == (
        claimant,
        "Director",
        "https://atelier.org/team",
    )
    assert [m.to for m in mail.outbox] == [["camille@atelier.org"]]
    page = client.get(CLAIM_URL).content.decode()
    assert "You have already claimed Atelier" in page and 'name="message"' not in page
    assert client.post(CLAIM_URL, {"message": "Again"}).status_code == 400
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": "Mine", "evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"message": "Mine", "evidence_email": "not an address"}, "evidence_email"),
        ({"message": "Mine", "evidence_email": "me@gmail.com"}, "evidence_email"),
        ({"message": "Mine", "role": "r" * 201}, "role"),
    ],
)
def test_bad_input_gets_a_400_with_the_reason(client, imported, claimant, data, field):
    client.force_login(claimant)
    response = client.post(CLAIM_URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Claim.objects.exists()


def test_the_claim_page_for_owned_drafts_and_unknown_profiles(client, claimant):
    client.force_login(claimant)
    OrganisationFactory(owner=UserFactory(), slug="owned-lab")
    response = client.get("/en/organisations/owned-lab/claim/")
    assert response.status_code == 200
    assert "already has an owner" in response.content.decode()
    assert client.post("/en/organisations/owned-lab/claim/", {"message": "x"}).status_code == 400
    draft = OrganisationFactory(status=Status.DRAFT)
    assert client.get(f"/en/organisations/{draft.slug}/claim/").status_code == 404
    assert client.get("/en/projects/nowhere/claim/").status_code == 404
    assert client.put(CLAIM_URL).status_code == 405
    assert not Claim.objects.exists()


def test_too_many_claims_get_a_429(client, claimant, monkeypatch):
    monkeypatch.setattr(services, "CLAIMS_PER_DAY", 1)
    client.force_login(claimant)
    first, second = OrganisationFactory(), OrganisationFactory()
    assert (
        client.post(f"/en/organisations/{first.slug}/claim/", {"message": "a"}).status_code == 302
    )
    response = client.post(f"/en/organisations/{second.slug}/claim/", {"message": "b"})
    assert response.status_code == 429
    assert "try again tomorrow" in response.content.decode()


def test_claims_need_the_csrf_token(imported, claimant):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(claimant)
    assert strict.post(CLAIM_URL, {"message": "Mine"}).status_code == 403
    assert not Claim.objects.exists()


def test_confirming_the_address_through_the_page(
    client, imported, claimant, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        made = claim(imported, claimant, evidence_email="camille@atelier.org")
    link = verify_link(mail.outbox[0])
    path = link[link.index("/en/") :]
    with django_assert_num_queries(1):  # the claim with its profile (no login needed)
        response = client.get(path)
    assert response.status_code == 200
    made.refresh_from_db()
    assert not made.is_verified  # opening the link (a mail scanner) changes nothing
    assert "Confirm that camille@atelier.org is your address" in response.content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/en/organisations/atelier/"
    made.refresh_from_db()
    assert made.is_verified
    assert client.get("/en/claims/confirm/garbage/").status_code == 400
    assert client.post("/en/claims/confirm/garbage/").status_code == 400
    Claim.objects.filter(pk=made.pk).update(status=Claim.Status.REJECTED)
    assert client.post(path).status_code == 400


def test_the_join_page_of_a_profile_nobody_runs_leads_to_claiming(client, imported, claimant):
    client.force_login(claimant)
    response = client.get(JOIN_URL)
    assert response.status_code == 302 and response["Location"] == CLAIM_URL
    response = client.post(JOIN_URL, {"message": "I work there."})
    assert response.status_code == 200
    assert response.context["form"].initial["message"] == "I work there."
    assert "No one looks after Atelier on the hub yet" in response.content.decode()
    assert not JoinRequest.objects.exists()


# --- The dashboards -----------------------------------------------------------------------------


def test_the_requesters_dashboard_shows_their_requests_and_claims(client, claimant, moderator):
    owned = OrganisationFactory(owner=UserFactory(), name="Owned Lab")
    member_services.join_request_create(profile=owned, user=claimant)
    waiting = claim(OrganisationFactory(name="Waiting Org"), claimant)
    Claim.objects.filter(pk=waiting.pk).update(email_verified_at="2026-01-01T00:00Z")
    services.claim_reject(
        claim=claim(ProjectFactory(name="Refused Project"), claimant),
        moderator=moderator,
        reason="Not yours.",
    )
    services.claim_approve(
        claim=claim(ProjectFactory(name="Approved One"), claimant), moderator=moderator
    )
    claim(OrganisationFactory(name="Someone Else's"), UserFactory())
    client.force_login(claimant)
    page = client.get(DASHBOARD).content.decode()
    assert "Your requests and claims" in page
    assert "You asked to join <strong>Owned Lab</strong>" in page
    assert "Waiting for its admins' answer" in page
    assert "You claimed <strong>Waiting Org</strong>" in page
    assert "Waiting for review" in page and "address confirmed" in page
    assert "You claimed <strong>Refused Project</strong>" in page and "Not yours." in page
    assert "You claimed <strong>Approved One</strong>" in page and "Approved" in page
    assert "Someone Else" not in page


def test_the_owners_dashboard_shows_requests_waiting_for_them(client, claimant):
    owner = UserFactory()
    owned = OrganisationFactory(owner=owner, name="Owned Lab")
    member_services.join_request_create(profile=owned, user=claimant)
    client.force_login(owner)
    response = client.get(DASHBOARD)
    assert [r.user for r, _url in response.context["join_requests"]] == [claimant]
    assert "asks to join <strong>Owned Lab</strong>" in response.content.decode()
    assert "/en/organisations/owned-lab/members/" in response.content.decode()


def test_the_dashboard_query_count_stays_with_claims(client, claimant, django_assert_num_queries):
    for number in range(3):
        claim(OrganisationFactory(name=f"Claimed {number}"), claimant)
        member_services.join_request_create(
            profile=ProjectFactory(name=f"Asked {number}", owner=UserFactory()), user=claimant
        )
    client.force_login(claimant)
    # session, user, memberships, invitations, requests waiting on me, my requests, my claims
    with django_assert_num_queries(7):
        response = client.get(DASHBOARD)
    assert len(response.context["claims"]) == 3
    assert len(response.context["own_requests"]) == 3


def test_a_request_to_a_profile_with_owners_reaches_them_through_the_queue(
    client, claimant, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    OrganisationFactory(owner=owner, name="Owned Lab", slug="owned-lab")
    client.force_login(claimant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/organisations/owned-lab/join/", {"message": "Hello"})
    assert response.status_code == 302
    assert OutgoingEmail.objects.count() == 1
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert "/en/organisations/owned-lab/members/" in message.body  # where to answer
    assert not Claim.objects.exists()
