"""Plumbing from allauth's and the accounts' signals into the directory's services."""

from allauth.account.signals import email_confirmed
from allauth.account.signals import user_logged_in
from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.utils.translation import gettext as _

from accounts.signals import account_deleting
from accounts.signals import account_exporting
from core.pending_images import pending_image_stored
from directory.models import Organisation
from directory.models import Project
from directory.services.members import invitations_claim
from directory.services.personal_data import person_data
from directory.services.personal_data import person_forget
from directory.versions import directory_changed


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


def export_person(sender, user, **kwargs) -> dict:
    """A person asks for their data: the directory's sections of it."""
    return person_data(user=user)


def forget_person(sender, user, **kwargs):
    """An account is being deleted: its profiles pass to others, or go with it, and what else
    the directory holds of the person goes or no longer names them."""
    person_forget(user=user)


def image_stored(sender, instance, **kwargs):
    """A profile's logo or header image was re-encoded by a task: published pages show it."""
    if instance.is_published:
        directory_changed()


def connect_receivers() -> None:
    for model in (Organisation, Project):
        pending_image_stored.connect(
            image_stored, sender=model, dispatch_uid=f"directory_image_stored_{model.__name__}"
        )
    account_exporting.connect(export_person, dispatch_uid="directory_export_person")
    account_deleting.connect(forget_person, dispatch_uid="directory_forget_person")

    user_logged_in.connect(claim_on_login, dispatch_uid="directory_claim_on_login")
    user_signed_up.connect(claim_on_signup, dispatch_uid="directory_claim_on_signup")
    email_confirmed.connect(claim_on_email_confirmed, dispatch_uid="directory_claim_on_confirm")
