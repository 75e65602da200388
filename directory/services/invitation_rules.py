"""What keeps invitations from being a spam relay: they are mail from the hub's address to any
address, showing names their sender chose.

A profile nobody has reviewed yet (a draft, pending, rejected) may invite only people who
already have an account; new accounts invite fewer people a day; the names an invitation shows
have their links broken (core.spam.defang); moderators see who sent many in the last day (the
moderation queue, core.moderation.register_watched).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import Status
from core.ratelimit import rate_limit_exceeded
from core.ratelimit import rate_limit_hit
from core.spam import account_is_new

INVITATIONS_PER_DAY = 30
NEW_ACCOUNT_INVITATIONS_PER_DAY = 5
# The moderation queue lists the accounts that sent at least this many in the last 24 hours.
INVITATIONS_WATCHED = 10
DAY = 24 * 60 * 60
_ACTION = "invite"


def invitations_per_day(user) -> int:
    """How many invitations the person may send a day: fewer while their account is new."""
    if account_is_new(user):
        return min(INVITATIONS_PER_DAY, NEW_ACCOUNT_INVITATIONS_PER_DAY)
    return INVITATIONS_PER_DAY


def invitation_limit_reached(user) -> bool:
    return rate_limit_exceeded(action=_ACTION, key=str(user.pk), limit=invitations_per_day(user))


def invitation_count(user) -> None:
    """Count one invitation sent against the person's daily limit."""
    rate_limit_hit(action=_ACTION, key=str(user.pk), limit=invitations_per_day(user), period=DAY)


def invitation_check_recipient(*, profile, has_account: bool) -> None:
    """Until a community admin has published a profile, its name is unreviewed text: it goes
    only to people who already have an account on the hub, never to any address."""
    if profile.status != Status.PUBLISHED and not has_account:
        raise ValidationError(
            {
                "email": _(
                    "Until the profile is published, you can invite only people who already "
                    "have an account on the hub."
                )
            },
            code="unpublished",
        )
