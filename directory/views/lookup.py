"""The organisation picker's search as you type (static/js/picker.js); the picker works without
it, through the project form's "Find" button."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limit_hit
from directory.models import Organisation
from directory.views.manage import LOOKUP_RESULTS

LOOKUPS_PER_MINUTE = 120


LOOKUP_MAX_LENGTH = 100


@login_required
@require_GET
def organisation_lookup(request):
    """The picker's search as you type: JSON [{id, name, city, country}], at most 10."""
    if not rate_limit_hit(
        action="organisation-lookup",
        key=str(request.user.pk),
        limit=LOOKUPS_PER_MINUTE,
        period=60,
        allow_when_unavailable=True,  # a read: Redis being away must not stop it
    ):
        return JsonResponse(
            {"error": gettext("Too many searches in a short time. Please wait a minute.")},
            status=429,
        )
    query = request.GET.get("q", "")
    if not query.strip() or len(query) > LOOKUP_MAX_LENGTH:
        return JsonResponse(
            {
                "error": gettext("Please type between 1 and %(max)s characters.")
                % {"max": LOOKUP_MAX_LENGTH}
            },
            status=400,
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in query):
        return JsonResponse(
            {"error": gettext("Please type letters, digits or spaces.")}, status=400
        )
    results = [
        {
            "id": organisation.pk,
            "name": organisation.name,
            "city": organisation.city,
            "country": organisation.country.name if organisation.country else "",
        }
        for organisation in Organisation.objects.picker_matches(
            query, request.user, limit=LOOKUP_RESULTS
        )
    ]
    return JsonResponse(results, safe=False)
