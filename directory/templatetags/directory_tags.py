from django import template
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from dsi_hub.html import sanitize_html

register = template.Library()


@register.filter
def sanitize(html: str) -> str:
    """Rich text as stored, cleaned again on the way out: admins' edits included."""
    return mark_safe(sanitize_html(html))  # noqa: S308 - the output of nh3


@register.simple_tag
def filter_url(kind: str, name: str, value: str) -> str:
    """The list of organisations or projects filtered by one value."""
    from django.urls import reverse

    return reverse(f"directory:{kind}_list") + "?" + urlencode({name: value})
