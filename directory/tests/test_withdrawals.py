"""Taking back a claim or a request to join that still waits (directory.services.withdrawals),
from the requester's dashboard."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.test import Client

from accounts.tests.factories import UserFactory
from directory.models import Claim
from directory.models import JoinRequest
from directory.services.claims import claim_create
from directory.services.claims import claim_reject
from directory.services.members import join_request_create
from directory.services.withdrawals import claim_withdraw
from directory.services.withdrawals import join_request_withdraw
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/dashboard/"
WITHDRAW = "/en/dashboard/withdraw/"


@pytest.fixture
def claimant():
    return UserFactory(name="Camille Martin", email="camille@example.org")


def claim(profile, person):
    return claim_create(profile=profile, user=person, message="It is ours.")


def test_a_claimant_withdraws_their_claim_and_it_leaves_the_queue(claimant):
    profile = OrganisationFactory(name="Atelier")
    waiting = claim(profile, claimant)
    with pytest.raises(PermissionDenied):
        claim_withdraw(claim=waiting, user=UserFactory())
    withdrawn = claim_withdraw(claim=waiting, user=claimant)
    assert withdrawn.status == Claim.Status.WITHDRAWN
    assert withdrawn.decided_at is not None
    assert not Claim.objects.open().exists()
    with pytest.raises(ValidationError):
        claim_withdraw(claim=waiting, user=claimant)
    # They may claim it again later.
    assert claim(profile, claimant).status == Claim.Status.PENDING


def test_a_decided_claim_cannot_be_withdrawn(claimant):
    moderator = UserFactory(is_superuser=True, is_staff=True)
    rejected = claim(OrganisationFactory(), claimant)
    claim_reject(claim=rejected, moderator=moderator, reason="Not yours.")
    with pytest.raises(ValidationError):
        claim_withdraw(claim=rejected, user=claimant)
    rejected.refresh_from_db()
    assert rejected.status == Claim.Status.REJECTED


def test_a_request_to_join_is_withdrawn_by_its_requester_only(claimant):
    request = join_request_create(profile=OrganisationFactory(owner=UserFactory()), user=claimant)
    with pytest.raises(PermissionDenied):
        join_request_withdraw(join_request=request, user=UserFactory())
    assert join_request_withdraw(join_request=request, user=claimant).state == "withdrawn"
    assert not JoinRequest.objects.filter(state=JoinRequest.State.PENDING).exists()


def test_withdrawing_from_the_dashboard(claimant):
    waiting = claim(OrganisationFactory(name="Waiting Org"), claimant)
    asked = join_request_create(
        profile=ProjectFactory(name="Asked Project", owner=UserFactory()), user=claimant
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(claimant)
    page = client.get(DASHBOARD).content.decode()
    assert page.count(f'action="{WITHDRAW}"') == 2
    assert 'Withdraw<span class="visually-hidden"> your claim on Waiting Org' in page
    assert "your request to join Asked Project" in page
    # A POST without the CSRF token is refused.
    assert client.post(WITHDRAW, {"action": "claim", "target": waiting.pk}).status_code == 403
    token = get_token(client.get(DASHBOARD).wsgi_request)
    response = client.post(
        WITHDRAW, {"action": "claim", "target": waiting.pk, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    response = client.post(
        WITHDRAW,
        {"action": "join_request", "target": asked.pk, "csrfmiddlewaretoken": token},
        follow=True,
    )
    page = response.content.decode()
    assert "You withdrew your request to join Asked Project." in page
    waiting.refresh_from_db()
    asked.refresh_from_db()
    assert (waiting.status, asked.state) == ("withdrawn", "withdrawn")
    # Both still listed, as withdrawn, with nothing left to withdraw.
    assert page.count("Withdrawn") == 2
    assert f'action="{WITHDRAW}"' not in page


def test_someone_elses_request_or_a_bad_action_is_not_found(client, claimant):
    others = claim(OrganisationFactory(), UserFactory())
    client.force_login(claimant)
    assert client.post(WITHDRAW, {"action": "claim", "target": others.pk}).status_code == 404
    assert client.post(WITHDRAW, {"action": "delete", "target": others.pk}).status_code == 404
    assert client.post(WITHDRAW, {"action": "claim", "target": "x"}).status_code == 404
    assert client.get(WITHDRAW).status_code == 405
    others.refresh_from_db()
    assert others.status == Claim.Status.PENDING
