"""A person takes back what they asked of a profile while it still waits: a claim (in the
community admins' queue) or a request to join (with the profile's owner and admins).

The row stays, marked withdrawn, so the person's dashboard and the admins' history show what
happened; a withdrawn claim leaves the queue, and the person may ask again later.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Claim
from directory.models import JoinRequest


def _withdraw(row, user, state_field: str, states):
    """Mark the person's own waiting row withdrawn (`states` its choices, PENDING and
    WITHDRAWN among them), read again and locked: a moderator or an owner may have answered it
    meanwhile."""
    if not user.is_authenticated or row.user_id != user.pk:
        raise PermissionDenied(_("Only the person who asked can withdraw this."))
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if getattr(row, state_field) != states.PENDING:
        raise ValidationError(_("This has already been answered."), code="state")
    setattr(row, state_field, states.WITHDRAWN)
    row.decided_at = timezone.now()
    row.save(update_fields=[state_field, "decided_at"])
    return row


@transaction.atomic
def claim_withdraw(*, claim: Claim, user) -> Claim:
    """The claimant takes their claim back before a moderator decides it."""
    return _withdraw(claim, user, "status", Claim.Status)


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user) -> JoinRequest:
    """The person takes back their request to join before the profile's admins answer it."""
    return _withdraw(join_request, user, "state", JoinRequest.State)
