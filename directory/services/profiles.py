"""Writes to organisation and project profiles: create, edit, submit, moderate, archive.

Every write keeps a revision in the history (django-reversion: who, when, which fields), brings
the profile's search text and filter keys up to date, and, when what the public sees changed,
tells the caches so on commit.
"""

from collections.abc import Iterable

import reversion
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lifecycle import Review
from core.lifecycle import submission_approve
from core.lifecycle import submission_archive
from core.lifecycle import submission_reject
from core.lifecycle import submission_submit
from core.models import Status
from core.pending_images import pending_images_queue
from core.pending_images import pending_images_split
from core.submissions import apply_fields
from core.submissions import apply_relations
from core.submissions import record
from core.submissions import unique_slug
from directory.models import Membership
from directory.models import Organisation
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import Role
from directory.models import Tag
from directory.search import profile_links_reindex
from directory.search import profile_reindex
from directory.services.moderation import profile_assess_spam
from directory.versions import directory_changed

HTML_FIELDS = {"description", "social_impact"}
SUBMITTABLE = {Status.DRAFT, Status.REJECTED}
NOT_SUBMITTABLE = gettext_lazy("This profile has already been submitted.")
REVIEW = Review(
    name="profile",
    approved_template="directory/email/profile_approved.txt",
    rejected_template="directory/email/profile_rejected.txt",
    not_pending_approve=gettext_lazy("Only profiles waiting for review can be approved."),
    not_pending_reject=gettext_lazy("Only profiles waiting for review can be rejected."),
    on_published=directory_changed,
    not_submittable=NOT_SUBMITTABLE,
    no_reason=gettext_lazy("Please give the owner a reason."),
)
# The fields of an edit that change the network of links (directory.versions.LINKS).
LINKED_FIELDS = {"organisations", "status"}
# Slugs that are paths of the directory's own pages.
RESERVED_SLUGS = {"new", "lookup", "edit"}

Profile = Organisation | Project


# --- Helpers shared by the directory's services ---------------------------------------------


