"""{% load tables %}: the parts every data table writes alike."""

from django import template
from django.utils.html import format_html
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def table_head(*labels) -> str:
    """A table's head row, one column header per label, in order; an empty label (a column
    shown only to some, `{% if %}` ... `as` left unset) is left out:
    {% table_head _("Name") _("Role") actions %}."""
    cells = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels if label))
    return format_html("<thead><tr>{}</tr></thead>", cells)
