"""Reports (being built: see directory/urls_moderation.py for the names)."""

from django.http import Http404


def profile_report(*args, **kwargs):
    raise Http404
