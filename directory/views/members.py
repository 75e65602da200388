"""Members' pages (being built: see directory/urls_members.py for the names)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


invitation_respond = profile_members = profile_join = _todo
