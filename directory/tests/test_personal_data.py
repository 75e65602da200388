"""The directory's part in deleting an account (directory.services.personal_data)."""

from accounts.services import user_delete
from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import JoinRequest
from directory.models import Organisation
from directory.services.members import join_request_create
from directory.services.members import membership_make_owner
from directory.tests.factories import OrganisationFactory


def test_requests_to_join_a_profile_its_only_owner_leaves_wait_for_the_next_owner(
    db, client, django_capture_on_commit_callbacks
):
    owner, asking, claimant = UserFactory(), UserFactory(), UserFactory()
    public = OrganisationFactory(owner=owner)
    draft = OrganisationFactory(owner=owner)
    join_request_create(profile=public, user=asking, message="Let me in")
    join_request_create(profile=draft, user=asking, message="Me too")
    Organisation.objects.filter(pk=draft.pk).update(status=Status.DRAFT)  # unpublished since

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=owner)

    # The draft went with its requests; the public profile stays, its request waiting.
    assert not Organisation.objects.filter(pk=draft.pk).exists()
    [waiting] = JoinRequest.objects.all()
    assert (waiting.organisation_id, waiting.state) == (public.pk, JoinRequest.State.PENDING)
    # Asking again leads to claiming it: nobody would read a request.
    client.force_login(asking)
    response = client.get(f"/en/organisations/{public.slug}/join/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/organisations/{public.slug}/claim/"
    # Whoever claims it next finds the request to answer.
    membership_make_owner(profile=public, user=claimant)
    assert list(JoinRequest.objects.pending_for_managers(claimant)) == [waiting]
