from html import escape

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from core.html import sanitize_html
from directory.cards import cards_html
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
def profile_cards(cards, level: int = 3) -> str:
    """A list page's cards (directory.cards), their names headings of `level`."""
    return mark_safe(cards_html(cards, level=level))  # noqa: S308 - escaped by cards_html


@register.simple_tag
def facet_list(facet, remove_label: str) -> str:
    """A facet's values as links with counts; built in Python, as a list can hold a hundred
    (with the standard library's escaping: Django's, called some 500 times a page, cost more
    than the rest of the list)."""
    selected = (
        ' aria-current="true" class="selected"><span class="visually-hidden">'
        f"{escape(str(remove_label))} </span>"
    )
    items = "\n".join(
        f'<li><a href="{escape(value.url)}" rel="nofollow"'
        f"{selected if value.selected else '>'}{escape(str(value.label))}</a> "
        f'<span class="count">{intcomma(value.count)}</span></li>'
        for value in facet.values
    )
    return mark_safe(f"<ul>{items}</ul>")  # noqa: S308 - every part escaped above