def profile_unique_slug(model, name: str, *, exclude_pk=None) -> str:
    """A readable, unused slug for the name ("open-data-lab", "open-data-lab-2"), in one query."""
    return unique_slug(
        model,
        name,
        fallback=model._meta.model_name,
        reserved=RESERVED_SLUGS,
        exclude_pk=exclude_pk,
    )


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """The Tag rows for free-text names, created where new; one spelling per slug."""
    wanted = {}
    for name in names:
        name = " ".join(str(name).split())[:100]
        slug = slugify(name, allow_unicode=True)[:120]
        if slug and slug not in wanted:
            wanted[slug] = name
    if not wanted:
        return []
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    missing = [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    return [existing[slug] for slug in wanted if slug in existing]


def profile_city(profile: Profile, fields: dict, relations: dict | None) -> str:
    """Set `fields["city"]` as the gazetteer names the place (directory.cities: "Milano" and
    "Milan" are one city in the lists' facets), in the profile's country where known; return a
    note naming the spelling typed when it changed, for the history, else ""."""
    if not fields.get("city"):
        return ""
    typed = " ".join(fields["city"].split())
    if isinstance(profile, Organisation):
        country = fields.get("country", profile.country if profile.country_id else None)
        countries = [country] if country else []
    else:
        countries = list((relations or {}).get("countries") or [])
    codes = {country.code for country in countries}
    city = profile.city_as_written(typed, codes.pop() if len(codes) == 1 else None)
    fields["city"] = city
    if city == typed:
        return ""
    return _("city “%(typed)s” written “%(city)s”") % {"typed": typed, "city": city}


def profile_membership(profile: Profile, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, **Membership.profile_kwargs(profile)).first()


def profile_can_edit(profile: Profile, user) -> bool:
    """Members edit a profile's content; community admins may edit any."""
    if not user.is_authenticated:
        return False
    if user.has_perm(f"directory.change_{profile.kind}"):
        return True
    return profile_membership(profile, user) is not None


def profile_can_manage(profile: Profile, user) -> bool:
    """Owners and admins manage members, submit for review and archive."""
    if not user.is_authenticated:
        return False
    if user.has_perm(f"directory.change_{profile.kind}"):
        return True
    membership = profile_membership(profile, user)
    return membership is not None and membership.role in (Role.OWNER, Role.ADMIN)


def _with_note(comment: str, note: str) -> str:
    return f"{comment} ({note})" if note else comment


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You cannot change this profile."))


def profile_owner(profile: Profile):
    membership = (
        Membership.objects.filter(role=Role.OWNER, **Membership.profile_kwargs(profile))
        .select_related("user")
        .first()
    )
    return membership.user if membership else profile.created_by


# --- Create and edit --------------------------------------------------------------------------


@transaction.atomic
def profile_create(
    *,
    model: type[Profile],
    user,
    name: str,
    fields: dict | None = None,
    relations: dict | None = None,
) -> Profile:
    """A new draft profile, owned by the person who created it."""
    with reversion.create_revision():
        profile = model(name=name.strip(), created_by=user)
        profile.slug = profile_unique_slug(model, profile.name)
        fields = dict(fields or {})
        city_note = profile_city(profile, fields, relations)
        apply_fields(profile, fields, html_fields=HTML_FIELDS)
        if (
            isinstance(profile, Project)
            and profile.end_date
            and profile.end_date < timezone.localdate()
        ):
            profile.live = False
        profile.full_clean(exclude=["slug", "social_areas", "technologies"])
        profile.save()
        apply_relations(profile, relations or {})
        Membership.objects.create(user=user, role=Role.OWNER, **Membership.profile_kwargs(profile))
        record(user=user, comment=_with_note(_("Created"), city_note))
    profile_reindex(profile, links=profile.is_published)  # a draft is in no published link
    return profile


def organisation_create(*, user, name: str, **kwargs) -> Organisation:
    return profile_create(model=Organisation, user=user, name=name, **kwargs)


def project_create(*, user, name: str, **kwargs) -> Project:
    return profile_create(model=Project, user=user, name=name, **kwargs)


@transaction.atomic
def profile_update(
    *, profile: Profile, user, fields: dict | None = None, relations: dict | None = None
) -> list[str]:
    """Change a profile's content; published profiles change live. Returns the changed fields
    (not an image left for a task: core.pending_images)."""
    _require(profile_can_edit(profile, user))
    with reversion.create_revision():
        # A heavy image is re-encoded by a task; the field keeps its image until then.
        fields, images = pending_images_split(dict(fields or {}))
        pending_images_queue(obj=profile, images=images, user=user)
        city_note = profile_city(profile, fields, relations)
        changed = apply_fields(profile, fields, html_fields=HTML_FIELDS)
        if (
            isinstance(profile, Project)
            and profile.end_date
            and profile.end_date < timezone.localdate()
        ) and profile.live:
            profile.live = False
            changed.append("live")
        if "name" in changed and profile.status in (Status.DRAFT, Status.REJECTED):
            profile.slug = profile_unique_slug(type(profile), profile.name, exclude_pk=profile.pk)
        if changed:
            profile.full_clean(exclude=["social_areas", "technologies"])
            profile.save()
        changed += apply_relations(profile, relations or {})
        if not changed:
            return []
        labels = ", ".join(str(profile._meta.get_field(name).verbose_name) for name in changed)
        comment = _("Changed %(fields)s") % {"fields": labels}
        record(user=user, comment=_with_note(comment, city_note if "city" in changed else ""))
    # The links' version moves only if its links or status did (not for its text, the usual edit).
    profile_reindex(profile, links=bool(LINKED_FIELDS.intersection(changed)))
    if profile.is_published:
        directory_changed()
    return changed


@transaction.atomic
def project_set_organisations(
    *, project: Project, user, organisations: list[tuple[Organisation, str]]
) -> bool:
    """The organisations behind a project, each as lead or partner; True if anything changed."""
    _require(profile_can_edit(project, user))
    wanted = {organisation.pk: role for organisation, role in organisations}
    current = dict(project.links_to_organisations.values_list("organisation_id", "role"))
    if wanted == current:
        return False
    with reversion.create_revision():
        project.links_to_organisations.exclude(organisation_id__in=wanted).delete()
        for organisation_id, role in wanted.items():
            ProjectOrganisation.objects.update_or_create(
                project=project, organisation_id=organisation_id, defaults={"role": role}
            )
        project.save(update_fields=["updated_at"])
        record(user=user, comment=_("Changed organisations"))
    # Its countries may come from its organisations, and theirs areas from it: those it left too.
    profile_links_reindex(project, organisation_ids=current)
    if project.is_published:
        directory_changed()
    return True


# --- Lifecycle --------------------------------------------------------------------------------


def profile_missing_by_step(profile: Profile) -> list[tuple[str, str]]:
    """What a profile still needs before it can go to review, as messages for its editors, each
    with the step of the guided form where it is given. Drafts may be saved without them."""
    missing = []
    if not profile.short_description:
        missing.append((_("a short description"), "basics"))
    if isinstance(profile, Organisation) and profile.country_id is None:
        missing.append((_("a country"), "place"))
    if isinstance(profile, Project):
        if not profile.social_areas.exists():
            missing.append((_("at least one social area"), "topics"))
        if not profile.technologies.exists():
            missing.append((_("at least one technology"), "topics"))
    return missing


def profile_missing(profile: Profile) -> list[str]:
    """What a profile still needs before it can go to review, as messages for its editors."""
    return [message for message, _step in profile_missing_by_step(profile)]


@transaction.atomic
def profile_submit(*, profile: Profile, user, licence_consent: bool, ip: str | None = None) -> None:
    """Send a draft (or a rejected profile, corrected) to the moderators' queue."""
    _require(profile_can_manage(profile, user))
    if profile.status not in SUBMITTABLE:
        raise ValidationError(NOT_SUBMITTABLE, code="state")
    if not licence_consent:
        raise ValidationError(
            _("Please agree to publish the profile under the licence stated."), code="consent"
        )
    missing = profile_missing(profile)
    if not missing:
        profile.spam_score, profile.spam_signals = profile_assess_spam(
            profile=profile, user=user, ip=ip
        )
    submission_submit(profile, user=user, review=REVIEW, missing=missing)


@transaction.atomic
def profile_approve(*, profile: Profile, moderator) -> None:
    """Publish a pending profile and tell its owner."""
    submission_approve(
        profile,
        moderator=moderator,
        review=REVIEW,
        recipient=profile_owner(profile) if profile.status == Status.PENDING else None,
        title=profile.name,
    )
    profile_links_reindex(profile)  # linked profiles take keys from published ones only


@transaction.atomic
def profile_reject(*, profile: Profile, moderator, reason: str) -> None:
    """Turn down a pending profile with a reason its owner reads; they may correct and resubmit."""
    submission_reject(
        profile,
        moderator=moderator,
        reason=reason,
        review=REVIEW,
        recipient=profile_owner(profile) if profile.status == Status.PENDING else None,
        title=profile.name,
    )


@transaction.atomic
def profile_archive(*, profile: Profile, user) -> None:
    """Take a profile out of public view, keeping it and its history."""
    _require(profile_can_manage(profile, user))
    was_published = profile.is_published
    submission_archive(profile, user=user, review=REVIEW)
    if was_published:
        profile_links_reindex(profile)
