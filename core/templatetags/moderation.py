"""{% load moderation %}: whether someone moderates anything, for the admin's index."""

from django import template

from core.moderation import kinds_moderated_by

register = template.Library()


@register.filter
def moderates(user) -> bool:
    """Whether the user may review at least one moderated kind (profiles, events...)."""
    return bool(kinds_moderated_by(user))
