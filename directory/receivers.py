"""Plumbing from allauth's and the accounts' signals into the directory's services."""

from allauth.account.signals import email_confirmed
from allauth.account.signals import user_logged_in
from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.utils.translation import gettext as _

from accounts.signals import account_deleting
from directory.services.members import invitations_claim
from directory.services.members import profiles_hand_over_or_delete


def _claim(request, user) -> None:
    """Invitations to the person's verified addresses become memberships."""
    if user is None:
        return
    memberships = invitations_claim(user=user)
    if request is None or not memberships:
        return
    names = ", ".join(str(membership.profile) for membership in memberships)
    messages.success(
        request,
        _("You accepted the invitation and are now a member of %(names)s.") % {"names": names},
        fail_silently=True,
    )


def claim_on_login(sender, request=None, user=None, **kwargs):
    _claim(request, user)


def claim_on_signup(sender, request=None, user=None, **kwargs):
    _claim(request, user)


def claim_on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None:
        _claim(request, email_address.user)


def hand_over_profiles(sender, user, **kwargs):
    """An account is being deleted: its profiles pass to others, or go with it."""
    profiles_hand_over_or_delete(user=user)


def connect_receivers() -> None:
    account_deleting.connect(hand_over_profiles, dispatch_uid="directory_hand_over_profiles")

    user_logged_in.connect(claim_on_login, dispatch_uid="directory_claim_on_login")
    user_signed_up.connect(claim_on_signup, dispatch_uid="directory_claim_on_signup")
    email_confirmed.connect(claim_on_email_confirmed, dispatch_uid="directory_claim_on_confirm")
