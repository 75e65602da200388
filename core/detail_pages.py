"""The public page of one submitted item (an event, a funding opportunity): what its view finds
and shows besides the item's own fields, written once for every submitted kind."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.html import sanitize_html


def published_or_404(model, slug: str):
    """The published item with its details loaded, or a 404 for anything else (drafts, pending,
    archived, unknown)."""
    obj = model.objects.published().with_details().filter(slug=slug).first()
    if obj is None:
        raise Http404
    return obj


def refuse_change(obj, reason: str):
    """Turn away someone who may not change `obj`: a 403 with the reason when the public sees
    it anyway, a 404 when it is unpublished (a draft, pending, archived), as for a slug nobody
    uses, so that a stranger cannot tell that someone's draft exists."""
    if obj.is_published:
        raise PermissionDenied(reason)
    raise Http404


def detail_context(obj, *, profile_field: str, list_url_name: str, jsonld: str) -> dict:
    """The item under its model's name; the link to its directory profile (`<profile_field>_url`,
    empty unless that profile is published); the way back to the list; its description, cleaned
    again here because an editor's admin save or a revert may have stored any HTML; its JSON-LD."""
    profile = getattr(obj, profile_field)
    return {
        obj._meta.model_name: obj,
        f"{profile_field}_url": profile.get_absolute_url()
        if profile is not None and profile.is_published
        else "",
        "list_url": reverse(list_url_name),
        "description": mark_safe(sanitize_html(obj.description)),  # noqa: S308
        "jsonld": jsonld,
    }
