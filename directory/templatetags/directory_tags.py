from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from core.html import sanitize_html
from directory.search import countries_inferred

register = template.Library()


@register.filter
def sanitize(html: str) -> str:
    """Rich text as stored, cleaned again on the way out: admins' edits included."""
    return mark_safe(sanitize_html(html))  # noqa: S308 - the output of nh3


@register.simple_tag
def project_countries(project) -> dict:
    """The countries a project is listed under: its own, or else those of its organisations
    (`inferred`, which the page says)."""
    own = list(project.countries.all())
    if own:
        return {"countries": own, "inferred": False}
    inferred = countries_inferred(project)
    return {"countries": inferred, "inferred": bool(inferred)}


@register.simple_tag
def filter_url(kind: str, name: str, value: str) -> str:
    """The list of organisations or projects filtered by one value."""
    from django.urls import reverse

    return reverse(f"directory:{kind}_list") + "?" + urlencode({name: value})


@register.simple_tag
def facet_list(facet, remove_label: str) -> str:
    """A facet's values as links with counts; built in Python, as a list can hold a hundred."""
    items = format_html_join(
        "\n",
        '<li><a href="{}" rel="nofollow"{}>{}{}</a> <span class="count">{}</span></li>',
        (
            (
                value.url,
                mark_safe(' aria-current="true" class="selected"') if value.selected else "",
                format_html('<span class="visually-hidden">{} </span>', remove_label)
                if value.selected
                else "",
                value.label,
                intcomma(value.count),
            )
            for value in facet.values
        ),
    )
    return format_html("<ul>{}</ul>", items)
