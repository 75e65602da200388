"""Plumbing from allauth's and the accounts' signals into the directory's services."""

from allauth.account.signals import email_confirmed
from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.utils.translation import ngettext

from accounts.signals import account_deleting
from accounts.signals import account_exporting
from core.pending_images import pending_image_stored
from directory.models import Organisation
from directory.models import Project
from directory.services.members import invitations_for
from directory.services.personal_data import person_data
from directory.services.personal_data import person_forget
from directory.versions import directory_changed


def _invitations_waiting(request, user) -> None:
    """Tell the person of invitations waiting for their verified addresses: they accept or
    decline each one (on its page, linked from their dashboard), never by logging in alone, so
    that nobody is made a listed member of a profile by being invited to it."""
    if request is None or user is None or not user.is_active:
        return
    names = [str(invitation.profile) for invitation in invitations_for(user)]
    if not names:
        return
    messages.info(
        request,
        ngettext(
            "You are invited to join %(names)s: accept or decline on your dashboard.",
            "You are invited to join %(names)s: accept or decline each on your dashboard.",
            len(names),
        )
        % {"names": ", ".join(names)},
        fail_silently=True,
    )


def waiting_on_login(sender, request=None, user=None, **kwargs):
    _invitations_waiting(request, user)


def waiting_on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None:
        _invitations_waiting(request, email_address.user)


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

    user_logged_in.connect(waiting_on_login, dispatch_uid="directory_invitations_on_login")
    email_confirmed.connect(
        waiting_on_email_confirmed, dispatch_uid="directory_invitations_on_confirm"
    )
