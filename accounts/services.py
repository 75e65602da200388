"""Writes to people's accounts and profiles."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.signals import account_deleting
from accounts.signals import account_exporting
from accounts.signals import account_renamed
from core.images import DeferredImage
from core.pending_images import pending_image_queue
from core.pending_images import pending_images_export
from core.pending_images import pending_images_forget
from core.personal_data import dated
from core.personal_data import history_forget
from core.personal_data import outgoing_emails_export
from core.personal_data import outgoing_emails_forget


def _unique_slug(*, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:140].strip("-") or "member"
    taken = set(
        User.objects.exclude(pk=exclude_pk)
        .filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$")
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def user_complete_signup(*, user: User, name: str, accepted_terms: bool) -> User:
    """Record what sign-up adds to a new account: the name, its profile address and consent."""
    if not accepted_terms:
        raise ValueError("The terms and privacy policy must be accepted to sign up.")
    user.name = name.strip()
    user.slug = _unique_slug(name=user.name or user.email.split("@")[0], exclude_pk=user.pk)
    user.terms_accepted_at = timezone.now()
    user.save()
    return user


@transaction.atomic
def user_ensure_superuser(*, email: str, password: str, name: str) -> User:
    """A superuser who can log in at once (verified email); an existing one gets the password."""
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_superuser(email, password)
        user_complete_signup(user=user, name=name, accepted_terms=True)
    else:
        user.set_password(password)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save(update_fields=["password", "is_staff", "is_superuser", "is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def user_update_profile(*, user: User, data: dict, avatar=None, remove_avatar=False) -> User:
    """Change a person's public profile; a new avatar replaces the old file (core.files deletes
    it once this commits), or, if too heavy to re-encode here, is queued for a task
    (core.pending_images) and replaces it then."""
    old_name = user.name
    for field, value in data.items():
        setattr(user, field, value)
    if not user.slug:
        user.slug = _unique_slug(name=user.name or "member", exclude_pk=user.pk)
    if isinstance(avatar, DeferredImage):
        pending_image_queue(obj=user, field="avatar", image=avatar, user=user)
    elif avatar is not None:
        user.avatar.save(avatar.name, avatar, save=False)
    elif remove_avatar:
        user.avatar = ""
    user.save()
    if user.name != old_name:
        account_renamed.send(sender=User, user=user)
    return user


def user_confirmed_emails(user: User) -> list[str]:
    """The addresses the person has shown to be theirs, lower-cased: what is sent to them is
    theirs to download (an address only typed in may be someone else's)."""
    from allauth.account.models import EmailAddress

    return sorted(
        {
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def user_export_data(*, user: User) -> dict:
    """Everything the hub stores about a person, for them to download (GDPR art. 15 and 20):
    the account and profile, what the apps hold of theirs (accounts.signals.account_exporting)
    and the copies of email sent to them that the outgoing table still keeps."""
    from allauth.account.models import EmailAddress

    data = {
        "account": {
            "email": user.email,
            "date_joined": dated(user.date_joined),
            "last_login": dated(user.last_login),
            "terms_accepted_at": dated(user.terms_accepted_at),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "profile": {
            "name": user.name,
            "profile_address": user.slug,
            "bio": user.bio,
            "job_title": user.job_title,
            "city": user.city,
            "country": user.country.code if user.country_id else None,
            "skills": user.skills,
            "languages": user.languages,
            "links": user.links,
            "avatar": user.avatar.url if user.avatar else None,
            "show_email": user.show_email,
        },
    }
    for _receiver, sections in account_exporting.send(sender=User, user=user):
        data.update(sections or {})
    data["emails"] = outgoing_emails_export(addresses=user_confirmed_emails(user))
    data["images_being_processed"] = pending_images_export(user=user)
    return data


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account and the personal data it holds.

    The account row, its email addresses and its avatar go; sessions elsewhere stop working as
    their user no longer exists. The apps do their part (accounts.signals.account_deleting):
    profiles they own where others remain pass to the longest-standing admin (else member),
    published ones only they looked after stay public with nobody (to be claimed), their drafts
    and waiting submissions go, as do invitations to their addresses, requests to join and
    claims; cached pages that named them are dropped. Copies of email to, from or about them
    go, as do the originals of images they uploaded that still wait to be re-encoded
    (core.pending_images), and the history (revisions, the admin's log) no longer names them.
    """
    addresses = {*user_confirmed_emails(user), user.email.lower()}
    account_deleting.send(sender=User, user=user)
    outgoing_emails_forget(addresses=addresses, names=[user.name])
    history_forget(user=user, terms=[user.name, *addresses])
    pending_images_forget(user=user)
    user.delete()  # core.files deletes the avatar, and solo profiles' images, on commit
