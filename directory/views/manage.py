"""Practitioners' pages (being built: see directory/urls_manage.py for the names)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


dashboard = organisation_lookup = profile_create = profile_edit = _todo
profile_preview = profile_submit = profile_archive = _todo
